"""The typed records that flow between the pipeline stages.

Every stage reads and returns these frozen dataclasses; dicts appear only at the
JSON edges (CLI, API, store rows). Ids come from content hashes so that a re-run
is a no-op and two machines agree on ids. Change a record with
`dataclasses.replace`, never in place.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field
from typing import Any, Mapping


ID_LENGTH = 16


def content_id(data: bytes | str) -> str:
    """Return the stable short id (hex of SHA-256) of some content."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:ID_LENGTH]


def sentence_id(article_id: str, n: int) -> str:
    """Return the stable id `<article>:<n>` of the n-th sentence of an article."""
    return f"{article_id}:{n}"


class SkipReason(str, enum.Enum):
    """Why a stage could not use an input: a closed set that CLI, bench and UI count."""

    EMPTY = "empty"
    BINARY = "binary"
    UNDECODABLE = "undecodable"
    TOO_LARGE = "too-large"
    UNREADABLE = "unreadable"
    UNSUPPORTED = "unsupported"
    MALFORMED_HTML = "malformed-html"
    MALFORMED_JSON = "malformed-json"
    MALFORMED_FEED = "malformed-feed"
    MALFORMED_WARC = "malformed-warc"
    TRUNCATED = "truncated"
    NO_BODY = "no-body"


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input a stage could not use: bad input is data, counted and shown."""

    input: str
    stage: str
    reason: SkipReason
    detail: str

    def message(self) -> str:
        """One line for stderr naming the input and the reason."""
        return f"skipped {self.input}: {self.reason.value} ({self.detail})"


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a document came from.

    kind: file, stdin, url, feed, warc, jsonl.
    location: the path or URL of the container.
    item: the position of the item inside a container (feed entry, JSON line,
      WARC record offset), empty for a whole file.
    url: the article's own URL when the container carried one.
    """

    kind: str
    location: str
    item: str = ""
    url: str = ""

    def label(self) -> str:
        """A human-readable name of the input, for messages."""
        return f"{self.location}#{self.item}" if self.item else self.location


@dataclass(frozen=True, slots=True)
class Document:
    """One raw article as ingested (stage: ingest).

    media_type: text/plain, text/html or application/x-article (a JSON / feed
      item whose fields are already split into title, text, html...).
    text: the decoded text (HTML source for text/html).
    metadata: what the container carried: feed pubDate, JSON fields, HTTP
      headers of a WARC record, the detected encoding.
    """

    id: str
    origin: Origin
    fetched: str
    media_type: str
    text: str
    metadata: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Outlet:
    """The outlet that published an article and how we know it.

    how: metadata, feed, url, credit-line, byline, unknown.
    """

    name: str = ""
    domain: str = ""
    how: str = "unknown"
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class Published:
    """A publication date (ISO `YYYY-MM-DD`, or None) with how it was found."""

    value: str | None = None
    inferred: bool = False
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of an article body with its id and offsets into the body."""

    id: str
    n: int
    text: str
    start: int
    end: int
    paragraph: int = 0


@dataclass(frozen=True, slots=True)
class Removed:
    """A block cut from the body, kept as metadata.

    kind: title-repeat, caption, photo-credit, byline, author-bio,
      share-prompt, comment-prompt, related-links, contributor-credit,
      date-line, navigation, other.
    """

    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article (stage: clean): body, sentences, metadata."""

    id: str
    document_id: str
    origin: Origin
    title: str
    outlet: Outlet
    authors: tuple[str, ...]
    published: Published
    language: str
    body: str
    sentences: tuple[Sentence, ...]
    removed: tuple[Removed, ...] = ()
    duplicate_of: str | None = None

    @property
    def paragraphs(self) -> list[str]:
        """The body split into its paragraphs."""
        return [p for p in self.body.split("\n\n") if p.strip()]


@dataclass(frozen=True, slots=True)
class DuplicateSet:
    """A canonical article and the articles that copy it (stage: dedup).

    relation: exact, near, or syndicated (copies of one wire story). Copies of
    one wire story count as ONE independent source in a brief.
    """

    canonical: str
    members: tuple[str, ...]
    relation: str
    score: float = 1.0


@dataclass(frozen=True, slots=True)
class Story:
    """A group of articles that report one event (stage: cluster)."""

    id: str
    articles: tuple[str, ...]
    first_seen: str | None
    last_seen: str | None
    label: str = ""
    outlets: tuple[str, ...] = ()  # names (or domains) of the outlets of its articles, when known


