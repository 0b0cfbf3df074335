"""The parts of a statement's main clause a cited sentence must state besides its words and facts.

Reads: a statement and a sentence cited for it (text); parses both with spaCy (`storyline.nlp.parse`,
the process's shared parse cache). Writes: the first part of the statement the sentence does not
state, or None (`unstated`; `verbs_unstated`, the verbs of its main clauses, for claims that join).
Deterministic.

A cite that holds half of a statement's content words (`storyline.verify.shares_content`) and states
its figures, days and names (`storyline.support.check`) may still state only part of it: one of two
clauses ("... settling in at Morningside Recovery and argued that the actress should be allowed to
stay"), without the way or the place ("was abroad promoting the film", "pulled him over a few blocks
away"), or the time ("earlier this week"). These hang on the main verb of the statement (past a verb
of saying, the verb of what was said); each must be found in the cite by its word, its lemma or their
Porter stem. What a faithful rewording changes is left to the word share: the verb's subject, agent,
object and prepositional phrases ("killed" / "died", "troops" / "soldiers", "placed on injured reserve
by the New Orleans Saints" / "was placed on injured reserve"; requiring them lost as many true supports
as false ones they caught, bench/support_gold.py), an adverb before the subject that links the sentence
to the one before ("Meantime", "Overall"), and adverbs that only place the sentence in the story
("also", "now", "recently").
"""

from __future__ import annotations

import re

from stemming.porter2 import stem

from storyline import nlp
from storyline.compare import SPEECH_VERBS

# Adverbs that place a clause in the story rather than say how, where or when it happened (a time relative to
# the report, "recently", "earlier", is told by a dated cite in its own words).
LIGHT_ADVERBS = frozenset("""also then now still just already even only again so too as here there later not n't never
ago when where how why however yet well first recently earlier previously lately soon currently""".split())
TIME_LABELS = frozenset({"DATE", "TIME"})
# A day ("Saturday", "today", "Saturday morning"): `storyline.support.check` reads it (a report's "today" may be
# a statement's Saturday).
DAY = re.compile(r"(?:mon|tues|wednes|thurs|fri|satur|sun|to|yester)day|tonight|tomorrow", re.IGNORECASE)


def main_verbs(doc) -> list:
    """The verbs of a parse's main clauses: each root (past a verb of saying, the clause said) and the
    verbs joined to it ("was shot and killed")."""
    verbs = []
    for root in (token for token in doc if token.dep_ == "ROOT"):
        verb = root
        if verb.lemma_.lower() in SPEECH_VERBS:
            said = [child for child in verb.children if child.dep_ == "ccomp"]
            if said:
                verb = said[0]
        verbs.append(verb)
        verbs.extend(child for child in verb.children if child.dep_ == "conj" and child.pos_ in ("VERB", "AUX"))
    return verbs


def needed(doc) -> list:
    """The words of a statement's main clauses a cite must state (see the module docstring)."""
    words = []
    for verb in main_verbs(doc):
        if verb.dep_ == "conj":
            words.append(verb)
        subjects = [child.i for child in verb.children if child.dep_ in ("nsubj", "nsubjpass")]
        for child in verb.children:
            if child.dep_ == "acomp":
                words.append(child)
            elif child.dep_ == "advmod":
                if child.lemma_.lower() in LIGHT_ADVERBS or (subjects and child.i < min(subjects)):
                    continue
                words.append(child)
            elif child.dep_ == "npadvmod" and child.ent_type_ in TIME_LABELS \
                    and not any(DAY.fullmatch(t.text) for t in child.subtree):
                words.append(child)
    # A word of one letter is a tokenizer's piece ("team ’ s" gives a verb "s"), not a part of the clause.
    return [w for w in words if not w.is_stop and w.pos_ not in ("PRON", "DET", "NUM", "PUNCT") and len(w.text) > 1]


def _forms(token) -> set[str]:
    text, lemma = token.text.lower(), token.lemma_.lower()
    return {text, lemma, stem(text), stem(lemma)}


def unstated(statement: str, sentence: str) -> str | None:
    """The first word of `statement`'s main clauses (`needed`) that `sentence` does not state in any
    form, None when it states them all."""
    own, theirs = nlp.parse([statement, sentence])
    stated = _stated(theirs)
    for word in needed(own):
        if not _forms(word) & stated:
            return word.text
    return None


def _stated(doc) -> set[str]:
    """Every form (`_forms`) of every word of a parse."""
    stated: set[str] = set()
    for token in doc:
        if not (token.is_punct or token.is_space):
            stated |= _forms(token)
    return stated


def verbs_unstated(statement: str, sentence: str) -> str | None:
    """The first verb of `statement`'s main clauses (`main_verbs`, with the verbs of the clauses each
    governs: "allows Congress to review", "tried to storm") that `sentence` does not state in any form,
    None when it states them all. A verb of no content ("be", "have", "become") is no part of it."""
    own, theirs = nlp.parse([statement, sentence])
    stated = _stated(theirs)
    for verb in main_verbs(own):
        governed = [child for child in verb.children if child.dep_ in ("xcomp", "ccomp") and child.pos_ == "VERB"]
        for word in [verb, *governed]:
            if not word.is_stop and not _forms(word) & stated:
                return word.text
    return None
