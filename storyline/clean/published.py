"""Publication date of an article: the stated one, or one inferred from what the text reports.

Reads: the article's sentences (plain strings) and the date its metadata or
date line stated, if any. Writes: one `records.Published`. A stated date is
returned unchanged. Otherwise the date is inferred (`inferred=True`) as the
latest day the text reports as already happened, with the expressions and the
sentence used as `evidence`; with nothing usable the value is None and the
evidence says so. Never raises on odd input; deterministic (no clock is read).

How, in short (the reasons are at each step):
1. `time_expressions.find_dates` finds dates, partial dates, holidays,
   weekdays and durations ("a Christmas tree" is no date); only sentences
   holding one are parsed (spaCy).
2. A date counts only if the text reports something that already happened on
   it: the verb governing it must not be future, modal, an infinitive or a
   present (scheduled) form, the date must not be a bound ("until", "by",
   "ahead of", "for <date>") nor be modified by "next" / "upcoming".
3. Years of partial dates and holidays come from `assign_years`: placed
   nearest a full date the text reports, or just after the latest year or
   month it reports; a duration ("has dragged on for eight years") counted
   from the latest year stated gives the present year when no full date does.
4. When the latest date is a partial date or holiday, a bare past weekday
   ("late on Sunday") that falls after it pushes the date forward to the next
   such weekday.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Sequence

from storyline import nlp
from storyline.records import Published
from storyline.time_expressions import (
    ABSOLUTE,
    DAY,
    DURATION,
    HOLIDAY,
    PARTIAL,
    WEEKDAY,
    YEAR,
    DateMention,
    assign_years,
    find_dates,
    names_a_thing,
    resolve_weekday,
)

NO_EVIDENCE = "no date in metadata or text"

# Closed word classes, not phrases: modal auxiliaries, prepositions that give a
# bound rather than an occurrence, adjectives that place a noun in the future.
_MODALS = {"will", "shall", "'ll", "wo", "would", "'d", "could", "can", "may", "might", "should", "must", "ca"}
_BOUNDS = {"until", "till", "til", "by", "before", "into", "ahead", "through", "for", "toward", "towards"}
_FUTURE_ADJECTIVES = {"next", "upcoming", "coming", "forthcoming", "following"}
_PRESENT_TAGS = {"VBZ", "VBP"}
_KINDS_PARSED = {ABSOLUTE, PARTIAL, HOLIDAY, WEEKDAY, DURATION}
_MAX_EVIDENCE = 160
_SCAN_LIMIT = 400  # sentences: a longer text is not one article
_SENTENCE_LIMIT = 5_000  # characters: a longer "sentence" is unsplit text; spaCy refuses > 1e6


@dataclass(frozen=True, slots=True)
class _Reported:
    """A date mention with its sentence and whether the text reports it as past."""

    mention: DateMention
    sentence: int
    past: bool


def infer_published(sentences: Sequence[str], stated: Published | None = None,
                    hints: Sequence[str] = ()) -> Published:
    """Return `stated` when it has a value, else the publication date inferred from `sentences`.

    `hints` are lines the cleaner cut from the body that still date the page
    (photo captions, credits): a photo is taken before the article that
    shows it, so their full dates anchor years like the body's own.
    """
    if stated is not None and stated.value:
        return stated
    if hints:
        sentences = [h for h in hints if isinstance(h, str)] + list(sentences or [])
    if isinstance(sentences, str):
        sentences = [sentences]
    try:
        given = list(itertools.islice(sentences or [], _SCAN_LIMIT))
    except TypeError:  # not a sequence at all: no evidence
        given = []
    texts = [s[:_SENTENCE_LIMIT] for s in given if isinstance(s, str) and s.strip()]
    reported = _reported_dates(texts)
    if not reported:
        return Published(None, inferred=False, evidence=NO_EVIDENCE)
    return _infer(reported, texts)


def _reported_dates(texts: list[str]) -> list[_Reported]:
    """Find the date mentions of each sentence and whether each reports a past event."""
    found = [[m for m in find_dates(text) if m.kind in _KINDS_PARSED and not names_a_thing(m, text)]
             for text in texts]
    candidates = [i for i, mentions in enumerate(found) if mentions]
    if not candidates:
        return []
    parser = nlp.load()
    reported: list[_Reported] = []
    for i, doc in zip(candidates, parser.pipe(texts[i] for i in candidates)):
        for mention in found[i]:
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            if mention.kind == ABSOLUTE and mention.granularity == YEAR and not _is_year(span):
                continue
            if mention.kind == DURATION:
                reported.append(_Reported(mention, i, _lasts_until_now(span)))
            else:
                reported.append(_Reported(mention, i, _reports_past(span, mention)))
    return reported


def _is_year(span) -> bool:
    """A bare four-digit number is a year when the tagger calls it a date or a preposition governs it.

    A year that is part of a name ("the 1994 Budapest Memorandum", "its 2008
    Bucharest summit") dates that thing, not the article: it anchors nothing.
    """
    token = span.root
    if token.dep_ in {"nummod", "compound", "amod", "nmod"} and token.head.pos_ == "PROPN" and token.head.i > token.i:
        return False
    return token.ent_type_ == "DATE" or (token.head.pos_ == "ADP" and token.dep_ == "pobj")


def _reports_past(span, mention: DateMention) -> bool:
    """Whether the sentence reports something that already happened at the date `span`."""
    if mention.modifier in {"next", "coming", "this"}:
        return False
    token = span.root
    while True:
        if any(child.lower_ in _FUTURE_ADJECTIVES for child in token.children if child.dep_ in {"amod", "advmod"}):
            return False
        if token.pos_ in {"VERB", "AUX"}:
            # A participle that modifies a noun ("the talks beginning Jan. 10")
            # or takes the date as a preposition would ("the week beginning
            # Oct. 17") does not tell the tense: the clause above it does.
            as_preposition = token.dep_ == "prep" and span.root.head.i == token.i
            if token.tag_ == "VBG" and (token.dep_ == "acl" or as_preposition) and not _auxiliaries(token):
                token = token.head
                continue
            return _verb_is_past(token)
        if token.pos_ == "ADP" and token.lower_ in _BOUNDS:
            return False
        if token.lower_ in _BOUNDS and token.pos_ == "ADV":  # "ahead of"
            return False
        if token.head.i == token.i:
            return True  # no verb: a caption or a title reports what was
        token = token.head


def _governing_verb(span):
    """The verb that governs `span`, or None."""
    token = span.root
    while token.pos_ not in {"VERB", "AUX"}:
        if token.head.i == token.i:
            return None
        token = token.head
    return token


def _lasts_until_now(span) -> bool:
    """Whether a duration runs up to the time of writing: "has dragged on for eight years"."""
    verb = _governing_verb(span)
    if verb is None:
        return False
    auxiliaries = [child for child in verb.children if child.dep_ in {"aux", "auxpass"}]
    return any(aux.lemma_ == "have" and aux.tag_ in _PRESENT_TAGS for aux in auxiliaries)


def _auxiliaries(verb) -> list:
    """The auxiliary verbs of `verb`."""
    return [child for child in verb.children if child.dep_ in {"aux", "auxpass"}]


def _verb_is_past(verb) -> bool:
    """Whether a verb reports a past event: not future, modal, infinitive or present."""
    auxiliaries = _auxiliaries(verb)
    if any(aux.lower_ in _MODALS or aux.tag_ == "MD" for aux in auxiliaries):
        return False
    if any(aux.tag_ == "TO" for aux in auxiliaries):
        return False  # "to meet on Jan. 10", "are set to ..."
    if any(aux.tag_ in _PRESENT_TAGS and aux.lemma_ == "be" for aux in auxiliaries):
        return False  # "are set for", "is meeting on": scheduled, not reported
    if not auxiliaries and verb.tag_ in _PRESENT_TAGS | {"VB"}:
        return False  # "talks begin on Jan. 10"
    return True


def _infer(reported: list[_Reported], texts: list[str]) -> Published:
    """Turn the reported mentions into the inferred date and its evidence."""
    past = [r for r in reported if r.past]
    anchors = [r for r in past if r.mention.kind == ABSOLUTE]
    floor = max((r.mention.date() for r in anchors), default=None)
    floor_from = max(anchors, key=lambda r: r.mention.date()) if anchors else None
    implied = _present_year_from_duration(reported)
    has_day_date = any(r.mention.granularity == DAY for r in anchors)
    if implied is not None and not has_day_date and (floor is None or implied[0] > floor.year):
        floor, floor_from = dt.date(implied[0], 1, 1), implied[1]

    month_days = [r for r in reported if r.mention.kind in {PARTIAL, HOLIDAY} and r.mention.year is None
                  and r.mention.granularity == DAY]
    dated: list[tuple[dt.date, _Reported]] = [
        (r.mention.date(), r) for r in past if r.mention.granularity == DAY and r.mention.year is not None
    ]
    if month_days and floor is not None:
        # A full date is often the newest thing reported (or a date line left
        # in the body): month-days go nearest it. A year or month is background
        # that what the text reports last comes after. (bench/published.py, 2026-11)
        near = floor if floor_from is not None and floor_from.mention.granularity == DAY else None
        years = assign_years([r.mention for r in month_days], not_before=floor, near=near,
                             past=[r.past for r in month_days])
        dated += [(m.date(), r) for m, r in zip(years, month_days) if r.past]
    if not dated:
        return Published(None, inferred=False, evidence=NO_EVIDENCE)

    latest, source = max(dated, key=lambda pair: (pair[0], -pair[1].sentence))
    parts = [f"latest past date {source.mention.text!r} = {latest.isoformat()}"]
    if source.mention.year is None and floor_from is not None:
        parts.append(f"year from {floor_from.mention.text!r}")
    value = latest
    # A full date written out is seldom followed by a newer bare weekday; a
    # month-day or holiday often is ("on Dec. 30 ... late on Sunday").
    # Pushing after full dates made 4 of 146 dev documents later than the
    # truth (bench/published.py, 2026-11).
    pushed = _weekday_push(past, latest) if source.mention.kind != ABSOLUTE else None
    if pushed is not None:
        value, weekday = pushed
        parts.append(f"then {weekday.mention.text!r} = {value.isoformat()}")
    sentence = _shorten(texts[source.sentence])
    return Published(value.isoformat(), inferred=True, evidence=f"{'; '.join(parts)}; in: {sentence!r}")


def _present_year_from_duration(reported: list[_Reported]) -> tuple[int, _Reported] | None:
    """The present year implied by "has gone on for N years" counted from the latest year stated.

    Linking a duration to the year it starts from would need event
    coreference; the latest year the text reports is the usual start.
    """
    years = [r.mention.year for r in reported if r.past and r.mention.kind == ABSOLUTE]
    durations = [r for r in reported if r.mention.kind == DURATION and r.mention.unit in {"year", "decade"}]
    if not years or not durations:
        return None
    best = None
    for duration in durations:
        if not duration.past:  # for durations, `past` means "lasts until now"
            continue
        amount = duration.mention.amount * (10 if duration.mention.unit == "decade" else 1)
        candidate = (max(years) + amount, duration)
        best = candidate if best is None or candidate[0] > best[0] else best
    return best


def _weekday_push(past: list[_Reported], latest: dt.date) -> tuple[dt.date, _Reported] | None:
    """The nearest day on or after `latest` that a bare past weekday mention names, if any."""
    weekdays = [r for r in past if r.mention.kind == WEEKDAY and not r.mention.modifier]
    if not weekdays:
        return None
    return min(((resolve_weekday(r.mention.weekday, latest, "future"), r) for r in weekdays),
               key=lambda pair: (pair[0], pair[1].sentence))


def _shorten(text: str) -> str:
    """The sentence cut to a readable length for evidence."""
    text = " ".join(text.split())
    return text if len(text) <= _MAX_EVIDENCE else text[: _MAX_EVIDENCE - 1] + "…"
