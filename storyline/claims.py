"""Stage `claims`: split article sentences into claims and fill their slots.

Reads: `Article`s (their sentences). Optionally `canonical_names` (surface form
-> canonical name, from the entities stage) and `resolved_dates` (sentence id
-> [(time expression text, ISO value)], from the timeline stage); without them
it canonicalises names and resolves dates itself (spaCy NER, dateparser).
Writes: `Claim`s. A claim is a sentence, or one clause of it where the
sentence joins two statements (each with its own subject and finite verb) by a
coordinating conjunction, a semicolon or a joining subordinator ("as",
"while", "although" after the main clause); its text is cut from the sentence
(trimmed at the edges, never reworded) and carries the sentence id and its
offsets in the sentence. Slots: numbers and quantities (quantulum3, pint base
units, qualifiers such as "about" or "more than" kept), dates (ISO values, or
durations as quantities in seconds with the word that makes them relative),
people, organisations, places (canonical names), negation (a `neg` dependency).
Skips: clauses with fewer than four words or no verb (headings, captions,
credits): they state nothing checkable. Never raises on text.
Deterministic: the same articles give the same claims, in article order.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
import warnings
from dataclasses import dataclass, replace
from typing import Iterable, Mapping, Sequence

from rapidfuzz import fuzz

from storyline import nlp
from storyline.clean.sentences import cut_after_abbreviation
from storyline.records import Article, Claim, Slot
from storyline.support import QUALIFIERS, to_base

MIN_WORDS = 4
# Subordinators that join a second statement to a complete one ("X happened,
# as Y faces Z"; "X, while Y"); a clause they open after the main verb is a
# claim of its own. Conditions ("if"), reasons ("because") and reported
# speech ("that") stay with their main clause: without it they state nothing.
JOINING_MARKS = {"as", "while", "whereas", "although", "though"}

SCORE_PATTERN = re.compile(r"\d\s*[-–]\s*\d")
ADDITIVE_WORDS = ("more", "other", "additional", "further", "extra", "new")
RELATIVE_WORDS = ("after", "before", "later", "earlier", "ago")
TIME_UNITS = ("second", "minute", "hour", "day", "week", "month", "year", "decade", "century")
PLACE_LABELS = {"GPE": "place", "LOC": "place", "FAC": "place"}
NAME_LABELS = {"PERSON": "person", "ORG": "org", **PLACE_LABELS}
NUMBER_LABELS = ("CARDINAL", "QUANTITY", "PERCENT", "MONEY")
QUOTE_MARKS = re.compile(r"[“”\"]")
QUOTE_PATTERN = re.compile(r"[“\"]([^“”\"\n]{2,}?)(?:[”\"]|\n|$)")
YEAR_PATTERN = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
MONTH_DAY_PATTERN = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})\b", re.IGNORECASE)
# 88: spelling variants (Zelensky / Zelenskiy / Zelenskyy, Lugansk / Luhansk)
# score 89-94 with fuzz.ratio, distinct names of one story (Biden / Boden aside) below 80.
NAME_VARIANT_RATIO = 88


@dataclass(frozen=True, slots=True)
class ParsedClause:
    """Token range [start, end) of one clause in a parsed sentence."""

    start: int
    end: int


def extract_claims(articles: Sequence[Article], *, canonical_names: Mapping[str, str] | None = None,
                   resolved_dates: Mapping[str, Sequence[tuple[str, str]]] | None = None) -> list[Claim]:
    """Split every article's sentences into claims with their slots."""
    pairs = [(article, sentence) for article in articles for sentence in article.sentences if sentence.text.strip()]
    # The shared parse cache: the other analysis stages of a story read the same sentences.
    docs = nlp.parse([sentence.text for _, sentence in pairs])
    names = dict(canonical_names) if canonical_names is not None else own_canonical_names(docs)
    claims: list[Claim] = []
    body_quotes = {article.id: quotes_in_body(article.body) for article in articles}
    for (article, sentence), doc in zip(pairs, docs):
        base = publication_base(article)
        dates = resolved_dates.get(sentence.id, ()) if resolved_dates is not None else None
        for k, clause in enumerate(clauses(doc)):
            claim = build_claim(article, sentence.id, sentence.text, doc, clause, k, names, dates, base)
            if claim is not None:
                offset = sentence.start if article.body[sentence.start:sentence.end] == sentence.text else None
                quotes = (tuple(q for at, q in body_quotes[article.id]
                                if offset + claim.start <= at < offset + claim.end)
                          if offset is not None else tuple(quotes_in(sentence.text, claim.start, claim.end)))
                claims.append(replace(claim, quotes=quotes))
    return claims


