"""Plain-text article cleaner: the body of a scraped text, and the blocks around it.

Reads: one article as plain text scraped from the web (lines, paragraphs split
  by blank lines), optionally with the title its container knew.
Writes: an `Extracted` record: the body as paragraphs (the body's own text,
  unchanged, one paragraph per line or per run of wrapped lines), every cut
  block as `Removed(kind, text)`, and what those blocks tell: title, authors,
  outlet, publication date, the article's URL (the URL line that opens it).
Skips: never. A text with no body (empty, whitespace, only boilerplate) gives
  an `Extracted` with no paragraphs; the clean stage turns that into
  `Skipped(NO_BODY)`.
Deterministic: yes (same text, same result).

How a line is judged: by its features and its place, never by phrases of
known articles. Features: length, sentence form (terminal punctuation, a
finite verb from spaCy's tagger), stop-word density (jusText's English
stoplist), capitalisation, a spaCy PERSON entity covering the line, a date
covering the line (dateparser), a URL, repetition of the title, and a handful
of generic cue words that every news cleaner knows (photo, reply, share...).
A cue word alone never cuts a line that reads as prose: cues count only on
lines that are not sentences, or on short lines inside the run of boilerplate
that closes the text. Only short candidate lines are parsed with spaCy, never
the long body sentences.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass, field

from storyline import nlp
from storyline.clean.extracted import Extracted
from storyline.clean.outlet import domain_of
from storyline.records import Outlet, Published, Removed

# How far from each end boilerplate is looked for: a head holds a URL, title,
# dates, bylines, captions; a tail holds credits, author boxes, prompts.
HEAD_LINES = 10
TAIL_LINES = 15
# A line of this many words or fewer, without terminal punctuation, is a
# "stub" (a label, a prompt, a heading), not body prose.
STUB_WORDS = 6
# A title is one line of at most this many words (longest headline in
# ecbplus topics 1-19 has 27).
TITLE_MAX_WORDS = 30
# The closing run cuts a label without cue or verb only this short (seed and
# ECB+ labels have 1-3 words; benchmark list items have 5+).
OTHER_MAX_WORDS = 4
# Short lines of the closing run that a cue can cut even in sentence form
# ("Your email address will not be published.").
TAIL_CUE_MAX_WORDS = 15
# A date line is short and mostly date: at most this many words outside the date.
DATE_LINE_MAX_CHARS = 90
DATE_LINE_MAX_OTHER_WORDS = 4
# Stop-word share (jusText's English list) of a line of prose: ECB+ topics
# 1-19 headlines have median 0.25, 95th percentile 0.50 and long ones up to
# 0.53; body lines median 0.54, upper quartile 0.61 (bench/clean_text.py,
# 2026-11). Only lines this long are judged by it.
PROSE_STOPWORD_DENSITY = 0.60
PROSE_MIN_WORDS = 15

# Sentence end, then closing quotes or brackets (some scrapes put a space before them).
TERMINAL = re.compile(r"[.!?…。！？](?:\s?[\"'”’“)\]])*\s*$")
URL = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$", re.IGNORECASE)
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
LABEL_STUB = re.compile(r"^\s*([^\W\d_][\w .'’-]{0,30}?)\s*:\s*$")
LABEL_VALUE = re.compile(r"^\s*([^\W\d_][\w '’-]{0,20}?)\s*:\s*(\S.{0,60})$")
LABEL_LEAD = re.compile(r"^\s*([^\W\d_][\w '’-]{0,20}?)\s*:\s*\S")
# Word starts of a label that dates the page itself ("Published:", "Last updated on:", "Story created:").
_PUBLISHING_WORDS = ("publi", "post", "updat", "creat", "edit", "modif", "releas", "date", "time", "filed",
                     "print", "issue", "written")
_DAY_WORDS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue",
                        "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "today", "january", "february",
                        "march", "april", "may", "june", "july", "august", "september", "october", "november",
                        "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
                        "dec"})
# "Jane Doe/Reuters", "AP Photo/Jane Doe": the slash credit of a picture.
SLASH_CREDIT = re.compile(r"\b[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*)*\s*/\s*[A-Z][\w&.-]*(?: [A-Z][\w.-]*)*\s*\)?\s*$")
BYLINE = re.compile(r"^\s*by\s+(?P<names>\S.*)$", re.IGNORECASE)
CREDIT_POSSESSIVE = re.compile(r"\bby\s+(?P<outlet>[A-Z][\w/&.-]*(?:\s+[A-Z][\w/&.-]*)*?)\s*['’]s\s+\w+")
YEARISH = re.compile(r"\b(?:1[89]|20)\d\d\b|\b\d{1,2}\s*[/.]\s*\d{1,2}\s*[/.]\s*\d{2,4}\b")
# dateparser counts relative dates ("3 days ago") back from RELATIVE_BASE, never
# from the clock (at noon, so that "2 hours ago" stays on its day). A date read
# the same from OTHER_BASE is stated, one that moves with the base is relative.
# The base year also fixes two-digit years: "08" is 2008, "49" 2049, "50" 1950.
RELATIVE_BASE = datetime.datetime(2049, 3, 15, 12)
OTHER_BASE = datetime.datetime(2049, 9, 15, 12)
DATE_PREFIX = re.compile(
    r"^\s*(?P<prefix>(?:[A-Za-z]+:?\s+){0,2}?"
    r"(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4}"
    r"|[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4}|\d{1,2} [A-Z][a-z]{2,8}\.? \d{4}))"
    r"\s+(?P<rest>[A-Z“\"‘'].*)$"
)

# Generic cue words of news-page furniture (one feature among several).
PHOTO_CUE = re.compile(r"\b(?:photo|photos|photograph|pictured|image|file photo|getty|courtesy)\b|\((?:left|right|center|centre|top|bottom|l|r|c)\)", re.IGNORECASE)
# "(left)", "(file photo)", "(AP Photo/Jane Doe)": notes that only a picture has.
PICTURE_NOTE = re.compile(r"\((?:[^()]*\b(?:photo|file|pictured|left|right|center|centre|l|r)\b[^()]*)\)", re.IGNORECASE)
CREDIT_CUE = re.compile(r"\b(?:contributed|contributing|reporting by|reported by|additional reporting|writing by|editing by)\b", re.IGNORECASE)
COMMENT_CUE = re.compile(r"\b(?:reply|replies|comment|comments|email address|e-mail address|required fields|log in|sign in|sign up|discussion)\b", re.IGNORECASE)
SHARE_CUE = re.compile(r"\b(?:share|shares|tweet|twitter|facebook|whatsapp|linkedin|pinterest|reddit|email|e-mail|print|follow|subscribe)\b", re.IGNORECASE)
RELATED_CUE = re.compile(r"\b(?:related|read more|more from|more on|see also|recommended|tags|topics|also read|most read|popular)\b", re.IGNORECASE)
AUTHOR_CUE = re.compile(r"\b(?:author|authors|about the author|articles|posts|columnist|reporter|correspondent|staff writer)\b", re.IGNORECASE)
AD_CUE = re.compile(r"\b(?:advertisement|advertising|sponsored|story continues below|continue reading)\b", re.IGNORECASE)
COPYRIGHT_CUE = re.compile(r"©|\bcopyright\b|\ball rights reserved\b", re.IGNORECASE)
DATE_CUE = re.compile(r"\b(?:updated|published|posted|date|dated|modified|created|last updated)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Cut:
    """A line cut from the body: its kind and text."""

    kind: str
    text: str


def extract_plain_text(text: str, title: str | None = None) -> Extracted:
    """Split a scraped plain-text article into body paragraphs and removed blocks."""
    lines = [line.strip() for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line.replace("\u00a0", " ").strip() for line in lines]
    filled = [i for i, line in enumerate(lines) if line]
    given_title = (title or "").strip()
    if not filled:
        return Extracted(title=given_title, paragraphs=())

    reader = _Reader(lines)
    cuts: dict[int, _Cut] = {}
    found = _Found(title=given_title)

    _split_date_prefix(lines, filled, cuts, found)
    # The tail first: a name in an author box must not count as a name the body talks about.
    _read_tail(reader, filled, cuts, found)
    _read_head(reader, filled, cuts, found)
    _read_middle(reader, filled, cuts, found)

    paragraphs = _paragraphs(lines, cuts)
    removed = tuple(Removed(cut.kind, cut.text) for _, cut in sorted(cuts.items()) if cut.kind != "title")
    return Extracted(
        title=found.title,
        paragraphs=paragraphs,
        removed=removed,
        authors=tuple(dict.fromkeys(found.authors)),
        outlet=found.outlet,
        published=found.published,
        url=found.url,
    )


@dataclass(slots=True)
class _Found:
    """Metadata gathered while reading (mutable only inside one call)."""

    title: str
    authors: list[str] = field(default_factory=list)
    outlet: Outlet = Outlet()
    published: Published | None = None
    published_is_update: bool = True
    url: str = ""


class _Reader:
    """Features of the lines of one text, spaCy-parsed lazily and only on request: the tags of a line
    first, its entities only when they are asked (the NER was a quarter of clean's CPU time, and most
    lines are only asked for a verb)."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        self._docs: dict[int, object] = {}
        self._named: set[int] = set()

    def parse(self, indices: list[int]) -> None:
        """Tag the given lines in one batch (short candidate lines only)."""
        todo = [i for i in indices if i not in self._docs and self.lines[i]]
        if not todo:
            return
        pipeline = _pipeline()
        for i, doc in zip(todo, pipeline.pipe(self.lines[i] for i in todo)):
            self._docs[i] = doc

    def doc(self, i: int):
        """The spaCy doc of line i, tagged (tagged now if it was not in a batch); no entities."""
        if i not in self._docs:
            self.parse([i])
        return self._docs[i]

    def named(self, i: int):
        """The spaCy doc of line i with its entities too (spaCy's NER run on the tagged doc once)."""
        doc = self.doc(i)
        if i not in self._named:
            _recogniser()(doc)
            self._named.add(i)
        return doc

    def has_finite_verb(self, i: int) -> bool:
        """True when line i has a finite verb (or modal), the mark of a clause."""
        return any(
            token.tag_ in ("VBD", "VBZ", "VBP", "MD") or "Fin" in token.morph.get("VerbForm")
            for token in self.doc(i)
        )

    def person_only(self, i: int) -> str | None:
        """The name when line i is only a person's name (a PERSON entity covering it)."""
        if not _may_be_a_name(self.doc(i), self.lines[i]):
            return None
        return _person_covering(self.named(i), self.lines[i])


