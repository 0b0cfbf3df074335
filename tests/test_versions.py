"""Versions of one article: a page polled again (or a URL added again) whose text changed is the same article
with a new current version, the old one kept; the story is briefed from the new text, and its change names
the revised source and the figures it moved. On a real loopback server, in a SQLite file and on a real
PostgreSQL server; the new versions are real ECB+ reports with a figure revised by the test (marked where)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import feedparser
import httpx
from click.testing import CliRunner

from storyline import pipeline
from storyline.cli import main
from storyline.store import Store
from tests.conftest import ecbplus_report
from tests.loopback import Hit, Reply, Site, conditional, rss
from tests.test_serve import serving
from tests.test_watch import report_item, watched

# The Athens report of keeptalkinggreece.com, and its revision: the toll and the injured as a later
# version of the page might state them (the test's edit of the real text).
FIRST = ecbplus_report("8_10ecbplus")
REVISED_TEXT = (FIRST["text"]
                .replace("THREE PEOPLE HAVE DIED", "FOUR PEOPLE HAVE DIED")
                .replace("Four people-one with broken bones, 3 with", "Seven people-one with broken bones, 6 with"))


def test_versions_a_feed_item_whose_text_changed_is_a_new_version_of_its_article(store_target):
    with Site() as site:
        site.routes["/robots.txt"] = Reply(200, b"User-agent: *\nAllow: /\n", {"Content-Type": "text/plain"})
        item = report_item(site, "8_10ecbplus", "2010-05-05")
        other = report_item(site, "8_3ecbplus", "2010-05-05")
        site.routes["/feed.xml"] = conditional(rss([item, other]), "application/rss+xml", '"v1"')
        feed = f"{site.base}/feed.xml"
        with Store(store_target) as store:
            watcher = watched(store, [feed])
            first = watcher.cycle(every_source=True)
            assert len(first.added) == 2 and first.changes[0]["digest"] == "new story: 2 sources"
            (story,) = store.stories()
            old = next(a for a in store.get_articles(list(story.articles)) if a.title == FIRST["title"])
            old_brief = store.latest_brief(story.id)

            # The page is revised: its item in the feed carries the new text (and the feed a new ETag).
            site.routes["/feed.xml"] = etagged(rss([dict(item, text=REVISED_TEXT), other]), '"v2"')
            lines = []
            second = watcher.cycle(every_source=True, on_line=lambda line, problem: lines.append(line))
            assert lines == [f"{feed}: HTTP 200, 0 new, 1 changed; next poll in 60 s"]
            (new_id,) = second.added
            (story,) = store.stories()
            assert len(story.articles) == 2 and new_id in story.articles and old.id not in story.articles
            versions = store.versions_of(old.id)
            assert [(v["article"], v["version"], v["current"]) for v in versions] == [(old.id, 1, False),
                                                                                       (new_id, 2, True)]
            assert versions == store.versions_of(new_id) and versions[1]["title"] == FIRST["title"]
            assert {v["published"] for v in versions} == {"2010-05-05"} and versions[0]["added"] <= versions[1]["added"]
            assert store.get_article(old.id).body == old.body  # nothing stored is lost
            brief = store.latest_brief(story.id)
            assert {s["article"] for s in brief["sources"]} == {new_id, *(set(story.articles) - {new_id})}
            assert not any(s.startswith(old.id) for c in _cites(brief) for s in c)  # the old text is no source
            assert all(store.get_sentence(cite) is not None for cite in _cites(old_brief) for cite in cite)

            (change,) = second.changes
            assert change["sources"]["revised"] == [{"article": new_id, "previous": old.id}]
            assert change["sources"]["added"] == [] and change["sources"]["dropped"] == [] and change["sources"]["count"] == 2
            assert {"subject": "dead", "from": "THREE", "to": "FOUR", "source": new_id} in change["figures"]
            assert change["digest"].startswith("1 source revised; dead THREE → FOUR")
            assert change["conflicts"]["added"] == []  # one outlet's revised figure is no conflict
            assert "FOUR PEOPLE HAVE DIED IN A BLAZE that broke out at MARFIN EGNATIA BANK, on Stadiou Street, " \
                   "downtown Athens." in change["statements"]["added"]

            # Listed again with the same text (a new ETag, nothing else): nothing new.
            site.routes["/feed.xml"] = etagged(rss([dict(item, text=REVISED_TEXT), other]), '"v3"')
            third = watcher.cycle(every_source=True)
            assert third.added == [] and third.changes == [] and store.article_count() == 3


def etagged(feed: bytes, etag: str):
    """A feed route answering 304 only to its own ETag (`conditional`'s Last-Modified is stamped to the
    second: a feed changed within the second of the last poll would answer its If-Modified-Since with 304)."""
    def route(hit: Hit) -> Reply:
        if hit.headers.get("if-none-match") == etag:
            return Reply(304, headers={"ETag": etag})
        return Reply(200, feed, {"Content-Type": "application/rss+xml", "ETag": etag})
    return route


def _cites(brief: dict) -> list[list[str]]:
    """The citations of a brief's statements (summary, agreed, single-source)."""
    return [s["cites"] for section in ("summary", "agreed", "single_source") for s in brief.get(section, ())]


