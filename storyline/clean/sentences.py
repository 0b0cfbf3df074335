"""Split article bodies into sentences with stable ids and exact offsets.

Reads: the paragraphs of one or more article bodies (the body is the
paragraphs joined by a blank line). Writes: `records.Sentence`s whose id is
`<article id>:<n>` (n counted from 0 over the whole article), whose `start` /
`end` are character offsets into the body (`body[start:end] == text`), and
whose `paragraph` is the index of the paragraph holding them.

Never skips: an empty body gives no sentences. Deterministic: the same
paragraphs give the same sentences, ids and offsets.

spaCy's trained sentence recogniser (`senter`, no parser) does the splitting;
every line of every paragraph of a batch goes through one `nlp.pipe` call. A
line break inside a paragraph always ends a sentence: in extracted text it
separates a heading, a date line or a list item from what follows.
"""

from __future__ import annotations

from collections.abc import Sequence

from storyline import nlp
from storyline.records import Sentence, sentence_id

# Lines per spaCy batch; 256 short lines keep memory small and the model busy.
PIPE_BATCH_SIZE = 256

PARAGRAPH_SEPARATOR = "\n\n"


def join_paragraphs(paragraphs: Sequence[str]) -> str:
    """Return the body text: the paragraphs joined by one blank line."""
    return PARAGRAPH_SEPARATOR.join(paragraphs)


def split_sentences(article_id: str, paragraphs: Sequence[str]) -> tuple[Sentence, ...]:
    """Return the sentences of one body made of `paragraphs`."""
    return split_many([(article_id, paragraphs)])[0]


def split_many(
    bodies: Sequence[tuple[str, Sequence[str]]],
) -> list[tuple[Sentence, ...]]:
    """Return the sentences of many bodies, given as (article id, paragraphs), in one spaCy pass."""
    # Every non-blank line of every paragraph, with its offset into its body.
    lines: list[str] = []
    places: list[tuple[int, int, int]] = []  # (body index, paragraph index, line offset in body)
    for body_index, (_, paragraphs) in enumerate(bodies):
        offset = 0
        for paragraph_index, paragraph in enumerate(paragraphs):
            line_offset = offset
            for line in paragraph.split("\n"):
                if line.strip():
                    lines.append(line)
                    places.append((body_index, paragraph_index, line_offset))
                line_offset += len(line) + 1
            offset += len(paragraph) + len(PARAGRAPH_SEPARATOR)

    found: list[list[tuple[str, int, int, int]]] = [[] for _ in bodies]
    if lines:
        splitter = nlp.load(("senter",))
        for doc, (body_index, paragraph_index, line_offset) in zip(
            splitter.pipe(lines, batch_size=PIPE_BATCH_SIZE), places
        ):
            for span in doc.sents:
                raw = span.text
                text = raw.strip()
                if not text:
                    continue
                start = line_offset + span.start_char + (len(raw) - len(raw.lstrip()))
                found[body_index].append((text, start, start + len(text), paragraph_index))

    results: list[tuple[Sentence, ...]] = []
    for (article_id, _), spans in zip(bodies, found):
        results.append(
            tuple(
                Sentence(
                    id=sentence_id(article_id, n),
                    n=n,
                    text=text,
                    start=start,
                    end=end,
                    paragraph=paragraph_index,
                )
                for n, (text, start, end, paragraph_index) in enumerate(spans)
            )
        )
    return results