@functools.lru_cache(maxsize=1)
def _pipeline():
    """spaCy's tagger only: enough for finite verbs (`_Reader.named` adds the entities)."""
    return nlp.load(("tok2vec", "tagger", "attribute_ruler"))


@functools.lru_cache(maxsize=1)
def _recogniser():
    """spaCy's NER, run on a doc the tagger made: the entities it would get in one pass (its own tok2vec)."""
    return nlp.model().get_pipe("ner")


@functools.lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    """jusText's English stop-word list."""
    import justext

    return frozenset(justext.get_stoplist("English"))


def _words(line: str) -> list[str]:
    """The words of a line (letters and digits, with inner apostrophes)."""
    return WORD.findall(line)


def _word_count(line: str) -> int:
    """How many words a line has."""
    return len(_words(line))


def _stopword_density(line: str) -> float:
    """Share of a line's words that are English stop-words (jusText's measure)."""
    words = [w.lower() for w in _words(line)]
    if not words:
        return 0.0
    stop = _stopwords()
    return sum(w in stop for w in words) / len(words)


def _is_stub(line: str) -> bool:
    """A short line that is not a sentence: a label, a prompt, a heading."""
    return _word_count(line) <= STUB_WORDS and not TERMINAL.search(line)


def _normal(line: str) -> str:
    """A line's words in lower case, for comparing titles."""
    return " ".join(w.lower() for w in _words(line))


