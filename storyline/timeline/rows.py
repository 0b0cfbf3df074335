"""Build a story's timeline from the resolved time expressions of its articles.

A row is one dated event: a sentence (or the clause of it that holds the date)
and every sentence of the story, from any article, that gives the same date
and states the same thing in its own words. "The same thing" is the rule the
brief's faithfulness check applies to a citation (`storyline.verify.shares_content`:
a cited sentence shares at least a third of the event text's content words,
and at least two), so every row verifies as it stands. Sentences of one date
that do not meet it make rows of their own.

Dated rows are sorted by the first day of their date, a coarser date first
when two start together ("2014" before "2014-03"), then by the text. A sentence
whose time expression could not be resolved ("three days after" with nothing
to count from, a weekday in an undated article) makes an undated row (date "",
granularity "undated") placed where its article orders it: after the row of
the nearest earlier dated sentence of that article, else before the row of the
next one. Sentences without a time expression make no row.

Deterministic and independent of the order of the articles: positions count
articles in id order.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Sequence

from storyline.records import Article, Sentence, TimeExpression, TimelineRow
from storyline.timeline.expressions import _COARSENESS, find_time_expressions, interval
from storyline.verify import content_words, shares_content

UNDATED = "undated"
_CLAUSE_BREAK = re.compile(r"[,;:–—]\s+|\s+[–—]\s+")


@dataclass(frozen=True, slots=True)
class TimelineConfig:
    """Knobs of `build_timeline`.

    clause_words: fewest content words an event clause keeps before it is
      widened to its neighbours (fewer reads as a bare date: "on Sunday").
    undated: whether sentences with an unresolved time expression make rows.
    """

    clause_words: int = 4
    undated: bool = True


def build_timeline(articles: Sequence[Article], nlp=None,
                   config: TimelineConfig = TimelineConfig()) -> tuple[TimelineRow, ...]:
    """Return the timeline of one story: its events with resolved dates and all their sources, in order.

    Args:
        articles: the story's articles (any order).
        nlp: a spaCy pipeline with tagger, parser and NER (the shared English one when None).
        config: see `TimelineConfig`.
    """
    ordered = sorted(articles, key=lambda a: a.id)
    expressions = [e for article in ordered for e in find_time_expressions(article, nlp)]
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
    dated: list[tuple[tuple, TimelineRow]] = []
    for value, dated_here in by_value.items():
        pending = sorted(dated_here, key=lambda sid: position[sid])
        while pending:
            event, members = _best_event(pending, dated_here, sentences, config)
            pending = [sid for sid in pending if sid not in members]
            row = _row(value, event, members, dated_here)
            first, last = interval(value)
            key = (first, -_COARSENESS[row.granularity], last, min(position[c] for c in row.cites), row.event)
            dated.append((key, row))
    dated.sort(key=lambda pair: pair[0])
    keyed = [((key, 0, ()), row) for key, row in dated]
    if config.undated:
        keyed += _undated_rows(unresolved, dated, sentences, position, by_value, config)
    keyed.sort(key=lambda pair: pair[0])
    return tuple(TimelineRow(r.date, r.granularity, r.event, r.cites, r.articles, r.inferred, order, r.evidence)
                 for order, (_, r) in enumerate(keyed))


def _undated_rows(unresolved: dict[str, TimeExpression], dated: list[tuple[tuple, TimelineRow]],
                  sentences: dict[str, Sentence], position: dict, by_value: dict,
                  config: TimelineConfig) -> list[tuple[tuple, TimelineRow]]:
    """Rows of sentences whose time expression has no value, keyed to sort beside their article's dated rows."""
    row_of: dict[str, tuple] = {}
    for key, row in dated:
        for cite in row.cites:
            row_of.setdefault(cite, key)
    dated_sentences = {sid for values in by_value.values() for sid in values}
    last_key = dated[-1][0] if dated else ()
    rows = []
    for sid, expression in unresolved.items():
        if sid in dated_sentences:
            continue  # the sentence is on the timeline by its resolved date
        article, n = position[sid]
        earlier = [position[c] for c in row_of if position[c][0] == article and position[c][1] <= n]
        later = [position[c] for c in row_of if position[c][0] == article and position[c][1] > n]
        by_position = {position[c]: key for c, key in row_of.items()}
        if earlier:
            key = (by_position[max(earlier)], 1, position[sid])
        elif later:
            key = (by_position[min(later)], -1, position[sid])
        else:
            key = (last_key, 2, position[sid])
        event = _event_texts(sentences[sid].text, expression, config)[-1]
        evidence = f"{expression.text!r} in {sid}: nothing to resolve it against; placed by the text's order"
        rows.append((key, TimelineRow("", UNDATED, event, (sid,), (sid.rsplit(":", 1)[0],), False, 0, evidence)))
    return rows


def _best_event(pending: list[str], dated: dict[str, TimeExpression], sentences: dict[str, Sentence],
                config: TimelineConfig) -> tuple[str, list[str]]:
    """The event text (from a pending sentence) that the most articles, then sentences, state."""
    best: tuple | None = None
    for rank, sid in enumerate(pending):
        for text in _event_texts(sentences[sid].text, dated[sid], config):
            members = [sid] + [other for other in pending if other != sid and shares_content(text, sentences[other].text)]
            score = (len({m.rsplit(":", 1)[0] for m in members}), len(members), -len(text), -rank)
            if best is None or score > best[0]:
                best = (score, text, members)
    return best[1], best[2]


def _event_texts(sentence: str, expression: TimeExpression, config: TimelineConfig) -> list[str]:
    """The sentence, and the clause that holds its date widened to `clause_words` content words."""
    breaks = [0, *(m.end() for m in _CLAUSE_BREAK.finditer(sentence)), len(sentence) + 1]
    segments = [(breaks[i], breaks[i + 1]) for i in range(len(breaks) - 1)]
    index = next((i for i, (start, end) in enumerate(segments) if start <= expression.start < end), 0)
    low, high = index, index
    date_words = content_words(expression.text)

    def clause() -> str:
        return sentence[segments[low][0]:segments[high][1]].strip(" ,;:–—")

    while len(content_words(clause()) - date_words) < config.clause_words and (low > 0 or high < len(segments) - 1):
        if low > 0:
            low -= 1
        else:
            high += 1
    texts = [sentence.strip()]
    if clause() != texts[0]:
        texts.append(clause())
    return texts


def _row(value: str, event: str, members: list[str], dated: dict[str, TimeExpression]) -> TimelineRow:
    """One dated row; inferred when every source's date rests on an inferred anchor or a guess."""
    cited = [dated[sid] for sid in members]
    articles = tuple(sorted({sid.rsplit(":", 1)[0] for sid in members}))
    evidence = "; ".join(
        f"{e.text!r} in {e.sentence_id} ({e.rule}"
        f"{' against ' + e.anchor if e.anchor and e.anchor != 'text' else ''}{', inferred' if e.inferred else ''})"
        for e in cited)
    return TimelineRow(value, cited[0].granularity, event, tuple(members), articles,
                       all(e.inferred for e in cited), 0, evidence)
