"""bench/hostile.py's bounded subset (`--quick`): every case of issue 17 it runs holds.

The bounded run is the CLI cases no other test runs end to end: `add` of a gzip bomb (peak RSS
under the issue's 500 MB), hostile inputs that must be skipped, never crash, and the smaller items
(escapes, UTF-16, FIFO, symlinks, unique skips, exit 4). The others are tested elsewhere at a size
CI affords: the two adders and kill -9 in tests/test_writers.py, the HTTP cases in
tests/test_serve.py and tests/test_web_ui.py, truncated WARC and bombs on stdin in
tests/test_ingest.py. The bench runs them all.
"""

from __future__ import annotations

from tests.test_bench_floors import load_bench


def test_bench_hostile_quick_cases_all_hold():
    bench = load_bench("hostile")
    chosen = [case for case in bench.CASES if case.quick]
    assert {case.issue_item for case in chosen} == {"1", "3", "10"}
    outcomes = bench.run_cases(chosen)
    failed = [(case.name, outcome.detail) for case, outcome, _ in outcomes if not outcome.held]
    assert failed == []
    bomb = next(outcome for case, outcome, _ in outcomes if case.name == "gzip-bomb-add-small")
    assert bomb.peak_mb < bench.RSS_LIMIT_MB
