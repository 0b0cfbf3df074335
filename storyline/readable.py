"""Whether a piece of a sentence reads alone: the rule the brief's statements and the timeline's events share.

A reader takes a statement or a timeline event without its sentence around it, so a piece of a sentence
is shown only when it reads as a sentence of its own: it starts where a clause starts (its sentence's
start, after a semicolon or a colon, or after a comma and a joining word: "..., and police said ..."),
opens with a capital, a figure or a quote mark, and closes every quote it opens. Otherwise the whole
sentence is shown, or nothing. (A timeline event, cut at both ends, is the clause the parse gives:
`TimeExpression.clause`.)

Pure functions of text.
"""

from __future__ import annotations

import re

# A title or an initial before the full stop means the sentence splitter cut a name ("... and Sgt."); so does
# "a.m." / "p.m.", where it cuts "around 1:30 a.m., the actress checked in" after "a.m.".
ABBREVIATION_END = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Sgt|Gov|Gen|Lt|Col|Capt|Rep|Sen|St|Mt|Prof|Rev|Cpl|Maj|Adm|Det|"
                              r"Insp|Supt|Cmdr|Pres|Gens|Sens|Reps|Const|Cst|Cpt|Pte|Pvt|Spc|Sgts|Fr|Hon|Atty|Dep|Cdr|Brig|"
                              r"No|(?<!\.)[A-Z]|[ap]\.m)\.$")
# What a clause that reads as a sentence of its own follows inside its sentence: a semicolon, or a comma and
# a joining word ("..., and Police said 12 were injured").
CLAUSE_START = re.compile(r"(?:;|[,—–-]\s*(?:and|but|or|while|as|although|though|whereas|so|yet))\s*$")
# A semicolon or a colon right before a clause: what follows is a clause of its own, whatever its case.
AFTER_STOP = re.compile(r"[;:]\s*$")


def is_whole(text: str) -> bool:
    """Whether a text reads as a whole sentence: it opens and closes like one (`opens_and_closes`) and
    ends on a full stop (or ! ?), not after an abbreviation ("Sgt.")."""
    text = text.strip()
    return (opens_and_closes(text) and bool(re.search(r"[.!?][”\"’']?$", text))
            and not ABBREVIATION_END.search(text.rstrip("”\"’'")))


def opens_and_closes(text: str) -> bool:
    """Whether a text opens like a sentence (a capital, a figure or a quote mark first) and closes every
    double quote it opens."""
    if not text or not (text[0].isupper() or text[0].isdigit() or text[0] in "\"“‘'"):
        return False
    return text.count("“") == text.count("”") and text.count('"') % 2 == 0


def starts_alone(text: str, sentence: str) -> str | None:
    """`text` as it reads alone when it starts a clause of `sentence` (see the module) and opens and closes
    like a sentence, else None. After a semicolon or a colon its first letter is made a capital."""
    text = text.strip()
    at = sentence.find(text)
    after_stop = at > 0 and bool(AFTER_STOP.search(sentence[:at]))
    if not (at <= 0 or after_stop or CLAUSE_START.search(sentence[:at])):
        return None
    if text[:1].islower() and after_stop:
        text = text[0].upper() + text[1:]
    return text if opens_and_closes(text) else None