def _repeats_title(line: str, title_key: str) -> bool:
    """True when a line is the title again, up to case, punctuation and a typo."""
    from rapidfuzz import fuzz

    key = _normal(line)
    # 95: one or two changed characters in a headline-length line.
    return key == title_key or (abs(len(key) - len(title_key)) <= 3 and fuzz.ratio(key, title_key) >= 95)


def _may_be_a_name(doc, line: str) -> bool:
    """Whether a line is short enough to be only a name: "Jane Doe", "Mary Ann de la Cruz"."""
    return bool(doc) and len(doc) <= 8 and _word_count(line) <= 5


def _person_covering(doc, line: str) -> str | None:
    """The PERSON entity that covers (nearly) all the letters of a short line."""
    if not _may_be_a_name(doc, line):
        return None
    letters = sum(c.isalpha() for c in line)
    for ent in doc.ents:
        if ent.label_ == "PERSON" and sum(c.isalpha() for c in ent.text) >= 0.9 * letters and " " in ent.text.strip():
            return ent.text.strip()
    return None


def _url_outlet(line: str) -> Outlet:
    """The outlet named by a page URL: its registered domain."""
    domain = domain_of(line)
    return Outlet(name=domain, domain=domain, how="url", evidence=line.strip()) if domain else Outlet()


