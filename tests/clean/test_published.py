"""Tests of storyline.clean.published on the seed story and on ECB+ (real news)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import sys
from pathlib import Path

import pytest

from storyline import nlp
from storyline.clean.published import NO_EVIDENCE, infer_published
from storyline.records import Published

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO.parent / "shared" / "seeds"
ECBPLUS = REPO.parent / "shared" / "data" / "ecbplus" / "ecbplus-dev.jsonl"


def seed_sentences(prefix: str) -> list[str]:
    text = next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if len(line) > 60]
    return [s.text for doc in nlp.load(("senter",)).pipe(lines) for s in doc.sents]


@pytest.mark.parametrize("prefix", ["000", "001", "002", "004"])
def test_infer_published_dates_undated_seed_reports(prefix):
    published = infer_published(seed_sentences(prefix))
    assert published.inferred and published.evidence
    assert dt.date(2022, 1, 2) <= dt.date.fromisoformat(published.value) <= dt.date(2022, 1, 5)


def test_infer_published_keeps_a_stated_date():
    stated = Published("2022-01-04", inferred=False, evidence="date line")
    assert infer_published(seed_sentences("003"), stated) is stated


def test_infer_published_ignores_scheduled_events():
    sentences = [s for s in seed_sentences("001") if "set for" in s or "will be followed" in s]
    assert len(sentences) == 2
    assert infer_published(sentences + ["The call came early in 2022."]).value is None


def test_infer_published_reads_the_clause_above_a_participle():
    line = next(json.loads(raw)["text"] for raw in open(ECBPLUS, encoding="utf-8") if "week beginning 17 October" in raw)
    sentence = next(s for s in line.split("\n") if "week beginning" in s)
    assert infer_published([sentence]).value is None  # "will ... be resolved during the week beginning"
    assert infer_published([sentence.replace("will likely only be", "was")]).value == "2011-10-17"


def test_infer_published_counts_a_reported_past_date():
    sentences = [s for s in seed_sentences("001") if "Lavrov on December 31" in s]
    caption = [s for s in seed_sentences("000") if "Nov. 17, 2021" in s]
    published = infer_published(caption + sentences)
    assert published.value == "2021-12-31" and "December 31" in published.evidence


@pytest.mark.parametrize("sentences", [
    [], [""], ["nonsense §§ 2,000 ###"], [None, 42], ["No dates here at all."], None, 17, iter(["Hello."]),
])
def test_infer_published_without_evidence_says_so(sentences):
    published = infer_published(sentences)
    assert published == Published(None, inferred=False, evidence=NO_EVIDENCE)


def test_infer_published_floor_on_ecbplus():
    spec = importlib.util.spec_from_file_location("bench_published", REPO / "bench" / "published.py")
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # dataclasses look their module up
    spec.loader.exec_module(bench)
    documents = bench.dated_documents()
    assert len(documents) > 250
    pairs = []
    for document in documents:
        value = infer_published(document.sentences).value
        pairs.append((document.published, dt.date.fromisoformat(value) if value else None))
    figures = bench.score(pairs)
    # Floors below bench/published.py, 2026-11 (all 288 documents): within_3 0.076,
    # after 0.017, after by more than 3 days 0.003.
    assert figures["within_3"] >= 0.06
    assert figures["after"] <= 0.03
    assert figures["after_by_more_than_3"] <= 0.01


def test_infer_published_survives_a_huge_unsplit_text():
    text = " ".join(seed_sentences("001")) * 60  # ~170,000 characters in one "sentence"
    published = infer_published([text])
    assert published.value is None or published.inferred


def test_infer_published_is_deterministic():
    sentences = seed_sentences("004")
    assert infer_published(sentences) == infer_published(list(reversed(sentences)))


def test_infer_published_year_in_a_name_anchors_nothing():
    sentences = ["The talks were held on Dec. 30 in Geneva, officials said.",
                 "Both sides cited obligations under the 1994 Budapest Memorandum."]
    assert infer_published(sentences).value is None or not infer_published(sentences).value.startswith("1994")


def test_infer_published_caption_date_anchors_the_year():
    sentences = ["The minister spoke to reporters on Dec. 30, officials said.",
                 "He met the delegation again on Jan. 2, the ministry said."]
    published = infer_published(sentences, hints=["The minister in Paris on Nov. 17, 2021. Photo: Agency"])
    assert published.inferred and published.value == "2022-01-02"
    assert "Nov. 17, 2021" in published.evidence


def test_infer_published_a_holiday_naming_a_thing_dates_nothing():
    text = next(json.loads(raw)["text"] for raw in open(ECBPLUS, encoding="utf-8") if "a Christmas spread" in raw)
    lines = [line for line in text.split("\n") if line.strip()]
    published = infer_published(lines)
    assert not (published.value or "").endswith("-12-25"), published.evidence  # was 1995-12-25
    sentence = next(line for line in lines if "a Christmas spread" in line)
    assert infer_published([sentence]).value is None
    on_the_day = sentence.replace("in a Christmas spread for Playboy", "in Playboy on Christmas")
    assert infer_published([on_the_day]).value == "1955-12-25"
