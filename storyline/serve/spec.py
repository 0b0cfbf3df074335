"""The OpenAPI spec of the API, made to say what the server does.

FastAPI writes the paths and parameters; this module adds what it cannot know: the one error shape
under every status an operation answers (400 for a bad parameter, where FastAPI would document
422), the shapes of the answers, and the upload's two request bodies with their limits. A test runs
schemathesis against the spec on loopback.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from storyline.serve.uploads import FILES_FIELD, UploadLimits

WHY = {
    400: "A parameter or the body is not what the operation takes.",
    401: "The server has a token and the request does not carry it (`Authorization: Bearer <token>`).",
    403: "The server is read-only, the request comes from a page of another origin, or a browser's "
         "multipart upload lacks the form's CSRF token.",
    404: "Nothing has this id.",
    409: "The id prefix starts the ids of several stories; the message names them.",
    413: "Over a limit: a file's bytes, the number of files or articles, the whole request.",
    415: "The body is neither multipart/form-data nor application/json.",
    429: "Too many uploads are waiting to be added; try again after `Retry-After` seconds.",
    503: "The store cannot be opened.",
}
ERROR_REF = {"$ref": "#/components/schemas/Error"}

NULLABLE_STRING = {"type": ["string", "null"]}
ARTICLE_SUMMARY = {
    "type": "object",
    "required": ["schema", "id", "origin", "outlet", "title", "authors", "published", "language", "duplicate_of"],
    "properties": {
        "schema": {"const": "storyline/article/v1"},
        "id": {"type": "string"},
        "origin": {"type": "object", "required": ["kind", "location", "item", "url"],
                   "properties": {"kind": {"type": "string"}, "location": {"type": "string"},
                                  "item": {"type": "string"}, "url": NULLABLE_STRING}},
        "outlet": {"type": "object", "required": ["name", "domain", "how", "evidence"],
                   "properties": {"name": NULLABLE_STRING, "domain": NULLABLE_STRING, "how": {"type": "string"},
                                  "evidence": NULLABLE_STRING}},
        "title": NULLABLE_STRING,
        "authors": {"type": "array", "items": {"type": "string"}},
        "published": {"type": "object", "required": ["value", "inferred", "evidence"],
                      "properties": {"value": NULLABLE_STRING, "inferred": {"type": "boolean"},
                                     "evidence": NULLABLE_STRING}},
        "language": NULLABLE_STRING,
        "duplicate_of": NULLABLE_STRING,
        "sentence_count": {"type": "integer", "minimum": 0},
    },
}
ARTICLE = {**ARTICLE_SUMMARY, "required": ARTICLE_SUMMARY["required"] + ["sentences", "removed", "versions"],
           "properties": {**ARTICLE_SUMMARY["properties"],
                          "sentences": {"type": "array", "items": {
                              "type": "object", "required": ["id", "text", "start", "end", "paragraph"],
                              "properties": {"id": {"type": "string"}, "text": {"type": "string"},
                                             "start": {"type": "integer"}, "end": {"type": "integer"},
                                             "paragraph": {"type": "integer"}}}},
                          "removed": {"type": "array", "items": {
                              "type": "object", "required": ["kind", "text"],
                              "properties": {"kind": {"type": "string"}, "text": {"type": "string"}}}},
                          "versions": {"type": "array", "items": {
                              "type": "object",
                              "required": ["version", "article", "added", "published", "title", "current",
                                           "reverted_to"],
                              "properties": {"version": {"type": "integer", "minimum": 1},
                                             "article": {"type": "string"}, "added": {"type": "string"},
                                             "published": NULLABLE_STRING, "title": NULLABLE_STRING,
                                             "current": {"type": "boolean"},
                                             "reverted_to": {"type": ["integer", "null"]}}}}}}
STORY = {
    "type": "object",
    "required": ["schema", "id", "label", "articles", "first_seen", "last_seen", "size", "first_seen_inferred",
                 "last_seen_inferred", "outlets", "domains", "entities", "brief_version"],
    "properties": {
        "schema": {"const": "storyline/story/v1"},
        "id": {"type": "string"}, "label": {"type": "string"},
        "articles": {"type": "array", "items": {"type": "string"}},
        "first_seen": NULLABLE_STRING, "last_seen": NULLABLE_STRING,
        "size": {"type": "integer", "minimum": 1},
        "first_seen_inferred": {"type": "boolean"}, "last_seen_inferred": {"type": "boolean"},
        "outlets": {"type": "array", "items": {"type": "string"}},
        "domains": {"type": "array", "items": {"type": "string"}},
        "entities": {"type": "array", "items": {"type": "object", "required": ["name", "forms"]}},
        "brief_version": {"type": ["integer", "null"]},
    },
}
STORY_DETAIL = {**STORY, "required": STORY["required"] + ["brief_versions", "history"],
                "properties": {**STORY["properties"],
                               "articles": {"type": "array", "items": {"$ref": "#/components/schemas/ArticleSummary"}},
                               "brief_versions": {"type": "array", "items": {
                                   "type": "object", "required": ["version", "created"]}},
                               "history": {"type": "array", "items": {
                                   "type": "object", "required": ["story", "kind", "article", "other", "score"]}}}}
BRIEF = {"type": "object", "required": ["schema", "story", "version", "label", "sources", "summary"],
         "properties": {"schema": {"const": "storyline/brief/v1"}, "story": {"type": "string"},
                        "version": {"type": "integer"}, "label": {"type": "string"}},
         "description": "The brief JSON of the contract (README, 'JSON contract')."}
JOB = {
    "type": "object",
    "required": ["id", "status", "inputs", "created", "progress", "result", "error"],
    "properties": {
        "id": {"type": "string"},
        "status": {"enum": ["queued", "running", "done", "failed"]},
        "inputs": {"type": "integer", "minimum": 1, "description": "Files of the upload (a JSON body is one)."},
        "created": {"type": "string", "format": "date-time"},
        "progress": {"type": "object", "required": ["documents", "added", "skipped", "last_input"],
                     "properties": {"documents": {"type": "integer"}, "added": {"type": "integer"},
                                    "skipped": {"type": "integer"}, "last_input": {"type": "string"}}},
        "result": {"oneOf": [{"type": "null"}, {
            "type": "object", "required": ["added", "unchanged", "stories", "duplicates", "skipped"],
            "properties": {"added": {"type": "array", "items": {"type": "string"}},
                           "unchanged": {"type": "integer"},
                           "stories": {"type": "array", "items": {"type": "object", "required": ["id", "label", "size"]}},
                           "duplicates": {"type": "array", "items": {
                               "type": "object", "required": ["article", "of", "relation"]}},
                           "skipped": {"type": "array", "items": {
                               "type": "object", "required": ["input", "stage", "reason", "detail"]}}}}]},
        "error": {"oneOf": [{"type": "null"}, {"type": "object", "required": ["code", "message"],
                                               "properties": {"code": {"type": "string"},
                                                              "message": {"type": "string"}}}]},
    },
}
ERROR = {"type": "object", "required": ["error"], "additionalProperties": False,
         "properties": {"error": {"type": "object", "required": ["code", "message"], "additionalProperties": False,
                                  "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}}
SCHEMAS = {"Error": ERROR, "Article": ARTICLE, "ArticleSummary": ARTICLE_SUMMARY, "Story": STORY,
           "StoryDetail": STORY_DETAIL, "Brief": BRIEF, "Job": JOB}


def data(schema: dict[str, Any], paged: bool = False) -> dict[str, Any]:
    """The answer envelope around `schema` (with the count before paging when `paged`)."""
    envelope = {"type": "object", "required": ["data"], "properties": {"data": schema}}
    if paged:
        envelope["required"].append("total")
        envelope["properties"]["total"] = {"type": "integer", "minimum": 0}
    return envelope


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


# The answer of each operation that succeeds, by (method, path).
ANSWERS = {
    ("get", "/api/v1/stories"): (200, data({"type": "array", "items": ref("Story")}, paged=True)),
    ("get", "/api/v1/stories/{story_id}"): (200, data(ref("StoryDetail"))),
    ("get", "/api/v1/stories/{story_id}/brief"): (200, data(ref("Brief"))),
    ("get", "/api/v1/articles"): (200, data({"type": "array", "items": ref("ArticleSummary")}, paged=True)),
    ("get", "/api/v1/articles/{article_id}"): (200, data(ref("Article"))),
    ("post", "/api/v1/articles"): (202, data(ref("Job"))),
    ("get", "/api/v1/jobs/{job_id}"): (200, data(ref("Job"))),
    ("get", "/healthz"): (200, data({"type": "object", "required": ["ok", "warm"],
                                     "properties": {"ok": {"const": True}, "warm": {"type": "boolean"}}})),
}
STORE_BACKED = {path for _, path in ANSWERS if path.startswith("/api/v1/") and "/jobs/" not in path}


def responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The error answers of an operation, for FastAPI's `responses=`: each in the one error shape."""
    return {code: {"description": WHY[code], "content": {"application/json": {"schema": ERROR_REF}}}
            for code in codes}