@functools.lru_cache(maxsize=4096)  # pure (fixed date bases): the tail reader asks twice of a date line
def _date_of(line: str, max_other_words: int = DATE_LINE_MAX_OTHER_WORDS) -> tuple[str, str, str] | None:
    """(ISO date, matched text, how) when a short line is a date line, else None.

    `how` is "" for a date the line states, or how a relative one ("Posted 1
    year, 160 days ago [downloaded on 2 October 2013]") was resolved against
    the full date the same line states: such a date is inferred. A relative
    date with no full date beside it gives no date (ISO ""), though the line
    is still a date line: dateparser would count it back from the machine's
    clock, and a date must not depend on the day the pipeline runs.
    """
    # "— Jane Doe (@jdoe) November 18, 2019" signs an embedded post: body, not a date line.
    if len(line) > DATE_LINE_MAX_CHARS or not YEARISH.search(line) or re.search(r"@\w", line):
        return None
    if _labels_another_day(line):
        return None
    from dateparser.search import search_dates

    settings = {"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month", "year"],
                "RETURN_AS_TIMEZONE_AWARE": False, "RELATIVE_BASE": RELATIVE_BASE}
    other_settings = {**settings, "RELATIVE_BASE": OTHER_BASE}
    # Times and zone abbreviations only confuse the date search; dates keep their parts.
    plain = re.sub(r"\s*/\s*", "/", line).replace("@", " ").replace("|", " ")
    plain = re.sub(r"(?i)\b\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\b\.?)?", " ", plain)
    plain = re.sub(r"\b(?!(?:JAN|FEB|MAR|APR|MAY|JUN|JUNE|JUL|JULY|AUG|SEP|SEPT|OCT|NOV|DEC|MON|TUE|TUES|WED|THU|THUR|FRI|SAT|SUN)\b)[A-Z]{2,4}\b", " ", plain)
    candidates = [line, plain, re.sub(r"(?<=[A-Za-z])\.", "", plain)]
    undated = None
    for candidate in candidates:
        try:
            found = search_dates(candidate, languages=["en"], settings=settings)
        except (ValueError, OverflowError, TypeError):
            found = None
        if not found:
            continue
        rest = candidate
        for matched, _ in found:
            rest = rest.replace(matched, " ")
        other = [w for w in _words(rest) if not w.isdigit() and w.lower() not in ("on", "at", "of", "the", "and", "by", "hrs")]
        if len(other) <= max_other_words and not re.search(r"[a-z]{3,}\s+[a-z]{3,}\s+[a-z]{3,}", rest):
            try:
                moved = search_dates(candidate, languages=["en"], settings=other_settings) or []
            except (ValueError, OverflowError, TypeError):
                moved = []
            dated = _resolved(found, {text for text, when in set(found) - set(moved)})
            if dated[0]:
                return dated
            undated = undated or dated  # another reading may still find the stated date
    return undated


