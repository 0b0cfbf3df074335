"""Find the time expressions of an article and resolve each to a date, month, year or range.

Reads: one `Article` (its sentences and `published`). Writes: `TimeExpression`
records, one per expression, in text order, offsets into the sentence text.
Never skips an article: an article without sentences has no expressions; an
expression that cannot be resolved (no publication date to count from) keeps
`value=None`. Deterministic: no clock is read, only the publication date and the
text.

Calendar mentions (full and partial dates, months, years, holidays, weekdays)
are located by `storyline.time_expressions.find_dates`, the primitives the
publication-date inference also uses (dateparser reads the absolute ones). This
module adds what a timeline needs beyond them: offsets from another event ("a
day later", "two days after the call", "the next day"), periods ("early last
year", "this past week", "last autumn"), parts of days ("last night"), decades,
"the week of Jan. 10", and ranges. Resolution runs in two passes:
1. absolute dates need nothing; partial dates, holidays, weekdays and periods
   are resolved against the publication date, the reading in the past
   preferred unless the governing verb is in the future tense ("will meet",
   "are scheduled to meet", "must respond by", "prepares to mark": spaCy parse of
   the sentence); a day hanging on its own verb's past tense ("fired on June 8")
   is never read after the date line, nor one of a future verb before it (a day's
   slack for a date line a day off). A day far from the date line either way takes
   the year the text gave its month before ("in June 2005 ... on June 24"), marked
   inferred. A weekday that names a day of its own ("Oscar Sunday", "Patch
   Tuesday") or recurs ("the second Tuesday of each month") is no weekday; one
   hanging on a verb in the simple present ("New Orleans plays at Seattle on
   Saturday") is ahead: news writes what happened in the past tense. A year that
   is a model year or a version ("a 2013 Toyota Camry", "Windows Server 2003") is
   no date;
   A day or month takes the year its own phrase states ("April last year",
   "the Boxing Day tsunami in 2004"); "is to be voted on Thursday" is future;
2. offsets from another event count from the date of that event: a date inside
   the phrase's own complement; else, when the sentence dates nothing else, the
   date of the latest earlier mention of the event the complement's head word
   names ("a day after the quake": "a strong earthquake a day before"; the date
   must date that word: it hangs on it or follows it); a complement that names an
   event nothing dates leaves the phrase undated ("three weeks before he was
   murdered"); only a phrase with no event of its own ("a day later", "after
   that") counts from the nearest resolved date before it in the text, and hours
   or minutes after a named event nothing dates from the last date of an earlier
   sentence (the same day). A past-tense offset never lands after the date line.
   Another report's date counts only when as fine as the offset's unit. A phrase
   restates the date of its own verb ("On Friday, a day after ..."; not "Jurors
   on Monday asked to review a video of him boasting two weeks after the death");
   when nothing dates it, neither is dated.
   Read with its story (`find_story_time_expressions`), an offset still undated
   counts from the date other reports give the event it names ("a day after
   three bank workers died": "Three people died ... Wednesday"), marked inferred.
A vague amount ("several years ago", "a few days later", "a couple of years
ago") is no one date: it gives the span it may mean (several: three to seven),
marked inferred. A story with no dated article takes the year a clause in the
present tense states ("The election comes two years after the death of X", X
dated 2006 by another report: 2008) for the dates that need only a year ("Dec.14",
"in September", "earlier this year"), marked inferred.
"Earlier this week / month" is what has passed of it before the publication
date, "later this ..." what is left; "early", "mid", "late" a third of a month
(its first, middle, last ten days) or of a week's working days ("late last
week": Thursday and Friday); a year stays whole.
Adjacent days joined by "and" / "to" / "-" become one range ("Sunday and
Monday"); "the week of Jan. 10" becomes that week (Monday/Sunday).
A date line with a clock time counts from the day it was written where the
story happened ("02:31 GMT, 12 March 2013" in a Brooklyn story: 11 March), and
"tonight" or "this evening" written before dawn is the evening before
(`anchors.local_writing`); both marked inferred.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Sequence

from storyline import nlp
from storyline.records import Article, Published, TimeExpression
from storyline.timeline.anchors import SMALL_HOURS, WritingMoment, local_writing, story_anchors
from storyline.verify import content_words
from storyline.time_expressions import (
    ABSOLUTE,
    HOLIDAY,
    NUMBER_WORDS,
    PARTIAL,
    WEEKDAY,
    DateMention,
    find_dates,
    month_number,
    names_a_thing,
    resolve_weekday,
    with_year,
)

DAY, WEEK, MONTH, YEAR, RANGE = "day", "week", "month", "year", "range"
_COARSENESS = {DAY: 0, RANGE: 0, WEEK: 1, MONTH: 2, YEAR: 3}

_MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec",
]
# Capitalised or upper case only: "may" and "march" are ordinary words.
_MONTH = "(?P<month>" + "|".join(sorted({f for m in _MONTH_NAMES for f in (m, m.upper())}, key=len, reverse=True)) + r")\.?"
# Vague amounts: the fewest and most units each reads as in general English ("a couple of" two or
# three, "a few" two to four, "several" three to seven). An offset by one is no date but a span,
# marked inferred: "several years ago" in 2010 is 2003-2007, never the one year 2007.
_VAGUE_AMOUNTS = {"a couple of": (2, 3), "couple of": (2, 3), "a few": (2, 4), "few": (2, 4), "several": (3, 7)}
_NUMBER_WORDS = {**NUMBER_WORDS, **_VAGUE_AMOUNTS}
_AMOUNT = r"(?P<amount>\d{1,3}|" + "|".join(re.escape(word).replace(r"\ ", r"\s+")
                                            for word in sorted(_NUMBER_WORDS, key=len, reverse=True)) + ")"
_UNIT = r"(?P<unit>day|week|month|year)s?"

# What `find_dates` does not read (or reads more narrowly), tried after its calendar mentions.
_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("offset", re.compile(
        rf"(?i:(?<![\w])(?:(?:just|only|about|some)\s+)?{_AMOUNT}\s+{_UNIT}\s+(?P<direction>later|after|earlier|before)(?![\w]))")),
    ("offset", re.compile(
        r"(?i:(?<![\w])the\s+(?P<which>next|following|previous|preceding)\s+(?P<unit>day|morning|evening|night|week|month|year)"
        r"(?![\w]))")),
    ("offset", re.compile(r"(?i:(?<![\w])the\s+(?P<unit>day|night|week|month|year)\s+(?P<direction>before|after)(?![\w]))")),
    ("offset", re.compile(
        r"(?i:(?<![\w])(?P<same>(?:later|earlier)\s+that\s+(?:day|morning|afternoon|evening|night)|the\s+same\s+day"
        r"|(?:hours|minutes)\s+(?:later|after|before|earlier))(?![\w]))")),
    ("ago", re.compile(rf"(?i:(?<![\w]){_AMOUNT}\s+{_UNIT}\s+ago(?![\w]))")),
    ("period", re.compile(
        r"(?i:(?<![\w])(?:(?P<qualifier>early|late|earlier|later|mid)[\s-]+(?:in\s+)?)?(?:the\s+)?"
        r"(?P<shift>this\s+past|last|next|this|coming)\s+"
        r"(?P<unit>week|weekend|month|year|spring|summer|autumn|fall|winter)(?![\w]))")),
    # "agreed at the weekend", "over the weekend": the weekend of "this weekend", read by tense
    ("period", re.compile(r"(?i:(?<![\w])(?:at|over|during)\s+the\s+(?P<unit>weekend)(?![\w]))")),
    ("relative-day", re.compile(
        r"(?i:(?<![\w])(?P<word>today|yesterday|tomorrow|tonight"
        r"|(?:this|last|yesterday|tomorrow)\s+(?:morning|afternoon|evening|night))(?![\w]))")),
    # "between December and January": a month after "and" / "to" (find_dates wants a preposition)
    ("month", re.compile(rf"(?<![\w])(?P<lead>(?i:between|and|to))[\s-]+{_MONTH}(?![\w-]|\s*\d)")),
    # the 1950s / the 2008-09 season
    ("decade", re.compile(r"(?<![\w$-])(?P<decade>(?:1[89]|20)\d0)['’]?s(?![\w])")),
    ("season-years", re.compile(r"(?<![\w$./-])(?P<first>(?:19|20)\d\d)[-–/](?P<second>\d\d)(?![\w%/-]|[.,]\d)")),
]
# A decade or a season of two years holds a year that find_dates would read alone ("1940's").
_BEFORE_CALENDAR = {"decade", "season-years"}
# Parts of a week or month: its first and last day, 1-based from Monday or the 1st (0: to its end).
_THIRDS = {
    "week": {"early": (1, 2), "mid": (2, 4), "late": (4, 5)},
    "month": {"early": (1, 10), "mid": (11, 20), "late": (21, 0)},
}
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}
# A word before a month alone that fixes its year ("last December").
_MONTH_LEAD = re.compile(r"(?i:\b(?P<lead>last|next|this|early|late|mid)[\s-]+)$")
_RELATIVE_DAYS = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "this": 0, "last": -1}
# The governing verb's lemma makes "are set for / scheduled to meet on" a future reading.
_FUTURE_LEMMAS = {"schedule", "set", "slate", "plan", "due", "expect", "upcoming", "intend"}
_WHEN_WORDS = {"when", "as", "while"}
_EVERY = re.compile(r"\s+of\s+(?:each|every)\b", re.IGNORECASE)
# Verbs of saying: "police say Friday" is no schedule.
_SAYING = {"say", "tell", "report", "announce", "confirm", "add", "note", "state", "write", "claim", "allege"}
_WEEKDAY_WORDS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_FUTURE_AUXILIARIES = {"will", "'ll", "shall", "wo", "going"}
# Modals of what is yet to be done ("must respond by July 26"); "could" and "would" also report the past.
_MODALS = {"must", "should", "can", "may", "might"}
# Clauses whose verb gives the tense of what they hang on: infinitives, reported speech, joined and adverbial
# clauses ("said Friday he met ..." is past).
_CLIMBED = frozenset({"xcomp", "ccomp", "conj", "advcl"})
# Connectors that join two days into one range ("and" only for consecutive days).
_RANGE_CONNECTOR = re.compile(r"^\s*(?:-|–|to|through|until|till|and)\s*$", re.IGNORECASE)
_WEEK_OF = re.compile(r"(?i:(?:the\s+)?week\s+of\s+)$")
# 120 days: a month-day or month read that far from its anchor is a guess (either year is plausible).
_GUESS_DAYS = 120
# 3: a reading against the tense must be three times nearer to win (past tense, "July 3" said in January).
_AGAINST_TENSE = 3.0
# 1: a day read against the tense further than this from the date line is no reading ("was killed on June 24"
# in a report of May 2: not 53 days ahead); within it, a date line a day off (wire copy dated the next day).
_DATE_LINE_SLACK = 1
# 1.5: with no tense to go on, news mostly reports the past.
_NO_TENSE_FUTURE = 1.5


@dataclass(slots=True)
class _Found:
    """A located expression before resolution (mutable while resolving; never leaves this module)."""

    sentence: int
    start: int
    end: int
    text: str
    kind: str
    groups: dict
    mention: DateMention | None = None
    tense: str = ""
    complement: tuple[int, int] | None = None
    value: str | None = None
    granularity: str = DAY
    anchor: str = ""
    rule: str = ""
    inferred: bool = False
    extra: dict = field(default_factory=dict)


def find_time_expressions(article: Article, parser=None, anchor: Published | None = None) -> list[TimeExpression]:
    """Return every time expression of `article`, resolved where an anchor allows, in text order.

    parser: a spaCy pipeline with tagger, parser and NER (the shared English one when None).
    anchor: the date relative expressions count from instead of `article.published` (an undated
      article dated from its story, `find_story_time_expressions`); always marked inferred.
    """
    return _expressions(article, _resolved_found(article, _located(article, parser or nlp.load()),
                                                 anchor or article.published, local_writing(article.published)))


def find_story_time_expressions(articles: Sequence[Article], parser=None,
                                local_offset: int | None = None) -> dict[str, list[TimeExpression]]:
    """Return the time expressions of each article of one story (by article id), undated ones dated from it.

    An article with no publication date counts its relative expressions ("Saturday", "last month")
    from the date `anchors.story_anchor` infers from the rest of the story (never before the latest
    day its own text reports); those values are marked inferred and name that anchor. A dated one
    whose date line gives a clock time counts them from the day it was written in the story's places
    (`anchors.local_writing`; `local_offset`: their minutes east of UTC, when known).
    """
    parser = parser or nlp.load()
    ordered = sorted(articles, key=lambda a: a.id)
    located = {a.id: _located(a, parser) for a in ordered}
    anchors = story_anchors(ordered, {a.id: _latest_reported(located[a.id]) for a in ordered})
    resolved = {a.id: _resolved_found(a, located[a.id], anchors.get(a.id, a.published),
                                      local_writing(a.published, local_offset)) for a in ordered}
    _offsets_from_story(ordered, resolved)
    _years_from_story(ordered, resolved)
    return {a.id: _expressions(a, resolved[a.id]) for a in ordered}


def _located(article: Article, parser) -> list[_Found]:
    """The expressions of `article` located and parsed (tense, complements), before any resolution."""
    found = [f for n, s in enumerate(article.sentences) for f in _locate(n, s.text)]
    if not found:
        return []
    _read_parses(article, found, parser)
    found = [f for f in found if f.extra.get("is_date", True)]
    return _years_from_context(article, found)


def _expressions(article: Article, found: Sequence[_Found]) -> list[TimeExpression]:
    return [TimeExpression(article.sentences[f.sentence].id, f.start, f.end, f.text, f.value,
                           f.granularity if f.value else _unresolved_granularity(f), f.anchor, f.rule or f.kind,
                           f.inferred, f.extra.get("clause"), f.extra.get("phrase")) for f in found]


def _resolved_found(article: Article, located: Sequence[_Found], anchor: Published,
                    moment: WritingMoment | None = None) -> list[_Found]:
    found = [replace(f, extra=dict(f.extra)) for f in located]
    if moment is not None and anchor is article.published and moment.day.isoformat() != anchor.value[:10]:
        # Written on another day where its events happened (a date line in GMT): count from that day.
        anchor = Published(moment.day.isoformat(), inferred=True, evidence=moment.evidence)
    published = _parse_iso(anchor.value)
    label = f"published {anchor.value}" if published else ""
    if published and anchor is not article.published:
        label = f"inferred {anchor.value} ({anchor.evidence})"
    stated: dict[int, int] = {}  # month -> the year the text last gave it ("in June 2005")
    for item in found:
        if item.kind in {"absolute", "month-year"} and item.mention is not None and item.mention.month:
            stated[item.mention.month] = item.mention.year
        elif item.kind == "month-day" and item.mention is not None and item.mention.month in stated:
            item.extra["stated_year"] = stated[item.mention.month]
    for item in found:
        if item.kind != "offset":
            _resolve(item, published, label, anchor.inferred)
    if moment is not None and not moment.local and _clock_ahead(article, found, moment):
        _day_before(found, moment)
    elif moment is not None and moment.hour < SMALL_HOURS:
        _evening_before(found, moment)
    _resolve_offsets(article, found, published, label, anchor.inferred)
    return _join_ranges(article, found)


def _latest_reported(found: Sequence[_Found]) -> dt.date | None:
    """The latest day that a date stated in full (its year written) reports as past: a text is
    written after it. Dates in the future tense are not reported events."""
    days = []
    for item in found:
        if item.tense == "future" or item.mention is None or item.mention.year is None:
            continue
        if item.kind in {"absolute", "month-year", "year", "holiday"}:
            days.append(item.mention.date())
    return max(days, default=None)


def interval(value: str) -> tuple[dt.date, dt.date]:
    """Return the first and last day a resolved value denotes ("2014-03" is March 1 to 31)."""
    if "/" in value:
        first, last = value.split("/", 1)
        return interval(first)[0], interval(last)[1]
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        day = dt.date(*parts)
        return day, day
    if len(parts) == 2:
        return dt.date(parts[0], parts[1], 1), _month_end(parts[0], parts[1])
    return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)


# --- locating


def _calendar_kind(mention: DateMention) -> str | None:
    """Our kind for a `find_dates` mention (None: not a calendar date, e.g. a duration)."""
    if mention.kind == ABSOLUTE:
        return {DAY: "absolute", MONTH: "month-year", YEAR: "year"}[mention.granularity]
    if mention.kind == PARTIAL:
        return "month-day" if mention.granularity == DAY else "month"
    if mention.kind == HOLIDAY:
        return "holiday"
    if mention.kind == WEEKDAY:
        return "weekday"
    return None


def _locate(sentence: int, text: str) -> list[_Found]:
    """The expressions of one sentence: calendar mentions first, then the timeline's own patterns."""
    found = [_Found(sentence, m.start(), m.end(), m.group(), kind, {k: v for k, v in m.groupdict().items() if v})
             for kind, pattern in _PATTERNS if kind in _BEFORE_CALENDAR for m in pattern.finditer(text)]
    for mention in find_dates(text):
        kind = _calendar_kind(mention)
        if kind is None or any(mention.start < f.end and f.start < mention.end for f in found):
            continue
        start = mention.start
        if names_a_thing(mention, text):
            continue  # "a Christmas party", "the new year" are not dates; "on Christmas" is
        if kind == "weekday" and mention.modifier == "past" and text[:start].lower().endswith("this "):
            start -= len("this ")
        groups = {}
        if kind == "month":
            lead = _MONTH_LEAD.search(text[:start])
            if lead:
                groups["lead"] = lead["lead"]
                start = lead.start()
        found.append(_Found(sentence, start, mention.end, text[start:mention.end], kind, groups, mention))
    for kind, pattern in _PATTERNS:
        if kind in _BEFORE_CALENDAR:
            continue
        for match in pattern.finditer(text):
            start, end = match.span()
            if kind == "month":
                start = match.start("month")
            if any(start < f.end and f.start < end for f in found):
                continue
            groups = {k: v for k, v in match.groupdict().items() if v is not None}
            found.append(_Found(sentence, start, end, text[start:end], kind, groups))
    for item in found:
        before = _WEEK_OF.search(text[:item.start])
        if before and item.mention is not None and item.mention.granularity == DAY and item.mention.day:
            item.start, item.text = before.start(), text[before.start():item.end]
            item.extra["week_of"] = True
    return sorted(found, key=lambda f: f.start)


