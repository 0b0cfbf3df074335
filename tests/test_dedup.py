"""Tests of the dedup stage on real text: the seed reports, ecbplus, the extraction benchmark."""

from __future__ import annotations

import gzip
import itertools
import json
import re
from dataclasses import replace

import pytest
from datasketch import MinHash, MinHashLSH
from hypothesis import given, settings, strategies as st

from storyline import dedup
from storyline.errors import StoreError
from storyline.records import Article, Origin, Outlet, Published, Sentence, content_id, sentence_id
from tests.conftest import ECBPLUS, EXTRACTION, SEEDS

CONFIG = dedup.DedupConfig()


def make_article(text: str, location: str, published: str | None = None) -> Article:
    """An Article from plain text: lines are paragraphs, a line is split into sentences at '. '."""
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    paragraphs = [p for p in paragraphs if not re.match(r"https?://\S+$", p)]
    body = "\n\n".join(paragraphs)
    article_id = content_id(location + "\n" + body)
    sentences, offset = [], 0
    for number, paragraph in enumerate(paragraphs):
        for match in re.finditer(r"\S.*?(?:[.!?][\"”’]?(?=\s)|$)", paragraph):
            n = len(sentences)
            sentences.append(Sentence(sentence_id(article_id, n), n, match.group(),
                                      offset + match.start(), offset + match.end(), number))
        offset += len(paragraph) + 2
    return Article(article_id, article_id, Origin("file", location), paragraphs[0] if paragraphs else "",
                   Outlet(), (), Published(published), "en", body, tuple(sentences))


def seeds() -> list[Article]:
    return [make_article(p.read_text(), p.name) for p in sorted(SEEDS.glob("0*.txt"))]


def ecbplus(ids: set[str]) -> dict[str, Article]:
    docs = (json.loads(line) for line in ECBPLUS.open())
    return {d["id"]: make_article(d["text"], d["id"]) for d in docs if d["id"] in ids}


def verdict(a: Article, b: Article):
    return dedup.classify(a, dedup.fingerprint(a, CONFIG), b, dedup.fingerprint(b, CONFIG), CONFIG)