def quotes_in_body(body: str) -> list[tuple[int, str]]:
    """(offset, quoted text) of every quote in an article body; a quote may run over several sentences.

    Marks are paired in order within a paragraph, whatever way they face:
    scraped text often closes a quote with an opening mark (`"I am ..., “she said`).
    An unpaired first mark after a comma or full stop closes a quote that
    began with the paragraph; another unpaired mark opens a quote that runs
    to the paragraph's end.
    """
    found = []
    offset = 0
    for paragraph in body.split("\n"):
        marks = [m.start() for m in QUOTE_MARKS.finditer(paragraph)]
        spans = []
        if len(marks) % 2 == 1 and re.search(r"[,.!?]\s*$", paragraph[:marks[0]]):
            # The first mark closes a quote opened in an earlier paragraph
            # ("You know what they say, ” she added.").
            spans.append((0, marks.pop(0)))
        for k in range(0, len(marks), 2):
            spans.append((marks[k] + 1, marks[k + 1] if k + 1 < len(marks) else len(paragraph)))
        for start, end in spans:
            text = paragraph[start:end].strip()
            if len(text) >= 2:
                found.append((offset + max(start - 1, 0), text))
        offset += len(paragraph) + 1
    return found


def publication_base(article: Article) -> dt.datetime | None:
    """The publication date that relative dates are resolved against, when known."""
    try:
        return dt.datetime.fromisoformat(article.published.value) if article.published.value else None
    except ValueError:
        return None


def clauses(doc) -> list[ParsedClause]:
    """Clause token ranges of a parsed sentence: one per statement with its own subject and finite verb."""
    found: list[ParsedClause] = []
    for sent in doc.sents:
        # The parser's cut after a title or an initial ("..., Const." / "Fanning said."): what follows goes
        # with the clause before, as `storyline.clean.sentences` mends the splitter's cuts.
        if found and found[-1].end == sent.start \
                and cut_after_abbreviation(doc[found[-1].start:found[-1].end].text, sent.text):
            found[-1] = ParsedClause(found[-1].start, sent.end)
            continue
        starts = [sent.start]
        root = sent.root
        if has_subject(root):
            for child in root.children:
                joined = child.dep_ in ("conj", "parataxis") or (
                    child.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in JOINING_MARKS
                                                  and m.i < child.i for m in child.children))
                if joined and child.i > root.i and is_finite_clause(child):
                    left = child.left_edge.i
                    if left - starts[-1] >= MIN_WORDS and sent.end - left >= MIN_WORDS:
                        starts.append(left)
        ends = starts[1:] + [sent.end]
        found.extend(ParsedClause(s, e) for s, e in zip(starts, ends))
    return found


def has_subject(verb) -> bool:
    """Whether a verb has its own subject."""
    return any(child.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for child in verb.children)


def is_finite_clause(verb) -> bool:
    """Whether a token heads a clause of its own: a verb with a subject and a finite form."""
    if verb.pos_ not in ("VERB", "AUX") or not has_subject(verb):
        return False
    forms = [verb] + [child for child in verb.children if child.dep_ in ("aux", "auxpass")]
    return any(token.tag_ in ("VBD", "VBZ", "VBP", "MD") for token in forms)


