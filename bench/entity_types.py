"""Bench: entity types and spellings on the hand-checked gold stories, beside spaCy's label.

For each gold story of `bench/gold/` (one half of `split.json`, or both) the
story's ECB+ documents go through `entities.find_entities`. Each gold entity
is matched to the entity of ours that holds the most mentions of its forms
(forms compared by `name_keys.joined_key`, a leading "the" aside).

Figures, per half, in one run:
- type accuracy: share of gold entities whose matched entity has the gold
  type (no match is wrong); "coarse" compares person / organisation / place
  (GPE, LOC, FAC) / other.
- baseline: the spaCy NER label of the gold entity's most frequent form (the
  form with most NER mentions in the story; its majority label), on the same
  gold entities and the same parses.
- spellings: B-cubed precision / recall / F1 over the gold forms our output
  has, each form's gold entity against the entity of ours holding it; a role
  or a place listed as a form of a person, or an acronym split from its long
  form, lowers it.

`--ecbplus` adds a figure over many more names: every ECB+ dev entity mention
with a type tag (person, organisation, place, facility, thing: HUMAN_PART_PER,
HUMAN_PART_ORG, LOC_GEO / HUMAN_PART_GPE / LOC_OTHER, LOC_FAC, NON_HUMAN_PART /
HUMAN_PART_VEH) that an NER mention of ours overlaps (bench/entities.py's match),
each story read whole: the share whose entity's type has the tag's coarse kind
(a facility typed an organisation or back counts as neither: banks, hospitals),
beside the spaCy label of the same mention. Tune: the stories of the topics of
no report-half or holdout gold story; report: the topics of the report half's gold stories.
The holdout half's topics are in neither (it is never tuned on: bench/gold/README.md).

Floors: `--write-floor` writes both halves' figures less a margin under the
"entity_types" key of bench/baseline.json (and no other key);
tests/test_bench_entity_types_floors.py fails when a figure drops below its floor.

Usage: python bench/entity_types.py [--half tune|report|both] [--list] [--write-floor] [--ecbplus]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.datasets import ECBPLUS, require  # noqa: E402
from storyline import name_keys  # noqa: E402
from storyline.entities import find_entities  # noqa: E402
from storyline.nlp import parse  # noqa: E402

GOLD = REPO / "bench" / "gold"
BASELINE = REPO / "bench" / "baseline.json"
MARGIN = 0.02  # floors sit this far under the measured figures
SPLIT = json.loads((GOLD / "split.json").read_text(encoding="utf-8"))
PLACES = frozenset({"GPE", "LOC", "FAC"})


def _load_entities_bench():
    """bench/entities.py (bench/ is scripts, not a package): its ECB+ reader and B-cubed."""
    spec = importlib.util.spec_from_file_location("bench_entities_for_types", REPO / "bench" / "entities.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


ENTITIES_BENCH = _load_entities_bench()


@dataclass(frozen=True)
class Row:
    """One gold entity: its gold type, ours, the baseline's, and what it matched."""

    story: str
    name: str
    gold: str
    ours: str
    baseline: str
    matched: str


@dataclass(frozen=True)
class HalfResult:
    half: str
    rows: tuple[Row, ...]
    spellings: object  # bench/entities.py Score
    seconds: float

    def accuracy(self, system: str, coarse: bool = False) -> float:
        hits = sum(_same(row.gold, getattr(row, system), coarse) for row in self.rows)
        return round(hits / max(len(self.rows), 1), 3)


def coarse_type(label: str) -> str:
    """Person / organisation / place / other."""
    if label in PLACES:
        return "PLACE"
    return label if label in {"PERSON", "ORG"} else ("" if not label else "OTHER")


def _same(gold: str, label: str, coarse: bool) -> bool:
    return coarse_type(gold) == coarse_type(label) if coarse else gold == label


def key(text: str) -> str:
    """A form's key: case, periods, hyphens, transliteration and a leading article ignored."""
    words = text.split()
    while words and words[0].casefold() in name_keys.ARTICLE_WORDS:
        words = words[1:]
    return name_keys.joined_key(" ".join(words))


def gold_stories(half: str) -> list[dict]:
    """The gold story files of one half of split.json."""
    return [json.loads((GOLD / f"{story}.json").read_text(encoding="utf-8")) for story in SPLIT[half]]


