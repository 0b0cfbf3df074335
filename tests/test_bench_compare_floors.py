"""Quality gate of the compare stage: quick runs of bench/compare.py stay above the floors in bench/baseline.json.

Raising a floor is a commit of its own with the bench output in its message.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ECBPLUS
from tests.test_bench_floors import load_bench

REPO = Path(__file__).resolve().parents[1]
FLOORS = json.loads((REPO / "bench" / "baseline.json").read_text(encoding="utf-8"))["compare"]


@pytest.fixture(scope="module")
def compare_bench():
    """The compare bench module."""
    return load_bench("compare")


def test_bench_compare_seed_stays_above_its_floors(compare_bench):
    figures, _ = compare_bench.seed_run()
    floors = FLOORS["seed"]
    found = sum(ok for _, ok in figures.extra["expected_conflicts"])
    assert found >= floors["expected_conflicts_found"], figures.extra["expected_conflicts"]
    assert len(figures.conflicts) - found <= floors["max_other_conflicts"], figures.conflicts
    assert figures.share() >= floors["agreed_backed_share"], (figures.backed, figures.statements)
    facts = figures.extra["items"]["facts"]
    assert sum(ok for _, ok in facts) / len(facts) >= floors["checklist_facts"], facts
    # The baseline cites each lead to its own article: it never has two sources.
    assert figures.lead_backed == 0 and figures.share() > figures.lead_share()


def test_bench_compare_ecbplus_quick_stays_above_its_floors(compare_bench):
    floors = FLOORS["quick"]
    stories = compare_bench.ecbplus_run(floors["stories"], ECBPLUS)
    totals = compare_bench.totals(stories)
    assert totals["agreed_statements"] > 0
    assert totals["agreed_backed_share"] >= floors["agreed_backed_share"], totals
    assert totals["conflicts"] <= floors["max_conflicts"], [f.conflicts for f in stories]
