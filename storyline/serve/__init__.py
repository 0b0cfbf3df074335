"""The web UI and the versioned JSON API (`storyline serve`).

Pages (server-rendered, Jinja2, a little JavaScript): `/` stories, `/stories/<id>` the brief with
click-through from every citation to its sentence, `/articles/<id>` one article (`#s<n>` anchors its
sentences), `/add` an upload form. API under `/api/v1`: every answer is `{"data": ...}` or
`{"error": {"code", "message"}}`; the OpenAPI spec is at `/api/v1/openapi.json`.
Article text is untrusted: templates autoescape everything, no article text ever reaches a script.
The web UI and the API call the same library functions as the CLI (`pipeline`, `store`, `render`).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import shutil
import threading
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterator

import jinja2
from fastapi import FastAPI, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException

from storyline import contract, pipeline, render
from storyline.errors import StorylineError
from storyline.records import Article, Story
from storyline.store import Store, open_store

API = "/api/v1"
STORY_SCHEMA = "storyline/story/v1"


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
TEMPLATES.filters["shortened"] = render.shortened


def page(name: str, http_status: int = 200, **context: Any) -> HTMLResponse:
    """Render one page template."""
    return HTMLResponse(TEMPLATES.get_template(name).render(**context), status_code=http_status)


def create_app(config: ServeConfig = ServeConfig()) -> FastAPI:
    """The ASGI application serving one store."""
    app = FastAPI(title="storyline", version="1", openapi_url=f"{API}/openapi.json", docs_url=f"{API}/docs",
                  redoc_url=None)

    connections = threading.local()

    @contextlib.contextmanager
    def store() -> Iterator[Store]:
        """The store of this worker thread: one connection per thread, opened on first use."""
        db = getattr(connections, "store", None)
        if db is None:
            try:
                db = connections.store = open_store(config.db)
            except StorylineError as exc:
                raise ApiError(503, "store-unavailable", str(exc)) from exc
        yield db

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

    @app.get(f"{API}/stories")
    def api_stories(since: str | None = None, until: str | None = None, outlet: str | None = None,
                    entity: str | None = None, sort: str = "recent", limit: int = 100, offset: int = 0):
        """Stories, filtered by time span (ISO dates), outlet, entity (a name or any spelling of it), sorted."""
        query = StoryQuery.checked(since, until, outlet, entity, sort, limit, offset)
        with store() as db:
            rows, total = list_stories(db, query)
        return {"data": rows, "total": total}

    @app.get(f"{API}/stories/{{story_id}}")
    def api_story(story_id: str):
        """One story (by id or unique id prefix): its articles (without sentences), outlets, time span, brief
        versions, merge history."""
        with store() as db:
            return {"data": story_detail(db, story_id)}

    @app.get(f"{API}/stories/{{story_id}}/brief")
    def api_brief(story_id: str, version: int | None = None):
        """The story's brief as the contract's JSON (the newest version unless `version` is given)."""
        with store() as db:
            content = stored_brief(db, story_id, version, config.pipeline)
        return Response(json.dumps({"data": content}, ensure_ascii=False), media_type="application/json")

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
        """Stored articles (without sentences), in arrival order; `total` gives the count before paging."""
        if not (1 <= limit <= 1000) or offset < 0:
            raise ApiError(400, "bad-request", "limit must be 1..1000 and offset >= 0")
        with store() as db:
            total = db.article_count()
            items = [contract.article_json(a, full=False)
                     for a in itertools.islice(db.iter_articles(), offset, offset + limit)]
        return {"data": items, "total": total}

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
        touched = sorted({change.story for change in report.story_changes})
        with store() as db:
            stories = [{"id": story.id, "label": story.label, "size": len(story.articles)}
                       for story in (db.get_story(story_id) for story_id in touched) if story is not None]
        return JSONResponse({"data": {"added": report.added, "unchanged": report.unchanged, "stories": stories,
                                      "duplicates": [{"article": a, "of": d.canonical, "relation": d.relation}
                                                     for a, d in report.duplicates],
                                      "skipped": skipped}},
                            status_code=201 if report.added else 200)

    # ------------------------------------------------------------------ pages

    @app.get("/", response_class=HTMLResponse)
    def stories_page(since: str | None = None, until: str | None = None, outlet: str | None = None,
                     entity: str | None = None, sort: str = "recent"):
        query = StoryQuery.checked(since or None, until or None, outlet or None, entity or None, sort, 500, 0)
        with store() as db:
            rows, total = list_stories(db, query)
        return page("stories.html.j2", stories=rows, filters=query, total=total)

    @app.get("/stories/{story_id}", response_class=HTMLResponse)
    def story_page(story_id: str, version: int | None = None):
        with store() as db:
            data = stored_brief(db, story_id, version, config.pipeline)
            brief = contract.brief_from_json(data)
            articles = {a.id: a for a in db.get_articles([s.article for s in brief.sources])}
            versions = db.brief_versions(brief.story)
            previous = db.brief_version(brief.story, brief.version - 1) if brief.version > 1 else None
        new = render.new_since(brief, contract.brief_from_json(previous) if previous else None)
        body = render.to_html(brief, articles, standalone=False, article_url="/articles/{article}#s{n}", new=new)
        return page("story.html.j2", brief=brief, body=body, versions=versions)

    @app.get("/stories/{story_id}/sources", response_class=HTMLResponse)
    def sources_page(story_id: str):
        with store() as db:
            brief = contract.brief_from_json(stored_brief(db, story_id, None, config.pipeline))
            articles = db.get_articles([s.article for s in brief.sources])
        roles: dict[str, str] = {}
        for kind, items in (("single", brief.single_source), ("agreed", brief.agreed),
                            ("conflict", [c for conflict in brief.conflicts for c in conflict.claims])):
            for item in items:
                for cite in item.cites:
                    roles[cite] = kind
        by_id = {a.id: a for a in articles}
        columns = [(source, by_id[source.article]) for source in brief.sources if source.article in by_id]
        return page("sources.html.j2", brief=brief, columns=columns, roles=roles)

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


@dataclass(frozen=True, slots=True)
class StoryQuery:
    """Filters and order of a story listing."""

    since: str | None = None
    until: str | None = None
    outlet: str | None = None
    entity: str | None = None
    sort: str = "recent"
    limit: int = 100
    offset: int = 0

    @classmethod
    def checked(cls, since, until, outlet, entity, sort, limit, offset) -> "StoryQuery":
        """A query from request parameters, or a 400 naming the bad one."""
        for name, value in (("since", since), ("until", until)):
            if value is not None:
                try:
                    date.fromisoformat(value[:10])
                except ValueError:
                    raise ApiError(400, "bad-request", f"{name} must be an ISO date (YYYY-MM-DD), not {value!r}")
        if sort not in SORT_KEYS:
            raise ApiError(400, "bad-request", f"sort must be one of {', '.join(SORT_KEYS)}, not {sort!r}")
        if not (1 <= limit <= 1000) or offset < 0:
            raise ApiError(400, "bad-request", "limit must be 1..1000 and offset >= 0")
        return cls(since, until, (outlet or "").strip().lower() or None, (entity or "").strip().lower() or None,
                   sort, limit, offset)


def story_row(db: Store, story: Story) -> dict[str, Any]:
    """A story as listed: the contract's fields plus size, outlets and entity names of its newest brief,
    and whether each end of its time span was inferred."""
    articles = db.get_articles(list(story.articles))
    domains = sorted({a.outlet.domain for a in articles if a.outlet.domain})
    brief = db.latest_brief(story.id) or {}
    return {"schema": STORY_SCHEMA, "id": story.id, "label": story.label, "articles": list(story.articles),
            "first_seen": story.first_seen, "last_seen": story.last_seen, "size": len(story.articles),
            "first_seen_inferred": date_inferred(articles, story.first_seen),
            "last_seen_inferred": date_inferred(articles, story.last_seen),
            "outlets": list(story.outlets), "domains": domains, "entities": entity_names(brief),
            "brief_version": brief.get("version")}


def date_inferred(articles: list[Article], day: str | None) -> bool:
    """Whether a date of a story's span rests only on publication dates inferred from article text.

    A story's span is made of its articles' publication dates, so the date is inferred when every
    article published that day has its date inferred.
    """
    dated = [a.published.inferred for a in articles if day and a.published.value == day]
    return bool(dated) and all(dated)


def entity_names(brief: dict[str, Any]) -> list[dict[str, Any]]:
    """The entities of a brief JSON: each name with its spellings."""
    return [{"name": e["name"], "forms": [f["text"] for f in e.get("forms", ())]} for e in brief.get("entities", ())]


SORT_KEYS = {"recent": lambda s: (s.last_seen or "", len(s.articles)),
             "size": lambda s: (len(s.articles), s.last_seen or ""),
             "first_seen": lambda s: (s.first_seen or "", len(s.articles)),
             "label": lambda s: s.label.lower()}


def matches(db: Store, story: Story, query: StoryQuery) -> bool:
    """Whether a story passes the query's filters (a story overlapping the time span passes).

    The entity filter reads the story's newest brief, so it runs last, on the stories left.
    """
    if query.since and (story.last_seen or story.first_seen or "")[:10] < query.since[:10]:
        return False
    if query.until and (story.first_seen or story.last_seen or "9999")[:10] > query.until[:10]:
        return False
    if query.outlet and not any(query.outlet in outlet.lower() for outlet in story.outlets):
        return False
    if query.entity:
        names = [n.lower() for e in entity_names(db.latest_brief(story.id) or {}) for n in [e["name"], *e["forms"]]]
        if not any(query.entity in name for name in names + [story.label.lower()]):
            return False
    return True


def list_stories(db: Store, query: StoryQuery) -> tuple[list[dict[str, Any]], int]:
    """The page of live stories passing the query, in its order, and how many pass in all.

    Filtering and ordering read the story records alone; only the page's stories load their articles.
    """
    passing = [story for story in db.stories() if matches(db, story, query)]
    passing.sort(key=SORT_KEYS[query.sort], reverse=query.sort != "label")
    page = passing[query.offset:query.offset + query.limit]
    return [story_row(db, story) for story in page], len(passing)


MAX_CANDIDATES_SHOWN = 20  # of the stories an ambiguous id prefix matches, in the 409 message


def find_story(db: Store, story_id: str) -> Story:
    """A live story by id or unique id prefix, as the CLI takes them (a merged story's id gives the story
    it went into); a 404 when nothing matches, a 409 naming the candidates when several stories do."""
    story = db.get_story(story_id)
    if story is not None:
        return story
    candidates = db.story_ids_starting(story_id)
    if len(candidates) == 1:
        return db.get_story(candidates[0])
    if not candidates:
        raise ApiError(404, "not-found", f"no story {story_id}")
    shown = ", ".join(candidates[:MAX_CANDIDATES_SHOWN])
    if len(candidates) > MAX_CANDIDATES_SHOWN:
        shown += f" and {len(candidates) - MAX_CANDIDATES_SHOWN} more"
    raise ApiError(409, "ambiguous-id", f"story id prefix {story_id} matches {len(candidates)} stories: {shown}; "
                                        "give more of the id")


def story_detail(db: Store, story_id: str) -> dict[str, Any]:
    """One story for the API."""
    story = find_story(db, story_id)
    row = story_row(db, story)
    row["articles"] = [contract.article_json(a, full=False) for a in db.get_articles(list(story.articles))]
    row["brief_versions"] = [{"version": v, "created": c} for v, c in db.brief_versions(story.id)]
    row["history"] = db.story_history(story.id)
    return row


def stored_brief(db: Store, story_id: str, version: int | None,
                 config: pipeline.PipelineConfig = pipeline.PipelineConfig()) -> dict[str, Any]:
    """A story's brief JSON: a stored version, or the current one (briefed now when the story changed)."""
    story = find_story(db, story_id)
    if version is None:
        return pipeline.current_brief_json(db, story, config)
    brief = db.brief_version(story.id, version)
    if brief is None:
        raise ApiError(404, "not-found", f"story {story.id} has no version {version} of its brief")
    return brief
