"""Stage `ingest`: turn inputs (files, folders, globs, stdin, feed URLs) into Documents.

Reads: paths, glob patterns, `-` (stdin) and http(s) URLs of feeds or pages.
Writes: one `Document` per article found: a plain-text or HTML file is one
document; a JSON array / JSON Lines file, an RSS/Atom feed and a WARC archive
hold one document per item (per HTML response record for WARC).
Skips: empty or binary input, undecodable bytes, inputs over the size limit,
malformed JSON / feeds / WARC, truncated gzip, items with no text. Each skip
is a `Skipped` record beside the documents, never an exception; the rest of
the input is still read (a WARC truncated in its tenth record yields nine
documents and one skip). Gzip is inflated as it is read and never past the
size limit, so a gzip bomb costs the limit, not what it inflates to.
Deterministic: a document's id is the hash of its raw bytes, so re-reading
the same input yields the same ids.
"""

from __future__ import annotations

import codecs
import errno
import glob
import gzip
import io
import json
import os
import re
import stat
import sys
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator

import chardet
import ftfy

from storyline.records import Document, Origin, SkipReason, Skipped, content_id

STAGE = "ingest"


@dataclass(frozen=True, slots=True)
class IngestConfig:
    """Knobs of the ingest stage."""

    # 25 MB: a news article page is rarely over 2 MB; a bigger plain file is
    # almost surely not one article. The limit holds for the bytes read and,
    # for gzip, for the bytes it inflates to (never inflated past it). WARC
    # archives are streamed, and the limit applies to each record rather
    # than to the archive.
    max_bytes: int = 25_000_000
    url_timeout: float = 20.0
    force_format: str | None = None  # text, html, json, feed, warc
    # Whether a folder's symlinks that lead out of it are followed (skipped
    # otherwise): reading a folder should not read what lies outside it.
    follow_symlinks: bool = False


def now_iso() -> str:
    """The current UTC time as ISO 8601 (seconds)."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


# --------------------------------------------------------------------------- inputs


def expand_inputs(inputs: Iterable[str], follow_symlinks: bool = False) -> Iterator[str | Skipped]:
    """Expand folders (recursively), globs, `-` and URLs into single inputs, in a stable order.

    `follow_symlinks`: follow a folder's symlinks that lead out of it (see `walk_folder`).
    """
    for raw in inputs:
        if raw == "-" or re.match(r"^https?://", raw):
            yield raw
            continue
        path = Path(raw)
        if path.is_dir():
            yield from walk_folder(path, follow_symlinks)
        elif path.is_file():
            yield str(path)
        elif glob.has_magic(raw):
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                yield Skipped(raw, STAGE, SkipReason.UNREADABLE, "the pattern matches no file")
            for match in matches:
                if Path(match).is_file():
                    yield match
                elif not Path(match).is_dir():
                    yield not_a_file(match)
        elif os.path.lexists(raw):
            yield not_a_file(raw)
        else:
            yield Skipped(raw, STAGE, SkipReason.UNREADABLE, "no such file or folder")


def walk_folder(root: Path, follow_symlinks: bool = False) -> Iterator[str | Skipped]:
    """Every file under a folder, sorted by path, hidden ones left out; anything else there as a skip.

    A FIFO, a device or a socket is skipped (opening a FIFO waits for a
    writer forever); so is a symlink loop, a symlink to nothing and, unless
    `follow_symlinks`, a symlink that leads out of the folder. A symlink to
    a folder inside is not followed: its files are read under their own path.
    """
    top = os.path.realpath(root)
    found: list[tuple[Path, str | Skipped]] = []
    # Folders to read, each with the real paths of the folders it lies in (a
    # symlink back to one of them is a loop).
    stack: list[tuple[Path, tuple[str, ...]]] = [(root, (top,))]
    while stack:
        folder, chain = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            found.append((folder, Skipped(str(folder), STAGE, SkipReason.UNREADABLE, exc.strerror or str(exc))))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = folder / entry.name
            if not entry.is_symlink():
                if entry.is_dir(follow_symlinks=False):
                    stack.append((path, chain + (os.path.realpath(path),)))
                else:
                    found.append((path, str(path) if entry.is_file(follow_symlinks=False) else not_a_file(str(path))))
                continue
            real = os.path.realpath(path)
            inside = real == top or real.startswith(top + os.sep)
            try:
                mode = os.stat(path).st_mode
            except OSError:
                found.append((path, not_a_file(str(path))))  # a loop, or a symlink to nothing
                continue
            if stat.S_ISDIR(mode) and real in chain:
                found.append((path, Skipped(str(path), STAGE, SkipReason.UNREADABLE,
                                            f"a symlink loop: it leads back to {real}, a folder being read")))
            elif not inside and not follow_symlinks:
                found.append((path, Skipped(str(path), STAGE, SkipReason.UNSUPPORTED,
                                            f"a symlink out of the folder, to {real}; "
                                            "not followed without --follow-symlinks")))
            elif stat.S_ISDIR(mode):
                if not inside:
                    stack.append((path, chain + (real,)))
            elif stat.S_ISREG(mode):
                found.append((path, str(path)))
            else:
                found.append((path, not_a_file(str(path))))
    for _, item in sorted(found, key=lambda pair: pair[0]):
        yield item


def not_a_file(path: str) -> Skipped:
    """The skip of a path that is neither a regular file nor a folder."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Skipped(path, STAGE, SkipReason.UNREADABLE, "a symlink loop: following it never ends at a file")
        if os.path.islink(path):
            return Skipped(path, STAGE, SkipReason.UNREADABLE, f"a symlink to {os.readlink(path)}, which does not exist")
        return Skipped(path, STAGE, SkipReason.UNREADABLE, exc.strerror or str(exc))
    kinds = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))
    kind = next((name for is_kind, name in kinds if is_kind(mode)), "not a regular file")
    return Skipped(path, STAGE, SkipReason.UNSUPPORTED, f"{kind}, not a file: only files and folders are read")


