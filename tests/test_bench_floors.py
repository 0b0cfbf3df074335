"""Quality gate: a quick run of each bench fails the suite when a score drops below its floor.

Floors live in bench/baseline.json; raising one is a commit of its own with the
bench output in its message. The quick runs read the subsets in tests/data (the topics
and pages they score are there whole), so they give the figures of the full sets.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from tests.conftest import ECBPLUS, EXTRACTION

REPO = Path(__file__).resolve().parents[1]
BASELINE = json.loads((REPO / "bench" / "baseline.json").read_text(encoding="utf-8"))


def load_bench(name: str):
    """Import bench/<name>.py (bench/ is scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", REPO / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


QUICK_PAGES = BASELINE["extraction"]["quick"]["limit"]


@pytest.fixture(scope="module")
def extraction_bench():
    """The extraction bench module."""
    return load_bench("extraction")


@pytest.fixture(scope="module")
def extraction_scores(extraction_bench):
    """Plain trafilatura and our clean stage on the first pages of the extraction benchmark."""
    pages = extraction_bench.load_pages(EXTRACTION, limit=QUICK_PAGES)
    return (
        extraction_bench.run_extractor("trafilatura", extraction_bench.plain_trafilatura, pages),
        extraction_bench.run_extractor("clean", extraction_bench.clean_stage, pages),
    )


def test_bench_extraction_f1_stays_above_its_floor(extraction_bench, extraction_scores):
    _, ours = extraction_scores
    minimum = extraction_bench.floor(QUICK_PAGES)
    assert ours.pages == QUICK_PAGES and minimum is not None
    assert ours.f1 >= minimum, f"extraction F1 {ours.f1:.3f} fell below its floor {minimum:.3f}"


def test_bench_extraction_is_not_worse_than_plain_trafilatura(extraction_scores):
    plain, ours = extraction_scores
    assert ours.f1 >= plain.f1, f"clean stage F1 {ours.f1:.3f} < trafilatura.extract {plain.f1:.3f}"


TIMELINE_QUICK = BASELINE["timeline"]["quick"]


@pytest.fixture(scope="module")
def timeline_scores():
    """Our time expressions and dateparser alone on the quick ECB+ topics."""
    bench = load_bench("timeline")
    first, _, last = TIMELINE_QUICK["topics"].partition("-")
    return bench.measure(bench.load(range(int(first), int(last) + 1), ECBPLUS))


@pytest.mark.parametrize("figure", ["found", "agree", "relative correct"])
def test_bench_timeline_stays_above_its_floor(timeline_scores, figure):
    ours = timeline_scores["ours"]
    assert ours["mentions"] > 100
    assert ours[figure] >= TIMELINE_QUICK[figure], \
        f"timeline {figure} {ours[figure]:.3f} fell below its floor {TIMELINE_QUICK[figure]:.3f}"


def test_bench_timeline_resolves_better_than_dateparser_alone(timeline_scores):
    ours, plain = timeline_scores["ours"], timeline_scores["dateparser alone"]
    assert ours["agree"] > plain["agree"] and ours["relative correct"] > plain["relative correct"]


# --- entities: cross-document entity grouping on ECB+ dev (bench/entities.py)


@pytest.fixture(scope="module")
def entities_quick():
    """Our grouping and exact-string grouping on the quick ECB+ topics, scored in one run."""
    bench = load_bench("entities")
    return bench.run(topics=set(BASELINE["entities"]["quick"]["topics"]), path=ECBPLUS)


def test_bench_entities_b_cubed_stays_above_its_floor(entities_quick):
    minimum = BASELINE["entities"]["quick"]["f1"]
    assert entities_quick.found > 0
    assert entities_quick.ours.f1 >= minimum, \
        f"entity grouping B-cubed F1 {entities_quick.ours.f1:.3f} fell below its floor {minimum:.3f}"


def test_bench_entities_is_not_worse_than_exact_string_grouping(entities_quick):
    ours, exact = entities_quick.ours, entities_quick.exact
    assert ours.f1 >= exact.f1, f"entity grouping F1 {ours.f1:.3f} < exact-string grouping {exact.f1:.3f}"
@pytest.fixture(scope="module")
def cluster_bench():
    """The story clustering bench module."""
    return load_bench("cluster")


def test_bench_cluster_f1_stays_above_its_floor(cluster_bench):
    floor = BASELINE["cluster"]["quick"]
    assert sorted(cluster_bench.QUICK_TOPICS) == floor["topics"]
    precision, recall, f1, articles = cluster_bench.quick_score(path=ECBPLUS)
    assert articles > 100
    assert f1 >= floor["f1"], f"story clustering B-cubed F1 {f1:.3f} (P {precision:.3f} R {recall:.3f}) " \
                              f"fell below its floor {floor['f1']:.3f}"


def test_bench_brief_every_statement_verifies_and_the_summary_is_backed():
    floors = BASELINE["brief"]
    bench = load_bench("brief")
    rows = [bench.run_story(story, articles)
            for story, articles, _ in bench.ecbplus_stories(floors["quick"]["stories"], ECBPLUS)]
    ours, lead = bench.totals(rows, "ours"), bench.totals(rows, "lead")
    assert ours["statements"] > lead["statements"]
    assert ours["verified"] >= floors["verified"], [r["ours"]["violations"] for r in rows]
    assert ours["summary_2plus"] >= floors["summary_2plus"] > lead["summary_2plus"]
