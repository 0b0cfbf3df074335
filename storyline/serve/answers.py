"""The one error shape of the API: `{"error": {"code", "message"}}`, and the exception that carries it."""

from __future__ import annotations

import logging
from typing import Mapping

from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOG = logging.getLogger("storyline.serve")


class ApiError(Exception):
    """An error answered with the one error shape (and, for pages, the error page).

    Args:
        status: the HTTP status.
        code: a short stable word for clients (`not-found`, `too-large`, `cross-origin`, ...).
        message: what failed and what to try next, for a person.
        headers: extra response headers (`Allow`, `WWW-Authenticate`, `Retry-After`).
    """

    def __init__(self, status: int, code: str, message: str, headers: Mapping[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers = dict(headers or {})


def error_response(status: int, code: str, message: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    """The one error shape of the API."""
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=dict(headers or {}))


class CatchAll:
    """ASGI middleware: an unexpected exception answered as a 500 in the error shape, logged with its
    traceback, and the connection kept (Starlette's own handler re-raises, and the server then drops it)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as exc:
            LOG.exception("%s %s failed", scope.get("method"), scope.get("path"))
            if started:
                raise
            response = error_response(500, "internal", f"{type(exc).__name__}: the server could not answer")
            await response(scope, receive, send)
