"""An entity's type from evidence: the cues the words around each mention give (`type_cues`), and
the type all of an entity's mentions, their NER labels and the gazetteer make (`entity_type`)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from storyline import gazetteer, name_keys
from storyline.entities.vocabulary import (
    AT, AT_PREPOSITIONS, BODY, BODY_NOUNS, FAC_HEADS, FACILITY, FACILITY_NOUNS, IN, MODEL, NOT_VERSIONS, ORG_HEADS,
    PERSON_TITLES, PLACE_LABELS, PLACE_NOUN, PLACE_NOUNS, PLACE_PREPOSITIONS, PRODUCT_NOUNS, SAID, SPEECH_AFTER,
    SPEECH_BEFORE, THE, TITLE, VERSION, VERSION_NOUNS, VESSEL_PREFIXES)

_RANK = re.compile(r"(?:\b[Nn]o\.?|#|\b[Nn]umber)\s*$")


def type_cues(doc, start: int, end: int, titled: bool) -> tuple[str, ...]:
    """What the words around tokens start..end say of the type of the name there.

    TITLE: a personal title opens it ("Mr. Nichols", "Judge Bodiford"). SAID: it
    speaks ("Fauzi said", "said Fauzi"). PLACE_NOUN: a place noun follows it
    ("Exarchia district") or it follows "the <place noun> of" ("the capital of X").
    IN: it follows "in", "near" or "outside" and is no possessive. MODEL: a number
    (no rank: "No. 9") modifies it, or a noun of made things stands beside it ("a
    .357 Magnum", "Magnum handgun", "the warship INS Mysore"). THE: "the" opens it
    and it heads its phrase or owns it ("the Bluejays", "the Eagles' practice squad", not "the Obama
    administration").
    """
    cues = []
    before = doc[start - 1] if start > 0 else None
    after = doc[end] if end < len(doc) else None
    if titled or (before is not None and before.text[:1].isupper()
                  and name_keys.plain(before.text) in PERSON_TITLES):
        cues.append(TITLE)
    if (after is not None and after.lower_ in SPEECH_AFTER) or (before is not None and before.lower_ in SPEECH_BEFORE):
        cues.append(SAID)
    if after is not None and after.is_lower and after.lower_ in PLACE_NOUNS:
        cues.append(PLACE_NOUN)
    elif start >= 2 and before.lower_ == "of" and doc[start - 2].lower_ in PLACE_NOUNS:
        cues.append(PLACE_NOUN)
    if before is not None and before.lower_ in PLACE_PREPOSITIONS and (
            after is None or after.lower_ not in {"'s", "’s", "'", "’"}):
        cues.append(IN)
    # A number that counts or models the thing the name is part of ("a .357 Magnum handgun"), not a rank
    # before it ("No. 9 Drake"), a date or a time.
    if (before is not None and before.pos_ == "NUM" and before.dep_ == "nummod"
            and before.ent_type_ not in {"DATE", "TIME"} and not _RANK.search(doc.text[:before.idx])) or any(
            word is not None and word.is_lower and word.lower_ in PRODUCT_NOUNS for word in (before, after)):
        cues.append(MODEL)
    # A version of a made thing: a number right after the name ("IE 7", "Internet Explorer 5.01"), not a
    # score, a share, a date or a sum; or a noun of versions before "of" it or after it ("versions of IE").
    if after is not None and re.fullmatch(r"\d{1,2}(?:\.\d+)*", after.text) and after.ent_type_ not in NOT_VERSIONS \
            and (end + 1 >= len(doc) or doc[end + 1].text not in {"-", "–", "%", "percent", ":"}):
        cues.append(VERSION)
    elif (start >= 2 and before.lower_ == "of" and doc[start - 2].lower_ in VERSION_NOUNS
          and (after is None or after.lower_ not in {"'s", "’s"})) or (
            after is not None and after.lower_ in VERSION_NOUNS and after.pos_ == "NOUN"):
        cues.append(VERSION)
    # A body: a noun only bodies have after it, with or without "'s", or before "of" it ("Verisign's
    # customers", "shares of Verisign"), or the name of another body or product it owns ("Verisign's iDefense").
    owned = doc[end + 1] if after is not None and after.lower_ in {"'s", "’s"} and end + 1 < len(doc) else after
    owns_a_body = owned is not None and owned is not after and (
        owned.ent_type_ in {"ORG", "PRODUCT"} or owned.pos_ == "PROPN" and owned.head.i > owned.i
        and owned.head.lower_ in ORG_HEADS)
    if (owned is not None and owned.lower_ in BODY_NOUNS or owns_a_body
            or start >= 2 and before.lower_ == "of" and doc[start - 2].lower_ in BODY_NOUNS):
        cues.append(BODY)
    # A noun of buildings after the name, or ending the compound it opens, in a phrase "a" does not open: the
    # name is the building's ("Pagliarelli prison", "the Cliffside rehab centre"; not "a Malibu rehab facility").
    phrase = []
    if after is not None and doc[end - 1].dep_ == "compound" and doc[end - 1].head.i >= end:
        phrase = [token for token in doc[end: doc[end - 1].head.i + 1] if token.is_lower]
    if phrase and any(token.lower_ in FACILITY_NOUNS for token in phrase) and not any(
            child.lower_ in {"a", "an"} for child in phrase[-1].children if child.dep_ == "det"):
        cues.append(FACILITY)
    if before is not None and before.lower_ in AT_PREPOSITIONS and (
            after is None or after.lower_ not in {"'s", "’s", "'", "’"}):
        cues.append(AT)
    # "the Bluejays", "the Morningside": a determiner before the head of a noun phrase; not "the Obama
    # administration", where the name modifies another noun.
    # "the Eagles' practice squad": a possessive whose determiner is its own.
    if before is not None and before.lower_ == "the" and (
            doc[end - 1].dep_ not in {"compound", "amod", "nmod", "poss"}
            or doc[end - 1].dep_ == "poss" and before.head.i == end - 1):
        cues.append(THE)
    return tuple(cues)


def reads_as_a_name(text: str) -> bool:
    """Whether a form reads as a person's full name: two or three capitalised words, no place the gazetteer
    knows and no organisation or facility noun at its end."""
    words = text.split()
    return (2 <= len(words) <= 3 and all(word[:1].isupper() and word.replace("-", "").isalpha() for word in words)
            and not head_type(text) and not gazetteer.kind(text))


def head_type(text: str) -> str:
    """ORG or FAC when a name of several words ends in an organisation or facility noun ("Surrey Police"), a
    place after "in" aside ("Cliffside Rehab Center in Malibu")."""
    text = text.rsplit(" in ", 1)[0] if " in " in text else text
    words = name_keys.words(text)
    if len(words) < 2 or not text.split()[-1][:1].isupper():
        return ""
    if words[-1] in ORG_HEADS:
        return "ORG"
    if words[-1] in FAC_HEADS:
        return "FAC"
    return ""


def entity_type(votes: Counter, cues: Counter, names: Sequence[str]) -> str:
    """An entity's type from its NER labels, the cues around its mentions and a gazetteer.

    In order: a name labelled a person is a product when a ship's prefix opens
    it; a personal title that is not outweighed by place nouns makes a person;
    a name written with and without a version number ("IE" / "IE6") is a
    product unless labelled a body or an event; a name labelled a person is none
    when a word of it has a digit or a model
    cue stands by half its mentions (the label its other mentions get, else a
    product with a model cue, an organisation without), or "the" opens a third
    of its mentions and it speaks less often (the other label, else an
    organisation: a team, a band); a name in the plural "the" opens as often
    as that, labelled a person, a town or a product, is an organisation ("the
    Chargers", "the Eagles' practice squad") unless the gazetteer knows it;
    a noun of buildings after a third of its mentions ("Pagliarelli
    prison"), or "at"/"into" before a name labelled a person ("checked into
    Morningside"), more often than place, title and speech cues, makes a
    facility; a name ending in an organisation or
    facility noun makes that; a name the gazetteer knows is a place (GPE; LOC
    for a continent) when the place evidence (mentions labelled a place, place
    nouns, "in X") is at least half the mentions labelled otherwise and
    outweighs "X said" and titles (a surname that is also a town, Boston the
    team, stay); place nouns around an unknown name make a GPE; a place or
    nationality label on a name that speaks more than it is "in" anything is a
    person's; otherwise the label most mentions get. A nationality before a
    place noun ("the French capital") is no place evidence.
    """
    label = majority(votes)
    place_votes = sum(votes[place] for place in PLACE_LABELS)
    nouns = cues[PLACE_NOUN] if label != "NORP" else 0
    places = nouns + cues[IN]
    # A ship ("INS Mysore") is no person, though the name alone may follow a title-like word once.
    if label == "PERSON" and any(name.split()[0] in VESSEL_PREFIXES for name in names if " " in name):
        return "PRODUCT"
    if cues[TITLE] > cues[PLACE_NOUN]:
        return "PERSON"
    # A name written with and without a version number ("IE" / "IE6", "Windows" / "Windows 8.1") is a made
    # thing's: only made things come in versions.
    if label not in {"ORG", "EVENT"} and versioned(names):
        return "PRODUCT"
    # A name with a digit in it ("NBC10"), a model number or a noun of made things beside half its mentions
    # ("a .357 Magnum handgun") names no person; nor does a name "the" opens in a third of its mentions
    # ("the Bluejays": a team). 1/2 and 1/3: bench/entity_types.py --ecbplus, tune topics.
    if label == "PERSON" and (any(character.isdigit() for name in names for character in name)
                              or 2 * (cues[MODEL] + cues[VERSION]) >= sum(votes.values())):
        if cues[VERSION] >= 2 and 2 * cues[VERSION] >= sum(votes.values()):
            return "PRODUCT"  # "Firefox 2", "versions of Firefox"
        others = Counter({kind: n for kind, n in votes.items() if kind != "PERSON"})
        return majority(others) or ("PRODUCT" if cues[MODEL] else "ORG")
    # A name in one word that owns a body or a noun only bodies have ("Verisign's iDefense group", "shares of
    # X") more often than it has a title or speaks is a company's, not a person's.
    if label == "PERSON" and cues[BODY] > cues[TITLE] + cues[SAID] and all(" " not in name for name in names):
        return majority(Counter({kind: n for kind, n in votes.items() if kind != "PERSON"})) or "ORG"
    if label == "PERSON" and 3 * cues[THE] >= sum(votes.values()) and cues[THE] > max(cues[SAID], 1):
        return majority(Counter({kind: n for kind, n in votes.items() if kind != "PERSON"})) or "ORG"
    # A name in the plural that "the" opens as often ("the Chargers", "the Eagles' practice squad", "the
    # Seahawks") names a group of people, a team or a band, not a person, a town or a thing, unless the
    # gazetteer knows it (the Philippines).
    if label in {"PERSON", "GPE", "PRODUCT"} and names and all(map(_plural, names)) \
            and 3 * cues[THE] >= sum(votes.values()) and cues[THE] > cues[SAID] \
            and not any(gazetteer.kind(name) for name in names):
        return "ORG"
    # A noun of buildings after a third of its mentions, more often than "in X", a place noun, a title or "X
    # said", makes a name a building's ("Pagliarelli prison", "Malibu's Cliffside resort"); so does "at X" or
    # "into X" for a name NER reads as a person's that never speaks ("checked into Morningside").
    # Twice at least: once is thin ("ran into Jean", "the Hennepin County jail" beside its attorney's office).
    facility = cues[FACILITY] + (cues[AT] if label == "PERSON" else 0)
    if label not in {"ORG", "NORP"} and facility >= 2 and 3 * facility >= sum(votes.values()) \
            and facility > cues[IN] + cues[PLACE_NOUN] + cues[TITLE] + cues[SAID]:
        return "FAC"
    heads = Counter(head for head in map(head_type, names) if head)
    if heads:
        return majority(heads)
    # A body that comes in versions ("IE 7", "versions of Internet Explorer") in a sixth of its mentions, more
    # often than it speaks, is a made thing: 1/6, bench/entity_types.py --ecbplus, tune topics.
    if label not in {"PERSON", "PRODUCT"} and cues[VERSION] >= 2 and 6 * cues[VERSION] >= sum(votes.values()) \
            and cues[VERSION] > cues[SAID]:
        return "PRODUCT"
    kinds = {gazetteer.kind(name) for name in names}
    evidence = place_votes + places
    # At least half the mentions labelled otherwise: Surrey (7 PERSON, 5 "in"), Ashgabat (4 PERSON, 3 places,
    # 1 "in") are places; Jackson (52 PERSON, 2 GPE), the Colts (109 ORG, 2) are not (bench/entity_types.py).
    weighty = 2 * evidence >= sum(votes.values()) - place_votes and evidence > cues[SAID] + cues[TITLE]
    if names and "" not in kinds and (label in PLACE_LABELS or weighty):
        return "LOC" if kinds == {gazetteer.CONTINENT} else "GPE"
    if nouns > cues[SAID] and weighty and label not in PLACE_LABELS | {"NORP"}:
        return "GPE"
    if label in PLACE_LABELS | {"NORP"} and cues[SAID] > places and (label != "NORP" or votes["PERSON"]):
        return "PERSON"
    return label



VERSIONED = re.compile(r"(.*[A-Za-z].*?)\s?(\d{1,2}(?:\.\d{1,2})*)")


def version_base(name: str) -> str:
    """The name a versioned name is a version of ("IE" of "IE6", "Windows" of "Windows 8.1"), else ""."""
    match = VERSIONED.fullmatch(name)
    return match.group(1).strip() if match else ""


def versioned(names: Sequence[str]) -> bool:
    """Whether a name of the list is another name of it with a version number after it."""
    keys = {name_keys.joined_key(name) for name in names}
    return any(version_base(name) and name_keys.joined_key(version_base(name)) in keys for name in names)


def _plural(name: str) -> bool:
    """Whether a name ends in a plural noun: its last word ends in "s" after a letter that makes no singular
    ending ("Chargers", "Bucs"; not "Davis", "Cactus", "Congress")."""
    last = name.split()[-1] if name.split() else ""
    return len(last) >= 4 and last[:1].isupper() and last.endswith("s") and last[-2] not in "siu'’"


def majority(labels: Counter) -> str:
    if not labels:
        return ""
    return min(labels, key=lambda label: (-labels[label], label))