def read_inputs(inputs: Iterable[str], config: IngestConfig = IngestConfig()) -> Iterator[Document | Skipped]:
    """Read every input and yield its documents, with a `Skipped` for each unusable one."""
    for item in expand_inputs(inputs, config.follow_symlinks):
        if isinstance(item, Skipped):
            yield item
        elif item == "-":
            yield from read_stream(sys.stdin.buffer, Origin("stdin", "-"), config)
        elif re.match(r"^https?://", item):
            yield from read_url(item, config)
        else:
            yield from read_file(Path(item), config)


def read_file(path: Path, config: IngestConfig = IngestConfig()) -> Iterator[Document | Skipped]:
    """Yield the documents of one file."""
    origin = Origin("file", str(path))
    try:
        size = path.stat().st_size
    except OSError as exc:
        yield Skipped(str(path), STAGE, SkipReason.UNREADABLE, exc.strerror or str(exc))
        return
    if looks_like_warc(path):
        yield from read_warc(path, config)
        return
    if size > config.max_bytes and not looks_like_json_lines(path):  # JSON Lines streams (limit per line)
        yield Skipped(str(path), STAGE, SkipReason.TOO_LARGE,
                      f"{size:,} bytes is over the limit of {config.max_bytes:,}; raise it with --max-bytes")
        return
    try:
        handle = open(path, "rb")
    except OSError as exc:
        yield Skipped(str(path), STAGE, SkipReason.UNREADABLE, exc.strerror or str(exc))
        return
    with handle:
        yield from read_stream(handle, origin, config, filename=path.name)


def read_url(url: str, config: IngestConfig = IngestConfig()) -> Iterator[Document | Skipped]:
    """Fetch a feed or page over HTTP(S) and yield its documents."""
    request = urllib.request.Request(url, headers={"User-Agent": "storyline/0.1 (+news briefs)"})
    try:
        with urllib.request.urlopen(request, timeout=config.url_timeout) as response:
            data = response.read(config.max_bytes + 1)
            charset = response.headers.get_content_charset()
            content_type = response.headers.get_content_type()
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        yield Skipped(url, STAGE, SkipReason.UNREADABLE, f"cannot fetch: {reason}")
        return
    origin = Origin("url", url, url=url)
    yield from read_bytes(data, origin, config, filename=url.rsplit("/", 1)[-1],
                          charset=charset, content_type=content_type)


# --------------------------------------------------------------------------- streams

GZIP_MAGIC = b"\x1f\x8b"
CHUNK = 1 << 16


