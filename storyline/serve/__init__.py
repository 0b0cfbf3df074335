"""The web UI and the versioned JSON API (`storyline serve`).

Pages (server-rendered, Jinja2, a little JavaScript): `/` stories, `/stories/<id>` the brief with
click-through from every citation to its sentence, `/articles/<id>` one article (`#s<n>` anchors its
sentences), `/add` an upload form. API under `/api/v1`: every answer is `{"data": ...}` or
`{"error": {"code", "message"}}`; the OpenAPI spec is at `/api/v1/openapi.json`.
Article text is untrusted: templates autoescape everything, no article text ever reaches a script,
only http(s) URLs become links, and every page sends a Content-Security-Policy (`security`).
An upload is read off the wire under its limits (`uploads`) and added by a worker thread while the
server goes on answering (`jobs`): `POST /api/v1/articles` answers 202 with a job to poll.
The web UI and the API call the same library functions as the CLI (`pipeline`, `store`, `render`).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import secrets
import shutil
import socket
import tempfile
import threading
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Callable, Iterator, Literal

import jinja2
import orjson
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.staticfiles import StaticFiles

from storyline import contract, feeds, pipeline, render
from storyline.errors import StorylineError
from storyline.records import Story
from storyline.serve import spec
from storyline.serve.answers import ApiError, CatchAll, error_response
from storyline.serve.jobs import JobQueue
from storyline.serve.security import (CSRF_FIELD, CSRF_HEADER, SecurityHeaders, WritePolicy, docs_policy,
                                      page_policy)
from storyline.serve.uploads import UploadLimits, media_type, save_json, save_multipart
from storyline.store import Store, open_store
from storyline.store.stories import STORY_ORDERS

API = "/api/v1"
DOCS_ASSETS = f"{API}/docs/assets"
STORY_SCHEMA = "storyline/story/v1"


@dataclass(frozen=True, slots=True)
class ServeConfig:
    """What the server serves, its limits, and who may write."""

    db: str = "storyline.db"
    uploads: UploadLimits = field(default_factory=UploadLimits)
    # Writes need `Authorization: Bearer <token>` when a token is set; a read-only server refuses them all.
    token: str | None = None
    read_only: bool = False
    # A server bound to loopback answers only to loopback host names (no DNS rebinding).
    loopback_only: bool = True
    # Uploads waiting or running at once; past that a 503 asks the client to retry.
    max_queued_jobs: int = 8
    pipeline: pipeline.PipelineConfig = field(default_factory=pipeline.PipelineConfig)
    # Sources a watcher polls inside the server (`serve --watch`), and how.
    watch: tuple[Any, ...] = ()
    watch_config: Any = None


TEMPLATES = jinja2.Environment(loader=jinja2.PackageLoader("storyline", "templates"),
                               autoescape=jinja2.select_autoescape(["html", "j2"]),
                               trim_blocks=True, lstrip_blocks=True)
TEMPLATES.filters["shortened"] = render.shortened

# A URL becomes a link only with one of these schemes, written exactly so: no leading space or control
# character, no other case or entity trick can turn it into `javascript:` or `data:` in a browser.
LINKABLE_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f]+\Z", re.IGNORECASE)


def link_url(url: str | None) -> str | None:
    """The URL when it is safe to follow as a link (http or https), else None: it is shown as text."""
    return url if url and LINKABLE_URL.match(url) else None


TEMPLATES.filters["link_url"] = link_url


def page(name: str, http_status: int = 200, headers: dict[str, str] | None = None, **context: Any) -> HTMLResponse:
    """Render one page template, with a fresh CSP nonce for its inline script and style."""
    nonce = secrets.token_urlsafe(16)
    body = TEMPLATES.get_template(name).render(nonce=nonce, **context)
    return HTMLResponse(body, status_code=http_status,
                        headers={**(headers or {}), "Content-Security-Policy": page_policy(nonce)})


# Paging parameters of the listings (module level: FastAPI reads the annotations by name).
Limit = Annotated[int, Query(ge=1, le=1000, description="At most this many items (1..1000).")]
# 2**53 - 1: the largest integer every JSON client reads exactly, and far below what paging can reach.
Offset = Annotated[int, Query(ge=0, le=2 ** 53 - 1, description="Skip this many items first.")]
IsoDate = Annotated[str | None, Query(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", json_schema_extra={"format": "date"},
                                      description="An ISO date, YYYY-MM-DD.")]


def allowed_methods(app: FastAPI, scope: dict[str, Any]) -> list[str]:
    """The methods some route takes at the scope's path (for the `Allow` header of a 405)."""
    methods: set[str] = set()
    for route in app.router.routes:
        match, _ = route.matches(scope)
        if match != Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods)


