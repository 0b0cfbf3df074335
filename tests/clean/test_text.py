"""Tests of the plain-text cleaner on real scraped text: the seed story and ECB+."""

from __future__ import annotations

import importlib.util
import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.clean.text import extract_plain_text

from tests.conftest import ECBPLUS, EXTRACTION, SEEDS

REPO = Path(__file__).resolve().parents[2]

# EXPECTED.md section 1: what must leave each seed's body, with the kinds that fit it.
BOILERPLATE = {
    "000": [
        ("Biden Repeats Assurances to Ukraine After Putin Call", {"title-repeat"}),
        ("President Joe Biden in Detroit, Mich., on Nov. 17, 2021. Jonathan Ernst/Reuters", {"caption", "photo-credit"}),
        ("Melanie Sun", {"byline", "author-bio"}),
        ("Updated:", {"date-line", "other"}),
        ("Nick Ciolino contributed to this report.", {"contributor-credit"}),
        ("Author", {"author-bio", "byline"}),
        ("Melanie is a reporter and editor covering world news.", {"author-bio"}),
        ("twitter", {"share-prompt"}),
        ("Related Topics", {"related-links"}),
    ],
    "001": [
        ("President of Ukraine Volodymyr Zelenskiy (left) during a meeting", {"caption"}),
        ("Leave A Reply", {"comment-prompt"}),
        ("Your email address will not be published.", {"comment-prompt"}),
        ("With reporting by RFE/RL", {"contributor-credit"}),
    ],
    "002": [],
    "003": [
        ("date 2022-01-04", {"date-line"}),
        ("Photo: AP", {"photo-credit", "caption"}),
    ],
    "004": [
        ("About this publication", {"other", "author-bio"}),
        ("About Sergio Ferreras 36 Articles", {"author-bio", "byline"}),
        ("Hi! My name is Sergio", {"author-bio"}),
        ("Be the first to comment", {"comment-prompt"}),
        ("Leave a Reply", {"comment-prompt"}),
    ],
}


def _seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seeds():
    """Every seed file cleaned once: {prefix: (text, Extracted)}."""
    return {prefix: (_seed(prefix), extract_plain_text(_seed(prefix))) for prefix in BOILERPLATE}


def _bench():
    spec = importlib.util.spec_from_file_location("bench_clean_text", REPO / "bench" / "clean_text.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("prefix", sorted(BOILERPLATE))
def test_extract_plain_text_cuts_seed_boilerplate(seeds, prefix):
    _, result = seeds[prefix]
    body = "\n".join(result.paragraphs)
    for fragment, kinds in BOILERPLATE[prefix]:
        matching = [r for r in result.removed if fragment in r.text]
        assert matching, f"{prefix}: {fragment!r} not in removed"
        assert {r.kind for r in matching} <= kinds, f"{prefix}: {fragment!r} removed as {[r.kind for r in matching]}"
        assert not any(p == fragment or p.startswith(fragment) for p in result.paragraphs)
    assert "Jonathan Ernst/Reuters" not in body and "Leave a Reply" not in body and "Leave A Reply" not in body


@pytest.mark.parametrize("prefix", sorted(BOILERPLATE))
def test_extract_plain_text_keeps_every_seed_body_sentence(seeds, prefix):
    text, result = seeds[prefix]
    body = "\n".join(result.paragraphs)
    cut_fragments = [fragment for fragment, _ in BOILERPLATE[prefix]]
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    kept = 0
    for line in lines:
        if line == result.title or any(line.startswith(f) for f in cut_fragments):
            if not line.startswith("date "):
                continue
            line = line.split(" ", 2)[2]  # 003 opens with its date prefix, then the lead sentence
        if line in ("Melanie Sun", "Author"):
            continue
        assert line.replace("\u00a0", " ").strip() in body, f"{prefix}: body line lost: {line[:80]!r}"
        kept += 1
    assert kept >= 6


def test_extract_plain_text_finds_seed_titles(seeds):
    assert seeds["000"][1].title == "Biden Repeats Assurances to Ukraine After Putin Call"
    assert seeds["002"][1].title.startswith("Joe Biden assures Ukraine leader")
    assert seeds["004"][1].title.startswith("Biden Promises Zelenskyy")
    # 003 has no headline: its first line is the lead sentence, which stays body.
    assert seeds["003"][1].title == ""
    assert seeds["003"][1].paragraphs[0].startswith("US President Joe Biden on Sunday conferred")


def test_extract_plain_text_reads_seed_metadata(seeds):
    published = seeds["003"][1].published
    assert published is not None and published.value == "2022-01-04" and published.inferred is False
    assert published.evidence == "date 2022-01-04"
    outlet = seeds["001"][1].outlet
    assert (outlet.name, outlet.how) == ("RFE/RL", "credit-line")
    assert "Melanie Sun" in seeds["000"][1].authors
    assert "Nick Ciolino" not in " ".join(seeds["000"][1].authors)
    assert seeds["004"][1].authors == ("Sergio Ferreras",)
    for prefix in ("000", "001", "002", "004"):
        assert seeds[prefix][1].published is None


def test_extract_plain_text_keeps_short_quotes_and_facts(seeds):
    # Short body sentences near the end are body, not tail boilerplate.
    assert "“We appreciate the unwavering support,” he said." in seeds["003"][1].paragraphs
    assert any(p.startswith("“I always expect if you negotiate") for p in seeds["003"][1].paragraphs)
    assert seeds["002"][1].paragraphs[-1].startswith("Gazprom insists")


def test_extract_plain_text_given_title_marks_repeats():
    text = _seed("000")
    title = "Biden Repeats Assurances to Ukraine After Putin Call"
    result = extract_plain_text(text, title=title)
    assert result.title == title
    assert [r.kind for r in result.removed if r.text == title] == ["title-repeat", "title-repeat"]
    assert title not in result.paragraphs


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t \n\u00a0",
        # The furniture of the seeds without their articles.
        "Melanie Sun\nUpdated:\n\nMelanie Sun\nAuthor\ntwitter\nRelated Topics",
        "About this publication\n\nBe the first to comment\n\nLeave a Reply",
        "Leave A Reply\n\nYour email address will not be published.",
    ],
)
def test_extract_plain_text_without_body_gives_no_paragraphs(text):
    result = extract_plain_text(text)
    assert result.paragraphs == ()
    if text.strip():
        assert result.removed


