"""Strict support: whether a sentence states the same facts as a statement.

A brief's statement is text taken from one source sentence; every other
sentence it cites must state the same facts in its own words. Sharing
content words is necessary but not enough: "55 km west of Bireun" shares
every word but one with "55 km south of Bireun". A sentence supports a
statement only when it states

- every figure of the statement with a value that can be the same (after
  unit conversion, 10 km = 6.2 miles; within a stated approximation, "more
  than 200" allows 249) about the same subject (dead is not injured, houses
  are not people);
- every direction relative to a place the same way ("south of X");
- every clock time the same once the zones are known (a local time and a GMT
  time cannot be checked without the place's offset: not confirmed);
- every telephone number with the same digits ("0800 555111" is "0800 555
  111"; "0845 125 222" contradicts "0845 125 2222": one line written otherwise);
- every year it names ("voters in 2009" is not stated by "voters in 2010");
- the statement with the same polarity (a negation on one side only, or a
  word both state negated on one side only: "require" / "don't require");
- a word said with the same hedge ("destroyed" is not "nearly destroyed");
- every colour it gives something ("gray Camry" is not "silver Camry");
- for quoted words, the same words (another wording is a variant of the
  quote, not support for this text); a word or two in quotes in any form
  ("reaffirms" / "reaffirmed"), never other words ("a clarification" /
  "narrow").

A bare "one" is a count when it counts people or an outcome ("one person was
arrested").

A sentence that states the same kind of fact with another value
*contradicts* the statement: it is a side of a conflict or an update, never
a support. Used by compare (a claim group holds only claims that support its
core, and contradictions become conflicts), brief (a statement cites only
sentences that support it) and verify (each citation is checked by this
rule). Regular expressions and pint only: no parser, deterministic.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

# Qualifier words before a figure and what they allow (see `number_interval`).
QUALIFIERS = (
    ("more than", "more than"), ("over", "more than"), ("upwards of", "more than"),
    ("at least", "at least"), ("as many as", "at most"), ("as few as", "at least"), ("less than", "less than"), ("fewer than", "less than"),
    ("under", "less than"), ("up to", "at most"), ("at most", "at most"),
    ("in excess of", "more than"), ("about", "about"), ("around", "about"), ("roughly", "about"), ("approximately", "about"),
    ("some", "about"), ("an estimated", "about"), ("estimated", "about"), ("close to", "nearly"),
    ("nearly", "nearly"), ("almost", "nearly"), ("just under", "nearly"),
)
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}
SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
          "m": 1e6, "mn": 1e6, "bn": 1e9}
# Words that say what a count of people is of: an outcome, the same for every kind of story.
OUTCOMES = {
    "dead": ("killed", "dead", "died", "die", "dies", "death", "deaths", "fatalities", "fatality", "perished",
             "bodies", "lives", "toll"),
    "injured": ("injured", "wounded", "hurt", "injuries", "injuring", "hospitalised", "hospitalized"),
    "missing": ("missing",),
    "arrested": ("arrested", "arrests", "detained", "held"),
}
OUTCOME_OF = {word: outcome for outcome, words in OUTCOMES.items() for word in words}
# Nouns that count people: outlets say "people", "residents" or "villagers" for one count.
PEOPLE = frozenset("""people persons person men women children kids civilians residents villagers victims
soldiers troops officers policemen police firefighters workers students passengers tourists pilgrims miners
fans protesters demonstrators prisoners inmates casualties individuals citizens survivors refugees
staff employees members adults teenagers others personnel observers monitors experts delegates voters
journalists reporters doctors nurses patients guards agents""".split())
# One of the people `PEOPLE` counts ("one man", "one officer").
PERSON_NOUNS = frozenset({"man", "woman", "child", "person", "boy", "girl", "teenager", "teen"}
                         | {word[:-1] for word in PEOPLE if word.endswith("s")})
UNIT_WORDS = {
    "km": "kilometer", "kms": "kilometer", "kilometres": "kilometer", "kilometers": "kilometer",
    "kilometre": "kilometer", "kilometer": "kilometer", "mile": "mile", "miles": "mile", "mi": "mile",
    "metres": "meter", "meters": "meter", "metre": "meter", "meter": "meter", "m": "meter",
    "feet": "foot", "ft": "foot", "foot": "foot", "kg": "kilogram", "kilograms": "kilogram",
    "tons": "metric_ton", "tonnes": "metric_ton", "pounds": "pound", "lbs": "pound",
    "hours": "hour", "hour": "hour", "minutes": "minute", "minute": "minute", "days": "day", "day": "day",
    "weeks": "week", "week": "week", "months": "month", "month": "month", "years": "year", "year": "year",
}
WEEKDAY = re.compile(r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b")
# Day and month names date a figure or a time; they do not say what it is of.
CALENDAR_WORDS = frozenset("""january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday jan feb mar apr jun jul aug sep sept oct nov dec mon tue
wed thu fri sat sun""".split())
# A month as written: its name or its abbreviation, not any word that starts like one ("married",
# "decades", "novel").
MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
         r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
NEGATIONS = frozenset({"not", "no", "never", "cannot", "none", "nobody", "no-one", "noone", "nothing", "neither", "nor",
                       "n't"})
# "No one", "no-one" and "noone" are "nobody": one word, the subject a statement denies ("No one was injured").
NO_ONE = re.compile(r"\b(n)o[- ]?one\b", re.IGNORECASE)

DIRECTION = re.compile(
    r"\b(north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern|erly|ward)?\s+of\s+"
    r"(?:the\s+)?([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*|(?<=the )[a-z]{3,})")
CLOCK = re.compile(
    r"(?<![\w:.])(?:(\d{1,2})[:.](\d{2})\s*([ap]\.?\s?m\.?)?|(\d{1,2})\s*([ap]\.?\s?m\.?)|([01]\d|2[0-3])([0-5]\d)(?=\s*(?:GMT|UTC|hrs|hours|h\b)))"
    r"(?:\s*\(?\s*(GMT|UTC|Z\b|local(?:\s+time)?|[ECMP][SD]?T\b|BST|CET|CEST|IST|JST|WIB)\)?)?",
    re.IGNORECASE)
# The kind of a conflict between two writings of one telephone number.
PHONE_KIND = "contact"
TIME_SLACK = 10  # minutes: reports round a time ("about 8.45pm" for 20:49)
ZONE_OFFSETS = {"gmt": 0, "utc": 0, "z": 0, "est": -300, "edt": -240, "cst": -360, "cdt": -300,
                "mst": -420, "mdt": -360, "pst": -480, "pdt": -420, "bst": 60, "cet": 60, "cest": 120,
                "ist": 330, "jst": 540, "wib": 420}
NUMBER = re.compile(
    r"(?<![\w.,:/])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?(?:[\s-][1-9]/[2-9])?)(?![\w:/])(?:-|\s+)?"
    r"(hundred|thousand|million|billion|trillion|bn|mn|m)?\b"
    r"|\b(" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")(?:[\s-](one|two|three|four|five|six|seven|"
    r"eight|nine))?\b(?:\s+(hundred|thousand|million|billion))?",
    re.IGNORECASE)
# A mixed number's fraction ("2 1/2 years", "2-1/2 year").
FRACTIONS = {f"{n}/{d}": n / d for d in range(2, 10) for n in range(1, d)}
SCORE = re.compile(r"(?<![\d/.-])(\d{1,3})\s*[-–]\s*(\d{1,3})(?![\d/-]|\.\d)")
WORD = re.compile(r"[A-Za-z][\w'’-]*|\d[\d,.]*")
QUOTED = re.compile(r"[“\"]([^“”\"]{3,}?)[”\"]")
QUOTE_FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"',
                            "\u00ab": '"', "\u00bb": '"', "\u2013": "-", "\u2014": "-", "\u00a0": " "})


@dataclass(frozen=True, slots=True)
class Figure:
    """A count or a measure a text states.

    value: in base units for a measure; unit: its base unit, "percent", or ""
    for a count; noun: the counted noun ("people", "house"), "" when none;
    outcome: what happened to the counted people (dead, injured, missing,
    arrested), "" when the text does not say near the figure.
    """

    text: str
    value: float
    unit: str = ""
    qualifier: str = ""
    noun: str = ""
    outcome: str = ""
    # Every word that may name what is counted ("magnitude", "earthquake"), and the content words
    # around the figure (who or what it is said of), for telling one subject from another.
    nouns: frozenset[str] = frozenset()
    context: frozenset[str] = frozenset()
    # The rounding an exact figure allows, as a share of its value: 5% for a
    # round or converted figure ("100,000", "6.2 miles"), half the last stated
    # decimal for a precise one ("5.9" is 5.85..5.95), none for a plain count.
    rounding: float = 0.05
    currency: str = ""  # "USD", "EUR", "GBP", ... when the figure is an amount of money in a named currency
    part: bool = False  # one count of a sum ("two women and one man"): the whole is stated otherwise
    head: str = ""  # the counted noun right after the figure ("site" of "6,000 Web sites"), or the one before it
    written_unit: str = ""  # a measure's unit as the text writes it ("years" of "2 1/2 years"; `unit` is "second")
    # The span its text tallies over, when it names one (`TALLY`: "this season", "total", "career"), else "":
    # a tally is another fact than a figure of one occasion.
    scope: frozenset[str] = frozenset()
    # A toll named as such ("the death toll rose to 24", "the number of dead reached 24"): the story's running
    # total of its outcome, the same fact as any count of that outcome that is no part of a sum.
    total: bool = False
    # The old value of a change the text tells ("upgraded their initial offer ... $160 million ... to $180
    # million", "raising the toll from three to five"): what the figure was, not what the text says it is.
    prior: bool = False


@dataclass(frozen=True, slots=True)
class Direction:
    """A place stated relative to another: `bearing` of `anchor` ("south" of "bireun")."""

    text: str
    bearing: str
    anchor: str


@dataclass(frozen=True, slots=True)
class ClockTime:
    """A clock time: minutes after midnight as stated, and its zone's offset in minutes (None: unknown)."""

    text: str
    minutes: int
    zone: str = ""
    offset: int | None = None
    context: frozenset[str] = frozenset()  # content words before the time (what happened then)
    # "by 4 p.m.", "as of 4 p.m.", "until 8 am" (a limit of a span), "Updated ... 11:00 AM EDT" (a date
    # line): not the moment of an event, never set against another time.
    bound: bool = False


