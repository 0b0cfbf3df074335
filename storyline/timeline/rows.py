"""Build a story's timeline from the resolved time expressions of its articles.

A row is one dated event: a sentence (or the clause of it that holds the date,
or the noun phrase that names it, when that reads alone: `_event_texts`; a
reader sees the event without its sentence) and every sentence of the story,
from any article, that gives the same date
and states the same thing in its own words. "The same thing" is the rule the
brief's faithfulness check applies to a citation (`storyline.verify.backs`:
a cited sentence shares at least a third of the event text's content words,
and at least two), so every row verifies as it stands. Sentences of one date
that do not meet it make rows of their own.

Reports of one event dated at different precision share a row too ("January
9-10", "Sunday and Monday", "the week of Jan. 10"): both dates span at most a
week (`TimelineConfig.merge_days`), the dates of all of a row's sentences
overlap, and besides the rule above each shares with the event text a word
outside its time expressions (a date alone never makes two reports one
event). The row takes the most precise date of its sentences.

Dated rows are sorted by the first day of their date, a coarser date first
when two start together ("2014" before "2014-03"), then by the text. A sentence
whose time expression could not be resolved ("three days after" with nothing
to count from, a weekday in an undated article) makes an undated row (date "",
granularity "undated"); the undated rows form a list of their own after every
dated row, in the order of their articles and sentences, never mixed into the
dated ones. Sentences without a time expression make no row. A copy (an article
with `duplicate_of`) adds its citations to rows that other texts make and no
row of its own.

Deterministic and independent of the order of the articles: positions count
articles in id order.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Sequence

from storyline.readable import opens_and_closes
from storyline.records import Article, Sentence, TimeExpression, TimelineRow
from storyline.timeline.expressions import _COARSENESS, find_story_time_expressions, interval
from storyline.verify import EVENT_SHARE, backs, content_words

UNDATED = "undated"
_DASH = re.compile(r"\s[—–-]\s|—")


@dataclass(frozen=True, slots=True)
class TimelineConfig:
    """Knobs of `build_timeline`.

    clause_words: fewest content words besides its date a clause or a noun
      phrase needs to be an event text (fewer reads as a bare date: "on Sunday").
    undated: whether sentences with an unresolved time expression make rows.
    merge_days: reports of one event dated at different precision (a day, a
      range, a week) share a row when each date spans at most this many days.
    """

    clause_words: int = 4
    undated: bool = True
    # 7: a week or a range of days may be the same event as a day inside it; a month or a
    # year says too little to tell one event of it from another.
    merge_days: int = 7


def build_timeline(articles: Sequence[Article], nlp=None,
                   config: TimelineConfig = TimelineConfig()) -> tuple[TimelineRow, ...]:
    """Return the timeline of one story: its events with resolved dates and all their sources, in order.

    Args:
        articles: the story's articles (any order).
        nlp: a spaCy pipeline with tagger, parser and NER (the shared English one when None).
        config: see `TimelineConfig`.
    """
    ordered = sorted(articles, key=lambda a: a.id)
    expressions = [e for found in find_story_time_expressions(ordered, nlp).values() for e in found]
    return rows_from_expressions(ordered, expressions, config)


def rows_from_expressions(articles: Sequence[Article], expressions: Sequence[TimeExpression],
                          config: TimelineConfig = TimelineConfig()) -> tuple[TimelineRow, ...]:
    """The timeline of `articles` from their already resolved time expressions (see `build_timeline`)."""
    ordered = sorted(articles, key=lambda a: a.id)
    sentences: dict[str, Sentence] = {s.id: s for a in ordered for s in a.sentences}
    position = {s.id: (i, s.n) for i, a in enumerate(ordered) for s in a.sentences}
    by_value: dict[str, dict[str, TimeExpression]] = defaultdict(dict)
    unresolved: dict[str, TimeExpression] = {}
    for expression in sorted(expressions, key=lambda e: (position.get(e.sentence_id, (-1, -1)), e.start)):
        if expression.sentence_id not in sentences:
            continue
        if expression.value:
            by_value[expression.value].setdefault(expression.sentence_id, expression)
        else:
            unresolved.setdefault(expression.sentence_id, expression)
    date_words: dict[str, set[str]] = defaultdict(set)  # the words of a sentence's time expressions
    for expression in expressions:
        date_words[expression.sentence_id] |= content_words(expression.text)
    dated: list[tuple[tuple, TimelineRow]] = []
    for block in _blocks(by_value, config):
        pending = sorted(block, key=lambda unit: (position[unit[1]], unit[0]))
        while pending:
            event, members = _best_event(pending, by_value, sentences, date_words, config)
            pending = [unit for unit in pending if unit not in members]
            row = _row(event, members, by_value)
            first, last = interval(row.date)
            key = (first, -_COARSENESS[row.granularity], last, min(position[c] for c in row.cites), row.event)
            dated.append((key, row))
    dated.sort(key=lambda pair: pair[0])
    rows = [row for _, row in dated]
    if config.undated:
        rows += [row for _, row in sorted(_undated_rows(unresolved, sentences, position, by_value, config),
                                          key=lambda pair: pair[0])]
    # A copy (dedup's `duplicate_of`) only adds its citations to the rows of the texts it copies.
    copies = {a.id for a in ordered if a.duplicate_of}
    rows = [row for row in rows if not set(row.articles) <= copies]
    return tuple(TimelineRow(r.date, r.granularity, r.event, r.cites, r.articles, r.inferred, order, r.evidence)
                 for order, r in enumerate(rows))


def _undated_rows(unresolved: dict[str, TimeExpression], sentences: dict[str, Sentence], position: dict,
                  by_value: dict, config: TimelineConfig) -> list[tuple[tuple, TimelineRow]]:
    """Rows of sentences whose time expression has no value, keyed by their place in the articles."""
    dated_sentences = {sid for values in by_value.values() for sid in values}
    rows = []
    for sid, expression in unresolved.items():
        if sid in dated_sentences:
            continue  # the sentence is on the timeline by its resolved date
        # Undated, a clause says what happened; a noun phrase alone would not.
        event = _event_texts(sentences[sid].text, replace(expression, phrase=None), config)[-1]
        evidence = f"{expression.text!r} in {sid}: nothing to resolve it against; listed apart, in the text's order"
        rows.append((position[sid], TimelineRow("", UNDATED, event, (sid,), (sid.rsplit(":", 1)[0],), False, 0,
                                                evidence)))
    return rows


def _blocks(by_value: dict[str, dict[str, TimeExpression]], config: TimelineConfig) -> list[list[tuple[str, str]]]:
    """(value, sentence id) units that may share rows: one date's sentences, and fine dates that overlap."""
    units = [(value, sid) for value, here in by_value.items() for sid in here]
    parent = {unit: unit for unit in units}

    def root(unit):
        while parent[unit] != unit:
            parent[unit] = parent[parent[unit]]
            unit = parent[unit]
        return unit

    def join(a, b) -> None:
        low, high = sorted((root(a), root(b)))
        parent[high] = low

    for value, here in by_value.items():
        sids = sorted(here)
        for sid in sids[1:]:
            join((value, sids[0]), (value, sid))
    fine = sorted((interval(value), value) for value in by_value if _span(value) <= config.merge_days)
    for i, ((first, last), value) in enumerate(fine):
        for (other_first, _), other in fine[i + 1:]:
            if other_first > last:
                break
            join((value, min(by_value[value])), (other, min(by_value[other])))
    blocks: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for unit in units:
        blocks[root(unit)].append(unit)
    return [blocks[key] for key in sorted(blocks)]


