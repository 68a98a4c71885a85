"""Who may do what, how big a request may be, and what the browser may run.

Reads are open when the server is bound to loopback; otherwise they need the token too.
Writes always need the token and are switched off without one. Every page is sent with a
Content-Security-Policy that allows no script at all: the UI needs none, and article
text, which is untrusted, then cannot run any even if escaping ever failed.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json

from fastapi import HTTPException, Request
from pydantic import BaseModel
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


class ErrorBody(BaseModel):
    """Every 4xx and 5xx answer of the JSON API: `{"error": {"status", "message", "details"}}`."""

    error: dict


def error_body(status: int, message: str, details: list | None = None) -> dict:
    body: dict = {"status": status, "message": message}
    if details:
        body["details"] = details
    return {"error": body}


def presented_token(request: Request) -> str | None:
    """The token in `Authorization: Bearer TOKEN`, or the password of HTTP Basic."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        return value.strip()
    if scheme.lower() == "basic":
        try:
            return base64.b64decode(value.strip(), validate=True).decode("utf-8").partition(":")[2]
        except (binascii.Error, UnicodeDecodeError):
            return None
    return None


def token_matches(request: Request) -> bool:
    expected = request.app.state.token
    given = presented_token(request)
    return bool(expected and given) and hmac.compare_digest(given.encode(), expected.encode())


def require_token(request: Request) -> None:
    if not request.app.state.token:
        raise HTTPException(403, "ingest is disabled: start the server with --token or STORYLINE_TOKEN")
    if not token_matches(request):
        raise HTTPException(401, "a valid token is needed (Authorization: Bearer TOKEN)", headers={"WWW-Authenticate": "Bearer"})


def read_access(request: Request) -> None:
    """Reads need the token only when the server listens beyond this machine."""
    if request.app.state.reads_need_token and not token_matches(request):
        # Basic lets a browser ask for the token (as the password) with its own dialog
        raise HTTPException(401, "this server needs its token to be read", headers={"WWW-Authenticate": 'Basic realm="storyline"'})


class Guard:
    """ASGI middleware: refuses bodies over `max_body_bytes` (declared or streamed) with a
    JSON 413, and adds the security headers to every response."""

    def __init__(self, app: ASGIApp, max_body_bytes: int):
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            await self.too_large(send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise HTTPException(413, self.limit_message)
            return message

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
            await send(message)

        await self.app(scope, counted, with_headers)

    @property
    def limit_message(self) -> str:
        return f"request body too large (limit {self.max_body_bytes:,} bytes)"

    async def too_large(self, send: Send) -> None:
        body = json.dumps(error_body(413, self.limit_message)).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *SECURITY_HEADERS]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})