def score_story(gold: dict, documents: dict[str, dict]) -> tuple[list[Row], list[tuple[str, str]]]:
    """Type rows and (gold entity, our entity) pairs over gold forms, for one gold story."""
    docs = [documents[doc_id] for doc_id in gold["documents"] if doc_id in documents]
    articles = [ENTITIES_BENCH.article_of(document) for document in docs]
    entities = find_entities(articles)
    # Raw spaCy labels of every NER mention, by form key: the baseline.
    sentences = [sentence.text for article in articles for sentence in article.sentences]
    spacy_labels: dict[str, Counter] = defaultdict(Counter)
    for doc in parse(sentences, 256):
        for ent in doc.ents:
            spacy_labels[key(ent.text)][ent.label_] += 1
    # Our mentions by form key and entity.
    ours: dict[str, Counter] = defaultdict(Counter)
    for index, entity in enumerate(entities):
        for mention in entity.mentions:
            ours[key(mention.text)][index] += 1
        for form in entity.forms:
            ours[key(form.text)][index] += 0
    rows, pairs = [], []
    for number, item in enumerate(gold["entities"]):
        keys = {key(form["text"]) for form in item["forms"]} | {key(item["name"])}
        votes: Counter = Counter()
        for form_key in keys:
            for index, count in ours.get(form_key, {}).items():
                votes[index] += count + 1
        matched = min(votes, key=lambda index: (-votes[index], index)) if votes else None
        by_form = {form_key: sum(spacy_labels[form_key].values()) for form_key in keys if spacy_labels.get(form_key)}
        baseline = ""
        if by_form:
            form_key = min(by_form, key=lambda k: (-by_form[k], k))
            labels = spacy_labels[form_key]
            baseline = min(labels, key=lambda label: (-labels[label], label))
        entity = entities[matched] if matched is not None else None
        rows.append(Row(gold["story"], item["name"], item["type"], entity.type if entity else "",
                        baseline, entity.name if entity else ""))
        for form_key in keys:
            holders = ours.get(form_key)
            if holders:
                index = min(holders, key=lambda i: (-holders[i], i))
                pairs.append((f"{gold['story']}/{number}", f"{gold['story']}/{entities[index].id}"))
    return rows, pairs


def run(half: str, path: Path = ECBPLUS) -> HalfResult:
    """Score one half of the gold stories, their documents read from `path` (the full set, or the tests' subset)."""
    began = time.perf_counter()
    wanted = {doc_id for gold in gold_stories(half) for doc_id in gold["documents"]}
    documents = {document["id"]: document for document in ENTITIES_BENCH.load_documents(None, path)
                 if document["id"] in wanted}
    rows, pairs = [], []
    for gold in gold_stories(half):
        story_rows, story_pairs = score_story(gold, documents)
        rows += story_rows
        pairs += story_pairs
    return HalfResult(half, tuple(rows), ENTITIES_BENCH.b_cubed(pairs), round(time.perf_counter() - began, 1))


# ECB+ entity tags and our labels, by coarse kind (--ecbplus).
ECB_KINDS = {"HUMAN_PART_PER": "PERSON", "HUMAN_PART_ORG": "ORG", "LOC_GEO": "PLACE", "HUMAN_PART_GPE": "PLACE",
             "LOC_OTHER": "PLACE", "LOC_FAC": "FAC", "NON_HUMAN_PART": "THING", "HUMAN_PART_VEH": "THING"}
OUR_KINDS = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "FAC", "NORP": "NORP",
             "PRODUCT": "THING", "WORK_OF_ART": "THING", "LAW": "THING", "EVENT": "EVENT"}


def ecbplus_types(half: str, path: Path = ECBPLUS, listing: bool = False) -> dict:
    """Coarse type agreement of ours and of spaCy's mention label with ECB+ entity tags (see --ecbplus)."""
    began = time.perf_counter()
    report_topics = {int(story.split("-")[0]) for story in SPLIT["report"]}
    holdout_topics = {int(story.split("-")[0]) for story in SPLIT.get("holdout", ())}
    stories: dict[str, list[dict]] = defaultdict(list)
    for document in ENTITIES_BENCH.load_documents(None, path):
        if document["topic"] not in holdout_topics and (document["topic"] in report_topics) == (half == "report"):
            stories[document["story"]].append(document)
    counts, errors = Counter(), Counter()
    for story in sorted(stories):
        articles = [ENTITIES_BENCH.article_of(document) for document in stories[story]]
        by_sentence: dict[str, list] = defaultdict(list)
        for entity in find_entities(articles):
            for mention in entity.mentions:
                by_sentence[mention.sentence].append((mention, entity))
        texts = {sentence.id: sentence.text for article in articles for sentence in article.sentences}
        for document in stories[story]:
            for gold in document["mentions"]:
                if gold["kind"] != "entity" or gold["tag"] not in ECB_KINDS:
                    continue
                sentence = f"{document['id']}:{gold['sentence']}"
                found = ENTITIES_BENCH.match(gold["text"], texts.get(sentence, ""), by_sentence.get(sentence, []))
                if found is None:
                    continue
                mention, entity = found
                want = ECB_KINDS[gold["tag"]]
                ours, spacy = OUR_KINDS.get(entity.type, entity.type), OUR_KINDS.get(mention.label, mention.label)
                if {want, ours} == {"FAC", "ORG"}:
                    continue  # a bank, a hospital, a stadium: either reading
                counts["mentions"] += 1
                counts["ours"] += ours == want
                counts["spacy"] += spacy == want
                if ours != want:
                    errors[(story, entity.name, entity.type, want)] += 1
    total = max(counts["mentions"], 1)
    if listing:
        for (story, name, label, want), n in sorted(errors.items(), key=lambda item: (-item[1], item[0])):
            print(f"  XX {n:3} {story:11} {name[:40]:40} ours {label:8} ECB+ {want}")
    return {"mentions": counts["mentions"], "ours": round(counts["ours"] / total, 3),
            "spacy": round(counts["spacy"] / total, 3), "seconds": round(time.perf_counter() - began, 1)}


