"""What the cluster stage reads from an article: weighted terms and a date.

Reads `Article` records; writes `ArticleFeatures` (one per article, a frozen
record of term counts). Terms come in four kinds, each with a prefix, so that
the similarity can weigh them apart:

- `l:` lemmas of content words (nouns, proper nouns, verbs, adjectives); the
  title and lead sentences count twice, since they name the event;
- named entities, lower-cased, by type: `p:` people (plus the last word of a
  person's name so "Tara Reid" and "Reid" meet; a generational suffix,
  "Jr.", is no name), `g:` places (countries,
  cities, regions, buildings), `o:` organisations, `e:` the rest (events,
  products, nationalities, works, laws); two events of one kind differ most
  in who and where, so the similarity can weigh and contrast them by type;
- `y:` years and year-months named in the text ("December 2008", "in 2013"),
  which date undated articles;
- `n:` numbers (death tolls, magnitudes, scores), which differ between two
  events of one kind;
- `t:` the people the headline names (title and first sentence, by the
  last word of a name the article gives in full, counted once; a word it
  never gives in full is left out): who the report is about, as against who it also
  mentions; not part of the similarity, they tell apart two events of one
  kind when no date can (`online.Assigner._headline_factor`);
- `v:` the lead's events: each verb of the title and three lead sentences
  with a named person or organisation, as `v:p:agent<verb` (who acted) and
  `v:verb>p:patient` (whom it was done to; a passive's subject too; `o:`
  for an organisation), counted once: a coach fired, not hired; one team's
  offer, not another's. Also not part of the similarity
  (`online.Assigner._event_factor`).

The date is the article's publication date, except an inferred one that the
text contradicts (see `_cluster_date`).

With the representation `tfidf+minilm` (embeddings.py), each article also
carries its normalised MiniLM vector.

Never skips: an article with no usable words gets empty features and opens a
story of its own. Deterministic: spaCy's small model is deterministic on CPU.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Iterable, Iterator, Sequence

from storyline import nlp
from storyline.cluster import embeddings
from storyline.records import Article

# The pipes the features need: no parser (sentences are given), no senter.
PIPES = ("tok2vec", "tagger", "attribute_ruler", "lemmatizer", "ner")
# The lead (title and three sentences) is parsed too, for its events: about a hundred tokens an article;
# its entities are those of the first pass.
EVENT_PIPES = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")
EVENT = "v:"
# A light verb's event is its object noun ("made an offer": offer).
LIGHT_VERBS = frozenset({"make", "take", "give", "have", "get", "do"})
# Verbs of saying name a source, not the event: who said it differs between reports of one event.
SAYING_VERBS = frozenset({"say", "tell", "report", "confirm", "announce", "quote", "cite", "add", "note",
                          "claim", "state", "write", "according"})
AGENT_DEPS = frozenset({"nsubj"})
PATIENT_DEPS = frozenset({"dobj", "nsubjpass", "dative"})
PARTICIPANT_LABELS = {"PERSON": "p", "ORG": "o"}
CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ"})
ENTITY_PREFIXES = {
    "PERSON": "p:",
    "GPE": "g:", "LOC": "g:", "FAC": "g:",
    "ORG": "o:",
    "NORP": "e:", "EVENT": "e:", "PRODUCT": "e:", "WORK_OF_ART": "e:", "LAW": "e:",
}
ENTITY_KINDS = frozenset(prefix[0] for prefix in ENTITY_PREFIXES.values())
NUMBER_LABELS = frozenset({"CARDINAL", "QUANTITY", "MONEY", "PERCENT"})
LEAD_SENTENCES = 3
HEADLINE_SENTENCES = 1  # the title and first sentence say who the report is about
MAX_CHARACTERS = 20_000  # long bodies add little to what the title and lead say
EVENT_SENTENCES = 3  # the title and first sentence alone gained 0 +0.001 0 0 -0.008 over orders (docs/bench.md)
# Articles per spaCy batch. A batch's arrays grow with its tokens (up to 20,000 characters an article):
# batches of 32 took some 300 MB at their peak over the 772 ECB+ dev articles, batches of 8 120 MB, batches
# of 4 some 50 MB less again (a process peaked at 398 and 398 MB against 454 and 446), for the same CPU
# time (36.4 and 38.7 s against 36.6 and 39.7) and the same features (spaCy parses each text alike in any
# batch; docs/bench.md).
PIPE_BATCH = 4
MONTHS = {
    name: n
    for n, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
# Generational suffixes: the last word of "Arcade Joseph Comeaux Jr." that names no one ("Comeaux" does).
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
WORD = re.compile(r"[a-z]+")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass(frozen=True, slots=True)
class ArticleFeatures:
    """The terms of one article (prefixed by kind) with their counts, and its date."""

    article_id: str
    published: str | None
    terms: tuple[tuple[str, float], ...]
    title: str = ""
    published_inferred: bool = False
    vector: tuple[float, ...] = ()  # normalised sentence embedding, only with `tfidf+minilm`

    def counts(self) -> dict[str, float]:
        """The terms as a dict."""
        return dict(self.terms)


def extract_features(articles: Sequence[Article], batch_size: int = PIPE_BATCH,
                     representation: str = embeddings.TFIDF) -> list[ArticleFeatures]:
    """Return the features of each article, in input order (one spaCy pass, batched).

    With `tfidf+minilm` (when the extra is installed; see
    `embeddings.choose_representation`) each also gets its MiniLM vector.
    """
    texts = [_text_of(article) for article in articles]
    docs = nlp.load(PIPES).pipe(texts, batch_size=batch_size)
    # The lead again, parsed (its events), with the entities of the first pass: the same characters.
    leads = [text[:_lead_end(article, EVENT_SENTENCES) - 1] for article, text in zip(articles, texts)]
    parsed = nlp.load(EVENT_PIPES).pipe(leads, batch_size=batch_size)
    features = [_features_of(article, doc, lead) for article, doc, lead in zip(articles, docs, parsed)]
    if representation == embeddings.MIXED and articles:
        vectors = embeddings.embed_articles(articles)
        if vectors is not None:
            features = [replace(f, vector=tuple(float(x) for x in v)) for f, v in zip(features, vectors)]
    return features


def _text_of(article: Article) -> str:
    """The title, then the body sentences, one per line (title and lead first)."""
    lines = [article.title] if article.title else []
    lines.extend(sentence.text for sentence in article.sentences)
    return "\n".join(lines)[:MAX_CHARACTERS]


def _lead_end(article: Article, sentences: int) -> int:
    """Character offset in the pipeline text where the title and the first `sentences` end."""
    lines = ([article.title] if article.title else []) + [
        sentence.text for sentence in article.sentences[:sentences]
    ]
    return sum(len(line) + 1 for line in lines)


def _events_of(lead, kinds: dict[int, str]) -> Iterator[str]:
    """`v:p:agent<verb` and `v:verb>p:patient` of each verb with a named participant (`p:` a person, `o:` an
    organisation).

    A participant is a proper noun's word (the head of "coach Maurice
    Cheeks" is "cheeks") inside a person's or an organisation's name
    (`kinds`: the character offset of each such word, to its kind); a
    passive's subject and a "by" agent take their roles from the verb
    ("Cheeks was fired": `fire>p:cheeks`). Verbs of saying are left out:
    they name who told the news.
    """
    for token in lead:
        if token.pos_ != "VERB":
            continue
        verb = token.lemma_.lower()
        children = list(token.children)
        if verb in LIGHT_VERBS:
            noun = next((c for c in children if c.dep_ == "dobj" and c.pos_ == "NOUN"), None)
            if noun is not None:
                verb = noun.lemma_.lower()
        if verb in SAYING_VERBS or not verb.isalpha():
            continue
        for child in children:
            if child.dep_ == "agent":  # "fired by the Sixers"
                child, agent = next((c for c in child.children if c.dep_ == "pobj"), None), True
            elif child.dep_ in AGENT_DEPS or child.dep_ in PATIENT_DEPS:
                agent = child.dep_ in AGENT_DEPS
            else:
                continue
            kind = kinds.get(child.idx) if child is not None and child.pos_ == "PROPN" else None
            if kind is None:
                continue
            words = WORD.findall(child.text.lower().replace("’s", "").replace("'s", ""))
            if words and words[-1] in NAME_SUFFIXES and child.i > 0 and child.nbor(-1).idx in kinds:
                words = WORD.findall(child.nbor(-1).text.lower())  # "Comeaux Jr.": the name before the suffix
            if words:
                name = f"{kind}:{words[-1]}"
                yield f"{EVENT}{name}<{verb}" if agent else f"{EVENT}{verb}>{name}"


def _features_of(article: Article, doc, lead=None) -> ArticleFeatures:
    """Count the prefixed terms of one tagged article (`doc`), and the events of its parsed `lead` once each."""
    lead_end = _lead_end(article, LEAD_SENTENCES)
    headline_end = _lead_end(article, HEADLINE_SENTENCES)
    counts: Counter[str] = Counter()
    headline: list[list[str]] = []  # the words of each person the headline names
    for token in doc:
        if token.pos_ not in CONTENT_POS or token.is_stop or not token.is_alpha:
            continue
        lemma = token.lemma_.lower()
        if len(lemma) < 2:
            continue
        counts["l:" + lemma] += 2 if token.idx < lead_end else 1
    for entity in doc.ents:
        weight = 2 if entity.start_char < lead_end else 1
        if entity.label_ in ENTITY_PREFIXES:
            names = list(_entity_names(entity))
            for name in names:
                counts[ENTITY_PREFIXES[entity.label_] + name] += weight
            if entity.label_ == "PERSON" and names and entity.start_char < headline_end:
                headline.append(names[0].split())
        elif entity.label_ == "DATE":
            for term in _date_terms(entity.text):
                counts[term] += weight
        elif entity.label_ in NUMBER_LABELS:
            for number in NUMBER.findall(entity.text):
                counts["n:" + number.replace(",", "")] += weight
    for name in _headline_people(headline, counts):
        counts["t:" + name] = 1
    if lead is not None:
        kinds = {token.idx: PARTICIPANT_LABELS[entity.label_] for entity in doc.ents
                 if entity.label_ in PARTICIPANT_LABELS for token in entity}
        for event in _events_of(lead, kinds):
            counts[event] = 1
    published = _cluster_date(article, counts)
    return ArticleFeatures(
        article_id=article.id,
        published=published,
        published_inferred=bool(published and article.published.inferred),
        terms=tuple(sorted(counts.items())),
        title=article.title or lead_label(article),
    )


def _headline_people(headline: Sequence[list[str]], counts: Counter[str]) -> set[str]:
    """The people a headline names, each by the last word of a name the article gives in full.

    A headline often names a person by one word, which the body gives in
    full ("Tara" in the lead, "Tara Reid" below): that word stands for the
    full name's last word, as the body's own mentions do. A single word the
    article never gives in full is often no person at all ("Greeks" tagged
    as one), and is left out, as `online._Side.people_mentioned_most` leaves
    it out.
    """
    full = sorted(term[2:].split() for term in counts if term.startswith("p:") and " " in term)
    people = set()
    for words in headline:
        if len(words) > 1:
            people.add(words[-1])
        else:
            people.update(name[-1] for name in full if words[0] in name)
    return people


def _cluster_date(article: Article, counts: Counter[str]) -> str | None:
    """The publication date to cluster by: None for an inferred date older than a year the text names.

    An inferred date is the latest past day the text reports, and in a
    profile or an obituary that is often an old event (a birth, an earlier
    case): a text that names a year two or more after it was written later.
    One year later is allowed, since texts often name the next year (the
    next season, next year's ceremony). A wrong date splits one event in two
    (a story decades away), while an undated article is still placed by its
    content.
    """
    value = article.published.value
    if not value or not article.published.inferred:
        return value
    years = [int(term[2:6]) for term in counts if term.startswith("y:")]
    if years and max(years) > int(value[:4]) + 1:
        return None
    return value


def _entity_names(entity) -> Iterator[str]:
    """The normalised name of an entity, and a person's last name on its own."""
    words = WORD.findall(entity.text.lower().replace("’s", "").replace("'s", ""))
    if words and words[0] == "the":
        words = words[1:]
    while entity.label_ == "PERSON" and len(words) > 1 and words[-1] in NAME_SUFFIXES:
        words = words[:-1]
    if not words:
        return
    yield " ".join(words)
    if entity.label_ == "PERSON" and len(words) > 1:
        yield words[-1]


def _date_terms(text: str) -> Iterable[str]:
    """Year (`y:2008`) and year-month (`y:2008-12`) terms of a DATE entity's text."""
    years = YEAR.findall(text)
    if not years:
        return ()
    months = [MONTHS[word] for word in WORD.findall(text.lower()) if word in MONTHS]
    terms = [f"y:{year}" for year in years]
    if months and len(years) == 1:
        terms.append(f"y:{years[0]}-{months[0]:02d}")
    return terms


def lead_label(article: Article, limit: int = 90) -> str:
    """A label for an article without a title: its first sentence, cut at a word before `limit` characters."""
    text = " ".join(next((s.text for s in article.sentences if s.text.strip()), "").split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def sublinear(count: float) -> float:
    """Damped term frequency: a word said ten times is not ten times the evidence."""
    return 1.0 + math.log(count) if count > 0 else 0.0