@dataclass(frozen=True, slots=True)
class Facts:
    """The checkable facts of a text."""

    figures: tuple[Figure, ...]
    directions: tuple[Direction, ...]
    times: tuple[ClockTime, ...]
    negated: tuple[int, ...]  # word positions of the negations
    quotes: tuple[str, ...]
    scores: tuple[str, ...] = ()  # results such as "31-24", as written
    words: tuple[str, ...] = ()  # lower-case words, in order
    names: frozenset[str] = frozenset()  # keys of the proper names it mentions (`name_keys`)
    subject: frozenset[str] = frozenset()  # keys of the name it opens with, its subject ("The Red Sox have ...")
    years: frozenset[str] = frozenset()  # the years and decades it names ("2009", "1960s")
    hedges: tuple[tuple[str, str], ...] = ()  # (word, hedge) for a word said with a hedge ("destroyed", "nearly")
    colours: frozenset[str] = frozenset()  # the colours it gives something ("gray", "silver")
    quoted: tuple[str, ...] = ()  # quoted spans of one or two words, lower case ("a clarification")
    # the words of each quotation of three words or more that ends a sentence inside its marks ("... no community.")
    quote_endings: tuple[tuple[str, ...], ...] = ()
    stages: frozenset[str] = frozenset()  # the stages of a legal case it names ("arrested", "charged")
    ordinals: frozenset[int] = frozenset()  # the ordinals it states, from "second" on ("fifth", "10th")
    speakers: frozenset[str] = frozenset()  # keys of the names next to its verbs of saying ("Boll announced")
    loose_names: frozenset[str] = frozenset()  # what a speaker's name may be found as in it (`_loose_names`)
    colour_things: tuple[tuple[str, frozenset[str], str], ...] = ()  # colours with the words around them
    phones: tuple[tuple[str, str], ...] = ()  # telephone numbers: (digits, as written), "0845 125 2222"
    weekdays: frozenset[str] = frozenset()  # the days of the week it names, lower case ("friday")


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether a sentence supports a statement; when it states another value, it contradicts it.

    kind: what the contradiction is about (number, place, time), "" when none.
    reason: what is missing or differs, for a reader ("55 km south vs 55 km west of Bireun").
    """

    supports: bool
    contradicts: bool = False
    kind: str = ""
    reason: str = ""
    subject: str = ""  # for a number: what the figure counts or measures (dead, magnitude, meter)
    counted: bool = False  # for a number: a count or a share of something (seasons, games, percent), not a toll or a measure (`counted`)
    figures: tuple = ()  # for a number: the two figures stated otherwise (this text's, the other's)


def fold(text: str) -> str:
    """Text with quote and dash styles and spaces folded (case kept); a vulgar fraction after a digit
    set apart, so that "3½" reads 3 1/2 (NFKC alone makes it "31⁄2")."""
    text = unicodedata.normalize("NFKC", VULGAR_AFTER_DIGIT.sub(r"\1 \2", text)).replace("\u2044", "/")
    return re.sub(r"\s+", " ", text.translate(QUOTE_FOLD)).strip()


VULGAR_AFTER_DIGIT = re.compile(r"(\d)([\u00bc-\u00be\u2150-\u215e])")


def as_nobody(text: str) -> str:
    """The text with "no one" / "no-one" / "noone" written "nobody" (the case of its first letter kept): a word
    that counts among a statement's content words, which "no" and "one" apart do not."""
    return NO_ONE.sub(lambda m: m.group(1) + "obody", text)


@functools.lru_cache(maxsize=1)
def unit_registry():
    """The pint unit registry (built once: it takes about a second)."""
    import pint

    return pint.UnitRegistry()


@functools.lru_cache(maxsize=1024)
def to_base(value: float, unit: str) -> tuple[float, str] | None:
    """(value, unit) in pint base units, or None when pint does not know the unit."""
    try:
        quantity = unit_registry().Quantity(value, unit.replace(" ", "_")).to_base_units()
    except Exception:  # pint raises UndefinedUnitError and parse errors for units it does not know
        return None
    return float(quantity.magnitude), str(quantity.units)


def number_interval(figure) -> tuple[float, float]:
    """The values a figure with its qualifier allows ("about 100" allows 80..120); any object with
    `value` and `qualifier`."""
    value = float(figure.value)
    qualifier = figure.qualifier
    if qualifier == "about":
        # "About N" is N rounded where it stops: "roughly 22 million" is 21.5 to 22.5 million (a
        # little more for rounding's sake), not 23 million; a round figure allows more ("about
        # 100,000" is 80,000 to 120,000), never more than a fifth.
        spread = min(max(_last_place(value) / 2, value * 0.025), value * 0.2)
        return value - spread, value + spread
    if qualifier == "nearly":
        return value * 0.8, value
    if qualifier in ("more than", "at least"):
        return value, math.inf
    if qualifier in ("less than", "at most"):
        return 0.0, value
    # An exact figure in the news is often rounded (and converted units are): 5% unless the
    # figure says how precise it is (`Figure.rounding`).
    rounding = getattr(figure, "rounding", 0.05)
    return value * (1 - rounding), value * (1 + rounding)


def _last_place(value: float) -> float:
    """The place of a figure's last significant digit: 1e6 for 22 million, 0.1 for 5.9, 1e5 for 100,000."""
    for power in range(15, -6, -1):
        unit = 10.0 ** power
        if value >= unit and abs(value / unit - round(value / unit)) < 1e-9:
            return unit
    return 1.0


def intervals_meet(left, right) -> bool:
    """Whether two figures can both be true."""
    a, b = number_interval(left), number_interval(right)
    return a[0] <= b[1] and b[0] <= a[1]


LOWER_BOUNDS = ("more than", "at least")
UPPER_BOUNDS = ("less than", "at most")


def states_alike(figure: Figure, other: Figure) -> bool:
    """Whether another sentence's figure states this one: their values can both be true, and two
    bounds of one direction bound at the same value ("more than 26,000" does not state "more than
    31,000", though both can be true; "about 100,000" and "more than 100,000" state one figure)."""
    if not intervals_meet(figure, other):
        return False
    for bounds in (LOWER_BOUNDS, UPPER_BOUNDS):
        if figure.qualifier in bounds and other.qualifier in bounds:
            exact_figure, exact_other = replace(figure, qualifier=""), replace(other, qualifier="")
            return intervals_meet(exact_figure, exact_other)
    return True


def states_same(figure: Figure, other: Figure) -> bool:
    """Whether another sentence's figure states this one as a support must (`check`): `states_alike`, and
    the cited figure gives the statement's value, not one merely compatible with it.
    - A bound in the cited sentence states a bound of its direction or an approximate figure at its
      value ("more than 100,000" states "about 100,000"), never an exact one ("injured more than 200"
      does not state "249 injured", nor "in excess of $160 million" "$160 million").
    - An upper bound of the statement ("up to $180 million", "as many as 20,000", "nearly 100") is
      stated by a figure at it, not by one below it ("$160 million offers").
    - A lower bound of the statement is stated by any figure that meets it ("wounding 70" states "at
      least 50 injured": a toll counts what is known so far).
    Bounds of opposite directions at one value ("more than 100", "less than 100") state nothing alike."""
    if not states_alike(figure, other):
        return False
    mine, theirs = figure.qualifier in BOUNDS, other.qualifier in BOUNDS
    if mine and theirs:
        return (figure.qualifier in LOWER_BOUNDS) == (other.qualifier in LOWER_BOUNDS)
    if theirs:
        return figure.qualifier == "about" and intervals_meet(figure, replace(other, qualifier=""))
    if mine and figure.qualifier not in LOWER_BOUNDS:
        return intervals_meet(replace(figure, qualifier=""), other)
    return True


BOUNDS = LOWER_BOUNDS + UPPER_BOUNDS + ("nearly",)


