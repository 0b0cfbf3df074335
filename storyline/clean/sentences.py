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
separates a heading, a date line or a list item from what follows. A cut the
recogniser makes after a title or an initial before a name ("Sgt." / "Barry
Whiteside"), or after "a.m." before a day or a lower-case word, is mended
(`cut_after_abbreviation`).
"""

from __future__ import annotations

from collections.abc import Sequence

from storyline import nlp
from storyline.readable import ABBREVIATION_END
from storyline.records import Sentence, sentence_id
from storyline.support import CALENDAR_WORDS

# Lines per spaCy batch; 256 short lines keep memory small and the model busy.
PIPE_BATCH_SIZE = 256

PARAGRAPH_SEPARATOR = "\n\n"


def cut_after_abbreviation(sentence: str, following: str) -> bool:
    """Whether the splitter cut one sentence after an abbreviation: `sentence` ends with a title or an
    initial and `following` starts with the name it goes with ("... said Troy police Sgt." / "Barry
    Whiteside testified."), or it ends with "a.m." / "p.m." and `following` goes on in lower case or
    with a day or a month ("... shortly after 3:30 a.m." / "Tuesday that the vacated building ...").
    A sentence that ends with "a.m." before a new sentence ("by 6:40 a.m." / "The building is ...")
    stays cut."""
    end = sentence.rstrip().rstrip("”\"’'")
    if not ABBREVIATION_END.search(end):
        return False
    first = following.lstrip()
    word = first.split(" ", 1)[0].strip(",.;:").lower()
    if end.endswith(("a.m.", "p.m.")):
        return first[:1].islower() or word in CALENDAR_WORDS
    return first[:1].isupper()


def cut_at_line_end(line: str, following: str) -> bool:
    """Whether a line break cut a name from its title ("... Vancouver police Const." / "Tim Fanning told a news
    conference."), as scraped text sometimes breaks its lines: the line ends with a title of two letters or
    more, not an initial or "a.m." (which a heading or a list item may end on), and the next line starts with a
    capital (`cut_after_abbreviation` reads both)."""
    end = line.rstrip()
    last = end.rsplit(None, 1)[-1] if end else ""
    return len(last.rstrip(".")) >= 2 and not end.endswith(("a.m.", "p.m.")) and cut_after_abbreviation(line, following)


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
            spans: list[tuple[int, int]] = []  # (start, end) in the line
            for span in doc.sents:
                if spans and cut_after_abbreviation(doc.text[spans[-1][0]:spans[-1][1]], span.text):
                    spans[-1] = (spans[-1][0], span.end_char)
                else:
                    spans.append((span.start_char, span.end_char))
            for span_start, span_end in spans:
                raw = doc.text[span_start:span_end]
                text = raw.strip()
                if not text:
                    continue
                start = line_offset + span_start + (len(raw) - len(raw.lstrip()))
                found[body_index].append((text, start, start + len(text), paragraph_index))

    results: list[tuple[Sentence, ...]] = []
    for (article_id, paragraphs), spans in zip(bodies, found):
        spans = _mend_line_cuts(join_paragraphs(paragraphs), spans)
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


def _mend_line_cuts(body: str, spans: list[tuple[str, int, int, int]]) -> list[tuple[str, int, int, int]]:
    """The sentences of one body with each one a line break cut after a title (`cut_at_line_end`) joined to
    the next one (of its paragraph or the next: a scraped text's every line may be a paragraph); the joined
    text is the body's, line break included, in the first one's paragraph."""
    mended: list[tuple[str, int, int, int]] = []
    for text, start, end, paragraph in spans:
        if mended and paragraph - mended[-1][3] <= 1 and cut_at_line_end(mended[-1][0], text) \
                and "\n" in body[mended[-1][2]:start]:
            first = mended.pop()
            mended.append((body[first[1]:end], first[1], end, first[3]))
        else:
            mended.append((text, start, end, paragraph))
    return mended
