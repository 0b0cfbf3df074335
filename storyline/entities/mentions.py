"""Names found in one parsed sentence: NER spans repaired (cut organisations re-joined, first names
and titles taken along, adverbs and possessives left out) and each mention's type cues."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from storyline import name_keys
from storyline.entities.config import EntityConfig
from storyline.entities.type_evidence import type_cues
from storyline.entities.vocabulary import BODY_LABELS, HONORIFICS, NAMED_THING_HEADS, PLACE_LABELS, TITLES
from storyline.records import Mention, Sentence


@dataclass(frozen=True, slots=True)
class Parsed:
    """A sentence with its parse."""

    article: str
    sentence: Sentence
    doc: object


@dataclass(frozen=True, slots=True)
class Found:
    """A name found in a sentence: the form (cleaned text), its span and label."""

    form: str
    article: str
    mention: Mention
    titled: str = ""  # the name with the title the text puts before it ("President Biden"), if any
    cues: tuple[str, ...] = ()  # what the words around the mention say of its type (TITLE, SAID, PLACE_NOUN, IN)


def names_in(item: Parsed, config: EntityConfig) -> Iterator[Found]:
    """The names NER finds in one parsed sentence, with spans repaired and text cleaned."""
    doc = item.doc
    spans = [(ent.start, ent.end, ent.label_) for ent in doc.ents if ent.label_ in config.labels]
    spans = _join_cut_organisations(doc, spans)
    spans = _join_first_names(doc, spans)
    spans = [_extend_surname(doc, start, end, label) for start, end, label in spans]
    spans = [_extend_over_compound(doc, start, end, label) for start, end, label in spans]
    spans = [(_extend_over_modifiers(doc, start, end) if label in BODY_LABELS else start, end, label)
             for start, end, label in spans]
    spans = [(start, end, "PERSON" if end - start >= 2 and doc[start].is_title
              and name_keys.plain(doc[start].text) in HONORIFICS else label) for start, end, label in spans]
    # A person name extended over a first name NER tagged apart takes that token.
    people = {start: _extend_first_name(doc, start, end) for start, end, label in spans if label == "PERSON"}
    taken = {index for start, extended in people.items() for index in range(extended, start)}
    for start, end, label in spans:
        if label != "PERSON" and (taken & set(range(start, end)) or name_keys.plain(doc[end - 1].text) in TITLES):
            continue  # a first name of a person, or a role NER read as a name ("Kremlin Spokesman")
        title_start = start
        if label == "PERSON":
            start = title_start = _extend_over_titles(doc, people[start], end)
            while start < end - 1 and _is_title(doc[start], end - start - 1):
                start += 1
        has_title = title_start < start  # a leading "the" is no title: "the Betty Ford Center" is no form
        # A leading article, or a sentence adverb NER took along ("Ironically Nichols"), is no part of a name.
        while start < end and (doc[start].lower_ in name_keys.ARTICLE_WORDS or doc[start].is_punct
                               or (end - start > 1 and doc[start].dep_ in {"advmod", "cc", "intj", "mark"}
                                   and not start <= doc[start].head.i < end)):
            start += 1
        # A closing bracket, a possessive or a preposition NER took along ("Thompson in") is no part of a name.
        while end > start and ((doc[end - 1].is_punct and doc[end - 1].text != ".")
                               or doc[end - 1].lower_ in {"'s", "’s"}
                               or (doc[end - 1].is_lower and doc[end - 1].pos_ in {"ADP", "CCONJ", "DET"})):
            end -= 1
        if end <= start:
            continue
        span = doc[start:end]
        text = span.text
        # A name has a capital letter (not "doesn", "berserk") and is no web address.
        if not any(character.isupper() for character in text) or "://" in text or text.lower().startswith("www."):
            continue
        # "President Biden" stays a form of its own; "U.S. President Joe Biden" is a role and a name.
        titled = doc[title_start:end].text if has_title and not _part_of_role(doc, title_start) else ""
        yield Found(text, item.article, Mention(item.sentence.id, span.start_char, span.end_char, text, label),
                     titled, type_cues(doc, start, end, has_title))


def _join_cut_organisations(doc, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Re-join "Organization for Security and Co-operation" + "in" + "Europe" that NER cut in two."""
    result: list[tuple[int, int, str]] = []
    index = 0
    while index < len(spans):
        start, end, label = spans[index]
        if (label == "ORG" and index + 1 < len(spans) and any(token.is_lower for token in doc[start:end])
                and end < len(doc) and doc[end].lower_ in {"in", "of", "for"}
                and spans[index + 1][0] == end + 1 and spans[index + 1][2] in PLACE_LABELS):
            result.append((start, spans[index + 1][1], label))
            index += 2
            continue
        result.append((start, end, label))
        index += 1
    return result