def _read_parses(article: Article, found: Sequence[_Found], parser) -> None:
    """Set each expression's tense (and confirm bare years) from the spaCy parse of its sentence."""
    numbers = sorted({f.sentence for f in found})
    docs = parser.pipe([article.sentences[n].text for n in numbers])
    parses = dict(zip(numbers, docs))
    lemmas: dict[int, list[tuple[int, str]]] = {}
    for item in found:
        doc = parses[item.sentence]
        tokens = [t for t in doc if t.idx < item.end and t.idx + len(t.text) > item.start]
        if not tokens:
            continue
        item.tense = _tense(tokens[-1])
        # The tense of the clause's own verb, not of a verb of saying above it: firm enough to rule out a reading.
        item.extra["firm_tense"] = item.tense != "" and _tense(tokens[-1], frozenset({"xcomp"})) == item.tense \
            and _modifies_verb(tokens)
        item.extra["present"] = _present(tokens[-1])
        item.extra["main_clause"] = _governor(tokens[-1]).dep_ == "ROOT"
        item.extra["governor"] = _clause_verb(tokens[-1]).i
        item.extra["path"] = _path(tokens[-1])
        item.extra["clause"] = _own_clause(tokens)
        item.extra["phrase"] = _noun_phrase(tokens)
        # A flashback ("a shooting that had taken place the previous day") or a date of a noun ("the previous
        # day's shooting") dates an event before the story's time, and moves that time nowhere.
        item.extra["backdrop"] = tokens[-1].dep_ == "poss" or _past_perfect(_governor(tokens[-1]))
        if item.kind == "year":
            item.extra["is_date"] = _is_year(tokens[0])
        day = next((t for t in tokens if t.lower_ in _WEEKDAY_WORDS), None)
        if item.kind == "weekday" and day is not None and (_named_day(day) or _EVERY.match(doc.text[item.end:])):
            item.extra["is_date"] = False  # "Oscar Sunday"; "the second Tuesday of each month" is no one day
        if item.kind == "weekday" and day is not None and item.tense == "":
            item.extra["scheduled"] = _modifies_verb(tokens) and _scheduled(day)
        if item.kind == "offset" and (item.groups.get("direction", "").lower() in {"after", "before"}
                                      or item.text.lower().endswith(("after", "before"))):  # "hours after the shootings"
            item.complement = _complement(tokens[-1])
            head = _complement_head(tokens[-1])
            if head is not None and head.is_alpha and not head.is_stop and head.lemma_:  # no lemmatizer: no event
                item.extra["event"] = head.lemma_.lower()
                item.extra["event_word"] = head.lower_
        item.extra["lemmas"] = lemmas.setdefault(item.sentence, [(t.idx, t.lemma_.lower()) for t in doc
                                                                 if t.is_alpha and t.lemma_])