def test_extract_plain_text_reads_ecbplus_head():
    rows = {json.loads(line)["id"]: json.loads(line) for line in ECBPLUS.open(encoding="utf-8")}
    result = extract_plain_text(rows["1_10ecbplus"]["text"])
    assert result.title == "Lindsay Lohan checks into Betty Ford Center"
    assert result.published is not None and result.published.value == "2013-05-03"
    assert result.published.evidence == "May 03, 2013" and not result.published.inferred
    assert (result.outlet.domain, result.outlet.how) == ("latimes.com", "url")
    assert [r.kind for r in result.removed] == ["url", "date-line"]
    assert result.paragraphs[0].startswith("After skipping out on entering a Newport Beach")
    # An "updated" line does not override the publication line before it.
    result = extract_plain_text(rows["1_11ecbplus"]["text"])
    assert result.published.value == "2013-05-02"


def test_extract_plain_text_counts_a_relative_date_line_from_its_stated_date():
    # A real scrape: "Posted 1 year, 160 days ago [downloaded on 2 October 2013]".
    # dateparser alone counts the "ago" back from the machine's clock.
    rows = {json.loads(line)["id"]: json.loads(line) for line in ECBPLUS.open(encoding="utf-8")}
    result = extract_plain_text(rows["6_2ecbplus"]["text"])
    assert result.published.value == "2012-04-25"  # 2 October 2013 less 1 year (365 days) and 160 days
    assert result.published.inferred
    assert "'1 year, 160 days ago' counted from 'on 2 October 2013'" in result.published.evidence
    assert "date-line" in [r.kind for r in result.removed]
    # Two-digit years keep their century: "12 / 16 / 08 1:30 AM EST" is 2008.
    result = extract_plain_text(rows["10_1ecbplus"]["text"])
    assert result.published.value == "2008-12-16" and not result.published.inferred


def test_extract_plain_text_takes_no_date_a_label_gives_another_day():
    # A memorial page: "End of Watch: Friday, June 24, 2005" is the day a deputy was killed; the page
    # reports his killer's 2007 conviction. It was read as the page's date line.
    rows = {json.loads(line)["id"]: json.loads(line) for line in ECBPLUS.open(encoding="utf-8")}
    result = extract_plain_text(rows["16_3ecbplus"]["text"])
    assert result.published is None or result.published.value != "2005-06-24"
    assert "date-line" not in [r.kind for r in result.removed]
    # A label that names publishing still dates the page.
    result = extract_plain_text(rows["19_6ecbplus"]["text"])  # "Published time: March 12, 2013 02:03"
    assert result.published.value == "2013-03-12" and not result.published.inferred


