"""Feeds out: one developing story followed through three polls of a loopback feed whose items change;
after each poll, `storyline changes`, the Atom feeds of a real server (read back by feedparser and
atoma), the story list and the brief page say what changed; the webhook gets the digest."""

from __future__ import annotations

import json
import time

import atoma
import feedparser
import httpx
import pytest
from click.testing import CliRunner

from storyline import feeds
from storyline.cli import main
from storyline.store import Store
from storyline.watch import Source, Watcher, WatchConfig
from storyline.watch.fetch import FetchConfig
from tests.conftest import ATHENS_POLLS
from tests.loopback import Reply, Site, conditional, rss
from tests.test_serve import serving
from tests.test_watch import report_item

# What each poll must change: the second brings the later report of 18 injured (12 before).
EXPECTED_DIGESTS = ("new story: 2 sources", "+1 source; injured 12 → 18", "+2 sources")


def atom_of(base: str, path: str) -> tuple[feedparser.FeedParserDict, atoma.atom.AtomFeed]:
    """An Atom feed of the server, read by feedparser (must not be bozo) and by atoma."""
    answer = httpx.get(base + path, timeout=30)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith(feeds.MEDIA_TYPE)
    parsed = feedparser.parse(answer.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed, atoma.parse_atom_bytes(answer.content)


@pytest.fixture(scope="module")
def followed(tmp_path_factory):
    """The store, the server and what each of the three polls gave: (report, changes output, feeds, pages)."""
    db = tmp_path_factory.mktemp("feeds") / "s.db"
    steps = []
    with Site() as site:
        site.routes["/robots.txt"] = Reply(200, b"User-agent: *\nAllow: /\n", {"Content-Type": "text/plain"})
        site.routes["/hook"] = Reply(204)
        config = WatchConfig(fetch=FetchConfig(host_delay=0.0, timeout=5.0), notify=f"{site.base}/hook")
        with Store(db) as store:
            watcher = Watcher(store, [Source(f"{site.base}/feed.xml", 60)], config)
            server = serving(db)
            running = next(server)
            try:
                items = []
                for number, poll in enumerate(ATHENS_POLLS):
                    items = [report_item(site, doc, day) for doc, day in poll] + items  # a feed lists the newest first
                    site.routes["/feed.xml"] = conditional(rss(items), "application/rss+xml", f'"poll-{number}"')
                    report = watcher.cycle(every_source=True)
                    listed = CliRunner().invoke(main, ["changes", "--db", str(db)])
                    story = report.changes[0]["story"] if report.changes else None
                    steps.append({
                        "report": report, "changes": listed, "story": story,
                        "all": atom_of(running["base"], "/feeds/stories.atom"),
                        "one": atom_of(running["base"], f"/stories/{story}/feed.atom") if story else None,
                        "list": httpx.get(running["base"] + "/", timeout=30).text,
                        "hook": [json.loads(hit.body) for hit in site.hits if hit.path == "/hook"],
                    })
                    time.sleep(1.1)  # versions are stamped to the second
                yield {"steps": steps, "base": running["base"], "db": db}
            finally:
                server.close()
                watcher.close()


def test_feeds_each_poll_gives_one_new_version_and_its_digest(followed):
    steps = followed["steps"]
    assert [len(step["report"].added) for step in steps] == [len(poll) for poll in ATHENS_POLLS]
    stories = {step["story"] for step in steps}
    assert len(stories) == 1 and None not in stories  # one developing story, changed by every poll
    for number, step in enumerate(steps):
        (change,) = step["report"].changes
        assert change["version"] == number + 1 and change["digest"].startswith(EXPECTED_DIGESTS[number])
        assert "injured" not in change["digest"] or number == 1
        line = step["changes"].stdout.splitlines()[0]
        assert step["changes"].exit_code == 0 and f" v{number + 1} " in line and change["digest"] in line


def test_feeds_the_atom_feeds_list_every_version_newest_first(followed):
    for number, step in enumerate(followed["steps"]):
        for parsed, other in (step["all"], step["one"]):
            assert len(parsed.entries) == number + 1 and len(other.entries) == number + 1
            assert parsed.entries[0].summary == step["report"].changes[0]["digest"]
            assert other.entries[0].summary.value == step["report"].changes[0]["digest"]
            assert [e.id for e in parsed.entries] == [e.id_ for e in other.entries]
            assert parsed.entries[0].link.startswith(f"{followed['base']}/stories/{step['story']}?version={number + 1}")
            assert parsed.feed.updated == parsed.entries[0].updated
        assert len({e.id for e in step["all"][0].entries}) == number + 1  # each version its own entry


def test_feeds_the_story_list_shows_the_digest_and_the_brief_page_marks_since_a_version(followed):
    last = followed["steps"][-1]
    digest = last["report"].changes[0]["digest"]
    assert "version 3" in last["list"] and digest.split(";")[0] in last["list"]
    base, story = followed["base"], last["story"]
    since_first = httpx.get(f"{base}/stories/{story}", params={"since": 1}, timeout=60).text
    since_second = httpx.get(f"{base}/stories/{story}", params={"since": 2}, timeout=60).text

    def marked(html: str) -> int:
        return int(html.split('<span id="marked">')[1].split(" ")[0])

    assert marked(since_first) > marked(since_second) > 0  # more is new since an older version
    assert 'value="1" selected' in since_first


def test_feeds_the_webhook_gets_each_polls_changes(followed):
    hooks = followed["steps"][-1]["hook"]
    assert len(hooks) == 3 and all(hook["schema"] == "storyline/changes/v1" for hook in hooks)
    assert [hook["changes"][0]["digest"] for hook in hooks] == [
        step["report"].changes[0]["digest"] for step in followed["steps"]]


def test_feeds_an_empty_store_gives_a_valid_empty_feed(tmp_path):
    with Store(tmp_path / "empty.db"):
        pass
    server = serving(tmp_path / "empty.db")
    running = next(server)
    try:
        parsed, other = atom_of(running["base"], "/feeds/stories.atom")
        assert parsed.entries == [] and other.entries == []
        assert httpx.get(running["base"] + "/stories/nosuch/feed.atom", timeout=30).status_code == 404
    finally:
        server.close()


def test_feeds_serve_watch_adds_from_a_feed_inside_the_server(tmp_path):
    with Site() as site:
        site.routes["/robots.txt"] = Reply(404)
        items = [report_item(site, "8_10ecbplus", "2010-05-05")]
        site.routes["/feed.xml"] = conditional(rss(items), "application/rss+xml", '"w"')
        with Store(tmp_path / "w.db"):
            pass
        server = serving(tmp_path / "w.db", "--watch", f"{site.base}/feed.xml", "--interval", "1s",
                         "--host-delay", "0")
        running = next(server)
        try:
            deadline = time.monotonic() + 120
            total = 0
            while time.monotonic() < deadline and not total:
                total = httpx.get(running["base"] + "/api/v1/articles", timeout=30).json()["total"]
                time.sleep(0.5)
            assert total == 1
            while time.monotonic() < deadline and site.paths().count("/feed.xml") < 2:
                time.sleep(0.5)
            again = [hit for hit in site.hits if hit.path == "/feed.xml"][1]
            assert again.headers.get("if-none-match") == '"w"'  # polled again, conditionally
        finally:
            server.close()


def test_feeds_in_a_browser_the_reader_picks_the_version_new_things_are_marked_since(followed):
    from playwright.sync_api import expect, sync_playwright

    from tests.test_web_ui import CHROMIUM, FLAGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            page = browser.new_page()
            page.goto(followed["base"] + "/")
            first = page.locator("table.stories tr").nth(1)
            expect(first.locator(".digest")).to_contain_text("version 3")
            first.locator("a.story-link").click()
            expect(page.locator("#marked")).to_contain_text("new since version 2")
            newest = int(page.locator("#marked").inner_text().split()[0])
            page.select_option("#since", "1")
            page.get_by_role("button", name="Mark").click()
            expect(page.locator("#marked")).to_contain_text("new since version 1")
            assert int(page.locator("#marked").inner_text().split()[0]) > newest
            assert page.locator(".brief .new").count() > 0
        finally:
            browser.close()
