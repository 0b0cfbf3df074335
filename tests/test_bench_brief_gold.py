"""Quality gate of the brief on the gold stories: bench/brief_gold.py on the report half stays within its floors.

The floors and ceilings are bench/baseline.json "brief_gold" "report" (written by
`bench/brief_gold.py --write-floor`); the run covers every story listed there, the whole report
half of bench/gold/split.json (about a minute on 2 cores, 2026-12), whose stories tests/data holds
whole. Raising a floor is a commit of its own with the bench output in its message.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ECBPLUS
from tests.test_bench_floors import load_bench

REPO = Path(__file__).resolve().parents[1]
FLOORS = json.loads((REPO / "bench" / "baseline.json").read_text(encoding="utf-8"))["brief_gold"]["report"]
SHARES = ("conflict_recall", "conflict_precision", "update_recall", "summary_essentials", "verify")
COUNTS = {"false_agreements": "false_agreements", "summary_fragments": "fragments"}  # figure -> the listed cases
# A failure gives counts, not the cases: the report half is held out, and a message that lists its missed
# essentials or conflicts is read while fixing. Whoever needs the cases runs the bench on it knowingly.
CASES = "to read the cases (and so no longer hold that half out): bench/brief_gold.py --half report"


@pytest.fixture(scope="module")
def brief_gold_bench():
    """The brief_gold bench module."""
    return load_bench("brief_gold")


@pytest.fixture(scope="module")
def report_half(brief_gold_bench):
    """Our briefs and the lead briefs of the report half's gold stories, scored."""
    return brief_gold_bench.run_half("report", FLOORS["stories"], path=ECBPLUS)


def test_bench_brief_gold_report_half_briefs_every_story_of_its_floors(report_half):
    assert not report_half.missing, report_half.missing
    assert sorted(s.story for s in report_half.stories) == sorted(FLOORS["stories"])
    # The bench scores gold evidence it can find: most of it must be located in the stored sentences.
    evidence = sum(s.evidence for s in report_half.stories)
    assert sum(len(s.unlocated) for s in report_half.stories) <= evidence * 0.05


@pytest.mark.parametrize("figure", SHARES)
def test_bench_brief_gold_share_stays_above_its_floor(report_half, figure):
    floor = FLOORS[figure]
    if floor is None:
        pytest.skip(f"no floor for {figure}: nothing was measured when the floors were written")
    ours = report_half.total("ours")
    value = ours.shares()[figure]
    assert value is not None and value >= floor, (
        f"brief_gold {figure} {value} ({ours.counts()[figure]}) fell below its floor {floor}; {CASES}")


@pytest.mark.parametrize("figure", COUNTS)
def test_bench_brief_gold_count_stays_under_its_ceiling(report_half, figure):
    ceiling = FLOORS[f"max_{figure}"]
    ours = report_half.total("ours")
    found = getattr(ours, COUNTS[figure])
    assert ours.shares()[figure] == len(found)
    assert len(found) <= ceiling, f"brief_gold {figure}: {len(found)} > {ceiling}; {CASES}"


def test_bench_brief_gold_lead_baseline_agrees_nothing_and_verifies(report_half):
    # The baseline cites each lead to itself: never two sides of a conflict, and always verifiable.
    lead = report_half.total("lead")
    assert lead.false_agreements == [] and lead.conflicts_found == 0
    assert lead.verified == lead.briefs == len(report_half.stories), lead.violations


def test_bench_brief_gold_matches_a_number_conflict_by_the_values_its_sides_state(brief_gold_bench):
    # The gold gives examples of each side, not every report of it: a brief conflict citing other reports
    # that state the two values (and names both in its reason) is the same disagreement; one whose
    # claims state one value each but whose reason is about other figures, or whose claims both state
    # both values, is not.
    gold = json.loads((REPO / "bench" / "gold" / "8-ecbplus.json").read_text(encoding="utf-8"))
    conflict = next(c for c in gold["conflicts"] if any("50,000" in side["phrase"] for side in c["sides"]))
    groups = brief_gold_bench.side_groups(conflict)
    values = tuple(frozenset(n for side in group for n in brief_gold_bench.NUMBER.findall(side["phrase"]))
                   for group in groups)
    pairing = brief_gold_bench.Pairing("conflict", tuple(() for _ in groups), values)
    small = next(side["phrase"] for side in conflict["sides"] if "20,000" in side["phrase"])
    large = next(side["phrase"] for side in conflict["sides"] if "50,000" in side["phrase"])
    assert pairing.states_values([small, large], "20,000 vs about 50,000 (people)")
    assert not pairing.states_values([small, large], "10 vs three (dead)")
    assert not pairing.states_values([small + " " + large, large], "20,000 vs about 50,000 (people)")
    assert not brief_gold_bench.Pairing("conflict", ((), ())).states_values([small, large], "20,000 vs 50,000")