def test_versions_a_page_source_answering_another_text_is_a_new_version(store_target):
    with Site() as site:
        site.routes["/robots.txt"] = Reply(200, b"User-agent: *\nAllow: /\n", {"Content-Type": "text/plain"})
        page = _page(FIRST["title"], FIRST["text"])
        site.routes["/live"] = Reply(200, page, {"Content-Type": "text/html; charset=utf-8"})
        with Store(store_target) as store:
            watcher = watched(store, [f"{site.base}/live"])
            (first,) = watcher.cycle(every_source=True).added
            # The same page once more, its markup changed (a counter) but not its text: nothing new.
            site.routes["/live"] = Reply(200, page.replace(b"</body>", b"<!-- 2 --></body>"),
                                         {"Content-Type": "text/html; charset=utf-8"})
            same = watcher.cycle(every_source=True)
            assert same.added == [] and same.unchanged == 1 and store.article_count() == 1
            revised_page = _page(FIRST["title"], REVISED_TEXT)
            site.routes["/live"] = Reply(200, revised_page, {"Content-Type": "text/html"})
            revised = watcher.cycle(every_source=True)
            assert len(revised.added) == 1 and store.article_count() == 2
            (second,) = revised.added
            (story,) = store.stories()
            assert story.articles == (second,)
            assert "dead THREE → FOUR" in revised.changes[0]["digest"]

            # The page goes back to its first text, byte for byte: the first version is current again, as a
            # third version (nothing stored twice), and the story is briefed from it.
            site.routes["/live"] = Reply(200, page, {"Content-Type": "text/html; charset=utf-8"})
            back = watcher.cycle(every_source=True)
            assert back.added == [] and store.article_count() == 2
            (story,) = store.stories()
            assert story.articles == (first,)
            versions = store.versions_of(first)
            assert [(v["version"], v["article"], v["reverted_to"], v["current"]) for v in versions] == [
                (1, first, None, False), (2, second, None, False), (3, first, 1, True)]
            assert [(e["kind"], e["article"], e["other"]) for e in store.story_history(story.id)] == [
                ("created", first, ""), ("revised", second, first), ("revised", first, second)]
            brief = store.latest_brief(story.id)
            assert {s["article"] for s in brief["sources"]} == {first}
            assert all(cite.startswith(first + ":") for cites in _cites(brief) for cite in cites)
            (change,) = back.changes
            assert change["sources"]["revised"] == [{"article": first, "previous": second}]
            assert change["digest"].startswith("1 source revised; dead FOUR → THREE")

            # Then to the second text in other markup (other bytes, the same text): the second version again.
            site.routes["/live"] = Reply(200, revised_page.replace(b"</body>", b"<!-- 3 --></body>"),
                                         {"Content-Type": "text/html"})
            again = watcher.cycle(every_source=True)
            assert again.added == [] and store.article_count() == 2
            assert store.stories()[0].articles == (second,)
            assert [(v["article"], v["reverted_to"]) for v in store.versions_of(first)][3:] == [(second, 2)]
            assert again.changes[0]["digest"].startswith("1 source revised; dead THREE → FOUR")


def _page(title: str, text: str) -> bytes:
    """A news page of a title and paragraphs (the lines of `text`)."""
    paragraphs = "".join(f"<p>{line}</p>" for line in text.splitlines() if line.strip())
    return (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{paragraphs}</article>"
            f"</body></html>").encode("utf-8")


