"""Faithfulness check of a brief against the stored sentences it cites.

Reads: a brief as the contract's JSON (`storyline/brief/v1`) and the store.
Writes: a list of `Violation`s; empty means every statement verifies.
A statement verifies when it has citations, every citation resolves to a
stored sentence of one of the brief's sources, its text is taken from its
first cited sentence (after normalising quotes, dashes and spaces, the text,
or each of its parts around an ellipsis in order, occurs there, running on
into the following cited sentences at most), and every other cited sentence
states the same facts in its own words: it shares enough content words, and
by `storyline.support`'s strict rule it states every figure (same subject,
compatible value), direction, clock time and quoted wording of the text with
the same polarity, and no two citations state one fact with different values
(`at_odds`). Trimming is allowed; rewording is not. Deterministic.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from stemming.porter2 import stem

from storyline import statement_parts, support
from storyline.records import Sentence

QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
                        "\u00ab": '"', "\u00bb": '"', "\u2013": "-", "\u2014": "-", "\u2212": "-",
                        "\u00a0": " "})
ELLIPSIS = re.compile(r"\s*(?:\u2026|\.\.\.|\[\u2026\]|\[\.\.\.\])\s*")


@dataclass(frozen=True, slots=True)
class Violation:
    """One statement of a brief that does not verify."""

    where: str
    problem: str

    def message(self) -> str:
        """One line naming the place in the brief and the problem."""
        return f"{self.where}: {self.problem}"


def normalise(text: str) -> str:
    """Fold the differences that do not change wording: quote and dash styles, spaces, case."""
    text = unicodedata.normalize("NFKC", text).translate(QUOTES)
    return re.sub(r"\s+", " ", text).strip().lower()


def squash(text: str) -> str:
    """`normalise` without any whitespace."""
    return re.sub(r"\s+", "", normalise(text))


def supported(text: str, cited: list[str]) -> bool:
    """Whether `text` is taken from the cited sentences: trimmed at most, parts in order.

    The first citation is the sentence the text was taken from: the text must
    start inside it (it may run on into the next cited sentences, as a quote
    over two sentences does). Later citations may be other sources' wordings.
    """
    if not cited:
        return False
    # Spaces are left out of the comparison: consecutive sentences are joined without knowing
    # whether the article had a space between them ("[" + "Putin]" was "[Putin]").
    first = squash(cited[0])
    haystack = squash("".join(cited))
    parts = [squash(normalise(part).strip(" \"'")) for part in ELLIPSIS.split(text)]
    parts = [part for part in parts if part]
    if not parts:
        return False
    position = 0
    for i, part in enumerate(parts):
        found = haystack.find(part, position)
        if found < 0 or (i == 0 and found >= len(first)):
            return False
        position = found + len(part)
    return True


WORD = re.compile(r"[^\W\d_]{3,}|\d[\d,.]*")
# Words too common to show that a cited sentence says what a statement says.
COMMON = frozenset("""the and that this with from for have has had was were are will would been not but
its their they said says also after about into than over more which who what when where while
there then them his her him she our your you all any can could may might one two new""".split())


# A cited sentence must hold at least this share of a statement's content-word stems. A third let in
# cites that state one clause of a longer statement ("part": 443 of the 716 labelled non-supporting
# pairs of bench/gold/support_pairs.jsonl passed, 21 of 509 true ones were lost); half lets in 264 and
# loses 52. 0.6 makes fewer errors of both kinds on the pairs (133 and 106) but loses agreement stated
# in other words ("Biden spoke with Putin for nearly an hour" / "talked with ... for almost one hour";
# "massed 100,000 troops" / "accumulated about 100,000 soldiers"): half is the most that keeps it.
SHARE = 0.5
# A timeline row's text is one source's sentence of a dated event; its other citations date the same event
# in their own words ("Biden spoke with Putin for nearly an hour on Thursday", "During their call on
# December 30, Biden and Putin set the groundwork ..."): each shares a third of its content words (the rows
# stage also asks for the same day and shared words beside the dates, `storyline.timeline.rows`).
EVENT_SHARE = 1 / 3


def content_words(text: str) -> set[str]:
    """The content words of a text (lower case), for the overlap check."""
    return {w for w in WORD.findall(support.as_nobody(normalise(text))) if w not in COMMON}


def shares_content(text: str, sentence: str, share: float = SHARE) -> bool:
    """Whether a cited sentence shares enough content words with the statement to support it.

    A statement cites the sentence it was taken from and the sentences of other
    sources that state the same thing in their own words; each of those must
    share at least `SHARE` of the statement's content words, and at least two: a statement of one
    content word ("There was no reason.") says too little for another sentence to state it too, and
    a sentence that holds a third of a long statement's words states one of its clauses, not all.
    """
    words = content_stems(text)
    common = words & content_stems(sentence)
    return len(common) >= 2 and len(common) >= len(words) * share


@functools.lru_cache(maxsize=65536)
def content_stems(text: str) -> frozenset[str]:
    """The Porter stems of a text's content words: "invades" and "invaded" are one word."""
    return frozenset(stem(word) for word in content_words(text))