# --- analyse: time


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """A time expression of one sentence and the date it resolves to (stage: timeline).

    start, end: character offsets of the expression in the sentence text.
    value: ISO date "2021-12-30", month "2014-03", year "2008", or a range
      "2022-01-09/2022-01-10" (weeks are ranges Monday/Sunday); None when the
      expression could not be resolved (no anchor, nothing to count from).
    granularity: day, week, month, year or range.
    anchor: what it was resolved against: "published 2022-01-04",
      "event <sentence id>", "text" (an absolute date needs none) or "".
    rule: the rule that resolved it (absolute, month-day, weekday, offset...).
    inferred: the anchor itself was inferred, or the resolution needed a guess.
    clause: character offsets of the clause that holds the expression, as it can be read alone (its
      independent clause, without the adverbial and coordinated clauses that follow or precede it);
      None when the sentence has no such clause apart from itself.
    phrase: character offsets of the noun phrase whose relative or participial clause holds the
      expression ("the invasion that began in 2014 in Donbass"), or None.
    """

    sentence_id: str
    start: int
    end: int
    text: str
    value: str | None
    granularity: str
    anchor: str
    rule: str
    inferred: bool = False
    clause: tuple[int, int] | None = None
    phrase: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """One dated event of a story: the sentences (of one or more articles) that report it.

    date: the value of the resolved time expression (see `TimeExpression.value`).
    event: the text of the main event, verbatim from a source sentence: the sentence, the clause that
      holds the date, or the noun phrase whose relative clause holds it, whichever reads alone.
    order: the position of the row in its timeline (0 first).
    inferred: no source writes the date out in full: it was worked out ("last Thursday", "Dec. 30"
      with its year from the publication date, "a day later") or rests on an inferred date.
    evidence: the time expressions that dated it, as the text says them.
    """

    date: str
    granularity: str
    event: str
    cites: tuple[str, ...]
    articles: tuple[str, ...]
    inferred: bool
    order: int
    evidence: str = ""


# --- brief: what a reader gets for one story (stage: brief; rendered by render)


@dataclass(frozen=True, slots=True)
class Statement:
    """A piece of text taken from source sentences, with the ids of the sentences that support it.

    sources: the articles those sentences belong to (independent sources once
    copies of one wire story are counted once).
    """

    text: str
    cites: tuple[str, ...]
    sources: tuple[str, ...] = ()
    inferred: bool = False
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class BriefSource:
    """One article of the story as the brief lists it."""

    label: str
    article: str
    outlet: str
    title: str
    published: str | None
    published_inferred: bool
    duplicate_of: str | None = None