def create_app(config: ServeConfig = ServeConfig()) -> FastAPI:
    """The ASGI application serving one store."""
    jobs = JobQueue(max_queued=config.max_queued_jobs)
    policy = WritePolicy(token=config.token, read_only=config.read_only)
    warm = threading.Event()

    def warm_up() -> None:
        try:
            pipeline.warm_up()
        except StorylineError:  # no model: the first brief says so
            return
        warm.set()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        # The first brief made on demand would load the NLP models and tables first (some 25 of its 51 s
        # at load 7): load them now, beside the requests, so a reader's first click does not wait for them.
        threading.Thread(target=warm_up, name="storyline-warm-up", daemon=True).start()
        watching = start_watcher(config) if config.watch else None
        yield
        if watching is not None:
            watching[0].set()
            watching[1].join(timeout=30)
        jobs.shutdown()

    app = FastAPI(title="storyline", version="1", openapi_url=f"{API}/openapi.json", docs_url=None,
                  redoc_url=None, lifespan=lifespan)
    app.add_middleware(CatchAll)
    app.add_middleware(SecurityHeaders, loopback_only=config.loopback_only)

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
            return page("error.html.j2", exc.status, exc.headers, status=exc.status, message=exc.message)
        return error_response(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, exc: StarletteHTTPException):
        code = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
        message = "no such page" if exc.status_code == 404 else str(exc.detail)
        headers = dict(exc.headers or {})
        if exc.status_code == 405:  # every method of every route at this path, not only the first route's
            headers["Allow"] = ", ".join(allowed_methods(app, request.scope))
            message = f"{request.method} is not allowed here; allowed: {headers['Allow']}"
        if wants_html(request):
            return page("error.html.j2", exc.status_code, headers, status=exc.status_code, message=message)
        return error_response(exc.status_code, code, message, headers)

    @app.exception_handler(RequestValidationError)
    async def on_validation_error(request: Request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ()))
        message = f"{where}: {first.get('msg', 'invalid request')}"
        if wants_html(request):
            return page("error.html.j2", 400, status=400, message=message)
        return error_response(400, "bad-request", message)

    # ------------------------------------------------------------------ API

    @app.get(f"{API}/stories", responses=spec.responses(400))
    def api_stories(since: IsoDate = None, until: IsoDate = None, outlet: str | None = None, entity: str | None = None,
                    sort: Literal["recent", "updated", "size", "first_seen", "label"] = "recent",
                    limit: Limit = 100, offset: Offset = 0):
        """Stories, filtered by time span (ISO dates: a story overlapping it passes), outlet, entity (a name or
        any spelling of it), sorted."""
        query = StoryQuery.checked(since, until, outlet, entity, sort, limit, offset)
        with store() as db:
            rows, total = list_stories(db, query)
        # orjson: FastAPI's encoder took as long as the listing itself, json.dumps a third of it.
        return Response(orjson.dumps({"data": rows, "total": total}), media_type="application/json")

    @app.get(f"{API}/stories/{{story_id}}", responses=spec.responses(404, 409))
    def api_story(story_id: str):
        """One story (by id or unique id prefix): its articles (without sentences), outlets, time span, brief
        versions, merge history."""
        with store() as db:
            return {"data": story_detail(db, story_id)}

    @app.get(f"{API}/stories/{{story_id}}/brief", responses=spec.responses(400, 404, 409))
    def api_brief(story_id: str, version: int | None = None):
        """The story's brief as the contract's JSON (the newest version unless `version` is given)."""
        with store() as db:
            content = stored_brief(db, story_id, version, config.pipeline)
        return Response(json.dumps({"data": content}, ensure_ascii=False), media_type="application/json")

    @app.get(f"{API}/articles/{{article_id}}", responses=spec.responses(404))
    def api_article(article_id: str):
        """One article with its sentences and removed blocks."""
        with store() as db:
            article = db.get_article(article_id)
            versions = db.versions_of(article.id) if article is not None else []
        if article is None:
            raise ApiError(404, "not-found", f"no article {article_id}")
        return {"data": contract.article_json(article, versions=versions)}

    @app.get(f"{API}/articles", responses=spec.responses(400))
    def api_articles(limit: Limit = 100, offset: Offset = 0):
        """Stored articles (without sentences), in arrival order; `total` gives the count before paging."""
        with store() as db:
            total = db.article_count()
            items = [contract.article_json(a, full=False)
                     for a in itertools.islice(db.iter_articles(), offset, offset + limit)]
        return {"data": items, "total": total}

    def add_inputs(inputs: list[str], on_progress) -> dict[str, Any]:
        """The work of an upload's job (in the worker thread): add its inputs, say what happened."""
        def progress(done: pipeline.Progress) -> None:
            on_progress(replace(done, last_input=upload_name(done.last_input)))

        with store() as db:
            report = pipeline.add(db, inputs, config.pipeline, on_progress=progress)
            return add_result(db, report)

    @app.post(f"{API}/articles", status_code=202, openapi_extra=spec.upload_operation(config.uploads),
              responses=spec.responses(400, 401, 403, 413, 415, 429, 503))
    async def api_add(request: Request):
        """Add articles: multipart files (field `files`), or a JSON article object / list of them.

        The upload is saved, then added by a job: the answer (202) is the job; poll `GET /api/v1/jobs/<id>`
        until its status is `done` (its `result` says what was added) or `failed`."""
        policy.check_request(request)
        kind = media_type(request.headers.get("content-type", ""))
        if kind not in ("multipart/form-data", "application/json"):
            raise ApiError(415, "unsupported-media-type", "send multipart/form-data with 'files', or "
                                                          "application/json (JSON under any other type is refused)")
        header_token = request.headers.get(CSRF_HEADER)
        if kind == "multipart/form-data" and header_token is not None:
            policy.check_form(request, header_token)
        if jobs.waiting() >= config.max_queued_jobs:
            raise ApiError(429, "busy", "too many uploads are waiting; try again in a minute",
                           headers={"Retry-After": "30"})
        workdir = Path(tempfile.mkdtemp(prefix="storyline-upload-"))
        try:
            if kind == "multipart/form-data":
                upload = await save_multipart(request, workdir, config.uploads)
                if header_token is None:
                    policy.check_form(request, upload.field(CSRF_FIELD))
            else:
                upload = await save_json(request, workdir, config.uploads)
            job = jobs.submit(list(upload.inputs), workdir, add_inputs)
        except BaseException:
            shutil.rmtree(workdir, ignore_errors=True)
            raise
        if job is None:
            shutil.rmtree(workdir, ignore_errors=True)
            raise ApiError(429, "busy", "too many uploads are waiting; try again in a minute",
                           headers={"Retry-After": "30"})
        return JSONResponse({"data": job.to_json()}, status_code=202, headers={"Location": f"{API}/jobs/{job.id}"})

    @app.get(f"{API}/jobs/{{job_id}}", responses=spec.responses(404))
    def api_job(job_id: str):
        """An upload's job: `queued`, `running` (with progress), `done` (with its result) or `failed` (with the
        error). Jobs live in the server's memory: a restarted server has forgotten them."""
        job = jobs.get(job_id)
        if job is None:
            raise ApiError(404, "not-found", f"no job {job_id} (jobs are forgotten when the server restarts)")
        return {"data": job.to_json()}

    spec.install(app, config.uploads)

    # The docs page is Swagger UI from the assets the pinned fastapi-offline package ships: it loads
    # nothing from another host, so it works offline; its scripts run by the page's nonce.
    app.mount(DOCS_ASSETS, StaticFiles(packages=[("fastapi_offline", "static")]), name="docs-assets")
    docs = get_swagger_ui_html(openapi_url=f"{API}/openapi.json", title="storyline API",
                               swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
                               swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
                               swagger_favicon_url=f"{DOCS_ASSETS}/favicon.png",
                               swagger_ui_parameters={"validatorUrl": None}).body.decode("utf-8")

    @app.get(f"{API}/docs", include_in_schema=False)
    def api_docs():
        nonce = secrets.token_urlsafe(16)
        return HTMLResponse(docs.replace("<script", f'<script nonce="{nonce}"'),
                            headers={"Content-Security-Policy": docs_policy(nonce)})

    # ------------------------------------------------------------------ pages

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(since: str | None = None, until: str | None = None, outlet: str | None = None,
                     entity: str | None = None, sort: str = "updated"):
        query = StoryQuery.checked(since or None, until or None, outlet or None, entity or None, sort, 500, 0)
        with store() as db:
            pipeline.record_missing_changes(db)
            rows, total = list_stories(db, query, page_row)
            changes = db.latest_change_heads([row["id"] for row in rows])
            for row in rows:
                row["change"] = changes.get(row["id"])
        return page("stories.html.j2", stories=rows, filters=query, total=total)

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(story_id: str, version: int | None = None, since: int | None = None):
        with store() as db:
            data = stored_brief(db, story_id, version, config.pipeline)
            brief = contract.brief_from_json(data)
            articles = {a.id: a for a in db.get_articles([s.article for s in brief.sources])}
            versions = db.brief_versions(brief.story)
            # What is new is marked against the version the reader picks (`since`), else the one before.
            base = since if since is not None and 0 < since < brief.version else brief.version - 1
            previous = db.brief_version(brief.story, base) if base >= 1 else None
        new = render.new_since(brief, contract.brief_from_json(previous) if previous else None)
        body = render.to_html(brief, articles, standalone=False, article_url="/articles/{article}#s{n}", new=new)
        return page("story.html.j2", brief=brief, body=body, versions=versions, since=base if previous else None,
                    marked=len(new))

    FEED_ENTRIES = 100  # the newest brief versions a feed lists

    @app.get("/feeds/stories.atom", include_in_schema=False)
    def stories_feed(request: Request):
        base = str(request.base_url).rstrip("/")
        with store() as db:
            pipeline.record_missing_changes(db)
            found = db.stored_changes(limit=FEED_ENTRIES)
        return Response(feeds.changes_feed(found, base, f"{base}/feeds/stories.atom", "storyline: story changes"),
                        media_type=feeds.MEDIA_TYPE)

    @app.get("/stories/{story_id}/feed.atom", include_in_schema=False)
    def story_feed(story_id: str, request: Request):
        base = str(request.base_url).rstrip("/")
        with store() as db:
            story = find_story(db, story_id)
            pipeline.record_missing_changes(db)
            found = db.stored_changes(story_id=story.id, limit=FEED_ENTRIES)
        return Response(feeds.changes_feed(found, base, f"{base}/stories/{story.id}/feed.atom",
                                           f"storyline: {story.label or story.id}"), media_type=feeds.MEDIA_TYPE)

    @app.get("/stories/{story_id}/sources", response_class=HTMLResponse, include_in_schema=False)
    def sources_page(story_id: str):
        with store() as db:
            brief = contract.brief_from_json(stored_brief(db, story_id, None, config.pipeline))
            articles = db.get_articles([s.article for s in brief.sources])
        roles: dict[str, str] = {}
        for kind, items in (("single", brief.single_source), ("agreed", brief.agreed),
                            ("conflict", [c for conflict in (*brief.conflicts, *brief.wording)
                                          for c in conflict.claims])):
            for item in items:
                for cite in item.cites:
                    roles[cite] = kind
        by_id = {a.id: a for a in articles}
        columns = [(source, by_id[source.article]) for source in brief.sources if source.article in by_id]
        return page("sources.html.j2", brief=brief, columns=columns, roles=roles)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(article_id: str):
        with store() as db:
            article = db.get_article(article_id)
            versions = db.versions_of(article.id) if article is not None else []
        if article is None:
            raise ApiError(404, "not-found", f"no article {article_id}")
        return page("article.html.j2", article=article, versions=versions if len(versions) > 1 else [])

    @app.get("/add", response_class=HTMLResponse, include_in_schema=False)
    def add_page():
        return page("add.html.j2", limits=config.uploads, csrf_field=CSRF_FIELD, csrf_token=policy.csrf_token,
                    needs_token=config.token is not None, read_only=config.read_only)

    @app.get("/healthz", responses=spec.responses())
    async def health():
        """Whether the server answers (on the event loop itself: it answers while uploads are added), and
        whether it has loaded what making a brief needs (`warm`: a brief made now waits for no model)."""
        return {"data": {"ok": True, "warm": warm.is_set()}}

    return app


