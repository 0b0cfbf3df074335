"""The web UI and the versioned JSON API (`storyline serve`).

Pages (server-rendered, Jinja2, a little JavaScript): `/` stories, `/stories/<id>` the brief with
click-through from every citation to its sentence, `/articles/<id>` one article (`#s<n>` anchors its
sentences), `/add` an upload form. API under `/api/v1`: every answer is `{"data": ...}` or
`{"error": {"code", "message"}}`; the OpenAPI spec is at `/api/v1/openapi.json`.
Article text is untrusted: templates autoescape everything, no article text ever reaches a script.
The web UI and the API call the same library functions as the CLI (`pipeline`, `store`, `render`).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from fastapi import FastAPI, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException

from storyline import contract, pipeline, render
from storyline.errors import StorylineError
from storyline.store import Store, open_store

API = "/api/v1"


@dataclass(frozen=True, slots=True)
class ServeConfig:
    """Limits of the server."""

    db: str = "storyline.db"
    # 10 MB per file and 50 files per upload: a news article is rarely over 2 MB.
    max_upload_bytes: int = 10_000_000
    max_upload_files: int = 50
    pipeline: pipeline.PipelineConfig = field(default_factory=pipeline.PipelineConfig)


class ApiError(Exception):
    """An error answered with the one error shape."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def error_response(status: int, code: str, message: str) -> JSONResponse:
    """The one error shape of the API."""
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


TEMPLATES = jinja2.Environment(loader=jinja2.PackageLoader("storyline", "templates"),
                               autoescape=jinja2.select_autoescape(["html", "j2"]),
                               trim_blocks=True, lstrip_blocks=True)


