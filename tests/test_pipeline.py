"""pipeline: the analysis of a stored story into a brief that verifies, stored once per change."""

from __future__ import annotations

import json
import shutil

from storyline import pipeline, render
from storyline.records import Story
from storyline.store import Store
from storyline.verify import verify_brief


def test_pipeline_brief_story_verifies_and_is_stored_once(seed_store, tmp_path):
    db = tmp_path / "brief.db"
    shutil.copy(seed_store, db)
    with Store(db) as store:
        articles = list(store.iter_articles())
        story = Story("seedstory", tuple(sorted(a.id for a in articles)), None, None)
        report = pipeline.brief_story(store, story)
        brief = json.loads(render.to_json(report.brief))
        assert report.version == 1 and report.changed
        assert store.latest_brief("seedstory") == brief
        assert verify_brief(brief, store.get_sentence, lambda i: store.get_article(i).body) == []
        assert {s["article"] for s in brief["sources"]} == {a.id for a in articles}
        assert 3 <= len(brief["summary"]) <= 5
        assert all(len(set(item["sources"])) >= 2 for item in brief["summary"])
        assert any("decisively" in item["text"] for item in brief["summary"])
        assert brief["conflicts"] and brief["agreed"] and brief["single_source"]
        # EXPECTED.md section 5: "the call took place on Sunday" is agreed, with its sources: the timeline row
        # of the call's day joins the sentences that date it (each says so in its own words, none states
        # all of another's sentence: claim alignment alone does not join them).
        sunday = [r for r in brief["timeline"] if r["date"] == "2022-01-02" and "Sunday" in r["event"]]
        assert sunday and max(len({c.rpartition(":")[0] for c in r["cites"]}) for r in sunday) >= 3
        assert len(brief["timeline"]) >= 10 and len(brief["entities"]) >= 10 and brief["quotes"]
        again = pipeline.brief_story(store, story)
        assert (again.version, again.changed) == (1, False)
        assert set(report.seconds) >= {"entities", "timeline", "quotes", "claims", "compare", "brief"}