def start_watcher(config: ServeConfig) -> tuple[threading.Event, threading.Thread]:
    """Run a watcher of `config.watch` in a thread with its own store connection; set the event to stop it."""
    from storyline.watch import WatchConfig, Watcher

    stop = threading.Event()

    def work() -> None:
        with open_store(config.db) as db:
            watcher = Watcher(db, list(config.watch), config.watch_config or WatchConfig())
            try:
                watcher.run(stop)
            finally:
                watcher.close()

    thread = threading.Thread(target=work, name="storyline-watch", daemon=True)
    thread.start()
    return stop, thread


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to `host`:`port` (port 0: any free port), for `run`.

    Raises:
        OSError: the address cannot be bound (in use, not this machine's, not a name that resolves).
    """
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                         flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError:
        sock.close()
        raise
    return sock


def run(config: ServeConfig, sock: socket.socket) -> None:
    """Serve the app on a bound socket until the process is told to stop."""
    import uvicorn

    uvicorn.Server(uvicorn.Config(create_app(config), log_level="warning")).run(sockets=[sock])


def upload_name(input_label: str) -> str:
    """An input of an upload as its client knows it: the saved file's name (`NNN-<name>`) and the item
    inside it, without the server's work folder."""
    path, hash_mark, item = input_label.partition("#")
    return Path(path).name + hash_mark + item


def add_result(db: Store, report: pipeline.AddReport) -> dict[str, Any]:
    """What an `add` of an upload did, as the API answers it: added articles, the stories they are in now,
    copies found, and every skipped input (named by its file name in the upload)."""
    skipped = [dict(contract.skip_json(s), input=upload_name(s.input)) for s in report.skipped]
    touched = sorted({change.story for change in report.story_changes})
    stories = [{"id": story.id, "label": story.label, "size": len(story.articles)}
               for story in (db.get_story(story_id) for story_id in touched) if story is not None]
    return {"added": report.added, "unchanged": report.unchanged, "stories": stories,
            "duplicates": [{"article": a, "of": d.canonical, "relation": d.relation} for a, d in report.duplicates],
            "skipped": skipped}


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
        if sort not in STORY_ORDERS:
            raise ApiError(400, "bad-request", f"sort must be one of {', '.join(STORY_ORDERS)}, not {sort!r}")
        if not (1 <= limit <= 1000) or offset < 0:
            raise ApiError(400, "bad-request", "limit must be 1..1000 and offset >= 0")
        return cls(since, until, (outlet or "").strip() or None, (entity or "").strip() or None,
                   sort, limit, offset)


def story_row(story_id: str, listed: dict[str, Any]) -> dict[str, Any]:
    """A story as listed (from `Store.story_list_rows`): the contract's fields plus size, outlets and entity
    names of its newest brief, and whether each end of its time span was inferred."""
    return {"schema": STORY_SCHEMA, "id": story_id, "label": listed["label"], "articles": listed["articles"],
            "first_seen": listed["first_seen"], "last_seen": listed["last_seen"], "size": len(listed["articles"]),
            "first_seen_inferred": listed["first_seen_inferred"], "last_seen_inferred": listed["last_seen_inferred"],
            "outlets": listed["outlets"], "domains": listed["domains"], "entities": listed["entities"],
            "brief_version": listed["brief_version"]}


def page_row(story_id: str, listed: dict[str, Any]) -> dict[str, Any]:
    """A story as the story list page shows it: label, size, outlets, time span and what of it was inferred."""
    return {"id": story_id, "label": listed["label"], "size": len(listed["articles"]), "outlets": listed["outlets"],
            "first_seen": listed["first_seen"], "last_seen": listed["last_seen"],
            "first_seen_inferred": listed["first_seen_inferred"], "last_seen_inferred": listed["last_seen_inferred"]}


def list_stories(db: Store, query: StoryQuery, row: Callable[[str, dict[str, Any]], dict[str, Any]] = story_row
                 ) -> tuple[list[dict[str, Any]], int]:
    """The page of live stories passing the query, in its order, each as `row` gives it, and how many pass
    in all.

    The store filters, orders and pages (in SQL); only the page's stories are read, all at once
    (`Store.story_list_rows`; the page's rows leave out the brief's version and entities).
    """
    ids, total = db.story_list(query.since, query.until, query.outlet, query.entity, query.sort, query.limit,
                               query.offset)
    listed = db.story_list_rows(ids, briefs=row is story_row)
    return [row(story_id, listed[story_id]) for story_id in ids if story_id in listed], total


MAX_CANDIDATES_SHOWN = 20  # of the stories an ambiguous id prefix matches, in the 409 message


def find_story(db: Store, story_id: str) -> Story:
    """A live story by id or unique id prefix, as the CLI takes them (a merged story's id gives the story
    it went into); a 404 when nothing matches, a 409 naming the candidates when several stories do."""
    story, candidates = db.find_story(story_id)
    if story is not None:
        return story
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
    row = story_row(story.id, db.story_list_rows([story.id])[story.id])
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
