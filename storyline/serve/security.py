"""What a browser may do with the server's pages, and who may write to its store.

Every response carries `X-Content-Type-Options: nosniff`, frame protection (`X-Frame-Options: DENY`
and CSP `frame-ancestors 'none'`), `Referrer-Policy: same-origin` and a Content-Security-Policy:
pages allow only their own nonced scripts and styles (no inline handler, no `javascript:` URL runs),
JSON answers allow nothing. A server bound to loopback answers only to loopback host names, so a
DNS-rebound name cannot make a foreign page same-origin.

A write (`POST`) is refused, before any byte of its body is read, when the server is read-only
(bound off loopback without a token), when a token is set and the request does not carry it
(`Authorization: Bearer <token>`), and when it comes from a page of another origin (`Origin`, or
`Sec-Fetch-Site` of a browser). A multipart upload from a browser must also carry the upload form's
CSRF token; clients that are not browsers (no `Origin`, `Referer`, `Cookie` or `Sec-Fetch-*`) cannot
be driven by a foreign page and need none.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storyline.serve.answers import ApiError, error_response

CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
# JSON answers, error pages of the API: nothing to load, nothing to run, never framed.
API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
BROWSER_HEADERS = ("origin", "referer", "cookie", "sec-fetch-site", "sec-fetch-mode", "sec-fetch-dest")
LOOPBACK_NAMES = {"localhost"}


def page_policy(nonce: str) -> str:
    """The Content-Security-Policy of a page whose inline scripts and styles carry `nonce`."""
    return (f"default-src 'self'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; img-src 'self' data:; "
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def docs_policy(nonce: str) -> str:
    """The Content-Security-Policy of the API docs page (Swagger UI, served from this server): its
    nonced scripts, its own style sheet and the style attributes Swagger UI sets, its own images, and
    requests to this server only (the spec, "Try it out")."""
    return (f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'self' 'nonce-{nonce}'; "
            "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
            "frame-ancestors 'none'")


def is_loopback(host: str) -> bool:
    """Whether a host name or address names this machine only (127.0.0.0/8, ::1, localhost)."""
    host = host.strip("[]").lower()
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def origin_of(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an origin or URL, the port filled in for http and https; None when unreadable."""
    try:
        parts = urlsplit(url)
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower(), 0)
    except ValueError:
        return None
    if not parts.scheme or not parts.hostname:
        return None
    return parts.scheme.lower(), parts.hostname.lower(), port


class SecurityHeaders:
    """ASGI middleware: the security headers on every response (a CSP the response set itself is kept)."""

    def __init__(self, app: ASGIApp, loopback_only: bool = False):
        self.app, self.loopback_only = app, loopback_only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.loopback_only:
            host = dict(scope["headers"]).get(b"host", b"").decode("latin-1")
            name = host.rsplit(":", 1)[0] if not host.startswith("[") else host.split("]")[0] + "]"
            if not is_loopback(name):
                response = error_response(421, "misdirected", f"this server answers only to loopback names "
                                                              f"(127.0.0.1, localhost), not {host[:80]!r}")
                await response(scope, receive, self.send_with_headers(send))
                return
        await self.app(scope, receive, self.send_with_headers(send))

    @staticmethod
    def send_with_headers(send: Send) -> Send:
        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                for name, value in ((b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
                                    (b"referrer-policy", b"same-origin"),
                                    (b"content-security-policy", API_POLICY.encode("ascii"))):
                    if name not in present:
                        headers.append((name, value))
                message = {**message, "headers": headers}
            await send(message)
        return sending


@dataclass(frozen=True, slots=True)
class WritePolicy:
    """Who may write: the token writes need (None: none), whether writes are refused outright, and the
    upload form's CSRF token (new for each server process)."""

    token: str | None = None
    read_only: bool = False
    csrf_token: str = field(default_factory=lambda: secrets.token_urlsafe(32))

    def check_request(self, request: Request) -> None:
        """Refuse a write that may not happen, before its body is read."""
        if self.read_only:
            raise ApiError(403, "read-only", "this server is read-only: it listens off loopback without a token; "
                                             "restart it with --token or STORYLINE_TOKEN to accept uploads")
        if self.token is not None:
            scheme, _, given = request.headers.get("authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), self.token.encode()):
                raise ApiError(401, "unauthorized", "writes need the server's token: send "
                                                    "'Authorization: Bearer <token>'",
                               headers={"WWW-Authenticate": 'Bearer realm="storyline"'})
        origin = request.headers.get("origin")
        own = origin_of(f"{request.url.scheme}://{request.headers.get('host', '')}")
        if origin is not None and (origin_of(origin) is None or origin_of(origin) != own):
            raise ApiError(403, "cross-origin", f"writes from a page of another origin ({origin[:80]}) are refused")
        if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
            raise ApiError(403, "cross-origin", "writes from a page of another site are refused")

    def check_form(self, request: Request, sent_token: str | None) -> None:
        """Refuse a browser's multipart upload that does not carry the form's CSRF token."""
        if self.token is not None:  # the write token was checked: a foreign page cannot send it
            return
        if sent_token is None and not any(name in request.headers for name in BROWSER_HEADERS):
            return
        if sent_token is None or not hmac.compare_digest(sent_token.encode(), self.csrf_token.encode()):
            raise ApiError(403, "csrf", "the upload form's token is missing or stale: reload /add and send again")