@dataclass(frozen=True, slots=True)
class BriefConflict:
    """Claims of different sources that disagree, with what differs."""

    kind: str
    claims: tuple[Statement, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class UpdateValue:
    """One value a figure had: as a statement of one source, as of its publication date (and the time of
    day its date line states: "2010-05-05 7:12pm BST"); in a report not dated, as of the time its sentence
    states ("By Saturday": "Saturday"), else "undated"."""

    value: str
    as_of: str
    statement: Statement
    # The as-of is inferred: an inferred publication date, or a place in an order worked out from the count's
    # growth between reports not all dated (the update's reason says so).
    inferred: bool = False


@dataclass(frozen=True, slots=True)
class FigureUpdate:
    """A count or measure about one subject that changed as reports came in (a toll that rose).

    values: oldest first; reason: what changed, for a reader ("dead: 3 (2005-11-27) -> 10 (2005-11-28)").
    """

    subject: str
    values: tuple[UpdateValue, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class SourceView:
    """What one source adds that the others do not, and where it stands apart."""

    article: str
    adds: tuple[Statement, ...]
    stands_apart: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """A row of the brief's timeline."""

    date: str
    granularity: str
    event: Statement
    inferred: bool
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class EntityEntry:
    """An entity of the brief with every surface form and role, each with the articles using it."""

    name: str
    type: str
    forms: tuple[tuple[str, tuple[str, ...]], ...]
    roles: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True, slots=True)
class QuoteEntry:
    """Wordings of one statement, side by side, with the speaker."""

    speaker: str | None
    variants: tuple[Statement, ...]
    differences: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Brief:
    """The cross-source brief of one story."""

    story: str
    version: int
    label: str
    sources: tuple[BriefSource, ...]
    summary: tuple[Statement, ...]
    per_source: tuple[SourceView, ...] = ()
    agreed: tuple[Statement, ...] = ()
    single_source: tuple[Statement, ...] = ()
    conflicts: tuple[BriefConflict, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    entities: tuple[EntityEntry, ...] = ()
    quotes: tuple[QuoteEntry, ...] = ()
    updates: tuple[FigureUpdate, ...] = ()
    # (section, how many more than it shows): single_source, per_source (adds), entities.
    omitted: tuple[tuple[str, int], ...] = ()
    # Quotes of one statement whose words differ (kind quote-wording): shown beside the conflicts,
    # not counted as one, since another wording of a quote is not another fact.
    wording: tuple[BriefConflict, ...] = ()


# --- analyse: entities and quotes (stages: entities, quotes)


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of one sentence that names an entity (offsets into the sentence text).

    label: the spaCy NER label, or ROLE (a role standing for a person, e.g.
      "the U.S. president") or HANDLE (a social-media handle such as "@POTUS").
    """

    sentence: str
    start: int
    end: int
    text: str
    label: str


@dataclass(frozen=True, slots=True)
class EntityForm:
    """One surface form (or role) of an entity with the articles and sentences that use it."""

    text: str
    articles: tuple[str, ...]
    sentences: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Entity:
    """One entity of a story: canonical name, type, every surface form, roles the text ties to it.

    type: PERSON, ORG, GPE, LOC, NORP, FAC, EVENT, PRODUCT, ... (the majority
      NER label of its mentions).
    roles: descriptions the text ties to the name by apposition or compound
      ("White House press secretary" for "White House press secretary Jen Psaki"),
      each with the articles and sentences that tie it to the name.
    """

    id: str
    name: str
    type: str
    forms: tuple[EntityForm, ...]
    roles: tuple[EntityForm, ...] = ()
    mentions: tuple[Mention, ...] = ()


@dataclass(frozen=True, slots=True)
class Quote:
    """One direct quote in one article.

    speaker: the id of the speaking entity, or None when the text names no
      speaker we could resolve; speaker_name: the speaker as the text or the
      entity names it ("" when unknown). cue: the verb or phrase that ties the
      quote to its speaker ("said", "according to").
    """

    text: str
    speaker: str | None
    speaker_name: str
    cue: str
    sentence_ids: tuple[str, ...]
    article: str


@dataclass(frozen=True, slots=True)
class QuoteGroup:
    """Wordings of one statement across articles, side by side.

    differences: word-level differences between the first variant and each
      other one ("respond -> react", "+ of Ukraine", "- here").
    """

    id: str
    speaker: str | None
    speaker_name: str
    variants: tuple[Quote, ...]
    differences: tuple[str, ...] = ()


# --- claims and compare: statements with their slots, aligned across sources (stages: claims, compare)


@dataclass(frozen=True, slots=True)
class Slot:
    """One checkable value a claim states.

    kind: number, quantity, date, person, org, place, negation.
    text: the words in the claim (e.g. "about 100,000 troops", "March 2014").
    value: normalised: a float for number / quantity (quantities in base
      units), an ISO date (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`, `--MM-DD` when the
      year is unknown) or "" when unresolved, a canonical name, "not".
    unit: base unit of a quantity, the counted noun of a number ("troop"), "".
    qualifier: about, more than, less than, at least, at most, nearly, "" (exact).
    relation: for a duration, the word that makes it relative (after, before,
      later, earlier, ago), else "".
    """

    kind: str
    text: str
    value: float | str
    unit: str = ""
    qualifier: str = ""
    relation: str = ""


@dataclass(frozen=True, slots=True)
class Claim:
    """A statement taken from one sentence: the sentence or one clause of it, never reworded.

    start, end: character offsets of `text` in the sentence's text.
    lemmas: content lemmas (lower case) used to align claims across sources.
    quotes: quoted strings (the text between quotation marks) starting in this claim.
    predicate: lemma of the clause's main verb.
    """

    id: str
    article: str
    sentence_id: str
    text: str
    start: int
    end: int
    slots: tuple[Slot, ...] = ()
    lemmas: tuple[str, ...] = ()
    quotes: tuple[str, ...] = ()
    predicate: str = ""


@dataclass(frozen=True, slots=True)
class ClaimGroup:
    """Claims of different articles that state the same thing.

    sources: independent sources (article ids, copies of one wire story counted once).
    kind: agreed (two or more independent sources) or single.
    """

    id: str
    claims: tuple[Claim, ...]
    sources: tuple[str, ...]
    kind: str


# The conflict kind of two wordings of one quote whose words differ ("respond" vs "react"): no fact
# stated otherwise, so the brief lists it apart from the conflicts (`Brief.wording`); and of two
# wordings whose words turn the statement round ("will sign" / "will not sign"): a conflict.
WORDING, TURNED = "quote-wording", "quote"


@dataclass(frozen=True, slots=True)
class Conflict:
    """Claims of different sources whose values disagree, with what differs.

    kind: number, date, time, name, place, attribute, contact (one telephone number written
      otherwise), relative-date, quote (a quote worded to say the opposite), quote-wording (a
      quote worded otherwise: not a conflict of fact); and two kinds
      that are no disagreement, only candidates for the brief's updates: revision (two
      copies of one report state a figure otherwise) and figure-change (two compatible
      figures of one subject stated otherwise, "at least 6,000" and "about 10,000").
    reason: what differs, e.g. "March 2014 vs March 2021".
    subject: what a number conflict counts or measures (dead, injured,
      magnitude, meter), "" when not known or not a number.
    """

    kind: str
    claims: tuple[Claim, ...]
    reason: str
    subject: str = ""


def independent_root(article_id: str, duplicate_of: Mapping[str, str]) -> str:
    """The canonical article of a copy (itself when it is no copy)."""
    seen = set()
    while article_id in duplicate_of and article_id not in seen:
        seen.add(article_id)
        article_id = duplicate_of[article_id]
    return article_id
