"""Date an undated article from its story, so that its relative dates have something to count from.

Reads: the articles of one story (their `published` dates and `duplicate_of`) and, per article, the
latest day its own text reports as past (a date written with its year; `expressions` finds it).
Writes: an inferred `Published` per undated article that the story can date; the others are left
out. Deterministic; no clock is read.

An article with no publication date (no date line, no metadata, nothing in its text dates it) says
"on Saturday", "last month": a reader takes those from when the story was reported. The anchor is:
1. the date of the text it copies (`duplicate_of`), when that one is dated: a copy runs with it;
2. else the day most of the story's dated articles were published (the earliest of equals), among
   those not before the latest day the article's own text reports as past: a text is written after
   what it reports, and news of one story is mostly published on its busiest day.
With no dated article in the story (or none late enough), there is no anchor: a year the text
states may be background ("escaped on March 11, 2005", said at a 2008 sentencing) and is not taken.
The anchor is always `inferred=True`, its evidence naming the articles it comes from.

A dated article's words "today", "tonight", "this morning" count from the day it was written where
its events happened, which need not be the day its date line states (`local_writing`): a date line
with a clock time ("PUBLISHED: 02:31 GMT, 12 March 2013") and a zone is that moment in the story's
places when their UTC offset is known (22:31 on 11 March in Brooklyn); without a zone the clock time is
taken as it stands. That local day is the anchor, marked inferred; "tonight" or "this evening" written
before dawn is the evening before (`SMALL_HOURS`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from typing import Mapping, Sequence

from storyline.records import Article, Published


def story_anchors(articles: Sequence[Article], latest_reported: Mapping[str, dt.date | None]) -> dict[str, Published]:
    """Return an inferred publication date for each undated article of one story that the story dates.

    Args:
        articles: the story's articles.
        latest_reported: article id -> the latest day its text reports as past (None: none stated).
    """
    dated = {a.id: dt.date.fromisoformat(a.published.value[:10]) for a in articles
             if a.published.value and _is_iso(a.published.value)}
    if not dated:
        return {}
    anchors: dict[str, Published] = {}
    for article in articles:
        if article.id in dated:
            continue
        anchor = _anchor(article, dated, latest_reported.get(article.id))
        if anchor is not None:
            anchors[article.id] = anchor
    return anchors


def _anchor(article: Article, dated: Mapping[str, dt.date], latest: dt.date | None) -> Published | None:
    copied = dated.get(article.duplicate_of or "")
    if copied is not None and (latest is None or copied >= latest):
        return Published(copied.isoformat(), inferred=True,
                         evidence=f"the text it copies, {article.duplicate_of}, published {copied.isoformat()}")
    days = Counter(day for day in dated.values() if latest is None or day >= latest)
    if not days:
        return None
    day = min(days, key=lambda d: (-days[d], d))
    sources = sorted(i for i, d in dated.items() if d == day)
    after = f", not before {latest.isoformat()} its text reports" if latest else ""
    return Published(day.isoformat(), inferred=True, evidence=(
        f"the story's day: {len(sources)} of its {len(dated)} dated articles published then "
        f"({', '.join(sources[:3])}{'…' if len(sources) > 3 else ''}){after}"))


def _is_iso(value: str) -> bool:
    try:
        dt.date.fromisoformat(value[:10])
    except ValueError:
        return False
    return True


# Before this hour, "tonight" and "this evening" are the night that began the day before (a text
# written at 02:03 about "tonight's vigil"): the hours between midnight and dawn.
SMALL_HOURS = 6
# Fixed offsets (minutes east of UTC) of the zone abbreviations date lines write; "ET" / "PT" follow
# their region's daylight saving. An abbreviation with two readings (IST: India, Ireland) is left out.
_FIXED_ZONES = {"gmt": 0, "utc": 0, "z": 0, "bst": 60, "cet": 60, "cest": 120, "eet": 120, "eest": 180,
                "est": -300, "edt": -240, "cst": -360, "cdt": -300, "mst": -420, "mdt": -360,
                "pst": -480, "pdt": -420, "aest": 600, "aedt": 660, "jst": 540, "msk": 180}
_REGION_ZONES = {"et": "America/New_York", "pt": "America/Los_Angeles", "ct": "America/Chicago"}
# A clock time of a date line: "02:31 GMT", "7:07AM", "9:56 AM EDT", ISO "T02:31:00+00:00" / "Z".
_CLOCK = re.compile(
    r"(?<![\d:])(?P<hour>[01]?\d|2[0-3])[:.](?P<minute>[0-5]\d)(?::[0-5]\d(?:\.\d+)?)?"
    r"(?:\s*(?P<half>[AaPp])(?:\.?[Mm])?\b\.?)?"
    r"(?:\s*\(?(?P<zone>(?:GMT|UTC)\s*[+-]\d\d?(?::?\d\d)?|[A-Z]{1,4}\b|[+-]\d\d:?\d\d))?")


@dataclass(frozen=True, slots=True)
class WritingMoment:
    """When a dated article was written, in the time of its story's places where that is known."""

    day: dt.date
    hour: int
    evidence: str
    local: bool = False  # moved into the story's zone; False: the date line's own clock, its zone unknown here


def local_writing(published: Published, local_offset: int | None = None) -> WritingMoment | None:
    """The moment a stated date line's clock time gives, moved into the story's zone; None without one.

    Args:
        published: a stated publication date whose evidence is its date line or metadata field.
        local_offset: minutes east of UTC of the story's places (`gazetteer.utc_offset`), or None.
    """
    if published.inferred or not published.value:
        return None
    try:
        day = dt.date.fromisoformat(published.value[:10])
    except ValueError:
        return None
    match = next((m for m in _CLOCK.finditer(published.evidence) if m.group("half") or m.group("zone")
                  or ":" in m.group(0)), None)
    if match is None:
        return None
    hour = int(match.group("hour")) % 12 + (12 if (match.group("half") or "").lower() == "p" else 0) \
        if match.group("half") else int(match.group("hour"))
    stated = dt.datetime.combine(day, dt.time(hour, int(match.group("minute"))))
    offset = _zone_offset(match.group("zone") or "", stated)
    clock = match.group(0).replace("(", "").strip()
    if offset is None or local_offset is None:
        return WritingMoment(day, hour, f"{clock} on {day.isoformat()} (the date line's clock)")
    moment = stated + dt.timedelta(minutes=local_offset - offset)
    return WritingMoment(moment.date(), moment.hour, (
        f"{clock} on {day.isoformat()} is {moment:%Y-%m-%d %H:%M} in the story's places (UTC{local_offset / 60:+g})"),
        local=True)


def _zone_offset(zone: str, moment: dt.datetime) -> int | None:
    """Minutes east of UTC of a zone a date line writes, at `moment`; None when not known."""
    if not zone:
        return None
    shifted = re.fullmatch(r"(?:GMT|UTC)?\s*([+-])(\d\d?)(?::?(\d\d))?", zone)
    if shifted:
        minutes = int(shifted.group(2)) * 60 + int(shifted.group(3) or 0)
        return minutes if shifted.group(1) == "+" else -minutes
    name = zone.lower()
    if name in _FIXED_ZONES:
        return _FIXED_ZONES[name]
    if name in _REGION_ZONES:
        from zoneinfo import ZoneInfo

        return int(ZoneInfo(_REGION_ZONES[name]).utcoffset(moment).total_seconds() // 60)
    return None
