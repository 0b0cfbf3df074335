"""The date a news URL holds: `/2013/05/03/`, `/2009/dec/07/`, `2010-05-05-greece`, `/20070503/`.

Reads: one URL (the article's own: a JSON or feed `url` field, the page URL,
the URL line that opens a scraped text). Writes: a `UrlDate` (a full date, or
only a year and month) with the part of the URL that states it, or None.
Never raises; deterministic.

Only the path and query are read (a host names no date), and only patterns
whose order is not in doubt: the year comes first, then the month (a number or
its name), then the day. So `08.07.2012` (day.month.year in Europe,
month.day.year in the US), `7-13-09` and `072904` date nothing, and neither
does a number that merely looks like a date inside a longer one
(`/1200566939/`, `UPI-34381091035466`, `idUSBRE9710UQ20130802`). A year alone
(`/2013/film/`) is no date either: sites file by year sections and seasons
(`2012-13`). A blog's archive page (`2005_05_01_archive.html`) is dated by the
month it collects, not by the day it names.

In order of trust, the first that matches wins:
1. slashed segments `/YYYY/MM/DD/` (month as digits or name, day followed by
   `/`, `.`, `?` or the end: `/2010/09/10-things` is a month and a slug);
2. one segment `YYYY-MM-DD` or `YYYY_MM_DD` (two-digit month and day);
3. eight digits `YYYYMMDD` standing alone (not inside a longer run of
   letters or digits), years 1990-2039;
4. a year and month `/YYYY/MM/` without a day: only a month (`UrlDate.day` None).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

# The web's news archives start in the 1990s; htmldate's URL extractor takes
# the same years (1990-2039).
_YEAR = r"(?P<year>199\d|20[0-3]\d)"
_MONTH_NAMES = {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
_MONTH_NAMES |= {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTH_NAMES["sept"] = 9
_NAMED_MONTH = "|".join(sorted(_MONTH_NAMES, key=len, reverse=True))
_DAY_1_2 = r"(?P<day>0?[1-9]|[12]\d|3[01])"
_MONTH_1_2 = rf"(?P<month>0?[1-9]|1[0-2]|{_NAMED_MONTH})"
_SLASHED = re.compile(rf"/{_YEAR}/{_MONTH_1_2}/{_DAY_1_2}(?=[/.?#]|$)", re.IGNORECASE)
_JOINED = re.compile(rf"(?<![0-9A-Za-z]){_YEAR}(?P<sep>[-_])(?P<month>0[1-9]|1[0-2])(?P=sep)"
                     r"(?P<day>0[1-9]|[12]\d|3[01])(?![0-9])")
_COMPACT = re.compile(rf"(?<![0-9A-Za-z]){_YEAR}(?P<month>0[1-9]|1[0-2])(?P<day>0[1-9]|[12]\d|3[01])(?![0-9A-Za-z])")
_YEAR_MONTH = re.compile(rf"/{_YEAR}/{_MONTH_1_2}(?=/)", re.IGNORECASE)
_ARCHIVE = re.compile(r"archive", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class UrlDate:
    """A date stated by a URL: a full date, or a year and month (`day` None), and the text that states it."""

    year: int
    month: int
    day: int | None
    text: str

    def first_day(self) -> dt.date:
        """The date, or the first day of the month when only the month is known."""
        return dt.date(self.year, self.month, self.day or 1)

    def last_day(self) -> dt.date:
        """The date, or the last day of the month when only the month is known."""
        return dt.date(self.year, self.month, self.day or calendar.monthrange(self.year, self.month)[1])


def date_in_url(url: str | None) -> UrlDate | None:
    """The date `url`'s path or query states (see the module docstring), or None."""
    if not isinstance(url, str) or not url.strip():
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # "http://[::1" and the like: no URL, no date
        return None
    if not parts.netloc and not parts.scheme and url.strip().lower().startswith("www."):
        parts = urlsplit("http://" + url.strip())
    path = parts.path + ("?" + parts.query if parts.query else "")
    for pattern in (_SLASHED, _JOINED, _COMPACT):
        for match in pattern.finditer(path):
            found = _full_date(match, path)
            if found is not None:
                return found
    for match in _YEAR_MONTH.finditer(path):
        return UrlDate(int(match["year"]), _month(match["month"]), None, match.group(0) + "/")
    return None


def _full_date(match: re.Match, path: str) -> UrlDate | None:
    """The date a match states when it is a real day (an archive page's date is only its month)."""
    year, month, day = int(match["year"]), _month(match["month"]), int(match["day"])
    try:
        dt.date(year, month, day)
    except ValueError:  # 2013/02/30
        return None
    text = match.group(0)
    if text.startswith("/"):
        text += "/" if path[match.end():match.end() + 1] == "/" else ""
    segment_end = path.find("/", match.end())
    segment = path[path.rfind("/", 0, match.end()) + 1:segment_end if segment_end >= 0 else len(path)]
    if _ARCHIVE.search(segment):
        return UrlDate(year, month, None, text)
    return UrlDate(year, month, day, text)


def _month(text: str) -> int:
    """The month number of digits or a month name."""
    return int(text) if text.isdigit() else _MONTH_NAMES[text.lower()]