def _past_perfect(verb) -> bool:
    """Whether a verb is in the past perfect ("had taken place", "had been shot")."""
    return verb.tag_ == "VBN" and any(c.dep_ in {"aux", "auxpass"} and c.lower_ in {"had", "'d"} for c in verb.children)


def _governor(token):
    """The verb that governs `token` (the root when none does)."""
    while token.pos_ not in {"VERB", "AUX"} and token.head.i != token.i:
        token = token.head
    return token


def _path(token) -> frozenset[int]:
    """Character offsets of the words from `token` up to the verb that governs it: what a date dates ("the
    June 24 murder": murder; "died on Wednesday": died; not "murder" in "convicted March 20 of murder")."""
    offsets = set()
    while True:
        offsets.add(token.idx)
        if token.head.i == token.i:
            return frozenset(offsets)
        if token.pos_ in {"VERB", "AUX"}:
            # a clause of when it happened dates what it hangs on: "died when a bank went up in flames Wednesday"
            if not (token.dep_ in {"advcl", "xcomp"} and (token.dep_ == "xcomp" or any(
                    c.lower_ in _WHEN_WORDS and c.dep_ in {"advmod", "mark"} for c in token.children))):
                return frozenset(offsets)
        token = token.head


def _modifies_verb(tokens) -> bool:
    """Whether the date `tokens` hangs on its verb through prepositions alone ("fired on June 8"), not on a
    noun, whose time the verb's tense does not give ("has given him a May 10 deadline")."""
    inside = {t.i for t in tokens}
    token = tokens[-1]
    while token.head.i != token.i and token.pos_ not in {"VERB", "AUX"}:
        if token.i not in inside and token.pos_ != "ADP":
            return False
        token = token.head
    return True


def _clause_verb(token):
    """The verb of the clause that `token` dates, read through infinitives ("returned to host ... in 2005":
    returned)."""
    node = _governor(token)
    while node.dep_ == "xcomp" and node.head.i != node.i:
        node = _governor(node.head)
    return node


# Clauses that hang off an independent clause and can be left out of it: "He warned Russia on Dec. 7,
# citing sanctions" (advcl), "..., and he left on Monday" (a verb's conj), "...; he said" (parataxis).
_DETACHED = {"advcl", "conj", "parataxis"}


def _own_clause(tokens) -> tuple[int, int] | None:
    """Character offsets of the independent clause that holds `tokens` without the detachable clauses
    (`_DETACHED`) that do not hold them, or None when that is the whole sentence or not one stretch of
    it. A clause that depends on another (a relative or an object clause) is read with the clause it
    depends on: "... the peninsula, which was annexed in March" is no event alone."""
    head = _governor(tokens[-1])
    while not _independent(head) and head.head.i != head.i:
        head = _governor(head.head)
    inside = {t.i for t in tokens}
    dropped = set()
    for child in head.children:
        if child.dep_ in _DETACHED and (child.dep_ != "conj" or child.pos_ in {"VERB", "AUX"}) \
                and not inside & {t.i for t in child.subtree}:
            dropped |= {t.i for t in child.subtree}
    kept = sorted(t.i for t in head.subtree if t.i not in dropped)
    doc = head.doc
    # What joins or sets off a dropped clause is not the clause's own: "and", "but", commas, a dash.
    while kept and doc[kept[0]].dep_ in {"cc", "punct"} and doc[kept[0]].text not in {"“", '"'}:
        kept.pop(0)
    return _stretch(doc, kept)