def backs(text: str, sentence: str, share: float = SHARE) -> support.Verdict:
    """Whether another source's sentence states what `text` states: its content words (`share` of them,
    `EVENT_SHARE` for a timeline row's event), the strict rule, then the parts of its main clause
    (`storyline.statement_parts`; not for a timeline row's event, which other sources date in a clause
    of their own)."""
    if not shares_content(text, sentence, share):
        return support.Verdict(False, reason="shares too few of its words")
    verdict = support.check(text, sentence)
    if verdict.supports and share >= SHARE:
        missing = statement_parts.unstated(text, sentence)
        if missing is not None:
            return support.Verdict(False, reason=f"does not state {missing!r}")
    return verdict


def at_odds(sentence: str, other: str) -> bool:
    """Whether two cited sentences state one fact with different values (a figure, a direction, a clock
    time, either way round): they cannot both back one statement."""
    return support.check(sentence, other).contradicts or support.check(other, sentence).contradicts


def runs_into(text: str, sentence: str) -> bool:
    """Whether `text` runs on into `sentence`: it holds the sentence's opening (30 characters), or it
    ends with the sentence's opening words (a quote that stops inside the next sentence: "He was
    frustrated. He's not the only one" of "... He's not the only one," he said.)."""
    head = squash(sentence).strip("\"'")[:30]
    flat = squash(text).strip("\"'")
    if head in flat:
        return True
    return any(flat.endswith(head[:k]) for k in range(len(head), 3, -1))


def passage_length(cites: list[str]) -> int:
    """How many leading citations are consecutive sentences of one article (at least 1)."""
    article, _, n = cites[0].rpartition(":")
    length = 1
    for cite in cites[1:]:
        other, _, m = cite.rpartition(":")
        if other != article or not (m.isdigit() and n.isdigit()) or int(m) != int(n) + length:
            break
        length += 1
    return length


def statements(brief: dict[str, Any]) -> Iterator[tuple[str, str, list[str]]]:
    """Every (place, text, cites) a brief asserts."""
    for key in ("summary", "agreed", "single_source"):
        for i, item in enumerate(brief.get(key) or []):
            yield f"{key}[{i}]", item.get("text", ""), list(item.get("cites") or [])
    for i, view in enumerate(brief.get("per_source") or []):
        for j, item in enumerate(view.get("adds") or []):
            yield f"per_source[{i}].adds[{j}]", item.get("text", ""), list(item.get("cites") or [])
    for key in ("conflicts", "wording"):
        for i, conflict in enumerate(brief.get(key) or []):
            for j, item in enumerate(conflict.get("claims") or []):
                yield f"{key}[{i}].claims[{j}]", item.get("text", ""), list(item.get("cites") or [])
    for i, row in enumerate(brief.get("timeline") or []):
        yield f"timeline[{i}]", row.get("event", ""), list(row.get("cites") or [])
    for i, group in enumerate(brief.get("quotes") or []):
        for j, item in enumerate(group.get("variants") or []):
            yield f"quotes[{i}].variants[{j}]", item.get("text", ""), list(item.get("cites") or [])
    for i, update in enumerate(brief.get("updates") or []):
        for j, value in enumerate(update.get("values") or []):
            item = value.get("statement") or {}
            yield f"updates[{i}].values[{j}]", item.get("text", ""), list(item.get("cites") or [])


