"""watch: polite polling of a real loopback server (304, 429 with Retry-After, 500, slow answers,
redirects, robots.txt), summary items fetched as pages, one article through two feeds stored once,
a killed watcher resuming, and one story followed through three polls. What the watcher keeps in the
store (validators, failures, pending items across a restart or a kill) is tested on both backends."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import main
from storyline.store import Store
from storyline.watch import CycleReport, Source, Watcher, WatchConfig, canonical_url, parse_sources
from storyline.watch.fetch import FetchConfig, Fetcher
from tests.conftest import ATHENS_POLLS, EXTRACTION, LONG_TITLED, ecbplus_report
from tests.loopback import Reply, Site, conditional, rss

ROOT = Path(__file__).resolve().parents[1]
QUICK = WatchConfig(fetch=FetchConfig(host_delay=0.0, timeout=2.0, attempts=2, backoff=0.05, max_backoff=0.2))


def report_item(site: Site, document_id: str, day: str, path: str | None = None) -> dict:
    """A feed item carrying the full text of a real ECB+ report, linked to a page of the loopback site."""
    report = ecbplus_report(document_id)
    return {"link": f"{site.base}{path or '/news/' + document_id}", "title": report["title"], "text": report["text"],
            "published": day}


def watched(store: Store, urls: list[str], config: WatchConfig = QUICK) -> Watcher:
    return Watcher(store, [Source(url, 60) for url in urls], config)


@pytest.fixture
def site():
    with Site() as running:
        running.routes["/robots.txt"] = Reply(200, b"User-agent: *\nDisallow: /private/\n", {"Content-Type": "text/plain"})
        yield running


def test_watch_the_loopback_conditional_route_lets_a_sent_etag_decide(site):
    # RFC 9110 13.1.3: If-Modified-Since counts only when the request sends no If-None-Match.
    import httpx

    site.routes["/feed.xml"] = conditional(rss([]), "application/rss+xml", '"v2"')
    url = f"{site.base}/feed.xml"
    first = httpx.get(url)
    modified = first.headers["last-modified"]
    assert first.status_code == 200 and first.headers["etag"] == '"v2"'
    assert httpx.get(url, headers={"If-None-Match": '"v2"'}).status_code == 304
    assert httpx.get(url, headers={"If-None-Match": '"v1"', "If-Modified-Since": modified}).status_code == 200
    assert httpx.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    assert httpx.get(url, headers={"If-Modified-Since": "Mon, 03 May 2010 12:00:00 GMT"}).status_code == 200


def test_watch_a_feed_unchanged_costs_one_conditional_get(site, store_target):
    feed = rss([report_item(site, "8_10ecbplus", "2010-05-05")])
    site.routes["/feed.xml"] = conditional(feed, "application/rss+xml", '"v1"')
    with Store(store_target) as store:
        watcher = watched(store, [f"{site.base}/feed.xml"])
        first = watcher.cycle(every_source=True)
        assert len(first.added) == 1 and first.failed == []
        assert first.requests == 2  # robots.txt, then the feed
        again = watcher.cycle(every_source=True)
        assert again.requests == 1 and again.added == [] and again.polled == [(f"{site.base}/feed.xml", "not modified")]
        assert site.hits[-1].headers["if-none-match"] == '"v1"'
        assert "if-modified-since" in site.hits[-1].headers
        assert site.hits[-1].headers["user-agent"].startswith("storyline/")
        state = store.watch_source(f"{site.base}/feed.xml")
        assert state["etag"] == '"v1"' and state["last_status"] == 304 and state["failures"] == 0
        assert store.article_count() == 1


def test_watch_waits_for_retry_after_on_429_then_reads(site, tmp_path):
    feed = rss([report_item(site, "8_10ecbplus", "2010-05-05")])
    answers = iter([Reply(429, b"slow down", {"Retry-After": "1"})])
    site.routes["/feed.xml"] = lambda hit: next(answers, Reply(200, feed, {"Content-Type": "application/rss+xml"}))
    with Store(tmp_path / "s.db") as store:
        report = watched(store, [f"{site.base}/feed.xml"]).cycle(every_source=True)
    tries = [hit for hit in site.hits if hit.path == "/feed.xml"]
    assert len(tries) == 2 and tries[1].at - tries[0].at >= 0.95  # the server's Retry-After, not the backoff
    assert len(report.added) == 1 and report.failed == []


def test_watch_a_failing_source_is_recorded_and_the_others_still_polled(site, store_target):
    site.routes["/broken.xml"] = Reply(500, b"oops")
    site.routes["/slow.xml"] = Reply(200, rss([]), {"Content-Type": "application/rss+xml"}, delay=3.0)
    feed = rss([report_item(site, "8_10ecbplus", "2010-05-05")])
    site.routes["/feed.xml"] = Reply(200, feed, {"Content-Type": "application/rss+xml"})
    urls = [f"{site.base}/broken.xml", f"{site.base}/slow.xml", f"{site.base}/feed.xml"]
    with Store(store_target) as store:
        config = WatchConfig(fetch=FetchConfig(host_delay=0.0, timeout=0.5, attempts=2, backoff=0.05, max_backoff=0.1))
        report = watched(store, urls, config).cycle(every_source=True)
        failed = dict(report.failed)
        assert failed[urls[0]] == "HTTP 500 (after 2 tries)"
        assert failed[urls[1]].startswith("timed out after 0.5 s")
        assert site.paths().count("/broken.xml") == 2  # retried once
        assert len(report.added) == 1  # the good feed all the same
        broken = store.watch_source(urls[0])
        assert broken["failures"] == 1 and broken["last_error"] == "HTTP 500 (after 2 tries)"
        assert broken["next_poll"] > broken["last_poll"]


def test_watch_a_cycle_writes_its_polls_in_one_transaction_and_says_one_line_per_source(site, tmp_path):
    urls = [f"{site.base}/feed-{n}.xml" for n in range(3)] + [f"{site.base}/broken.xml"]
    for n in range(3):
        site.routes[f"/feed-{n}.xml"] = conditional(rss([]), "application/rss+xml", f'"v{n}"')
    site.routes["/broken.xml"] = Reply(500, b"oops")
    with Store(tmp_path / "s.db") as store:
        watcher = watched(store, urls)
        watcher.cycle(every_source=True)
        statements, lines = [], []
        store.conn.set_trace_callback(statements.append)  # what the cycle asks SQLite, as SQLite runs it
        report = watcher.cycle(every_source=True, on_line=lambda line, problem: lines.append((line, problem)))
        store.conn.set_trace_callback(None)
        assert [s for s in statements if s.startswith("BEGIN")] == ["BEGIN IMMEDIATE"]
        assert [line.split(": ", 1)[0] for line, _ in lines] == urls  # one line per source, in order
        for (line, problem), url in zip(lines, urls):
            if url.endswith("broken.xml"):
                assert problem and "HTTP 500" in line and line.endswith("next try in 120 s")  # twice 60 s
            else:
                assert not problem and line == f"{url}: HTTP 304, not modified; next poll in 60 s"
        assert report.polled == [(url, "failed" if url.endswith("broken.xml") else "not modified") for url in urls]
        assert store.watch_source(urls[-1])["failures"] == 2 and store.watch_source(urls[0])["last_status"] == 304
    # The three 304s of the second cycle come over one kept-alive connection (an answer closed unread
    # closed its connection: one TCP connect per poll).
    not_modified = [hit for hit in site.hits[-5:] if hit.path.startswith("/feed-")]
    assert len(not_modified) == 3 and len({hit.port for hit in not_modified}) == 1


def test_watch_notify_retries_a_webhook_that_fails_then_gives_up_with_why(site, tmp_path):
    answers = iter([Reply(503, b"busy"), Reply(204)])
    site.routes["/hook"] = lambda hit: next(answers, Reply(500, b"down"))
    change = {"schema": "storyline/change/v1", "story": "0123456789abcdef", "version": 2, "digest": "+1 source"}
    with Store(tmp_path / "s.db") as store:
        watcher = watched(store, [], WatchConfig(fetch=QUICK.fetch, notify=f"{site.base}/hook"))
        report = CycleReport(changes=[change])
        watcher.notify(report)
        posts = [hit for hit in site.hits if hit.path == "/hook"]
        assert [hit.method for hit in posts] == ["POST", "POST"] and report.notify_error == ""  # 503, then 204
        assert json.loads(posts[-1].body) == {"schema": "storyline/changes/v1", "changes": [change]}
        again = CycleReport(changes=[change])
        watcher.notify(again)  # 500 every time: QUICK tries twice, then the cycle says why
        assert len([hit for hit in site.hits if hit.path == "/hook"]) == 4
        assert again.notify_error == "HTTP 500 (after 2 tries)"


def test_watch_follows_redirects(site, tmp_path):
    feed = rss([report_item(site, "8_10ecbplus", "2010-05-05")])
    site.routes["/old.xml"] = Reply(301, b"", {"Location": "/feed.xml"})
    site.routes["/feed.xml"] = Reply(200, feed, {"Content-Type": "application/rss+xml"})
    with Store(tmp_path / "s.db") as store:
        report = watched(store, [f"{site.base}/old.xml"]).cycle(every_source=True)
        assert len(report.added) == 1
    assert site.paths()[-2:] == ["/old.xml", "/feed.xml"]


def benchmark_page(path: Path) -> tuple[bytes, str]:
    """A real news page of the extraction benchmark and its article body (the benchmark's ground truth)."""
    truth = json.loads((EXTRACTION / "ground-truth.json").read_text(encoding="utf-8"))
    key = path.name.split(".")[0]
    return gzip.decompress(path.read_bytes()), truth[key]["articleBody"]


def from_page(body: str, truth: str) -> bool:
    """Whether a stored body is the page's article: most words of the true body are in it."""
    words, true_words = set(body.split()), set(truth.split())
    return len(body.split()) > 100 and len(words & true_words) >= 0.7 * len(true_words)


def test_watch_a_summary_item_gets_its_page_fetched_once_through_two_feeds(site, tmp_path):
    page, opening = benchmark_page(LONG_TITLED[0])
    site.routes["/story/1"] = Reply(200, page, {"Content-Type": "text/html; charset=utf-8"})
    summary = {"title": "A story", "summary": "Only a short summary of the story.", "published": "2019-03-01"}
    site.routes["/a.xml"] = Reply(200, rss([dict(summary, link=f"{site.base}/story/1?utm_source=a#top")]),
                                  {"Content-Type": "application/rss+xml"})
    site.routes["/b.xml"] = Reply(200, rss([dict(summary, link=f"{site.base}/story/1?utm_medium=feed&utm_source=b")]),
                                  {"Content-Type": "application/rss+xml"})
    with Store(tmp_path / "s.db") as store:
        report = watched(store, [f"{site.base}/a.xml", f"{site.base}/b.xml"]).cycle(every_source=True)
        assert report.new_items == 1 and len(report.added) == 1
        assert site.paths().count("/story/1") == 1
        (article,) = store.iter_articles()
        assert from_page(article.body, opening)  # the page's text, not the feed's summary
        assert article.published.value == "2019-03-01"  # the feed's date comes along
    assert canonical_url(f"{site.base}/story/1?utm_source=a#top") == f"{site.base}/story/1"


def test_watch_never_fetches_what_robots_txt_disallows(site, tmp_path):
    item = {"title": "Private", "summary": "A summary of a page robots.txt keeps private.", "published": "2019-03-01",
            "link": f"{site.base}/private/1"}
    site.routes["/private/1"] = Reply(200, b"<html><body><p>never read</p></body></html>", {"Content-Type": "text/html"})
    site.routes["/feed.xml"] = Reply(200, rss([item]), {"Content-Type": "application/rss+xml"})
    with Store(tmp_path / "s.db") as store:
        watched(store, [f"{site.base}/feed.xml"]).cycle(every_source=True)
        assert "/private/1" not in site.paths()
        assert store.watch_item_counts() in ({"added": 1}, {"skipped": 1})  # the summary, or nothing: never the page


def test_watch_a_page_that_fails_stays_pending_and_is_added_on_a_later_poll(site, store_target):
    page, opening = benchmark_page(LONG_TITLED[1])
    answers = iter([Reply(500, b"down"), Reply(500, b"down")])
    site.routes["/story/2"] = lambda hit: next(answers, Reply(200, page, {"Content-Type": "text/html"}))
    item = {"title": "T", "summary": "A short summary.", "published": "2019-03-02", "link": f"{site.base}/story/2"}
    site.routes["/feed.xml"] = conditional(rss([item]), "application/rss+xml", '"f"')
    with Store(store_target) as store:
        first = watched(store, [f"{site.base}/feed.xml"]).cycle(every_source=True)
        assert first.added == [] and store.watch_item_counts() == {"pending": 1}
        assert [url for url, _ in first.failed] == [f"{site.base}/story/2"]
    with Store(store_target) as store:  # a new watcher, as after a restart
        second = watched(store, [f"{site.base}/feed.xml"]).cycle(every_source=True)
        assert second.polled == [(f"{site.base}/feed.xml", "not modified")]
        assert len(second.added) == 1 and store.watch_item_counts() == {"added": 1}
        assert from_page(next(store.iter_articles()).body, opening)


def test_watch_killed_mid_poll_resumes_without_adding_twice_or_losing(site, store_target):
    items = [report_item(site, doc, day) for doc, day in ATHENS_POLLS[0]]
    page, _ = benchmark_page(LONG_TITLED[0])
    slow = iter([Reply(200, page, {"Content-Type": "text/html"}, delay=30.0)])
    site.routes["/story/slow"] = lambda hit: next(slow, Reply(200, page, {"Content-Type": "text/html"}))
    items.append({"title": "S", "summary": "A summary.", "published": "2010-05-05", "link": f"{site.base}/story/slow"})
    site.routes["/feed.xml"] = conditional(rss(items), "application/rss+xml", '"k"')
    db = store_target
    command = [sys.executable, "-m", "storyline", "watch", "--db", str(db), "--once", "--host-delay", "0",
               "--timeout", "60", f"{site.base}/feed.xml"]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while "/story/slow" not in site.paths() and time.monotonic() < deadline:
        time.sleep(0.1)
    process.send_signal(signal.SIGKILL)
    process.wait()
    with Store(db) as store:
        assert store.watch_item_counts() == {"pending": 3}  # seen, not yet added: nothing is lost
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    feeds = [hit for hit in site.hits if hit.path == "/feed.xml"]
    assert len(feeds) == 2 and feeds[1].headers.get("if-none-match") == '"k"'  # its validators were kept
    with Store(db) as store:
        assert store.watch_item_counts() == {"added": 3} and store.article_count() == 3
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "0 new articles" in again.stderr
    with Store(db) as store:
        assert store.article_count() == 3


def test_watch_sources_file_lines_and_bad_ones(tmp_path):
    assert parse_sources(["# feeds", "http://127.0.0.1/a.xml 5m", "", "http://127.0.0.1/b.xml"], "f", 60) == [
        Source("http://127.0.0.1/a.xml", 300), Source("http://127.0.0.1/b.xml", 60)]
    listed = tmp_path / "sources.txt"
    listed.write_text("http://127.0.0.1/a.xml every-hour\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["watch", "--db", str(tmp_path / "s.db"), "--once", "--sources", str(listed)])
    assert result.exit_code == 2
    assert f"{listed}:1: 'every-hour' is not an interval" in result.output


def test_watch_fetcher_counts_one_robots_read_per_host(site):
    site.routes["/x"] = Reply(200, b"x", {"Content-Type": "text/plain"})
    fetcher = Fetcher(FetchConfig(host_delay=0.2))
    try:
        started = time.monotonic()
        for _ in range(3):
            assert fetcher.get(f"{site.base}/x").status == 200
        assert time.monotonic() - started >= 0.6  # robots.txt and three pages, 0.2 s apart
    finally:
        fetcher.close()
    assert site.paths() == ["/robots.txt", "/x", "/x", "/x"]


def test_watch_keeps_robots_txt_in_the_store_across_a_restart_until_it_is_old(site, tmp_path):
    feed = f"{site.base}/feed.xml"
    site.routes["/feed.xml"] = conditional(rss([]), "application/rss+xml", '"v1"')
    site.routes["/private/feed.xml"] = Reply(200, rss([]), {"Content-Type": "application/rss+xml"})
    with Store(tmp_path / "s.db") as store:
        watched(store, [feed]).cycle(every_source=True)
        assert store.robots_txt(site.base)[0].startswith("User-agent: *\nDisallow: /private/")
    with Store(tmp_path / "s.db") as store:  # a new watcher, as after a restart: robots.txt is not read again
        report = watched(store, [feed, f"{site.base}/private/feed.xml"]).cycle(every_source=True)
        assert report.polled == [(feed, "not modified"), (f"{site.base}/private/feed.xml", "failed")]
        assert "robots.txt disallows" in report.failed[0][1]  # from the stored copy
    assert site.paths().count("/robots.txt") == 1 and "/private/feed.xml" not in site.paths()
    old = WatchConfig(fetch=FetchConfig(host_delay=0.0, timeout=2.0, attempts=2, robots_ttl=0.0))
    with Store(tmp_path / "s.db") as store:  # a stored copy older than robots_ttl is read again
        watched(store, [feed], old).cycle(every_source=True)
    assert site.paths().count("/robots.txt") == 2


def test_watch_a_sitemap_lists_pages_and_a_page_source_is_an_article(site, tmp_path):
    first, first_truth = benchmark_page(LONG_TITLED[0])
    second, second_truth = benchmark_page(LONG_TITLED[1])
    site.routes["/a"] = Reply(200, first, {"Content-Type": "text/html"})
    site.routes["/b"] = Reply(200, second, {"Content-Type": "text/html"})
    sitemap = (f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
               f"<url><loc>{site.base}/a</loc><lastmod>2019-11-01</lastmod></url>"
               f"<url><loc>{site.base}/private/c</loc><lastmod>2019-11-03</lastmod></url></urlset>").encode()
    site.routes["/sitemap.xml"] = Reply(200, sitemap, {"Content-Type": "application/xml"})
    with Store(tmp_path / "s.db") as store:
        report = watched(store, [f"{site.base}/sitemap.xml", f"{site.base}/b"]).cycle(every_source=True)
        assert dict(report.polled) == {f"{site.base}/sitemap.xml": "2 new", f"{site.base}/b": "page"}
        assert len(report.added) == 2 and "/private/c" not in site.paths()
        bodies = [article.body for article in store.iter_articles()]
        assert any(from_page(body, first_truth) for body in bodies)
        assert any(from_page(body, second_truth) for body in bodies)
        assert store.watch_item_counts() == {"added": 1, "skipped": 1}  # robots.txt keeps /private/c


def urlset(*entries: tuple[str, str]) -> bytes:
    """A sitemap listing pages: (URL, lastmod) each."""
    listed = "".join(f"<url><loc>{loc}</loc><lastmod>{day}</lastmod></url>" for loc, day in entries)
    return (f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{listed}</urlset>").encode()


def test_watch_a_sitemap_index_is_followed_to_the_pages_its_sitemaps_list(site, tmp_path):
    first, first_truth = benchmark_page(LONG_TITLED[0])
    second, second_truth = benchmark_page(LONG_TITLED[1])
    site.routes["/a"] = Reply(200, first, {"Content-Type": "text/html"})
    site.routes["/b"] = Reply(200, second, {"Content-Type": "text/html"})
    xml = {"Content-Type": "application/xml"}
    site.routes["/sitemaps/2019-10.xml"] = Reply(200, urlset((f"{site.base}/a", "2019-10-30")), xml)
    site.routes["/sitemaps/2019-11.xml"] = Reply(200, urlset((f"{site.base}/b", "2019-11-02")), xml)
    site.routes["/sitemaps/gone.xml"] = Reply(404, b"not here")
    index = ('<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             + "".join(f"<sitemap><loc>{site.base}/sitemaps/{name}.xml</loc><lastmod>{day}</lastmod></sitemap>"
                       for name, day in (("2019-10", "2019-10-31"), ("2019-11", "2019-11-02"), ("gone", "2019-09-01")))
             + "</sitemapindex>").encode()
    site.routes["/sitemap_index.xml"] = Reply(200, index, xml)
    source = f"{site.base}/sitemap_index.xml"
    with Store(tmp_path / "s.db") as store:
        report = watched(store, [source]).cycle(every_source=True)
        assert dict(report.polled) == {source: "2 new"}
        # The sitemaps the index lists are read as sitemaps, not stored as articles; one that fails is said.
        assert report.failed == [(f"{site.base}/sitemaps/gone.xml", "HTTP 404")]
        assert len(report.added) == 2
        bodies = [article.body for article in store.iter_articles()]
        assert any(from_page(body, first_truth) for body in bodies)
        assert any(from_page(body, second_truth) for body in bodies)
        assert store.watch_item_counts() == {"added": 2}


def test_watch_a_source_that_is_no_feed_is_a_failure_of_its_poll(site, tmp_path):
    site.routes["/broken.xml"] = Reply(200, b"<rss><channel><item><title>cut off", {"Content-Type": "application/rss+xml"})
    with Store(tmp_path / "s.db") as store:
        report = watched(store, [f"{site.base}/broken.xml"]).cycle(every_source=True)
        assert report.failed == [(f"{site.base}/broken.xml", "not a readable feed or sitemap")]
        assert store.watch_source(f"{site.base}/broken.xml")["failures"] == 1
