"""An upload read off the wire: the request body streamed into a work folder, every limit enforced
while the bytes arrive.

Reads the body of `POST /api/v1/articles` chunk by chunk (with a Content-Length or chunked), writes
each file of a `multipart/form-data` body to its own file as it arrives and keeps an
`application/json` body in memory. A declared Content-Length over the request limit is refused
before any byte is read; past any limit (a file's bytes, the number of files, the whole request)
reading stops at once and the upload is refused with a 413: no file on disk ever holds more than
the per-file limit. File names are the client's: they are cut to a safe length and cleaned of
path parts and control characters before they name a file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, AsyncIterator, BinaryIO

import anyio
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect, Request

from storyline.serve.answers import ApiError

FILES_FIELD = "files"


@dataclass(frozen=True, slots=True)
class UploadLimits:
    """How much one upload may hold."""

    # 10 MB per file and 50 files per upload: a news article is rarely over 2 MB.
    max_file_bytes: int = 10_000_000
    max_files: int = 50
    # Form fields that are not files (the form's CSRF token): a few, each short.
    max_fields: int = 20
    max_field_bytes: int = 4096
    # The headers of one part (its name, file name and type).
    max_part_header_bytes: int = 8192

    @property
    def max_request_bytes(self) -> int:
        """The most a whole request body may hold: every file and field at its limit, with its part headers."""
        per_part = self.max_part_header_bytes + 256  # + the boundary lines around a part
        return (self.max_files * (self.max_file_bytes + per_part)
                + self.max_fields * (self.max_field_bytes + per_part))


@dataclass(frozen=True, slots=True)
class Upload:
    """The inputs one upload saved into its work folder, and its form fields that are not files."""

    inputs: tuple[Path, ...]
    fields: tuple[tuple[str, str], ...] = ()

    def field(self, name: str) -> str | None:
        """The value of a form field, or None."""
        return next((value for key, value in self.fields if key == name), None)


def media_type(content_type: str) -> str:
    """The media type of a Content-Type header, lowercased, without its parameters."""
    return content_type.split(";", 1)[0].strip().lower()


# Control characters (NUL, C0, DEL, C1), the bidi controls that reorder a shown name, and lone surrogates.
UNSAFE_IN_NAME = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# 200 bytes: with the "NNN-" prefix a saved name stays well under the 255 bytes most file systems allow.
MAX_NAME_BYTES = 200
MAX_SUFFIX_BYTES = 24  # ".warc.gz", ".jsonl.gz": what decides how a file is read is kept whole


def safe_file_name(name: str, number: int) -> str:
    """A client's file name made safe to name a file: its last path part, control characters
    removed, at most `MAX_NAME_BYTES` of UTF-8 (the suffixes kept, the stem cut), never empty or a dot name.
    """
    name = UNSAFE_IN_NAME.sub("", re.split(r"[/\\]", name)[-1]).strip().lstrip(".")
    if not name:
        return f"upload-{number}"
    if len(name.encode("utf-8")) <= MAX_NAME_BYTES:
        return name
    stem, dot, suffix = name.partition(".")
    suffix = dot + suffix
    if len(suffix.encode("utf-8")) > MAX_SUFFIX_BYTES:
        stem, suffix = name, ""
    room = MAX_NAME_BYTES - len(suffix.encode("utf-8"))
    stem = stem.encode("utf-8")[:room].decode("utf-8", errors="ignore").rstrip() or f"upload-{number}"
    return stem + suffix


async def body_chunks(request: Request, limit: int, what: str) -> AsyncIterator[bytes]:
    """The request body chunk by chunk; a 413 as soon as it passes `limit` bytes (nothing past it is read)."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise ApiError(400, "bad-request", f"Content-Length is not a number: {declared[:40]!r}")
        if int(declared) > limit:
            raise ApiError(413, "too-large", f"{what} is {int(declared):,} bytes; at most {limit:,} are accepted")
    received = 0
    try:
        async for chunk in request.stream():
            received += len(chunk)
            if received > limit:
                raise ApiError(413, "too-large", f"{what} is over {limit:,} bytes; reading stopped there")
            yield chunk
    except ClientDisconnect as exc:
        raise ApiError(400, "bad-request", "the client closed the connection before the body was sent") from exc


async def save_json(request: Request, workdir: Path, limits: UploadLimits) -> Upload:
    """An `application/json` body (an article object, a list of them, or `{"articles": [...]}`) saved as one
    JSON file; a 413 past `max_file_bytes` or `max_files` articles, a 400 when it is not JSON."""
    body = bytearray()
    async for chunk in body_chunks(request, limits.max_file_bytes, "the JSON body"):
        body.extend(chunk)
    # Parsing 10 MB takes a while: off the event loop, so other requests are answered meanwhile.
    items = await anyio.to_thread.run_sync(json_articles, bytes(body))
    if len(items) > limits.max_files:
        raise ApiError(413, "too-many-files", f"{len(items)} articles: at most {limits.max_files} per request")
    path = workdir / "articles.json"
    path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    return Upload((path,))


