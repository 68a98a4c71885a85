"""Fetching over HTTP for feeds and their linked pages: bounded and kept off private networks.

- Only http(s) URLs are fetched.
- By default a connection is refused unless the address it reached is public: loopback,
  private, link-local, multicast and other non-global addresses are refused, whether named
  by the URL, by a redirect or by what a host name resolves to (the check is on the address
  actually connected to, so DNS rebinding cannot slip past it). `allow_private=True`
  (`--allow-private-addresses`) lifts this, e.g. for a feed server on the local network.
- Each fetch has one overall deadline (the client's timeout): a server that trickles its
  answer byte by byte is cut off when the deadline passes, not only when a single read
  stalls; the body is bounded by `max_bytes`.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time

import httpx

from .. import __version__
from ..errors import IngestError

USER_AGENT = f"storyline/{__version__} (news-event engine; feed reader)"
FETCH_TIMEOUT_SECONDS = 15.0


def http_client(timeout: float = FETCH_TIMEOUT_SECONDS) -> httpx.Client:
    """The HTTP client storyline fetches with: a User-Agent naming storyline, timeouts, redirects.

    Connections are not kept alive between requests, so every request makes (and checks) its
    own connection."""
    return httpx.Client(
        headers={"User-Agent": USER_AGENT},
        timeout=timeout,
        follow_redirects=True,
        limits=httpx.Limits(max_keepalive_connections=0),
    )


def is_public_address(address: str) -> bool:
    """Whether an IP address is on the public internet (not loopback, private, link-local, ...)."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def is_http_url(url: str) -> bool:
    return url.lower().startswith(("http://", "https://"))


class _Guard:
    """Watches one fetch's connections: refuses non-public peers and cuts every connection
    when the deadline passes."""

    def __init__(self, url: str, deadline: float, allow_private: bool):
        self.url, self.deadline, self.allow_private = url, deadline, allow_private
        self.sockets: list[socket.socket] = []
        self.expired = False
        self.lock = threading.Lock()
        self.timer = threading.Timer(deadline, self.expire)
        self.timer.daemon = True

    def trace(self, event: str, info: dict) -> None:
        # httpcore reports each new connection; a redirect to another host makes a new one
        if event != "connection.connect_tcp.complete":
            return
        sock = info["return_value"].get_extra_info("socket")
        with self.lock:
            self.sockets.append(sock)
            if self.expired:
                self._cut(sock)
        if not self.allow_private:
            peer = sock.getpeername()[0]
            if not is_public_address(peer):
                self._cut(sock)
                raise IngestError(self.url, f"refused: {peer} is not a public address (--allow-private-addresses allows it)")

    def expire(self) -> None:
        with self.lock:
            self.expired = True
            for sock in self.sockets:
                self._cut(sock)

    @staticmethod
    def _cut(sock: socket.socket) -> None:
        try:
            sock.shutdown(socket.SHUT_RDWR)  # wakes a read blocked in another thread
        except OSError:
            pass


def fetch_bytes(
    client: httpx.Client,
    url: str,
    max_bytes: int,
    headers: dict[str, str] | None = None,
    *,
    allow_private: bool = False,
) -> tuple[httpx.Response, bytes]:
    """GET `url`; the response and its body (empty unless 2xx), or IngestError(url, reason)."""
    if not is_http_url(url):
        raise IngestError(url, "not an http(s) URL")
    deadline = client.timeout.read or client.timeout.connect or FETCH_TIMEOUT_SECONDS
    guard = _Guard(url, deadline, allow_private)
    started = time.monotonic()
    guard.timer.start()
    try:
        with client.stream("GET", url, headers=headers, extensions={"trace": guard.trace}) as response:
            if not response.is_success:
                return response, b""
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > max_bytes:
                    raise IngestError(url, f"response larger than the limit ({max_bytes / 1e6:.0f} MB)")
                if time.monotonic() - started > deadline:
                    guard.expire()
            if guard.expired:
                raise httpx.ReadTimeout("deadline passed")
            return response, bytes(body)
    except (httpx.HTTPError, httpx.InvalidURL) as error:
        raise _fetch_error(url, error, guard) from None
    finally:
        guard.timer.cancel()


def _fetch_error(url: str, error: Exception, guard: _Guard) -> IngestError:
    if guard.expired or isinstance(error, httpx.TimeoutException):
        return IngestError(url, f"timed out after {guard.deadline:g} s")
    if isinstance(error, httpx.ConnectError):
        return IngestError(url, f"cannot connect ({error or 'connection failed'})")
    if isinstance(error, (httpx.InvalidURL, httpx.UnsupportedProtocol)):
        return IngestError(url, f"invalid URL ({error})")
    if isinstance(error, httpx.TooManyRedirects):
        return IngestError(url, "too many redirects")
    return IngestError(url, f"HTTP failure ({type(error).__name__}: {error})")
