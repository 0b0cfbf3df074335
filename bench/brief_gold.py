"""Bench of the brief against the hand-made gold stories of bench/gold/, beside a lead-sentence baseline.

What it measures. For each gold story (`bench/gold/<story>.json`, schema in bench/gold/SCHEMA.md;
the tune, report and holdout halves in bench/gold/split.json) the story's ECB+ documents go through the
real pipeline: each text is written to a file, `pipeline.add` runs ingest, clean, dedup and cluster
into a fresh SQLite store, and then ALL the story's articles are briefed as one story by
`pipeline.analyse_story` (however clustering grouped them: this bench measures the brief, not the
clustering). Gold evidence (a phrase of one line of an ECB+ document) is located in the stored
sentences of that document's article (after `storyline.verify.normalise`; a phrase that the
sentence splitter cut in two maps to the run of sentences that holds it); a phrase whose line the
cleaner dropped (URL, date line, title) maps to nothing and is counted and listed. Then, per story
and per half, ours beside the lead baseline measured in the same run:

- false agreements: distinct statements of `agreed` and `summary` whose cites include two
  sentences on the two sides of one gold conflict, or stating two different values of one gold
  update (target 0; each is printed with the two gold phrases). A gold conflict with more than
  two sides is read as values by `side_groups`;
- conflict recall: gold conflicts for which one brief conflict cites (through its claims) a
  sentence of each side; conflict precision: brief conflicts that match some gold conflict / all
  brief conflicts ("n/a" when none is found). Each unmatched brief conflict is printed with its
  reason; one that cites both sides of a gold non_conflict or two values of a gold update is
  marked "known look-alike";
- update recall: gold updates for which one entry of the brief's `updates` (absent: none) cites
  sentences of two different gold values;
- summary essentials: the share of gold essentials met by one summary statement (for every inner
  list of `match`, the statement contains one alternative, case-insensitively);
- summary fragments: summary statements that start in lower case (after quote marks), leave a
  double quote open, or do not end with . ! ? (a closing quote may follow);
- verify: the share of briefs with no violation from `storyline.verify.verify_brief`, given the
  store's sentences and article bodies (what `storyline verify` runs).

The lead baseline: the summary is the first stored sentence of each independent article (copies
marked by dedup left out), cited to itself; no agreed facts, conflicts or updates.

Data: bench/gold/ (this project's judgments, CC BY 3.0) and the ECB+ dev documents in
`../shared/data/ecbplus/ecbplus-dev.jsonl` (ECB+, Cybulska and Vossen 2014, CC BY 3.0), beside
the repository. Without ../shared the bench exits with a message (code 3).

Run: `PYTHONPATH=. python bench/brief_gold.py [--half tune|report|holdout|both|all] [--stories a,b] [--json]
[--write-floor]`. About 5 s per story on 2 cores (both halves 70-85 s, 2026-12-06). `both` (the default) is
tune and report; `all` adds the holdout half, which is run once per session by the lead for the closing
figures, never tuned on and never read by helpers (bench/gold/README.md): so it is never the default and
has no floors. `--write-floor` records, for each tune or report half run, floors a bit under each
"higher is better" figure and ceilings (the measured counts) for false agreements and fragments in
bench/baseline.json "brief_gold"; tests/test_bench_brief_gold.py checks the report half against them.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import gold_store  # noqa: E402
from bench.datasets import ECBPLUS, SHARED  # noqa: E402
from storyline import contract, pipeline  # noqa: E402
from storyline.brief import build_brief  # noqa: E402
from storyline.records import Article, Story  # noqa: E402
from storyline.verify import normalise, squash, verify_brief  # noqa: E402

GOLD = ROOT / "bench" / "gold"
SPLIT = GOLD / "split.json"
BASELINE_FILE = ROOT / "bench" / "baseline.json"
HALVES = ("tune", "report")  # the halves with floors, and `--half both`
# Never tuned on, never read by helpers, no floors: run with `--half holdout` or `--half all` only.
HOLDOUT = "holdout"
HALF_CHOICES = {"tune": ("tune",), "report": ("report",), HOLDOUT: (HOLDOUT,), "both": HALVES, "all": (*HALVES, HOLDOUT)}
# Floors sit this far under a measured share: the pipeline is deterministic, so the margin only
# absorbs library drift (spaCy models), while one more wrong story still fails the test.
FLOOR_MARGIN = 0.01
# A phrase the sentence splitter cut in two is looked for in runs of up to this many sentences.
MAX_RUN = 3

SIDES = ("ours", "lead")
OPENING_QUOTES = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb "
DOUBLE_QUOTES = "\"\u201c\u201d"
WHOLE_END = re.compile(r"[.!?][\"'\u201d\u2019\u00bb]*$")


class DataMissing(Exception):
    """The ECB+ documents are not where the bench expects them (../shared beside the repository)."""


# --- gold evidence located in the stored sentences


@dataclass(frozen=True, slots=True)
class Located:
    """One piece of gold evidence and the stored sentence ids that hold it (none: `reason` says why)."""

    doc: str
    phrase: str
    sentences: frozenset[str]
    reason: str = ""


@dataclass
class StoryRun:
    """One gold story through the pipeline: its articles, our brief, the lead brief, and verify's findings."""

    story: str
    documents: list[str]
    articles: list[Article]
    brief: dict
    lead: dict
    violations: dict[str, list[str]]  # side -> verify messages
    seconds: float
    skipped: dict[str, str]  # document id -> why the pipeline stored no article for it