def json_articles(body: bytes) -> list[Any]:
    """The articles of a JSON body, or a 400 saying why it is not JSON."""
    try:
        value = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ApiError(400, "bad-request", f"the body is not JSON: {exc}") from exc
    except RecursionError as exc:
        raise ApiError(400, "bad-request", "the body is JSON nested too deep to read") from exc
    wrapped = isinstance(value, dict) and "articles" in value
    if wrapped:
        value = value["articles"]
    items = value if isinstance(value, list) else [value]
    if (not isinstance(value, list) if wrapped else not isinstance(value, (dict, list))) \
            or not all(isinstance(item, dict) for item in items):
        raise ApiError(400, "bad-request", "the body must be an article object, a list of them, or "
                                           "{\"articles\": [...]}: each article a JSON object")
    return items


async def save_multipart(request: Request, workdir: Path, limits: UploadLimits) -> Upload:
    """A `multipart/form-data` body: each file of the field `files` written to its own file in `workdir` as
    it arrives, the other fields kept (short); a 413 past any limit, a 400 for a broken form."""
    _, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if not boundary:
        raise ApiError(400, "bad-request", "unreadable form: the multipart Content-Type has no boundary")
    writer = MultipartWriter(workdir, limits)
    parser = MultipartParser(boundary, writer.callbacks())
    try:
        async for chunk in body_chunks(request, limits.max_request_bytes, "the upload"):
            parser.write(chunk)
        parser.finalize()
    except FormParserError as exc:
        raise ApiError(400, "bad-request", f"unreadable form: {exc}") from exc
    finally:
        writer.close()
    if writer.incomplete:
        raise ApiError(400, "bad-request", "unreadable form: the body ended inside a part")
    if not writer.saved:
        raise ApiError(400, "bad-request", f"no file in the form field '{FILES_FIELD}'")
    return Upload(tuple(writer.saved), tuple(writer.fields))


class MultipartWriter:
    """The callbacks of python-multipart's parser that write each file part straight to disk.

    A part's bytes are counted before they are written, so a file over the limit stops at the limit.
    """

    def __init__(self, workdir: Path, limits: UploadLimits):
        self.workdir, self.limits = workdir, limits
        self.saved: list[Path] = []
        self.fields: list[tuple[str, str]] = []
        self.incomplete = False
        self._header_name = bytearray()
        self._header_value = bytearray()
        self._disposition = b""
        self._part_header_bytes = 0
        self._name = ""
        self._file_name = ""
        self._file: BinaryIO | None = None
        self._value = bytearray()
        self._size = 0

    def callbacks(self) -> dict[str, Any]:
        """The callbacks, by the names the parser calls them."""
        return {"on_part_begin": self.on_part_begin, "on_header_field": self.on_header_field,
                "on_header_value": self.on_header_value, "on_header_end": self.on_header_end,
                "on_headers_finished": self.on_headers_finished, "on_part_data": self.on_part_data,
                "on_part_end": self.on_part_end}

    def on_part_begin(self) -> None:
        self.incomplete = True
        self._disposition, self._part_header_bytes, self._size = b"", 0, 0
        self._name, self._file_name, self._file = "", "", None
        self._value = bytearray()

    def header_bytes(self, count: int) -> None:
        self._part_header_bytes += count
        if self._part_header_bytes > self.limits.max_part_header_bytes:
            raise ApiError(413, "too-large", f"a part's headers are over {self.limits.max_part_header_bytes:,} bytes")

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_bytes(end - start)
        self._header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_bytes(end - start)
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        if bytes(self._header_name).strip().lower() == b"content-disposition":
            self._disposition = bytes(self._header_value)
        self._header_name, self._header_value = bytearray(), bytearray()

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._disposition)
        if b"name" not in options:
            raise ApiError(400, "bad-request", "unreadable form: a part has no name in its Content-Disposition")
        self._name = options[b"name"].decode("utf-8", errors="replace")
        if b"filename" not in options:
            if len(self.fields) >= self.limits.max_fields:
                raise ApiError(413, "too-many-fields", f"at most {self.limits.max_fields} form fields")
            return
        if self._name != FILES_FIELD:
            raise ApiError(400, "bad-request", f"a file in the form field {self._name[:40]!r}: send files in "
                                               f"the field '{FILES_FIELD}'")
        if len(self.saved) >= self.limits.max_files:
            raise ApiError(413, "too-many-files", f"at most {self.limits.max_files} files per upload")
        number = len(self.saved)
        self._file_name = safe_file_name(options[b"filename"].decode("utf-8", errors="replace"), number)
        path = self.workdir / f"{number:03d}-{self._file_name}"
        self._file = path.open("xb")
        self.saved.append(path)

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        self._size += end - start
        if self._file is not None:
            if self._size > self.limits.max_file_bytes:
                raise ApiError(413, "too-large", f"{self._file_name} is over {self.limits.max_file_bytes:,} bytes")
            self._file.write(data[start:end])
        else:
            if self._size > self.limits.max_field_bytes:
                raise ApiError(413, "too-large", f"the form field {self._name[:40]!r} is over "
                                                 f"{self.limits.max_field_bytes:,} bytes")
            self._value += data[start:end]

    def on_part_end(self) -> None:
        self.incomplete = False
        if self._file is not None:
            self._file.close()
            self._file = None
        else:
            self.fields.append((self._name, self._value.decode("utf-8", errors="replace")))

    def close(self) -> None:
        """Close the file being written, if any (the caller removes the work folder)."""
        if self._file is not None:
            self._file.close()
            self._file = None