def test_extract_plain_text_relative_date_line_alone_gives_no_date():
    text = ("Storm closes the coast road\nPosted 3 days ago, 2019\n\n"
            "The coast road was closed on Monday after a storm brought down trees along its length.")
    result = extract_plain_text(text)
    assert result.published is None or result.published.value is None
    assert [r.text for r in result.removed if r.kind == "date-line"] == ["Posted 3 days ago, 2019"]


def test_extract_plain_text_held_out_ecbplus_floors():
    bench = _bench()
    rows = bench.load(bench.HELD_OUT_TOPICS, ECBPLUS)  # the 251 held-out documents of tests/data
    ours = bench.measure(rows)
    baseline = bench.measure(rows, bench.naive_baseline)
    # Floors below the full held-out run of bench/clean_text.py (2026-11-23: gold
    # lines kept 1.0, URL lines 1.0, date lines 0.987, year 0.994, title 0.978
    # against the baseline's 0.871) and below this subset (2026-12-06: 1.0, 1.0,
    # 0.989, 0.989, 0.982 against 0.848).
    assert ours["gold_kept"] >= 0.98
    assert ours["url_removed"] >= 0.95 and ours["outlet_domain_found"] >= 0.95
    assert ours["date_removed"] >= 0.9 and ours["published_year_found"] >= 0.85
    assert ours["title_matches_reference"] >= 0.9
    assert ours["title_matches_reference"] > baseline["title_matches_reference"]
    assert ours["date_removed"] > baseline["date_removed"]


def test_extract_plain_text_rarely_cuts_clean_gold_bodies():
    figures = _bench().measure_clean_bodies(path=EXTRACTION / "ground-truth.json")
    # Gold article bodies of the extraction benchmark are all body; some hold credits.
    # 2026-12-06: 0.991 on the 24 bodies of tests/data (0.985 on the first 60 of the full set).
    assert figures["kept_in_body"] >= 0.97


def test_extract_plain_text_parses_only_candidate_lines():
    from storyline import nlp

    rows = [json.loads(line) for line in ECBPLUS.open(encoding="utf-8")][:40]
    text = "\n\n".join(row["text"] for row in rows)
    extract_plain_text(_seed("000"))  # load the model outside the timing
    started = time.perf_counter()
    result = extract_plain_text(text)
    cleaning = time.perf_counter() - started
    pipeline = nlp.load(("tok2vec", "tagger", "attribute_ruler", "ner"))
    started = time.perf_counter()
    list(pipeline.pipe(line for line in text.splitlines() if line.strip()))
    parsing_all = time.perf_counter() - started
    assert len(result.paragraphs) > 200
    assert cleaning < 0.5 * parsing_all


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "",
                    "http://www.example.com/2013/05/03/story",
                    "May 3, 2013",
                    "Updated:",
                    "Leave a Reply",
                    "Photo: AP",
                    "and then it went on",
                ]
            ),
            st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80),
        ),
        max_size=12,
    )
)
def test_extract_plain_text_never_invents_body_text(lines):
    text = "\n".join(lines)
    result = extract_plain_text(text)
    # A Windows line end ("\r\n") is one line break, a lone "\r" another.
    flat = " ".join(line.replace("\u00a0", " ").strip()
                    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    for paragraph in result.paragraphs:
        assert paragraph and paragraph in flat


def test_line_reader_runs_the_ner_only_on_lines_asked_for_names_and_finds_what_one_pass_finds():
    from storyline import nlp
    from storyline.clean.text import _Reader

    lines = [line for path in sorted(SEEDS.glob("*.txt"))[:2]
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    reader = _Reader(lines)
    reader.parse(list(range(len(lines))))
    one_pass = nlp.load(("tok2vec", "tagger", "attribute_ruler", "ner"))
    assert len(lines) > 20 and not any(reader.doc(i).ents for i in range(len(lines)))  # tagged, no NER yet
    found = 0
    for i, line in enumerate(lines):
        whole = one_pass(line)
        assert [t.tag_ for t in reader.doc(i)] == [t.tag_ for t in whole]
        named = [(e.start_char, e.end_char, e.label_) for e in reader.named(i).ents]
        assert named == [(e.start_char, e.end_char, e.label_) for e in whole.ents]
        found += len(named)
    assert found > 20