def load_split() -> dict[str, list[str]]:
    """The halves of the gold set (tune, report, holdout): half -> story names."""
    return json.loads(SPLIT.read_text(encoding="utf-8"))


def load_gold(names: Iterable[str]) -> tuple[dict[str, dict], list[str]]:
    """The gold stories that exist among `names`, and the names without a `<story>.json` (or unreadable)."""
    found, missing = {}, []
    for name in names:
        path = GOLD / f"{name}.json"
        try:
            found[name] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            missing.append(f"{name} ({type(exc).__name__}: {exc})" if path.exists() else name)
    return found, missing


def load_documents(stories: Iterable[str], path: Path = ECBPLUS) -> dict[str, list[dict]]:
    """ECB+ dev documents of the given stories (from `path`: the full set, or the tests' subset):
    story -> documents ({id, topic, story, text}).

    Raises:
        DataMissing: `path` is not there (../shared/data/ecbplus is not beside the repository).
    """
    if not path.is_file():
        raise DataMissing(f"cannot read {path}: the ECB+ documents are not beside the repository; "
                          f"put the shared data in {SHARED} (data/ecbplus/ecbplus-dev.jsonl) and run again")
    wanted = set(stories)
    by_story: dict[str, list[dict]] = {s: [] for s in wanted}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            if doc["story"] in wanted:
                by_story[doc["story"]].append({k: doc[k] for k in ("id", "topic", "story", "text")})
    return by_story


def lead_brief(story: str, articles: Sequence[Article]) -> dict:
    """The baseline brief: the first sentence of each independent article, cited to itself; nothing else."""
    brief = contract.brief_json(build_brief(story, "lead", articles))
    summary = [{"text": a.sentences[0].text, "cites": [a.sentences[0].id], "sources": [a.id]}
               for a in sorted(articles, key=lambda a: a.id) if a.duplicate_of is None and a.sentences]
    empty = {key: [] for key in ("per_source", "agreed", "single_source", "conflicts", "timeline",
                                 "entities", "quotes", "updates")}
    return brief | empty | {"summary": summary}


def run_story(story: str, documents: Sequence[dict]) -> StoryRun:
    """The story's documents through the real pipeline into a fresh store; our brief and the lead brief, verified."""
    started = time.perf_counter()
    with gold_store.stored_story(documents, prefix="brief_gold_") as stored:
        articles, store = stored.articles, stored.store
        record = Story(story, tuple(a.id for a in articles), None, None, story)
        brief, _ = pipeline.analyse_story(articles, record)
        ours = contract.brief_json(brief)
        lead = lead_brief(story, articles)
        violations = {side: [v.message() for v in verify_brief(data, store.get_sentence, store.article_body)]
                      for side, data in (("ours", ours), ("lead", lead))}
    return StoryRun(story, [d["id"] for d in documents], articles, ours, lead, violations,
                    time.perf_counter() - started, stored.skipped)