def _labels_another_day(line: str) -> bool:
    """Whether a line labels its date as the day of something other than the page ("End of Watch: Friday,
    June 24, 2005" on a memorial page, "Born: ...", "Incident: ..."), not as when it was posted.

    Date-line labels of ECB+ name publishing: Published, Updated, Posted, Last updated, Story created,
    Edited time, Release; a weekday or a month may stand as one too.
    """
    label = LABEL_LEAD.match(line)
    if label is None:
        return False
    words = [w.lower() for w in _words(label.group(1))]
    return not any(w.startswith(_PUBLISHING_WORDS) or w in _DAY_WORDS for w in words)


def _resolved(found: list[tuple[str, datetime.datetime]], relative: set[str]) -> tuple[str, str, str]:
    """The first date of a date line: a stated one as is, a `relative` one counted from the line's
    first stated date ("" when there is none)."""
    text, when = found[0]
    if text not in relative:
        return when.date().isoformat(), text, ""
    stated = [(other, at) for other, at in found if other not in relative]
    if not stated:
        return "", text, ""
    anchor_text, anchor = stated[0]
    value = (anchor.date() + (when.date() - RELATIVE_BASE.date())).isoformat()
    return value, text, f"{text.strip()!r} counted from {anchor_text.strip()!r} = {value}"


def _split_date_prefix(lines: list[str], filled: list[int], cuts: dict[int, _Cut], found: _Found) -> None:
    """A first line that opens with a date label ("date 2022-01-04 The ...") loses the prefix."""
    first = filled[0]
    match = DATE_PREFIX.match(lines[first])
    if not match or _word_count(match.group("rest")) < 8:
        return
    dated = _date_of(match.group("prefix"))
    if not dated or not dated[0]:
        return
    prefix = match.group("prefix").strip()
    lines[first] = match.group("rest").strip()
    # The prefix is kept as its own removed block; the line's index stays the body's.
    cuts[-1] = _Cut("date-line", prefix)
    found.published = _published(prefix, dated)
    found.published_is_update = False


def _note_date(found: _Found, line: str, dated: tuple[str, str, str]) -> None:
    """Keep the publication date: a stated one over one resolved from a relative date, then a
    non-"updated" line, then the earliest."""
    if not dated[0]:
        return
    is_update = bool(re.search(r"\bupdat", line, re.IGNORECASE))
    published = _published(line, dated)
    current = found.published
    rank = (published.inferred, is_update)
    current_rank = (current.inferred, found.published_is_update) if current is not None else None
    if current_rank is None or rank < current_rank or (
        rank == current_rank and (published.value or "") < (current.value or "")
    ):
        found.published = published
        found.published_is_update = is_update


def _published(line: str, dated: tuple[str, str, str]) -> Published:
    """The publication date a date line gives: stated, or inferred with how it was resolved."""
    iso, _, how = dated
    if how:
        return Published(value=iso, inferred=True, evidence=f"date line {how}; in: {line.strip()!r}")
    return Published(value=iso, inferred=False, evidence=line)


def _byline_names(reader: _Reader, i: int) -> list[str]:
    """Names of a byline ("By Jane Doe and John Roe, Reuters") or a name-only line."""
    line = reader.lines[i]
    name = reader.person_only(i)
    if name:
        return [name]
    match = BYLINE.match(line)
    if not match or _word_count(line) > 12 or TERMINAL.search(line) and reader.has_finite_verb(i):
        return []
    doc = reader.named(i)
    names = [ent.text.strip() for ent in doc.ents if ent.label_ == "PERSON" and " " in ent.text.strip()]
    others = {ent.text.strip() for ent in doc.ents if ent.label_ != "PERSON"}
    # The tagger misses some names in capitals ("BY JANE DOE and JOHN ROE"):
    # a part of 2-4 capitalised words that is no other entity is a name too.
    for part in re.split(r",|\band\b|&|\|", match.group("names"), flags=re.IGNORECASE):
        part = part.strip()
        words = part.split()
        if 2 <= len(words) <= 4 and all(w[0].isupper() for w in words) and part not in others:
            if not any(part in name or name in part for name in names):
                names.append(part)
    return names


def _byline_outlet(reader: _Reader, i: int) -> str:
    """The organisation a byline names beside its authors ("By Jane Doe, Reuters")."""
    if not BYLINE.match(reader.lines[i]):
        return ""
    orgs = [ent.text.strip() for ent in reader.named(i).ents if ent.label_ == "ORG"]
    return orgs[0] if orgs else ""