def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render one page template."""
    return HTMLResponse(TEMPLATES.get_template(name).render(**context), status_code=status)


def create_app(config: ServeConfig = ServeConfig()) -> FastAPI:
    """The ASGI application serving one store."""
    app = FastAPI(title="storyline", version="1", openapi_url=f"{API}/openapi.json", docs_url=f"{API}/docs",
                  redoc_url=None)

    def store() -> Store:
        try:
            return open_store(config.db)
        except StorylineError as exc:
            raise ApiError(503, "store-unavailable", str(exc)) from exc

    def wants_html(request: Request) -> bool:
        return not request.url.path.startswith(API)

    @app.exception_handler(ApiError)
    async def on_api_error(request: Request, exc: ApiError):
        if wants_html(request):
            return page("error.html.j2", exc.status, status=exc.status, message=exc.message)
        return error_response(exc.status, exc.code, exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, exc: StarletteHTTPException):
        code = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
        message = "no such page" if exc.status_code == 404 else str(exc.detail)
        if wants_html(request):
            return page("error.html.j2", exc.status_code, status=exc.status_code, message=message)
        return error_response(exc.status_code, code, message)

    @app.exception_handler(RequestValidationError)
    async def on_validation_error(request: Request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ()))
        return error_response(400, "bad-request", f"{where}: {first.get('msg', 'invalid request')}")

    @app.exception_handler(Exception)
    async def on_unexpected(request: Request, exc: Exception):
        return error_response(500, "internal", f"{type(exc).__name__}: the server could not answer")

    # ------------------------------------------------------------------ API

    @app.get(f"{API}/articles/{{article_id}}")
    def api_article(article_id: str):
        """One article with its sentences and removed blocks."""
        with store() as db:
            article = db.get_article(article_id)
        if article is None:
            raise ApiError(404, "not-found", f"no article {article_id}")
        return {"data": contract.article_json(article)}

    @app.get(f"{API}/articles")
    def api_articles(limit: int = 100, offset: int = 0):
        """Stored articles (without sentences), in arrival order."""
        if not (1 <= limit <= 1000) or offset < 0:
            raise ApiError(400, "bad-request", "limit must be 1..1000 and offset >= 0")
        with store() as db:
            items = [contract.article_json(a, full=False) for a in db.iter_articles()][offset:offset + limit]
        return {"data": items}

    @app.post(f"{API}/articles")
    async def api_add(request: Request):
        """Add articles: multipart files (field `files`), or a JSON article object / list of them."""
        content_type = request.headers.get("content-type", "")
        length = int(request.headers.get("content-length") or 0)
        if length > config.max_upload_bytes * config.max_upload_files:
            raise ApiError(413, "too-large", f"the request is over {config.max_upload_bytes * config.max_upload_files:,} bytes")
        workdir = Path(tempfile.mkdtemp(prefix="storyline-upload-"))
        try:
            inputs = await save_upload(request, content_type, workdir, config)
            with store() as db:
                report = pipeline.add(db, [str(p) for p in inputs], config.pipeline)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        skipped = [dict(contract.skip_json(s), input=Path(s.input.split("#")[0]).name + (
            "#" + s.input.split("#", 1)[1] if "#" in s.input else "")) for s in report.skipped]
        return JSONResponse({"data": {"added": report.added, "unchanged": report.unchanged,
                                      "duplicates": [{"article": a, "of": d.canonical, "relation": d.relation}
                                                     for a, d in report.duplicates],
                                      "skipped": skipped}},
                            status_code=201 if report.added else 200)

    # ------------------------------------------------------------------ pages

    @app.get("/articles/{article_id}", response_class=HTMLResponse)
    def article_page(article_id: str):
        with store() as db:
            article = db.get_article(article_id)
        if article is None:
            raise ApiError(404, "not-found", f"no article {article_id}")
        return page("article.html.j2", article=article)

    @app.get("/add", response_class=HTMLResponse)
    def add_page():
        return page("add.html.j2", max_bytes=config.max_upload_bytes, max_files=config.max_upload_files)

    @app.get("/healthz")
    def health():
        return {"data": {"ok": True}}

    return app


async def save_upload(request: Request, content_type: str, workdir: Path, config: ServeConfig) -> list[Path]:
    """Write an upload's files (or its JSON body) into `workdir`, enforcing the limits."""
    saved: list[Path] = []
    if content_type.startswith("multipart/form-data"):
        try:
            form = await request.form(max_files=config.max_upload_files, max_fields=20)
        except (MultiPartException, StarletteHTTPException) as exc:
            message = str(getattr(exc, "message", None) or getattr(exc, "detail", exc))
            if "too many files" in message.lower():
                raise ApiError(413, "too-many-files", f"at most {config.max_upload_files} files per upload") from exc
            raise ApiError(400, "bad-request", f"unreadable form: {message}") from exc
        files = [f for f in form.getlist("files") if isinstance(f, UploadFile) or hasattr(f, "read")]
        if not files:
            raise ApiError(400, "bad-request", "no file in the form field 'files'")
        if len(files) > config.max_upload_files:
            raise ApiError(413, "too-many-files", f"at most {config.max_upload_files} files per upload")
        for number, upload in enumerate(files):
            data = await upload.read(config.max_upload_bytes + 1)
            name = Path(upload.filename or f"upload-{number}").name or f"upload-{number}"
            if len(data) > config.max_upload_bytes:
                raise ApiError(413, "too-large", f"{name} is over {config.max_upload_bytes:,} bytes")
            path = workdir / f"{number:03d}-{name}"
            path.write_bytes(data)
            saved.append(path)
        return saved
    if "json" in content_type:
        body = await request.body()
        if len(body) > config.max_upload_bytes:
            raise ApiError(413, "too-large", f"the JSON body is over {config.max_upload_bytes:,} bytes")
        try:
            value = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ApiError(400, "bad-request", f"the body is not JSON: {exc}") from exc
        if isinstance(value, dict) and "articles" in value:
            value = value["articles"]
        items = value if isinstance(value, list) else [value]
        if len(items) > config.max_upload_files:
            raise ApiError(413, "too-many-files", f"at most {config.max_upload_files} articles per request")
        path = workdir / "articles.json"
        path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
        return [path]
    raise ApiError(415, "unsupported-media-type", "send multipart/form-data with 'files', or application/json")
