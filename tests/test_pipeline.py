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


def test_pipeline_brief_stories_forgets_each_storys_parses_and_briefs_as_brief_story(seed_store, tmp_path):
    # `run` and `brief --all` brief each story once: the parses of one (27 KB a sentence) are of no use to the
    # next, and the cache kept them all (up to 20,000 sentences).
    from storyline import contract, nlp

    db = tmp_path / "brief.db"
    shutil.copy(seed_store, db)
    with Store(db) as store:
        story = store.stories()[0]
        articles = store.get_articles(list(story.articles))
        alone, _ = pipeline.analyse_story(articles, story)
        assert len(nlp._PARSED) > 100  # the story's sentences, cached by the analysis that read them
        reports = pipeline.brief_stories(store)
        assert [r.story for r in reports] == [story.id] and not nlp._PARSED
        assert contract.brief_json(reports[0].brief) == contract.brief_json(alone)