def _noun_phrase(tokens) -> tuple[int, int] | None:
    """Character offsets of the noun phrase whose relative clause holds `tokens`, from the noun phrase's
    first word to the clause's last ("the diplomatic efforts for de-escalation that are scheduled for the
    week of Jan. 10 in Geneva"), or None when the clause governing them is no relative clause or the
    phrase is all of the sentence. Participial clauses ("talks set for Monday") are left out: the parser
    hangs them on the wrong noun too often."""
    clause = _governor(tokens[-1])
    if clause.dep_ != "relcl":
        return None
    return _stretch(clause.doc, list(range(clause.head.left_edge.i, clause.right_edge.i + 1)))


def _stretch(doc, kept: list[int]) -> tuple[int, int] | None:
    """Character offsets of the tokens `kept` (indices, in order) without the joining words and marks that
    end them ("and", a comma; not a closing quote), or None when they are not one stretch of the sentence
    or are all of it."""
    while kept and doc[kept[-1]].dep_ in {"cc", "punct"} and doc[kept[-1]].text not in {"”", '"'}:
        kept = kept[:-1]
    if not kept or kept[-1] - kept[0] + 1 != len(kept):
        return None
    start, end = doc[kept[0]].idx, doc[kept[-1]].idx + len(doc[kept[-1]].text)
    if doc.text[start:end].rstrip(".!?") == doc.text.strip().rstrip(".!?"):
        return None
    return start, end


def _independent(token) -> bool:
    """Whether `token` heads an independent clause: the root, or a verb joined to one ("..., and left")."""
    if token.dep_ == "ROOT":
        return True
    return token.dep_ == "conj" and token.pos_ in {"VERB", "AUX"} and _independent(_governor(token.head))


def _tense(token, through: frozenset[str] = _CLIMBED) -> str:
    """"past", "future" or "" for the verb that governs `token`, read up through the clauses `through`
    (the clause's own verb alone, with infinitives: ("xcomp",))."""
    node = _governor(token)
    for _ in range(4):
        auxiliaries = [c for c in node.children if c.dep_ in {"aux", "auxpass"}]
        words = {c.lower_ for c in auxiliaries}
        if words & _FUTURE_AUXILIARIES or (node.lower_ in _FUTURE_AUXILIARIES and node.pos_ == "AUX"):
            return "future"
        if words & _MODALS and not any(c.lemma_ == "have" for c in auxiliaries):
            return "future"  # "must respond by July 26", "may meet on Friday": not done yet
        if node.tag_ == "VBD" or any(c.tag_ == "VBD" for c in auxiliaries):
            return "past"
        if node.lemma_ in _FUTURE_LEMMAS and (node.tag_ in {"VBN", "JJ"}) and any(
                c.tag_ in {"VBP", "VBZ"} for c in auxiliaries):
            return "future"
        if node.tag_ == "VBN" and any(c.lemma_ == "have" for c in auxiliaries):
            return "past"
        if node.tag_ == "VBN" and node.dep_ == "acl" and not auxiliaries and node.lemma_ not in _FUTURE_LEMMAS:
            return "past"  # "O'Brien, fired on June 8, is seeking ...": what was done to him ("set for": future)
        if node.dep_ == "xcomp" and "to" in words and node.head.tag_ in {"VBZ", "VBP"}:
            return "future"  # "is to be voted on Thursday", "prepares to mark ... on Wednesday": ahead
        if node.dep_ in through and node.head.i != node.i:
            node = node.head
            continue
        break
    return ""


def _present(token) -> bool:
    """Whether `token` hangs on a verb in the present tense ("The election comes two years after"), not on
    a noun below one ("her interview hours after the shooting shows ...")."""
    node = token.head
    if node.pos_ not in {"VERB", "AUX"}:
        return False
    tags = {node.tag_} | {c.tag_ for c in node.children if c.dep_ in {"aux", "auxpass"}}
    return bool(tags & {"VBZ", "VBP"}) and _tense(token) == ""


def _scheduled(token) -> bool:
    """Whether a weekday hangs on a verb in the simple present, not one of saying: news writes what is set
    to happen so ("The Saints face Seattle Saturday", "New Orleans plays at Seattle on Saturday") and what
    happened in the past tense. (A weekday that dates a noun, "the main suspect in the Friday slaying", is
    left out by the caller: the verb's tense is not the noun's.)"""
    verb = _governor(token)
    if verb.tag_ not in {"VBZ", "VBP"} or verb.lemma_ in _SAYING:
        return False
    return not any(c.dep_ in {"aux", "auxpass"} for c in verb.children)


def _named_day(token) -> bool:
    """Whether a weekday is part of the name of a day of its own ("Oscar Sunday", "Semifinal Saturday", "its
    Patch Tuesday release"): the capitalised word before it opens one named entity with it, or the two name
    a thing together. "told CNN Tuesday", "on IR Wednesday", "1:40 a.m. ET Saturday" are plain days."""
    if token.i == 0:
        return False
    before = token.nbor(-1)
    if not before.text[:1].isupper() or before.text.isupper() or before.is_sent_start:
        return False
    one_name = token.ent_iob_ == "I" and before.ent_iob_ in {"B", "I"}
    return one_name or (token.dep_ == "compound" and before.head.i == token.i and before.dep_ == "compound")


def _is_year(token) -> bool:
    """Whether a four-digit number reads as a year here (not "2000 people", "$1900", a model year or a
    version: "a gray 2013 Toyota Camry", "Windows 2000", "Server 2003 and 2008")."""
    if _names_a_version(token) or _house_number(token):
        return False
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    if following is not None and following.tag_ == "NNS" and following.is_lower:
        return False
    if token.ent_type_ in {"DATE", "EVENT"}:
        return True
    previous = token.nbor(-1) if token.i > 0 else None
    if previous is not None and previous.lower_ in {"in", "since", "until", "by", "from", "of", "before", "after",
                                                     "during", "through", "'s", "between", "and", "to"}:
        return True
    return following is not None and following.pos_ in {"NOUN", "PROPN", "PUNCT"} and token.ent_type_ != "MONEY"


# Nouns that end a street's name: a number before the name is the number of a house on it.
_STREET_NOUNS = frozenset({"street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd", "lane", "ln",
                           "drive", "dr", "place", "pl", "court", "ct", "terrace", "parkway", "pkwy", "highway",
                           "hwy", "way", "square", "sq", "circle", "plaza"})


def _house_number(token) -> bool:
    """Whether a number opens a street address ("inside 1800 Pitkin Ave.", "at 2088 Philip Street"): one to
    three capitalised words after it, the last a noun of streets, and no word of time before it ("in 2008
    Main Street ..." keeps its year)."""
    previous = token.nbor(-1) if token.i > 0 else None
    if previous is not None and previous.lower_ in {"in", "since", "until", "by", "before", "after", "during"}:
        return False
    for word in token.doc[token.i + 1:token.i + 4]:
        if not (word.is_alpha and word.text[:1].isupper()):
            return False
        if word.lower_ in _STREET_NOUNS and word.i > token.i + 1:
            return True
    return False


def _names_a_version(token) -> bool:
    """Whether a number is part of a product's name: the model year of a thing NER names a product ("a 2013
    Toyota Camry"), or the version after a capitalised name it counts ("Windows 2000", "Server 2003 and 2008")."""
    after = token.doc[token.i + 1:token.i + 3]
    for end, word in enumerate(after):  # "2013 Toyota Camry" however it is parsed
        if word.ent_type_ == "PRODUCT" and all(w.pos_ == "PROPN" for w in after[:end + 1]):
            return True
    while token.dep_ == "conj" and token.head.like_num:
        token = token.head
    if token.dep_ == "conj" and token.head.pos_ == "PROPN":  # "Server 2003, and 2008": one more version of it
        return any(c.dep_ == "nummod" and c.like_num and c.i > token.head.i and _names_a_version(c)
                   for c in token.head.children)
    head = token.head
    if token.dep_ != "nummod" or head.i == token.i:
        return False
    if head.i > token.i:
        return head.ent_type_ == "PRODUCT"
    return head.i == token.i - 1 and head.pos_ == "PROPN" and head.text[:1].isupper() and head.lower_ not in _SEASONS


def _complement_head(token):
    """The word "after" / "before" governs: the event it names ("after the call": call; "after ... died": died)."""
    return token.head if token.dep_ == "mark" else next(
        (c for c in token.children if c.dep_ in {"pobj", "pcomp"}), None)