@functools.lru_cache(maxsize=16384)
def facts_of(text: str) -> Facts:
    """The figures, directions, clock times, polarity and quotations of a text."""
    written = text
    text = fold(text)
    # A telephone number is no count: its digit groups ("0845 125 2222") are neither figures nor times.
    phones = [(match.span(), (digits, match.group(0).strip())) for match in PHONE.finditer(text)
              if (digits := _phone_digits(match.group(0)))]
    found = [(span, time) for span, time in _clock_times(text)
             if not any(start <= span[0] < end for (start, end), _ in phones)]
    times = tuple(time for _, time in found)
    # Only a clock time keeps its digits from the figures: "88.41 percent", "2.44 million people" and
    # "$1.29" look like "8.45" but are no time (no am / pm or zone; an hour or minute out of range).
    figures = _mark_prior(text, tuple(_figures(text, [span for span, _ in found] + [span for span, _ in phones])))
    directions = tuple(Direction(m.group(0), m.group(1).replace("-", "").lower(), _anchor(m.group(2)))
                       for m in DIRECTION.finditer(text))
    words = [w.lower() for w in WORD.findall(text.replace("n't", " n't"))]
    negated = tuple(i for i, w in enumerate(words) if w in NEGATIONS or w.endswith("n't"))
    quotes = tuple(squash(m.group(1)) for m in QUOTED.finditer(text) if len(m.group(1).split()) >= 3)
    scores = tuple(m.group(0) for m in SCORE.finditer(text))
    names, subject = _names(text)
    years = frozenset(m.group(1) + m.group(2) for m in YEAR.finditer(text))
    hedges = tuple((words[i + 1], word) for i, word in enumerate(words[:-1])
                   if word in HEDGES and words[i + 1].isalpha() and len(words[i + 1]) > 3
                   and words[i + 1] not in NUMBER_WORDS and words[i + 1] not in SCALES and words[i + 1] not in AMOUNTS)
    colours = frozenset(COLOURS[m.group(0)] for m in COLOUR.finditer(text))
    quoted = tuple(" ".join(QUOTE_WORD.findall(m.group(1).lower())) for m in ANY_QUOTED.finditer(text)
                   if QUOTE_WORD.search(m.group(1)) and len(m.group(1).split()) < 3)
    quote_endings = tuple(tuple(QUOTE_WORD.findall(m.group(1).lower())) for m in QUOTED.finditer(text)
                          if len(m.group(1).split()) >= 3 and re.search(r"[.!?]\s*$", m.group(1)))
    stages = frozenset(stage for stage, pattern in LEGAL_STAGES if pattern.search(text))
    ordinals = frozenset(ORDINAL_WORDS.get(m.group(0).lower()) or int(m.group(1)) for m in ORDINAL.finditer(text)
                         if _is_ordinal(text, m))
    return Facts(figures, directions, times, negated, quotes, scores, tuple(words), names, subject, years, hedges,
                 colours, quoted, quote_endings, stages, ordinals, _speakers(text), _loose_names(written),
                 tuple(_colours_of_things(written)), tuple(phone for _, phone in phones),
                 frozenset(m.group(0).lower() for m in WEEKDAY.finditer(written)))


# A telephone number as written: digit groups joined by spaces, dots or dashes, with a country code or an area
# code in brackets or not ("0845 125 2222", "0800 555111", "800-800-3855", "(907) 745-4811", "+44 20 7946 0000").
PHONE = re.compile(r"(?<![\w.,/$€£-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,5}\)\s?|\d{2,5}[ .-])\d{2,6}(?:[ .-]\d{2,6}){0,2}"
                   r"(?![\w/-]|[.,]\d)")


def _phone_digits(written: str) -> str:
    """The digits of a telephone number as written, "" when it is not one: 7 to 15 digits, written with a
    trunk prefix ("0845 ..."), a country code ("+44 ..."), an area code in brackets or as 3-3-4 digits
    ("800-800-3855"); not a date ("2008-12-12"), a range of years or a score."""
    digits = re.sub(r"\D", "", written)
    written = written.strip()
    if not 7 <= len(digits) <= 15:
        return ""
    if written.startswith(("0", "+", "(")) or re.fullmatch(r"\d{3}[ .-]\d{3}[ .-]\d{4}", written):
        return digits
    return ""