class Locator:
    """Finds gold evidence among the stored sentences of one story's articles."""

    def __init__(self, run: StoryRun, documents: Sequence[dict]) -> None:
        self.article_of = {Path(a.origin.location).stem: a for a in run.articles}
        self.text_of = {d["id"]: d["text"] for d in documents}
        self.skipped = run.skipped
        self.cache: dict[tuple[str, str], Located] = {}

    def locate(self, evidence: dict) -> Located:
        """The stored sentence(s) of the evidence's document whose text holds its phrase."""
        key = (evidence["doc"], evidence["phrase"])
        if key not in self.cache:
            self.cache[key] = self._locate(*key)
        return self.cache[key]

    def _locate(self, doc: str, phrase: str) -> Located:
        wanted = squash(phrase)
        article = self.article_of.get(doc)
        if doc not in self.text_of:
            return Located(doc, phrase, frozenset(), f"{doc} is not a document of this ECB+ story")
        if article is None:
            return Located(doc, phrase, frozenset(),
                           f"{doc} has no stored article: {self.skipped.get(doc, 'not stored')}")
        if not wanted:
            return Located(doc, phrase, frozenset(), "empty phrase")
        sentences = article.sentences
        for size in range(1, MAX_RUN + 1):
            hits = [sentences[i:i + size] for i in range(len(sentences) - size + 1)
                    if wanted in squash("".join(s.text for s in sentences[i:i + size]))]
            if hits:
                return Located(doc, phrase, frozenset(s.id for run in hits for s in run))
        return Located(doc, phrase, frozenset(), self._why_not(article, doc, phrase))

    def _why_not(self, article: Article, doc: str, phrase: str) -> str:
        wanted = squash(phrase)
        lines = [line for line in self.text_of[doc].split("\n") if wanted in squash(line)]
        if not lines:
            return "not in the document's ECB+ text (a gold error)"
        line = lines[0].strip()
        if wanted in squash(article.title):
            return f"in the title line, which the cleaner keeps as the title: {line[:70]!r}"
        for removed in article.removed:
            if wanted in squash(removed.text):
                return f"in a line the cleaner removed as {removed.kind}: {line[:70]!r}"
        if squash(line) in squash(article.published.evidence or ""):
            return f"in the date line, read as the publication date: {line[:70]!r}"
        return f"its line is not in the stored body: {line[:70]!r}"


# --- scores of one brief


@dataclass
class Figures:
    """The gold figures of one brief (or the sum over several)."""

    briefs: int = 0
    verified: int = 0
    false_agreements: list[str] = field(default_factory=list)
    gold_conflicts: int = 0
    conflicts_recalled: int = 0
    conflicts_found: int = 0
    conflicts_matched: int = 0
    unmatched_conflicts: list[str] = field(default_factory=list)
    missed_conflicts: list[str] = field(default_factory=list)
    gold_updates: int = 0
    updates_recalled: int = 0
    missed_updates: list[str] = field(default_factory=list)
    essentials: int = 0
    essentials_met: int = 0
    missed_essentials: list[str] = field(default_factory=list)
    summary: int = 0
    fragments: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)

    def add(self, other: Figures) -> None:
        """Add another brief's figures to these (counts summed, lists joined)."""
        for name, value in vars(other).items():
            setattr(self, name, getattr(self, name) + value)

    def shares(self) -> dict[str, float | int | None]:
        """The figures the bench reports and the floors hold."""
        return {
            "false_agreements": len(self.false_agreements),
            "conflict_recall": ratio(self.conflicts_recalled, self.gold_conflicts),
            "conflict_precision": ratio(self.conflicts_matched, self.conflicts_found),
            "update_recall": ratio(self.updates_recalled, self.gold_updates),
            "summary_essentials": ratio(self.essentials_met, self.essentials),
            "summary_fragments": len(self.fragments),
            "verify": ratio(self.verified, self.briefs),
        }

    def counts(self) -> dict[str, str]:
        """The same figures as counts, for the table and the JSON output."""
        return {
            "false_agreements": f"{len(self.false_agreements)}",
            "conflict_recall": f"{self.conflicts_recalled}/{self.gold_conflicts}",
            "conflict_precision": f"{self.conflicts_matched}/{self.conflicts_found}",
            "update_recall": f"{self.updates_recalled}/{self.gold_updates}",
            "summary_essentials": f"{self.essentials_met}/{self.essentials}",
            "summary_fragments": f"{len(self.fragments)}/{self.summary}",
            "verify": f"{self.verified}/{self.briefs}",
        }


FIGURES = ("false_agreements", "conflict_recall", "conflict_precision", "update_recall",
           "summary_essentials", "summary_fragments", "verify")
# Counts where lower is better: their floors are ceilings, named max_<figure> in baseline.json.
CEILINGS = ("false_agreements", "summary_fragments")


