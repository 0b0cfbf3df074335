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
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
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
