"""Stage quotes: direct quotes, their speakers, and the wordings of one statement grouped.

Reads: the `Article`s of one story and the `Entity`s the entities stage found
in them (their mentions give the speakers' canonical names). Writes: a tuple
of `QuoteGroup`s, each the wordings of one statement across articles with the
speaker and the word-level differences between the wordings.

How quotes are found:
- Quote marks in every style: straight and curly double quotes, low-9 and
  guillemets, and curly single quotes outside double ones. Whether a mark
  opens or closes is read from the characters beside it (a space before and a
  letter after opens), so a wrongly curled mark still pairs, and an apostrophe
  (Ukraine’s) never closes a quote.
- A quote split by an attribution ("“…,” he said. “…”") gives two quotes of
  one speaker. A quote still open at the end of a paragraph runs on: each
  paragraph's part is a quote of its own, and the parts share one speaker.

How a speaker is found, in this order:
- a cue verb (say, tell, write, add, explain, …) outside any quote in the
  quote's sentence, nearest first, with its subject ("Psaki said", "said
  Psaki", "added the president"); a cue without a subject takes the subject
  of the nearest cue it depends on ("…, calling it “…”"), else, for a
  participle ("…, saying", "…, adding", "…, noting"), the subject of the
  clause it hangs on; this comes before any "according to" source of the
  same sentence, which the quote keeps in its cue ("saying; according to X");
- "according to X" (through "a statement by X");
- the clause right after the quote, whatever its verb ("…!” X thundered"), or
  the next sentence when the splitter cut the attribution off ("…” / said X,
  manager of …", "…,” Const. / Fanning said."): a cue clause that reports
  nothing of its own;
- a cue in the preceding sentence when the quote's sentence is nothing but
  the quote ("Biden said in a statement:"; "His exact words:" names "his");
- for a quote (or a run of quote lines) that is a sentence of its own and
  names nobody: a cue that reports speech in the narration sentence just
  before it ("…, Ingaldson said. / “But inside, …”"), never one with an
  infinitive ("X vowed to increase …").
The subject is the entity whose mention holds its head word; "he" / "she" is
the speaker of the article's previous quote a few sentences back, else the
nearest person who is a subject before it, else the subject of the nearest
cue before it ("A police spokeswoman said … / She added:"); "it" is a subject
before it in its sentence or of the nearest cue before it that is not a
person ("A statement from Waitrose said … / “…,” it added."; "a statement
from X" is X); "the president" is the nearest person before it holding that
role. Otherwise the subject's words are kept as the speaker's name with no
entity (a senior administration official).

How wordings are grouped: two quotes of different articles are one statement
when their normalised words match closely (rapidfuzz ratio, or partial ratio
when one is a part of the other); a short fragment ("react decisively") is
compared together with the words around it in its sentence, since a fragment
is quoted inside a paraphrase of the statement.

Skips nothing: a story without quotes gives no groups. Deterministic and
independent of the order of the articles.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from anyascii import anyascii
from rapidfuzz import fuzz

from storyline.nlp import parse
from storyline.records import Article, Entity, Quote, QuoteGroup, Sentence, content_id

STAGE = "quotes"

# Reporting verbs of general English (lemmas) that tie a quote to its speaker.
CUE_VERBS = frozenset({
    "say", "tell", "add", "write", "post", "tweet", "state", "explain", "claim", "note", "stress", "emphasize",
    "emphasise", "insist", "warn", "announce", "declare", "reply", "ask", "argue", "acknowledge", "confirm",
    "deny", "comment", "remark", "conclude", "reiterate", "recall", "call", "continue", "assert", "admit",
    "promise", "vow", "urge", "underscore", "observe", "suggest", "mention", "predict", "describe",
})
PERSONAL_PRONOUNS = frozenset({"he", "she"})
POSSESSIVE_PRONOUNS = frozenset({"his", "her"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
# How a participial cue hangs on the clause whose subject speaks ("…, saying", "…, adding").
PARTICIPLE_DEPS = frozenset({"advcl", "xcomp"})
# Cue verbs whose object is the hearer, never the speaker ("…,” she told the news agency).
HEARER_VERBS = frozenset({"tell", "ask", "urge", "promise"})
# After an inverted cue ("…,” added the president) the parser often reads the speaker as an object.
INVERTED_SUBJECT_DEPS = frozenset({"dobj", "attr", "npadvmod", "oprd"})
# A cue verb with one of these children reports something of its own ("He said the fire ...").
REPORTED_DEPS = frozenset({"ccomp", "dobj", "xcomp", "parataxis"})

DOUBLE_MARKS = {'"': "", "“": "open", "”": "close", "„": "open", "«": "open", "»": "close"}
SINGLE_MARKS = {"‘": "open", "’": "close"}
OPEN_BEFORE = set("([{—–-/:")
# A quote of this many words or fewer that nobody is said to say is a scare quote, not a quote.
SCARE_WORDS = 3
# The verb of an attribution after a quote ("“…!” X thundered") comes within this many words.
_AFTER_QUOTE_TOKENS = 6
# A named speaker and a reporting verb: narration, not the inside of a quote.
# (A name, not "he": 'In his own words, he said it's not his DNA' is quoted speech.)
_ATTRIBUTION = re.compile(r"\b[A-Z][a-z]+\s+(?:said|says|told|tells|added|adds|asked|wrote)\b")
# Paragraphs without a quote mark that may stand inside a quote running over paragraphs.
_RUN_ON_PARAGRAPHS = 3
CLOSE_AFTER = set(".,;:!?)]}—–-…") | set(DOUBLE_MARKS) | set(SINGLE_MARKS)
_WORD = re.compile(r"\w+(?:['’]\w+)*")


@dataclass(frozen=True, slots=True)
class QuoteConfig:
    """Knobs of the quotes stage.

    min_ratio: rapidfuzz score (0-100) two quotes need to be wordings of one statement.
    fragment_words: a quote with fewer words is a fragment, compared with its sentence context.
    context_words: words taken on each side of a fragment.
    pronoun_sentences: how many sentences back "he said" looks for a person; the previous
      quote's speaker counts while fewer sentences outside quotes stand between.
    batch_size: sentences per spaCy batch.
    """

    min_ratio: float = 75.0
    fragment_words: int = 5
    context_words: int = 6
    pronoun_sentences: int = 3
    batch_size: int = 256


@dataclass(frozen=True, slots=True)
class _Span:
    """A quote found in an article body: offsets of its text (marks excluded), its run."""

    start: int
    end: int
    run: int  # quotes of one run over paragraphs share a number


def find_quotes(articles: Sequence[Article], entities: Sequence[Entity], nlp=None,
                config: QuoteConfig = QuoteConfig()) -> tuple[QuoteGroup, ...]:
    """Return the story's quote groups: wordings of one statement across articles, with the speaker.

    Args:
        articles: the articles of one story, in any order.
        entities: the story's entities (from the entities stage), for speakers' names.
        nlp: a loaded spaCy pipeline with a parser (the project model, through
            `storyline.nlp.parse`'s cache, when None).
        config: the stage's knobs.
    """
    ordered = sorted(articles, key=lambda article: article.id)
    names = {entity.id: entity for entity in entities}
    mentions: dict[str, list[tuple[int, int, Entity]]] = defaultdict(list)
    for entity in entities:
        for mention in entity.mentions:
            mentions[mention.sentence].append((mention.start, mention.end, entity))
    spans = {article.id: quote_spans(article) for article in ordered}
    wanted = _sentences_to_parse(ordered, spans, config)
    texts = [sentence.text for sentence in wanted]
    parsed = parse(texts, config.batch_size) if nlp is None else nlp.pipe(texts, batch_size=config.batch_size)
    docs = dict(zip((sentence.id for sentence in wanted), parsed))
    quotes: list[tuple[Quote, str]] = []  # (quote, context words for fragments)
    for article in ordered:
        reader = _ArticleReader(article, spans[article.id], docs, mentions, names, config)
        quotes.extend(reader.quotes())
    return _group(quotes, config)


# -- finding quote spans


def quote_spans(article: Article) -> list[_Span]:
    """The quotes of an article body: offsets of the quoted text, paragraph by paragraph.

    A quote left open at the end of a paragraph runs on when the next paragraph
    reopens it at its start (the convention of print) or closes it before it
    opens another (scraped text where each sentence is a line: "“She's in rehab.
    / Nothing bad is going to happen.”"); up to `_RUN_ON_PARAGRAPHS` paragraphs
    without any mark may stand between an unclosed part and its close.
    """
    paragraphs: dict[int, list[Sentence]] = defaultdict(list)
    for sentence in article.sentences:
        paragraphs[sentence.paragraph].append(sentence)
    spans: list[_Span] = []
    pending: list[_Span] = []  # paragraphs with no mark inside a quote not yet closed
    run, running_on = 0, False
    for number in sorted(paragraphs):
        first, last = paragraphs[number][0], paragraphs[number][-1]
        start, end = first.start, last.end
        text = article.body[start:end]
        found, left_open, carried = _quotes_in(text, running_on)
        if carried == "unmarked":
            if len(pending) < _RUN_ON_PARAGRAPHS:
                pending.append(_Span(start, end, run))
                continue
            carried, left_open, found = "", False, []
        if carried == "closed":
            spans.extend(pending)
        pending = []
        continues = running_on and bool(found) and (
            carried == "closed" or found[0][0] - 1 == len(text) - len(text.lstrip()))
        for index, (quote_start, quote_end) in enumerate(found):
            if not (index == 0 and continues):
                run += 1
            spans.append(_Span(start + quote_start, start + quote_end, run))
        running_on = left_open
    return [span for span in spans if article.body[span.start:span.end].strip()]


def _quotes_in(text: str, carried: bool = False) -> tuple[list[tuple[int, int]], bool, str]:
    """(start, end) of each quoted text in one paragraph, whether a quote is open at its end, and
    what became of a quote `carried` open from the paragraph before: "closed" (a mark inside the
    paragraph closes it), "unmarked" (no mark at all: still open) or "" (not carried, or reopened
    by a mark that starts the paragraph).

    A double mark opens or closes by the characters beside it (`_direction`). Scraped text turns
    marks the wrong way and spaces them on the wrong side ("she was” ensconced in the bosom “of
    the clinic", "” It was a large demonstration, “he said"), so the glyph is not trusted:
    a mark with spaces on both sides opens when no quote is open and closes one that is; a mark
    that plainly closes when none is open means the paragraph's marks are turned, and from there
    on every plain reading is swapped; a mark that plainly opens while a quote opened by a spaced
    mark is open closes it.
    """
    found: list[tuple[int, int]] = []
    open_at, open_kind = (-1, "double") if carried else (None, "")
    open_weak = False  # the open quote was opened by a mark spaced on both sides
    turned = False
    outcome = ""
    for index, character in enumerate(text):
        if character in DOUBLE_MARKS:
            kind, glyph = "double", DOUBLE_MARKS[character]
        elif character in SINGLE_MARKS and open_kind != "double":
            kind, glyph = "single", ""  # a single mark counts only where its place says so
        else:
            continue
        direction = _direction(text, index)
        if kind == "single":
            if not direction:
                continue  # an apostrophe (Ukraine’s), not a quote mark
        elif carried and open_at == -1:
            # The first double mark of a paragraph that continues an open quote: one that starts the
            # paragraph reopens it (the convention of print); any other closes it.
            if _opens_here(text, index):
                open_at, open_weak = index, not direction
                continue
            if _ATTRIBUTION.search(text[:index]):
                # "Prosecutor White told The Post ... lawyer Heller said she was” ensconced": the text
                # before the mark is narration naming a speaker, never the end of a quote; the quote
                # left open before was a stray mark, and this paragraph is read on its own.
                found, left_open, _ = _quotes_in(text, False)
                return found, left_open, ""
            found.append((0, index))
            open_at, open_kind, outcome = None, "", "closed"
            continue
        else:
            if direction == "close" and open_at is None and index > 0 and text[index - 1].isalpha():
                turned = True  # "she was” ensconced": the marks of this paragraph are turned
            if turned and direction:
                direction = "open" if direction == "close" else "close"
            elif not direction:
                spaced = (index == 0 or text[index - 1].isspace()) and (
                    index + 1 >= len(text) or text[index + 1].isspace())
                direction = ("close" if open_at is not None else "open") if spaced else glyph
                if spaced and open_at is None:
                    open_at, open_kind, open_weak = index, kind, True
                    continue
            elif direction == "open" and open_at is not None and open_weak:
                direction = "close"
        if open_at is None:
            if direction in {"open", ""}:
                open_at, open_kind, open_weak = index, kind, False
        elif kind == open_kind and direction in {"close", ""}:
            found.append((open_at + 1, index))
            open_at, open_kind = None, ""
        elif kind == open_kind and direction == "open":
            open_at = index  # the earlier mark never closed: a stray mark, not a quote
    if carried and open_at == -1:
        return [], True, "unmarked"
    if open_at is not None and open_kind == "double":
        found.append((open_at + 1, len(text)))
        return found, True, outcome
    return found, False, outcome


def _opens_here(text: str, index: int) -> bool:
    """Whether a mark starts its paragraph (only spaces before it)."""
    return not text[:index].strip()


def _direction(text: str, index: int) -> str:
    """"open" or "close" when the characters beside a mark say so, else ""."""
    before = text[index - 1] if index > 0 else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    opens = (before.isspace() or before in OPEN_BEFORE) and not after.isspace()
    closes = not before.isspace() and (after.isspace() or after in CLOSE_AFTER)
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    return ""


def _sentences_to_parse(articles: Sequence[Article], spans: dict[str, list[_Span]],
                        config: QuoteConfig) -> list[Sentence]:
    """Sentences that hold a quote, and the few before each (for "he said" and a speaker before a colon)."""
    wanted: list[Sentence] = []
    for article in articles:
        keep: set[int] = set()
        for index, sentence in enumerate(article.sentences):
            if any(span.start < sentence.end and sentence.start < span.end for span in spans[article.id]):
                keep.update(range(max(0, index - config.pronoun_sentences), min(len(article.sentences), index + 2)))
        wanted.extend(article.sentences[index] for index in sorted(keep))
    return wanted


# -- speakers


class _ArticleReader:
    """Quotes of one article with their speakers, read in order (a pronoun looks back)."""

    def __init__(self, article: Article, spans: list[_Span], docs: dict, mentions: dict, names: dict,
                 config: QuoteConfig) -> None:
        self.article = article
        self.spans = spans
        self.docs = docs
        self.mentions = mentions
        self.names = names
        self.config = config
        self.previous: tuple[int, Entity] | None = None  # (sentence index, speaker) of the last quote

    def quotes(self) -> Iterator[tuple[Quote, str]]:
        found: list[tuple[_Span, list[int], tuple[Entity | None, str, str]]] = []
        narrated: dict[int, tuple[Entity | None, str, str]] = {}  # run -> the speaker of the narration before it
        for span in self.spans:
            indexes = [i for i, sentence in enumerate(self.article.sentences)
                       if span.start < sentence.end and sentence.start < span.end]
            if not indexes:
                continue
            speaker = self._speaker(span, indexes)
            if speaker[0] is None and not speaker[1] and found and (
                    _split_from(found[-1][1], indexes, self.article) or self._follows_quote(found[-1][1], span)):
                # "“…,” he said. “…”": the second part of a quote split by its attribution; or a
                # quote that opens the sentence after a quote: the last named speaker goes on.
                speaker = found[-1][2]
            found.append((span, indexes, speaker))
            if speaker[0] is None and not speaker[1] and span.run not in narrated:
                narrated[span.run] = self._from_narration(span, indexes)
            if speaker[0] is not None and speaker[0].type == "PERSON":
                self.previous = (indexes[-1], speaker[0])
        # The parts of a quote that runs over paragraphs share the speaker one of them names.
        by_run: dict[int, tuple[Entity | None, str, str]] = {}
        for span, _, speaker in found:
            if (speaker[0] is not None or speaker[1]) and span.run not in by_run:
                by_run[span.run] = speaker
        # A run naming nobody goes on from the narration before its first part.
        for run, speaker in narrated.items():
            by_run.setdefault(run, speaker)
        for span, indexes, speaker in found:
            if speaker[0] is None and not speaker[1]:
                speaker = by_run.get(span.run, speaker)
            entity, name, cue = speaker
            text = self.article.body[span.start:span.end].strip().rstrip(",").strip()
            if entity is None and not name and len(_words(text)) <= SCARE_WORDS:
                continue  # a scare quote ("treated as “potentially suspicious”"): nobody is said to say it
            quote = Quote(text, entity.id if entity else None, entity.name if entity else name, cue,
                          tuple(self.article.sentences[i].id for i in indexes), self.article.id)
            yield quote, self._context(span, indexes)

    def _speaker(self, span: _Span, indexes: list[int]) -> tuple[Entity | None, str, str]:
        """(entity, name, cue) of a quote's speaker; (None, "", "") when the text names none."""
        for index in sorted(set(indexes), key=lambda i: (i != indexes[-1], -i)):
            sentence = self.article.sentences[index]
            doc = self.docs.get(sentence.id)
            if doc is None:
                continue
            result = self._from_cues(doc, index, span)
            if result:
                # A source the sentence also names ("according to TASS, Peskov ..., saying") stays
                # beside the cue: the words are the speaker's, reported through that source.
                source = self._from_according_to(doc, index)
                if source and source[:2] != result[:2] and (source[1] or (source[0] and source[0].name)):
                    return result[0], result[1], f"{result[2]}; according to {source[1] or source[0].name}"
                return result
            result = self._from_according_to(doc, index)
            if result:
                return result
        result = self._after_quote(span, indexes[-1]) or self._attribution_after(span, indexes[-1])
        if result:
            return result
        first = indexes[0]
        sentence = self.article.sentences[first]
        before_quote = self.article.body[sentence.start:span.start].strip(" “\"„«‘")
        if first > 0 and not before_quote:
            previous = self.article.sentences[first - 1]
            doc = self.docs.get(previous.id)
            if doc is not None and previous.text.rstrip().endswith(":"):
                # "Biden said in a statement:" / "The judge had advice for anyone ...:": the sentence
                # that introduces the quote names its speaker by a cue, else as its subject.
                return self._from_cues(doc, first - 1, None) or self._from_root(doc, first - 1) or (None, "", "")
        return None, "", ""

    def _from_narration(self, span: _Span, indexes: list[int]) -> tuple[Entity | None, str, str]:
        """"Ingaldson said the warehouse was battered. / “But inside, there was all this timber.”": a
        quote that is a sentence of its own, naming nobody, goes on from the narration just before it
        (a sentence with no quote): the speaker of a cue that reports speech there."""
        first = indexes[0]
        sentence = self.article.sentences[first]
        if first == 0 or self.article.body[sentence.start:span.start].strip(" “\"„«‘") or \
                _words(self.article.body[span.end:self.article.sentences[indexes[-1]].end]):
            return None, "", ""
        previous = self.article.sentences[first - 1]
        doc = self.docs.get(previous.id)
        if doc is None or self._holds_quote(previous):
            return None, "", ""
        return self._from_cues(doc, first - 1, None, reporting=True) or (None, "", "")

    def _attribution_after(self, span: _Span, index: int) -> tuple[Entity | None, str, str] | None:
        """"“…until Christmas.” / she said." and "“…,” Const. / Fanning said.": the splitter put the
        attribution in a sentence of its own after the quote. The quote's sentence has nothing after
        the quote but words without a verb, and the next sentence, with no quote in it, is a cue
        clause that reports nothing else (no clause of its own after the cue verb)."""
        sentence = self.article.sentences[index]
        doc = self.docs.get(sentence.id)
        if doc is None or index + 1 >= len(self.article.sentences):
            return None
        after = span.end - sentence.start
        if any(t.idx >= after and t.pos_ in {"VERB", "AUX"} and not self._inside_quotes(sentence, t.idx)
               for t in doc):
            return None
        following = self.article.sentences[index + 1]
        following_doc = self.docs.get(following.id)
        if following_doc is None or self._holds_quote(following):
            return None
        root = next((t for t in following_doc if t.dep_ == "ROOT"), None)
        if root is None or root.lemma_.lower() not in CUE_VERBS or root.pos_ != "VERB" or any(
                child.dep_ in REPORTED_DEPS for child in root.children):
            return None
        subject = _subject(root, lambda token: False)
        if subject is None:
            return None
        entity, name = self._resolve(subject, index + 1)
        return (entity, name, root.text) if entity is not None or name else None

    def _holds_quote(self, sentence: Sentence) -> bool:
        return any(span.start < sentence.end and sentence.start < span.end for span in self.spans)

    def _follows_quote(self, previous: list[int], span: _Span) -> bool:
        """Whether a quote opens its sentence right after the sentence where the previous quote ends."""
        first = next((i for i, s in enumerate(self.article.sentences) if s.start <= span.start < s.end + 1), None)
        if first is None or first < previous[-1] or any(
                _words(s.text) for s in self.article.sentences[previous[-1] + 1:first]):
            return False
        sentence = self.article.sentences[first]
        return not self.article.body[sentence.start:span.start].strip(" “\"„«‘'")

    def _after_quote(self, span: _Span, index: int) -> tuple[Entity | None, str, str] | None:
        """"“…!” Prime Minister X thundered in Parliament": a quote that ends with its own punctuation,
        followed at once by a clause outside quotes: the subject of that clause's verb speaks,
        whatever the verb."""
        sentence = self.article.sentences[index]
        quoted = self.article.body[span.start:span.end].rstrip()
        if not quoted or quoted[-1] not in ",.!?":
            return None
        if span.end + 1 >= sentence.end:
            # The splitter ends a sentence after "!”" or "?”"; the attribution is the next one.
            following = self.article.sentences[index + 1] if index + 1 < len(self.article.sentences) else None
            if quoted[-1] not in ",!?" or following is None or following.start > span.end + 2:
                return None
            index, sentence = index + 1, following
        doc = self.docs.get(sentence.id)
        if doc is None:
            return None
        after = max(0, span.end - sentence.start + 1)
        following = [t for t in doc if t.idx >= after and not t.is_punct][:_AFTER_QUOTE_TOKENS]
        name = []
        for token in (t for t in doc if t.idx >= after):
            if token.pos_ == "PROPN" or (token.is_punct and token.text in "-–" and name):
                name.append(token)
            elif not (token.is_punct and not name):
                break
        names = [t for t in name if t.pos_ == "PROPN"]
        if names and any(t.lemma_.lower() in CUE_VERBS and t.pos_ == "VERB" and t.i > names[-1].i
                         and not self._inside_quotes(sentence, t.idx) for t in doc):
            # "“…,” Osman-aga, who herds camels, told the agency": the name the quote is followed by.
            entity, found = self._resolve(names[-1], index)
            return entity, found or doc[names[0].i:names[-1].i + 1].text, "said"
        for verb in following:
            if verb.pos_ != "VERB" or verb.dep_ == "relcl" or self._inside_quotes(sentence, verb.idx):
                continue
            subject = _subject(verb, lambda token: self._inside_quotes(sentence, token.idx))
            if subject is not None and subject.idx >= after:
                entity, name = self._resolve(subject, index)
                if entity is not None or name:
                    return entity, name, verb.text
            return None
        return None

    def _from_root(self, doc, index: int) -> tuple[Entity | None, str, str] | None:
        """The subject of a sentence's main verb, as the speaker ("The judge had advice ...:")."""
        root = next((token for token in doc if token.dep_ == "ROOT"), None)
        subject = next((c for c in root.children if c.dep_ in SUBJECT_DEPS), None) if root is not None else None
        if subject is None:
            # "His exact words:": the person "his" / "her" stands for.
            owner = next((c for c in root.children if c.dep_ == "poss" and c.lower_ in POSSESSIVE_PRONOUNS),
                         None) if root is not None else None
            entity = self._antecedent(owner, index) if owner is not None else None
            return (entity, entity.name, root.text) if entity is not None else None
        entity, name = self._resolve(subject, index)
        return (entity, name, root.text) if entity is not None or name else None

    def _inside_quotes(self, sentence: Sentence, offset: int) -> bool:
        position = sentence.start + offset
        return any(span.start <= position < span.end for span in self.spans)

    def _from_cues(self, doc, index: int, span: _Span | None,
                   reporting: bool = False) -> tuple[Entity | None, str, str] | None:
        """The speaker of a cue verb of a sentence; `reporting`: only a cue that reports speech ("X
        said the ...", "X said."), not one with an infinitive ("X vowed to increase ...")."""
        sentence = self.article.sentences[index]
        cues = [token for token in doc if token.lemma_.lower() in CUE_VERBS and token.pos_ == "VERB"
                and not self._inside_quotes(sentence, token.idx)
                and not (reporting and any(child.dep_ == "xcomp" for child in token.children))]
        if span is not None:
            # A cue whose clause holds the quote comes first, the closest such clause first; then nearness.
            start, end = span.start - sentence.start, span.end - sentence.start

            def rank(token):
                subtree = list(token.subtree)
                governs = any(start <= word.idx < end for word in subtree)
                middle = (start + end) / 2
                return (0, len(subtree), token.i) if governs else (1, abs(token.idx - middle), token.i)

            cues.sort(key=rank)
        for cue in cues:
            subject = _subject(cue, lambda token: self._inside_quotes(sentence, token.idx))
            if subject is not None:
                entity, name = self._resolve(subject, index)
                if entity is not None or name:
                    return entity, name, cue.text
        return None

    def _from_according_to(self, doc, index: int) -> tuple[Entity | None, str, str] | None:
        sentence = self.article.sentences[index]
        for token in doc:
            if token.lower_ != "according" or self._inside_quotes(sentence, token.idx):
                continue
            objects = [grand for child in token.children if child.lower_ == "to"
                       for grand in child.children if grand.dep_ == "pobj"]
            for head in objects:
                entity, name = self._resolve(_source_of(head, self._entity_at(index, head)), index)
                if entity is not None or name:
                    return entity, name, "according to"
        return None

    def _entity_at(self, index: int, token) -> Entity | None:
        """The entity whose mention holds a token of a sentence (the longest mention)."""
        sentence_id = self.article.sentences[index].id
        holding = [(end - start, entity) for start, end, entity in self.mentions.get(sentence_id, ())
                   if start <= token.idx < end]
        return max(holding, key=lambda item: (item[0], item[1].id))[1] if holding else None

    def _resolve(self, subject, index: int) -> tuple[Entity | None, str]:
        """The entity a subject names, else its words as a name."""
        entity = self._entity_at(index, subject)
        if entity is not None:
            return entity, entity.name
        if subject.lower_ in PERSONAL_PRONOUNS:
            entity = self._antecedent(subject, index)
            return (entity, "") if entity is not None else self._cue_subject_before(subject, index, person=True)
        if subject.lower_ == "it":
            return self._cue_subject_before(subject, index, person=False)
        if subject.pos_ == "PRON":
            return None, ""
        holder = self._role_holder(subject, index)
        if holder is not None:
            return holder, holder.name
        # "The head of the union, Giannis Panagopoulos, said": the person the role is in apposition to.
        for child in subject.children:
            entity = self._entity_at(index, child) if child.dep_ == "appos" else None
            if entity is not None and entity.type == "PERSON":
                return entity, entity.name
        # "A statement from Waitrose said": the body a statement comes from, when the text names it.
        for child in subject.children:
            if child.dep_ == "prep" and child.lower_ in {"from", "by"}:
                for grand in child.children:
                    entity = self._entity_at(index, grand) if grand.dep_ == "pobj" else None
                    if entity is not None:
                        return entity, entity.name
        # "the White House statement": a body named in the compound before the head noun.
        for child in subject.lefts:
            entity = self._entity_at(index, child) if child.dep_ == "compound" else None
            if entity is not None and entity.type != "PERSON":
                return entity, entity.name
        # The words up to the head noun: "a senior administration official", not the clause after it.
        words = [token for token in subject.doc[subject.left_edge.i: subject.i + 1] if token.dep_ != "punct"]
        while words and words[0].dep_ == "det":
            words = words[1:]
        if not words:
            return None, ""
        return None, subject.doc[words[0].i: words[-1].i + 1].text

    def _antecedent(self, pronoun, index: int) -> Entity | None:
        """The person "he" / "she" stands for.

        In order: a person who is a subject earlier in the same sentence; the
        speaker of the article's previous quote a few sentences back; the
        nearest person who is a subject before; the nearest person before.
        """
        for token, entity in self._people_before(pronoun, index, 0):
            if token.dep_ in SUBJECT_DEPS:
                return entity
        if self.previous is not None and self._narration_between(self.previous[0], index) < \
                self.config.pronoun_sentences:
            # A person the narration makes a subject after the previous quote is the last named
            # speaker ("…,” said Bright. / Nichols spoke for the first time. / “…,” he said.).
            for token, entity in self._people_before(pronoun, index, max(0, index - self.previous[0] - 1)):
                if token.dep_ in SUBJECT_DEPS:
                    return entity
            return self.previous[1]
        nearest: Entity | None = None
        for token, entity in self._people_before(pronoun, index, self.config.pronoun_sentences):
            if token.dep_ in SUBJECT_DEPS:
                return entity
            nearest = nearest or entity
        return nearest

    def _cue_subject_before(self, pronoun, index: int, person: bool) -> tuple[Entity | None, str]:
        """Who "she" or "it" stands for when no person named before does: a subject (not a pronoun)
        before it in its sentence, else of the nearest cue verb in the narration of the few before; for
        "she" a person or a role ("A police spokeswoman said ... / She added: “…”"), for "it" anything
        but a person ("A statement from Waitrose said ... / “…,” it added.")."""
        for back in range(index, max(-1, index - self.config.pronoun_sentences - 1), -1):
            sentence = self.article.sentences[back]
            doc = self.docs.get(sentence.id)
            if doc is None:
                continue
            limit = pronoun.i if back == index else len(doc)
            for cue in reversed(doc[:limit]):
                if back == index and cue.dep_ == "nsubj" and not self._inside_quotes(sentence, cue.idx):
                    subject = cue  # "Though the newspaper does not cite its source, it stated"
                elif cue.lemma_.lower() not in CUE_VERBS or cue.pos_ != "VERB" or \
                        self._inside_quotes(sentence, cue.idx):
                    continue
                else:
                    subject = _subject(cue, lambda token: self._inside_quotes(sentence, token.idx))
                if subject is None or subject.pos_ == "PRON":
                    continue
                entity, name = self._resolve(subject, back)
                if (entity is not None and (entity.type == "PERSON") == person) or (entity is None and name):
                    return entity, name
        return None, ""

    def _people_before(self, anchor, index: int, sentences: int) -> Iterator[tuple[Any, Entity]]:
        """(token, person) for each person named before `anchor` in sentence `index` and the
        `sentences` sentences before it, nearest first."""
        for back in range(index, max(-1, index - sentences - 1), -1):
            doc = self.docs.get(self.article.sentences[back].id)
            if doc is None:
                continue
            limit = anchor.i if back == index else len(doc)
            for token in reversed(doc[:limit]):
                entity = self._entity_at(back, token)
                if entity is not None and entity.type == "PERSON":
                    yield token, entity

    def _narration_between(self, first: int, last: int) -> int:
        """How many sentences between two sentences of the article are not inside a quote."""
        between = self.article.sentences[first + 1:last]
        return sum(1 for sentence in between
                   if not any(span.start < sentence.end and sentence.start < span.end for span in self.spans))

    def _role_holder(self, subject, index: int) -> Entity | None:
        """The nearest person before a role noun ("the president") whose role ends with that noun."""
        if subject.pos_ != "NOUN":
            return None
        noun = subject.lemma_.lower()
        for _, entity in self._people_before(subject, index, self.config.pronoun_sentences):
            if any(role.text.lower().split()[-1:] == [noun] for role in entity.roles):
                return entity
        return None

    def _context(self, span: _Span, indexes: list[int]) -> str:
        """The words around a quote in its sentence, for comparing fragments."""
        first, last = self.article.sentences[indexes[0]], self.article.sentences[indexes[-1]]
        before = _words(self.article.body[first.start:span.start])[-self.config.context_words:]
        after = _words(self.article.body[span.end:last.end])[:self.config.context_words]
        return " ".join(before + _words(self.article.body[span.start:span.end]) + after)


def _split_from(previous: list[int], indexes: list[int], article: Article) -> bool:
    """Whether a quote follows the previous one in the same or the next sentence of one paragraph."""
    before, after = article.sentences[previous[-1]], article.sentences[indexes[0]]
    return before.paragraph == after.paragraph and 0 <= indexes[0] - previous[-1] <= 1


def _subject(cue, inside_quote) -> object | None:
    """The speaker word of a cue verb: its subject, an inverted subject after it, or a governing cue's subject."""
    # The subject nearest the cue: a misparse may give a verb two ("In an e-mail ..., Henry said").
    subjects = [child for child in cue.children if child.dep_ in SUBJECT_DEPS and not inside_quote(child)]
    if subjects:
        return min(subjects, key=lambda child: (abs(child.i - cue.i), child.i))
    if cue.lemma_.lower() not in HEARER_VERBS:
        for child in cue.rights:
            if child.dep_ in INVERTED_SUBJECT_DEPS and not inside_quote(child) and child.pos_ in {"NOUN", "PROPN"}:
                return child
    name = _name_after(cue, inside_quote)
    if name is not None:
        return name
    head = cue.head
    while head is not None and head.i != head.head.i:
        if head.lemma_.lower() in CUE_VERBS:
            for child in head.children:
                if child.dep_ in SUBJECT_DEPS and not inside_quote(child):
                    return child
        head = head.head
    if head is not None and head.lemma_.lower() in CUE_VERBS and head is not cue:
        for child in head.children:
            if child.dep_ in SUBJECT_DEPS and not inside_quote(child):
                return child
    # With no cue above it, a participle hung on a clause ("Peskov has pushed back on reports,
    # saying that ...") speaks with the subject of the verb it modifies.
    if cue.tag_ == "VBG" and cue.dep_ in PARTICIPLE_DEPS and cue.head.pos_ in {"VERB", "AUX"}:
        for child in cue.head.children:
            if child.dep_ == "nsubj" and not inside_quote(child):
                return child
    return None


def _name_after(cue, inside_quote) -> object | None:
    """"…,” said Christina Greenway, daughter of …": the name right after an inverted cue (one that
    follows punctuation), whatever the parser made of it; its last proper noun."""
    before = cue.doc[cue.i - 1] if cue.i > 0 else None
    if before is None or not before.is_punct:
        return None
    run = []
    for token in cue.doc[cue.i + 1:]:
        if token.pos_ != "PROPN" or inside_quote(token):
            break
        run.append(token)
    return run[-1] if run else None


def _source_of(head, entity: Entity | None):
    """The word naming who speaks in "according to a statement by X": X; else the head itself."""
    if entity is not None:
        return head
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in {"by", "from", "of"}:
            for grand in child.children:
                if grand.dep_ == "pobj":
                    return grand
    for child in head.lefts:
        if child.dep_ == "compound" and child.pos_ == "PROPN":
            return child
    return head


# -- grouping wordings


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _normal(text: str) -> str:
    return " ".join(word.lower() for word in _words(anyascii(text)))


def similarity(a: Quote, context_a: str, b: Quote, context_b: str, config: QuoteConfig) -> float:
    """How closely two quotes word one statement (0-100): rapidfuzz token-set ratio of their words.

    A fragment (fewer than `fragment_words` words) is compared with the words
    around it, since a fragment is quoted inside a paraphrase of the statement;
    two fragments must be the same words.
    """
    words_a, words_b = _normal(a.text), _normal(b.text)
    if not words_a or not words_b:
        return 0.0
    short_a = len(words_a.split()) < config.fragment_words
    short_b = len(words_b.split()) < config.fragment_words
    if short_a and short_b:
        return 100.0 if words_a == words_b else 0.0
    if short_a:
        words_a = _normal(context_a)
    if short_b:
        words_b = _normal(context_b)
    return fuzz.token_set_ratio(words_a, words_b)


def _group(quotes: list[tuple[Quote, str]], config: QuoteConfig) -> tuple[QuoteGroup, ...]:
    parent = list(range(len(quotes)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for i, (a, context_a) in enumerate(quotes):
        for j in range(i + 1, len(quotes)):
            b, context_b = quotes[j]
            if a.article != b.article and root(i) != root(j) and \
                    similarity(a, context_a, b, context_b, config) >= config.min_ratio:
                low, high = sorted((root(i), root(j)))
                parent[high] = low
    members: dict[int, list[Quote]] = defaultdict(list)
    for index, (quote, _) in enumerate(quotes):
        members[root(index)].append(quote)
    groups = [_quote_group(variants) for variants in members.values()]
    groups.sort(key=lambda group: (-len({quote.article for quote in group.variants}), -len(group.variants),
                                   group.id))
    return tuple(groups)


def _quote_group(variants: list[Quote]) -> QuoteGroup:
    """A group with its representative wording first, speaker by majority and word differences."""
    shared = Counter(_normal(quote.text) for quote in variants)
    ordered = sorted(variants, key=lambda quote: (quote.article, _sentence_number(quote.sentence_ids[0])))
    first = min(ordered, key=lambda quote: (-shared[_normal(quote.text)], -len(quote.text)))
    ordered = [first] + [quote for quote in ordered if quote is not first]
    # The speaker most of the quoted words are attributed to: a fragment inside a paraphrase weighs little.
    speakers: Counter = Counter()
    for quote in ordered:
        if quote.speaker:
            speakers[quote.speaker] += len(_words(quote.text))
    if speakers:
        speaker = min(speakers, key=lambda key: (-speakers[key], key))
        speaker_name = next(quote.speaker_name for quote in ordered if quote.speaker == speaker)
    else:
        names = Counter(quote.speaker_name for quote in ordered if quote.speaker_name)
        speaker = None
        speaker_name = min(names, key=lambda key: (-names[key], key)) if names else ""
    differences: list[str] = []
    for quote in ordered[1:]:
        for difference in word_differences(first.text, quote.text):
            if difference not in differences:
                differences.append(difference)
    group_id = content_id("\n".join(sorted(f"{quote.sentence_ids[0]}\n{quote.text}" for quote in ordered)))
    return QuoteGroup(group_id, speaker, speaker_name, tuple(ordered), tuple(differences))


def word_differences(base: str, other: str) -> list[str]:
    """Word-level differences of one wording against another: "respond -> react", "+ of Ukraine", "- here".

    A much shorter wording is compared with the part of the longer one it matches best.
    """
    base_words, other_words = _words(base), _words(other)
    if other_words and len(other_words) * 2 <= len(base_words):
        base_words = _best_window(base_words, other_words)
    matcher = difflib.SequenceMatcher(None, [word.lower() for word in base_words],
                                      [word.lower() for word in other_words], autojunk=False)
    differences = []
    for operation, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        removed, added = " ".join(base_words[a_start:a_end]), " ".join(other_words[b_start:b_end])
        if operation == "replace":
            differences.append(f"{removed} -> {added}")
        elif operation == "delete":
            differences.append(f"- {removed}")
        elif operation == "insert":
            differences.append(f"+ {added}")
    return differences


def _best_window(words: list[str], part: list[str]) -> list[str]:
    """The run of `words`, as long as `part`, that `part` matches best (word matches, then letters; first wins)."""
    size = len(part)
    lowered, part_lowered = [word.lower() for word in words], [word.lower() for word in part]
    best, best_score = 0, (-1.0, -1.0)
    for start in range(len(words) - size + 1):
        window = lowered[start:start + size]
        score = (difflib.SequenceMatcher(None, window, part_lowered, autojunk=False).ratio(),
                 fuzz.ratio(" ".join(window), " ".join(part_lowered)))
        if score > best_score:
            best, best_score = start, score
    return words[best:best + size]


def _sentence_number(sentence_id: str) -> int:
    number = sentence_id.rpartition(":")[2]
    return int(number) if number.isdigit() else 0