def ratio(part: int, whole: int) -> float | None:
    """part / whole rounded to 3 places; None ("n/a") when there is no whole (no gold item, no brief conflict)."""
    return round(part / whole, 3) if whole else None


def two_sides(cites: Iterable[str], first: frozenset[str], second: frozenset[str]) -> bool:
    """Whether the cites include one sentence of `first` and another sentence of `second`."""
    cited = set(cites)
    return any(a != b for a in cited & first for b in cited & second)


def is_fragment(text: str) -> bool:
    """Whether a summary statement is not a whole clause: lower-case start, an open quote, or no final stop."""
    body = text.strip()
    start = body.lstrip(OPENING_QUOTES)
    if start[:1].islower():
        return True
    if sum(body.count(mark) for mark in DOUBLE_QUOTES) % 2:
        return True
    return not WHOLE_END.search(body)


def meets(text: str, match: Sequence[Sequence[str]]) -> bool:
    """Whether a statement meets a gold essential: one alternative of every inner list, case-insensitively."""
    folded = normalise(text)
    return bool(match) and all(any(normalise(alt) in folded for alt in alternatives) for alternatives in match)


@dataclass(frozen=True, slots=True)
class Pairing:
    """A gold item whose located sentences must not be agreed together: a conflict's sides or an update's values."""

    label: str
    groups: tuple[tuple[Located, ...], ...]  # each group: the evidence of one side or one value
    values: tuple[frozenset[str], ...] = ()  # a number, date or time conflict: the numbers each side's phrases write

    def sentences(self, n: int) -> frozenset[str]:
        """The located sentences of group n."""
        return frozenset().union(*(e.sentences for e in self.groups[n]))

    def split_by(self, cites: Iterable[str]) -> tuple[Located, Located] | None:
        """Two pieces of evidence of two different groups that the cites include (None if there are none)."""
        cited = list(cites)
        for i in range(len(self.groups)):
            for j in range(i + 1, len(self.groups)):
                if two_sides(cited, self.sentences(i), self.sentences(j)):
                    first = next(e for e in self.groups[i] if e.sentences & set(cited))
                    second = next(e for e in self.groups[j] if e.sentences & set(cited))
                    return first, second
        return None

    def states_values(self, texts: Sequence[str], reason: str) -> bool:
        """Whether two of `texts` (the claims of one brief conflict) each state a value only one side of this
        gold conflict states (`values`: the numbers of each side's phrases, for a number, date or time
        conflict), and the conflict's `reason` names both: the same disagreement, cited from other
        reports of it than the gold's examples."""
        named = frozenset(NUMBER.findall(reason))
        numbers = [frozenset(NUMBER.findall(text)) & named for text in texts]
        for i, own in enumerate(self.values):
            for j, other in enumerate(self.values):
                mine, theirs = own - other, other - own
                if i == j or not mine or not theirs:
                    continue
                if any(a & mine and not a & theirs and b & theirs and not b & mine
                       for a in numbers for b in numbers if a is not b):
                    return True
        return False

    def locatable(self) -> bool:
        """Whether two of its groups were located (else a brief cannot be found to match it)."""
        return sum(bool(self.sentences(n)) for n in range(len(self.groups))) >= 2


NUMBER = re.compile(r"\d(?:[\d,.:/]*\d)?")
VALUE_KINDS = ("number", "date", "time")


def side_groups(conflict: dict) -> list[list[dict]]:
    """The sides of a gold conflict grouped by the value they state.

    SCHEMA.md gives a conflict two sides, but some gold conflicts list three (two wordings of
    one value and the other value, or three values) without saying which is which. For a
    number, date or time conflict, sides whose phrases state the same numbers are one side
    ("at 2:56" and "stopped it at 2:56" against "two seconds remaining"); any other side
    stands alone.
    """
    groups: list[list[dict]] = []
    keys: list[frozenset[str]] = []
    for side in conflict.get("sides", ()):
        key = frozenset(NUMBER.findall(side.get("phrase", ""))) if conflict.get("kind") in VALUE_KINDS else frozenset()
        if key and key in keys:
            groups[keys.index(key)].append(side)
        else:
            groups.append([side])
            keys.append(key)
    return groups