def _join_first_names(doc, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Join a one-word person name and the capitalised word right after it NER labelled apart ("Chris" + "Byrd")."""
    result: list[tuple[int, int, str]] = []
    for start, end, label in spans:
        if result:
            last_start, last_end, last_label = result[-1]
            if (last_label == "PERSON" and last_end - last_start == 1 and start == last_end and end - start == 1
                    and label != "PERSON" and doc[start].is_title and doc[start].is_alpha):
                result[-1] = (last_start, end, "PERSON")
                continue
        result.append((start, end, label))
    return result


def _extend_surname(doc, start: int, end: int, label: str) -> tuple[int, int, str]:
    """Extend a one-word person name over the capitalised surname NER left out ("Chris" of "beating Chris
    Byrd"): the given name is a compound of a proper noun right after it, in no other name, no title and
    no noun of places, buildings or bodies ("Trump Tower")."""
    if label != "PERSON" or end - start != 1 or end >= len(doc):
        return start, end, label
    after = doc[end]
    if (doc[start].dep_ == "compound" and doc[start].head.i == end and after.pos_ == "PROPN" and after.is_title
            and after.is_alpha and after.ent_iob_ == "O" and name_keys.plain(after.text) not in TITLES
            and after.lower_ not in NAMED_THING_HEADS):
        return start, end + 1, label
    return start, end, label


def _extend_over_compound(doc, start: int, end: int, label: str) -> tuple[int, int, str]:
    """Extend a name NER cut inside a capitalised compound ("NATO" of "NATO-Russia Council").

    The name's last token modifies a capitalised head to its right through a
    chain of compounds made only of capitalised words outside other names and
    hyphens; the whole compound names a body, so a place or nationality becomes ORG.
    """
    if label == "PERSON":
        return start, end, label
    last = end - 1
    while doc[last].dep_ == "compound" and doc[last].head.i > last:
        head = doc[last].head.i
        between = doc[last + 1: head + 1]
        if not all(token.text in {"-", "–"} or (token.ent_iob_ == "O" and (token.is_title or token.is_upper)
                                                 and token.is_alpha and name_keys.plain(token.text) not in TITLES)
                   for token in between):
            break
        last = head
    if last == end - 1:
        return start, end, label
    return start, last + 1, "ORG" if label in PLACE_LABELS | {"NORP"} else label


def _extend_over_modifiers(doc, start: int, end: int) -> int:
    """Extend the name of a body or thing left over capitalised words NER left out that modify it as one
    name ("Internet" of "Internet Explorer"): proper nouns in a compound with a word of the name, in no
    other name, no title and no sentence adverb."""
    while start > 0:
        before = doc[start - 1]
        if not (before.pos_ == "PROPN" and before.dep_ == "compound" and start <= before.head.i < end
                and before.is_title and before.is_alpha and before.ent_iob_ == "O"
                and name_keys.plain(before.text) not in TITLES and not before.lower_.endswith("ly")):
            break
        start -= 1
    return start


def _extend_over_titles(doc, start: int, end: int) -> int:
    """Extend a person name left over the titles that open it ("President" of "President Biden").

    An abbreviation in capitals is a title only right before the name ("GM Theo Epstein"); before another
    title it opens a role ("TDCJ Inspector General John Moriarty", "NYPD Commissioner Raymond Kelly")."""
    name_start = start
    while start > 0 and (doc[start - 1].is_title or doc[start - 1].is_upper) and (
            name_keys.plain(doc[start - 1].text) in TITLES or start == name_start
            and _is_title(doc[start - 1], end - start)):
        start -= 1
    return start


def _is_title(token, words_after: int) -> bool:
    """Whether a word before `words_after` words of a person's name is a title: a capitalised word of TITLES
    ("President"), or an abbreviation in capitals before a first name and a surname ("GM Theo Epstein", "COO")."""
    if name_keys.plain(token.text) in TITLES:
        return True
    return words_after >= 2 and token.is_alpha and token.is_upper and 2 <= len(token.text) <= 4


def _part_of_role(doc, title_start: int) -> bool:
    """Whether a title ends a longer role: a capitalised word before it ("U.S. President", "Foreign Minister")."""
    if title_start == 0:
        return False
    before = doc[title_start - 1]
    return before.text[:1].isupper() and any(character.isalpha() for character in before.text)


def _extend_first_name(doc, start: int, end: int) -> int:
    """Extend a one-word person name over a capitalised first name NER left out ("Yury Ushakov")."""
    if end - start != 1 or start == 0:
        return start
    before = doc[start - 1]
    # A sentence adverb opening the sentence is no first name ("Ironically Nichols had offered ...").
    opens = before.i == 0 or doc[before.i - 1].is_punct
    if opens and before.lower_.endswith("ly"):
        return start
    if (before.dep_ == "compound" and before.head.i == start and before.pos_ == "PROPN" and before.is_title
            and name_keys.plain(before.text) not in TITLES
            and before.ent_type_ not in {"GPE", "NORP", "LOC", "PERSON"}):
        return start - 1
    return start