def _named_in_body(reader: _Reader, filled: list[int], head: list[int], cuts: dict[int, _Cut], name: str) -> bool:
    """True when the surname of `name` occurs in the text after the head."""
    surname = name.split()[-1]
    pattern = re.compile(rf"\b{re.escape(surname)}\b")
    return any(pattern.search(reader.lines[i]) for i in filled[len(head):] if i not in cuts)


def _is_caption(reader: _Reader, i: int) -> str | None:
    """'caption' / 'photo-credit' for a picture's caption or credit line, else None."""
    line = reader.lines[i]
    label = LABEL_VALUE.match(line)
    if label and PHOTO_CUE.search(label.group(1)) and _word_count(label.group(2)) <= 5:
        return "photo-credit"
    if _word_count(line) > 60 or line.endswith(":"):
        return None
    strong = SLASH_CREDIT.search(line) or PICTURE_NOTE.search(line)
    # A bare cue word ("image") marks a caption only on a line that is no sentence.
    weak = PHOTO_CUE.search(line) and not TERMINAL.search(line) and _word_count(line) <= 30
    if not (strong or weak):
        return None
    if _word_count(line) <= 4 and not TERMINAL.search(line):
        return "photo-credit"
    # A caption describes a picture without a clause of its own ("X (left) during a meeting ...").
    main = SLASH_CREDIT.sub("", line)
    if not reader.has_finite_verb(i) or (SLASH_CREDIT.search(line) and not _clause_in(main)):
        return "caption"
    return None


def _clause_in(text: str) -> bool:
    """True when a piece of a line has a finite verb."""
    return any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in _pipeline()(text))


def _is_title_like(reader: _Reader, i: int) -> bool:
    """A headline: one short line, not a sentence (or a Title-Cased question), not a name or date."""
    line = reader.lines[i]
    words = _words(line)
    if not 2 <= len(words) <= TITLE_MAX_WORDS or URL.match(line) or line.endswith(":"):
        return False
    if sum(w.isalpha() and len(w) > 1 for w in words) < 2:
        return False  # a stamp of figures ("9 / 10 / 2010 @ 1:19PM"), not a headline
    if re.search(r"[.][\"'”’)\]]*$", line) and not line.endswith("..."):
        return False
    # Headlines drop function words; a long line as dense in them as prose is a
    # sentence that lost its period.
    if len(words) >= PROSE_MIN_WORDS and _stopword_density(line) >= PROSE_STOPWORD_DENSITY:
        return False
    if line[-1] in "?!":
        capitalised = [w for w in words if len(w) > 3]
        if not capitalised or sum(w[0].isupper() for w in capitalised) < 0.6 * len(capitalised):
            return False
    return reader.person_only(i) is None


def _is_body_sentence(reader: _Reader, i: int) -> bool:
    """A line that starts the body: long prose ending like a sentence."""
    line = reader.lines[i]
    return _word_count(line) >= 8 and bool(TERMINAL.search(line)) and not URL.match(line)


