"""The day and the place a clause gives its own event: the slots that modify its main verb.

Reads: a `Claim` (its text, main verb and slots); parses the claim's text with spaCy
(`storyline.nlp.parse`, whose cache the claims stage shares). Writes nothing: `compare` asks it for
the day and the place each of two reports gives one event, to set them against each other
("Saturday (2012-07-07) vs Sunday (2012-07-08)", "in Bern vs in Zurich").
A day or a place counts only when it modifies the clause's main verb itself ("checked in on
Thursday", "fought in Bern"), not a noun ("Friday's semifinal", "games against Carolina") nor another
verb of the sentence ("after spraining his knee at Chicago, Bush was placed ..."): two reports of one
event differ in what else they date and place.
Deterministic; never raises on text.
"""

from __future__ import annotations

import datetime as dt
import re

from storyline import gazetteer, nlp
from storyline.records import Claim, Slot
from storyline.support import MONTH
from storyline.time_expressions import WEEKDAY_NAMES

# A date slot names a day when its words do: a weekday, a word of the day relative to the report, a
# month (with its day: the value says so). "2:56" or "two seconds" read as dates name none.
DAY_WORD = re.compile(r"\b(?:" + "|".join(WEEKDAY_NAMES) + r"|yesterday|today|tomorrow|tonight|" + MONTH + r")\b"
                      r"|\bnext day\b|\bday before\b", re.IGNORECASE)
FULL_DATE = re.compile(r"\d{4}-\d\d-\d\d")
# A night runs past midnight: "late Thursday" / "Thursday night" and "early Friday" / "Friday morning,
# around 1:30 a.m." tell one night, not two days.
LATE = re.compile(r"\b(?:night|late|evening|overnight)\b", re.IGNORECASE)
EARLY = re.compile(r"\b(?:early|morning|overnight|dawn)\b|\b[1-5](?::\d\d)?\s*a\.?m\b", re.IGNORECASE)
# Dependency labels by which a phrase modifies the verb it hangs from (spaCy's English labels): a
# preposition's object hangs from the preposition, a bare "Tuesday" is a noun-phrase adverbial.
MODIFIER = frozenset({"npadvmod", "advmod"})
PLACE_KINDS = (gazetteer.CITY, gazetteer.REGION, gazetteer.COUNTRY)


def event_days(claim: Claim) -> dict[str, str]:
    """The days (ISO date -> the words that give it) of a claim's date slots that name a day and date the
    claim's main verb."""
    found = {}
    for slot in claim.slots:
        value = str(slot.value)
        if slot.kind == "date" and FULL_DATE.fullmatch(value) and DAY_WORD.search(slot.text) \
                and modifies_main_verb(claim, slot):
            found.setdefault(value, slot.text)
    return found


def event_places(claim: Claim) -> dict[str, str]:
    """The places (canonical name -> the words that give it) of a claim's place slots that place its main verb,
    the gazetteer's places only (a city, region or country)."""
    return {str(slot.value): slot.text for slot in claim.slots
            if slot.kind == "place" and gazetteer.kind(str(slot.value)) in PLACE_KINDS and modifies_main_verb(claim, slot)}


def modifies_main_verb(claim: Claim, slot: Slot) -> bool:
    """Whether a slot's words hang from the claim's main verb: directly, or as the object of a preposition
    that does ("on Thursday", "in Bern")."""
    at = claim.text.find(slot.text)
    if at < 0 or not claim.predicate:
        return False
    doc = nlp.parse([claim.text])[0]
    span = doc.char_span(at, at + len(slot.text), alignment_mode="expand")
    if span is None:
        return False
    head = span.root
    while head.dep_ in ("compound", "amod") and head.head is not head:  # "Thursday" of "Thursday night"
        head = head.head
    if head.dep_ == "pobj" and head.head.dep_ == "prep":
        head = head.head
    elif head.dep_ not in MODIFIER:
        return False
    verb = head.head
    return verb.dep_ == "ROOT" and verb.pos_ in ("VERB", "AUX") and verb.lemma_.lower() == claim.predicate


def one_night(earlier: tuple[str, str], later: tuple[str, str], text_earlier: str, text_later: str) -> bool:
    """Whether two days a day apart tell one night: the earlier said late ("Thursday night") and the later
    early ("early Friday", "around 1:30 a.m."), in the words of the slot or of its claim."""
    if (day(later[0]) - day(earlier[0])).days != 1:
        return False
    return bool((LATE.search(earlier[1]) or LATE.search(text_earlier))
                and (EARLY.search(later[1]) or EARLY.search(text_later)))


def day(value: str) -> dt.date:
    """An ISO day as a date."""
    return dt.date.fromisoformat(value)


def as_day(value: str, words: str) -> str:
    """A day for a reader: the words and the date they resolve to ("Saturday (7 July 2012)")."""
    date = day(value)
    return f"{words} ({date.day} {date.strftime('%B')} {date.year})"