def pairings(gold: dict, locator: Locator) -> dict[str, list[Pairing]]:
    """The gold conflicts, updates and non-conflicts of a story, located."""
    def located(evidence: Iterable[dict]) -> tuple[Located, ...]:
        return tuple(locator.locate(e) for e in evidence)

    conflicts = [Pairing(f"conflict ({c.get('kind', '?')}): {c.get('reason', '')}",
                         tuple(located(group) for group in side_groups(c)),
                         tuple(frozenset(n for side in group for n in NUMBER.findall(side.get("phrase", "")))
                               for group in side_groups(c)) if c.get("kind") in VALUE_KINDS else ())
                 for c in gold.get("conflicts", ())]
    updates = [Pairing(f"update of {u.get('subject', '?')}: "
                       + " -> ".join(str(v.get("value")) for v in u.get("values", ())),
                       tuple(located([v]) for v in u.get("values", ()))) for u in gold.get("updates", ())]
    others = [Pairing(f"non-conflict: {n.get('why', '')}", tuple(located([side]) for side in n.get("sides", ())))
              for n in gold.get("non_conflicts", ())]
    return {"conflicts": conflicts, "updates": updates, "non_conflicts": others}


def show(evidence: Located) -> str:
    """A piece of evidence as '<doc> "phrase"'."""
    return f"{evidence.doc} \u201c{evidence.phrase}\u201d"


def score_brief(brief: dict, gold: dict, gold_pairs: dict[str, list[Pairing]], violations: list[str]) -> Figures:
    """The gold figures of one brief JSON."""
    figures = Figures(briefs=1, verified=int(not violations), violations=list(violations))
    statements: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for section in ("summary", "agreed"):
        for statement in brief.get(section) or []:
            statements.setdefault((statement["text"], tuple(statement.get("cites") or ())), []).append(section)
    for (text, cites), sections in statements.items():
        for pairing in gold_pairs["conflicts"] + gold_pairs["updates"]:
            split = pairing.split_by(cites)
            if split:
                figures.false_agreements.append(
                    f"[{'+'.join(sections)}] {text!r}\n        cites both {show(split[0])}\n"
                    f"        and {show(split[1])}\n        ({pairing.label})")
                break

    conflicts = brief.get("conflicts") or []
    conflict_cites = [[cite for claim in c.get("claims") or [] for cite in claim.get("cites") or []]
                      for c in conflicts]
    conflict_texts = [[claim.get("text", "") for claim in c.get("claims") or []] for c in conflicts]
    reasons = [c.get("reason") or "" for c in conflicts]

    def matches(pairing: Pairing, cites: list[str], texts: list[str], reason: str) -> bool:
        return bool(pairing.split_by(cites)) or pairing.states_values(texts, reason)

    figures.gold_conflicts = len(gold_pairs["conflicts"])
    for pairing in gold_pairs["conflicts"]:
        if any(matches(pairing, *brief_side) for brief_side in zip(conflict_cites, conflict_texts, reasons)):
            figures.conflicts_recalled += 1
        else:
            note = "" if pairing.locatable() else " [a side was not located]"
            figures.missed_conflicts.append(f"{pairing.label}{note}")
    figures.conflicts_found = len(conflicts)
    for conflict, cites, texts, reason in zip(conflicts, conflict_cites, conflict_texts, reasons):
        if any(matches(p, cites, texts, reason) for p in gold_pairs["conflicts"]):
            figures.conflicts_matched += 1
            continue
        alike = next((p for p in gold_pairs["non_conflicts"] + gold_pairs["updates"] if p.split_by(cites)), None)
        claims = " | ".join(claim.get("text", "")[:90] for claim in conflict.get("claims") or [])
        mark = f" -- known look-alike: {alike.label}" if alike else ""
        figures.unmatched_conflicts.append(f"{conflict.get('kind')}: {conflict.get('reason')!r}{mark}\n"
                                           f"        claims: {claims}")

    figures.gold_updates = len(gold_pairs["updates"])
    entries = [[cite for value in u.get("values") or [] for cite in (value.get("statement") or {}).get("cites") or []]
               for u in brief.get("updates") or []]
    for pairing in gold_pairs["updates"]:
        if any(pairing.split_by(cites) for cites in entries):
            figures.updates_recalled += 1
        else:
            figures.missed_updates.append(pairing.label + ("" if pairing.locatable() else " [values not located]"))

    summary = [s.get("text", "") for s in brief.get("summary") or []]
    figures.summary = len(summary)
    for essential in gold.get("essentials", ()):
        figures.essentials += 1
        if any(meets(text, essential.get("match") or ()) for text in summary):
            figures.essentials_met += 1
        else:
            figures.missed_essentials.append(essential.get("fact", ""))
    figures.fragments = [text for text in summary if is_fragment(text)]
    return figures