def _read_head(reader: _Reader, filled: list[int], cuts: dict[int, _Cut], found: _Found) -> None:
    """Cut the URL, title, date lines, bylines, captions and stubs that open the text."""
    head = filled[:HEAD_LINES]
    # Parse only up to the first body sentence: the loop stops there.
    opening = []
    for i in head:
        opening.append(i)
        if _is_body_sentence(reader, i):
            break
    reader.parse(opening)
    title_key = _normal(found.title) if found.title else ""
    in_body = False
    for i in head:
        line = reader.lines[i]
        if i in cuts:
            continue
        if in_body:
            # A dek sentence can come before the date line: past the body's
            # start only whole date lines are cut.
            dated = _date_of(line, max_other_words=2) if _word_count(line) <= 12 else None
            if dated:
                cuts[i] = _Cut("date-line", line)
                _note_date(found, line, dated)
            continue
        if URL.match(line):
            cuts[i] = _Cut("url", line)
            if not found.outlet.domain:
                found.outlet = _url_outlet(line)
            found.url = found.url or line.strip()  # the page's own URL opens the text; later ones are links
            continue
        if title_key and _repeats_title(line, title_key):
            cuts[i] = _Cut("title-repeat", line)
            continue
        dated = _date_of(line)
        if dated:
            cuts[i] = _Cut("date-line", line)
            _note_date(found, line, dated)
            continue
        stub = LABEL_STUB.match(line)
        if stub and _word_count(stub.group(1)) <= 2:
            cuts[i] = _Cut("date-line" if DATE_CUE.search(stub.group(1)) else "other", line)
            continue
        names = _byline_names(reader, i)
        if names and not BYLINE.match(line) and _named_in_body(reader, filled, head, cuts, names[0]):
            names = []  # a name the article talks about is its subject, not its author
        if names:
            cuts[i] = _Cut("byline", line)
            found.authors.extend(names)
            outlet = _byline_outlet(reader, i)
            if outlet and found.outlet.how in ("unknown", "url"):
                found.outlet = Outlet(name=outlet, domain=found.outlet.domain, how="byline", evidence=line)
            continue
        caption = _is_caption(reader, i)
        if caption:
            cuts[i] = _Cut(caption, line)
            continue
        if not found.title and _is_title_like(reader, i):
            found.title = line
            title_key = _normal(line)
            cuts[i] = _Cut("title", line)
            continue
        if _is_body_sentence(reader, i):
            in_body = True


def _tail_names(reader: _Reader, window: list[int]) -> dict[int, str]:
    """Lines of the closing window that name a person alone or in an author box."""
    names = {}
    for i in window:
        line = reader.lines[i]
        if _word_count(line) > 8:
            continue
        name = reader.person_only(i)
        if not name and AUTHOR_CUE.search(line) and not TERMINAL.search(line):
            persons = [e.text.strip() for e in reader.named(i).ents if e.label_ == "PERSON" and " " in e.text.strip()]
            name = persons[0] if persons else None
        if name:
            names[i] = name
    return names


def _read_tail(reader: _Reader, filled: list[int], cuts: dict[int, _Cut], found: _Found) -> None:
    """Cut the closing run of boilerplate: credits, author boxes, bios, prompts, links."""
    # The closing run starts after the first body sentence; a text without
    # one may be boilerplate through and through, so all of it is looked at.
    start = next((i for i in filled if _is_body_sentence(reader, i)), -1)
    window = [i for i in filled[-TAIL_LINES:] if i > start and i not in cuts]
    reader.parse(_tail_candidates(reader, window))
    names = _tail_names(reader, window)
    first_names = {name.split()[0]: i for i, name in names.items()}
    for i in reversed(window):
        line = reader.lines[i]
        kind = _tail_kind(reader, i, names, first_names)
        if kind is None:
            break
        cuts[i] = _Cut(kind, line)
        if kind == "date-line":
            _note_date(found, line, _date_of(line))
        if i in names and kind == "author-bio":
            found.authors.append(names[i])
        if kind == "contributor-credit":
            outlet = CREDIT_POSSESSIVE.search(line)
            if outlet and found.outlet.how in ("unknown", "url"):
                found.outlet = Outlet(
                    name=outlet.group("outlet"),
                    domain=found.outlet.domain,
                    how="credit-line",
                    evidence=line,
                )


def _tail_candidates(reader: _Reader, window: list[int]) -> list[int]:
    """The closing lines worth parsing: the run of short lines, and long lines after a possible name line."""
    short = [i for i in window if _word_count(reader.lines[i]) <= 8 and not TERMINAL.search(reader.lines[i])]
    run = []
    for i in reversed(window):
        words = _word_count(reader.lines[i])
        if words > TAIL_CUE_MAX_WORDS and not any(j < i for j in short):
            break
        run.append(i)
    return run


