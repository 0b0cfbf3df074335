"""Seed-story checklist: how much of tests/data/seeds/EXPECTED.md the pipeline finds.

Runs the whole pipeline on the five seed files in a fresh store and checks each item of EXPECTED.md
(cleaning, entities, timeline, quotes, facts, summary) against the articles and the brief. The
expected values live here, in the bench, never in the package. Prints one line per item and the
coverage per section; `--json` prints the figures as JSON.

Baseline, measured in the same run: a "lead brief" (the first sentence of each article, cited to
it), scored on the sections a brief answers (facts and summary).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.datasets import SEEDS  # noqa: E402
from storyline import contract, pipeline  # noqa: E402
from storyline.store import Store  # noqa: E402



def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'").replace("“", '"').replace("”", '"')).strip().lower()


def by_file(articles) -> dict[str, object]:
    """Seed prefix ('000') -> article."""
    return {Path(a.origin.location).name[:3]: a for a in articles}


def cleaning_items(arts) -> list[tuple[str, bool]]:
    def gone(prefix, text):
        body = norm(arts[prefix].body)
        return norm(text) not in body

    def kept(prefix, text):
        return norm(text) in norm(arts[prefix].body)

    items = [
        ("000 caption gone", gone("000", "Jonathan Ernst/Reuters")),
        ("000 byline gone", not re.search(r"^melanie sun$", arts["000"].body.lower(), re.M)),
        ("000 'Updated:' gone", "updated:" not in norm(arts["000"].body)),
        ("000 author bio gone", gone("000", "Melanie is a reporter and editor")),
        ("000 'Related Topics' gone", gone("000", "Related Topics")),
        ("000 contributor credit gone", gone("000", "Nick Ciolino contributed to this report.")),
        ("000 title repeat gone", norm(arts["000"].body).count("biden repeats assurances") == 0),
        ("001 caption gone", gone("001", "(file photo)")),
        ("001 'Leave A Reply' gone", gone("001", "Leave A Reply")),
        ("001 email prompt gone", gone("001", "Your email address will not be published")),
        ("001 credit gone", gone("001", "With reporting by RFE/RL")),
        ("003 date line gone", gone("003", "date 2022-01-04")),
        ("003 photo credit gone", gone("003", "Photo: AP")),
        ("004 'About this publication' gone", gone("004", "About this publication")),
        ("004 author box gone", gone("004", "36 Articles")),
        ("004 bio gone", gone("004", "My name is Sergio")),
        ("004 comment prompts gone", gone("004", "Be the first to comment") and gone("004", "Leave a Reply")),
        ("body kept: 000 Psaki quote", kept("000", "will respond decisively if Russia further invades Ukraine")),
        ("body kept: 002 last sentence", kept("002", "record prices have killed demand for spot sales")),
        ("body kept: 003 last quote", kept("003", "We'll see.")),
        ("body kept: 004 last sentence", kept("004", "territorial integrity.")),
        ("003 published 2022-01-04 stated", arts["003"].published.value == "2022-01-04"
         and not arts["003"].published.inferred),
        ("001 outlet from credit line", "RFE/RL" in (arts["001"].outlet.name or "")),
        ("000 author", "Melanie Sun" in arts["000"].authors),
        ("004 author", "Sergio Ferreras" in arts["004"].authors),
    ]
    for prefix in ("000", "001", "002", "004"):
        published = arts[prefix].published
        items.append((f"{prefix} inferred date >= 2022-01-02",
                      bool(published.value) and published.inferred and "2022-01-02" <= published.value <= "2022-01-06"))
    return items


def entity_items(brief, arts) -> list[tuple[str, bool]]:
    groups = [{norm(f["text"]) for f in e["forms"]} for e in brief.get("entities", [])]

    def together(*forms):
        wanted = {norm(f) for f in forms}
        return any(wanted <= g for g in groups)

    return [
        ("Zelensky = Zelenskiy = Zelenskyy", together("Zelensky", "Zelenskiy", "Zelenskyy")),
        ("Lugansk = Luhansk", together("Lugansk", "Luhansk")),
        ("Donbas = Donbass", together("Donbas", "Donbass")),
        ("Biden = Joe Biden", together("Biden", "Joe Biden")),
        ("Putin = Vladimir Putin", together("Putin", "Vladimir Putin")),
        ("OSCE = its long forms", together("OSCE", "Organization for Security and Co-operation in Europe")
         or together("OSCE", "Organization for Security and Cooperation in Europe")),
        ("NATO-Russia Council = Russia-NATO Council", together("NATO-Russia Council", "Russia-NATO Council")),
        ("Jen Psaki with a role", any("psaki" in norm(e["name"]) and e.get("roles") for e in brief.get("entities", []))),
        ("Biden and Putin apart", not together("Biden", "Putin")),
    ]


TIMELINE = [
    ("2008", {"004"}), ("2014-03", {"002"}), ("2014-04", {"002"}), ("2021-06", {"004"}),
    ("2021-12-07", {"000", "004"}), ("2021-12-21", {"004"}), ("2021-12-24", {"000"}),
    ("2021-12-30", {"000", "001", "002", "003", "004"}), ("2021-12-31", {"001", "002", "003"}),
    ("2022-01-01", {"001"}), ("2022-01-02", {"000", "001", "002", "003", "004"}),
    ("2022-01-09", {"001", "003"}), ("2022-01-12", {"001"}), ("2022-01-13", {"001"}),
]


def timeline_items(brief, arts) -> list[tuple[str, bool]]:
    prefix_of = {a.id: p for p, a in arts.items()}
    rows = brief.get("timeline", [])
    items = []
    for date, sources in TIMELINE:
        found = set()
        for row in rows:
            if row["date"].startswith(date) or (("/" in row["date"]) and row["date"].split("/")[0].startswith(date)):
                found |= {prefix_of.get(c.rpartition(":")[0]) for c in row["cites"]}
        items.append((f"timeline {date} from {','.join(sorted(sources))}", sources <= found))
    return items


QUOTES = [
    ("respond decisively (Psaki)", ["respond decisively if Russia further invades"], 3),
    ("@POTUS tweet", ["first international talk of the year"], 2),
    ("keeping peace ... deoligarchization", ["preventing further escalation"], 3),
    ("unwavering support", ["appreciate the unwavering support"], 2),
    ("cannot move on Ukraine", ["negotiate"], 2),
    ("nothing about you without you", ["nothing about you without you"], 2),
]


def quote_items(brief, arts) -> list[tuple[str, bool]]:
    items = []
    for name, needles, min_sources in QUOTES:
        ok = False
        for group in brief.get("quotes", []):
            texts = [norm(v["text"]) for v in group["variants"]]
            matching = [v for v, t in zip(group["variants"], texts) if any(norm(n) in t for n in needles)]
            articles = {c.rpartition(":")[0] for v in matching for c in v["cites"]}
            if len(articles) >= min_sources:
                ok = True
        items.append((f"quote group: {name} ({min_sources}+ sources)", ok))
    return items


def fact_items(brief, arts) -> list[tuple[str, bool]]:
    prefix_of = {a.id: p for p, a in arts.items()}

    def sources_of(statement):
        return {prefix_of.get(c.rpartition(":")[0]) for c in statement["cites"]}

    def agreed(needle_sets, min_sources):
        for s in brief.get("agreed", []):
            if any(all(n in norm(s["text"]) for n in needles) for needles in needle_sets) \
                    and len(sources_of(s)) >= min_sources:
                return True
        return False

    def single(needle):
        pool = brief.get("single_source", []) + [a for v in brief.get("per_source", []) for a in v["adds"]]
        return any(needle in norm(s["text"]) for s in pool)

    def conflict(*needles):
        # Quotes worded otherwise are listed beside the conflicts (`wording`), under the same heading.
        for c in brief.get("conflicts", []) + brief.get("wording", []):
            text = norm(" ".join(cl["text"] for cl in c["claims"]) + " " + c["reason"])
            if all(norm(n) in text for n in needles):
                return True
        return False

    return [
        ("agreed: respond decisively", agreed([["respond decisively"], ["decisive"]], 3)),
        ("agreed: sovereignty and territorial integrity", agreed([["sovereignty", "territorial integrity"]], 3)),
        ("agreed: 100,000 troops", agreed([["100,000"]], 3)),
        ("agreed: Biden-Putin call about an hour", agreed([["hour"]], 2)),
        ("single: 13,000 killed", single("13,000")),
        ("single: 7% of territory", single("7%")),
        ("single: Markarova", single("markarova")),
        ("single: Gazprom", single("gazprom")),
        ("conflict: March 2014 vs March 2021", conflict("2014", "2021")),
        ("conflict: two days vs three days", conflict("two days", "three days")),
        ("conflict: respond vs react", conflict("respond", "react")),
    ]


def summary_items(brief, arts) -> list[tuple[str, bool]]:
    summary = brief.get("summary", [])
    text = norm(" ".join(s["text"] for s in summary))
    return [
        ("summary has 3-7 sentences", 3 <= len(summary) <= 7),
        ("summary states the call", any(w in text for w in ("call", "spoke", "conversation", "talk", "confer"))),
        ("summary states its date", any(w in text for w in ("sunday", "january 2", "jan. 2"))),
        ("summary states 'respond decisively'", "decisive" in text),
        ("every summary sentence has 2+ sources", all(len({c.rpartition(":")[0] for c in s["cites"]}) >= 2
                                                      for s in summary) and bool(summary)),
    ]


def lead_brief(articles) -> dict:
    """Baseline: the lead sentence of each article, cited to it."""
    summary = [{"text": a.sentences[0].text, "cites": [a.sentences[0].id]} for a in articles if a.sentences]
    return {"summary": summary, "agreed": [], "single_source": summary, "conflicts": [], "timeline": [],
            "entities": [], "quotes": [], "per_source": []}


def run() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        with Store(Path(tmp) / "seed.db") as store:
            pipeline.add(store, sorted(str(p) for p in SEEDS.glob("0*.txt")))
            articles = list(store.iter_articles())
            arts = by_file(articles)
            briefs = sorted((r.brief for r in pipeline.brief_stories(store)), key=lambda b: -len(b.sources))
            seconds = time.perf_counter() - started
    brief = contract.brief_json(briefs[0]) if briefs else {}
    sections = {
        "cleaning": cleaning_items(arts),
        "entities": entity_items(brief, arts),
        "timeline": timeline_items(brief, arts),
        "quotes": quote_items(brief, arts),
        "facts": fact_items(brief, arts),
        "summary": summary_items(brief, arts),
    }
    baseline = {"facts": fact_items(lead_brief(articles), arts), "summary": summary_items(lead_brief(articles), arts)}
    return {"sections": sections, "baseline": baseline, "seconds": seconds, "stories": len(briefs)}


def coverage(items) -> float:
    return sum(ok for _, ok in items) / len(items) if items else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run()
    figures = {name: round(coverage(items), 3) for name, items in result["sections"].items()}
    total = [ok for items in result["sections"].values() for _, ok in items]
    figures["all"] = round(sum(total) / len(total), 3)
    base = {name: round(coverage(items), 3) for name, items in result["baseline"].items()}
    if args.json:
        print(json.dumps({"coverage": figures, "baseline_lead_brief": base, "seconds": round(result["seconds"], 1)}))
        return
    for name, items in result["sections"].items():
        print(f"== {name}: {figures[name]:.0%}" + (f"   (lead-sentence baseline {base[name]:.0%})" if name in base else ""))
        for item, ok in items:
            print(f"  [{'x' if ok else ' '}] {item}")
    print(f"all items: {figures['all']:.0%}; stories built: {result['stories']}; pipeline {result['seconds']:.1f} s")


if __name__ == "__main__":
    main()
