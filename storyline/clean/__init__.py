"""Stage clean: turn raw documents into articles with a body, metadata and sentences.

Reads: `Document`s from ingest. Writes: one `Article` or one `Skipped` per
document, in input order.

- The format decides the extractor: text/html goes to `webpage.extract_html`
  (trafilatura), text/plain to `text.extract_plain_text`; an
  application/x-article item (a JSON or feed item) is read as HTML when its
  text is markup, else as plain text.
- Metadata the container carried (`doc.metadata`: title, published, outlet,
  url, authors, language; from a feed, a JSON line or a WARC record) wins over
  what the text gives. The outlet comes from the container's outlet field, else
  its URL or feed link (`outlet.container_outlet`), before the page's site name
  and the text's URL line, credit line or byline. A container date is normalised to ISO `YYYY-MM-DD` and
  marked stated (`inferred=False`) with its source as evidence.
- With no stated date, `published.infer_published` infers one (marked
  inferred, with evidence) from the article's URL and the sentences. The URL
  is the container's (`url` field, feed link, page URL), else the one the
  document gives (a URL line opening a plain text, a page's canonical URL):
  the first of them that holds a date.
- The body is the paragraphs joined by a blank line; `sentences` splits it into
  sentences with ids `<article id>:<n>` and offsets into the body.
- Language: the container's, else the page's `<html lang>`, else py3langid on
  the body.

Skips: an unknown media type (UNSUPPORTED), an input or body over the size
limits (TOO_LARGE; a plain-text line over the body limit is refused before
any parse), no body or a body shorter than `min_body_chars` (NO_BODY).

Deterministic: the same document and config give the same article and ids
(the article id is the document id).
"""

from __future__ import annotations

import datetime
import email.utils
import functools
import itertools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from storyline.clean import outlet as outlets
from storyline.clean import published as published_dates
from storyline.clean import sentences as sentence_splitter
from storyline.clean import text as plain_text
from storyline.clean.extracted import Extracted
from storyline.clean.text import OTHER_BASE, RELATIVE_BASE
from storyline.clean.url_dates import date_in_url
from storyline.records import Article, Document, Outlet, Published, Sentence, SkipReason, Skipped

STAGE = "clean"

# ISO 639-2 code for "undetermined": py3langid was not confident enough.
UNDETERMINED_LANGUAGE = "und"

