"""Bench: the support rule against hand-labelled (statement, cited sentence) pairs.

What it measures. `bench/gold/support_pairs.jsonl` holds pairs of a brief statement and a sentence,
each labelled by reading (`bench/gold/SUPPORT.md`): "supports" (the sentence states every fact of
the statement), "partial" (some of them) or "other" (another fact), with a kind for the ones that
do not support (part, claim, entity, speaker, legal-stage, attribute, modality, scope, figure,
figure-subject, pronoun, quote-words). Each pair has a role: "first" (the sentence the statement
was taken from), "other" (another source's sentence the brief cited for it) or "near" (the
sentence of another source of the story sharing the most content words with the statement that
the brief did not cite for it).

Deciders, scored in one run on the same pairs:
- rule: `storyline.verify.backs(statement, sentence).supports`, what `storyline verify` requires of
  every citation after the first (the content-word gate, then `storyline.support.check`);
- baseline: `storyline.verify.shares_content` alone (the content-word gate);
- with `--compare`, also "compare gate": `storyline.compare`'s word gate (content-lemma stems of the
  whole texts from the spaCy parse, at least `CompareConfig.support_words` and
  `CompareConfig.support` of the statement's) and `storyline.support.supports`, the decision that
  lets a claim into a claim group.

Figures, per fold (topic % 5) and in total, over the cite pairs (roles "other" and "near"):
- false support: accepted but not labelled "supports" (the number that matters), as a count and as
  a share of the pairs not labelled "supports";
- lost support: rejected but labelled "supports", as a count and a share of the "supports" pairs;
- the false supports by kind, and, apart, the "first" pairs the rule rejects (a statement's own
  sentence must support it).
Tune a rule on some folds (`--folds 0,1,2`) and report it on the others.

Ceilings: `--write-ceiling` writes the rule's total figures plus a margin under the "support_gold"
key of bench/baseline.json (and no other key); tests/test_bench_support_gold.py fails when a figure
rises above its ceiling. The pairs are self-contained text, so the bench needs no data outside the
repository and runs in about a second (`--compare` parses every text with spaCy: about a minute).

Usage: python bench/support_gold.py [--folds 0,1] [--list false|lost|first] [--compare] [--write-ceiling]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from storyline import support, verify  # noqa: E402

PAIRS = REPO / "bench" / "gold" / "support_pairs.jsonl"
BASELINE = REPO / "bench" / "baseline.json"
FOLDS = 5
CITE_ROLES = ("other", "near")
# Ceilings sit this far above the measured shares (and at least one pair above the counts).
MARGIN = 0.01


@dataclass(frozen=True)
class Pair:
    """One labelled (statement, sentence) pair."""

    topic: int
    story: str
    statement: str
    sentence: str
    doc: str
    role: str
    label: str
    kind: str
    why: str

    @property
    def fold(self) -> int:
        """The pair's fold: its ECB+ topic modulo the number of folds."""
        return self.topic % FOLDS

    @property
    def supports(self) -> bool:
        """Whether the sentence was labelled as stating every fact of the statement."""
        return self.label == "supports"


def load_pairs(path: Path = PAIRS) -> list[Pair]:
    """The labelled pairs of the gold file."""
    with path.open(encoding="utf-8") as handle:
        return [Pair(**json.loads(line)) for line in handle if line.strip()]


@dataclass
class Score:
    """How one decider does on a set of pairs."""

    name: str
    pairs: int = 0
    supports: int = 0
    false: list[Pair] = field(default_factory=list)
    lost: list[Pair] = field(default_factory=list)

    @property
    def unsupported(self) -> int:
        """Pairs not labelled "supports"."""
        return self.pairs - self.supports

    @property
    def false_rate(self) -> float:
        """False supports as a share of the pairs not labelled "supports"."""
        return len(self.false) / self.unsupported if self.unsupported else 0.0

    @property
    def lost_rate(self) -> float:
        """Lost supports as a share of the pairs labelled "supports"."""
        return len(self.lost) / self.supports if self.supports else 0.0

    @property
    def precision(self) -> float:
        """Share of accepted pairs labelled "supports"."""
        accepted = self.supports - len(self.lost) + len(self.false)
        return (self.supports - len(self.lost)) / accepted if accepted else 1.0

    def line(self) -> str:
        """One line of figures."""
        return (f"false support {len(self.false):3d}/{self.unsupported:<3d} ({self.false_rate:.3f})  "
                f"lost support {len(self.lost):3d}/{self.supports:<3d} ({self.lost_rate:.3f})  "
                f"precision {self.precision:.3f}")


def score(name: str, decide: Callable[[Pair], bool], pairs: Iterable[Pair]) -> Score:
    """Score one decider on pairs."""
    result = Score(name)
    for pair in pairs:
        result.pairs += 1
        result.supports += pair.supports
        accepted = decide(pair)
        if accepted and not pair.supports:
            result.false.append(pair)
        elif pair.supports and not accepted:
            result.lost.append(pair)
    return result


def rule(pair: Pair) -> bool:
    """The current support rule, as `storyline verify` applies it to a citation."""
    return verify.backs(pair.statement, pair.sentence).supports


def baseline(pair: Pair) -> bool:
    """The content-word gate alone."""
    return verify.shares_content(pair.statement, pair.sentence)


def compare_gate(pairs: list[Pair]) -> Callable[[Pair], bool]:
    """`storyline.compare`'s decision on whole texts: its content-lemma stem gate, then `support.supports`."""
    from storyline import claims, compare, nlp

    config = compare.CompareConfig()
    texts = list(dict.fromkeys(t for pair in pairs for t in (pair.statement, pair.sentence)))
    stems = {text: compare.lemma_stems(tuple(claims.content_lemmas(doc, doc.ents, {})))
             for text, doc in zip(texts, nlp.parse(texts))}

    def decide(pair: Pair) -> bool:
        own = stems[pair.statement]
        common = len(own & stems[pair.sentence])
        if common < config.support_words or common < config.support * len(own):
            return False
        return support.supports(pair.statement, pair.sentence)

    return decide