def figures(result: HalfResult) -> dict:
    """The figures of one half, as written to bench/baseline.json."""
    return {
        "entities": len(result.rows),
        "type accuracy": result.accuracy("ours"),
        "coarse type accuracy": result.accuracy("ours", coarse=True),
        "baseline type accuracy": result.accuracy("baseline"),
        "baseline coarse type accuracy": result.accuracy("baseline", coarse=True),
        "spellings": vars(result.spellings),
    }


def report(result: HalfResult, listing: bool) -> None:
    print(f"{result.half} half: {len(SPLIT[result.half])} gold stories, {len(result.rows)} entities, "
          f"{result.seconds} s")
    print(f"  type accuracy      ours {result.accuracy('ours'):.3f}  spaCy label of the most frequent form "
          f"{result.accuracy('baseline'):.3f}")
    print(f"  coarse (PER/ORG/place)  ours {result.accuracy('ours', True):.3f}  "
          f"spaCy {result.accuracy('baseline', True):.3f}")
    score = result.spellings
    print(f"  spellings B-cubed over gold forms  P {score.precision:.3f}  R {score.recall:.3f}  F1 {score.f1:.3f}")
    if listing:
        for row in result.rows:
            mark = "  " if row.gold == row.ours else "XX"
            print(f"  {mark} {row.story:11} {row.name[:34]:34} gold {row.gold:7} ours {row.ours or '-':7} "
                  f"spaCy {row.baseline or '-':7} <- {row.matched}")


def write_floor(results: list[HalfResult]) -> None:
    """Write the measured figures and floors under the "entity_types" key of bench/baseline.json only."""
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    previous = baseline.get("entity_types", {}).get("measured", {})
    floors = {}
    for result in results:
        floors[result.half] = {
            "type accuracy": round(result.accuracy("ours") - MARGIN, 3),
            "coarse type accuracy": round(result.accuracy("ours", coarse=True) - MARGIN, 3),
            "spellings f1": round(result.spellings.f1 - MARGIN, 3),
        }
    baseline["entity_types"] = {
        "description": "bench/entity_types.py: type accuracy of the gold stories' entities (bench/gold, per half of "
                       "split.json) beside the spaCy label of each entity's most frequent form, and B-cubed F1 of "
                       "their spellings; floors checked by tests/test_bench_entity_types_floors.py",
        **floors,
        "measured": {**previous, "date": time.strftime("%Y-%m-%d"),
                     **{result.half: figures(result) for result in results}},
    }
    BASELINE.write_text(json.dumps(baseline, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote floors to {BASELINE} under 'entity_types'")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices=["tune", "report", "both"], default="both")
    parser.add_argument("--list", action="store_true", help="print every gold entity with the three types")
    parser.add_argument("--write-floor", action="store_true",
                        help="write both halves' figures less a margin as floors in bench/baseline.json")
    parser.add_argument("--ecbplus", action="store_true",
                        help="also score the type of every tagged ECB+ entity mention of the half's topics")
    args = parser.parse_args()
    require(ECBPLUS)
    halves = ["tune", "report"] if args.half == "both" or args.write_floor else [args.half]
    results = [run(half) for half in halves]
    for result in results:
        report(result, args.list)
    if args.ecbplus:
        for half in halves:
            found = ecbplus_types(half, listing=args.list)
            print(f"{half} topics, ECB+ entity mentions ({found['mentions']}, {found['seconds']} s): coarse type "
                  f"ours {found['ours']:.3f}  spaCy's label of the mention {found['spacy']:.3f}")
    if args.write_floor:
        write_floor(results)


if __name__ == "__main__":
    main()
