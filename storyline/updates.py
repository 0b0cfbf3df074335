"""Figures that changed as reports came in: the brief's "How the figures changed".

Reads: the number and figure-change conflicts of a story (`storyline.compare`), each report's publication
(day, and the clock time its date line states) and the story's sentences. Writes: the `FigureUpdate`s of
the brief, each value as of its report's moment (or the day its sentence gives it as of), oldest first,
and the conflicts that stay conflicts (`split_updates`). Deterministic. Used by `storyline.brief`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Any, Mapping, Sequence

from storyline import support
from storyline.compare import CHANGE, REVISION
from storyline.records import FigureUpdate, Statement, UpdateValue, independent_root


# A clock time in a date line ("Updated 5 / 5 / 2010 1:41 PM", "Wed May 5, 2010 7:12pm BST", "15:14"), with its zone.
DATE_LINE_TIME = re.compile(r"(?<![\d:])([01]?\d|2[0-3])[:.]([0-5]\d)(?::[0-5]\d)?(?!\d)\s*([ap]\.?m\.?)?"
                            r"(?:\s*\(?([A-Z]{2,4})\b)?", re.IGNORECASE)
# Two reports of one day are of different times when their clock times are this far apart (minutes).
SAME_TIME = 60


@dataclass(frozen=True, slots=True)
class Moment:
    """When a report came out: its publication day, and the time of day its date line states.

    clock: minutes after midnight as written (None: no time stated); utc: the same in UTC when the
    date line names a zone `support.ZONE_OFFSETS` knows, else None; written: the time as written.
    """

    day: str | None
    clock: int | None = None
    utc: int | None = None
    written: str = ""
    stated: bool = False  # the day a sentence gives its figure as of ("By Saturday"), not the report's

    def label(self) -> str:
        """The as-of of a value: the day, with the time of day when stated ("2010-05-05 7:12pm BST")."""
        return f"{self.day} {self.written}" if self.day and self.written else (self.day or "")


def moment_of(published: Any) -> Moment:
    """The publication moment of an article: `published.value`, and the clock time of the date line its
    `evidence` quotes (a date line keeps the time the cleaner's day drops)."""
    day = getattr(published, "value", None)
    evidence = getattr(published, "evidence", "") or ""
    match = DATE_LINE_TIME.search(evidence) if day else None
    if match is None:
        return Moment(day)
    hour, minute, half, zone = int(match.group(1)), int(match.group(2)), match.group(3), match.group(4)
    if half:
        if hour > 12:
            return Moment(day)
        hour = hour % 12 + (12 if half.lower().startswith("p") else 0)
    clock = hour * 60 + minute
    offset = support.ZONE_OFFSETS.get(zone.lower()) if zone else None
    end = match.end(4) if offset is not None else match.end(3) if half else match.end(2)
    return Moment(day, clock, None if offset is None else clock - offset, evidence[match.start():end].strip())


def apart(first: Moment, second: Moment) -> bool | None:
    """Whether two reports came out at different times: True, False (the same day, and no two clock times
    `SAME_TIME` apart), or None when a day is not known. Clock times are compared in UTC when both zones
    are known, else as written."""
    if not first.day or not second.day:
        return None
    if first.day != second.day:
        return True
    if first.clock is None or second.clock is None:
        return False
    if first.utc is not None and second.utc is not None:
        return abs(first.utc - second.utc) >= SAME_TIME
    return abs(first.clock - second.clock) >= SAME_TIME


def order_key(moment: Moment) -> tuple:
    """Sort key of moments: day, then time of day (UTC when known; none stated first)."""
    return (moment.day or "9999", -1 if moment.clock is None else moment.utc if moment.utc is not None else moment.clock)


def split_updates(conflicts: Sequence[Any], published: Mapping[str, Any],
                  sentences: Mapping[str, str] | None = None) -> tuple[list[Any], list[Any]]:
    """(updates, conflicts): a figure that differs between reports that came out at different times is
    a figure that changed as reports came in (a toll that rose), not a disagreement: a number conflict,
    or two compatible figures stated otherwise (compare's `figure-change`), whose sides all came out at
    different times (different days, or the same day at clock times `SAME_TIME` apart that the date
    lines state); a figure stated otherwise by versions of one report (compare's `revision`) always is.
    Same-time differences, and any whose time is unknown, stay number conflicts; compatible figures
    that are not an update are no conflict at all, unless, between reports not all dated, they read as one
    count growing from a floor (`grew`: "at least 6,000", then "about 10,000"), an update in that order. A newer value that a report no later than the older
    one already states (`sentences`: every sentence of the story by id) did not come in later: the
    reports disagree, and the pair is no update (10 games on 5 January, nine on 6 January, and nine on
    5 January too)."""
    changes, kept = [], []
    for conflict in conflicts:
        if conflict.kind == REVISION:
            changes.append(conflict)
            continue
        if conflict.kind not in ("number", CHANGE):
            kept.append(conflict)
            continue
        moments = [moment_of(published.get(c.article)) for c in conflict.claims]
        # Values are of different times when their reports are, or when a sentence gives its value as of an
        # earlier day than the other's (`value_moment`: "By Saturday, ..." in a report of Monday); a day a
        # sentence states never makes two reports of different times one.
        held = [value_moment(c, published) for c in conflict.claims]
        known = [apart(moments[i], moments[j]) or apart(held[i], held[j])
                 for i in range(len(moments)) for j in range(i + 1, len(moments))]
        different = all(known)
        if conflict.subject == AGE:
            # A person's age is no figure reports revise: reports a year or more apart give it otherwise
            # because time passed (27 in 2005, 29 at the 2007 trial); nearer, an age stated otherwise is a
            # disagreement.
            if conflict.kind == "number" and not years_apart(moments):
                kept.append(conflict)
            continue
        if different and not stated_before(conflict, published, sentences or {}):
            changes.append(conflict)
        elif conflict.kind == CHANGE and None in known and False not in known and grew(conflict):
            # Reports whose time is not known: two values of one count that can both be true, the smaller
            # given as a floor, are the count as it grew ("at least 6,000" sites, then "about 10,000").
            changes.append(replace(conflict, kind=GROWN))
        elif conflict.kind == "number":
            kept.append(conflict)
    return changes, kept


AGE = "age"
# A figure that changed between reports whose time is not known, ordered by the count's growth (`grew`).
GROWN = "grown"


def grew(change: Any) -> bool:
    """Whether the values a change's claims state read as one count growing (`support.grows_to`): in order of
    value, each smaller value is a floor the next one is within ("at least 70" injured, then "about 100")."""
    figures = [subject_figure(claim.text, change.subject, change.reason) for claim in change.claims]
    if any(figure is None for figure in figures) or len({figure.value for figure in figures}) < 2:
        return False
    ordered = sorted(figures, key=lambda figure: figure.value)
    return all(a.value == b.value or support.grows_to(a, b) for a, b in zip(ordered, ordered[1:]))


def years_apart(moments: Sequence[Moment]) -> bool:
    """Whether two of the moments are a year or more apart (unknown days are not)."""
    days = [date_value(m.day or "") for m in moments]
    known = [d for d in days if d]
    return len(known) >= 2 and (max(known) - min(known)).days >= 365


def stated_before(change: Any, published: Mapping[str, Any], sentences: Mapping[str, str]) -> bool:
    """Whether a sentence of a report that came out no later than the change's older side states its newer
    value of the same subject (`support.counts_the_same`)."""
    claims = sorted(change.claims, key=lambda c: order_key(moment_of(published.get(c.article))))
    older, newer = claims[0], claims[-1]
    value, when = subject_figure(newer.text, change.subject, change.reason), moment_of(published.get(older.article))
    if value is None:
        return False
    # The reports that came out no later than the older side, each read once.
    earlier = {article for article, published_as in published.items() if article != newer.article
               for moment in [moment_of(published_as)]
               if moment.day and not (apart(moment, when) and order_key(moment) > order_key(when))}
    for sentence_id, text in sentences.items():
        if sentence_id.rpartition(":")[0] not in earlier:
            continue
        if any(support.same_subject(value, other) is True and support.counts_the_same(value, other)
               and support.states_alike(value, other) and other.value == value.value
               for other in support.facts_of(text).figures):
            return True
    return False


def figure_updates(changes: Sequence[Any], published: Mapping[str, Any],
                   duplicate_of: Mapping[str, str]) -> list[FigureUpdate]:
    """One update per figure: the changes of one subject that share claims (a toll stated 1, 3, then 5
    by pairs of reports) joined, every value their claims state, oldest first, each as of its report's
    publication moment (with the time of day the date line states); versions of one report whose
    order is not known are said to be, and so is an order inferred from a count's growth (`grew`)."""
    def stated(change: Any) -> set[tuple[Any, support.Figure]]:
        figures = ((claim, subject_figure(claim.text, change.subject, change.reason)) for claim in change.claims)
        return {(claim, figure) for claim, figure in figures if figure is not None}

    # Changes of one subject that share a claim, or that share one figure of a claim whatever noun the other
    # side counts it by (the Nationals' "$160 million contract" and "$160 million offer" both changed to the
    # range of one later report), are one figure; so are changes ordered by growth (`grew`), apart from the rest.
    chains: list[tuple[bool, list[Any]]] = []  # (grown, changes)
    for change in changes:
        grown, subject, own = change.kind == GROWN, change.subject or "figure", stated(change)
        linked = [chain for chain in chains if chain[0] == grown and any(
            ((other.subject or "figure") == subject and set(change.claims) & set(other.claims)) or own & stated(other)
            for other in chain[1])]
        merged = (grown, [change] + [c for chain in linked for c in chain[1]])
        chains = [chain for chain in chains if all(chain is not other for other in linked)] + [merged]
    updates = []
    for grown, members in chains:
        # The chain's subject: the one its changes' claims name most often (then the first in order).
        named: dict[str, set[Any]] = {}
        for change in members:
            named.setdefault(change.subject or "figure", set()).update(change.claims)
        subject = min(named, key=lambda name: (-len(named[name]), name))
        values: dict[tuple[str, str], tuple[tuple, UpdateValue]] = {}
        unordered = False
        for change in members:
            known = [moment_of(published.get(c.article)) for c in change.claims]
            if change.kind == REVISION and not all(apart(a, b) for i, a in enumerate(known) for b in known[i + 1:]):
                unordered = True
            for claim in change.claims:
                value = figure_text(claim.text, change.subject, change.reason)
                moment = value_moment(claim, published)
                statement = Statement(claim.text, (claim.sentence_id,),
                                      (independent_root(claim.article, duplicate_of),))
                # A day the sentence names by a weekday or without its year is the timeline's reading of it.
                inferred = bool(getattr(published.get(claim.article), "inferred", False)) or (
                    moment.stated and not support.YEAR.search(moment.written))
                # In order of the day each value holds, then of its report.
                as_of, order = moment.label(), (order_key(moment), order_key(moment_of(published.get(claim.article))))
                if grown:
                    # No report's time orders these values: the count's growth does (`grew`), and each is as of
                    # the time its sentence states ("By Saturday"), else its report's day, else "undated".
                    figure = subject_figure(claim.text, change.subject, change.reason)
                    as_of, order, inferred = stated_time(claim) or as_of or "undated", (figure.value,), True
                values.setdefault((as_of, value), ((order, statement.cites),
                                                   UpdateValue(value, as_of, statement, inferred)))
        ordered = tuple(value for _, value in sorted(values.values(), key=lambda pair: pair[0]))
        # A value restated by a later report is no change: the figure is given as of its first report.
        ordered = tuple(v for i, v in enumerate(ordered) if i == 0 or number(v.value) != number(ordered[i - 1].value))
        if not changes_one_way(ordered):
            continue
        steps = " -> ".join(f"{v.value} ({v.as_of}{'~' if v.inferred else ''})" for v in ordered)
        note = "; versions of one report, which came first is not known" if unordered else ""
        if grown:
            note = (f"; order inferred: not every report is dated, and {ordered[0].value} is given as a floor of a "
                    "count still coming in")
        updates.append(FigureUpdate(subject, ordered, f"{subject}: {steps}{note}"))
    return sorted(updates, key=lambda u: (u.subject, u.values[0].statement.cites))


def stated_slot(claim: Any) -> Any | None:
    """The date slot a claim's sentence gives its facts as of ("By Saturday, at least 6,000 Web sites had been
    infected", "as of Tuesday"): one right after "by" or "as of" (None when there is none)."""
    for slot in claim.slots:
        at = claim.text.find(slot.text) if slot.kind == "date" else -1
        if at >= 0 and AS_OF.search(claim.text[:at]):
            return slot
    return None


def stated_time(claim: Any) -> str:
    """The time a claim's sentence gives its facts as of (`stated_slot`): its resolved value when there is one,
    else as written ("" when there is none)."""
    slot = stated_slot(claim)
    return str(slot.value or slot.text) if slot is not None else ""


def value_moment(claim: Any, published: Mapping[str, Any]) -> Moment:
    """When a claim's figure holds: the day its sentence gives it as of, when that is a day before its report's
    ("By Saturday, at least 6,000 ..." in a report of Monday: that Saturday, as the timeline resolves it), else
    its report's publication moment (`moment_of`)."""
    moment = moment_of(published.get(claim.article))
    slot = stated_slot(claim)
    day = str(slot.value) if slot is not None else ""
    if moment.day and ISO_DAY.fullmatch(day) and day < moment.day[:10]:
        at = claim.text.find(slot.text)
        phrase = claim.text[at - len(AS_OF.search(claim.text[:at]).group(0)):at + len(slot.text)]
        return Moment(day, written=f"({phrase.strip()})", stated=True)
    return moment


# Words before a time that give what a sentence tells as of then ("By Saturday", "as of Tuesday"); not
# "until", which ends a span ("remained a secret until May 2005").
AS_OF = re.compile(r"\b(?:by|as of)\s+$", re.IGNORECASE)
ISO_DAY = re.compile(r"\d{4}-\d\d-\d\d")


def number(value: str) -> float | None:
    """The number a value of an update gives first ("at least 6,000": 6000.0; None when it gives none)."""
    figures = support.facts_of(value).figures
    return figures[0].value if figures else None


def changes_one_way(values: Sequence[UpdateValue]) -> bool:
    """Whether values in order of time read as one figure that changed: at least two different values,
    and, when there are three or more, all rising or all falling (a toll that rose, a figure revised
    down). Figures that go up and down between reports (9, 6, 10, 6 seasons) are counts of different
    things, not one figure's history."""
    numbers = [number(value.value) for value in values]
    if None in numbers:
        return False
    steps = [b - a for a, b in zip(numbers, numbers[1:]) if b != a]
    if not steps:
        return False
    return len(values) < 3 or all(step > 0 for step in steps) or all(step < 0 for step in steps)


def figure_text(text: str, subject: str, reason: str = "") -> str:
    """The figure of `subject` a claim states, as stated: with its qualifier ("at least 6,000") and, given as a
    range, with both ends ("between $178 million and $184 million"); the first figure when none is of it."""
    chosen = subject_figure(text, subject, reason)
    if chosen is None:
        return text
    if not chosen.prior:
        figures = [f for f in support.facts_of(text).figures if not f.prior]
        for low, high in zip(figures, figures[1:]):
            if chosen in (low, high) and low.value < high.value:
                start, end = text.find(low.text), text.find(high.text)
                if 0 <= start < end and RANGE_JOIN.fullmatch(text, start + len(low.text), end):
                    opening = RANGE_START.search(text, 0, start)
                    return text[opening.start() if opening else start:end] + support.as_written(high)
    return support.as_stated(chosen)


# A figure given as a range: "between $178 million and $184 million", "12 to 18", "12-18".
RANGE_START = re.compile(r"\bbetween\s+$", re.IGNORECASE)
RANGE_JOIN = re.compile(r"\s*(?:and|to|-|–)\s*")


def subject_figure(text: str, subject: str, reason: str = "") -> support.Figure | None:
    """The figure of `subject` a text states, not the old value of a change it tells (`Figure.prior`): one of
    the values `reason` sets against each other ("$160 million vs $178 million") when the text states one,
    else one of the subject, else the first figure (None when it states none)."""
    stated = support.facts_of(text).figures
    figures = [f for f in stated if not f.prior] or list(stated)
    sides = REASON_SIDES.match(reason)
    named = [f for f in figures if sides and support.as_stated(f) in (sides.group(1), sides.group(2))]
    return next(iter(named), None) or next((f for f in figures if subject in (f.outcome, f.noun, f.unit)
                                            or subject in f.nouns), figures[0] if figures else None)


# The two values of a conflict's or a change's reason: "at least 6,000 vs about 10,000 (site)".
REASON_SIDES = re.compile(r"(.+?) vs (.+?)(?: \([^()]*\))?$")


def date_value(text: str) -> dt.date | None:
    """The day an ISO date string names, or None."""
    try:
        return dt.date.fromisoformat(text[:10])
    except (TypeError, ValueError):
        return None