def verify_brief(brief: dict[str, Any], get_sentence: Callable[[str], Sentence | None],
                 get_article_text: Callable[[str], str | None] | None = None) -> list[Violation]:
    """Check every statement, fact, conflict, timeline row, quote, entity form and entity role of a brief.

    Args:
        brief: the brief's JSON.
        get_sentence: looks up a stored sentence by id (None when absent).
        get_article_text: looks up an article's body by id, for entity forms and roles, each of which
            must occur in the body of every article it lists (optional).
    """
    violations: list[Violation] = []
    if not isinstance(brief, dict) or brief.get("schema") != "storyline/brief/v1":
        return [Violation("brief", "not a storyline/brief/v1 document")]
    sources = {s.get("article") for s in brief.get("sources") or []}
    if not sources:
        violations.append(Violation("sources", "the brief lists no source"))
    for where, text, cites in statements(brief):
        if not text or not text.strip():
            violations.append(Violation(where, "empty text"))
            continue
        if not cites:
            violations.append(Violation(where, f"no citation for {text[:60]!r}"))
            continue
        cited: list[str] = []
        for cite in cites:
            article_id = cite.rpartition(":")[0]
            sentence = get_sentence(cite)
            if sentence is None:
                violations.append(Violation(where, f"citation {cite} does not resolve to a stored sentence"))
            elif article_id not in sources:
                violations.append(Violation(where, f"citation {cite} is not from a source of this brief"))
            else:
                cited.append(sentence.text)
        if cited and len(cited) == len(cites):
            if not supported(text, cited):
                violations.append(Violation(where, f"text not taken from its citations: {text[:80]!r}"))
            # The text's own passage: the first cited sentence and the ones right after it in its
            # article (a quote over three sentences cites all three); every other citation is
            # another wording and must say the same thing on its own.
            passage = passage_length(cites)
            for index, (cite, sentence_text) in enumerate(zip(cites, cited)):
                if index == 0:  # the text was taken from it: `supported` checked that
                    continue
                # A sentence of the passage that the text runs into needs no more checking.
                if index < passage and runs_into(text, sentence_text):
                    continue
                verdict = backs(text, sentence_text, EVENT_SHARE if where.startswith("timeline[") else SHARE)
                if not verdict.supports:
                    violations.append(Violation(
                        where, f"citation {cite} does not state {text[:60]!r} ({verdict.reason})"))
                    continue
                # Two wordings that each state the text may still state one of its facts with two values.
                clash = next((earlier for earlier, earlier_text in zip(cites[:index], cited[:index])
                              if at_odds(sentence_text, earlier_text)), None)
                if clash is not None:
                    violations.append(Violation(
                        where, f"citations {clash} and {cite} state a fact of {text[:60]!r} with different values"))
    if get_article_text is not None:
        for i, entity in enumerate(brief.get("entities") or []):
            for kind in ("forms", "roles"):
                for form in entity.get(kind) or []:
                    if isinstance(form, str):
                        continue  # a role of a brief stored before roles had articles: nothing to check
                    for article_id in form.get("articles") or []:
                        body = get_article_text(article_id)
                        if body is None or normalise(form.get("text", "")) not in normalise(body):
                            violations.append(Violation(
                                f"entities[{i}]",
                                f"{kind[:-1]} {form.get('text')!r} does not occur in article {article_id}"))
    return violations