@dataclass
class StoryScore:
    """One gold story's figures, ours beside the lead's, and how much of its evidence was located."""

    story: str
    documents: int
    articles: int
    independent: int
    seconds: float
    ours: Figures
    lead: Figures
    evidence: int
    unlocated: list[Located]
    gold_problems: list[str]


def evidence_of(gold: dict) -> list[dict]:
    """Every piece of gold evidence the bench locates (conflicts, updates, non-conflicts)."""
    found = [side for c in gold.get("conflicts", ()) for side in c.get("sides", ())]
    found += [value for u in gold.get("updates", ()) for value in u.get("values", ())]
    found += [side for n in gold.get("non_conflicts", ()) for side in n.get("sides", ())]
    return found


def gold_problems(gold: dict, documents: Sequence[dict]) -> list[str]:
    """What looks wrong in a gold file against its ECB+ documents (the bench does not fix it)."""
    problems = []
    ids = {d["id"] for d in documents}
    listed = set(gold.get("documents", ()))
    if listed != ids:
        problems.append(f"documents differ from ECB+: listed only {sorted(listed - ids)}, "
                        f"in ECB+ only {sorted(ids - listed)}")
    lines = {d["id"]: d["text"].split("\n") for d in documents}
    every = evidence_of(gold) + [e for item in gold.get("essentials", ()) for e in item.get("evidence", ())]
    every += gold.get("event", {}).get("evidence", [])
    every += [v for q in gold.get("quotes", ()) for v in q.get("variants", ())]
    for evidence in every:
        doc, phrase = evidence.get("doc"), evidence.get("phrase", "")
        if doc not in lines:
            problems.append(f"evidence names {doc}, not a document of the story: {phrase!r}")
        elif not any(phrase in line for line in lines[doc]):
            close = any(squash(phrase) in squash(line) for line in lines[doc])
            problems.append(f"{doc}: phrase is not an exact substring of one line"
                            f"{' (it is after normalising quotes/dashes/spaces)' if close else ''}: {phrase!r}")
    for essential in gold.get("essentials", ()):
        match = essential.get("match") or ()
        texts = [line for e in essential.get("evidence", ()) for line in lines.get(e.get("doc"), ())
                 if e.get("phrase") and e["phrase"] in line]
        if texts and not any(meets(line, match) for line in texts):
            problems.append(f"essential {essential.get('fact', '')!r}: none of its evidence sentences meets its "
                            f"own match {match}")
    for update in gold.get("updates", ()):
        dates = [v.get("as_of") or "" for v in update.get("values", ())]
        if dates != sorted(dates):
            problems.append(f"update {update.get('subject')!r}: values not oldest first ({dates})")
        if len(update.get("values", ())) < 2:
            problems.append(f"update {update.get('subject')!r}: fewer than two values")
    for conflict in gold.get("conflicts", ()):
        if len(conflict.get("sides", ())) != 2:
            groups = side_groups(conflict)
            read = " vs ".join(" = ".join(f"{side['doc']} {side['phrase']!r}" for side in group) for group in groups)
            problems.append(f"conflict {conflict.get('reason', '')[:70]!r}: {len(conflict.get('sides', ()))} sides, "
                            f"SCHEMA.md says 2; read as {len(groups)} values: {read}")
    return problems


def score_story(story: str, gold: dict, documents: Sequence[dict]) -> StoryScore:
    """Run one gold story through the pipeline and score our brief and the lead brief."""
    run = run_story(story, documents)
    locator = Locator(run, documents)
    gold_pairs = pairings(gold, locator)
    evidence = [locator.locate(e) for e in evidence_of(gold)]
    unlocated = list({(e.doc, e.phrase): e for e in evidence if not e.sentences}.values())
    return StoryScore(
        story, len(documents), len(run.articles), sum(a.duplicate_of is None for a in run.articles), run.seconds,
        score_brief(run.brief, gold, gold_pairs, run.violations["ours"]),
        score_brief(run.lead, gold, gold_pairs, run.violations["lead"]),
        len({(e.doc, e.phrase) for e in evidence}), unlocated, gold_problems(gold, documents))


@dataclass
class HalfScore:
    """The figures of one half of the gold set: per story and in total."""

    half: str
    stories: list[StoryScore]
    missing: list[str]

    def total(self, side: str) -> Figures:
        """The figures of one side (ours or lead) summed over the half's stories."""
        figures = Figures()
        for story in self.stories:
            figures.add(getattr(story, side))
        return figures


