"""Tests of storyline.clean.outlet: the outlet from every field the input gives, through `storyline add`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import main
from storyline.clean.outlet import choose, container_outlet, domain_of
from storyline.records import Outlet
from tests.conftest import ECBPLUS


def ecb_text(document_id: str) -> str:
    """The text of one ECB+ document (real news; the ECB documents carry no URL line, title or date line)."""
    with open(ECBPLUS, encoding="utf-8") as lines:
        return next(record["text"] for record in map(json.loads, lines) if record["id"] == document_id)


def add_and_list(tmp_path: Path, name: str, content: str) -> list[dict]:
    """Write `content` to `name`, run the real `storyline add` on it and return `storyline articles --json`."""
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    db = str(tmp_path / "s.db")
    runner = CliRunner()
    added = runner.invoke(main, ["add", str(path), "--db", db, "-q"], catch_exceptions=False)
    assert added.exit_code == 0, added.output
    listed = runner.invoke(main, ["articles", "--json", "--db", db], catch_exceptions=False)
    return [json.loads(line) for line in listed.output.splitlines()]


def test_outlet_from_the_json_url_field_through_storyline_add(tmp_path):
    # The documented `url` field alone gave "unknown outlet" (issue 16, item 6).
    article = {"url": "https://www.bbc.co.uk/news/world-asia-12345", "text": ecb_text("3_1ecb")}
    [listed] = add_and_list(tmp_path, "one.json", json.dumps(article))
    assert listed["outlet"] == {"name": "bbc.co.uk", "domain": "bbc.co.uk", "how": "url",
                                "evidence": "json field url: https://www.bbc.co.uk/news/world-asia-12345"}


def test_outlet_named_by_source_or_site_keeps_the_url_domain_through_storyline_add(tmp_path):
    text = ecb_text("3_2ecb")
    articles = [
        {"url": "https://edition.cnn.com/2009/CRIME/12/13/x", "source": "CNN", "text": text},
        # NewsAPI's shape: `source` is an object with a name (and here a link); no url
        {"source": {"id": "cnn", "name": "CNN", "url": "https://www.cnn.com"}, "text": text + " "},
        {"site": "www.ajc.com", "text": text + "  "},
    ]
    listed = add_and_list(tmp_path, "many.json", json.dumps(articles))
    outlets = {(a["outlet"]["name"], a["outlet"]["domain"], a["outlet"]["how"]) for a in listed}
    assert outlets == {("CNN", "cnn.com", "metadata"), ("CNN", "cnn.com", "metadata"),
                       ("ajc.com", "ajc.com", "metadata")}
    evidence = {a["outlet"]["evidence"] for a in listed}
    assert evidence == {"json field source: CNN", "json field site: www.ajc.com"}


def test_outlet_from_a_feed_item_source_and_a_feed_link_through_storyline_add(tmp_path):
    body = ecb_text("3_3ecb").replace("&", "&amp;").replace("<", "&lt;")
    feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title></title>'
            "<link>https://www.aggregator.example/</link>"
            f"<item><title>A</title><description>{body}</description>"
            '<source url="https://www.reuters.com/world">Reuters</source></item>'
            f"<item><title>B</title><description>{body} More.</description></item>"
            "</channel></rss>")
    listed = add_and_list(tmp_path, "feed.xml", feed)
    outlets = sorted((a["outlet"]["name"], a["outlet"]["domain"], a["outlet"]["how"], a["outlet"]["evidence"])
                     for a in listed)
    assert outlets == [("Reuters", "reuters.com", "feed", "feed item source: Reuters"),
                       ("aggregator.example", "aggregator.example", "feed",
                        "feed link: https://www.aggregator.example/")]


def test_outlet_the_container_url_wins_over_the_text():
    # A text whose own URL line names another site: the container's field comes first.
    text_outlet = Outlet("example.org", "example.org", "url", "http://example.org/a")
    chosen = choose(container_outlet({"url": "https://www.bbc.co.uk/x"}, "https://www.bbc.co.uk/x"), text_outlet)
    assert chosen.domain == "bbc.co.uk" and chosen.how == "url"


def test_outlet_a_page_site_name_is_kept_over_a_bare_container_url():
    page = Outlet("BBC News", "bbc.co.uk", "metadata", "html metadata: site name 'BBC News'")
    assert choose(container_outlet({}, "https://www.bbc.co.uk/x"), page) == page
    named = container_outlet({"outlet": "British Broadcasting Corporation"}, "https://www.bbc.co.uk/x")
    assert choose(named, page).name == "British Broadcasting Corporation"


@pytest.mark.parametrize("value", [None, 42, ["a"], "", " ", "no dots here", "http://[::1", "x" * 500])
def test_outlet_odd_fields_give_nothing_or_a_name(value):
    outlet = container_outlet({"outlet": value, "url": value}, value if isinstance(value, str) else "")
    assert outlet is None or (outlet.name and outlet.how in ("metadata", "url"))


@pytest.mark.parametrize(("url", "domain"), [
    ("https://www.bbc.co.uk/news/x", "bbc.co.uk"), ("http://news.bbc.co.uk/2/hi/", "bbc.co.uk"),
    ("https://edition.cnn.com/a", "cnn.com"), ("https://www.aggregator.example/", "aggregator.example"),
    ("WWW.Reuters.com", "reuters.com"), ("//cnn.com/a", "cnn.com"), ("not a url", ""), ("localhost", ""),
    # A blog on a hosting platform is its own outlet, whatever the public-suffix list carries.
    ("http://joyofsox.blogspot.nl/2008/12/x.html", "joyofsox.blogspot.nl"), ("a.blogspot.co.uk", "a.blogspot.co.uk"),
    ("https://malialitman.wordpress.com/2012/08/x/", "malialitman.wordpress.com"), ("blogspot.nl", "blogspot.nl"),
    ("http://abcnews.go.com/US/x", "go.com"), ("http://rt.com/news/x", "rt.com"),
])
def test_outlet_domain_of(url, domain):
    assert domain_of(url) == domain


def test_outlet_two_blogs_on_one_hosting_platform_are_two_outlets_through_storyline_add(tmp_path):
    # ECB+ blog posts whose first line is their URL: both were "blogspot.nl" (blogspot's country
    # domains are no longer in the public-suffix list), so a reader could neither tell them apart
    # nor filter by the blog.
    db = str(tmp_path / "s.db")
    for name in ("10_17ecbplus", "10_19ecbplus"):
        (tmp_path / f"{name}.txt").write_text(ecb_text(name), encoding="utf-8")
    runner = CliRunner()
    added = runner.invoke(main, ["add", str(tmp_path / "10_17ecbplus.txt"), str(tmp_path / "10_19ecbplus.txt"),
                                 "--db", db, "-q"], catch_exceptions=False)
    assert added.exit_code == 0, added.output
    listed = runner.invoke(main, ["articles", "--json", "--db", db], catch_exceptions=False)
    outlets = sorted(json.loads(line)["outlet"]["name"] for line in listed.output.splitlines())
    assert outlets == ["joyofsox.blogspot.nl", "kennedyscommentary.blogspot.nl"]
