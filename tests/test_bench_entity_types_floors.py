"""Quality gate of the entities stage's types and spellings on the gold stories (bench/entity_types.py).

Floors live under the "entity_types" key of bench/baseline.json; raising one is
a commit of its own with the bench output in its message.
"""

from __future__ import annotations

import pytest

from tests.conftest import ECBPLUS

from .test_bench_floors import BASELINE, load_bench

FLOORS = BASELINE["entity_types"]


@pytest.fixture(scope="module")
def bench():
    """The entity types bench module."""
    return load_bench("entity_types")


@pytest.fixture(scope="module", params=["tune", "report"])
def half(request, bench):
    """One half of the gold stories, scored."""
    return bench.run(request.param, ECBPLUS)


def test_bench_entity_types_stay_above_their_floors(half):
    floors = FLOORS[half.half]
    assert len(half.rows) > 50
    ours = {"type accuracy": half.accuracy("ours"), "coarse type accuracy": half.accuracy("ours", coarse=True),
            "spellings f1": half.spellings.f1}
    low = {figure: (ours[figure], floor) for figure, floor in floors.items() if ours[figure] < floor}
    assert not low, f"{half.half} half: figures (measured, floor) below their floors: {low}"


def test_bench_entity_types_beat_the_spacy_label_of_the_most_frequent_form(half):
    assert half.accuracy("ours") > half.accuracy("baseline")
    assert half.accuracy("ours", coarse=True) > half.accuracy("baseline", coarse=True)