def trimmed_span(doc, clause: ParsedClause) -> tuple[int, int] | None:
    """Character offsets of a clause in its sentence without joining words and punctuation at its edges."""
    tokens = [t for t in doc[clause.start:clause.end]]
    while tokens and (tokens[0].is_space or tokens[0].dep_ == "cc" or tokens[0].text in ",;:—–-"):
        tokens.pop(0)
    while tokens and (tokens[-1].is_space or tokens[-1].dep_ == "cc" or tokens[-1].text in ",;:—–-"):
        tokens.pop()
    if not tokens:
        return None
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def build_claim(article: Article, sentence_id: str, text: str, doc, clause: ParsedClause, k: int,
                names: Mapping[str, str], dates: Sequence[tuple[str, str]] | None,
                base: dt.datetime | None) -> Claim | None:
    """One claim from one clause, or None when the clause states nothing checkable."""
    span = trimmed_span(doc, clause)
    if span is None:
        return None
    start, end = span
    tokens = [t for t in doc[clause.start:clause.end] if start <= t.idx < end]
    words = [t for t in tokens if not t.is_punct and not t.is_space]
    if len(words) < MIN_WORDS or not any(t.pos_ in ("VERB", "AUX") for t in tokens):
        return None
    entities = [e for e in doc.ents if e.start_char >= start and e.end_char <= end]
    slots = tuple(entity_slots(doc, entities, names, dates, base)) + tuple(negation_slots(tokens))
    roots = [t for t in tokens if t.head.i == t.i or not (start <= t.head.idx < end)]
    predicate = roots[0].lemma_.lower() if roots else ""
    return Claim(
        id=f"{sentence_id}.{k}", article=article.id, sentence_id=sentence_id, text=text[start:end],
        start=start, end=end, slots=slots, lemmas=tuple(content_lemmas(tokens, entities, names)),
        quotes=tuple(quotes_in(text, start, end)), predicate=predicate)


def content_lemmas(tokens, entities, names: Mapping[str, str]) -> list[str]:
    """Lower-case content lemmas of a clause; a named entity counts as the words of its canonical name."""
    in_entity = {}
    for entity in entities:
        if entity.label_ in NAME_LABELS:
            for i in range(entity.start, entity.end):
                in_entity[i] = entity
    out: list[str] = []
    done = set()
    for token in tokens:
        entity = in_entity.get(token.i)
        if entity is not None:
            if entity.start not in done:
                done.add(entity.start)
                out.extend(w for w in canonical(entity.text, names).lower().split() if w.isalnum())
            continue
        if token.is_stop or token.is_punct or token.is_space or not (token.is_alpha or token.like_num):
            continue
        out.append(token.lemma_.lower())
    return out


def quotes_in(text: str, start: int, end: int) -> list[str]:
    """Quoted strings that open inside [start, end) of a sentence (an unclosed quote runs to the sentence end)."""
    return [m.group(1).strip() for m in QUOTE_PATTERN.finditer(text) if start <= m.start() < end]


def negation_slots(tokens) -> Iterable[Slot]:
    """A negation slot per `neg` dependency, with the negated word as its unit."""
    for token in tokens:
        if token.dep_ == "neg":
            yield Slot("negation", token.text, "not", unit=token.head.lemma_.lower())


def entity_slots(doc, entities, names: Mapping[str, str], dates: Sequence[tuple[str, str]] | None,
                 base: dt.datetime | None) -> Iterable[Slot]:
    """Slots of the named entities of a clause: names, dates and durations, numbers and quantities."""
    for entity in entities:
        label = entity.label_
        if label in NAME_LABELS:
            yield Slot(NAME_LABELS[label], entity.text, canonical(entity.text, names))
        elif label in ("DATE", "TIME"):
            slot = duration_slot(doc, entity) or date_slot(entity.text, dates, base)
            if slot is not None:
                yield slot
        elif label in NUMBER_LABELS:
            slot = number_slot(doc, entity)
            if slot is not None:
                yield slot


def canonical(surface: str, names: Mapping[str, str]) -> str:
    """The canonical name of a surface form (the form itself, tidied, when none is known)."""
    tidy = strip_name(surface)
    return names.get(surface) or names.get(tidy) or tidy