def run_half(half: str, only: Sequence[str] | None = None, on_story=None, path: Path = ECBPLUS) -> HalfScore:
    """Score the stories of one half (or those of `only` that belong to it), their documents read from `path`.

    Raises:
        DataMissing: the ECB+ documents are not beside the repository.
    """
    names = [name for name in load_split()[half] if only is None or name in only]
    golds, missing = load_gold(names)
    documents = load_documents(golds, path)
    stories = []
    for name, gold in golds.items():
        if not documents[name]:
            missing.append(f"{name} (no ECB+ document has story {name!r})")
            continue
        stories.append(score_story(name, gold, documents[name]))
        if on_story:
            on_story(stories[-1])
    return HalfScore(half, stories, missing)


# --- output


def cell(value: float | int | None, count: str, figure: str) -> str:
    """One table cell: the share (or count) and what it counts."""
    if figure in CEILINGS:
        return count
    return f"{'n/a' if value is None else f'{value:.2f}'} ({count})"


COLUMNS = (("false_agreements", "false agr."), ("conflict_recall", "confl. recall"),
           ("conflict_precision", "confl. precision"), ("update_recall", "upd. recall"),
           ("summary_essentials", "essentials"), ("summary_fragments", "fragments"), ("verify", "verify"))


def table_rows(name: str, ours: Figures, lead: Figures) -> list[str]:
    """Two table lines (ours, lead) for a story or a half."""
    rows = []
    for side, figures in (("ours", ours), ("lead", lead)):
        shares, counts = figures.shares(), figures.counts()
        rows.append(f"{name if side == 'ours' else '':12} {side:4} "
                    + " ".join(f"{cell(shares[f], counts[f], f):>{max(len(h), 11)}}" for f, h in COLUMNS))
    return rows


def print_half(score: HalfScore) -> None:
    """The table of one half, then the details a reader judges the figures by."""
    print(f"\n== {score.half} half: {len(score.stories)} stories"
          + (f"; missing: {', '.join(score.missing)}" if score.missing else ""))
    print(f"{'story':12} {'':4} " + " ".join(f"{h:>{max(len(h), 11)}}" for _, h in COLUMNS))
    for story in score.stories:
        for row in table_rows(story.story, story.ours, story.lead):
            print(row)
    for row in table_rows(f"{score.half} total", score.total("ours"), score.total("lead")):
        print(row)
    evidence = sum(s.evidence for s in score.stories)
    unlocated = sum(len(s.unlocated) for s in score.stories)
    seconds = sum(s.seconds for s in score.stories)
    print(f"gold evidence (conflict sides, update values, non-conflict sides): {evidence - unlocated}/{evidence} "
          f"located, {unlocated} not; {seconds:.0f} s ({seconds / max(1, len(score.stories)):.1f} s per story)")
    for story in score.stories:
        print(f"\n-- {story.story}: {story.documents} documents, {story.articles} articles, "
              f"{story.independent} independent, {story.seconds:.1f} s")
        sections = (
            ("false agreement", story.ours.false_agreements),
            ("unmatched brief conflict", story.ours.unmatched_conflicts),
            ("missed gold conflict", story.ours.missed_conflicts),
            ("missed gold update", story.ours.missed_updates),
            ("missed essential", story.ours.missed_essentials),
            ("summary fragment", [repr(text) for text in story.ours.fragments]),
            ("verify violation", story.ours.violations[:5]),
            ("lead verify violation", story.lead.violations[:3]),
            ("evidence not located", [f"{show(e)}: {e.reason}" for e in story.unlocated]),
            ("gold file", story.gold_problems),
        )
        for label, lines in sections:
            for line in lines:
                print(f"    {label}: {line}")


def half_json(score: HalfScore) -> dict:
    """The figures of one half as JSON: totals and per story, ours beside the lead."""
    def side_json(figures: Figures) -> dict:
        return {"figures": figures.shares(), "counts": figures.counts()}

    return {
        "stories": [s.story for s in score.stories], "missing": score.missing,
        "ours": side_json(score.total("ours")), "lead": side_json(score.total("lead")),
        "evidence": sum(s.evidence for s in score.stories),
        "unlocated": [{"story": s.story, "doc": e.doc, "phrase": e.phrase, "reason": e.reason}
                      for s in score.stories for e in s.unlocated],
        "seconds": round(sum(s.seconds for s in score.stories), 1),
        "per_story": {s.story: {"ours": side_json(s.ours), "lead": side_json(s.lead),
                                "false_agreements": s.ours.false_agreements,
                                "unmatched_conflicts": s.ours.unmatched_conflicts,
                                "fragments": s.ours.fragments, "violations": s.ours.violations,
                                "gold_problems": s.gold_problems}
                      for s in score.stories},
    }