def _span(value: str) -> int:
    """How many days a resolved value spans."""
    first, last = interval(value)
    return (last - first).days + 1


def _best_event(pending: list[tuple[str, str]], by_value: dict[str, dict[str, TimeExpression]],
                sentences: dict[str, Sentence], date_words: dict[str, set[str]],
                config: TimelineConfig) -> tuple[tuple[str, tuple[str, str]], list[tuple[str, str]]]:
    """The event text (from a pending sentence) that the most articles, then sentences, state.

    Returns ((text, the unit it was taken from), member units). A sentence of another date
    joins when both dates are fine (`merge_days`), every member's date overlaps, and it
    shares words with the text outside the time expressions too: a date alone ("Jan. 10")
    never makes two reports one event.
    """
    best: tuple | None = None
    for rank, unit in enumerate(pending):
        value, sid = unit
        for text in _event_texts(sentences[sid].text, by_value[value][sid], config):
            event_words = content_words(text) - date_words[sid]
            members, common, cited = [unit], interval(value), {sid}
            for other in pending:
                other_value, other_sid = other
                if other_sid in cited or not backs(text, sentences[other_sid].text, EVENT_SHARE).supports:
                    continue
                if other_value != value:
                    first, last = interval(other_value)
                    if _span(value) > config.merge_days or _span(other_value) > config.merge_days \
                            or first > common[1] or last < common[0]:
                        continue
                    shared = event_words & (content_words(sentences[other_sid].text) - date_words[other_sid])
                    if not shared or len(shared) < len(event_words) / 3:
                        continue
                    common = (max(common[0], first), min(common[1], last))
                members.append(other)
                cited.add(other_sid)
            score = (len({m[1].rsplit(":", 1)[0] for m in members}), len(members), -len(text), -rank)
            if best is None or score > best[0]:
                best = (score, (text, unit), members)
    return best[1], best[2]