def upload_operation(limits: UploadLimits) -> dict[str, Any]:
    """The request bodies of `POST /api/v1/articles`, with the limits, for FastAPI's `openapi_extra=`."""
    article = {"type": "object", "description": "An article: `text` (or `body`, `content`, `articleBody`) or "
                                                "`html`; `url`, `title`, `published`, `outlet`, `authors`, "
                                                "`language` when known.",
               "additionalProperties": True}
    alone = {**article, "not": {"required": ["articles"]}}  # a top-level object with `articles` is the list form
    return {"requestBody": {"required": True, "description": (
        f"Files in the multipart field `{FILES_FIELD}` (at most {limits.max_files} files of "
        f"{limits.max_file_bytes:,} bytes; a browser also sends the upload form's `csrf` field), or one JSON "
        f"body of at most {limits.max_file_bytes:,} bytes and {limits.max_files} articles. Limits are "
        "enforced while the body arrives: past one, reading stops and the answer is 413."),
        "content": {
            "multipart/form-data": {"schema": {
                "type": "object", "required": [FILES_FIELD],
                "properties": {FILES_FIELD: {"type": "array", "minItems": 1, "maxItems": limits.max_files,
                                             "items": {"type": "string", "format": "binary",
                                                       "maxLength": limits.max_file_bytes}},
                               "csrf": {"type": "string", "maxLength": limits.max_field_bytes}}}},
            "application/json": {"schema": {"oneOf": [
                alone,
                {"type": "array", "items": article, "maxItems": limits.max_files},
                {"type": "object", "required": ["articles"],
                 "properties": {"articles": {"type": "array", "items": article, "maxItems": limits.max_files}}},
            ]}}}}}


def install(app: FastAPI, limits: UploadLimits) -> None:
    """Make `app.openapi()` answer the spec as this module completes it (built once)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = completed(get_openapi(title=app.title, version=app.version, routes=app.routes,
                                                       description="storyline's JSON API. Every answer is "
                                                                   "`{\"data\": ...}` or `{\"error\": {\"code\", "
                                                                   "\"message\"}}`."))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def completed(document: dict[str, Any]) -> dict[str, Any]:
    """FastAPI's spec with 422 replaced by 400, the answers' shapes, and 503 where the store is read."""
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            answers = operation.setdefault("responses", {})
            if answers.pop("422", None) is not None:
                answers.setdefault("400", responses(400)[400])
            if (method, path) in ANSWERS:
                status, schema = ANSWERS[(method, path)]
                for other in ("200", "202"):
                    if other != str(status):
                        answers.pop(other, None)
                answers[str(status)] = {"description": "The answer.",
                                        "content": {"application/json": {"schema": schema}}}
            if path in STORE_BACKED:
                answers.setdefault("503", responses(503)[503])
    components = document.setdefault("components", {}).setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
    components.update(SCHEMAS)
    return document