def strip_name(surface: str) -> str:
    """A name without a leading article or a trailing possessive."""
    tidy = re.sub(r"^(the|The)\s+", "", surface.strip())
    return re.sub(r"[’']s?$", "", tidy).strip()


def split_qualifier(doc, start: int, text: str) -> tuple[str, str]:
    """(qualifier, text without it) for a number, looking inside its text and at the words before it."""
    lowered = text.lower()
    for words, meaning in QUALIFIERS:
        if lowered.startswith(words + " "):
            return meaning, text[len(words) + 1:]
    before = " ".join(t.lower_ for t in doc[max(0, start - 2):start])
    for words, meaning in QUALIFIERS:
        if before == words or before.endswith(" " + words):
            return meaning, text
    return "", text


def duration_slot(doc, entity) -> Slot | None:
    """A DATE / TIME entity that is a length of time ("two days", "almost one hour"), in seconds."""
    if YEAR_PATTERN.search(entity.text) or MONTH_DAY_PATTERN.search(entity.text):
        return None
    qualifier, rest = split_qualifier(doc, entity.start, entity.text)
    rest = re.sub(r"^(just|only|some)\s+", "", rest.strip(), flags=re.IGNORECASE)
    parsed = [q for q in quantities(rest) if q[2] in TIME_UNITS]
    if len(parsed) != 1 or not re.match(r"^(\d|a\b|an\b|one|two|three|four|five|six|seven|eight|nine|ten|"
                                        r"eleven|twelve|several|few|\w+teen|\w+ty)", rest, re.IGNORECASE):
        return None
    _, value, unit = parsed[0]
    seconds = to_base(value, unit)
    if seconds is None:
        return None
    following = doc[entity.end].lower_ if entity.end < len(doc) else ""
    last = entity[-1].lower_
    relation = last if last in RELATIVE_WORDS else following if following in RELATIVE_WORDS else ""
    return Slot("quantity", entity.text, seconds[0], unit=seconds[1], qualifier=qualifier, relation=relation)


def date_slot(text: str, dates: Sequence[tuple[str, str]] | None, base: dt.datetime | None) -> Slot | None:
    """A date slot: the timeline's resolved value when given, else dateparser's against the publication date."""
    if dates is not None:
        for surface, value in dates:
            if surface and (surface in text or text in surface):
                return Slot("date", text, value)
    return Slot("date", text, resolve_date(text, base.isoformat() if base else ""))