def _tail_kind(reader: _Reader, i: int, names: dict[int, str], first_names: dict[str, int]) -> str | None:
    """The kind of a line of the closing run, or None when it reads as body."""
    line = reader.lines[i]
    words = _word_count(line)
    stub = _is_stub(line)
    if i in names:
        return "author-bio"
    if URL.match(line):
        return "url"
    if words <= TAIL_CUE_MAX_WORDS and CREDIT_CUE.search(line) and (stub or _credit_clause(reader, i)):
        return "contributor-credit"
    if words <= TAIL_CUE_MAX_WORDS and COMMENT_CUE.search(line) and (stub or _addresses_reader(reader, i)):
        return "comment-prompt"
    if stub and RELATED_CUE.search(line):
        return "related-links"
    if stub and SHARE_CUE.search(line):
        return "share-prompt"
    if stub and AUTHOR_CUE.search(line):
        return "author-bio"
    # A bio sentence follows its author's name line and calls the author by name.
    mentioned = [n for n, at in first_names.items() if at < i and re.search(rf"\b{re.escape(n)}\b", line)]
    if mentioned and words <= 80:
        return "author-bio"
    if _date_of(line):
        return "date-line"
    if words <= TAIL_CUE_MAX_WORDS and COPYRIGHT_CUE.search(line) and (stub or not reader.has_finite_verb(i)):
        return "other"
    # A short label ("About this publication"); list items with figures or
    # parentheses ("Jane Doe (knee)") are data, not furniture.
    if words <= OTHER_MAX_WORDS and stub and not re.search(r"[\d(]", line) and not reader.has_finite_verb(i):
        return "other"
    return None


def _addresses_reader(reader: _Reader, i: int) -> bool:
    """A prompt speaks to the reader: "your", "you", or an imperative verb first."""
    doc = reader.doc(i)
    first = next((t for t in doc if t.is_alpha), None)
    return bool(re.search(r"\byou(?:r|rs)?\b", reader.lines[i], re.IGNORECASE)) or (first is not None and first.tag_ == "VB")


def _credit_clause(reader: _Reader, i: int) -> bool:
    """A credit sentence: a person or organisation subject and a credit verb ("X contributed to this report.")."""
    doc = reader.named(i)
    return any(ent.label_ in ("PERSON", "ORG") for ent in doc.ents) or bool(re.match(r"\s*\(?\s*(?:with\s+)?(?:additional\s+)?reporting", reader.lines[i], re.IGNORECASE))


def _read_middle(reader: _Reader, filled: list[int], cuts: dict[int, _Cut], found: _Found) -> None:
    """Cut captions, photo credits and title repeats left inside the body."""
    title_key = _normal(found.title) if found.title else ""
    for i in filled:
        if i in cuts:
            continue
        line = reader.lines[i]
        if title_key and _repeats_title(line, title_key):
            cuts[i] = _Cut("title-repeat", line)
            continue
        if PHOTO_CUE.search(line) or SLASH_CREDIT.search(line):
            caption = _is_caption(reader, i)
            if caption:
                cuts[i] = _Cut(caption, line)
                continue
        label = LABEL_LEAD.match(line)
        if label and RELATED_CUE.search(label.group(1)) and _word_count(label.group(1)) <= 3:
            cuts[i] = _Cut("related-links", line)  # "Read more: <a headline>"
            continue
        if _is_stub(line):
            if AD_CUE.search(line) and _word_count(line) <= 4:
                cuts[i] = _Cut("other", line)
            elif RELATED_CUE.search(line) and not reader.has_finite_verb(i):
                cuts[i] = _Cut("related-links", line)
            elif SHARE_CUE.search(line) and _word_count(line) <= 3:
                cuts[i] = _Cut("share-prompt", line)
            elif COMMENT_CUE.search(line) and _addresses_reader(reader, i):
                cuts[i] = _Cut("comment-prompt", line)


def _paragraphs(lines: list[str], cuts: dict[int, _Cut]) -> tuple[str, ...]:
    """Body paragraphs: one per line; a line that continues a broken sentence joins it."""
    paragraphs: list[str] = []
    joinable = False
    for i, line in enumerate(lines):
        if not line or i in cuts:
            joinable = False
            continue
        if joinable and paragraphs and line[0].islower() and not TERMINAL.search(paragraphs[-1]):
            paragraphs[-1] = f"{paragraphs[-1]} {line}"
        else:
            paragraphs.append(line)
        joinable = True
    return tuple(paragraphs)