def _complement(token) -> tuple[int, int] | None:
    """The character span of what "after" / "before" governs ("after the call, arranged ...")."""
    head = _complement_head(token)
    if head is None:
        return None
    inside = [t for t in head.subtree if t.i > token.i and not _in_relative_clause(t, head)]
    if not inside:
        return None
    return inside[0].idx, inside[-1].idx + len(inside[-1].text)


def _in_relative_clause(token, top) -> bool:
    """Whether `token` sits in a relative clause below `top`: that clause dates something else."""
    while token.i != top.i and token.head.i != token.i:
        if token.dep_ == "relcl":
            return True
        token = token.head
    return False


# A year that follows a day or month in its own phrase: "April last year", "the Boxing Day tsunami
# in 2004", "the Dec. 26 quake of 2004" (up to three words between, then "in" or "of").
_YEAR_PHRASE_GAP = re.compile(r"^\s*(?:of\s+)?$")
_EVENT_YEAR_GAP = re.compile(r"^\s*(?:[\w'’-]+\s+){0,3}(?:in|of)\s+$", re.IGNORECASE)
_YEAR_SHIFTS = {"last": -1, "this": 0, "next": 1, "this past": -1, "coming": 1}


def _years_from_context(article: Article, found: list[_Found]) -> list[_Found]:
    """Give a day or month without a year the year its own phrase states, in place.

    "April last year" is one expression (the year counts from the publication date); "the Boxing
    Day tsunami in 2004" keeps both, the day taking 2004.
    """
    kept: list[_Found] = []
    skip = set()
    for index, item in enumerate(found):
        if index in skip:
            continue
        kept.append(item)
        if item.kind not in {"month", "month-day", "holiday"} or (item.mention and item.mention.year is not None):
            continue
        following = found[index + 1] if index + 1 < len(found) else None
        if following is None or following.sentence != item.sentence:
            continue
        between = article.sentences[item.sentence].text[item.end:following.start]
        if following.kind == "period" and following.groups.get("unit", "").lower() == "year" \
                and "qualifier" not in following.groups and _YEAR_PHRASE_GAP.match(between):
            shift = _YEAR_SHIFTS.get(" ".join(following.groups["shift"].lower().split()))
            if shift is not None:
                text = article.sentences[item.sentence].text
                item.end, item.text = following.end, text[item.start:following.end]
                item.extra["year_shift"] = shift
                skip.add(index + 1)
        elif following.kind == "year" and item.mention is not None and _EVENT_YEAR_GAP.match(between):
            item.mention = with_year(item.mention, following.mention.year)
            item.kind = {"month": "month-year", "month-day": "absolute"}.get(item.kind, item.kind)
    return kept


# --- resolving against the publication date


def _resolve(item: _Found, published: dt.date | None, label: str, published_inferred: bool) -> None:
    """Give one expression its value, in place (offsets from events are resolved later)."""
    groups = item.groups
    mention = item.mention
    if item.kind in {"absolute", "month-day", "holiday"}:
        _resolve_day(item, mention, published, label, published_inferred)
        return
    if item.kind in {"month-year", "year"}:
        _set(item, mention.value, mention.granularity, "text", "absolute", False)
        return
    if item.kind == "decade":
        _set(item, f"{groups['decade']}/{int(groups['decade']) + 9}", RANGE, "text", "decade", False)
        return
    if item.kind == "season-years":
        first = int(groups["first"])
        if (first + 1) % 100 == int(groups["second"]):
            _set(item, f"{first}/{first + 1}", RANGE, "text", "season-years", False)
        return
    if published is None:
        return
    if item.kind == "month" and "year_shift" in item.extra:
        month = mention.month if mention is not None else month_number(groups["month"])
        _set(item, f"{published.year + item.extra['year_shift']}-{month:02d}", MONTH, label, "month-year-shift",
             published_inferred)
        return
    if item.kind == "month":
        lead = groups.get("lead", "").lower()
        tense = {"last": "past", "next": "future"}.get(lead, item.tense)
        month = mention.month if mention is not None else month_number(groups["month"])
        year, guess = _year_of(month, None, published, tense, strict=lead in {"last", "next"},
                               firm=item.extra.get("firm_tense", False) and tense == item.tense)
        if lead in {"early", "mid", "late"}:  # "early December": its first ten days
            first, last = _third(dt.date(year, month, 1), _month_end(year, month), "month", lead)
            _set(item, f"{first.isoformat()}/{last.isoformat()}", RANGE, label, "month-part",
                 published_inferred or guess)
        else:
            _set(item, f"{year}-{month:02d}", MONTH, label, "month", published_inferred or guess)
    elif item.kind == "weekday":
        _resolve_weekday(item, published, label, published_inferred)
    elif item.kind == "relative-day":
        word = groups["word"].lower().split()[0]
        day = published + dt.timedelta(days=_RELATIVE_DAYS[word])
        _set(item, day.isoformat(), DAY, label, "relative-day", published_inferred)
    elif item.kind == "ago":
        (fewest, most), unit = _amounts(groups["amount"]), groups["unit"].lower()
        granularity = {"day": DAY, "week": WEEK}.get(unit, unit)
        if fewest == most:
            _set(item, *_at(_shift(published, -fewest, unit), granularity), label, "ago", published_inferred)
        else:
            _set(item, *_span_at(_shift(published, -most, unit), _shift(published, -fewest, unit), granularity),
                 label, "ago-approximate", True)
    elif item.kind == "period":
        _resolve_period(item, published, label, published_inferred)


def _resolve_day(item: _Found, mention: DateMention, published: dt.date | None, label: str,
                 published_inferred: bool) -> None:
    """A full or partial date or a holiday: its year from the text, else the year nearest the publication date."""
    if mention.year is not None:
        anchor, rule, inferred = "text", "absolute" if item.kind != "holiday" else "holiday", False
    elif published is None:
        return
    elif "year_shift" in item.extra:
        mention = with_year(mention, published.year + item.extra["year_shift"])
        anchor, rule, inferred = label, f"{item.kind}-year-shift", published_inferred
    else:
        year, guess = _year_of(mention.month, mention.day, published, item.tense,
                               firm=item.extra.get("firm_tense", False))
        anchor, rule, inferred = label, item.kind, published_inferred or guess
        if guess and "stated_year" in item.extra:
            # Far from the date line either way, the day takes the year the text gave its month before:
            # "killed in June 2005 ... The deputy was killed on June 24", said in May 2007.
            year = item.extra["stated_year"]
            anchor, rule = f"the text's {mention.month:02d}/{year}", "month-day-text-year"
        mention = with_year(mention, year)
    first = mention.date()
    if item.extra.get("week_of"):
        _set(item, _week(first - dt.timedelta(days=first.weekday())), WEEK, anchor, "week-of", inferred)
    elif mention.until is not None and mention.until <= _month_end(first.year, first.month).day:
        _set(item, f"{first.isoformat()}/{first.replace(day=mention.until).isoformat()}", RANGE, anchor,
             f"{rule}-range", inferred)
    else:
        _set(item, first.isoformat(), DAY, anchor, rule, inferred)


def _resolve_weekday(item: _Found, published: dt.date, label: str, published_inferred: bool) -> None:
    """"last Thursday", "on Friday", "next Monday", "this Sunday" against the publication date."""
    weekday, modifier = item.mention.weekday, item.mention.modifier
    if modifier in {"last", "past"}:
        day = resolve_weekday(weekday, published, "past", strict=True)
    elif modifier in {"next", "coming"}:
        day = resolve_weekday(weekday, published, "future", strict=True)
    elif modifier == "this":
        day = published - dt.timedelta(days=published.weekday()) + dt.timedelta(days=weekday)
    else:
        ahead = item.tense == "future" or item.extra.get("scheduled", False)
        day = resolve_weekday(weekday, published, "future" if ahead else "past")

    _set(item, day.isoformat(), DAY, label, "weekday", published_inferred)