def wire_copy(article: Article, location: str, published: str | None = None) -> Article:
    """What an outlet does to a wire story: new title, tail cut, two paragraphs merged, boilerplate."""
    paragraphs = article.paragraphs[1:]
    paragraphs = paragraphs[: max(3, len(paragraphs) * 2 // 3)]
    paragraphs[0:2] = [paragraphs[0] + " " + paragraphs[1]]
    text = "\n".join(["A different headline written by the outlet", *paragraphs, "Share this article"])
    return make_article(text, location, published)


@pytest.fixture(scope="module")
def seed_articles() -> list[Article]:
    return seeds()


def test_dedup_exact_copy_with_other_case_quotes_and_whitespace(seed_articles):
    original = seed_articles[3]
    text = "\n".join(original.paragraphs).replace("'", "\u2019").replace('"', "\u201c").upper()
    copy = make_article(text.replace(" ", "  "), "copy")
    found = verdict(copy, original)
    assert found is not None and found.relation == "exact"
    assert dedup.fingerprint(copy).body_hash == dedup.fingerprint(original).body_hash


def test_dedup_extraction_benchmark_versions_are_duplicates():
    # The gold body and trafilatura's extraction of the same page: one article.
    import trafilatura

    gold = json.loads((EXTRACTION / "ground-truth.json").read_text())
    pages = sorted(gold)[:6]
    for page in pages:
        html = gzip.decompress((EXTRACTION / "html" / f"{page}.html.gz").read_bytes()).decode("utf-8", "replace")
        extracted = trafilatura.extract(html, include_comments=False)
        a = make_article(gold[page]["articleBody"], page + "/gold")
        b = make_article(extracted, page + "/trafilatura")
        found = verdict(a, b)
        assert found is not None, page
        assert found.relation in ("exact", "near", "syndicated")


def test_dedup_near_copy_with_a_few_words_changed(seed_articles):
    original = seed_articles[0]
    paragraphs = original.paragraphs
    paragraphs[5] = paragraphs[5].replace(" the ", " a ", 2)
    copy = make_article("\n".join(paragraphs + ["Follow us on Twitter"]), "near")
    found = verdict(original, copy)
    assert found is not None and found.relation == "near"
    assert found.score >= CONFIG.near_jaccard


def test_dedup_syndicated_copy_of_a_real_wire_story_detected():
    original = ecbplus({"29_1ecbplus"})["29_1ecbplus"]
    copy = wire_copy(original, "outlet-b")
    found = verdict(copy, original)
    assert found is not None and found.relation == "syndicated"


def test_dedup_real_ecbplus_wire_copies_detected():
    # Inspected in bench/dedup.py: an AP story trimmed by two outlets, and a blog repost.
    articles = ecbplus({"7_3ecbplus", "7_4ecbplus", "22_12ecbplus", "22_14ecbplus"})
    for a, b in (("7_4ecbplus", "7_3ecbplus"), ("22_14ecbplus", "22_12ecbplus")):
        found = verdict(articles[a], articles[b])
        assert found is not None and found.relation in ("near", "syndicated"), (a, b)


def test_dedup_seed_reports_are_pairwise_not_duplicates(seed_articles):
    # Five outlets' own reports of one call, some quoting one statement verbatim.
    for a, b in itertools.combinations(seed_articles, 2):
        assert verdict(a, b) is None, (a.origin.location, b.origin.location)
    assert dedup.find_duplicates(seed_articles) == []


def test_dedup_same_story_ecbplus_reports_are_not_duplicates():
    # Different outlets' reports of one event (no wire copy among them: checked by hand).
    ids = {"1_10ecb", "1_11ecb", "1_13ecb", "1_19ecb", "13_3ecb", "13_5ecb", "13_10ecb", "13_16ecb",
           "2_1ecbplus", "2_4ecbplus", "2_8ecbplus", "2_9ecbplus"}
    articles = ecbplus(ids)
    assert len(articles) == len(ids)
    by_story: dict[str, list[Article]] = {}
    for article_id, article in articles.items():
        by_story.setdefault(article_id.split("_")[0] + article_id[article_id.index("e"):], []).append(article)
    for members in by_story.values():
        for a, b in itertools.combinations(members, 2):
            assert verdict(a, b) is None, (a.origin.location, b.origin.location)


def test_dedup_verdict_is_symmetric_and_canonical_is_earliest():
    original = ecbplus({"29_1ecbplus"})["29_1ecbplus"]
    original = replace(original, published=Published("2012-12-23"))
    copy = wire_copy(original, "outlet-b", published="2012-12-24")
    forward, backward = verdict(copy, original), verdict(original, copy)
    assert forward == backward
    assert forward.canonical == original.id and forward.members == (copy.id,)
    undated = replace(copy, published=Published(None))
    assert verdict(undated, original).canonical == original.id
    # A stated date beats an earlier inferred one: the text's latest past day is often a background event.
    inferred = replace(original, published=Published("2008-07-07", inferred=True, evidence="latest past date"))
    assert verdict(copy, inferred).canonical == copy.id
    assert verdict(replace(copy, published=Published(None)), inferred).canonical == inferred.id


@pytest.fixture(scope="module")
def pool(seed_articles) -> list[Article]:
    """Real articles with copies: a syndicated pair, an exact pair, seed reports."""
    wire = ecbplus({"28_7ecbplus", "28_9ecbplus", "31_4ecbplus"})
    copy = wire_copy(wire["31_4ecbplus"], "outlet-c", "2012-01-01")
    exact = make_article("\n".join(seed_articles[1].paragraphs).upper(), "exact-copy")
    return [*seed_articles, *wire.values(), copy, exact]


def test_dedup_find_duplicates_groups_copies(pool):
    sets = dedup.find_duplicates(pool)
    groups = {frozenset((s.canonical, *s.members)): s.relation for s in sets}
    by_location = {a.origin.location: a.id for a in pool}
    assert groups[frozenset((by_location["001_315be47817b9a345.txt"], by_location["exact-copy"]))] == "exact"
    assert frozenset((by_location["31_4ecbplus"], by_location["outlet-c"])) in groups
    assert frozenset((by_location["28_7ecbplus"], by_location["28_9ecbplus"])) in groups
    assert len(sets) == 3
    # The copy map names each copy's canonical article, never a canonical one as a copy.
    copies = dedup.copy_map(sets)
    exact = {by_location["exact-copy"], by_location["001_315be47817b9a345.txt"]}
    (copy,) = exact & copies.keys()
    assert copies[copy] == (exact - {copy}).pop()
    assert len(copies) == sum(len(s.members) for s in sets) and not copies.keys() & {s.canonical for s in sets}


@settings(max_examples=15, deadline=None)
@given(st.randoms(use_true_random=False))
def test_dedup_find_duplicates_independent_of_input_order(pool, rng):
    shuffled = list(pool) + [pool[0]]  # a repeated article counts once
    rng.shuffle(shuffled)
    assert dedup.find_duplicates(shuffled) == dedup.find_duplicates(pool)


@settings(max_examples=20, deadline=None)
@given(st.data())
def test_dedup_classify_symmetric_on_any_pair(pool, data):
    a = data.draw(st.sampled_from(pool))
    b = data.draw(st.sampled_from(pool))
    assert verdict(a, b) == verdict(b, a)


def test_dedup_fingerprint_round_trips_through_bytes(seed_articles):
    fp = dedup.fingerprint(seed_articles[2])
    assert dedup.Fingerprint.from_bytes(fp.to_bytes()) == fp
    assert len(fp.hashvalues) == CONFIG.num_perm
    with pytest.raises(StoreError):
        dedup.Fingerprint.from_bytes(b"not a fingerprint")
    with pytest.raises(StoreError):
        dedup.Fingerprint.from_bytes(fp.to_bytes()[:40])


def test_dedup_band_keys_equal_for_identical_articles_and_match_datasketch(seed_articles):
    article = seed_articles[4]
    twin = make_article("\n".join(article.paragraphs), "twin")
    keys = dedup.band_keys(dedup.fingerprint(article))
    assert keys == dedup.band_keys(dedup.fingerprint(twin))
    assert keys != dedup.band_keys(dedup.fingerprint(seed_articles[0]))
    # The same bands MinHashLSH stores for this signature.
    lsh = MinHashLSH(threshold=CONFIG.lsh_threshold, num_perm=CONFIG.num_perm)
    fp = dedup.fingerprint(article)
    minhash = MinHash(num_perm=CONFIG.num_perm, seed=CONFIG.seed, scheme="affine32")
    minhash.update_batch([s.encode() for s in dedup.shingle(dedup.tokenise(article.body), CONFIG.shingle_size)])
    assert tuple(int(v) for v in minhash.hashvalues) == fp.hashvalues
    lsh.insert("a", minhash)
    assert [key[2:] for key in keys] == list(lsh.keys.get("a"))


def test_dedup_lead_keys_find_a_short_copy_of_a_long_story():
    # 7_4ecbplus is the first three sentences of 7_3ecbplus: Jaccard far below the LSH threshold.
    articles = ecbplus({"7_3ecbplus", "7_4ecbplus"})
    short, long = articles["7_4ecbplus"], articles["7_3ecbplus"]
    assert set(dedup.lead_keys(short)) & set(dedup.lead_keys(long))
    assert dedup.find_duplicates([short, long])


def test_dedup_empty_and_tiny_bodies_are_handled(seed_articles):
    empty = make_article("", "empty")
    other_empty = make_article("   \n", "other-empty")
    fp = dedup.fingerprint(empty)
    assert fp.words == 0 and fp.body_hash == "" and dedup.band_keys(fp) == []
    assert verdict(empty, other_empty) is None  # nothing to copy
    tiny = make_article("Photo: AP", "tiny")
    tiny_copy = make_article("photo - AP", "tiny-copy")
    assert verdict(tiny, tiny_copy).relation == "exact"
    # A short text that is one sentence of a long report is not called a copy of it.
    sentence = seed_articles[0].sentences[8].text
    assert verdict(make_article(sentence, "one-line"), seed_articles[0]) is None
    assert dedup.find_duplicates([empty, other_empty, tiny]) == []


def test_dedup_short_copy_with_words_inserted_is_a_copy():
    # ECB+ 23_1ecb / 23_9ecb: one AAP sentence; 23_9ecb adds "also" and "himself" (bench/gold/23-ecb.json).
    # Each inserted word breaks five 5-word shingles: read by word pairs, most of them are the same.
    articles = ecbplus({"23_1ecb", "23_9ecb", "14_3ecb", "14_10ecb", "11_7ecb", "11_6ecb"})
    found = verdict(articles["23_9ecb"], articles["23_1ecb"])
    assert found is not None and found.relation == "near"
    assert dedup.find_duplicates([articles["23_1ecb"], articles["23_9ecb"]])
    # Two outlets' own short reports of one fire, of one election: not copies.
    for a, b in (("14_3ecb", "14_10ecb"), ("11_7ecb", "11_6ecb")):
        assert verdict(articles[a], articles[b]) is None, (a, b)