def floors_of(score: HalfScore) -> dict:
    """Floors (a margin under each share) and ceilings (the counts) of one half's measured figures."""
    shares = score.total("ours").shares()
    floors: dict = {"stories": [s.story for s in score.stories]}
    for figure in FIGURES:
        value = shares[figure]
        if figure in CEILINGS:
            floors[f"max_{figure}"] = value
        elif value is None:
            floors[figure] = None  # nothing to measure (no brief conflict, no gold item): no floor yet
        else:
            floors[figure] = max(0.0, math.floor(round((value - FLOOR_MARGIN) * 1000, 6)) / 1000)
    return floors


def write_floors(scores: Sequence[HalfScore]) -> None:
    """Record the floors of the halves run in bench/baseline.json "brief_gold" (other keys untouched)."""
    recorded = json.loads(BASELINE_FILE.read_text(encoding="utf-8")) if BASELINE_FILE.exists() else {}
    entry = recorded.get("brief_gold") or {}
    entry["description"] = (
        "bench/brief_gold.py: briefs of the gold stories of bench/gold/ through the real pipeline, per half "
        "(split.json), beside the lead-sentence baseline; floors under each share (none where nothing was "
        "measured), max_ ceilings for the counts of false agreements and summary fragments; "
        "tests/test_bench_brief_gold.py checks the report half")
    measured = entry.get("measured") or {}
    measured["date"] = time.strftime("%Y-%m-%d")
    for score in scores:
        entry[score.half] = floors_of(score)
        measured[score.half] = {side: score.total(side).counts() for side in SIDES}
        measured[score.half]["seconds"] = round(sum(s.seconds for s in score.stories), 1)
    entry["measured"] = measured
    recorded["brief_gold"] = {key: entry[key] for key in ("description", *HALVES, "measured") if key in entry}
    BASELINE_FILE.write_text(json.dumps(recorded, indent=2) + "\n", encoding="utf-8")
    print(f"wrote floors of the {', '.join(s.half for s in scores)} half to {BASELINE_FILE} \"brief_gold\"",
          file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the bench on the chosen halves and print (or write) its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices=tuple(HALF_CHOICES), default="both",
                        help="which half of bench/gold/split.json: both is tune and report (the default), all adds "
                             "holdout (run once per session by the lead, never tuned on)")
    parser.add_argument("--stories", help="comma-separated gold story names to limit the run to, e.g. 20-ecbplus")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--write-floor", action="store_true",
                        help="write floors and ceilings of the halves run to bench/baseline.json \"brief_gold\"")
    args = parser.parse_args(argv)
    only = [name.strip() for name in args.stories.split(",") if name.strip()] if args.stories else None
    if args.write_floor and only:
        parser.error("--write-floor records whole halves: leave out --stories")
    halves = HALF_CHOICES[args.half]
    if args.write_floor and HOLDOUT in halves:
        parser.error("--write-floor records the tune and report halves: the holdout half has no floors")
    if not SPLIT.is_file():
        print(f"cannot read {SPLIT}: the gold set is not in this checkout", file=sys.stderr)
        return 3
    if only:
        known = {name for half in halves for name in load_split().get(half, ())}
        if unknown := sorted(set(only) - known):
            parser.error(f"not gold stories of the {args.half} half of split.json: {', '.join(unknown)}")
    scores = []
    try:
        for half in halves:
            def progress(story: StoryScore) -> None:
                print(f"  {half}: {story.story} briefed in {story.seconds:.1f} s", file=sys.stderr)

            score = run_half(half, only, progress)
            if score.stories or score.missing or not only:  # --stories may name stories of one half only
                scores.append(score)
    except DataMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    if args.json:
        print(json.dumps({s.half: half_json(s) for s in scores}, ensure_ascii=False, indent=1))
    else:
        print("bench/brief_gold.py: briefs of the bench/gold stories (pipeline.analyse_story, all of a story's "
              "articles as one story) beside the lead baseline")
        for score in scores:
            print_half(score)
    if args.write_floor:
        write_floors(scores)
    return 0


if __name__ == "__main__":
    sys.exit(main())