def test_versions_add_of_a_stored_url_with_another_text_and_the_same_text(tmp_path):
    db = str(tmp_path / "s.db")
    first, again, revised = (tmp_path / f"{name}.jsonl" for name in ("first", "again", "revised"))
    first.write_text(json.dumps(dict(FIRST, published="2010-05-05")) + "\n", encoding="utf-8")
    # The same article with other bytes (a field more) but the same title and text: nothing new.
    again.write_text(json.dumps(dict(FIRST, published="2010-05-05", section="world")) + "\n", encoding="utf-8")
    # The same URL with a tracking parameter, and the revised text.
    revised.write_text(json.dumps(dict(FIRST, url=FIRST["url"] + "?utm_source=feed", text=REVISED_TEXT,
                                       published="2010-05-05")) + "\n", encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["run", "--db", db, str(first), "--out", str(tmp_path / "out")]).exit_code == 0
    result = runner.invoke(main, ["add", "--db", db, str(again)])
    assert result.exit_code == 0 and "1 already stored" in result.stderr
    result = runner.invoke(main, ["add", "--db", db, str(revised)])
    assert result.exit_code == 0, result.output
    assert "(0 duplicates; 1 new version of a stored article)" in result.stderr
    with Store(db) as store:
        (story,) = store.stories()
        (current,) = story.articles
        versions = store.versions_of(current)
        assert [v["version"] for v in versions] == [1, 2] and versions[-1]["article"] == current
        old = versions[0]["article"]
        assert store.get_article(current).body.startswith(REVISED_TEXT.splitlines()[0])
        assert store.article_count() == 2
    with Store(db) as store:
        pipeline.brief_stories(store)  # the story, briefed again from the new text
    result = runner.invoke(main, ["changes", "--db", db])
    assert result.exit_code == 0 and "1 source revised; dead THREE → FOUR" in result.stdout.splitlines()[0]
    # The article JSON lists the versions, the same from either one (`show --json`, the export of `run`).
    shown = json.loads(runner.invoke(main, ["show", "--db", db, old, "--json"]).stdout)
    assert [(v["version"], v["article"], v["current"]) for v in shown["versions"]] == [(1, old, False),
                                                                                        (2, current, True)]
    assert shown["versions"][0]["title"] == FIRST["title"] and shown["versions"][0]["published"] == "2010-05-05"
    exported = json.loads((tmp_path / "out" / "articles" / f"{old}.json").read_text(encoding="utf-8"))
    assert [v["version"] for v in exported["versions"]] == [1]  # written by `run` before the new version came
    assert "version: 1 of 2; 1 " + old in runner.invoke(main, ["show", "--db", db, old]).stdout

    # The web UI: each version's page says which it is and links the others; the Atom feed has the digest.
    server = serving(Path(db))
    running = next(server)
    try:
        api = httpx.get(f"{running['base']}/api/v1/articles/{current}", timeout=30).json()["data"]
        assert api["versions"] == shown["versions"]
        newest = httpx.get(f"{running['base']}/articles/{current}", timeout=30).text
        assert "This is version 2 of 2 of the article at this URL." in newest
        assert f'href="/articles/{old}"' in newest
        earlier = httpx.get(f"{running['base']}/articles/{old}", timeout=30).text
        assert "This is version 1 of 2" in earlier and f'the current one is <a href="/articles/{current}">' in earlier
        atom = feedparser.parse(httpx.get(f"{running['base']}/feeds/stories.atom", timeout=30).content)
        assert not atom.bozo and any("1 source revised; dead THREE → FOUR" in entry.title + entry.get("summary", "")
                                     for entry in atom.entries)
    finally:
        server.close()


def test_versions_migration_gives_the_articles_stored_before_it_their_first_version(tmp_path):
    db = tmp_path / "s.db"
    with Store(db) as store:
        pipeline.add(store, [str(_jsonl(tmp_path / "a.jsonl", [dict(FIRST, published="2010-05-05")]))])
    # The store as it was before migration 0018 (and 0021, which keys the table by URL and version).
    conn = sqlite3.connect(db)
    conn.execute("DROP TABLE article_versions")
    conn.execute("DELETE FROM schema_migrations WHERE number IN (18, 21)")
    conn.commit()
    conn.close()
    with Store(db) as store:
        (article,) = store.iter_articles()
        assert [(v["article"], v["version"]) for v in store.versions_of(article.id)] == [(article.id, 1)]
        assert store.schema_version() >= 21
        report = pipeline.add(store, [str(_jsonl(tmp_path / "b.jsonl", [dict(FIRST, text=REVISED_TEXT,
                                                                               published="2010-05-05")]))])
        assert report.versions == [(report.added[0], article.id)]