def one_number_miswritten(digits: str, other: str) -> bool:
    """Whether two telephone numbers are one number with one digit added, dropped or changed
    ("0845 125 222" / "0845 125 2222"): two numbers of a story that differ by so little are one line
    given otherwise, not two lines."""
    if digits == other or abs(len(digits) - len(other)) > 1:
        return False
    if len(digits) == len(other):
        return sum(a != b for a, b in zip(digits, other)) == 1
    short, long_ = sorted((digits, other), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def _speakers(text: str) -> frozenset[str]:
    """Keys of the names of a text's attribution: the run of capitalised words right before a verb of saying
    ("family spokesman Harlan Boll announced"), or right after one that follows a comma or a quote ("...,"
    said Sheriff Lee Baca"), "told" ("told People") or "according to" ("according to the Post"); not the
    subject of the clause said ("Authorities said Ortiz probably died")."""
    words = WORD.findall(text)
    spans = [m.span() for m in WORD.finditer(text)]

    def is_name(i: int) -> bool:
        word = words[i]
        return bool(CAPITAL.fullmatch(word)) and word.lower().strip(".") not in NAME_STOP | CALENDAR_WORDS

    found: set[str] = set()
    for i, word in enumerate(words):
        verb = word.lower()
        if verb not in SPEECH_WORDS:
            continue
        before, run = i - 1, []
        while before >= 0 and is_name(before):
            run.append(words[before])
            before -= 1
        if not (before < 0 and len(run) == 1):  # a capitalised first word alone ("Police said")
            found.update(k for k in map(_name_key, run) if k)
        after = i + 1
        if verb == "according" and after < len(words) and words[after].lower() == "to":
            after += 1
        elif verb != "told" and not INVERTED.search(text[max(spans[i][0] - 3, 0):spans[i][0]]):
            continue
        if after < len(words) and words[after].lower() == "the":
            after += 1
        while after < len(words) and is_name(after):
            found.add(_name_key(words[after]))
            after += 1
    found.discard("")
    return frozenset(found)


# A verb of saying after a comma or a closing quote comes before its speaker: '"...," said Sheriff Lee Baca'.
INVERTED = re.compile(r"[,\"”’']\s*$")


def _loose_names(text: str) -> frozenset[str]:
    """Keys of every capitalised word of a text (its first word too) and the initials of each run of them
    ("California Highway Patrol" -> "chp"): what a speaker's name may be found as."""
    keys: set[str] = set()
    run: list[str] = []
    for word in WORD.findall(text) + [""]:
        if word and CAPITAL.fullmatch(word) and word.lower() not in NAME_STOP:
            keys.add(_name_key(word))
            run.append(word)
            continue
        if len(run) >= 2:
            keys.add("".join(w[0] for w in run).lower())
        run = []
    keys.discard("")
    return frozenset(keys)


def _names_one(keys: frozenset[str], others: frozenset[str]) -> bool:
    """Whether one of `keys` names what one of `others` names: equal, or one the start of the other
    ("india" / "indian")."""
    return any(k == o or len(k) >= 4 and len(o) >= 4 and (k.startswith(o) or o.startswith(k))
               for k in keys for o in others)


# Verbs of saying ("states" is left out: "the United States").
SPEECH_WORDS = frozenset("""said says say told tells reported reports announced announces stated confirmed
confirms added adds according wrote writes tweeted""".split())


# The stages of a legal case, each a fact of its own: "Police arrested a man" does not state "A man has been
# charged", nor "was charged" that someone "is now the main suspect". A text names a stage by these words.
LEGAL_STAGES = tuple((stage, re.compile(pattern, re.IGNORECASE)) for stage, pattern in (
    # "suspect" alone names a person at any stage ("the suspect was charged"); these name the stage.
    ("suspected", r"\b(?:suspected of|(?:main|prime|chief|only) suspects?|persons? of interest)\b"),
    ("arrested", r"\b(?:arrest(?:ed|s|ing)?|detained|apprehended|in custody)\b"),
    ("charged", r"\b(?:charg(?:ed|es|ing)|indict(?:ed|ment|s)?|accused)\b"),
    ("pleaded", r"\b(?:plead(?:ed|s|ing)?|pled)\b"),
    ("convicted", r"\b(?:convicted|convictions?|found guilty|guilty verdict)\b"),
    ("acquitted", r"\b(?:acquitted|acquittal|found not guilty)\b"),
    ("sentenced", r"\bsentenc(?:ed|ing)\b"),
))
# Ordinals from "second" on ("the fifth NBA coach fired" is not "the third ... coach"); "first" is said of too
# much ("first reported", "at first") to be a fact a cite must repeat.
ORDINAL_WORDS = {word: n for n, word in enumerate(
    "second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split(), start=2)}


def _is_ordinal(text: str, match) -> bool:
    """Whether an ORDINAL match is an ordinal: not part of a name ("97th Avenue") nor a day ("May 21st")."""
    return not NAME_AFTER.match(text, match.end()) and not (
        match.group(1) and (MONTH_BEFORE.search(text[max(match.start() - 12, 0):match.start()])
                            or OF_MONTH.match(text, match.end())))


# "97th Avenue", "the 67th Precinct", "Fifth Avenue": part of a name, not an ordinal ("the fifth NBA coach" is one).
NAME_AFTER = re.compile(r"\s+[A-Z][a-z]")
# "May 21st", "the 21st of May": a day, not an ordinal.
MONTH_BEFORE = re.compile(r"\b" + MONTH + r"\.?\s*$", re.IGNORECASE)
OF_MONTH = re.compile(r"\s+of\s+" + MONTH + r"\b", re.IGNORECASE)
ORDINAL = re.compile(r"(?<![\w.])(?:(\d{1,3})(?:st|nd|rd|th)|" + "|".join(ORDINAL_WORDS) + r")\b", re.IGNORECASE)


# A year or a decade as written ("in 2009", "the 1960s"), not a figure ("2,009") or part of one ("2009-10" is a
# season, still its first year).
YEAR = re.compile(r"(?<![\w$€£.,/])((?:1[5-9]|20)\d\d)(s?)(?![\w/]|[.,]\d)")
# Words that say a thing happened only in part ("nearly destroyed", "partly collapsed"): without them it is
# another fact.
HEDGES = frozenset({"nearly", "almost", "partially", "partly", "largely", "mostly", "virtually", "allegedly"})
# Words after a hedge that make it a qualifier of an amount ("nearly half", "almost every"), which the figures
# compare; a hedge bears on a word of four letters or more ("nearly an hour" hedges no "an").
AMOUNTS = frozenset({"half", "twice", "double", "every", "quarter", "third", "none"})
# The basic colour terms of English, lower case (a name such as "White House" is no colour), one spelling each.
COLOURS = {"white": "white", "black": "black", "red": "red", "green": "green", "yellow": "yellow", "blue": "blue",
           "brown": "brown", "orange": "orange", "pink": "pink", "purple": "purple", "gray": "gray", "grey": "gray",
           "silver": "silver", "gold": "gold", "golden": "gold", "beige": "beige", "maroon": "maroon"}
COLOUR = re.compile(r"(?<![\w-])(?:" + "|".join(COLOURS) + r")(?![\w-])")
ANY_QUOTED = re.compile(r"[“\"]([^“”\"]+?)[”\"]")
QUOTE_WORD = re.compile(r"[a-z0-9]+")


def squash(text: str) -> str:
    """Lower-case letters and digits only, for comparing wordings."""
    return re.sub(r"[\W_]+", "", fold(text).lower())


CAPITAL = re.compile(r"[A-Z][\w'’.-]*")
NAME_STOP = frozenset("""the a an in on at of for and but or as after before when while if this that these those
it its he she they we i his her their our there here then yet so by with from to mr mrs ms dr""".split())


def _names(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(names, subject): keys of the capitalised words of a text that are names, and of the run of
    them it opens with (after "The"), its subject. A capitalised first word is a name only when the
    next word is one too ("Red Sox", not "International observers"); keys are the first six letters,
    lower case ("Organisation" and "Organization" are one key)."""
    words = WORD.findall(text)
    names: set[str] = set()
    runs: list[tuple[int, list[str]]] = []
    for i, word in enumerate(words):
        capital = bool(CAPITAL.fullmatch(word)) and word.lower().strip(".") not in NAME_STOP | CALENDAR_WORDS
        if not capital:
            continue
        if runs and runs[-1][0] + len(runs[-1][1]) == i:
            runs[-1][1].append(word)
        else:
            runs.append((i, [word]))
    for start, run in runs:
        if start == 0 and len(run) == 1:
            continue  # a sentence's first word is capitalised anyway
        names.update(_name_key(w) for w in run)
    names.discard("")
    subject: frozenset[str] = frozenset()
    if runs:
        start, run = runs[0]
        opener = [w.lower() for w in words[:start]]
        if (start == 0 and len(run) > 1) or (start == 1 and opener == ["the"]):
            subject = frozenset(k for k in map(_name_key, run) if k)
    if not subject:
        # A reported clause's subject: "ESPN is reporting that the Nationals have offered ...".
        for start, run in runs:
            before = [w.lower() for w in words[max(start - 2, 0):start]]
            if start <= REPORTED_SUBJECT_WORDS and (before[-1:] == ["that"] or before == ["that", "the"]):
                subject = frozenset(k for k in map(_name_key, run) if k)
                break
    return frozenset(names), subject


# A name run that opens a "that" clause within this many words of a sentence's start is its subject.
REPORTED_SUBJECT_WORDS = 10


def _name_key(word: str) -> str:
    """A name word as a key: letters only, lower case, its first six, no possessive."""
    letters = re.sub(r"[^a-z]", "", re.sub(r"['’]s$", "", word).lower())
    return letters[:6] if len(letters) >= 3 else ""


def _anchor(name: str) -> str:
    """The place a direction is relative to, as a key: its words without a trailing possessive."""
    return re.sub(r"['’]s?$", "", name.strip()).lower()


def _clock_times(text: str):
    """(span, ClockTime) of each clock time of a text."""
    for match in CLOCK.finditer(text):
        hours, minutes, meridiem, bare, bare_meridiem, military, military_minutes, zone = match.groups()
        if hours is not None:
            hour, minute, half = int(hours), int(minutes), meridiem
            if match.group(2) and not half and not zone:
                continue  # "3.5" or a score, not a time: a time needs am / pm or a zone
        elif bare is not None:
            hour, minute, half = int(bare), 0, bare_meridiem
        else:
            hour, minute, half = int(military), int(military_minutes), None
        if hour > 23 or minute > 59:
            continue
        if half:
            if hour > 12:
                continue
            hour = hour % 12 + (12 if half.lower().startswith("p") else 0)
        key = (zone or "").lower().split()[0] if zone else ""
        written = WORD.findall(text[match.end():][:60])
        yield match.span(), ClockTime(match.group(0).strip(), hour * 60 + minute, key, ZONE_OFFSETS.get(key),
                        _context(text[:match.start()], written[:2], before_words=8) - CLOCK_WORDS,
                        bool(TIME_BOUND.search(text[:match.start()]) or STAMP.search(text[max(0, match.start() - 60):match.start()])))


def _figures(text: str, taken: list[tuple[int, int]]):
    scope = tally_scope(text)
    for match in NUMBER.finditer(text):
        if any(start <= match.start() < end for start, end in taken):
            continue
        value = _number_value(match)
        before = text[:match.start()]
        after = text[match.end():]
        if value is None and _counts_one(match, after):
            value = 1.0
        if value is None:
            continue
        digits = match.group(1)
        # Dates, years, scores and ordinals are not figures of the story's facts.
        if re.search(r"\b" + MONTH + r"\.?\s*$", before, re.IGNORECASE):
            continue
        if re.match(r"\s*(st|nd|rd|th)\b|\s*[-–]\s*\d|\s*" + MONTH + r"\b",
                    text[match.end(1):] if digits else after, re.IGNORECASE) or re.search(r"\d\s*[-–]\s*$", before):
            continue
        if digits and re.fullmatch(r"(1[5-9]|20)\d\d", digits) and not match.group(2):
            continue  # a year
        if re.match(r"\s*(?:more|fewer|less)\b", after, re.IGNORECASE):
            continue  # a difference ("2,129 points, 13 more than Buford"; "10 more people"), not a total
        qualifier = _qualifier(before)
        # "magnitude of at least 5.9", "at least magnitude-5.9": the qualifier and the noun both come first.
        bare = before[:len(before) - len(_qualifier_words(before))] if qualifier else before
        qualifier = qualifier or _qualifier(re.sub(r"\w+-$", "", before).rstrip())
        written = WORD.findall(after[:60])
        following = [w.lower() for w in written]
        unit, noun, nouns, head, written_unit = "", "", frozenset(), "", ""
        if re.match(r"\s*(%|per\s?cent|percent)", after, re.IGNORECASE):
            unit = "percent"
        elif following and following[0].strip("-") in UNIT_WORDS:
            base = to_base(value, UNIT_WORDS[following[0].strip("-")])
            if base is not None:
                (value, unit), written_unit = base, following[0].strip("-")
        if not unit:
            # What a figure counts follows it within its phrase: "Horton, 34, a mother of 12" counts no mothers.
            run = _noun_run(WORD.findall(PHRASE_END.split(after[:60], maxsplit=1)[0]))
            before_noun = _noun_before(bare)
            nouns = frozenset(run) | ({before_noun} if before_noun else frozenset())
            noun = "people" if "people" in run else (run[-1] if run else before_noun)
            head = run[0] if run else before_noun
        # A figure joined to the word after it by a hyphen describes that word ("a 6.7-strength quake
        # killed ...", "a 12-storey block"): it counts no one killed or hurt.
        # A measure (24 hours, 55 km) counts no one either.
        outcome = "" if unit or MODIFIER.match(text[match.end(1):] if digits else after) \
            else _outcome(before, [w.lower() for w in WORD.findall(re.split(r"[,;:]", after[:60], maxsplit=1)[0])])
        age = not unit and digits and value < 120 and AGE_AFTER.match(after) and AGE_BEFORE.search(before)
        if age:
            # A bare number set off by commas after a name or a noun is an age ("Maria Dulce-Valencia, 27,
            # was also killed"; "his two half-brothers, 17 and 22, were also arrested"), not a count.
            # An age is one fact only with the age of the same person: the word before the comma.
            outcome, noun, nouns, head = "", "age", frozenset({f"age of {age.group('owner').lower()}"}), "age"
        # An amount is stated with its currency sign ("$23 million"), as a reader reads it.
        sign = next((sign for sign, _ in CURRENCY_SIGNS if before.endswith(sign)), "")
        yield Figure(sign + match.group(0).strip(" -"), value, unit, qualifier, noun, outcome,
                     nouns=nouns, context=_context(before, written),
                     rounding=_rounding(digits, value, converted=bool(unit) and unit != "percent"),
                     currency=_currency(before, following), part=bool(PART.match(after)), head=head,
                     written_unit=written_unit, scope=scope,
                     total=bool(outcome) and outcome == _toll_clause(bare)[0] and _toll_clause(bare)[1])


# A figure written as the first half of a compound adjective ("6.7-strength", "five-year"); not an
# approximate count ("20-odd", "100-plus").
MODIFIER = re.compile(r"-(?!(?:odd|plus|some)\b)[a-z]", re.IGNORECASE)
# An age in apposition: ", 27," or ", 17 and 22," right after a word.
AGE_BEFORE = re.compile(r"(?P<owner>[A-Za-z][\w'’-]*),\s*(?:\d{1,3}\s+and\s+)?$")
AGE_AFTER = re.compile(r"\s*(?:,|and\s+\d{1,3}\s*,|\.(?:\s|$))")
# The end of the phrase a figure opens: punctuation other than a hyphen or an apostrophe.
PHRASE_END = re.compile(r"[,;:()\[\]—–!?\"“”]|\.(?:\s|$)")
# Currency signs before a figure and names after it ("$141 billion", "110 billion euro").
CURRENCY_SIGNS = (("US$", "USD"), ("$", "USD"), ("€", "EUR"), ("£", "GBP"), ("¥", "JPY"))
CURRENCY_NAMES = {"dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "pound": "GBP", "pounds": "GBP",
                  "sterling": "GBP", "yen": "JPY", "yuan": "CNY", "rupees": "INR", "roubles": "RUB", "rubles": "RUB"}
# A count followed by another count of the same sum: "two women and one man", "three adults and a child".
PART = re.compile(r"\s*[a-z-]+\s+and\s+(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+[a-z]",
                  re.IGNORECASE)


def _currency(before: str, following: list[str]) -> str:
    """The currency of an amount: a sign right before it, or a currency word right after it ("" when none)."""
    tail = before.rstrip()[-3:]
    for sign, code in CURRENCY_SIGNS:
        if tail.endswith(sign) or tail.lower().endswith(code.lower()[:3]) and tail[-3:].isalpha():
            return code
    return CURRENCY_NAMES.get(following[0], "") if following else ""


def _rounding(digits: str | None, value: float, converted: bool) -> float:
    """The share of its value an exact figure may be off by rounding (see `Figure.rounding`)."""
    if not digits:
        return 0.0 if value < 20 else 0.05  # "three" is exact, "a hundred" round
    if converted or match_round(digits):
        return 0.05
    if "." in digits and value:
        decimals = len(digits.rpartition(".")[2])
        return 0.5 * 10 ** -decimals / value
    return 0.0


def match_round(digits: str) -> bool:
    """Whether a figure is a round one ("100,000", "1,500", "40"): its last two digits are zeros, or it ends in 0 and is over 20."""
    plain = digits.replace(",", "").partition(".")[0]
    return plain.endswith("00") or (plain.endswith("0") and int(plain or 0) > 20)


def _number_value(match) -> float | None:
    digits, scale, word, unit_word, word_scale = match.groups()
    if digits:
        whole, _, fraction = re.sub(r"[\s-](?=\d/)", " ", digits).partition(" ")
        try:
            value = float(whole.replace(",", "")) + FRACTIONS.get(fraction, 0.0)
        except ValueError:
            return None
        if scale:
            value *= SCALES[scale.lower()]
        return value
    value = float(NUMBER_WORDS[word.lower()])
    if unit_word:
        value += NUMBER_WORDS[unit_word.lower()]
    if word_scale:
        value *= SCALES[word_scale.lower()]
    if word.lower() == "one" and not word_scale:
        return None  # "one of the", "one man": too common to be a stated count
    return value


def _counts_one(match, after: str) -> bool:
    """Whether a bare "one" is a stated count: of people ("one person was arrested", "one man") or of
    an outcome in the words after it ("one was killed"); else "one of the", "one day" say no figure."""
    if (match.group(3) or "").lower() != "one" or match.group(4) or match.group(5):
        return False
    following = [w.lower() for w in WORD.findall(re.split(r"[,;:.]", after[:40], maxsplit=1)[0])][:4]
    return bool(following) and (following[0] in PEOPLE or following[0] in PERSON_NOUNS
                                or any(w in OUTCOME_OF for w in following))


def _qualifier(before: str) -> str:
    """The meaning of the qualifier right before a figure ("at least" -> "at least", "some" -> "about")."""
    words = re.sub(r"\s*(?:US)?[$€£¥]\s*$", "", _qualifier_words(before))
    return dict(QUALIFIERS)[words.strip().lower()] if words.strip() else ""


def _qualifier_words(before: str) -> str:
    """The qualifier words that end `before` (with the spaces and a currency sign after them: "roughly $"),
    "" when none."""
    stripped = re.sub(r"\s*(?:US)?[$€£¥]\s*$", "", before).rstrip()
    tail = stripped.lower()
    for words, _ in QUALIFIERS:
        if tail.endswith(" " + words) or tail == words:
            return before[len(stripped) - len(words):]
    return ""


VERBISH = frozenset("""is was are were be been has had have will would can could may might said says say
hit struck shook rocked jolted killed left came went made took gave told on in at to for by from with as
and or but that which who than of near after before since during into onto over under about against across
along among around through toward towards within without""".split())
# Words that make a clock time the limit of a span ("had voted by 4 p.m."), not the moment something happened.
TIME_BOUND = re.compile(r"\b(?:by|as of|until|till|before|after|since|from|between|through|to)\s+(?:about\s+|around\s+)?$",
                        re.IGNORECASE)
# A date line's time ("Originally published 05 / 03 / 2013 at 10:20 AM EDT") stamps a version of the
# report; it is not the time of anything the report tells.
STAMP = re.compile(r"\b(?:published|updated|posted|modified|last edited)\b", re.IGNORECASE)
# Words of a clock time itself ("8:00 am local time (0300 GMT)"): they say nothing of what happened then.
# US zones named without standard or daylight time ("4:30 p.m. ET"): a zone of their own whose offset
# this does not guess, so such a time is set only against one in the same zone.
SEASONLESS_ZONES = frozenset({"et", "ct", "mt", "pt"})
CLOCK_WORDS = frozenset({"local", "time", "a.m", "p.m", "hrs", "hour", "hours"} | set(ZONE_OFFSETS) | SEASONLESS_ZONES)
CONTEXT_STOP = frozenset("""the a an of and or but in on at to for by from with as is was are were be been has had
have that this which who it its their his her more than about some least nearly almost over under up""".split())


def _noun_run(written: list[str]) -> list[str]:
    """The words after a figure that may name what it counts: up to three lower-case words before
    a verb, a preposition or punctuation, singular; "people" for any word that counts people
    ("Russian military personnel")."""
    run = []
    for word in written[:4]:
        word = word.strip("-'’")
        lower = word.lower()
        if lower in PEOPLE:
            run.append("people")
            break
        if word[:1].isupper() and run:
            break  # a name after the counted noun starts another phrase ("six seasons, Teixeira ...")
        if word[:1].isupper() or lower in ("more", "other", "additional", "further"):
            continue  # a name or a modifier ("10 Russian troops", "two more people")
        if lower in VERBISH or lower in OUTCOME_OF or lower in ("a", "an", "the") or lower.endswith("ed") or not lower.isalpha() and "-" not in lower:
            break
        run.append(singular(lower))
        if len(run) == 3 or singular(lower) != lower:
            break  # a plural ends the noun ("Web sites", "2,129 points heading into ...")
    return run


def _context(before: str, written: list[str], before_words: int = 4) -> frozenset[str]:
    """Content words within `before_words` words before and four after a figure (lower case, singular)."""
    near = [w.lower() for w in WORD.findall(before[-100:])][-before_words:] + [w.lower() for w in written[:4]]
    # A day or month name dates a figure; a word that only starts like one ("marched", "market", "money") is
    # what the figure is of.
    return frozenset(singular(w.strip("-'’")) for w in near
                     if w not in CONTEXT_STOP and not w[:1].isdigit() and len(w) > 2
                     and w.strip(".") not in CALENDAR_WORDS)


def singular(word: str) -> str:
    """A plural noun in the singular, roughly (villages -> village, injuries -> injury)."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


# The words of a unit say how a figure is measured, not what it is of ("15 miles north of Detroit" and "chased
# for 30 miles" share "mile" and nothing else).
MEASURE_WORDS = frozenset(singular(word) for word in UNIT_WORDS) | {"percent", "cent", "per"}


def _noun_before(before: str) -> str:
    """The noun a figure is the value of when it comes first: "magnitude of 5.9", "magnitude-5.9",
    "the toll rose to 10"."""
    match = re.search(r"\b([a-z]{3,})(?:-|\s+(?:of|at|to|was|is|stood at|rose to|reached)\s+)$", before.lower())
    if not match or match.group(1) in ("the", "and", "than", "about", "around", "least", "more", "some", "was"):
        return ""
    return singular(match.group(1))


def _outcome(before: str, following: list[str]) -> str:
    """What a count of people is of, from the words right after it in its clause (`following`: "were killed")
    or before it ("killed 10, injured 50")."""
    for word in following[:4]:
        if word in OUTCOME_OF:
            return OUTCOME_OF[word]
        if word in ("and", "but") or word[:1].isdigit():
            break
    previous = [w.lower() for w in WORD.findall(before[-30:])]
    for word in reversed(previous[-3:]):
        if word in OUTCOME_OF:
            return OUTCOME_OF[word]
    return _toll_clause(before)[0]


def _toll_clause(before: str) -> tuple[str, bool]:
    """(outcome, named as a toll) of a figure that is the value a toll's verb gives it: "The death toll
    from the quake has risen to 24", "the number of people killed had climbed to 24", "By evening the
    toll stood at 24" (a toll named as such: the story's running total), "deaths climbed to 24"."""
    clause = [w.lower() for w in WORD.findall(re.split(r"[,;:(]", before)[-1])]
    at = len(clause)
    while at and clause[at - 1] in TOLL_LINKS:
        at -= 1
    subject = clause[max(0, at - 8):at]
    if at < len(clause) and any(w in TOLL_LINKS and w not in LINK_PARTICLES for w in clause[at:]) \
            and any(w in TOLL_WORDS or w in TOLL_NOUNS for w in subject):
        for word in reversed(subject):
            if word in OUTCOME_OF:
                return OUTCOME_OF[word], any(w in TOLL_WORDS for w in subject)
    return "", False


# Words that name a toll itself rather than what it counts ("the death toll", "the number of dead").
TOLL_WORDS = frozenset({"toll", "number", "figure", "count", "total", "tally"})
# Nouns of an outcome that may open a toll's clause ("deaths rose to 24", "the injured number 30").
TOLL_NOUNS = frozenset({"dead", "death", "deaths", "fatalities", "injuries", "injured", "wounded", "missing", "bodies",
                        "arrests"})


# Words between a toll and its value ("has risen to", "stood at", "reached", "is now"); a toll's value
# needs one that is no particle ("of", "to", "at" alone link anything).
LINK_PARTICLES = frozenset({"has", "have", "had", "now", "to", "at", "of", "up", "further", "since", "officially",
                            "about", "around", "least", "more", "than", "over", "nearly", "almost", "some"})
TOLL_LINKS = LINK_PARTICLES | frozenset({"rose", "risen", "rise", "rises", "rising", "climbed", "climbs", "climbing",
                                         "jumped", "jumps", "increased", "increases", "grew", "grown", "reached",
                                         "reaches", "hit", "hits", "stood", "stands", "was", "is", "were", "are",
                                         "went", "gone", "soared", "mounted", "topped", "surpassed"})


# Words that make a text's figures tallies over a span rather than figures of one occasion, each with the
# span it names: "rushed for only 150 yards ... this season" (not the 63 yards of one game), "a total of 14
# AK-47 rifles" seized "during the five operations" (not the six of one operation), "a combined 157 games".
# Not "career" or "all-time", which name a record more often than a span ("25 points ..., both career
# highs" were scored in one game; "scored 23 points to become Creighton's all-time scoring leader").
TALLY = re.compile(r"\b(?:(this|last|next|the|whole|entire|regular|a|per|each)\s+season"
                   r"|(total|in all|so far|to date|altogether|overall|combined|cumulative)"
                   r"|(this|last|next)\s+year|(per|a|each)\s+game)\b", re.IGNORECASE)


def tally_scope(text: str) -> frozenset[str]:
    """The spans a text's figures tally over ("this season", "total", "per game"), empty when it names none."""
    found = set()
    for match in TALLY.finditer(text):
        season, total, year, game = match.groups()
        if season:
            found.add("per season" if season.lower() in ("a", "per", "each") else
                      "last season" if season.lower() == "last" else "next season" if season.lower() == "next"
                      else "season")
        elif total:
            found.add("total")
        elif year:
            found.add(f"{year.lower()} year")
        elif game:
            found.add("per game")
    return frozenset(found)


def same_subject(a: Figure, b: Figure) -> bool | None:
    """True when two figures are positively about the same thing, False when positively not, None when unsure."""
    if a.currency and b.currency and a.currency != b.currency:
        return False  # "$141 billion" and "93.6 billion pounds" are one loan in two currencies, not one figure
    if a.unit or b.unit:
        return a.unit == b.unit if a.unit and b.unit else False
    nouns = None if not a.nouns or not b.nouns else bool(a.nouns & b.nouns)
    if a.outcome and b.outcome:
        # One toll whatever noun each report counts it by: "the death toll rose to 24", "10 people were
        # killed", "the number of dead": only two counts of things that are no people ("300 cattle") differ.
        return a.outcome == b.outcome and not (nouns is False and _counts_things(a) and _counts_things(b))
    if nouns is False:
        return False
    if nouns and a.outcome == b.outcome:
        return True
    return None


# A text that tells a figure's change: a verb of change, then the old value after "from" / "initial", then
# "to" and the new value ("have upgraded their initial offer to Teixeira--eight years, $160 million--to
# somewhere between $178 million and $184 million"; "raising the death toll from three to five").
CHANGE_VERB = re.compile(r"\b(?:rais|rose|rise|risen|increas|upgrad|bump|boost|lift|climb|jump|grew|grow|revis|lower|"
                         r"cut|reduc|dropp|fell|decreas|downgrad|push|bring|brought|hik)\w*", re.IGNORECASE)
PRIOR_WORD = re.compile(r"\b(?:from|initial|initially|original|originally|previous|previously|earlier)\b", re.IGNORECASE)
TO_NEW = re.compile(r"\bto\s+(?:somewhere\s+)?(?:between\s+)?(?:about\s+|around\s+|roughly\s+|as\s+(?:high|much|many)\s+as\s+)?"
                    r"(?:US)?[$€£¥]?$", re.IGNORECASE)


def _mark_prior(text: str, figures: tuple[Figure, ...]) -> tuple[Figure, ...]:
    """The figures with the old value of each change the text tells marked `prior` (see `CHANGE_VERB`): a figure
    after a verb of change and "from" / "initial" (in the 60 characters before it), followed within 80
    characters by "to" and a figure of the same currency, unit and outcome."""
    spots, at = [], 0
    for figure in figures:
        spot = text.find(figure.text, at)
        spots.append(spot)
        at = spot + len(figure.text) if spot >= 0 else at
    marked = list(figures)
    for i, figure in enumerate(figures):
        start = spots[i]
        if start < 0 or not CHANGE_VERB.search(text[:start]) or not PRIOR_WORD.search(text[max(0, start - 60):start]):
            continue
        end = start + len(figure.text)
        for j in range(i + 1, len(figures)):
            other = figures[j]
            if spots[j] < 0 or spots[j] - end > 80:
                break
            between = text[end:spots[j]]
            if re.search(r"[.;]\s", between):
                break
            if _new_value_of(figure, other) and TO_NEW.search(between):
                marked[i] = replace(figure, prior=True)
                break
    return tuple(marked)


def _new_value_of(prior: Figure, figure: Figure) -> bool:
    """Whether a figure can be the new value of a change from `prior`: the same currency and unit, and the
    same outcome unless the new value names none ("the death toll from three to 10")."""
    return (figure.currency, figure.unit) == (prior.currency, prior.unit) and figure.outcome in ("", prior.outcome)


def revisions(figures: Sequence[Figure]) -> list[tuple[Figure, Figure]]:
    """(old, new) of each change a text tells (`Figure.prior`), the new value given the old one's subject."""
    found = []
    for i, figure in enumerate(figures):
        if figure.prior:
            new = next((f for f in figures[i + 1:] if _new_value_of(figure, f)), None)
            if new is not None:
                found.append((figure, replace(new, outcome=figure.outcome, noun=new.noun or figure.noun,
                                              nouns=new.nouns or figure.nouns, head=new.head or figure.head)))
    return found


def _counts_things(figure: Figure) -> bool:
    """Whether a toll's counted nouns name something other than people or the toll itself ("300 cattle")."""
    return any(noun != "people" and noun not in TOLL_WORDS and noun not in OUTCOME_OF for noun in figure.nouns)


def said_of_the_same(a: Figure, b: Figure) -> bool:
    """Whether two figures of one subject are said of the same thing: the words around them overlap
    (a 36-year-old champion and a 40-year-old challenger are two ages, not one age stated twice), and, for
    a count or a measure that is no toll, their texts tally over the same span (`Figure.scope`: 150 yards
    "this season" and 63 yards in one game are two facts). A toll (dead, injured) is a running total
    whatever words say so ("so far")."""
    if not (a.outcome or b.outcome) and a.scope != b.scope:
        return False
    if a.outcome and a.outcome == b.outcome and (a.total or b.total) and not (a.part or b.part):
        return True  # a toll named as such is the story's running total of its outcome
    shared = (a.context & b.context) - a.nouns - b.nouns - {a.outcome, b.outcome} - MEASURE_WORDS
    return bool(shared) or (a.context <= b.context or b.context <= a.context)


def check(statement: str, sentence: str, local_offset: int | None = None) -> Verdict:
    """Whether `sentence` states the facts of `statement` (see the module docstring).

    local_offset: the UTC offset in minutes of the place the story happens in, when it is known
    (`storyline.gazetteer.utc_offset`): a "local time" is then compared with GMT / UTC times.
    """
    own, theirs = facts_of(statement), facts_of(sentence)
    # A figure stated of another named subject ("the Nationals have offered $160 million" for "The Red
    # Sox have made an offer in excess of $160 million") is another fact: the sentence must name the
    # statement's subject, or name nothing the statement does not.
    if own.figures and own.subject and not own.subject & theirs.names and theirs.names - own.names:
        others = sorted(theirs.names - own.names)
        return Verdict(False, reason=f"states its figures of another subject ({', '.join(others[:3])})")
    for figure in own.figures:
        candidates = [g for g in theirs.figures if same_subject(figure, g) is not False]
        if any(states_same(figure, g) for g in candidates):
            continue
        compatible = next((g for g in candidates if states_alike(figure, g)), None)
        if compatible is not None:
            # Both can be true ("more than 200" and "249" injured): no contradiction, and no support.
            return Verdict(False, reason=f"states {as_stated(compatible)}, not {as_stated(figure)}")
        clash = next((g for g in theirs.figures if same_subject(figure, g) is True and said_of_the_same(figure, g)),
                     None)
        if clash is not None:
            subject = figure_subject(figure)
            return Verdict(False, True, "number", f"{as_written(figure)} vs {as_written(clash)}{_subject_label(figure)}", subject)
        return Verdict(False, reason=f"does not state {figure.text}")
    for score in own.scores:
        if _score_key(score) not in {_score_key(other) for other in theirs.scores}:
            return Verdict(False, reason=f"does not state {score}")
    for digits, written in own.phones:
        if digits in {d for d, _ in theirs.phones}:
            continue
        other = next((w for d, w in theirs.phones if one_number_miswritten(digits, d)), None)
        if other is not None:
            return Verdict(False, True, PHONE_KIND, f"{written} vs {other} (telephone number)")
        return Verdict(False, reason=f"does not state {written}")
    for direction in own.directions:
        other = next((d for d in theirs.directions if d.anchor == direction.anchor), None)
        if other is None:
            return Verdict(False, reason=f"does not state {direction.text}")
        if other.bearing != direction.bearing:
            return Verdict(False, True, "place", f"{direction.text} vs {other.text}")
    for time in own.times:
        verdict = _time_verdict(_localised(time, local_offset), tuple(_localised(t, local_offset) for t in theirs.times))
        if verdict is not None:
            return verdict
    years = sorted(own.years - theirs.years)
    if years:
        return Verdict(False, reason=f"does not state {years[0]}")
    # "died on Friday" is not stated by "died Thursday": a sentence that names other days and not the
    # statement's tells another day (one with no day, or "yesterday", is left to the other facts).
    if own.weekdays and theirs.weekdays and not own.weekdays & theirs.weekdays:
        return Verdict(False, reason=f"says {', '.join(sorted(theirs.weekdays))}, not {', '.join(sorted(own.weekdays))}")
    ordinals = sorted(own.ordinals - theirs.ordinals - {1})
    if ordinals:
        return Verdict(False, reason=f"does not state ordinal {ordinals[0]}")
    # Who said it: a statement's attribution ("..., her rep told People") is the cite's too.
    if own.speakers and not _names_one(own.speakers, theirs.loose_names):
        return Verdict(False, reason=f"does not say it is {', '.join(sorted(own.speakers))}'s")
    # A stage of a case the cite names otherwise ("arrested" for "charged"); a cite that names no stage is left
    # to the other facts.
    if own.stages and theirs.stages and not own.stages <= theirs.stages:
        return Verdict(False, reason=f"says {', '.join(sorted(theirs.stages))}, not {', '.join(sorted(own.stages - theirs.stages))}")
    shared = set(own.words) & set(theirs.words)
    if _negates(own, set(own.words)) != _negates(theirs, set(own.words)) \
            or negated_words(own, shared) != negated_words(theirs, shared):
        return Verdict(False, reason="one side is negated")
    hedged, theirs_hedged = dict(own.hedges), dict(theirs.hedges)
    for word in sorted(shared & (set(hedged) | set(theirs_hedged))):
        if hedged.get(word) != theirs_hedged.get(word):
            said = " ".join(filter(None, (theirs_hedged.get(word), word)))
            return Verdict(False, reason=f"says {said}")
    colours = sorted(own.colours - theirs.colours)
    if colours:
        return Verdict(False, reason=f"does not state {colours[0]}")
    squashed = squash(sentence)
    for quote in own.quotes:
        if quote not in squashed:
            return Verdict(False, reason="quotes other words")
    for ending in own.quote_endings:
        if not ends_alike(ending, sentence):
            return Verdict(False, reason="quotes other words")
    # A word or two in quotes ("a clarification") is stated by the same words, in any form ("reaffirms" by
    # "reaffirmed"); a longer quotation only by its very words (above).
    stems = {word[:6] for word in theirs.words}
    for quote in own.quoted:
        if quote.replace(" ", "") not in squashed and not all(w[:6] in stems for w in QUOTE_WORD.findall(quote)):
            return Verdict(False, reason="quotes other words")
    return Verdict(True)


def clash(text: str, other: str, local_offset: int | None = None) -> Verdict | None:
    """The first fact two texts state otherwise, read both ways; None when they state none otherwise.

    `check` asks whether a sentence states *every* fact of a statement, so one fact the other text
    does not mention (an age, a radio frequency) ends it before a clash is seen. Two reports of one
    thing often differ in what else they say; what makes them disagree is one fact both state with
    values that cannot both be true:
    - a figure of one subject, said of the same thing, whose value neither text also states
      ("as many as 20,000 people" vs "roughly 30,000 people", not "three people, a man and two
      women" against "three");
    - one place given in two directions of one anchor, neither text giving the other's;
    - a clock time of the same moment (shared words before it) stated otherwise once zones are known;
    - a colour of one thing (a word beside it shared): "a silver Toyota Camry" vs "a gray Camry".
    Figures said of two named subjects are not compared (the Nationals' offer and the Red Sox's).
    """
    own, theirs = facts_of(text), facts_of(other)
    for one, two in ((own, theirs), (theirs, own)):
        if one.figures and one.subject and not one.subject & two.names and two.names - one.names:
            return None

    def stated(figure: Figure, figures: tuple[Figure, ...]) -> bool:
        return any(states_alike(figure, g) for g in figures if same_subject(figure, g) is not False)

    for figure in own.figures:
        if stated(figure, theirs.figures):
            continue
        for candidate in theirs.figures:
            if same_subject(figure, candidate) is True and said_of_the_same(figure, candidate) \
                    and not stated(candidate, own.figures):
                subject = figure_subject(figure)
                return Verdict(False, True, "number",
                               f"{as_stated(figure)} vs {as_stated(candidate)}{_subject_label(figure)}", subject,
                               counted=counted(figure), figures=(figure, candidate))
    theirs_phones = {d for d, _ in theirs.phones}
    for digits, written in own.phones:
        if digits in theirs_phones:
            continue
        for other, other_written in theirs.phones:
            if one_number_miswritten(digits, other) and other not in {d for d, _ in own.phones}:
                return Verdict(False, True, PHONE_KIND, f"{written} vs {other_written} (telephone number)")
    for direction in own.directions:
        for candidate in theirs.directions:
            if candidate.anchor == direction.anchor and candidate.bearing != direction.bearing \
                    and not any(d.anchor == direction.anchor and d.bearing == direction.bearing for d in theirs.directions) \
                    and not any(d.anchor == candidate.anchor and d.bearing == candidate.bearing for d in own.directions):
                return Verdict(False, True, "place", f"{direction.text} vs {candidate.text}")
    mine = tuple(_localised(t, local_offset) for t in own.times)
    yours = tuple(_localised(t, local_offset) for t in theirs.times)
    for time in mine:
        if any(_same_time(time, t) for t in yours):
            continue
        for candidate in yours:
            if _time_gap(time, candidate) is not None and time.context & candidate.context \
                    and not (time.bound or candidate.bound) \
                    and not any(_same_time(candidate, t) for t in mine):
                return Verdict(False, True, "time", f"{_with_utc(time)} vs {_with_utc(candidate)}")
    mine_colours, yours_colours = own.colour_things, theirs.colour_things
    for colour, near, written in mine_colours:
        if any(c == colour for c, _, _ in yours_colours):
            continue
        for candidate, other_near, other_written in yours_colours:
            if candidate != colour and near & other_near and not any(c == candidate for c, _, _ in mine_colours):
                return Verdict(False, True, "attribute",
                               f"{written} vs {other_written} ({sorted(near & other_near)[0]})")
    return None


def _colours_of_things(text: str) -> list[tuple[str, frozenset[str], str]]:
    """(colour, words around it, as written) for each colour of a text: what `clash` sets against another
    text's colour of the same thing (a word around them shared: "a silver Toyota Camry" / "a gray Camry").
    Tried as such values too and left out (bench/compare.py and 36 ECB+ dev stories, 2026-12-07):
    ordinals ("knocked down in the fifth" and "stopped in the sixth" are two moments of one fight, "the
    81st annual" and "58th annual" two ceremonies) and scores (a game's running scores, 47-44 then
    47-42, and a team's all-time record beside its final score)."""
    text = fold(text)
    found = []
    for match in COLOUR.finditer(text.lower()):
        before = WORD.findall(text[:match.start()])[-COLOUR_NEAR:]
        after = WORD.findall(text[match.end():])[:COLOUR_NEAR]
        near = frozenset(w.lower() for w in before + after if len(w) > 2 and w.isalpha()
                         and w.lower() not in CONTEXT_STOP and w.lower() not in COLOURS)
        found.append((COLOURS[match.group(0)], near, text[match.start():match.end()]))
    return found


# Words each side of a colour that say what it is the colour of.
COLOUR_NEAR = 2


def states(figure: Figure, figures: Sequence[Figure], sure: bool = False) -> bool:
    """Whether one of `figures` states `figure`'s value of its subject (a qualifier aside); `sure`: only a
    figure positively of the same subject counts (`same_subject` True, not merely not False)."""
    exact = replace(figure, qualifier="")
    for other in figures:
        subject = same_subject(figure, other)
        if subject is False or sure and subject is not True:
            continue
        if intervals_meet(exact, replace(other, qualifier="")):
            return True
    return False


def counted(figure: Figure) -> bool:
    """Whether a figure is a count or a share of something it does not name as a fact of its own (seasons,
    games, points; "20.6 percent"), as against a toll (dead, injured), a person's age or a measure with a
    unit (km, magnitude, an amount of money): said of many things in one story, it is one fact with another only
    in the same action."""
    return not figure.outcome and not figure.currency and figure.unit in ("", "percent") and figure.head != "age"


def as_stated(figure: Figure) -> str:
    """A figure with the qualifier it was stated with ("at least 6,000")."""
    return f"{figure.qualifier} {as_written(figure)}" if figure.qualifier else as_written(figure)


def changed_figure(text: str, other: str) -> tuple[Figure, Figure] | None:
    """A figure of `text` and one of `other` about the same subject, said of the same thing, whose
    values as stated differ ("at least 6,000 Web sites" and "about 10,000 Web sites"), neither value
    stated by the other text; None when there is none. Both may be true (a bound and a later larger
    count): this is what a figure that changed looks like, not a contradiction."""
    own, theirs = facts_of(text), facts_of(other)
    if own.subject and not own.subject & theirs.names and theirs.names - own.names:
        return None  # the figures are said of two named subjects (two clubs' offers)
    if theirs.subject and not theirs.subject & own.names and own.names - theirs.names:
        return None
    # A text that tells the change itself ("upgraded their initial offer ... $160 million ... to $178 million")
    # ties its old value to a figure of the other that states it: that figure is the value before the change.
    for (mine, yours), swap in (((own, theirs), False), ((theirs, own), True)):
        for old, new in revisions(mine.figures):
            for figure in yours.figures:
                if not figure.prior and same_subject(old, figure) is not False and states_same(old, figure) \
                        and not states(new, [f for f in yours.figures if not f.prior]):
                    return (new, figure) if not swap else (figure, new)
    current = [f for f in theirs.figures if not f.prior]
    for figure in own.figures:
        if figure.part or figure.prior or states(figure, current):
            continue
        for candidate in current:
            if same_subject(figure, candidate) is True and said_of_the_same(figure, candidate) \
                    and counts_the_same(figure, candidate) and not candidate.part \
                    and not states(candidate, [f for f in own.figures if not f.prior]):
                return figure, candidate
    return None


def counts_the_same(a: Figure, b: Figure) -> bool:
    """Whether two figures count or measure the very same thing: the same outcome ("injured"), the same
    unit, or the same noun right after them ("6,000 Web sites" and "10,000 Web sites", not "six seasons"
    and "121 RBIs last season")."""
    if a.outcome or b.outcome:
        return a.outcome == b.outcome
    if a.unit or b.unit:
        return a.unit == b.unit
    return bool(a.head) and a.head == b.head


def grows_to(floor: Figure, later: Figure) -> bool:
    """Whether two values of one count read as the count growing from the first to the second when no
    report's time orders them: the first is given as a floor ("at least 6,000 Web sites", "more than 70
    injured": a count still coming in, as a toll is), the second is larger and within it ("about 10,000")."""
    return floor.qualifier in LOWER_BOUNDS and later.value > floor.value and intervals_meet(floor, later)


def figure_subject(figure: Figure) -> str:
    """What a figure counts or measures, for a reader: its outcome, its noun or its unit ("" when none)."""
    return figure.outcome or figure.noun or figure.unit


def _negates(facts: Facts, statement_words: set[str]) -> bool:
    """Whether a negation of the text bears on the statement: a word of the statement within three
    words after it, or the verb right before "n't" ("did n't go")."""
    for at in facts.negated:
        near = facts.words[at + 1:at + 4] + facts.words[max(at - 1, 0):at]
        if any(w in statement_words and len(w) > 2 and w not in NEGATIONS for w in near):
            return True
    return False


def ends_alike(words: list[str], sentence: str) -> bool:
    """Whether `sentence` states the quoted `words` with the quotation ending where they end: not going on
    with more words ("no community" is not "no community center")."""
    pattern = re.compile(r"(?<![a-z0-9])" + r"[^a-z0-9]+".join(map(re.escape, words)) + r"(?P<after>[^a-z0-9]*)(?=[a-z0-9]|$)")
    folded = fold(sentence).lower()
    for match in pattern.finditer(folded):
        if match.group("after").strip() or match.end() == len(folded):
            return True
    return False


def negated_words(facts: Facts, vocabulary: set[str]) -> set[str]:
    """The words of `vocabulary` a negation of the text bears on (within three words after it, or the verb
    right before "n't"): "The regulations don't require ..." negates "require"."""
    found: set[str] = set()
    for at in facts.negated:
        near = facts.words[at + 1:at + 4] + facts.words[max(at - 1, 0):at]
        found.update(w for w in near if w in vocabulary and len(w) > 2 and w not in NEGATIONS)
    return found


def _score_key(score: str) -> tuple[int, ...]:
    """A result whichever side is named first: 31-24 = 24-31."""
    return tuple(sorted(int(n) for n in re.findall(r"\d+", score)))


def _subject_label(figure: Figure) -> str:
    what = figure_label(figure)
    return f" ({what})" if what else ""


def figure_label(figure: Figure) -> str:
    """What a figure counts or measures as a reader reads it: `figure_subject`, but none for a measure
    whose unit the text writes (`as_written` gives "2 1/2 years", not pint's base unit "second")."""
    return figure.outcome or figure.noun or ("" if figure.written_unit else figure.unit)


def as_written(figure: Figure) -> str:
    """A figure as the text writes it, with a measure's unit word ("2 1/2 years", "55 km", "$23 million")."""
    return f"{figure.text} {figure.written_unit}" if figure.written_unit else figure.text


def _localised(time: ClockTime, local_offset: int | None) -> ClockTime:
    """A "local time" with the offset of the story's place, when it is known."""
    if time.zone != "local" or local_offset is None:
        return time
    return replace(time, offset=local_offset)


def _time_verdict(time: ClockTime, others: tuple[ClockTime, ...]) -> Verdict | None:
    """None when some clock time of the other side is the same time, else why not.

    Times within `TIME_SLACK` minutes are one time ("about 8.45pm" and "20:49"); a time the other
    side states otherwise contradicts it only when it is said of the same thing (shared words
    before it), not of another moment of the story (polls opening at 8 am, turnout at 4 pm).
    """
    if not others:
        return Verdict(False, reason=f"does not state {time.text}")
    if any(_same_time(time, other) for other in others):
        return None
    comparable = [o for o in others if _time_gap(time, o) is not None]
    said_of_it = [o for o in comparable if time.context & o.context and not (time.bound or o.bound)]
    if said_of_it:
        return Verdict(False, True, "time", f"{_with_utc(time)} vs {_with_utc(said_of_it[0])}")
    if comparable:
        return Verdict(False, reason=f"does not state {time.text}")
    return Verdict(False, reason=f"{time.text} vs {others[0].text}: the zones' offset is not known")


def _time_gap(time: ClockTime, other: ClockTime) -> int | None:
    """Minutes between two clock times (0..720), None when their zones cannot be compared (a local
    time of unknown offset against GMT)."""
    if time.offset is not None and other.offset is not None:
        gap = abs((time.minutes - time.offset) - (other.minutes - other.offset)) % 1440
    elif time.zone == other.zone:
        gap = abs(time.minutes - other.minutes) % 1440
    else:
        return None
    return min(gap, 1440 - gap)


def _same_time(time: ClockTime, other: ClockTime) -> bool:
    """Whether two clock times are one time (within `TIME_SLACK` minutes, zones known)."""
    gap = _time_gap(time, other)
    return gap is not None and gap <= TIME_SLACK


def _with_utc(time: ClockTime) -> str:
    """A time as written, with its UTC time when that is worked out from a local zone ("7:37 AM local
    time (00:37 GMT)")."""
    if time.offset is None or time.zone in ("gmt", "utc", "z") or time.zone in ZONE_OFFSETS:
        return time.text
    minutes = (time.minutes - time.offset) % 1440
    return f"{time.text} ({minutes // 60:02d}:{minutes % 60:02d} GMT)"


def supports(statement: str, sentence: str) -> bool:
    """Whether `sentence` supports `statement`: `check(...).supports`."""
    return check(statement, sentence).supports