def _resolve_period(item: _Found, published: dt.date, label: str, published_inferred: bool) -> None:
    shift_word = " ".join(item.groups.get("shift", "this").lower().split())
    unit = item.groups["unit"].lower()
    shift = {"last": -1, "next": 1, "coming": 1, "this": 0, "this past": -1}[shift_word]
    if unit in {"week", "month", "year"}:
        first, last = _period_span(published, unit, shift)
        qualifier = item.groups.get("qualifier", "").lower()
        part = _period_part(first, last, unit, qualifier, published) \
            if shift_word != "this past" and unit != "year" else None
        if part is not None:
            _set(item, f"{part[0].isoformat()}/{part[1].isoformat()}", RANGE, label, f"relative-{unit}-part",
                 published_inferred)
        elif shift_word == "this past" and unit == "week":
            value = f"{(published - dt.timedelta(days=7)).isoformat()}/{(published - dt.timedelta(days=1)).isoformat()}"
            _set(item, value, WEEK, label, "relative-week", published_inferred)
        else:
            value, granularity = {"week": (_week(first), WEEK), "month": (first.isoformat()[:7], MONTH),
                                  "year": (str(first.year), YEAR)}[unit]
            _set(item, value, granularity, label, f"relative-{unit}", published_inferred)
    elif unit == "weekend":
        saturday = published + dt.timedelta(days=(5 - published.weekday()) % 7)
        # "at the weekend" (no shift word) is the past one unless the verb says future: news reports the past.
        past = item.tense == "past" or ("shift" not in item.groups and item.tense != "future")
        if shift < 0 or (shift == 0 and published.weekday() < 5 and past):
            saturday -= dt.timedelta(days=7)
        elif shift > 0 and shift_word == "next" and published.weekday() >= 5:
            saturday += dt.timedelta(days=7)
        value = f"{saturday.isoformat()}/{(saturday + dt.timedelta(days=1)).isoformat()}"
        _set(item, value, RANGE, label, "relative-weekend", published_inferred)
    else:
        first_month, last_month = _SEASONS[unit]
        year = published.year + shift
        start = dt.date(year, first_month, 1)
        if shift < 0:
            # the latest such season that ended before the publication date
            year = published.year if _season_end(published.year, unit) < published else published.year - 1
            start = dt.date(year, first_month, 1)
        end = _season_end(start.year, unit)
        _set(item, f"{start.isoformat()}/{end.isoformat()}", RANGE, label, "season", published_inferred)