def _jsonl(path, rows: list[dict]):
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def test_versions_of_one_live_page_in_one_input_are_taken_in_the_order_given(tmp_path):
    # Three real versions of one ITV page (ECB+ 14_4, 14_5, 14_6: its story of a supermarket fire as
    # updated over two days), the last two of one day: their order is the input's, not their ids'.
    reports = [dict(ecbplus_report(doc), published=day) for doc, day in
               (("14_4ecbplus", "2013-07-21"), ("14_5ecbplus", "2013-07-22"), ("14_6ecbplus", "2013-07-22"))]
    assert len({report["url"] for report in reports}) == 1
    with Store(tmp_path / "s.db") as store:
        report = pipeline.add(store, [str(_jsonl(tmp_path / "live.jsonl", reports))])
        assert len(report.added) == 3 and len(report.versions) == 2
        (story,) = store.stories()
        (current,) = story.articles
        versions = store.versions_of(current)
        titles = [store.get_article(v["article"]).title for v in versions]
        assert titles == [r["title"] for r in reports] and versions[-1]["article"] == current
        assert [v["version"] for v in versions] == [1, 2, 3]
        # Superseded before placement, the old versions were never placed: the newest founded the story.
        assert [(e["kind"], e["article"]) for e in store.story_history(story.id)] == [("created", current)]

        # The same input again is nothing new: its last version of the URL is the current one.
        again = pipeline.add(store, [str(tmp_path / "live.jsonl")])
        assert (again.added, again.reverted, again.unchanged) == ([], [], 3)
        assert len(store.versions_of(current)) == 3
        # An input of the first text alone: the URL's text is that of version 1 again.
        first = versions[0]["article"]
        back = pipeline.add(store, [str(_jsonl(tmp_path / "first.jsonl", reports[:1]))])
        assert (back.added, back.reverted) == ([], [(first, current)])
        assert store.stories()[0].articles == (first,) and store.article_count() == 3
        assert [(v["version"], v["reverted_to"]) for v in store.versions_of(current)][-1] == (4, 1)


def test_versions_a_page_replaced_by_another_events_text_moves_to_that_events_story(store_target, tmp_path):
    # Real ECB+ reports of three events: a bank fire in Athens (2010), a celebrity's rehab (2013) and a
    # dairy warehouse fire in Alaska (2012). Two pages, one in the Athens story beside another report of it
    # and one alone in its story, are replaced by reports of the warehouse fire (their URLs kept: the
    # test's doing, as a reused URL or a live page turned to another event does).
    def report(doc: str, day: str, url: str | None = None) -> dict:
        found = ecbplus_report(doc)
        return dict(found, url=url or found["url"], published=day)

    athens, alone = report("8_3ecbplus", "2010-05-05"), report("1_10ecbplus", "2013-05-03")
    stored = [athens, report("8_10ecbplus", "2010-05-05"), alone,
              report("13_8ecbplus", "2012-08-07"), report("13_9ecbplus", "2012-08-07")]
    # A revision of the other Athens report (its toll): the same event, so it stays in its story.
    revision = dict(stored[1], text=REVISED_TEXT)
    replaced = [report("13_6ecbplus", "2012-08-07", athens["url"]), report("13_7ecbplus", "2012-08-07", alone["url"]),
                revision]
    with Store(store_target) as store:
        first = pipeline.add(store, [str(_jsonl(tmp_path / "first.jsonl", stored))])
        by_title = {store.get_article(a).title: a for a in first.added}
        ids = dict(zip(("athens", "other", "alone", "dairy", "dairy2"), (by_title[r["title"]] for r in stored)))
        assert len(store.stories()) == 3
        story_of = {name: store.story_of_article(article_id) for name, article_id in ids.items()}
        assert story_of["athens"] == story_of["other"] and story_of["dairy"] == story_of["dairy2"]

        second = pipeline.add(store, [str(_jsonl(tmp_path / "second.jsonl", replaced))])
        new = {store.get_article(a).title: a for a in second.added}
        moved, moved_alone, revised = (new[r["title"]] for r in replaced)
        stories = {story.id: set(story.articles) for story in store.stories()}
        assert stories == {story_of["athens"]: {revised},
                           story_of["dairy"]: {ids["dairy"], ids["dairy2"], moved, moved_alone}}
        kinds = [(e["kind"], e["article"], e["other"]) for e in store.story_history(story_of["athens"])]
        assert ("moved", moved, ids["athens"]) in kinds and ("revised", revised, ids["other"]) in kinds
        # The story the lone page left is absorbed by the one its new text joined; nothing stored is lost.
        assert store.get_story(story_of["alone"]).id == story_of["dairy"]
        assert ("moved", moved_alone, ids["alone"]) in [(e["kind"], e["article"], e["other"])
                                                        for e in store.story_history(story_of["dairy"])]
        assert store.get_article(ids["alone"]).body and store.article_count() == 8
        assert [v["article"] for v in store.versions_of(moved)] == [ids["athens"], moved]
        changed = {(change.kind, change.story) for change in second.story_changes}
        assert {("moved", story_of["athens"]), ("moved", story_of["alone"]), ("revised", story_of["athens"])} <= changed
