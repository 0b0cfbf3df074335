"""Bench of the dedup stage: precision / recall of duplicate verdicts on real text.

Run:  PYTHONPATH=. python bench/dedup.py [--quick]

Positives (real):
- the article-extraction benchmark: per page, the gold `articleBody` and
  trafilatura's extraction of the same HTML are two versions of one article;
- ecbplus pairs inside one story that are wire copies, inspected by hand
  (`ECBPLUS_COPIES` below, with the reason);
- copies made from real ecbplus and benchmark bodies by the edits outlets make
  (generated with a fixed seed): exact (case / whitespace / quote styles),
  near (a few words changed, a sentence added) and syndicated (new title,
  trimmed tail, a paragraph dropped or added, re-paragraphed, some words
  changed, boilerplate lines).
Negatives (hard): every other pair of ecbplus articles in one story (different
outlets' reports of one event; `ECBPLUS_PARTIAL` pairs, which share a block of
wire paragraphs but each add their own reporting, are left out of the scores
and counted apart), and the five seed reports pairwise.

Prints: LSH candidate recall, a threshold sweep, the operating point with P / R
/ F1 per relation, the exact-hash baseline of the same run, throughput and
peak memory. Trafilatura's extractions are cached in /tmp.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import random
import re
import resource
import sys
import time
from dataclasses import replace
from pathlib import Path

from bench.datasets import ECBPLUS, EXTRACTION, SEEDS, require
from storyline import dedup, nlp
from storyline.records import Article, Origin, Outlet, Published, Sentence, content_id, sentence_id
CACHE = Path("/tmp/storyline-bench-dedup-trafilatura.json")

# Inspected by hand (sentence by sentence): the shorter is the longer's wire
# text, trimmed or lightly edited; the reason names the edit.
ECBPLUS_COPIES = {
    ("1_21ecbplus", "1_2ecbplus"): "AP Lohan story, first paragraph changed",
    ("4_2ecbplus", "4_1ecbplus"): "same obituary lead, trimmed",
    ("7_4ecbplus", "7_3ecbplus"): "AP Klitschko story trimmed to its first three sentences",
    ("7_9ecbplus", "7_10ecbplus"): "AP Klitschko story, different title",
    ("7_11ecbplus", "7_1ecbplus"): "AP Klitschko story trimmed",
    ("7_4ecbplus", "7_2ecbplus"): "AP Klitschko lead",
    ("7_1ecbplus", "7_3ecbplus"): "AP Klitschko story, a few sentences reworded",
    ("7_4ecbplus", "7_11ecbplus"): "AP Klitschko lead",
    ("7_4ecbplus", "7_1ecbplus"): "AP Klitschko lead",
    ("7_10ecbplus", "7_11ecbplus"): "AP Klitschko story, retitled",
    ("7_4ecbplus", "7_10ecbplus"): "AP Klitschko lead",
    ("7_4ecbplus", "7_9ecbplus"): "AP Klitschko lead",
    ("8_5ecb", "8_7ecb"): "the wire lead alone, two words changed",
    ("9_3ecbplus", "9_9ecbplus"): "the same press release",
    ("12_14ecb", "12_4ecb"): "wire story trimmed, lightly reworded",
    ("12_9ecbplus", "12_6ecbplus"): "the same navy release, retitled",
    ("12_3ecbplus", "12_1ecbplus"): "the same agency copy",
    ("12_8ecbplus", "12_4ecbplus"): "the same agency copy, trimmed",
    ("18_13ecb", "18_5ecb"): "the same Canadian Press story",
    ("18_5ecb", "18_4ecb"): "Canadian Press story, two sentences changed",
    ("18_13ecb", "18_4ecb"): "Canadian Press story, two sentences changed",
    ("19_7ecb", "19_8ecb"): "wire story trimmed",
    ("19_11ecbplus", "19_6ecbplus"): "wire story trimmed, lead reworded",
    ("21_8ecb", "21_12ecb"): "the same local story",
    ("21_9ecbplus", "21_1ecbplus"): "the same local story",
    ("22_14ecbplus", "22_12ecbplus"): "blog repost of the AP story, trimmed",
    ("23_6ecbplus", "23_3ecbplus"): "the same agency story, retitled",
    ("23_4ecbplus", "23_3ecbplus"): "the same agency story, retitled",
    ("23_4ecbplus", "23_6ecbplus"): "the same agency story, retitled",
    ("24_9ecbplus", "24_3ecbplus"): "the same AFP story",
    ("24_11ecbplus", "24_6ecbplus"): "the same agency story",
    ("24_1ecbplus", "24_10ecbplus"): "the same AFP story",
    ("24_7ecbplus", "24_5ecbplus"): "the same AFP story, retitled",
    ("24_10ecbplus", "24_5ecbplus"): "the same AFP story",
    ("24_7ecbplus", "24_10ecbplus"): "the same AFP story, retitled",
    ("24_1ecbplus", "24_5ecbplus"): "the same AFP story",
    ("24_7ecbplus", "24_1ecbplus"): "the same AFP story, retitled",
    ("26_8ecbplus", "26_2ecbplus"): "forum repost of the AP obituary, trimmed",
    ("26_11ecbplus", "26_2ecbplus"): "AP obituary trimmed",
    ("26_11ecbplus", "26_8ecbplus"): "AP obituary trimmed",
    ("26_3ecbplus", "26_2ecbplus"): "AP obituary, a few sentences reworded",
    ("28_13ecb", "28_12ecb"): "blog quoting the newspaper story at length",
    ("28_9ecbplus", "28_7ecbplus"): "the same AP obituary",
    ("28_8ecbplus", "28_9ecbplus"): "AP obituary trimmed",
    ("28_8ecbplus", "28_7ecbplus"): "AP obituary trimmed",
    ("28_10ecbplus", "28_9ecbplus"): "AP obituary trimmed, lightly reworded",
    ("28_10ecbplus", "28_7ecbplus"): "AP obituary trimmed, lightly reworded",
    ("28_4ecbplus", "28_10ecbplus"): "AP obituary, lightly reworded",
    ("28_6ecbplus", "28_9ecbplus"): "AP obituary trimmed, reworded",
    ("28_6ecbplus", "28_7ecbplus"): "AP obituary trimmed, reworded",
    ("29_9ecbplus", "29_1ecbplus"): "the same AP game story",
    ("29_9ecbplus", "29_5ecbplus"): "the same AP game story",
    ("29_1ecbplus", "29_5ecbplus"): "the same AP game story",
    ("30_8ecbplus", "30_11ecbplus"): "the same company statement",
    ("30_8ecbplus", "30_9ecbplus"): "the same company statement",
    ("30_12ecbplus", "30_9ecbplus"): "the same company statement",
    ("31_4ecbplus", "31_9ecbplus"): "the same AP game story",
    ("31_11ecbplus", "31_6ecbplus"): "the same AP game story",
    ("31_5ecbplus", "31_11ecbplus"): "the same AP game story, trimmed",
    ("31_5ecbplus", "31_6ecbplus"): "the same AP game story, trimmed",
    ("32_3ecbplus", "32_5ecbplus"): "agency story trimmed, a few sentences reworded",
    ("35_6ecb", "35_4ecb"): "AP story trimmed",
    ("35_5ecb", "35_4ecb"): "AP story trimmed",
    ("35_10ecbplus", "35_1ecbplus"): "AP story trimmed",
    ("35_7ecbplus", "35_1ecbplus"): "AP story trimmed, retitled",
    ("35_7ecbplus", "35_10ecbplus"): "AP story trimmed, retitled",
}
# Share a block of wire paragraphs but each adds its own reporting, or too
# short to say (one or two sentences): neither label is right; not scored.
# 7_9 / 7_1 and 7_10 / 7_1 (listed as copies before 2026-12-06): 7_9 (= 7_10) is AP's first version,
# 7_1 its write-through adding the stoppage time, quotes and the crowd: a rewrite by the rule of
# bench/gold/SCHEMA.md (a later text adding facts is a new source), which dedup does not yet tell
# apart from a trimmed copy when a third version joins both (docs/bench.md, issue 16).
ECBPLUS_PARTIAL = {
    frozenset(pair) for pair in [
        ("7_9ecbplus", "7_1ecbplus"), ("7_10ecbplus", "7_1ecbplus"),
        ("1_6ecbplus", "1_17ecbplus"), ("1_2ecbplus", "1_5ecbplus"), ("2_7ecbplus", "2_1ecbplus"),
        ("2_3ecbplus", "2_1ecbplus"), ("3_3ecbplus", "3_2ecbplus"), ("7_9ecbplus", "7_11ecbplus"),
        ("7_2ecbplus", "7_3ecbplus"), ("7_9ecbplus", "7_2ecbplus"), ("7_10ecbplus", "7_2ecbplus"),
        ("7_11ecbplus", "7_3ecbplus"), ("7_10ecbplus", "7_3ecbplus"), ("7_9ecbplus", "7_3ecbplus"),
        ("7_11ecbplus", "7_2ecbplus"), ("7_2ecbplus", "7_1ecbplus"), ("8_2ecbplus", "8_1ecbplus"),
        ("8_2ecb", "8_1ecb"), ("9_4ecbplus", "9_11ecbplus"), ("12_13ecb", "12_2ecb"),
        ("12_19ecb", "12_12ecb"), ("13_12ecb", "13_3ecb"), ("13_19ecb", "13_20ecb"),
        ("18_15ecb", "18_9ecb"), ("18_14ecb", "18_15ecb"), ("18_11ecb", "18_4ecb"),
        ("18_16ecb", "18_1ecb"), ("18_11ecbplus", "18_3ecbplus"), ("18_11ecbplus", "18_2ecbplus"),
        ("18_3ecbplus", "18_2ecbplus"), ("18_8ecbplus", "18_7ecbplus"), ("21_8ecbplus", "21_9ecbplus"),
        ("21_8ecbplus", "21_1ecbplus"), ("22_4ecb", "22_7ecb"), ("23_1ecb", "23_9ecb"),
        ("23_1ecbplus", "23_2ecbplus"), ("25_11ecb", "25_4ecb"), ("26_3ecbplus", "26_9ecbplus"),
        ("26_2ecbplus", "26_9ecbplus"), ("27_17ecb", "27_11ecb"), ("28_10ecbplus", "28_12ecbplus"),
        ("28_8ecbplus", "28_10ecbplus"), ("28_4ecbplus", "28_9ecbplus"), ("28_4ecbplus", "28_7ecbplus"),
        ("28_8ecbplus", "28_6ecbplus"), ("28_8ecbplus", "28_4ecbplus"), ("28_4ecbplus", "28_12ecbplus"),
        ("28_12ecbplus", "28_9ecbplus"), ("28_12ecbplus", "28_7ecbplus"), ("29_2ecb", "29_11ecb"),
        ("29_9ecbplus", "29_6ecbplus"), ("29_1ecbplus", "29_6ecbplus"), ("29_5ecbplus", "29_6ecbplus"),
        ("31_3ecb", "31_6ecb"), ("31_6ecb", "31_9ecb"), ("31_3ecb", "31_9ecb"), ("31_2ecb", "31_9ecb"),
        ("31_2ecb", "31_5ecb"), ("32_11ecbplus", "32_2ecbplus"), ("35_5ecb", "35_7ecb"),
    ]
}

# Lines sites add around a syndicated copy (generic, not from any test text).
BOILERPLATE = [
    "Share this article", "Follow us on Twitter and Facebook", "Sign up for our daily newsletter.",
    "Copyright 2024. All rights reserved.", "Advertisement", "Read more:", "Subscribe now",
    "This story has been corrected.", "Related coverage",
]


def make_article(text: str, location: str, published: str | None = None) -> Article:
    """Build an Article from plain text: non-empty lines are paragraphs, spaCy splits sentences."""
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    # ecbplus documents open with the page URL: the clean stage drops it.
    paragraphs = [p for p in paragraphs if not re.match(r"https?://\S+$", p)]
    body = "\n\n".join(paragraphs)
    article_id = content_id(location + "\n" + body)
    senter = nlp.load(("senter",))
    sentences, offset = [], 0
    for number, doc in enumerate(senter.pipe(paragraphs)):
        for span in doc.sents:
            n = len(sentences)
            sentences.append(Sentence(sentence_id(article_id, n), n, span.text,
                                      offset + span.start_char, offset + span.end_char, number))
        offset += len(paragraphs[number]) + 2
    return Article(article_id, article_id, Origin("file", location), paragraphs[0] if paragraphs else "",
                   Outlet(), (), Published(published), "en", body, tuple(sentences))


# --- generated copies ------------------------------------------------------

def _change_words(paragraph: str, rng: random.Random, share: float) -> str:
    """Replace or drop about `share` of the words (an editor's light rewording)."""
    tokens = paragraph.split(" ")
    for _ in range(max(1, round(len(tokens) * share))):
        i = rng.randrange(len(tokens))
        if rng.random() < 0.5:
            tokens[i] = rng.choice(tokens)
        else:
            tokens[i] = ""
    return " ".join(t for t in tokens if t)


def exact_copy(text: str, rng: random.Random) -> str:
    """Same words: another case, whitespace and quote style."""
    text = text.replace('"', "\u201c").replace("'", "\u2019")
    text = re.sub(r" ", lambda m: "  " if rng.random() < 0.1 else " ", text)
    return text.upper() if rng.random() < 0.3 else text.replace("\n", "\n\n")


def near_copy(paragraphs: list[str], rng: random.Random) -> str:
    """A few words changed in two paragraphs, one boilerplate line added."""
    edited = list(paragraphs)
    for i in rng.sample(range(len(edited)), min(2, len(edited))):
        edited[i] = _change_words(edited[i], rng, 0.05)
    edited.insert(rng.randrange(len(edited) + 1), rng.choice(BOILERPLATE))
    return "\n".join(edited)


def syndicated_copy(paragraphs: list[str], rng: random.Random, donor: list[str]) -> str:
    """Retitled, trimmed, a paragraph dropped or added, re-paragraphed, reworded, boilerplate."""
    edited = list(paragraphs[1:])  # the title goes: the copy gets a new one
    keep = max(3, round(len(edited) * rng.uniform(0.5, 0.9)))
    edited = edited[:keep]
    if len(edited) > 4 and rng.random() < 0.5:
        del edited[rng.randrange(1, len(edited))]
    if rng.random() < 0.5:  # the outlet's own paragraph, from another article
        edited.insert(rng.randrange(1, len(edited) + 1), rng.choice(donor))
    if len(edited) > 3 and rng.random() < 0.5:
        i = rng.randrange(len(edited) - 1)
        edited[i : i + 2] = [edited[i] + " " + edited[i + 1]]
    for i in rng.sample(range(len(edited)), max(1, len(edited) // 3)):
        edited[i] = _change_words(edited[i], rng, 0.06)
    title = _change_words(paragraphs[0], rng, 0.3)
    return "\n".join([title, *edited, *rng.sample(BOILERPLATE, 2)])


# --- data ------------------------------------------------------------------

def extraction_pairs(limit: int | None) -> list[tuple[str, str, str]]:
    """(page, gold body, trafilatura body) of the extraction benchmark, cached in /tmp."""
    if CACHE.exists():
        extracted = json.loads(CACHE.read_text())
    else:
        import trafilatura

        extracted = {}
        for path in sorted((EXTRACTION / "html").glob("*.html.gz")):
            html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
            extracted[path.name.split(".")[0]] = trafilatura.extract(html, include_comments=False) or ""
        CACHE.write_text(json.dumps(extracted))
    gold = json.loads((EXTRACTION / "ground-truth.json").read_text())
    pages = sorted(page for page in gold if page in extracted)[:limit]
    return [(page, gold[page]["articleBody"], extracted[page]) for page in pages]


def build(limit: int | None):
    """Articles, labelled pairs {frozenset(ids): relation or None} and partial pairs."""
    rng = random.Random(20261123)
    articles: dict[str, Article] = {}
    labels: dict[frozenset, str | None] = {}
    origin: dict[frozenset, str] = {}

    def add(article: Article) -> str:
        articles[article.id] = article
        return article.id

    def label(a: str, b: str, relation: str | None, source: str) -> None:
        labels[frozenset((a, b))] = relation
        origin[frozenset((a, b))] = source

    docs = [json.loads(line) for line in ECBPLUS.open()]
    if limit:
        docs = [d for d in docs if d["topic"] <= max(3, limit // 20)] + [
            d for d in docs if any(d["id"] in pair for pair in ECBPLUS_COPIES)]
        docs = list({d["id"]: d for d in docs}.values())
    ecb_ids = {d["id"]: add(make_article(d["text"], d["id"])) for d in docs}
    by_story: dict[str, list[str]] = {}
    for d in docs:
        by_story.setdefault(d["story"], []).append(d["id"])
    partial = set()
    for members in by_story.values():
        for a, b in itertools.combinations(sorted(members), 2):
            pair = frozenset((a, b))
            if pair in ECBPLUS_PARTIAL:
                partial.add(frozenset((ecb_ids[a], ecb_ids[b])))
            elif (a, b) in ECBPLUS_COPIES or (b, a) in ECBPLUS_COPIES:
                label(ecb_ids[a], ecb_ids[b], "syndicated", "ecbplus wire copy")
                ANY_ONLY.add(frozenset((ecb_ids[a], ecb_ids[b])))
            else:
                label(ecb_ids[a], ecb_ids[b], None, "ecbplus same story")

    seeds = [add(make_article(p.read_text(), p.name)) for p in sorted(SEEDS.glob("0*.txt"))]
    for a, b in itertools.combinations(seeds, 2):
        label(a, b, None, "seed reports")

    for page, gold, extracted in extraction_pairs(limit):
        if not gold.strip() or not extracted.strip():
            continue
        # Two extractions with the same normalised words are exact copies by definition.
        relation = "exact" if dedup.normalise(gold) == dedup.normalise(extracted) else "near"
        label(add(make_article(gold, page + "/gold")), add(make_article(extracted, page + "/trafilatura")),
              relation, "extraction gold vs trafilatura")

    sources = [a for a in articles.values() if len(a.paragraphs) >= 6 and len(dedup.tokenise(a.body)) >= 150]
    sources = rng.sample(sorted(sources, key=lambda a: a.id), min(len(sources), limit or 150))
    donors = [p for a in articles.values() for p in a.paragraphs[1:] if len(p) > 80]
    for n, source in enumerate(sources):
        kind = ("exact", "near", "syndicated", "syndicated")[n % 4]
        if kind == "exact":
            text = exact_copy("\n".join(source.paragraphs), rng)
        elif kind == "near":
            text = near_copy(source.paragraphs, rng)
        else:
            text = syndicated_copy(source.paragraphs, rng, donors)
        copy = make_article(text, f"generated/{kind}/{n}")
        copy = replace(copy, published=Published("2026-01-02"))
        label(source.id, add(copy), kind, f"generated {kind} copy")
    return articles, labels, origin, partial


# --- scoring ---------------------------------------------------------------

TRANSITIVE = "duplicate"
# Pairs scored on "is a duplicate" only: an ecbplus wire copy may be near or
# syndicated (the same AP text on two sites is both); filled by build().
ANY_ONLY: set[frozenset] = set()


def gold_groups(labels: dict[frozenset, str | None]) -> dict[str, str]:
    """Article id -> its gold duplicate group (the smallest id), from the positive pairs."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for pair, relation in labels.items():
        if relation:
            a, b = sorted(root(i) for i in pair)
            if a != b:
                parent[b] = a
    return {x: root(x) for x in parent} | {root(x): root(x) for x in parent}

def scores(predicted: dict[frozenset, str | None], labels: dict[frozenset, str | None]):
    """P / R / F1 of 'is a duplicate' and per relation, over the labelled pairs."""
    table = {}
    for relation in ("any", *dedup.RELATIONS):
        # Copies of copies (same gold group, no direct label) count only for "any".
        pairs = [p for p in labels if labels[p] != TRANSITIVE and (relation == "any" or p not in ANY_ONLY)]

        def gold_is(pair):
            return labels[pair] is not None if relation == "any" else labels[pair] == relation

        def said(pair):
            return predicted.get(pair) is not None if relation == "any" else predicted.get(pair) == relation

        tp = sum(1 for p in pairs if gold_is(p) and said(p))
        fp = sum(1 for p in pairs if not gold_is(p) and said(p))
        fn = sum(1 for p in pairs if gold_is(p) and not said(p))
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        table[relation] = (precision, recall, f1, tp, fp, fn)
    return table


def verdicts(articles, prints, pairs, config):
    """The relation `classify` gives each pair (None when not a duplicate)."""
    out = {}
    for pair in pairs:
        a, b = sorted(pair)
        verdict = dedup.classify(articles[a], prints[a], articles[b], prints[b], config)
        out[pair] = verdict.relation if verdict else None
    return out


def main() -> None:
    """Print the bench."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small sample (for a smoke run)")
    limit = 40 if parser.parse_args().quick else None
    require(ECBPLUS, EXTRACTION)

    started = time.perf_counter()
    articles, labels, origin, partial = build(limit)
    print(f"built {len(articles)} articles in {time.perf_counter() - started:.1f}s")

    config = dedup.DedupConfig()
    started = time.perf_counter()
    prints = {article_id: dedup.fingerprint(article, config) for article_id, article in articles.items()}
    fingerprint_seconds = time.perf_counter() - started

    # The store's inverted index: band key -> article ids; a lookup is one new article.
    started = time.perf_counter()
    index: dict[bytes, set[str]] = {}
    for article_id, fp in prints.items():
        for key in dedup.band_keys(fp, config):
            index.setdefault(key, set()).add(article_id)
    for article_id, article in articles.items():
        for key in dedup.lead_keys(article, config):
            index.setdefault(key, set()).add(article_id)
    candidates: set[frozenset] = set()
    band_candidates: set[frozenset] = set()
    for article_id, fp in prints.items():
        for key in dedup.band_keys(fp, config):
            band_candidates.update(frozenset((article_id, other)) for other in index[key] if other != article_id)
        candidates.update(band_candidates)
        for key in dedup.lead_keys(articles[article_id], config):
            candidates.update(frozenset((article_id, other)) for other in index[key] if other != article_id)
    lookup_seconds = time.perf_counter() - started

    # Candidate pairs nobody labelled: copies of copies inside one gold group
    # are duplicates (scored for "any" only), pairs across groups are not.
    group = gold_groups(labels)
    partial_groups = {frozenset(group.get(i, i) for i in pair) for pair in partial}
    for pair in candidates:
        if pair not in labels and pair not in partial:
            a, b = sorted(pair)
            same = group.get(a, a) == group.get(b, b)
            if frozenset((group.get(a, a), group.get(b, b))) in partial_groups:
                partial.add(pair)  # a copy of one side of a partial pair
                continue
            labels[pair] = TRANSITIVE if same else None
            origin[pair] = "copy of a copy (gold group, not scored)" if same else "unrelated LSH candidate"

    positives = [p for p, relation in labels.items() if relation and relation != TRANSITIVE]
    counts: dict[str, int] = {}
    for pair, source in origin.items():
        counts[source] = counts.get(source, 0) + 1
    for source, count in sorted(counts.items()):
        print(f"  {count:5d} pairs  {source}")
    print(f"  {len(partial):5d} pairs  ecbplus partial copies (not scored)")
    print(f"\ncandidates among {len(articles)} articles (LSH threshold {config.lsh_threshold}, "
          f"{config.num_perm} perm; lead keys: {config.lead_shingle_size}-word shingles of the first "
          f"{config.lead_sentences} sentences):")
    for name, found in (("LSH bands", band_candidates), ("bands + lead keys", candidates)):
        hits = [sum(1 for p in positives if p in found and labels[p] == r) for r in dedup.RELATIONS]
        totals = [sum(1 for p in positives if labels[p] == r) for r in dedup.RELATIONS]
        print(f"  {name:18s} {len(found):6d} pairs; recall of positives {sum(hits)}/{len(positives)}"
              f" = {sum(hits) / len(positives):.3f} ("
              + ", ".join(f"{r} {h}/{t}" for r, h, t in zip(dedup.RELATIONS, hits, totals)) + ")")

    # Verdicts only on what the index proposes (as the pipeline does); a labelled
    # pair that is not a candidate is a "not duplicate" verdict.
    scored_pairs = candidates
    started = time.perf_counter()
    measured = {}
    for pair in scored_pairs:
        a, b = sorted(pair)
        measured[pair] = (dedup.measure(articles[a], articles[b], config), prints[a], prints[b])
    classify_seconds = time.perf_counter() - started

    def predict(near, containment, share):
        out = {}
        for pair, (f, fa, fb) in measured.items():
            if fa.body_hash and fa.body_hash == fb.body_hash:
                out[pair] = "exact"
            elif min(fa.words, fb.words) < config.min_words:
                out[pair] = None
            elif f.jaccard >= near:
                out[pair] = "near"
            elif f.containment >= containment and f.sentence_share >= share:
                out[pair] = "syndicated"
            else:
                out[pair] = None
        return out

    baseline = {pair: ("exact" if fa.body_hash and fa.body_hash == fb.body_hash else None)
                for pair, (_, fa, fb) in measured.items()}
    print("\nbaseline (exact normalised-body hash only):")
    print_table(scores(baseline, labels))

    print("\nsweep: near_jaccard containment sentence_share -> 'any' P R F1, macro-F1 of the relations")
    best = None
    for near in (0.6, 0.7, 0.8, 0.9):
        for containment in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7):
            for share in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7):
                per = scores(predict(near, containment, share), labels)
                p, r, f1, *_ = per["any"]
                macro = sum(per[k][2] for k in dedup.RELATIONS) / 3
                key = (round(f1, 3), round(macro, 3), p, containment, share)
                if best is None or key > best[0]:
                    best = (key, near, containment, share)
                if near == config.near_jaccard or (containment, share) == (
                        config.syndicated_containment, config.syndicated_sentence_share):
                    print(f"  {near:.1f} {containment:.1f} {share:.1f} -> "
                          f"P {p:.3f} R {r:.3f} F1 {f1:.3f}   macro-F1 {macro:.3f}")
    _, near, containment, share = best
    print(f"best on this run (F1, then macro-F1, then the stricter): near_jaccard {near} "
          f"containment {containment} sentence_share {share}")
    print("  (the defaults sit on the plateau: containment 0.4-0.5 x share 0.4-0.6 differ by one pair;"
          " the stricter share is kept, a false 'copy' costs a brief one independent source)")

    predicted = verdicts(articles, prints, [p for p in scored_pairs if p in labels], config)
    print(f"\noperating point (DedupConfig defaults: near_jaccard {config.near_jaccard}, "
          f"containment {config.syndicated_containment}, sentence_share {config.syndicated_sentence_share}, "
          f"min_words {config.min_words}):")
    print_table(scores(predicted, labels))
    by_source: dict[str, list[int]] = {}
    for pair, relation in labels.items():
        right = (predicted.get(pair) is not None) == (relation is not None)
        by_source.setdefault(origin[pair], [0, 0])[0 if right else 1] += 1
    print("per source (pairs right / wrong on 'is a duplicate'):")
    for source, (right, wrong) in sorted(by_source.items()):
        print(f"  {source:34s} {right:5d} / {wrong}")
    said_partial = sum(1 for p in partial if p in candidates and verdicts(articles, prints, [p], config)[p])
    print(f"ecbplus partial copies called duplicates: {said_partial}/{len(partial)}")
    errors = [(origin[p], sorted(articles[i].origin.location for i in p), labels[p], predicted.get(p))
              for p in labels if labels[p] != TRANSITIVE and (labels[p] is None) != (predicted.get(p) is None)]
    print("errors (source, pair, gold, predicted):")
    for error in sorted(errors, key=str)[:25]:
        print("  ", *error)

    hard = [p for p, source in origin.items() if source in ("ecbplus same story", "seed reports")]
    started = time.perf_counter()
    called = [p for p in hard if verdicts(articles, prints, [p], config)[p]]
    print(f"\nhard negatives judged by classify directly (no index): {len(called)}/{len(hard)} called duplicates"
          f" ({len(hard) / (time.perf_counter() - started):.0f} pairs/s)")
    for pair in called[:10]:
        print("  ", sorted(articles[i].origin.location for i in pair))

    print("\nshingle size (default thresholds): candidate recall, 'any' P R F1 over scored pairs")
    for size in (3, 4, 5, 7):
        sized = replace(config, shingle_size=size)
        sized_prints = {i: dedup.fingerprint(a, sized) for i, a in articles.items()}
        index_sized: dict[bytes, set[str]] = {}
        for i, fp in sized_prints.items():
            for key in [*dedup.band_keys(fp, sized), *dedup.lead_keys(articles[i], sized)]:
                index_sized.setdefault(key, set()).add(i)
        found = {frozenset((i, j)) for ids in index_sized.values() for i in ids for j in ids if i != j}
        scored = {p: r for p, r in labels.items() if r != TRANSITIVE}
        said = verdicts(articles, sized_prints, [p for p in scored if p in found], sized)
        p, r, f1, *_ = scores(said, scored)["any"]
        recall = sum(1 for q in positives if q in found) / len(positives)
        print(f"  {size}: candidates {len(found)}, candidate recall {recall:.3f}, P {p:.3f} R {r:.3f} F1 {f1:.3f}")

    started = time.perf_counter()
    sets = dedup.find_duplicates(list(articles.values()), config)
    batch_seconds = time.perf_counter() - started
    print(f"\nfind_duplicates: {len(sets)} sets over {len(articles)} articles in {batch_seconds:.2f}s")
    print(f"throughput: {len(prints) / fingerprint_seconds:.0f} fingerprints/s, "
          f"{len(prints) / lookup_seconds:.0f} index inserts+lookups/s, "
          f"{len(measured) / classify_seconds:.0f} pair verdicts/s")
    print(f"peak memory (max RSS of this process): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def print_table(table) -> None:
    """Print P / R / F1 rows."""
    for relation, (precision, recall, f1, tp, fp, fn) in table.items():
        print(f"  {relation:10s} P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}   (tp {tp}, fp {fp}, fn {fn})")


if __name__ == "__main__":
    sys.exit(main())
