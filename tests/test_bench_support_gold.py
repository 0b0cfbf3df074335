"""Quality gate of the support rule on the hand-labelled pairs of bench/gold/support_pairs.jsonl
(bench/support_gold.py).

Ceilings live under the "support_gold" key of bench/baseline.json; changing one is a commit of its
own with the bench output in its message. The pairs are self-contained text, so this runs from a clone.
"""

from __future__ import annotations

import pytest

from .test_bench_floors import BASELINE, load_bench

CEILINGS = BASELINE["support_gold"]
LABELS = {"supports", "partial", "other"}
KINDS = {"part", "claim", "entity", "speaker", "legal-stage", "attribute", "modality", "scope", "figure",
         "figure-subject", "pronoun", "quote-words"}


@pytest.fixture(scope="module")
def bench():
    """The support gold bench module."""
    return load_bench("support_gold")


@pytest.fixture(scope="module")
def result(bench):
    """The rule and the baseline scored on every fold."""
    return bench.run()


def test_bench_support_gold_pairs_are_labelled_in_every_fold(bench, result):
    pairs = result.pairs
    assert len(pairs) >= 400
    assert {pair.fold for pair in pairs} == set(range(bench.FOLDS))
    assert {pair.label for pair in pairs} == LABELS
    assert all(pair.role in ("first", "other", "near") for pair in pairs)
    assert all(pair.kind in KINDS and pair.why for pair in pairs if not pair.supports)
    assert all(pair.statement.strip() and pair.sentence.strip() for pair in pairs)
    # Each fold has both kinds of pair to score against.
    for fold, scores in result.by_fold.items():
        assert scores["rule"].supports > 0 and scores["rule"].unsupported > 0, fold


def test_bench_support_gold_rule_stays_under_its_ceilings(result):
    rule = result.total["rule"]
    assert rule.false_rate <= CEILINGS["false support rate"], (
        f"false support {len(rule.false)}/{rule.unsupported} ({rule.false_rate:.3f}) above its ceiling "
        f"{CEILINGS['false support rate']}")
    assert rule.lost_rate <= CEILINGS["lost support rate"], (
        f"lost support {len(rule.lost)}/{rule.supports} ({rule.lost_rate:.3f}) above its ceiling "
        f"{CEILINGS['lost support rate']}")
    rejected = result.first["rule"].lost
    assert len(rejected) <= CEILINGS["first sentence rejected"], [pair.statement for pair in rejected]


def test_bench_support_gold_rule_accepts_fewer_false_supports_than_the_word_gate(result):
    rule, baseline = result.total["rule"], result.total["baseline"]
    assert len(rule.false) < len(baseline.false)
    # Every false support of the rule is one of the word gate's: the rule only adds checks to it.
    assert {id(pair) for pair in rule.false} <= {id(pair) for pair in baseline.false}