def read_up_to(stream: BinaryIO, size: int) -> bytes:
    """Read `size` bytes, fewer only where the stream ends; chunk by chunk, so a short stream costs little."""
    chunks = []
    left = size
    while left > 0:
        chunk = stream.read(min(left, CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


class Prefixed(io.RawIOBase):
    """A stream that gives back bytes already read from it (its head), then the rest of its source."""

    def __init__(self, head: bytes, source: BinaryIO):
        self._head = head
        self._source = source

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._head[:len(buffer)] if self._head else self._source.read(len(buffer))
        self._head = self._head[len(data):]
        buffer[:len(data)] = data
        return len(data)


class Inflated(io.RawIOBase):
    """The bytes a gzip stream inflates to, inflated only as they are read.

    Broken or cut gzip data reads as an early end; `problem` then says what
    was wrong (so a reader that swallows an EOFError, as warcio does, cannot
    hide a cut).
    """

    def __init__(self, compressed: BinaryIO):
        self._gzip = gzip.GzipFile(fileobj=compressed, mode="rb")
        self.problem: str | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.problem:
            return 0
        try:
            data = self._gzip.read(len(buffer))
        except (EOFError, OSError, zlib.error) as exc:
            self.problem = f"{type(exc).__name__}: {exc}"
            return 0
        buffer[:len(data)] = data
        return len(data)


# --------------------------------------------------------------------------- formats


def looks_like_json_lines(path: Path) -> bool:
    """Whether a file is JSON Lines, by its name or its first bytes (inflated when gzipped)."""
    name = path.name.lower().removesuffix(".gz")
    if name.endswith((".jsonl", ".ndjson")):
        return True
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
            if head[:2] == GZIP_MAGIC:
                handle.seek(0)
                head = read_up_to(Inflated(handle), 4096)
    except OSError:
        return False
    return sniff_format(head, name) == "jsonl" and streamable_json_lines(head)


def looks_like_warc(path: Path) -> bool:
    """Whether a file is a WARC archive (by name, or by its first bytes)."""
    name = path.name.lower()
    if name.endswith((".warc", ".warc.gz", ".arc", ".arc.gz")):
        return True
    try:
        with open(path, "rb") as handle:
            head = handle.read(64)
        if head[:2] == b"\x1f\x8b":
            with gzip.open(path, "rb") as handle:
                head = handle.read(16)
    except (OSError, EOFError, zlib.error):
        return False
    return head.startswith(b"WARC/")


def sniff_format(data: bytes, filename: str = "", content_type: str = "") -> str:
    """Guess the format of an input: text, html, json, jsonl, feed or warc."""
    name = filename.lower()
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"warc/"):
        return "warc"
    if name.endswith(".jsonl") or name.endswith(".ndjson"):
        return "jsonl"
    if name.endswith(".json") or "json" in content_type or head[:1] in (b"{", b"["):
        if head[:1] == b"{" and b"\n{" in data[:1_000_000].strip():
            return "jsonl"
        return "json"
    if re.search(rb"<(rss|feed|rdf:rdf)[\s>]", head) or name.endswith((".rss", ".atom")) \
            or content_type in ("application/rss+xml", "application/atom+xml"):
        return "feed"
    if name.endswith(".xml") and re.search(rb"<(rss|feed|rdf:rdf)\b", data[:20000].lower()):
        return "feed"
    if name.endswith((".html", ".htm", ".xhtml")) or "html" in content_type \
            or re.search(rb"<(!doctype html|html|head|body)[\s>]", head):
        return "html"
    return "text"


def read_bytes(data: bytes, origin: Origin, config: IngestConfig = IngestConfig(), *,
               filename: str = "", charset: str | None = None,
               content_type: str = "") -> Iterator[Document | Skipped]:
    """Yield the documents held in the bytes of one input."""
    if len(data) > config.max_bytes:
        yield Skipped(origin.label(), STAGE, SkipReason.TOO_LARGE,
                      f"over the limit of {config.max_bytes:,} bytes; raise it with --max-bytes")
        return
    yield from read_stream(io.BytesIO(data), origin, config, filename=filename, charset=charset,
                           content_type=content_type)


def read_stream(stream: BinaryIO, origin: Origin, config: IngestConfig = IngestConfig(), *,
                filename: str = "", charset: str | None = None,
                content_type: str = "") -> Iterator[Document | Skipped]:
    """Yield the documents of one input read from a binary stream (a file, stdin, fetched bytes).

    Gzip (known by its first bytes) is inflated as it is read, and never
    past `config.max_bytes` of output: a gzip bomb costs the limit, not
    what it would inflate to. A WARC archive is read record by record, with
    the limit per record.
    """
    label = origin.label()
    head = read_up_to(stream, 2)
    source: BinaryIO = Prefixed(head, stream)
    inflated = None
    if head == GZIP_MAGIC:
        source = inflated = Inflated(source)
        filename = filename[:-3] if filename.lower().endswith(".gz") else filename
    first = read_up_to(source, 4096)
    fmt = config.force_format or sniff_format(first, filename, content_type)
    if fmt == "warc":
        yield from read_warc_stream(Prefixed(first, source), label, config, inflated)
        return
    if fmt == "jsonl" and streamable_json_lines(first):
        bom = first.startswith(codecs.BOM_UTF8)
        yield from at_least_one(read_json_lines(Prefixed(first, source), origin, config,
                                                encoding="utf-8-sig" if bom else "utf-8"),
                                label, "the JSON holds no article")
        if inflated is not None and inflated.problem:
            yield Skipped(label, STAGE, SkipReason.TRUNCATED, f"broken gzip data: {inflated.problem}")
        return
    data = first + read_up_to(source, config.max_bytes + 1 - len(first))
    if inflated is not None and inflated.problem:
        yield Skipped(label, STAGE, SkipReason.TRUNCATED, f"broken gzip data: {inflated.problem}")
        return
    if len(data) > config.max_bytes:
        what = "inflates to over" if inflated is not None else "over"
        yield Skipped(label, STAGE, SkipReason.TOO_LARGE,
                      f"{what} the limit of {config.max_bytes:,} bytes; raise it with --max-bytes")
        return
    yield from read_content(data, origin, config, filename=filename, charset=charset, content_type=content_type)


def read_content(data: bytes, origin: Origin, config: IngestConfig, *, filename: str = "",
                 charset: str | None = None, content_type: str = "") -> Iterator[Document | Skipped]:
    """Yield the documents of the (inflated) bytes of one input that is not a WARC archive."""
    label = origin.label()
    if not data.strip():
        yield Skipped(label, STAGE, SkipReason.EMPTY, "the input is empty")
        return
    wide = utf16_without_bom(data)
    if wide is None and is_binary(data):
        yield Skipped(label, STAGE, SkipReason.BINARY, "binary data, not text (a NUL byte or many control bytes)")
        return
    sniffed = data if wide is None else data.decode(wide).encode("utf-8")
    fmt = config.force_format or sniff_format(sniffed, filename, content_type)
    # JSON and feeds are repaired text by text once read (`json_document`, `feed_item_document`): mojibake
    # can hide in a \u escape or an XML character reference, and feedparser reads the feed's bytes itself.
    decoded = decode(data, wide or charset, html=fmt == "html", repaired=fmt not in ("json", "jsonl", "feed"))
    if isinstance(decoded, Skipped):
        yield Skipped(label, decoded.stage, decoded.reason, decoded.detail)
        return
    text, encoding = decoded
    if fmt in ("json", "jsonl"):
        yield from at_least_one(read_json(text, origin, fmt, encoding), label, "the JSON holds no article")
    elif fmt == "feed":
        yield from read_feed(data, origin)
    else:
        media_type = "text/html" if fmt == "html" else "text/plain"
        yield Document(content_id(data), origin, now_iso(), media_type, text, {"encoding": encoding})


def is_binary(data: bytes) -> bool:
    """Whether bytes look like binary junk rather than text in some encoding."""
    sample = data[:8192]
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > max(8, len(sample) // 100)


def utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when bytes with no BOM read as UTF-16 text, else None.

    Latin-script text in UTF-16 has a NUL in every other byte, all on one
    side (odd offsets for little-endian); binary data with NULs has them on
    both sides, or does not decode to printable text.
    """
    sample = data[:8192]
    sample = sample[:len(sample) // 2 * 2]
    if len(sample) < 4 or sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    pairs = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    # A fifth of the characters in Latin script, and (nearly) no NUL on the other side.
    if odd >= pairs // 5 and even <= pairs // 100:
        name = "utf-16-le"
    elif even >= pairs // 5 and odd <= pairs // 100:
        name = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(name)
    except UnicodeDecodeError:
        return None
    return None if looks_garbled(text) or "\x00" in text else name


META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-:.]+)""", re.I)


def decode(data: bytes, charset: str | None = None, *, html: bool = False,
           repaired: bool = True) -> tuple[str, str] | Skipped:
    """Decode bytes to text: BOM, then the declared charset, then UTF-8, then chardet; repair mojibake.

    Returns (text, encoding used) or a Skipped (reason UNDECODABLE). `repaired=False` leaves the
    mojibake repair to the caller (JSON repairs each text once it is decoded, see `json_document`).
    """
    fix = repair if repaired else str
    candidates: list[str] = []
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            candidates.append(name)
    if charset:
        candidates.append(charset)
    if html:
        match = META_CHARSET.search(data[:4096])
        if match:
            candidates.append(match.group(1).decode("ascii", "ignore"))
    candidates.append("utf-8")
    for name in candidates:
        try:
            text = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        return fix(text), codecs.lookup(name).name
    # Not UTF-8 and nothing declared: chardet reads short cp1252 / Latin-1
    # text right where charset-normalizer did not (docs/architecture.md, measured here).
    guess = chardet.detect(data[:200_000])
    name = guess.get("encoding")
    confidence = guess.get("confidence") or 0.0
    guesses = [name] if name and confidence >= 0.5 else []
    # Short Western text gets low-confidence guesses; cp1252 (a superset of
    # Latin-1's printable range) is then the likeliest reading.
    guesses += ["cp1252"] + ([name] if name and 0.3 <= confidence < 0.5 else [])
    for guess_name in guesses:
        try:
            text = data.decode(guess_name)
        except (UnicodeDecodeError, LookupError):
            continue
        if not looks_garbled(text):
            return fix(text), codecs.lookup(guess_name).name
    return Skipped("", STAGE, SkipReason.UNDECODABLE,
                   f"not UTF-8 and no encoding fits (best guess {name or 'none'}, confidence {confidence:.2f})")


# Repair mojibake only: quotes, ligatures, widths and line breaks are the
# outlet's own wording and must reach the brief unchanged.
REPAIR = ftfy.TextFixerConfig(unescape_html=False, uncurl_quotes=False, fix_latin_ligatures=False,
                              fix_character_width=False, fix_line_breaks=False, normalization="NFC")


def repair(text: str) -> str:
    """Fix mojibake (UTF-8 read as cp1252 and the like) without touching anything else."""
    return ftfy.fix_text(text, REPAIR)


def repaired_strings(value: Any) -> Any:
    """A JSON value with the mojibake of each of its strings repaired (in lists and objects too)."""
    if isinstance(value, str):
        return repair(value)
    if isinstance(value, list):
        return [repaired_strings(item) for item in value]
    if isinstance(value, dict):
        return {key: repaired_strings(item) for key, item in value.items()}
    return value


def looks_garbled(text: str) -> bool:
    """Whether decoded text is mostly unprintable (a wrong guess of the encoding)."""
    sample = text[:5000]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f") or 0x80 <= ord(ch) < 0xA0
              or ch == "\ufffd")
    return bad > max(4, len(sample) // 50)


def at_least_one(items: Iterator[Document | Skipped], label: str, detail: str) -> Iterator[Document | Skipped]:
    """Yield `items`, or one NO_BODY skip saying `detail` when there is none: every input is stored or skipped."""
    found = False
    for item in items:
        found = True
        yield item
    if not found:
        yield Skipped(label, STAGE, SkipReason.NO_BODY, detail)


# --------------------------------------------------------------------------- JSON

TEXT_FIELDS = ("text", "body", "content", "articleBody", "article", "maintext")
HTML_FIELDS = ("html", "raw_html", "content_html")
METADATA_FIELDS = {
    "title": ("title", "headline"),
    "url": ("url", "link", "source_url"),
    "published": ("published", "date", "pubDate", "date_publish", "published_at", "datePublished"),
    "outlet": ("outlet", "source", "site", "sitename", "source_domain", "publisher"),
    "authors": ("authors", "author", "byline"),
    "language": ("language", "lang"),
}
# The parts of an outlet object worth keeping: its name and its link.
OUTLET_KEYS = ("name", "title", "url", "href", "link", "domain")


# Python's json reads nesting by recursion: 100,000 levels raise RecursionError.
TOO_DEEP = f"nested too deep (Python reads at most about {sys.getrecursionlimit():,} levels)"


def read_json(text: str, origin: Origin, fmt: str, encoding: str) -> Iterator[Document | Skipped]:
    """Yield one document per article object of a JSON document or JSON Lines file."""
    label = origin.label()
    if fmt == "jsonl":
        items: Iterable[tuple[str, Any]] = json_lines(text, label)
    else:
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            yield Skipped(label, STAGE, SkipReason.MALFORMED_JSON, f"line {exc.lineno}: {exc.msg}")
            return
        except RecursionError:
            yield Skipped(label, STAGE, SkipReason.MALFORMED_JSON, TOO_DEEP)
            return
        except ValueError as exc:  # a number of over 4,300 digits
            yield Skipped(label, STAGE, SkipReason.MALFORMED_JSON, str(exc).split(";")[0])
            return
        if isinstance(value, dict) and isinstance(value.get("articles"), list):
            value = value["articles"]
        values = value if isinstance(value, list) else [value]
        items = ((str(i), v) for i, v in enumerate(values))
    for item, value in items:
        if isinstance(value, Skipped):
            yield value
            continue
        item_origin = Origin(origin.kind if origin.kind != "file" else "json", origin.location, item)
        yield json_document(value, item_origin, encoding)


def json_lines(text: str, label: str) -> Iterator[tuple[str, Any]]:
    """Parse JSON Lines, yielding (line number, value) or a Skipped for a bad line."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield str(number), json_line(line, number, label)


def json_line(line: str, number: int, label: str) -> Any:
    """The value of one line of JSON Lines, or a Skipped saying why it is not JSON."""
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        return Skipped(f"{label}#{number}", STAGE, SkipReason.MALFORMED_JSON, f"line {number}: {exc.msg}")
    except RecursionError:
        return Skipped(f"{label}#{number}", STAGE, SkipReason.MALFORMED_JSON, f"line {number}: {TOO_DEEP}")
    except ValueError as exc:  # a number of over 4,300 digits
        return Skipped(f"{label}#{number}", STAGE, SkipReason.MALFORMED_JSON,
                       f"line {number}: {str(exc).split(';')[0]}")


def streamable_json_lines(head: bytes) -> bool:
    """Whether JSON Lines starting with `head` can be read line by line (text, UTF-8 or a BOM of it)."""
    return bool(head.strip()) and not is_binary(head) and utf16_without_bom(head) is None \
        and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


def read_json_lines(stream: BinaryIO, origin: Origin, config: IngestConfig = IngestConfig(), *,
                    first_line: int = 1, length: int | None = None,
                    encoding: str = "utf-8") -> Iterator[Document | Skipped]:
    """Yield one document per line of a JSON Lines stream, reading one line at a time.

    Memory stays bounded whatever the size of the file: `config.max_bytes`
    limits each line (a longer one is skipped as too large), not the file.
    `first_line` numbers the first line read and `length` stops after that
    many bytes (whole lines): a byte range of a file, as a worker reads one
    shard of it (storyline/parallel.py), gives the documents the whole file
    gives for those lines. JSON Lines is UTF-8 (`encoding` names it, utf-8-sig
    after a BOM); a line that is not is decoded as `decode` decodes a file.
    """
    label = origin.label()
    reader = io.BufferedReader(stream, CHUNK) if isinstance(stream, io.RawIOBase) else stream
    number, consumed = first_line - 1, 0
    while length is None or consumed < length:
        raw = reader.readline(config.max_bytes + 1)
        if not raw:
            break
        consumed += len(raw)
        number += 1
        if len(raw) > config.max_bytes and not raw.endswith(b"\n"):
            while (rest := reader.readline(CHUNK)) and not rest.endswith(b"\n"):
                consumed += len(rest)
            consumed += len(rest)
            yield Skipped(f"{label}#{number}", STAGE, SkipReason.TOO_LARGE,
                          f"line {number} is over the limit of {config.max_bytes:,} bytes; raise it with --max-bytes")
            continue
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
        if not raw.strip():
            continue
        try:
            text, used = raw.decode("utf-8"), encoding
        except UnicodeDecodeError:
            decoded = decode(raw, repaired=False)
            if isinstance(decoded, Skipped):
                yield Skipped(f"{label}#{number}", STAGE, decoded.reason, f"line {number}: {decoded.detail}")
                continue
            text, used = decoded
        if not text.strip():
            continue
        value = json_line(text, number, label)
        if isinstance(value, Skipped):
            yield value
            continue
        item_origin = Origin(origin.kind if origin.kind != "file" else "json", origin.location, str(number))
        yield json_document(value, item_origin, used)


def json_document(value: Any, origin: Origin, encoding: str) -> Document | Skipped:
    """Make a document of one JSON article object (text or html, url, title, published, outlet)."""
    label = origin.label()
    if not isinstance(value, dict):
        return Skipped(label, STAGE, SkipReason.MALFORMED_JSON,
                       f"expected an article object, got {type(value).__name__}")
    html = first_string(value, HTML_FIELDS)
    text = first_string(value, TEXT_FIELDS)
    if not html and not text:
        return Skipped(label, STAGE, SkipReason.NO_BODY,
                       f"no text field (one of {', '.join(TEXT_FIELDS + HTML_FIELDS)})")
    # Each text read is repaired here, once, after JSON decoding: the raw line is 2.6x the text, and
    # mojibake written as \u escapes only shows once they are decoded. The id hashes the item as written.
    body = repair(html or text)
    metadata: dict[str, Any] = {"encoding": encoding, "source": "json"}
    try:
        for key, names in METADATA_FIELDS.items():
            found = first_value(value, names)
            if found not in (None, "", []):
                metadata[key] = repaired_strings(found)
        raw = json.dumps(value, sort_keys=True, ensure_ascii=False)
    except RecursionError:  # read a few calls up the stack, it can be too deep to walk here
        return Skipped(label, STAGE, SkipReason.MALFORMED_JSON, TOO_DEEP)
    if "outlet" in metadata:  # which field named it ("source", "site"), for the outlet's evidence
        metadata["outlet_field"] = next(name for name in METADATA_FIELDS["outlet"] if value.get(name) not in (None, ""))
    if isinstance(metadata.get("authors"), str):
        metadata["authors"] = [metadata["authors"]]
    if isinstance(metadata.get("outlet"), dict):
        # {"name": "BBC News", "url": "https://www.bbc.co.uk"} (NewsAPI's `source`): the
        # clean stage reads the name and the link; only their strings are kept.
        outlet = {key: item for key, item in metadata["outlet"].items()
                  if key in OUTLET_KEYS and isinstance(item, str) and item.strip()}
        if outlet:
            metadata["outlet"] = outlet
        else:
            del metadata["outlet"]
    url = str(metadata.get("url") or "")
    media_type = "text/html" if html else "text/plain"
    return Document(content_id(raw), Origin(origin.kind, origin.location, origin.item, url), now_iso(),
                    media_type, body, metadata)


def first_string(value: dict, names: Iterable[str]) -> str:
    """The first non-empty string field among `names`."""
    for name in names:
        found = value.get(name)
        if isinstance(found, str) and found.strip():
            return found
    return ""


def first_value(value: dict, names: Iterable[str]) -> Any:
    """The first present field among `names`."""
    for name in names:
        if value.get(name) not in (None, ""):
            return value[name]
    return None


# --------------------------------------------------------------------------- feeds


def read_feed(data: bytes, origin: Origin) -> Iterator[Document | Skipped]:
    """Yield one document per item of an RSS / Atom feed (its content, else its summary)."""
    import feedparser

    label = origin.label()
    parsed = feedparser.parse(data)
    entries = parsed.get("entries") or []
    if parsed.get("bozo") and not any(entry_body(e) for e in entries):
        entries = []
    if not entries:
        problem = parsed.get("bozo_exception")
        detail = f"not a readable feed ({problem})" if problem else "the feed has no items"
        yield Skipped(label, STAGE, SkipReason.MALFORMED_FEED, detail)
        return
    feed_title = (parsed.get("feed") or {}).get("title", "")
    feed_link = (parsed.get("feed") or {}).get("link", "")
    for number, entry in enumerate(entries):
        item_origin = Origin("feed", origin.location, str(number), entry.get("link", ""))
        body = entry_body(entry)
        if not body or not body.strip():
            yield Skipped(item_origin.label(), STAGE, SkipReason.NO_BODY, "the feed item has no content or summary")
            continue
        metadata = feed_item_metadata(entry, feed_title, feed_link)
        yield feed_item_document(entry.get("link", ""), entry.get("title", ""), body, item_origin, metadata)


def feed_item_document(link: str, title: str, body: str, origin: Origin, metadata: dict[str, Any]) -> Document:
    """The document of one feed item, its body's mojibake repaired (its id: a hash of its link, title and body
    as the feed wrote them, however it was fetched)."""
    is_html = bool(re.search(r"<(p|div|br|a|span|b|i|em|strong)[\s/>]", body, re.I))
    raw = json.dumps({"link": link, "title": title, "body": body}, sort_keys=True, ensure_ascii=False)
    return Document(content_id(raw), origin, now_iso(), "text/html" if is_html else "text/plain", repair(body),
                    metadata)


def feed_item_metadata(entry, feed_title: str, feed_link: str) -> dict[str, Any]:
    """What a feed item says of its article besides its body: title, URL, outlet, date, authors (each text's
    mojibake repaired, as a JSON item's)."""
    feed_title = repair(feed_title)
    metadata: dict[str, Any] = {"source": "feed", "feed_title": feed_title, "feed_link": feed_link}
    if entry.get("title"):
        metadata["title"] = repair(entry["title"])
    if entry.get("link"):
        metadata["url"] = entry["link"]
    if feed_title:
        metadata["outlet"] = feed_title
    source = entry.get("source") or {}
    item_source = {"name": repair(source.get("title", "")), "url": source.get("href") or source.get("link", "")}
    if any(isinstance(value, str) and value.strip() for value in item_source.values()):
        metadata["item_source"] = item_source  # RSS <source url="...">Outlet</source>: where the item came from
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    if stamp:
        metadata["published"] = "%04d-%02d-%02d" % tuple(stamp[:3])
        metadata["published_raw"] = entry.get("published") or entry.get("updated") or ""
    authors = [repair(a["name"]) for a in entry.get("authors") or [] if a.get("name")]
    if authors:
        metadata["authors"] = authors
    return metadata


def entry_body(entry) -> str:
    """The text of a feed item: its full content, else its summary."""
    contents = entry.get("content") or []
    body = contents[0].get("value", "") if contents else entry.get("summary", "")
    return body if body and body.strip() else ""


# --------------------------------------------------------------------------- WARC


def read_warc(path: Path, config: IngestConfig = IngestConfig()) -> Iterator[Document | Skipped]:
    """Yield one document per HTML response record of a WARC / WARC.gz file, streaming."""
    try:
        handle = open(path, "rb")
    except OSError as exc:
        yield Skipped(str(path), STAGE, SkipReason.UNREADABLE, exc.strerror or str(exc))
        return
    with handle:
        yield from read_warc_stream(handle, str(path), config)


def gzip_problem(stream: io.IOBase) -> str | None:
    """Why a gzip stream is broken (truncated, corrupt), or None when it decompresses to its end."""
    stream.seek(0)
    if stream.read(2) != b"\x1f\x8b":
        return None
    stream.seek(0)
    try:
        with gzip.GzipFile(fileobj=stream) as unzipped:
            while unzipped.read(1 << 20):
                pass
    except (EOFError, OSError, zlib.error) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


# Compressed bytes warcio reads at a time. Deflate inflates at most ~1032x, so
# 1 KB holds at most ~1 MB inflated; warcio's default 16 KB let one record of
# zeros hold 65 MB (tracemalloc, tests/test_ingest.py's WARC bomb).
WARC_BLOCK_BYTES = 1024


def read_warc_stream(stream: BinaryIO, label: str, config: IngestConfig,
                     inflated: Inflated | None = None) -> Iterator[Document | Skipped]:
    """Read WARC records from a binary stream; a broken archive stops with one skip.

    A record the archive ends inside is skipped as truncated, never read as
    a document; the records before it are kept. `inflated` is the gzip
    reader under `stream` when the archive is inflated on the way (stdin):
    whether its gzip data was cut is known only once it has been read.
    """
    from warcio.archiveiterator import ArchiveIterator

    count = 0
    records = 0
    end = 0
    try:
        iterator = ArchiveIterator(stream, block_size=WARC_BLOCK_BYTES)
        while True:
            record = next_record(iterator, stream, label, records, count)
            if record is None:
                break
            if isinstance(record, Skipped):
                yield record
                return
            if not record.rec_type:
                yield Skipped(label, STAGE, SkipReason.MALFORMED_WARC,
                              f"record {records + 1} has no WARC-Type header; is this a WARC file?")
                return
            records += 1
            document = warc_document(record, iterator, label, config)
            shortfall = record_shortfall(record)
            if shortfall:
                yield Skipped(label, STAGE, SkipReason.TRUNCATED,
                              f"the archive ends inside record {records} ({shortfall}); "
                              f"the {count} documents before it are kept")
                return
            end = iterator.get_record_offset() + iterator.get_record_length()
            if document is not None:
                count += 1
                yield document
    except (EOFError, zlib.error, OSError, ValueError) as exc:
        yield Skipped(label, STAGE, SkipReason.TRUNCATED,
                      f"the archive ends early after {count} records ({type(exc).__name__}: {exc})")
        return
    problem = end_problem(stream, end, inflated)
    if problem:
        yield Skipped(label, STAGE, SkipReason.TRUNCATED, f"the archive ends early after {count} records ({problem})")
    elif records == 0:
        yield Skipped(label, STAGE, SkipReason.MALFORMED_WARC, "no WARC record could be read")
    elif count == 0:
        yield Skipped(label, STAGE, SkipReason.NO_BODY, f"no HTML response among the {records} records")


def end_problem(stream: BinaryIO, end: int, inflated: Inflated | None) -> str | None:
    """Why a WARC archive read past its last whole record is still incomplete, or None."""
    if inflated is not None:
        return inflated.problem
    if not stream.seekable():
        return None
    problem = gzip_problem(stream)
    stream.seek(0, io.SEEK_END)
    return problem or ("last record cut short" if end > stream.tell() else None)


def next_record(iterator, stream: io.IOBase, label: str, records: int, count: int) -> Any:
    """The next record of a WARC archive, None after the last, or a Skipped when warcio cannot read it."""
    from warcio.exceptions import ArchiveLoadFailed

    try:
        return next(iterator, None)
    except ArchiveLoadFailed as exc:
        return Skipped(label, STAGE, SkipReason.MALFORMED_WARC,
                       f"not a readable WARC after {count} records: {str(exc).splitlines()[0][:120]}")
    except (EOFError, zlib.error, OSError, ValueError) as exc:
        return Skipped(label, STAGE, SkipReason.TRUNCATED,
                       f"the archive ends early after {count} records ({type(exc).__name__}: {exc})")
    except (AttributeError, TypeError, KeyError, IndexError) as exc:
        # warcio trips over a header block it cannot make sense of (a
        # response with no WARC-Target-URI, say): cut short when the archive
        # ends there, else malformed.
        if stream.read(1):
            return Skipped(label, STAGE, SkipReason.MALFORMED_WARC,
                           f"record {records + 1} has a broken header block ({type(exc).__name__}: {exc})")
        return Skipped(label, STAGE, SkipReason.TRUNCATED,
                       f"the archive ends inside the headers of record {records + 1}; "
                       f"the {count} documents before it are kept")


def record_shortfall(record) -> str | None:
    """How a WARC record falls short of its Content-Length (its rest is read first), or None.

    warcio hands out a cut record as if it were whole: its block simply ends
    early. A cut record is never a document, however much of it is there.
    """
    block = record.raw_stream
    while block.read(1 << 16):
        pass
    missing = getattr(block, "limit", 0)  # a LimitReader when the record states its length
    if missing > 0 and record.length:
        return f"{record.length - missing:,} of its {record.length:,} bytes"
    return None


def warc_document(record, iterator, label: str, config: IngestConfig) -> Document | Skipped | None:
    """The document of one WARC record (None for records that are not HTML responses)."""
    if record.rec_type != "response":
        return None
    http = record.http_headers
    content_type = (http.get_header("Content-Type") or "") if http else ""
    if "html" not in content_type.lower():
        return None
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    payload = record.content_stream().read(config.max_bytes + 1)
    # The offset is known only once the record has been read.
    origin = Origin("warc", label, str(iterator.get_record_offset()), url)
    if len(payload) > config.max_bytes:
        return Skipped(origin.label(), STAGE, SkipReason.TOO_LARGE,
                       f"record over the limit of {config.max_bytes:,} bytes")
    if not payload.strip():
        return Skipped(origin.label(), STAGE, SkipReason.EMPTY, "the record has no payload")
    match = re.search(r"charset=([\w\-:.]+)", content_type, re.I)
    decoded = decode(payload, match.group(1) if match else None, html=True)
    if isinstance(decoded, Skipped):
        return Skipped(origin.label(), STAGE, decoded.reason, decoded.detail)
    text, encoding = decoded
    fetched = record.rec_headers.get_header("WARC-Date") or now_iso()
    return Document(content_id(payload), origin, fetched, "text/html", text,
                    {"encoding": encoding, "source": "warc", "url": url})