def _event_texts(sentence: str, expression: TimeExpression, config: TimelineConfig) -> list[str]:
    """Event text candidates, each a stretch of the sentence that reads alone and says more than its date
    (`clause_words` content words besides it): the sentence; the clause that holds the date, as the
    parse gives it (`TimeExpression.clause`), when it opens like a sentence and closes its quotes; the
    noun phrase whose relative clause holds the date (`TimeExpression.phrase`: "the invasion that began
    in 2014 in Donbass"), a name for an event, when it closes its quotes. Neither holds one dash of an
    aside without the other."""
    texts = [sentence.strip()]
    for span, opens in ((expression.clause, True), (expression.phrase, False)):
        if span is None:
            continue
        text = sentence[span[0]:span[1]].strip()
        readable = opens_and_closes(text) if opens else opens_and_closes(text[:1].upper() + text[1:])
        # An aside between dashes is cut when the piece holds one dash of it.
        readable = readable and len(_DASH.findall(text)) % 2 == 0
        if readable and text not in texts \
                and len(content_words(text) - content_words(expression.text)) >= config.clause_words:
            texts.append(text)
    return texts


def written(expression: TimeExpression) -> bool:
    """Whether the text states the expression's value as it stands (a year, "June 2005", "Dec. 30,
    2021"), not resolved against a publication date, an event or a guess."""
    return expression.anchor == "text" and not expression.inferred


def _row(event: tuple[str, tuple[str, str]], members: list[tuple[str, str]],
         by_value: dict[str, dict[str, TimeExpression]]) -> TimelineRow:
    """One dated row at the most precise date of its members; inferred unless a source writes that
    date out in full (`written`): a date resolved from "last Thursday", "yesterday" or "Dec. 30"
    (its year from the publication date) is a value we worked out, not one a source states."""
    text, (_, first_sid) = event
    cited = [by_value[value][sid] for value, sid in members]
    stating: dict[str, list[TimeExpression]] = defaultdict(list)
    for expression in cited:
        stating[expression.value].append(expression)
    value = min(stating, key=lambda v: (_span(v), -len(stating[v]), v))
    sids = tuple(dict.fromkeys([first_sid] + [sid for _, sid in members]))
    articles = tuple(sorted({sid.rsplit(":", 1)[0] for sid in sids}))
    evidence = "; ".join(
        f"{e.text!r} in {e.sentence_id} ({e.rule}"
        f"{' against ' + e.anchor if e.anchor and e.anchor != 'text' else ''}{', inferred' if e.inferred else ''})"
        for e in cited)
    return TimelineRow(value, stating[value][0].granularity, text, sids, articles,
                       not any(written(e) for e in stating[value]), 0, evidence)
