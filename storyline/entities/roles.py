"""Roles the parse ties to a person's name, by compound ("White House press secretary Jen Psaki") or
apposition ("Jen Psaki, the White House press secretary")."""

from __future__ import annotations

from collections.abc import Iterator

from storyline import name_keys
from storyline.entities.config import EntityConfig
from storyline.entities.mentions import Found, Parsed, names_in
from storyline.entities.vocabulary import (
    CLAUSE_DEPS, FEMALE_TITLES, HONORIFICS, MALE_TITLES, NOT_ROLE_HEADS, ROLE, ROLE_DEPS)
from storyline.records import Mention


def roles_in(item: Parsed, config: EntityConfig) -> Iterator[tuple[str, Found]]:
    """(person form, role mention) pairs the parse ties together by compound or apposition."""
    doc = item.doc

    def mention(role) -> Found:
        return Found(role.text, item.article,
                      Mention(item.sentence.id, role.start_char, role.end_char, role.text, ROLE))

    for found in names_in(item, config):
        if found.mention.label != "PERSON":
            continue
        span = doc.char_span(found.mention.start, found.mention.end, alignment_mode="expand")
        if span is None:
            continue
        root = span.root
        # "White House press secretary Jen Psaki": modifiers left of the name.
        modifiers = [child for child in root.lefts if child.dep_ in ROLE_DEPS and child.i < span.start]
        # "the deputy Nichols murdered": the name is the subject of a clause that describes the noun before it.
        after = doc[span.end] if span.end < len(doc) else None
        reduced_relative = (after is not None and after.pos_ == "VERB" and root.dep_ not in {"nsubj", "nsubjpass"}
                            and not any(child.dep_ in {"nsubj", "nsubjpass"} for child in after.children))
        if modifiers and not reduced_relative:
            tokens = sorted({token.i for child in modifiers for token in child.subtree if token.i < span.start})
            if tokens and tokens[-1] == span.start - 1:
                role = _role_text(doc, tokens, config)
                if role is not None:
                    yield found.form, mention(role)
        # "Jen Psaki, the White House press secretary": an apposition right after the name (an age aside),
        # set off by a comma, dash or bracket, not a far item of a list ("Nichols, 37, was found guilty of
        # murdering a judge, a court reporter").
        for child in root.children:
            if child.dep_ == "appos" and child.pos_ == "NOUN":
                phrase = _phrase(child, exclude=set())
                between = doc[span.end: phrase[0]]
                if not len(between) or not all(token.is_punct and token.text != ";" or token.like_num
                                               for token in between):
                    continue
                role = _role_text(doc, phrase, config)
                if role is not None:
                    yield found.form, mention(role)
        # "The president of the United States, Joe Biden": the name is the apposition, set off by punctuation.
        if root.dep_ == "appos" and root.head.pos_ == "NOUN" and span.start > 0 and doc[span.start - 1].is_punct \
                and doc[span.start - 1].text != ";":
            role = _role_text(doc, _phrase(root.head, exclude={token.i for token in root.subtree}), config)
            if role is not None:
                yield found.form, mention(role)


def tied_to_name(head) -> bool:
    """Whether a noun is the apposition of a person's name, or has one ("Jen Psaki, the press secretary")."""
    if head.dep_ == "appos" and head.head.ent_type_ == "PERSON":
        return True
    return any(child.dep_ == "appos" and child.ent_type_ == "PERSON" for child in head.children)


def _phrase(head, exclude: set[int]) -> list[int]:
    """Token indexes of a noun phrase without its clauses, appositions and punctuation."""
    tokens = [head.i]
    for child in head.children:
        if child.dep_ in CLAUSE_DEPS or child.i in exclude:
            continue
        tokens.extend(token.i for token in child.subtree if token.i not in exclude)
    return sorted(tokens)


def _role_text(doc, indexes: list[int], config: EntityConfig):
    """The role span of some tokens, or None when they are no role (a name, a clause, not contiguous)."""
    tokens = [doc[i] for i in indexes]
    # A leading article, possessor ("the store's insurer", "Lohan ’ s lawyer") and its "'s" are no part of a role.
    while tokens and (tokens[0].lower_ in name_keys.ARTICLE_WORDS or tokens[0].is_punct
                      or tokens[0].dep_ in {"poss", "case"} or tokens[0].lower_ in {"'s", "’s"}
                      or (tokens[0].lower_ == "s" and tokens[0].i > 0 and doc[tokens[0].i - 1].text in {"'", "’"})):
        tokens = tokens[1:]
    while tokens and tokens[-1].is_punct:
        tokens = tokens[:-1]
    if not tokens or len(tokens) > config.max_role_words:
        return None
    # "Mr." alone is a title, not a role.
    if all(name_keys.plain(token.text) in HONORIFICS for token in tokens):
        return None
    if tokens[-1].i - tokens[0].i + 1 != len(tokens):
        return None
    if any(token.pos_ in {"VERB", "AUX", "PRON"} for token in tokens):
        return None
    head = tokens[-1] if not any(token.dep_ == "prep" for token in tokens) else tokens[0]
    # A role's head is a common noun or a title, not a name or a nationality.
    if head.ent_type_ in {"PERSON", "GPE", "NORP", "LOC", "DATE"} and head.ent_type_ != "":
        return None
    if head.pos_ not in {"NOUN", "PROPN"}:
        return None
    # A place, a building, a body, a group or a part of the body is no role of a person ("Bener Meriah
    # district", "People magazine", "crime family", "knee"); nor is a title with words before it
    # ("29-year-old Mr.", "the elder Mr.": a form of address only, as "Mr." alone; "District Judge" is a role).
    if head.lower_ in NOT_ROLE_HEADS or name_keys.plain(head.text) in MALE_TITLES | FEMALE_TITLES:
        return None
    return doc[tokens[0].i: tokens[-1].i + 1]
