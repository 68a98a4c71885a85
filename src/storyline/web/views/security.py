"""Who may do what, how big a request may be, and what the browser may run.

Reads are open when the server is bound to loopback; otherwise they need the token too.
Writes always need the token and are switched off without one. Every page is sent with a
Content-Security-Policy that allows no script at all: the UI needs none, and article
text, which is untrusted, then cannot run any even if escaping ever failed.

Before any route runs, `Guard` refuses: a Host header outside the allowed hosts (a web page
whose own domain was made to resolve to 127.0.0.1, DNS rebinding, cannot read the store); a
write whose Origin is another site (a page elsewhere cannot post with the browser's saved
credentials); control characters in the query string; bodies over the limit. Whatever
fails after that, the answer is a JSON error with the security headers, never a bare 500.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import logging
from collections.abc import Iterable
from urllib.parse import unquote_to_bytes, urlsplit

from fastapi import HTTPException, Request
from pydantic import BaseModel
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
logger = logging.getLogger(__name__)
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
CONTROL_BYTES = frozenset(range(0x20)) | {0x7F}
WILDCARD_HOSTS = {"0.0.0.0", "::", ""}
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")

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


def token_matches(request: Request, given: str | None = None) -> bool:
    """Whether the request carries the token: in its Authorization header, or `given` (a form's field)."""
    expected = request.app.state.token
    given = given if given is not None else presented_token(request)
    return bool(expected and given) and hmac.compare_digest(given.encode(), expected.encode())


def require_token(request: Request, given: str | None = None, what: str = "ingest") -> None:
    if not request.app.state.token:
        raise HTTPException(403, f"{what} is disabled: start the server with STORYLINE_TOKEN set")
    if not token_matches(request, given):
        raise HTTPException(401, "a valid token is needed (Authorization: Bearer TOKEN)", headers={"WWW-Authenticate": "Bearer"})


def read_access(request: Request) -> None:
    """Reads need the token only when the server listens beyond this machine."""
    if request.app.state.reads_need_token and not token_matches(request):
        # Basic lets a browser ask for the token (as the password) with its own dialog
        raise HTTPException(401, "this server needs its token to be read", headers={"WWW-Authenticate": 'Basic realm="storyline"'})


def host_name(value: str) -> str:
    """The host of a Host header or an Origin's netloc, lower case, without port or IPv6 brackets."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:].partition("]")[0]
    return value.rpartition(":")[0] if value.count(":") == 1 else value


def allowed_hosts_for(bound: str, extra: Iterable[str] = ()) -> frozenset[str] | None:
    """Host names a server bound to `bound` answers to: that host (all loopback names for a
    loopback server) and `extra`. None (any host) for a wildcard bind without `extra`."""
    names = {host_name(name) for name in extra}
    bound = host_name(bound) if bound not in WILDCARD_HOSTS else bound
    if bound in WILDCARD_HOSTS:
        return frozenset(names) if names else None
    names.add(bound)
    if bound in LOOPBACK_HOSTS or bound.startswith("127."):
        names.update(LOOPBACK_HOSTS)
    return frozenset(names)


class Guard:
    """ASGI middleware: refuses foreign Host headers, cross-site writes, control characters
    in the query and bodies over `max_body_bytes` (declared or streamed); adds the security
    headers to every response, and turns any unexpected failure into a JSON 500."""

    def __init__(self, app: ASGIApp, max_body_bytes: int, allowed_hosts: frozenset[str] | None = None):
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.allowed_hosts = allowed_hosts

    def refusal(self, scope: Scope) -> tuple[int, str] | None:
        """Why a request is refused before it reaches any route (status and message), if it is."""
        headers = {name.decode("latin-1"): value.decode("latin-1") for name, value in scope["headers"]}
        host = host_name(headers.get("host", ""))
        if self.allowed_hosts is not None and host not in self.allowed_hosts:
            return 400, f"host {host!r} is not served here (serve --allowed-host adds a name)"
        if scope["method"] not in SAFE_METHODS:
            origin = headers.get("origin")
            # a page sent with `Referrer-Policy: no-referrer` posts its forms with `Origin: null`;
            # the browser's own Sec-Fetch-Site then says whether the form was this site's
            same_site_form = origin == "null" and headers.get("sec-fetch-site") == "same-origin"
            if origin is not None and not same_site_form and urlsplit(origin.lower()).netloc != headers.get("host", "").lower():
                return 403, f"cross-site write refused (Origin {origin[:100]!r})"
            if headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
                return 403, "cross-site write refused (Sec-Fetch-Site)"
        if CONTROL_BYTES.intersection(unquote_to_bytes(scope.get("query_string", b""))):
            return 400, "control characters are not allowed in the query"
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            return 413, self.limit_message
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refused = self.refusal(scope)
        if refused is not None:
            await self.answer(send, *refused)
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise HTTPException(413, self.limit_message)
            return message

        async def with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
            await send(message)

        try:
            await self.app(scope, counted, with_headers)
        except Exception:
            logger.exception("%s %s failed", scope["method"], scope.get("path"))
            if started:
                raise
            await self.answer(send, 500, "internal error: the request could not be answered")

    @property
    def limit_message(self) -> str:
        return f"request body too large (limit {self.max_body_bytes:,} bytes)"

    async def answer(self, send: Send, status: int, message: str) -> None:
        body = json.dumps(error_body(status, message)).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *SECURITY_HEADERS]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