@dataclass
class Run:
    """All figures of one run."""

    folds: list[int]
    pairs: list[Pair]
    deciders: dict[str, Callable[[Pair], bool]]
    by_fold: dict[int, dict[str, Score]] = field(default_factory=dict)
    total: dict[str, Score] = field(default_factory=dict)
    first: dict[str, Score] = field(default_factory=dict)


def run(folds: Iterable[int] = range(FOLDS), with_compare: bool = False, path: Path = PAIRS) -> Run:
    """Score the rule and the baseline (and compare's gate) on the pairs of some folds."""
    folds = sorted(set(folds))
    pairs = [pair for pair in load_pairs(path) if pair.fold in folds]
    deciders: dict[str, Callable[[Pair], bool]] = {"rule": rule, "baseline": baseline}
    if with_compare:
        deciders["compare gate"] = compare_gate(pairs)
    result = Run(folds, pairs, deciders)
    cites = [pair for pair in pairs if pair.role in CITE_ROLES]
    for fold in folds:
        in_fold = [pair for pair in cites if pair.fold == fold]
        result.by_fold[fold] = {name: score(name, decide, in_fold) for name, decide in deciders.items()}
    result.total = {name: score(name, decide, cites) for name, decide in deciders.items()}
    firsts = [pair for pair in pairs if pair.role == "first"]
    result.first = {name: score(name, decide, firsts) for name, decide in deciders.items()}
    return result


def figures(result: Run) -> dict:
    """The run's figures as JSON (for baseline.json and messages)."""
    def of(item: Score) -> dict:
        return {"pairs": item.pairs, "supports": item.supports, "false support": len(item.false),
                "false support rate": round(item.false_rate, 4), "lost support": len(item.lost),
                "lost support rate": round(item.lost_rate, 4), "precision": round(item.precision, 4)}

    return {
        "folds": result.folds,
        "total": {name: of(item) for name, item in result.total.items()},
        "by fold": {str(fold): {name: of(item) for name, item in scores.items()}
                    for fold, scores in result.by_fold.items()},
        "first sentence rejected": {name: len(item.lost) for name, item in result.first.items()},
    }


def report(result: Run, listing: str | None = None) -> None:
    """Print the figures (and, if asked, the pairs behind one of them)."""
    labels = Counter(pair.label for pair in result.pairs)
    roles = Counter(pair.role for pair in result.pairs)
    print(f"pairs: {len(result.pairs)} in folds {result.folds} ({dict(labels)}; roles {dict(roles)})")
    for fold, scores in result.by_fold.items():
        for name, item in scores.items():
            print(f"fold {fold} {name:12s} {item.line()}")
    for name, item in result.total.items():
        print(f"total  {name:12s} {item.line()}")
    for name, item in result.total.items():
        kinds = Counter(pair.kind for pair in item.false)
        print(f"false supports by kind ({name}): " + ", ".join(f"{k} {n}" for k, n in kinds.most_common()))
    for name, item in result.first.items():
        print(f"statement's own sentence rejected ({name}): {len(item.lost)}/{item.pairs}")
    if listing:
        item = {"false": result.total["rule"].false, "lost": result.total["rule"].lost,
                "first": result.first["rule"].lost}[listing]
        print(f"\n{listing} ({len(item)}), rule:")
        for pair in item:
            print(f"- [{pair.story} {pair.doc} {pair.label}/{pair.kind or '-'}] {pair.statement}\n"
                  f"    <- {pair.sentence}\n    ({pair.why})")


def write_ceiling(result: Run) -> None:
    """Write the rule's figures and ceilings under the "support_gold" key of bench/baseline.json only."""
    if result.folds != list(range(FOLDS)):
        raise SystemExit("--write-ceiling needs all folds")
    total = result.total["rule"]
    baseline_json = json.loads(BASELINE.read_text(encoding="utf-8"))
    baseline_json["support_gold"] = {
        "description": "bench/support_gold.py: the support rule (storyline.verify.backs) on the hand-labelled "
                       "pairs of bench/gold/support_pairs.jsonl, cite pairs of all folds; ceilings checked by "
                       "tests/test_bench_support_gold.py (false support is the figure to bring down; lost "
                       "support must not rise)",
        "false support rate": round(total.false_rate + MARGIN, 3),
        "lost support rate": round(total.lost_rate + MARGIN, 3),
        "first sentence rejected": len(result.first["rule"].lost),
        "measured": {"date": time.strftime("%Y-%m-%d"), **figures(result)},
    }
    BASELINE.write_text(json.dumps(baseline_json, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote ceilings to {BASELINE} under 'support_gold'")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", default=",".join(str(f) for f in range(FOLDS)),
                        help="comma-separated folds (topic %% 5) to score; default all")
    parser.add_argument("--list", choices=["false", "lost", "first"], help="print the rule's pairs of one figure")
    parser.add_argument("--compare", action="store_true", help="also score compare's gate (parses with spaCy)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--write-ceiling", action="store_true", help="record ceilings in bench/baseline.json")
    args = parser.parse_args()
    folds = [int(f) for f in args.folds.split(",") if f.strip()]
    result = run(folds, with_compare=args.compare)
    if args.json:
        print(json.dumps(figures(result), indent=2))
    else:
        report(result, args.list)
    if args.write_ceiling:
        write_ceiling(result)


if __name__ == "__main__":
    main()
