"""Issue 15: fetching stays off private networks and within its deadline (servers on 127.0.0.1)."""

from __future__ import annotations

import time

import pytest

from storyline.errors import IngestError
from storyline.ingest import IngestOptions, read
from storyline.ingest.fetch import fetch_bytes, http_client, is_public_address
from tests.local_server import LocalServer, QuietHandler

PAGE = (
    b"<html><head><title>Internal only</title></head><body><article>"
    + b"<p>This page lives on a loopback port and must never be stored as an article by default.</p>" * 5
    + b"</article></body></html>"
)


class Server(LocalServer):
    """/page answers at once; /redirect sends to /page; /trickle sends its body a byte every 0.2 s;
    /slow-headers sends its status line a byte every 0.2 s."""

    def __init__(self):
        server = self
        self.hits: list[str] = []

        class Handler(QuietHandler):
            def do_GET(self):
                server.hits.append(self.path)
                try:
                    if self.path == "/page":
                        self.reply(PAGE)
                    elif self.path == "/redirect":
                        self.send_response(302)
                        self.send_header("Location", f"{server.base}/page")
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                    elif self.path == "/trickle":
                        self.send_response(200)
                        self.send_header("Content-Type", "text/html")
                        self.send_header("Content-Length", "100")
                        self.end_headers()
                        for _ in range(100):
                            self.wfile.write(b"x")
                            self.wfile.flush()
                            time.sleep(0.2)
                    elif self.path == "/slow-headers":
                        for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok":
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            time.sleep(0.2)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def reply(self, body: bytes):
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        super().__init__(Handler)


@pytest.fixture
def server():
    running = Server()
    yield running
    running.close()


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "127.1.2.3", "10.0.0.5", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
     "224.0.0.1", "239.255.255.250", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "ff02::1"],
)
def test_non_public_addresses(address):
    assert not is_public_address(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"])
def test_public_addresses(address):
    assert is_public_address(address)


@pytest.mark.parametrize("path", ["/page", "/redirect"])
def test_loopback_is_refused_by_default_and_allowed_on_request(server, path):
    with http_client(2.0) as client:
        with pytest.raises(IngestError, match=r"refused: 127\.0\.0\.1 is not a public address"):
            fetch_bytes(client, server.base + path, 1_000_000)
        assert server.hits == []  # refused on connecting: no request was sent
        response, body = fetch_bytes(client, server.base + path, 1_000_000, allow_private=True)
    assert response.status_code == 200 and body == PAGE


def test_a_name_that_resolves_to_loopback_is_refused(server):
    with http_client(2.0) as client, pytest.raises(IngestError, match="is not a public address"):
        fetch_bytes(client, f"http://localhost:{server.port}/page", 1_000_000)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/feed", "gopher://x/"])
def test_only_http_is_fetched(url):
    with http_client(2.0) as client, pytest.raises(IngestError, match="not an http"):
        fetch_bytes(client, url, 1_000_000)


@pytest.mark.parametrize("path", ["/trickle", "/slow-headers"])
def test_a_trickling_server_is_cut_off_at_the_deadline(server, path):
    started = time.monotonic()
    with http_client(1.0) as client, pytest.raises(IngestError, match=r"timed out after 1 s"):
        fetch_bytes(client, server.base + path, 1_000_000, allow_private=True)
    assert time.monotonic() - started < 3.5  # the deadline plus room for a loaded machine; the answer takes 8-20 s


def test_feed_links_to_loopback_are_not_fetched_by_default(tmp_path, server):
    feed = tmp_path / "links.rss"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        f"<item><title>Inside</title><link>{server.base}/redirect</link><description>Only a summary.</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    [article] = read([feed], IngestOptions(fetch=True))
    assert article.text == "Only a summary." and article.extra["fetch_error"].startswith("refused: 127.0.0.1")
    assert server.hits == []
    [fetched] = read([feed], IngestOptions(fetch=True, allow_private_addresses=True))
    assert "loopback port" in fetched.text and fetched.extra == {"fetched": True}