@functools.lru_cache(maxsize=4096)
def resolve_date(text: str, base: str) -> str:
    """ISO value of a date expression ("" when it cannot be resolved without guessing)."""
    from dateparser.date import DateDataParser

    settings = {"PREFER_DATES_FROM": "past", "PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False}
    if base:
        settings["RELATIVE_BASE"] = dt.datetime.fromisoformat(base)
    has_year = YEAR_PATTERN.search(text)
    if not base and not has_year:
        match = MONTH_DAY_PATTERN.search(text)
        if not match:
            return ""
        data = date_parser(()).get_date_data(match.group(0))
        return data.date_obj.strftime("--%m-%d") if data.date_obj else ""
    data = DateDataParser(languages=["en"], settings=settings).get_date_data(text)
    when, period = data.date_obj, data.period
    if when is None:
        return ""
    # dateparser reads "January 9-10" as the year 2010: a year the text does not
    # state must be the publication year or the one before.
    if not has_year and base and abs(when.year - dt.datetime.fromisoformat(base).year) > 1:
        return ""
    if period == "year":
        return f"{when.year:04d}"
    if period == "month":
        return f"{when.year:04d}-{when.month:02d}"
    if period == "day":
        return when.date().isoformat()
    return ""


@functools.lru_cache(maxsize=2)
def date_parser(_: tuple):
    """A dateparser parser for month-day expressions without a base date."""
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en"], settings={"PREFER_DAY_OF_MONTH": "first"})


def number_slot(doc, entity) -> Slot | None:
    """A number or quantity slot: value (base units for quantities), counted noun or unit, qualifier."""
    if SCORE_PATTERN.search(entity.text):
        return None  # a score or a record ("88-72", "9-14") is two numbers, not one figure
    qualifier, rest = split_qualifier(doc, entity.start, entity.text)
    following = doc[entity.end].lower_ if entity.end < len(doc) else ""
    if following in ADDITIVE_WORDS and not qualifier:
        qualifier = "at least"  # "two more times": a count on top of others, not a total
    parsed = quantities(rest)
    if len(parsed) != 1:
        return None
    _, value, unit = parsed[0]
    if unit == "dimensionless":
        if entity.label_ == "PERCENT":
            return Slot("number", entity.text, value, unit="percent", qualifier=qualifier)
        last = entity[-1]
        counted = last.head.lemma_.lower() if last.dep_ in ("nummod", "quantmod", "compound") and last.head.i >= entity.end else ""
        return Slot("number", entity.text, value, unit=counted, qualifier=qualifier)
    if unit == "percentage":
        return Slot("number", entity.text, value, unit="percent", qualifier=qualifier)
    base = to_base(value, unit)
    if base is None:
        return Slot("quantity", entity.text, value, unit=unit, qualifier=qualifier)
    return Slot("quantity", entity.text, base[0], unit=base[1], qualifier=qualifier)


@functools.lru_cache(maxsize=1)
def quantity_parser():
    """quantulum3's parser, with its unit classifier when that loads and its heuristic when not.

    quantulum3 0.10.0 ships the classifier that tells ambiguous units apart ("weighed 5 pounds":
    weight, not money) pickled by scikit-learn 1.8, and stems with `stemming`: both are pinned. If it
    does not load (another scikit-learn: no module "_loss"), quantulum3 would try again on every text
    with such a unit and raise each time (0.7 s, and the text lost all its quantities): it is tried
    once here, and on failure quantulum3's own heuristic decides, and the log says so.
    """
    from quantulum3 import classifier, parser

    if classifier.USE_CLF:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", category=UserWarning)
                loaded = classifier.classifier("en_US", None)  # cached: the one `parser.parse` asks for
        except Exception as error:  # an unpickling error of any kind: the model is unusable here
            classifier.USE_CLF = False
            LOG.warning("quantulum3's unit classifier does not load (%s: %s); ambiguous units are told apart "
                        "by its heuristic", type(error).__name__, error)
        else:
            weights_read_in_place(loaded.classifier)
    return parser


def weights_read_in_place(model) -> None:
    """Store a linear classifier's weights in Fortran order: the same numbers, scored the same, in place.

    scikit-learn scores a text's sparse terms against the weights transposed, and SciPy's product took that
    transpose as one contiguous array, so it copied the whole matrix on every call: quantulum3's unit
    classifier holds 68 units by 36,570 terms (19 MB), copied for each ambiguous unit, 19 of the 21 ms a
    `quantities` call took (docs/bench.md). In Fortran order the transpose is contiguous as it is."""
    import numpy

    weights = getattr(model, "coef_", None)
    if isinstance(weights, numpy.ndarray) and weights.ndim == 2:
        model.coef_ = numpy.asfortranarray(weights)


LOG = logging.getLogger("storyline.claims")


@functools.lru_cache(maxsize=8192)
def quantities(text: str) -> tuple[tuple[str, float, str], ...]:
    """(surface, value, unit name) of the quantities quantulum3 finds in a short text."""
    parser = quantity_parser()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", category=UserWarning)
            found = parser.parse(text)
    except Exception:  # quantulum3 raises assorted errors on odd text; a number it cannot read is no slot
        return ()
    return tuple((q.surface, float(q.value), q.unit.name) for q in found)


def initials(name: str) -> str:
    """Upper-case initials of a multi-word name, skipping short function words ("of", "and", "for")."""
    words = [w for w in re.split(r"[\s-]+", name) if w and w.lower() not in ("of", "and", "for", "in", "the", "on")]
    return "".join(w[0].upper() for w in words if w[0].isalpha())


def own_canonical_names(docs) -> dict[str, str]:
    """Surface form -> canonical name when the entities stage gave none.

    A surname alone maps to the full name an article of the story uses
    ("Putin" -> "Vladimir Putin"); spelling variants of one name across
    articles map to the most used spelling.
    """
    counts: dict[str, int] = {}
    labels: dict[str, set[str]] = {}
    for doc in docs:
        for entity in doc.ents:
            if entity.label_ in NAME_LABELS:
                form = strip_name(entity.text)
                if form:
                    counts[form] = counts.get(form, 0) + 1
                    labels.setdefault(form, set()).add(entity.label_)
    # NER labels of one name vary between sentences (Zelenskiy as PERSON and as
    # ORG), so variants are merged whatever their label.
    mapping: dict[str, str] = {}
    chosen: list[str] = []
    for form in sorted(counts, key=lambda form: (-counts[form], -len(form), form)):
        target = next((other for other in chosen
                       if fuzz.ratio(form.lower(), other.lower()) >= NAME_VARIANT_RATIO), None)
        if target is None:
            chosen.append(form)
        else:
            mapping[form] = target
    # An acronym names the multi-word form whose initials it spells (U.S. / US
    # -> United States, OSCE -> Organization for Security and Co-operation in Europe).
    long_forms: dict[str, list[str]] = {}
    for form in chosen:
        if " " in form:
            long_forms.setdefault(initials(form), []).append(form)
    for form in chosen:
        letters = re.sub(r"[^A-Za-z]", "", form)
        if " " not in form and form.replace(".", "").isupper() and len(long_forms.get(letters.upper(), ())) == 1:
            mapping[form] = long_forms[letters.upper()][0]
    full_names = [form for form in chosen if " " in form and "PERSON" in labels[form]]
    for form in chosen:
        if " " not in form:
            longer = sorted({name for name in full_names
                             if fuzz.ratio(name.split()[-1].lower(), form.lower()) >= NAME_VARIANT_RATIO})
            if len(longer) == 1:
                mapping[form] = longer[0]
    for form, target in list(mapping.items()):
        mapping[form] = mapping.get(target, target)
    return mapping


# Dependents a clause cannot stop before: its subject, auxiliaries, negation, particle and the
# complements its verb needs ("Police said | the man ..." and "Microsoft has released | ..." say nothing).
SUBJECTS = ("nsubj", "nsubjpass", "csubj", "csubjpass", "expl")
ATTACHED = ("aux", "auxpass", "neg", "prt")
COMPLEMENTS = ("dobj", "attr", "acomp", "ccomp", "xcomp", "oprd", "dative")
# What a clause may lose at its end: modifiers, not the words a kept word needs ("in | the election").
OPTIONAL = ("prep", "advcl", "acl", "relcl", "conj", "cc", "appos", "npadvmod", "advmod", "agent", "punct",
            "parataxis", "mark")
NOMINAL = ("NOUN", "PROPN", "PRON", "NUM")
# Words a clause cannot end on: they open what was left out ("... on Wednesday, but").
DANGLING = ("CCONJ", "SCONJ", "ADP", "DET", "AUX", "PART")
# Verbs that report what another verb tells ("says the actress checked into rehab").
SAYING = frozenset("say tell report announce confirm state add claim explain believe allege".split())
# A trimmed clause shorter than this (words) says too little to stand for what happened.
CUT_MIN_WORDS = 6


@dataclass(frozen=True, slots=True)
class Lead:
    """A lead sentence's main clause: where it may stop (character offsets in the sentence, no comma or
    dash left hanging: `text[:cut]` reads as the clause), and the verb that tells its event as written
    ("pulled"; of a verb of saying, what was said: "checked" in "Lohan's lawyer says the actress checked
    into rehab"), "" for a clause of "be" or "have"."""

    cuts: tuple[int, ...]
    verb: str


def lead_cuts(articles: Sequence[Article], sentences: int = 2) -> dict[str, Lead]:
    """Where each of an article's first `sentences` sentences may stop and still state its main clause,
    and the verb of its event; only those that tell news (a main clause with its subject, not in the
    past perfect) are keys.

    Character offsets in the sentence: after its main verb, its subject and the complements the verb
    needs (`needed`), at a boundary where every word before the cut depends on a word before it too and
    what is left out only modifies them ("Voters in X cast ballots Sunday in a parliamentary election | hailed by the government ..."), and
    not inside a quotation. The brief tries these trims of the leads for the statement most sources make.
    """
    pairs = [(s.id, s.text) for article in articles for s in article.sentences[:sentences] if s.text.strip()]
    cuts: dict[str, Lead] = {}
    for (sentence_id, text), doc in zip(pairs, nlp.parse([text for _, text in pairs])):
        sent = next(iter(doc.sents), None)
        if sent is None or not has_subject(sent.root) or past_perfect(sent.root):
            continue
        main = needed(sent.root)
        last = max(t.i for t in main)
        found: set[int] = set()
        for token in sent[1:]:
            kept = [t for t in doc[sent.start:token.i] if not t.is_punct and not t.is_space]
            if token.i <= last or len(kept) < CUT_MIN_WORDS or token.is_space or kept[-1].pos_ in DANGLING:
                continue
            # Every word kept hangs on a kept word; each part left out modifies a noun or a verb of the
            # main clause ("election | hailed by ...", not "hailed | by the government").
            left_out = [t for t in doc[token.i:sent.end] if t.head.i < token.i]
            before = text[:token.idx]
            if all(t.head.i < token.i for t in doc[sent.start:token.i]) \
                    and before.count("(") == before.count(")") and before.count("[") == before.count("]") \
                    and all(t.dep_ in OPTIONAL and (t.head in main or t.head.pos_ in NOMINAL) for t in left_out) \
                    and len(QUOTE_MARKS.findall(before)) % 2 == 0:
                found.add(len(before.rstrip(" ,;:-–—")))
        cuts[sentence_id] = Lead(tuple(sorted(found)), event_verb(sent.root))
    return cuts


def event_verb(verb) -> str:
    """The verb that tells a clause's event as written: past a verb of saying to what was said; "" for
    "be" and "have", which tell none."""
    if verb.lemma_.lower() in SAYING:
        said = [c for c in verb.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")]
        if said:
            return event_verb(said[0])
    return "" if verb.lemma_.lower() in ("be", "have") else verb.text


def past_perfect(verb) -> bool:
    """Whether a clause is in the past perfect ("Suspect had been fired last week"): what came before."""
    return any(c.dep_ in ("aux", "auxpass") and c.lower_ == "had" for c in verb.children) and verb.tag_ == "VBN"


def needed(verb) -> set:
    """The tokens a clause must keep to state what its verb says: the verb, its subjects (all of
    them), auxiliaries, negation and particle, and each complement it needs, a verb complement with
    what it needs in turn ("said the man killed his wife" keeps "wife")."""
    kept = {verb}
    for child in verb.children:
        if child.dep_ in SUBJECTS:
            kept.update(child.subtree)
        elif child.dep_ in ATTACHED:
            kept.add(child)
        elif child.dep_ in COMPLEMENTS:
            kept.update(needed(child) if child.pos_ in ("VERB", "AUX") else {child})
    # A verb with no complement keeps its first phrase after it: "checked | into a clinic", "was placed |
    # on injured reserve" say where; only what follows that may go.
    # With no phrase, a verb shares what its next verb has: "shot | and killed a 16-year-old" keeps the
    # victim, "returned Thursday evening, | gunned down two women" what she did.
    if verb.pos_ in ("VERB", "AUX") and not any(c.dep_ in COMPLEMENTS for c in verb.children):
        after = [c for c in verb.children if c.i > verb.i and c.dep_ == "prep"]
        joined = [c for c in verb.children if c.i > verb.i and c.dep_ == "conj" and c.pos_ == "VERB"]
        if after:
            kept.add(after[0])
            kept.update(c for c in after[0].children if c.dep_ == "pobj")
        elif joined:
            kept.update(needed(joined[0]))
    return kept
