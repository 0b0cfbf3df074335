"""A real HTTP server on loopback for the watcher's tests: routes that answer what a test says, a log
of every request it got. Only 127.0.0.1 is ever served or fetched."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable


@dataclass
class Reply:
    """What a route answers."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (a slow server)


@dataclass(frozen=True)
class Hit:
    """One request the server got."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float
    port: int = 0  # the client's port: requests on one kept-alive connection share it


class Site:
    """A loopback HTTP server: `site.routes[path] = Reply(...)` or a function of the Hit returning one."""

    def __init__(self):
        self.routes: dict[str, Reply | Callable[[Hit], Reply]] = {}
        self.hits: list[Hit] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms wait for a delayed ACK

            def log_message(self, *args) -> None:
                pass

            def answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                hit = Hit(self.command, self.path, {k.lower(): v for k, v in self.headers.items()},
                          self.rfile.read(length) if length else b"", time.monotonic(), self.client_address[1])
                site.hits.append(hit)
                route = site.routes.get(self.path)
                reply = route(hit) if callable(route) else route
                if reply is None:
                    reply = Reply(404, b"not here")
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    if reply.status != 304:
                        self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_POST = answer

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address) -> None:
                pass  # a client that hung up (a timeout, a killed watcher) is part of the tests

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        """http://127.0.0.1:PORT"""
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> "Site":
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.server.shutdown()
        self.server.server_close()

    def paths(self, method: str = "GET") -> list[str]:
        """The paths requested, in order."""
        return [hit.path for hit in self.hits if hit.method == method]


def conditional(body: bytes, content_type: str, etag: str) -> Callable[[Hit], Reply]:
    """A route with an ETag and a Last-Modified that answers 304 to a request carrying a matching validator:
    its ETag, or, when the request sends no ETag, its Last-Modified (RFC 9110 13.1.3: If-None-Match
    takes precedence, so a changed body with another ETag is sent whole even within the same second)."""
    modified = formatdate(usegmt=True)

    def route(hit: Hit) -> Reply:
        sent_etag = hit.headers.get("if-none-match")
        if sent_etag == etag or (sent_etag is None and hit.headers.get("if-modified-since") == modified):
            return Reply(304, headers={"ETag": etag})
        return Reply(200, body, {"Content-Type": content_type, "ETag": etag, "Last-Modified": modified})

    return route


def rss(items: list[dict], title: str = "Loopback News") -> bytes:
    """An RSS 2.0 feed of items ({link, title, text or summary, published: YYYY-MM-DD})."""
    from xml.sax.saxutils import escape

    entries = []
    for item in items:
        year, month, day = (int(x) for x in item["published"].split("-"))
        date = formatdate(time.mktime((year, month, day, 12, 0, 0, 0, 0, 0)), usegmt=True)
        body = item.get("text") or item.get("summary", "")
        content = (f"<content:encoded>{escape(body)}</content:encoded>" if item.get("text")
                   else f"<description>{escape(body)}</description>")
        entries.append(f"<item><title>{escape(item['title'])}</title><link>{escape(item['link'])}</link>"
                       f"<guid>{escape(item['link'])}</guid><pubDate>{date}</pubDate>{content}</item>")
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
            f'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>{escape(title)}</title>'
            f"<link>http://127.0.0.1/</link><description>loopback</description>{''.join(entries)}</channel></rss>"
            ).encode("utf-8")