# Markup in an application/x-article item's text: then it is HTML, else plain text.
_MARKUP = re.compile(
    r"<(?:!doctype|html|head|body|article|section|div|p|br|span|a|img|figure|ul|ol|li|h[1-6]|b|i|em|strong)[\s/>]",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class CleanConfig:
    """Knobs of the clean stage.

    min_body_chars: a shorter body is no article (Skipped NO_BODY).
    max_body_chars: a longer body is no news article (a dump, a book).
    max_input_chars: a larger raw document is skipped before parsing.
    batch_size: documents whose sentences are split in one spaCy pass.
    language_sample_chars: how much of the body py3langid reads.
    min_language_confidence: below this py3langid probability the language is
      "und"; 0.5 is a judgement (a two-word body reads as Nigerian Pidgin at
      0.09, one English headline as English at 0.55), not a bench result.
    """

    min_body_chars: int = 1
    max_body_chars: int = 200_000
    max_input_chars: int = 5_000_000
    batch_size: int = 64
    language_sample_chars: int = 5_000
    min_language_confidence: float = 0.5


def clean_documents(docs: Iterable[Document], config: CleanConfig = CleanConfig()) -> Iterator[Article | Skipped]:
    """Yield one Article or Skipped per document, in order, splitting sentences batch by batch."""
    iterator = iter(docs)
    while batch := list(itertools.islice(iterator, config.batch_size)):
        yield from _clean_batch(batch, config)


def clean_document(doc: Document, config: CleanConfig = CleanConfig()) -> Article | Skipped:
    """Return the cleaned Article of one document, or why it was skipped."""
    return _clean_batch([doc], config)[0]


def _clean_batch(docs: Sequence[Document], config: CleanConfig) -> list[Article | Skipped]:
    """Extract every document of a batch, then split all their sentences in one pass."""
    extracted: list[tuple[Document, Extracted, list[str]] | Skipped] = []
    for doc in docs:
        result = _extract(doc, config)
        if isinstance(result, Skipped):
            extracted.append(result)
            continue
        paragraphs = _paragraphs(result.paragraphs)
        body_chars = len(sentence_splitter.join_paragraphs(paragraphs))
        if body_chars == 0 or body_chars < config.min_body_chars:
            extracted.append(_skip(doc, SkipReason.NO_BODY, _no_body_detail(result, body_chars, config)))
        elif body_chars > config.max_body_chars:
            extracted.append(
                _skip(doc, SkipReason.TOO_LARGE, f"body has {body_chars} characters, limit {config.max_body_chars}")
            )
        else:
            extracted.append((doc, result, paragraphs))

    ready = [item for item in extracted if not isinstance(item, Skipped)]
    split = iter(sentence_splitter.split_many([(doc.id, paragraphs) for doc, _, paragraphs in ready]))
    return [
        item if isinstance(item, Skipped) else _article(*item, next(split), config)
        for item in extracted
    ]


def _no_body_detail(extracted: Extracted, body_chars: int, config: CleanConfig) -> str:
    """Say why a document has no usable body."""
    if body_chars == 0 and any(removed.kind == "navigation" for removed in extracted.removed):
        return "no article text: the page's only text is its navigation"
    if body_chars == 0:
        return "no article text found"
    return f"body has {body_chars} characters, minimum {config.min_body_chars}"


def _extract(doc: Document, config: CleanConfig) -> Extracted | Skipped:
    """Return what the format's extractor finds in a document, or why it cannot run."""
    # The HTML reader on the first page: trafilatura and lxml (some 37 MB a process) are not imported by a
    # process that reads plain text only, nor by the driver of Dask workers (storyline/parallel.py).
    from storyline.clean.webpage import extract_html

    if len(doc.text) > config.max_input_chars:
        return _skip(doc, SkipReason.TOO_LARGE, f"{len(doc.text)} characters, limit {config.max_input_chars}")
    media_type = doc.media_type.split(";")[0].strip().lower()
    title = _text_field(doc.metadata, "title") or None
    if media_type in ("text/html", "application/xhtml+xml"):
        return extract_html(doc.text, url=_url(doc))
    if media_type == "text/plain" or (media_type == "application/x-article" and not _MARKUP.search(doc.text)):
        longest = _longest_line(doc.text)
        if longest > config.max_body_chars:
            # The plain-text reader tags lines with spaCy before the body limit
            # is known: 990,000 characters took 50 s and 3.5 GB, over 1,000,000
            # spaCy refuses (E088). A line is one body paragraph, so a line over
            # the body limit can only end as TOO_LARGE: say so before parsing.
            return _skip(doc, SkipReason.TOO_LARGE,
                         f"a line of {longest:,} characters, over the body limit of {config.max_body_chars:,}")
        return plain_text.extract_plain_text(doc.text, title=title)
    if media_type == "application/x-article":
        return extract_html(doc.text, url=_url(doc))
    return _skip(doc, SkipReason.UNSUPPORTED, f"media type {doc.media_type!r}; expected text/html or text/plain")


def _longest_line(text: str) -> int:
    """The length of the longest line, lines split as the plain-text reader splits them."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return max((len(line.strip()) for line in lines), default=0)


# Blocks cut from the body that still date the page: a photo is taken before
# the article that shows it.
DATING_BLOCKS = frozenset({"caption", "photo-credit"})


def _article(
    doc: Document,
    extracted: Extracted,
    paragraphs: list[str],
    sentences: tuple[Sentence, ...],
    config: CleanConfig,
) -> Article:
    """Assemble the Article: container metadata first, then what the text gave."""
    body = sentence_splitter.join_paragraphs(paragraphs)
    metadata = doc.metadata
    stated = _stated_published(doc) or extracted.published
    if stated is None or stated.value is None:
        hints = [r.text for r in extracted.removed if r.kind in DATING_BLOCKS]
        published = published_dates.infer_published([s.text for s in sentences], stated=None, hints=hints,
                                                     url=_dating_url(doc, extracted))
    else:
        published = stated
    return Article(
        id=doc.id,
        document_id=doc.id,
        origin=doc.origin,
        title=_text_field(metadata, "title") or extracted.title,
        outlet=outlets.choose(outlets.container_outlet(metadata, _url(doc), _container(doc)), extracted.outlet),
        authors=_authors(metadata.get("authors")) or extracted.authors,
        published=published,
        language=_language(metadata, extracted, body, config),
        body=body,
        sentences=sentences,
        removed=extracted.removed,
    )


def _skip(doc: Document, reason: SkipReason, detail: str) -> Skipped:
    """Return the Skipped record of one document."""
    return Skipped(doc.origin.label(), STAGE, reason, detail)


def _paragraphs(paragraphs: Sequence[str]) -> list[str]:
    """Return the non-blank paragraphs, trimmed, with no blank line inside any of them."""
    cleaned = []
    for paragraph in paragraphs:
        lines = [line.strip() for line in paragraph.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
        text = "\n".join(line for line in lines if line)
        if text:
            cleaned.append(text)
    return cleaned


def _text_field(metadata: Mapping[str, Any], key: str) -> str:
    """Return a metadata field as one trimmed line, or ''."""
    value = metadata.get(key)
    return " ".join(value.split()) if isinstance(value, str) else ""


def _url(doc: Document) -> str:
    """Return the article's own URL: the container's field, else the origin's."""
    return _text_field(doc.metadata, "url") or doc.origin.url


def _dating_url(doc: Document, extracted: Extracted) -> str:
    """The article's URL to read a date from: the container's, else the document's own, the first with a date."""
    given = [url for url in (_url(doc), extracted.url) if url]
    return next((url for url in given if date_in_url(url) is not None), given[0] if given else "")


def _authors(value: Any) -> tuple[str, ...]:
    """Return author names from a metadata field: a list of names or {"name": ...}, or one string."""
    if isinstance(value, str):
        value = re.split(r"\s*;\s*|\s+and\s+", value)
    if not isinstance(value, list | tuple):
        return ()
    names = (item.get("name") if isinstance(item, Mapping) else item for item in value)
    return tuple(" ".join(name.split()) for name in names if isinstance(name, str) and name.strip())


def _container(doc: Document) -> str:
    """Name the container that carried the metadata: feed, json, warc (ingest's `source`)."""
    source = doc.metadata.get("source")
    return source if isinstance(source, str) and source else doc.origin.kind


def _field_evidence(container: str, field: str) -> str:
    """Say where a metadata field came from: "json field published", "warc metadata published"."""
    return f"json field {field}" if container in ("json", "jsonl") else f"{container} metadata {field}"


def _stated_published(doc: Document) -> Published | None:
    """Return the container's publication date as ISO, or None if absent or unreadable."""
    raw = doc.metadata.get("published")
    if isinstance(raw, datetime.datetime | datetime.date):
        value: str | None = raw.isoformat()[:10]
    elif isinstance(raw, int | float) and not isinstance(raw, bool):
        value = _timestamp_date(raw)
    elif isinstance(raw, str) and raw.strip():
        value = normalise_date(raw)
    else:
        return None
    if value is None:
        return None
    container = _container(doc)
    if container == "feed":
        shown = doc.metadata.get("published_raw") or raw
        return Published(value, inferred=False, evidence=f"feed: {shown}")
    return Published(value, inferred=False, evidence=f"{_field_evidence(container, 'published')}: {raw}")


def _timestamp_date(stamp: float) -> str | None:
    """Return the UTC date of a Unix timestamp in seconds or milliseconds, or None if absurd."""
    seconds = stamp / 1000 if abs(stamp) > 1e11 else stamp  # 1e11 s is year 5138: must be milliseconds
    try:
        return datetime.datetime.fromtimestamp(seconds, tz=datetime.timezone.utc).date().isoformat()
    except (OverflowError, OSError, ValueError):
        return None


def normalise_date(raw: str) -> str | None:
    """Return a stated date (ISO 8601, RFC 822, or a written date) as `YYYY-MM-DD`, or None."""
    text = raw.strip()
    try:
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    if not any(character.isdigit() for character in text):
        return None  # no day and no year: not a full date (and dateparser's first call costs seconds)
    import dateparser  # only needed for dates written out in words

    # A relative date ("3 days ago") would be counted from the clock: read from
    # two fixed bases, it moves with them, and is refused.
    settings = {"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"], "RELATIVE_BASE": RELATIVE_BASE}
    parsed = dateparser.parse(text, settings=settings)
    if parsed is None or parsed != dateparser.parse(text, settings={**settings, "RELATIVE_BASE": OTHER_BASE}):
        return None
    return parsed.date().isoformat()


def _language(metadata: Mapping[str, Any], extracted: Extracted, body: str, config: CleanConfig) -> str:
    """Return the container's language, else the page's, else py3langid's reading of the body."""
    declared = _text_field(metadata, "language").lower()
    if declared:
        return declared.split("-")[0].split("_")[0]
    if extracted.language:
        return extracted.language
    language, confidence = _language_identifier().classify(body[: config.language_sample_chars])
    return language if confidence >= config.min_language_confidence else UNDETERMINED_LANGUAGE


@functools.lru_cache(maxsize=1)
def _language_identifier() -> LanguageIdentifier:
    """Return py3langid's identifier with probabilities normalised to 0..1."""
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


__all__ = ["CleanConfig", "clean_document", "clean_documents", "normalise_date", "STAGE"]
