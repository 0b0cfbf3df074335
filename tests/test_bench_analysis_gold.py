"""Quality gate of relative dates, quote speakers and copies on the gold stories (bench/analysis_gold.py).

The report half of bench/gold/split.json, whose documents tests/data holds whole, goes through the
pipeline and the analysis stages (about a minute on 2 cores, 2026-12); each figure must stay at or
above its floor under the "analysis_gold" "report" key of bench/baseline.json (written by
`bench/analysis_gold.py --write-floor`; raising one is a commit of its own with the bench output in
its message), and ours must beat the baseline measured in the same run where the issue asks it to.
"""

from __future__ import annotations

import pytest

from tests.conftest import ECBPLUS

from .test_bench_floors import BASELINE, load_bench

FLOORS = BASELINE["analysis_gold"]["report"]


@pytest.fixture(scope="module")
def report_half():
    """Ours and the baselines' tallies over the report half's gold stories."""
    return load_bench("analysis_gold").run_half(FLOORS["stories"], path=ECBPLUS)


def test_bench_analysis_gold_figures_stay_above_their_floors(report_half):
    ours = report_half["ours"]
    assert ours.total["dates"] > 50 and ours.total["quote found"] > 40 and ours.total["rewrites kept"] > 5
    low = {figure: (ours.share(figure), floor) for figure, floor in FLOORS.items()
           if figure != "stories" and ours.share(figure) < floor}
    assert not low, "figures (measured, floor) below their floors:\n" + "\n".join(
        f"{figure} {pair}: " + "; ".join(ours.misses.get(figure, [])[:10]) for figure, pair in low.items())


@pytest.mark.parametrize("figure", ["dates", "speaker found", "speaker right"])
def test_bench_analysis_gold_beats_its_baseline(report_half, figure):
    assert report_half["ours"].share(figure) > report_half["baseline"].share(figure)