def _period_span(published: dt.date, unit: str, shift: int) -> tuple[dt.date, dt.date]:
    """The first and last day of the week (Monday to Sunday), month or year `shift` units from `published`."""
    if unit == "week":
        monday = published - dt.timedelta(days=published.weekday()) + dt.timedelta(weeks=shift)
        return monday, monday + dt.timedelta(days=6)
    if unit == "month":
        index = published.year * 12 + published.month - 1 + shift
        first = dt.date(index // 12, index % 12 + 1, 1)
        return first, _month_end(first.year, first.month)
    year = published.year + shift
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _period_part(first: dt.date, last: dt.date, unit: str, qualifier: str,
                 published: dt.date) -> tuple[dt.date, dt.date] | None:
    """The days of a week or month that "early", "mid", "late", "earlier" or "later" name (None: all of it).

    "earlier this week / month" is what has passed of it before the day of writing, "later this ..."
    what is left of it after; otherwise the period in thirds (`_THIRDS`): a month's first, middle and
    last ten days, a week's working days (Monday-Tuesday, Tuesday-Thursday, Thursday-Friday: "late last
    week" is not its weekend). A year stays whole ("earlier this year" said in July may be January).
    """
    if qualifier in {"earlier", "later"} and first <= published <= last:
        if qualifier == "earlier" and published > first:
            return first, published - dt.timedelta(days=1)
        if qualifier == "later" and published < last:
            return published + dt.timedelta(days=1), last
        return None
    qualifier = {"earlier": "early", "later": "late"}.get(qualifier, qualifier)
    if qualifier not in {"early", "mid", "late"}:
        return None
    return _third(first, last, unit, qualifier)


def _third(first: dt.date, last: dt.date, unit: str, qualifier: str) -> tuple[dt.date, dt.date]:
    """The early, mid or late part of a week (from its Monday) or month (from its first day)."""
    start, end = _THIRDS[unit][qualifier]
    end_day = first + dt.timedelta(days=end - 1)
    return first + dt.timedelta(days=start - 1), min(end_day, last) if end else last


# --- offsets from another event


def _resolve_offsets(article: Article, found: list[_Found], published: dt.date | None, label: str,
                     published_inferred: bool) -> None:
    """Resolve "a day later", "two days after the call", "the next day" in text order."""
    for index, item in enumerate(found):
        if item.kind != "offset":
            continue
        anchor = None
        if item.complement is not None:
            anchor = next((f for f in found if f.sentence == item.sentence and f.value and f is not item
                           and item.complement[0] <= f.start < item.complement[1]), None)
            if anchor is None:
                # "held a call late on Sunday, three days after X": the phrase dates the event
                # its clause reports, already dated by the sentence; X's own date is unknown.
                # Unresolved, that date leaves the phrase unresolved: an earlier event is not the one it restates.
                # A date of another verb ("Jurors on Monday asked to review a video of him boasting two
                # weeks after the death") dates another event: the phrase restates only its own verb's date.
                restated = next((f for f in reversed(found[:index]) if f.sentence == item.sentence
                                 and f.kind != "offset" and f.extra.get("governor") == item.extra.get("governor")),
                                None)
                if restated is not None:
                    if restated.value:
                        _set(item, restated.value, restated.granularity,
                             f"event {article.sentences[item.sentence].id}", "event-restated", True)
                    else:
                        item.extra["restates"] = True
                    continue
            if anchor is None:
                anchor = _named_event(article, found[:index], item)
                if anchor is None and _event_words(article, item):
                    # "two weeks before the shooting", "a day after Obama's inauguration": the phrase counts
                    # from the event it names; the last date said before it is another event's. Hours or
                    # minutes after it ("10 minutes after she was escorted out") fall on the day of the
                    # event the text reports last before its sentence (its own sentence's date is another
                    # verb's: "testifying Tuesday, said he asked her hours after the shootings").
                    if "same" not in item.groups:
                        continue
                    anchor = _preceding_event([f for f in found[:index] if f.sentence != item.sentence],
                                              item.sentence)
        if anchor is None:
            anchor = _preceding_event(found[:index], item.sentence)
        if anchor is None:
            continue  # nothing in the text to count from: the publication date is not that event
        guess = item.sentence - anchor.sentence > 1 or anchor.inferred
        _count_from(item, anchor, f"event {article.sentences[anchor.sentence].id}", guess)
        if published and item.tense == "past" and item.extra.get("firm_tense") \
                and interval(item.value)[0] > published + dt.timedelta(days=_DATE_LINE_SLACK):
            # "Drake, which defeated Bradley just 18 hours earlier", counted from Saturday's game ahead:
            # what the past tense reports is not after the date line; that was not its event.
            _set(item, None, DAY, "", "offset", False)


def _count_from(item: _Found, anchor: _Found, where: str, guess: bool) -> None:
    """Resolve an offset ("two days after") counted from the date of the event `anchor`; a vague
    amount ("a few days later") gives the span of days it may mean, marked inferred."""
    (fewest, most), unit, direction = _offset_of(item.groups)
    first, last = interval(anchor.value)
    granularity = anchor.granularity if anchor.granularity in {MONTH, YEAR} else DAY
    if granularity == DAY:
        last = first  # a range of days counts from its first ("Sunday and Monday ... a day later")
    unit_granularity = {"day": DAY, "week": DAY}.get(unit, unit)
    coarser = max(granularity, unit_granularity, key=lambda g: _COARSENESS[g])
    # A month or year shifted by days or weeks may cross into the next: "three weeks before" an event of
    # 2005 is late 2004 or 2005 ("2004/2005"), not the one year 2004.
    days = [_shift(day, direction * amount, unit) for day in (first, last) for amount in (fewest, most)]
    value, granularity = _span_at(min(days), max(days), coarser)
    if fewest == most:
        _set(item, value, granularity, where, "event-offset", guess)
        return
    _set(item, value, granularity, where, "event-offset-approximate", True)


def _offsets_from_story(articles: Sequence[Article], resolved: dict[str, list[_Found]]) -> None:
    """Resolve, in place, the offsets left unresolved whose complement names an event another article dates.

    "It comes a day after three bank workers died" counts from the day another report of the story
    gives the deaths: a sentence there with the complement's head word ("died": the lemma) and at least
    two more of its content words, and a date said nearest that word. The reports that name it must
    agree on that date (more than half of them); the value is marked inferred (another text's date).
    """
    for article in articles:
        for item in resolved[article.id]:
            if item.kind != "offset" or item.value or "event" not in item.extra or item.extra.get("restates"):
                continue
            text = article.sentences[item.sentence].text
            named = content_words(text[item.complement[0]:item.complement[1]]) - {item.extra["event"]}
            unit = _offset_of(item.groups)[1]
            found = [(other.sentences[f.sentence].id, f) for other in articles if other.id != article.id
                     for f in [_dated_event(other, resolved[other.id], item.extra["event"], named)] if f
                     # "a day after" counts from a day, not from "their leading rusher in 2009"
                     and _COARSENESS[f.granularity] <= _COARSENESS[{"week": DAY}.get(unit, unit)]]
            if not found:
                continue
            counts = Counter(f.value for _, f in found)
            value, count = counts.most_common(1)[0]
            if count * 2 <= len(found):
                continue  # the reports disagree on the event's date
            where, anchor = next((w, f) for w, f in found if f.value == value)
            _count_from(item, anchor, f"event {where} (another report; {count} of {len(found)} agree)", True)


def _years_from_story(articles: Sequence[Article], resolved: dict[str, list[_Found]]) -> None:
    """Give, in place, the year-less dates of an undated story the year its texts say is now.

    A story with no dated article has nothing to count "Sunday" from, but a clause in the present tense
    dated by an offset says which year its texts are written in: "The election comes two years after the
    death of Niyazov", with Niyazov's death "in 2006" (another report), is 2008. When every such clause of
    the story gives one year, the dates that need only a year take it: "Dec.14" and "in September" are
    that year's, "earlier this year" is that year, "two years ago" two before; a day of the week or
    "last month" needs a day and stays undated. Never in an article whose text reports a later year as
    past. Each value is marked inferred and names the clause it rests on.
    """
    if any(article.published.value for article in articles):
        return  # a dated story dates its undated articles by the day (`anchors.story_anchors`)
    present = [(article, item) for article in articles for item in resolved[article.id]
               if item.kind == "offset" and item.value and item.extra.get("present")]
    years = {interval(item.value)[0].year for _, item in present} | {interval(item.value)[1].year for _, item in present}
    if len(years) != 1:
        return
    year = years.pop()
    article, item = present[0]
    # A clause dated to the day ("hours after the shooting") places a year-less month nearest that day.
    day = interval(item.value)[0] if item.granularity == DAY and len({f.value for _, f in present}) == 1 else None
    label = f"inferred year {year} ({item.text!r} in {article.sentences[item.sentence].id}, {item.anchor})"
    for article in articles:
        latest = _latest_reported(resolved[article.id])
        if latest is not None and latest.year > year:
            continue
        for found in resolved[article.id]:
            if found.value is None:
                _resolve_in_year(found, year, day, label)


def _resolve_in_year(item: _Found, year: int, day: dt.date | None, label: str) -> None:
    """Give one expression that needs only its year a value in `year` (the story's), marked inferred; a month
    or a day of the year takes, when the story's day is known, the year that puts it nearest that day."""
    groups, mention = item.groups, item.mention
    unit = groups.get("unit", "").lower()
    if day is not None and item.kind in {"month-day", "holiday", "month"} and "year_shift" not in item.extra:
        month = mention.month if mention is not None else month_number(groups["month"])
        year = _year_of(month, mention.day if mention is not None and mention.day else None, day, item.tense,
                        firm=item.extra.get("firm_tense", False))[0]
    if item.kind in {"month-day", "holiday"} and mention is not None:
        mention = with_year(mention, year + item.extra.get("year_shift", 0))
        first = mention.date()
        if mention.until is not None and mention.until <= _month_end(first.year, first.month).day:
            _set(item, f"{first.isoformat()}/{first.replace(day=mention.until).isoformat()}", RANGE, label,
                 "story-year-range", True)
        elif not item.extra.get("week_of"):
            _set(item, first.isoformat(), DAY, label, "story-year", True)
    elif item.kind == "month" and groups.get("lead", "").lower() not in {"last", "next"}:
        month = mention.month if mention is not None else month_number(groups["month"])
        shifted = year + item.extra.get("year_shift", 0)
        if groups.get("lead", "").lower() in {"early", "mid", "late"}:
            first, last = _third(dt.date(shifted, month, 1), _month_end(shifted, month), "month", groups["lead"].lower())
            _set(item, f"{first.isoformat()}/{last.isoformat()}", RANGE, label, "story-year", True)
        else:
            _set(item, f"{shifted}-{month:02d}", MONTH, label, "story-year", True)
    elif item.kind == "period" and unit == "year":
        shift = {"last": -1, "next": 1, "coming": 1, "this": 0, "this past": -1}[
            " ".join(groups.get("shift", "this").lower().split())]
        _set(item, str(year + shift), YEAR, label, "story-year", True)
    elif item.kind == "ago" and unit == "year":
        fewest, most = _amounts(groups["amount"])
        value = str(year - fewest) if fewest == most else f"{year - most}/{year - fewest}"
        _set(item, value, YEAR if fewest == most else RANGE, label, "story-year", True)


def _dated_event(article: Article, found: Sequence[_Found], event: str, named: set[str]) -> _Found | None:
    """The date of `article` said nearest the word `event` (a lemma) in its first sentence that holds it,
    a date and at least two of the words `named` (all of them when fewer)."""
    for sentence in sorted({f.sentence for f in found if f.value and f.kind != "offset"}):
        dated = [f for f in found if f.sentence == sentence and f.value and f.kind != "offset"]
        places = [at for at, lemma in dated[0].extra.get("lemmas", ()) if lemma == event]
        if not places or len(named & content_words(article.sentences[sentence].text)) < min(2, len(named)):
            continue
        outside = [f for f in dated if not any(f.start <= at < f.end for at in places)
                   and _dates(f, places, article.sentences[sentence].text)]
        if outside:
            return min(outside, key=lambda f: min(abs(f.start - at) for at in places))
    return None


def _dates(found: _Found, places: Sequence[int], text: str) -> bool:
    """Whether the date `found` dates a word said at one of `places`: the word is on its path to its verb,
    or the date follows the word at once ("a strong earthquake a day before")."""
    if found.extra.get("path", frozenset()) & set(places):
        return True
    return any(re.fullmatch(r"\w*\W?\s?", text[at:found.start]) for at in places if at < found.start)


def _event_words(article: Article, item: _Found) -> set[str]:
    """The content words (four letters or more) of an offset's complement: what names its event ("the
    quake", "Obama's inauguration"; none for "after that", "before it")."""
    text = article.sentences[item.sentence].text
    return {word for word in content_words(text[item.complement[0]:item.complement[1]]) if len(word) >= 4}


def _named_event(article: Article, before: Sequence[_Found], item: _Found) -> _Found | None:
    """The dated event an offset's complement names ("two days after the quake"): the nearest earlier
    date whose sentence shares a content word with the complement, outside time expressions."""
    named = _event_words(article, item)
    if not named:
        return None
    event = item.extra.get("event")
    if event:
        # The word that heads the complement names the event ("after the Sixers ended their season": ended,
        # not "season", which "after just one season" also says).
        named = {word for word in named if word == item.extra.get("event_word")} or {event}
    dated = [f for f in before if f.value and f.sentence != item.sentence]
    for sentence in sorted({f.sentence for f in dated}, reverse=True):
        words = [(m.start(), m.group(0).lower()) for m in re.finditer(r"\w+", article.sentences[sentence].text)]
        lemmas = dict(next(f for f in dated if f.sentence == sentence).extra.get("lemmas", ()))
        # "the quake" names "a strong earthquake": the same word, or one ending the other ("died": "die").
        places = [at for at, word in words if lemmas.get(at) == event or any(
            word == n or (len(word) > len(n) and word.endswith(n)) or (len(n) > len(word) >= 4 and n.endswith(word))
            for n in named)]
        here = [f for f in dated if f.sentence == sentence and not any(f.start <= at < f.end for at in places)
                and _dates(f, places, article.sentences[sentence].text)]
        if places:
            # the date said nearest the word that names the event; the latest mention of the event decides
            return min(here, key=lambda f: min(abs(f.start - at) for at in places)) if here else None
    return None


def _preceding_event(before: Sequence[_Found], sentence: int) -> _Found | None:
    """The dated event an offset counts from: the nearest date before it in its own sentence, else
    the main-clause date of the nearest earlier sentence that has one (its last date otherwise)."""
    dated = [f for f in before if f.value]
    if not dated:
        return None
    if dated[-1].sentence == sentence:
        return dated[-1]
    # A later sentence counts from the story's time, not from a flashback or a noun's date before it
    # ("... a shooting that had taken place the previous day. ... the previous day's shooting").
    dated = [f for f in dated if not f.extra.get("backdrop")] or dated
    last_sentence = [f for f in dated if f.sentence == dated[-1].sentence]
    return next((f for f in reversed(last_sentence) if f.extra.get("main_clause")), last_sentence[-1])


def _offset_of(groups: dict) -> tuple[tuple[int, int], str, int]:
    """((fewest, most) units, unit, +1 later / -1 earlier) of an offset phrase."""
    if "same" in groups:
        return (0, 0), "day", 1
    unit = groups["unit"].lower()
    unit = "day" if unit in {"morning", "evening", "night"} else unit
    if "which" in groups:
        return (1, 1), unit, -1 if groups["which"].lower() in {"previous", "preceding"} else 1
    amounts = _amounts(groups["amount"]) if "amount" in groups else (1, 1)
    return amounts, unit, -1 if groups["direction"].lower() in {"earlier", "before"} else 1


def _join_ranges(article: Article, found: list[_Found]) -> list[_Found]:
    """Join two adjacent days into one range ("Sunday and Monday", "Jan. 9 to Jan. 11")."""
    joined: list[_Found] = []
    for item in found:
        previous = joined[-1] if joined else None
        if previous is not None and previous.sentence == item.sentence and previous.value and item.value \
                and previous.granularity == DAY and item.granularity == DAY:
            text = article.sentences[item.sentence].text
            between = text[previous.end:item.start]
            if _RANGE_CONNECTOR.match(between):
                first = dt.date.fromisoformat(previous.value)
                last = dt.date.fromisoformat(item.value)
                if item.kind == "weekday" and previous.kind == "weekday" and not item.mention.modifier:
                    last = first + dt.timedelta(days=(last.weekday() - first.weekday()) % 7)
                gap = (last - first).days
                if 0 < gap <= 31 and (between.strip().lower() != "and" or gap == 1):
                    joined[-1] = replace(previous, end=item.end, text=text[previous.start:item.end],
                                         value=f"{first.isoformat()}/{last.isoformat()}", granularity=RANGE,
                                         rule=f"{previous.rule}-range", inferred=previous.inferred or item.inferred)
                    continue
        joined.append(item)
    return joined


# --- small calendar arithmetic


def _evening_before(found: Sequence[_Found], moment: WritingMoment) -> None:
    """"Tonight" and "this evening" written between midnight and dawn: the evening of the day before."""
    for item in found:
        if item.kind != "relative-day" or not item.value:
            continue
        word = " ".join(item.groups["word"].lower().split())
        if word in {"tonight", "this evening", "this night"}:
            day = dt.date.fromisoformat(item.value) - dt.timedelta(days=1)
            _set(item, day.isoformat(), DAY, f"{item.anchor}; written at {moment.evidence}, before dawn",
                 "evening-before", True)


# A clock time in a sentence: "10am", "about 3 p.m.", "9:30 a.m." (the half of the day written).
_TEXT_CLOCK = re.compile(r"(?<![\w:.])(?P<hour>1[0-2]|0?[1-9])(?::[0-5]\d)?\s*(?P<half>[AaPp])\.?\s?[Mm]\b")


def _clock_ahead(article: Article, found: Sequence[_Found], moment: WritingMoment) -> bool:
    """Whether the text reports as past a clock time of "today" later than its date line's clock: "walked into
    the office at about 10am today", dated "April 10, 2007-7:07AM" by an outlet a day ahead of Detroit. That
    clock is another zone's, and the story's "today" is the day before its date line."""
    for item in found:
        if item.kind != "relative-day" or item.tense != "past" or not item.value \
                or item.value != moment.day.isoformat():
            continue
        word = " ".join(item.groups["word"].lower().split())
        if word not in {"today", "this morning", "this afternoon"}:
            continue
        for clock in _TEXT_CLOCK.finditer(article.sentences[item.sentence].text):
            hour = int(clock.group("hour")) % 12 + (12 if clock.group("half").lower() == "p" else 0)
            if hour > moment.hour:
                return True
    return False


def _day_before(found: Sequence[_Found], moment: WritingMoment) -> None:
    """"Today", "tonight", "this morning", "yesterday" of a text whose date line's clock is a zone ahead of
    its story (`_clock_ahead`): a day earlier than that date line, marked inferred."""
    for item in found:
        if item.kind != "relative-day" or not item.value:
            continue
        day = dt.date.fromisoformat(item.value) - dt.timedelta(days=1)
        _set(item, day.isoformat(), DAY, f"{item.anchor}; written at {moment.evidence}, a zone ahead of its "
             "story: the text reports a later hour of that day as past", "zone-ahead", True)


def _set(item: _Found, value: str, granularity: str, anchor: str, rule: str, inferred: bool) -> None:
    item.value, item.granularity, item.anchor, item.rule, item.inferred = value, granularity, anchor, rule, inferred


def _unresolved_granularity(item: _Found) -> str:
    return {"year": YEAR, "month-year": MONTH, "month": MONTH}.get(item.kind, DAY)


def _year_of(month: int, day: int | None, anchor: dt.date, tense: str, strict: bool = False,
             firm: bool = False) -> tuple[int, bool]:
    """The year that puts month-day (a month: day None) nearest `anchor`, weighted by tense; and whether that
    was a guess. A reading against a firm tense (the clause's own verb) past the date line's slack is none."""
    readings = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        date = dt.date(year, month, min(day or 15, _month_end(year, month).day))
        distance = (date - anchor).days
        if strict and (distance == 0 or (tense == "past") != (distance < 0)):
            continue
        # A month (day None) is against the tense only when all of it is: "in December" said on Dec. 5.
        nearest = distance if day is not None else (
            (dt.date(year, month, 1) - anchor).days if tense == "past" else (_month_end(year, month) - anchor).days)
        if firm and ((tense == "past" and nearest > _DATE_LINE_SLACK)
                     or (tense == "future" and nearest < -_DATE_LINE_SLACK)):
            continue
        weight = 1.0
        if distance > 0:
            weight = _AGAINST_TENSE if tense == "past" else (1.0 if tense == "future" else _NO_TENSE_FUTURE)
        elif distance < 0 and tense == "future":
            weight = _AGAINST_TENSE
        readings.append((abs(distance) * weight, date))
    best = min(readings)[1]
    return best.year, abs((best - anchor).days) > _GUESS_DAYS


def _span_at(first: dt.date, last: dt.date, granularity: str) -> tuple[str, str]:
    """The days first..last written at a granularity ("2003/2007" for years); one value when they fall in one."""
    low, high = _at(first, granularity)[0], _at(last, granularity)[0]
    if low == high:
        return low, granularity
    if granularity == WEEK:
        return f"{interval(low)[0].isoformat()}/{interval(high)[1].isoformat()}", RANGE
    return f"{low}/{high}", RANGE


def _week(monday: dt.date) -> str:
    return f"{monday.isoformat()}/{(monday + dt.timedelta(days=6)).isoformat()}"


def _at(day: dt.date, granularity: str) -> tuple[str, str]:
    """A date written at a granularity: the day, its week, month or year."""
    if granularity == WEEK:
        return _week(day - dt.timedelta(days=day.weekday())), WEEK
    if granularity == MONTH:
        return f"{day.year}-{day.month:02d}", MONTH
    if granularity == YEAR:
        return str(day.year), YEAR
    return day.isoformat(), DAY


def _shift(day: dt.date, amount: int, unit: str) -> dt.date:
    if unit == "day":
        return day + dt.timedelta(days=amount)
    if unit == "week":
        return day + dt.timedelta(weeks=amount)
    months = amount * (12 if unit == "year" else 1)
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, _month_end(year, month).day))


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def _season_end(year: int, season: str) -> dt.date:
    first, last = _SEASONS[season]
    return _month_end(year + (last < first), last)


def _amounts(word: str) -> tuple[int, int]:
    """The fewest and most units an amount means: (3, 3) for "three", (3, 7) for "several"."""
    if word.isdigit():
        return int(word), int(word)
    amount = _NUMBER_WORDS[" ".join(word.lower().split())]
    return amount if isinstance(amount, tuple) else (amount, amount)


def _parse_iso(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None



