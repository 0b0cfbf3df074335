"""Find date expressions in English text and resolve them against an anchor.

Reads: plain text (one sentence or a paragraph). Writes: `DateMention` records
with character offsets into that text. Never raises on odd input (empty text,
nonsense, impossible dates such as "Feb. 31": those are simply not mentions).
Deterministic: no clock is read; a year that the text does not state stays
unknown until `assign_years` or `resolve_month_day` gives it one from an anchor.

What is found (kinds):
- absolute: a date with its year ("Nov. 17, 2021", "7 / 28 / 2004",
  "2012-04-04", "10 Nov 11"), a month with its year ("March 2014", "April of
  2014", "February, 2003") or a
  bare year ("2014"; a caller with a parse should confirm bare years);
- partial: a day and month without a year ("Dec. 30", "9 June"), or a month
  alone after a preposition ("in December");
- holiday: a fixed-date named day ("Christmas Eve", "New Year's Day");
- weekday: "Sunday", "late on Sunday", "last Thursday" (modifier kept);
- relative: "today", "yesterday", "last week", "three days ago", "a day later";
- duration: "for eight years" (amount and unit; the caller decides what it is
  anchored on).

Expressions are located with patterns (dateparser's `search_dates` finds "may",
"we" and "Sun" inside ordinary words); the matched text of an absolute date is
parsed with `dateparser.parse`. Assigning years to partial dates, holidays,
weekdays and durations is not something dateparser does: that is this module's.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Sequence

import dateparser

DAY = "day"
MONTH = "month"
YEAR = "year"

ABSOLUTE = "absolute"
PARTIAL = "partial"
HOLIDAY = "holiday"
WEEKDAY = "weekday"
RELATIVE = "relative"
DURATION = "duration"


@dataclass(frozen=True, slots=True)
class DateMention:
    """One date expression found in a text.

    start, end: character offsets of the expression in the text searched.
    value: ISO date `YYYY-MM-DD`, `YYYY-MM` or `YYYY` once the year is known,
      `--MM-DD` / `--MM` (ISO 8601 without year) for a partial date or holiday,
      "" for weekdays, relative expressions and durations until resolved.
    granularity: day, month or year.
    kind: absolute, partial, holiday, weekday, relative or duration.
    weekday: 0 (Monday) .. 6 (Sunday) for a weekday mention.
    modifier: the word that shifts it: last, next, this, past, coming, ago,
      later, earlier, today, yesterday, tomorrow ("" when bare).
    amount, unit: for durations and offsets ("three days ago": 3, "day").
    until: the last day of a day range in one month ("January 9-10": 10).
    """

    start: int
    end: int
    text: str
    value: str
    granularity: str
    kind: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    modifier: str = ""
    amount: int | None = None
    unit: str = ""
    until: int | None = None

    def date(self) -> dt.date | None:
        """The first day the mention denotes, when its year is known."""
        if self.year is None:
            return None
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date | None:
        """The last day the mention denotes, when its year is known."""
        if self.year is None:
            return None
        if self.granularity == YEAR:
            return dt.date(self.year, 12, 31)
        if self.granularity == MONTH:
            following = dt.date(self.year + (self.month == 12), self.month % 12 + 1, 1)
            return following - dt.timedelta(days=1)
        return self.date()


_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH_WORDS = [
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
]
# Month names must be capitalised ("may" and "march" are ordinary words).
# An abbreviation takes a period ("Dec."); after a full name a period ends the
# sentence unless a day follows ("May. 3, 2013" is seen on real date lines).
_MONTH = "(?:" + "|".join(
    rf"{w}\.?" if len(w) <= 4 and w.lower() not in {"may", "june", "july"} else rf"{w}(?:\.(?=\s*\d))?"
    for w in sorted({w for m in _MONTH_WORDS for w in (m, m.upper())}, key=len, reverse=True)
) + ")"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[6-9]\d\d|20\d\d)"
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")  # weekday() order
_WEEKDAY = "(?:" + "|".join(w for d in WEEKDAY_NAMES for w in (d, d.upper())) + ")"
_WEEKDAY_PREFIX = "(?P<named>" + "|".join(w for d in WEEKDAY_NAMES for w in (d, d.upper(), d[:3], d[:3].upper())) + r")\.?,?\s+"

_DAY_PATTERNS = [
    # 10 Nov 11 (a military / Indian style date line: day, month, two-digit year), nothing after it but
    # punctuation: "on 5 May 12 people died" is a day and a count.
    re.compile(rf"(?<![\w-])(?P<day>{_DAY})\s+(?P<month>{_MONTH})\s+(?P<short_year>\d\d)(?![\w%/-]|[.,:]\d|\s*\w)"),
    # Nov. 17, 2021 / December 30th 2021 / Jan. 9-10 / Dec 30
    re.compile(rf"(?<![\w-])(?:{_WEEKDAY_PREFIX})?(?P<month>{_MONTH})(?:\s+|(?<=\.))(?P<day>{_DAY})(?:\s*[-–]\s*(?P<until>{_DAY}))?(?!\d)(?:,?\s+(?:of\s+)?(?P<year>{_YEAR}))?(?![\w:])"),
    # 17 November 2021 / 9 June / 18th of September 2013
    re.compile(rf"(?<![\w-])(?:{_WEEKDAY_PREFIX})?(?P<day>{_DAY})(?:\s*[-–]\s*(?P<until>{_DAY}))?\s+(?:of\s+)?(?P<month>{_MONTH})(?:,?\s+(?P<year>{_YEAR}))?(?![\w])"),
    # 7 / 28 / 2004, 08.07.2012, 2012-04-04
    re.compile(rf"(?<![\w./-])(?P<numeric>\d{{1,2}}\s?/\s?\d{{1,2}}\s?/\s?{_YEAR}|\d{{1,2}}\.\d{{1,2}}\.{_YEAR}|{_YEAR}-\d{{2}}-\d{{2}})(?![\w/-])"),
]
# March 2014 / April of 2014 / February, 2003
_MONTH_YEAR = re.compile(rf"(?<![\w-])(?P<month>{_MONTH}),?\s+(?:of\s+)?(?P<year>{_YEAR})(?![\w-])")
_MONTH_ALONE = re.compile(
    rf"(?i:\b(?:in|since|until|till|by|from|through|last|this|next|early|late|mid|of|during|before|after)\b[\s-]+)(?P<month>{_MONTH})(?![\w-])"
)
# A four-digit clock time ("at 2045 GMT", "0300 local time") is no year.
_CLOCK_AFTER = r"\s*(?:GMT|UTC|BST|CET|EST|EDT|PST|PDT|hours|hrs|h\b|local\s+time)"
_YEAR_ALONE = re.compile(rf"(?<![\w$€£.,/-])(?P<year>{_YEAR})(?!\s?%|[\w/-]|[.,]\d|{_CLOCK_AFTER})")

# Fixed-date named days: general calendar knowledge, month and day.
HOLIDAYS: dict[str, tuple[int, int]] = {
    "new year's eve": (12, 31),
    "new year's day": (1, 1),
    "new year's": (1, 1),
    "new year": (1, 1),
    "christmas eve": (12, 24),
    "christmas day": (12, 25),
    "christmas": (12, 25),
    "boxing day": (12, 26),
    "valentine's day": (2, 14),
    "st. patrick's day": (3, 17),
    "saint patrick's day": (3, 17),
    "april fools' day": (4, 1),
    "may day": (5, 1),
    "fourth of july": (7, 4),
    "halloween": (10, 31),
    "all saints' day": (11, 1),
    "armistice day": (11, 11),
    "veterans day": (11, 11),
}
_HOLIDAY = re.compile(
    r"(?<![\w])(?P<name>" + "|".join(
        re.escape(name).replace("'", "['’]?") for name in sorted(HOLIDAYS, key=len, reverse=True)
    ) + rf")(?:\s+(?P<year>{_YEAR}))?(?![\w])",
    re.IGNORECASE,
)
_WEEKDAY_MENTION = re.compile(
    rf"(?<![\w])(?:(?P<modifier>last|next|this|past|coming|on|late|early|by|until|since)\s+)?(?P<weekday>{_WEEKDAY})(?:['’]s)?(?![\w])",
    re.IGNORECASE,
)
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
}
_AMOUNT = r"(?P<amount>\d{1,3}|" + "|".join(NUMBER_WORDS) + ")"
_UNIT = r"(?P<unit>day|week|month|year|decade)s?"
_OFFSET = re.compile(rf"(?<![\w])(?i:{_AMOUNT}\s+{_UNIT}\s+(?P<modifier>ago|later|earlier|before|after))(?![\w])")
_DURATION = re.compile(rf"(?<![\w])(?i:(?:for|over|in)\s+(?:the\s+(?:past|last)\s+)?{_AMOUNT}\s+{_UNIT})(?![\w])")
_RELATIVE = re.compile(
    r"(?<![\w])(?i:(?P<modifier>today|yesterday|tomorrow|tonight)"
    r"|(?P<shift>last|next|this|past|coming)\s+(?P<unit>week|weekend|month|year))(?![\w])"
)

_PARSE_SETTINGS = {
    # A fixed base keeps parsing deterministic; only stated parts are used.
    "RELATIVE_BASE": dt.datetime(2000, 1, 1),
    "PREFER_DATES_FROM": "past",
    "REQUIRE_PARTS": ["day", "month", "year"],
}


def month_number(word: str) -> int:
    """The number (1-12) of a month name or abbreviation ("Dec.", "December", "SEPT")."""
    return _MONTHS[word.rstrip(".")[:3].lower()]


def _day_number(word: str) -> int:
    return int(re.sub(r"\D", "", word))


def _valid(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _day_mention(match: re.Match) -> DateMention | None:
    groups = match.groupdict()
    text = match.group(0)
    if groups.get("numeric"):
        order = "DMY" if "." in groups["numeric"] else "MDY"
        parsed = dateparser.parse(
            re.sub(r"\s", "", groups["numeric"]), languages=["en"],
            settings={**_PARSE_SETTINGS, "DATE_ORDER": order},
        )
        if parsed is None:
            return None
        return DateMention(match.start(), match.end(), text, parsed.date().isoformat(), DAY, ABSOLUTE,
                           parsed.year, parsed.month, parsed.day)
    month, day = month_number(groups["month"]), _day_number(groups["day"])
    weekday = _weekday_number(groups["named"]) if groups.get("named") else None
    until = _day_number(groups["until"]) if groups.get("until") else None
    if until is not None and until <= day:
        until = None
    if groups.get("short_year"):
        short = int(groups["short_year"])
        year = 2000 + short if short < 50 else 1900 + short  # 50: "10 Nov 11" is 2011, "4 Jul 76" 1976
        if not _valid(year, month, day):
            return None
        return DateMention(match.start(), match.end(), text, dt.date(year, month, day).isoformat(), DAY,
                           ABSOLUTE, year, month, day, weekday)
    if groups.get("year"):
        parsed = dateparser.parse(text, languages=["en"], settings=_PARSE_SETTINGS)
        year = int(groups["year"])
        if parsed is not None and (parsed.year, parsed.month) == (year, month):
            day = parsed.day
        if not _valid(year, month, day):
            return None
        return DateMention(match.start(), match.end(), text, dt.date(year, month, day).isoformat(), DAY,
                           ABSOLUTE, year, month, day, weekday, until=until)
    if not _valid(2000, month, day):  # 2000 is a leap year: Feb. 29 stays valid
        return None
    return DateMention(match.start(), match.end(), text, f"--{month:02d}-{day:02d}", DAY, PARTIAL,
                       None, month, day, weekday, until=until)


def _weekday_number(word: str) -> int:
    return [d[:3].lower() for d in WEEKDAY_NAMES].index(word[:3].lower())


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    """Whether `span` overlaps one of `taken`, sorted and pairwise disjoint."""
    at = bisect.bisect_left(taken, span)
    before = taken[at - 1] if at > 0 else None
    after = taken[at] if at < len(taken) else None
    return bool((before and before[1] > span[0]) or (after and after[0] < span[1]))


def _amount(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS[word.lower()]


def find_dates(text: str) -> list[DateMention]:
    """Return the date expressions of `text`, ordered by position, never overlapping."""
    if not isinstance(text, str) or not text:
        return []
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def keep(mention: DateMention | None) -> None:
        if mention is not None and not _overlaps((mention.start, mention.end), taken):
            found.append(mention)
            bisect.insort(taken, (mention.start, mention.end))

    for pattern in _DAY_PATTERNS:
        for match in pattern.finditer(text):
            keep(_day_mention(match))
    for match in _MONTH_YEAR.finditer(text):
        month, year = month_number(match["month"]), int(match["year"])
        keep(DateMention(match.start(), match.end(), match.group(0), f"{year}-{month:02d}", MONTH, ABSOLUTE,
                         year, month))
    for match in _HOLIDAY.finditer(text):
        month, day = HOLIDAYS[holiday_key(match["name"])]
        year = int(match["year"]) if match["year"] else None
        value = dt.date(year, month, day).isoformat() if year else f"--{month:02d}-{day:02d}"
        keep(DateMention(match.start(), match.end(), match.group(0), value, DAY, HOLIDAY, year, month, day))
    for match in _MONTH_ALONE.finditer(text):
        month = month_number(match["month"])
        keep(DateMention(match.start("month"), match.end(), match["month"], f"--{month:02d}", MONTH, PARTIAL,
                         None, month))
    for match in _YEAR_ALONE.finditer(text):
        year = int(match["year"])
        keep(DateMention(match.start(), match.end(), match.group(0), str(year), YEAR, ABSOLUTE, year))
    for match in _WEEKDAY_MENTION.finditer(text):
        modifier = (match["modifier"] or "").lower()
        if modifier not in {"last", "next", "this", "past", "coming"}:
            modifier = ""
        start = match.start() if modifier else match.start("weekday")
        weekday = [d.lower() for d in WEEKDAY_NAMES].index(match["weekday"].lower())
        keep(DateMention(start, match.end(), text[start:match.end()], "", DAY, WEEKDAY, weekday=weekday,
                         modifier=modifier))
    for match in _OFFSET.finditer(text):
        keep(DateMention(match.start(), match.end(), match.group(0), "", DAY, RELATIVE,
                         modifier=match["modifier"].lower(), amount=_amount(match["amount"]),
                         unit=match["unit"].lower()))
    for match in _DURATION.finditer(text):
        keep(DateMention(match.start(), match.end(), match.group(0), "", YEAR, DURATION,
                         amount=_amount(match["amount"]), unit=match["unit"].lower()))
    for match in _RELATIVE.finditer(text):
        if match["modifier"]:
            keep(DateMention(match.start(), match.end(), match.group(0), "", DAY, RELATIVE,
                             modifier=match["modifier"].lower(), unit="day"))
        else:
            unit = match["unit"].lower()
            keep(DateMention(match.start(), match.end(), match.group(0), "", MONTH if unit == "month" else
                             (YEAR if unit == "year" else DAY), RELATIVE, modifier=match["shift"].lower(),
                             amount=1, unit=unit))
    return sorted(found, key=lambda m: m.start)


def holiday_key(name: str) -> str:
    """The `HOLIDAYS` key of a matched name, whatever its apostrophe and case."""
    key = re.sub(r"['’]", "", name.lower())
    return next(h for h in HOLIDAYS if h.replace("'", "") == key)


# Holiday names that are also ordinary nouns, and the words that make them a date.
_BARE_HOLIDAYS = {"christmas", "new year"}
_HOLIDAY_LEAD = re.compile(r"\b(?:on|at|by|before|after|since|until|over|for|of)\s+$", re.IGNORECASE)


def names_a_thing(mention: DateMention, text: str) -> bool:
    """Whether a holiday mention of `text` is an ordinary noun here, not a date.

    "a Christmas party", "a Christmas tree", "the new year" name things;
    "on Christmas", "since Christmas", "Christmas Day" and "Christmas 2008"
    name days. Other mentions are dates.
    """
    if mention.kind != HOLIDAY or mention.year is not None:
        return False
    if " ".join(mention.text.lower().split()) not in _BARE_HOLIDAYS:
        return False
    return not _HOLIDAY_LEAD.search(text[:mention.start])


def with_year(mention: DateMention, year: int) -> DateMention:
    """Return a partial date or holiday completed with `year` (unchanged if it has one)."""
    if mention.year is not None or mention.month is None:
        return mention
    if mention.granularity == MONTH:
        return replace(mention, year=year, value=f"{year}-{mention.month:02d}")
    day = mention.day or 1
    if not _valid(year, mention.month, day):  # Feb. 29 in a common year
        day = 28
    return replace(mention, year=year, day=day, value=dt.date(year, mention.month, day).isoformat())


def _run_start(mentions: Sequence[DateMention]) -> int:
    """The day of the year where month-day mentions start as one run shorter than a year.

    The run starts after the largest gap between consecutive days of the
    calendar year: dated events of one article lie close together, so "Dec. 30"
    and "Jan. 2" are three days apart, not eleven months.
    """
    ordinals = sorted({_day_of_year(m) for m in mentions})
    gaps = [(ordinals[(i + 1) % len(ordinals)] - ordinals[i]) % 365 or 365 for i in range(len(ordinals))]
    widest = max(range(len(gaps)), key=lambda i: (gaps[i], -i))
    return ordinals[(widest + 1) % len(ordinals)]


def _day_of_year(mention: DateMention) -> int:
    day = mention.day or 1
    if mention.month == 2:
        day = min(day, 28)
    return dt.date(2001, mention.month, day).timetuple().tm_yday


def assign_years(
    mentions: Sequence[DateMention],
    not_before: dt.date | None = None,
    near: dt.date | None = None,
    past: Sequence[bool] | None = None,
) -> list[DateMention]:
    """Give every month-day mention (partial date, holiday) a year; others pass through.

    The month-day mentions are taken as one run shorter than a year (ordered
    from the largest calendar gap, see `_run_start`). The run is placed in the
    year where the latest mention flagged in `past` (all, when None) falls
    nearest `near` (a full date the text reports; ties go to the earlier,
    past reading), or else in the earliest year where it falls on or after
    `not_before` (a year or month the text reports comes before what it
    reports last). A weekday stated with a date ("Thursday, May 2") must
    agree when some nearby year makes it agree. With neither anchor the
    mentions are returned unchanged.
    """
    flags = list(past) if past is not None else [True] * len(mentions)
    open_positions = [i for i, m in enumerate(mentions) if m.year is None and m.month is not None]
    if not open_positions or (not_before is None and near is None):
        return list(mentions)
    run_start = _run_start([mentions[i] for i in open_positions])
    counted = [i for i in open_positions if flags[i]] or open_positions

    def place(first_year: int) -> dict[int, DateMention]:
        return {i: with_year(mentions[i], first_year + (_day_of_year(mentions[i]) < run_start))
                for i in open_positions}

    def disagreements(placed: dict[int, DateMention]) -> int:
        return sum(m.weekday is not None and m.date().weekday() != m.weekday for m in placed.values())

    if near is not None:
        # 11: every month-day falls on each weekday within 11 years.
        readings = [place(year) for year in range(near.year - 11, near.year + 2)]
        best = min(readings, key=lambda placed: (
            disagreements(placed),
            abs((max(placed[i].date() for i in counted) - near).days),
            max(placed[i].date() for i in counted),
        ))
    else:
        readings = [place(year) for year in range(not_before.year - 1, not_before.year + 12)]
        late_enough = [p for p in readings if max(p[i].last_day() for i in counted) >= not_before]
        best = next((p for p in late_enough if not disagreements(p)), late_enough[0])
    return [best.get(i, m) for i, m in enumerate(mentions)]


def resolve_month_day(mention: DateMention, anchor: dt.date, prefer_past: bool = True) -> DateMention:
    """Give a month-day mention the year that puts it nearest `anchor` (on or before it when prefer_past)."""
    if mention.year is not None or mention.month is None:
        return mention
    readings = [with_year(mention, anchor.year + shift) for shift in (-1, 0, 1)]
    if prefer_past:
        earlier = [r for r in readings if r.date() <= anchor]
        if earlier:
            return max(earlier, key=lambda r: r.date())
    return min(readings, key=lambda r: abs((r.date() - anchor).days))


def resolve_weekday(weekday: int, anchor: dt.date, direction: str = "past", strict: bool = False) -> dt.date:
    """Return the date of `weekday` nearest `anchor` in `direction` ("past" or "future").

    strict: the anchor day itself does not count ("last Sunday" said on a Sunday).
    """
    if direction == "future":
        shift = (weekday - anchor.weekday()) % 7
        if strict and shift == 0:
            shift = 7
        return anchor + dt.timedelta(days=shift)
    shift = (anchor.weekday() - weekday) % 7
    if strict and shift == 0:
        shift = 7
    return anchor - dt.timedelta(days=shift)
