"""The HTTP API and pages, against a real `storyline serve` on loopback with a real SQLite file."""

from __future__ import annotations

import html
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from .conftest import SEED_FILES

ROOT = Path(__file__).resolve().parents[1]
EXTRACTION_PAGES = ROOT.parent / "shared" / "data" / "article-extraction-benchmark" / "html"
LONG_TITLED = ["dfd43bc0d46e7aaa78ba10fbcb5b9fdfe78771d36cb4c7497e17fb6f69170ec5.html.gz",  # a 153-character title
               "4a44ab3e4c41d56ce9b79eb07acb06aed1bc52aba68a950f06e7de7ef848400a.html.gz"]  # a 128-character one


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(seed_store, tmp_path_factory):
    """A server process on loopback over a copy of the seed store."""
    db = tmp_path_factory.mktemp("serve") / "s.db"
    shutil.copy(seed_store, db)
    yield from serving(db)


@pytest.fixture(scope="module")
def examples_server(tmp_path_factory):
    """A server over a store of examples/articles (ECB+: undated and untitled reports, a date inferred from
    the text) and two real pages whose titles run past 120 characters."""
    from storyline import pipeline
    from storyline.store import Store

    db = tmp_path_factory.mktemp("examples") / "s.db"
    with Store(db) as store:
        pipeline.add(store, [str(ROOT / "examples" / "articles")] + [str(EXTRACTION_PAGES / name) for name in LONG_TITLED])
    yield from serving(db)


def serving(db: Path):
    """Run `storyline serve` on a free loopback port over `db` until the generator is closed."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "storyline", "serve", "--db", str(db), "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("the server did not start: " + process.stderr.read().decode()[-500:])
    yield {"base": base, "db": db}
    process.terminate()
    process.wait(timeout=10)


def assert_error_shape(response: httpx.Response, status: int) -> None:
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["message"]


def test_api_article_with_sentences(server):
    listed = httpx.get(f"{server['base']}/api/v1/articles").json()["data"]
    assert len(listed) == 5
    article = httpx.get(f"{server['base']}/api/v1/articles/{listed[0]['id']}").json()["data"]
    assert article["schema"] == "storyline/article/v1"
    assert article["sentences"][0]["id"] == f"{article['id']}:0"


def test_api_errors_have_one_shape(server):
    base = server["base"]
    assert_error_shape(httpx.get(f"{base}/api/v1/articles/0000000000000000"), 404)
    assert_error_shape(httpx.get(f"{base}/api/v1/nothing-here"), 404)
    assert_error_shape(httpx.get(f"{base}/api/v1/articles?limit=0"), 400)
    assert_error_shape(httpx.get(f"{base}/api/v1/articles?limit=abc"), 400)
    assert_error_shape(httpx.delete(f"{base}/api/v1/articles/x"), 405)
    assert_error_shape(httpx.post(f"{base}/api/v1/articles", content=b"x", headers={"content-type": "text/plain"}), 415)
    assert_error_shape(httpx.post(f"{base}/api/v1/articles", content=b"{not json",
                                  headers={"content-type": "application/json"}), 400)


def test_api_openapi_spec_lists_the_routes(server):
    spec = httpx.get(f"{server['base']}/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/articles/{article_id}" in spec["paths"]
    assert "post" in spec["paths"]["/api/v1/articles"]


def test_api_upload_files_and_json_with_per_input_errors(server):
    base = server["base"]
    text = Path(SEED_FILES[0]).read_text(encoding="utf-8").replace("Biden", "President Biden")
    files = [("files", ("new.txt", text.encode(), "text/plain")),
             ("files", ("empty.txt", b"", "text/plain")),
             ("files", ("junk.bin", bytes(range(256)) * 8, "application/octet-stream"))]
    answer = httpx.post(f"{base}/api/v1/articles", files=files, timeout=120)
    assert answer.status_code == 201
    data = answer.json()["data"]
    assert len(data["added"]) == 1
    assert sorted((s["input"].split("-", 1)[1], s["reason"]) for s in data["skipped"]) == [
        ("empty.txt", "empty"), ("junk.bin", "binary")]
    again = httpx.post(f"{base}/api/v1/articles", files=files[:1], timeout=120).json()["data"]
    assert again["added"] == [] and again["unchanged"] == 1
    as_json = httpx.post(f"{base}/api/v1/articles", timeout=120,
                         json={"articles": [{"title": "JSON upload", "text": Path(SEED_FILES[1]).read_text()[:2000]
                                             + "\nA sentence only this upload has, about a JSON upload."}]})
    assert as_json.status_code == 201
    added = as_json.json()["data"]["added"][0]
    assert httpx.get(f"{base}/api/v1/articles/{added}").json()["data"]["title"] == "JSON upload"


def test_api_upload_limits(server, seed_store, tmp_path):
    base = server["base"]
    too_many = [("files", (f"f{i}.txt", b"text", "text/plain")) for i in range(60)]
    assert_error_shape(httpx.post(f"{base}/api/v1/articles", files=too_many, timeout=60), 413)
    huge = [("files", ("huge.txt", b"word " * 2_100_001, "text/plain"))]
    assert_error_shape(httpx.post(f"{base}/api/v1/articles", files=huge, timeout=60), 413)
    # the store is intact after refused requests
    assert len(httpx.get(f"{base}/api/v1/articles").json()["data"]) >= 5
    from storyline.store import Store
    with Store(server["db"]) as store:
        assert store.integrity_ok()


def test_page_article_escapes_untrusted_text(server):
    base = server["base"]
    hostile = ("<script>document.title='pwned'</script>\n\nA reporter wrote <img src=x onerror=alert(1)> in a "
               "sentence about the markets, which fell sharply on Monday after the announcement.\n\n"
               "Officials said the decision would be reviewed next week by the full committee.")
    added = httpx.post(f"{base}/api/v1/articles", timeout=120,
                       json={"title": "<b>Hostile</b> title", "text": hostile}).json()["data"]["added"]
    assert added
    page = httpx.get(f"{base}/articles/{added[0]}").text
    assert "<script>document.title" not in page and "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;b&gt;Hostile&lt;/b&gt; title" in page


def test_server_binds_loopback_by_default():
    from click.testing import CliRunner

    from storyline.cli import main

    help_text = CliRunner().invoke(main, ["serve", "--help"]).output
    assert "127.0.0.1" in help_text


def seed_story_id(base: str) -> str:
    stories = httpx.get(f"{base}/api/v1/stories").json()["data"]
    return max(stories, key=lambda s: s["size"])["id"]


def test_api_stories_list_filters_and_sorts(server):
    base = server["base"]
    listed = httpx.get(f"{base}/api/v1/stories").json()
    assert listed["total"] == len(listed["data"]) >= 1
    story = max(listed["data"], key=lambda s: s["size"])
    assert story["schema"] == "storyline/story/v1" and story["size"] >= 5  # the seeds (and uploads of them)
    assert set(story) >= {"id", "label", "articles", "first_seen", "last_seen", "outlets"}
    assert story["first_seen"] <= story["last_seen"]
    day = story["first_seen"]
    assert any(s["id"] == story["id"] for s in httpx.get(f"{base}/api/v1/stories", params={"since": day}).json()["data"])
    assert httpx.get(f"{base}/api/v1/stories", params={"until": "1999-01-01"}).json()["data"] == []
    assert httpx.get(f"{base}/api/v1/stories", params={"outlet": "rfe"}).json()["data"][0]["id"] == story["id"]
    assert httpx.get(f"{base}/api/v1/stories", params={"outlet": "no-such-outlet"}).json()["data"] == []
    assert_error_shape(httpx.get(f"{base}/api/v1/stories", params={"since": "last week"}), 400)
    assert_error_shape(httpx.get(f"{base}/api/v1/stories", params={"sort": "random"}), 400)
    by_size = httpx.get(f"{base}/api/v1/stories", params={"sort": "size"}).json()["data"]
    assert [s["size"] for s in by_size] == sorted((s["size"] for s in by_size), reverse=True)
    paged = httpx.get(f"{base}/api/v1/stories", params={"sort": "size", "limit": 1}).json()
    assert paged["total"] == listed["total"] and [s["id"] for s in paged["data"]] == [by_size[0]["id"]]


def test_api_story_and_its_brief_follow_the_contract(server):
    from storyline.store import Store
    from storyline.verify import verify_brief

    base = server["base"]
    story_id = seed_story_id(base)
    story = httpx.get(f"{base}/api/v1/stories/{story_id}").json()["data"]
    assert len(story["articles"]) >= 5 and all("sentence_count" in a for a in story["articles"])
    assert [h["kind"] for h in story["history"]].count("created") >= 1
    brief = httpx.get(f"{base}/api/v1/stories/{story_id}/brief", timeout=120).json()["data"]
    assert brief["schema"] == "storyline/brief/v1" and brief["story"] == story_id
    assert brief["summary"] and brief["entities"] and brief["timeline"]
    with Store(server["db"]) as store:
        assert verify_brief(brief, store.get_sentence) == []
    # The brief is now stored: its version can be asked for, and the entity filter finds it.
    again = httpx.get(f"{base}/api/v1/stories/{story_id}/brief", params={"version": brief["version"]}).json()
    assert again["data"] == brief
    name = brief["entities"][0]["forms"][-1]["text"]
    found = httpx.get(f"{base}/api/v1/stories", params={"entity": name}).json()["data"]
    assert [s["id"] for s in found] == [story_id]
    assert_error_shape(httpx.get(f"{base}/api/v1/stories/{story_id}/brief", params={"version": 99}), 404)
    assert_error_shape(httpx.get(f"{base}/api/v1/stories/ffffffffffffffff"), 404)
    assert_error_shape(httpx.get(f"{base}/api/v1/stories/ffffffffffffffff/brief"), 404)


def test_pages_story_list_and_brief(server):
    base = server["base"]
    story_id = seed_story_id(base)
    listing = httpx.get(f"{base}/")
    assert listing.status_code == 200 and f'href="/stories/{story_id}"' in listing.text
    page = httpx.get(f"{base}/stories/{story_id}", timeout=120)
    assert page.status_code == 200
    assert 'id="summary"' in page.text and 'class="cite"' in page.text
    assert f'href="/articles/' in page.text
    assert httpx.get(f"{base}/stories/ffffffffffffffff").status_code == 404


def test_api_articles_total_counts_before_paging(server):
    base = server["base"]
    every = httpx.get(f"{base}/api/v1/articles", params={"limit": 1000}).json()
    assert every["total"] == len(every["data"]) >= 5
    page = httpx.get(f"{base}/api/v1/articles", params={"limit": 2, "offset": 1}).json()
    assert page["total"] == every["total"]
    assert [a["id"] for a in page["data"]] == [a["id"] for a in every["data"][1:3]]
    past = httpx.get(f"{base}/api/v1/articles", params={"offset": every["total"]}).json()
    assert past == {"data": [], "total": every["total"]}


def test_api_brief_version_out_of_sqlite_range_is_404_not_500(server):
    base = server["base"]
    story_id = seed_story_id(base)
    for version in (2 ** 63, -(2 ** 63) - 1, 10 ** 30):
        assert_error_shape(httpx.get(f"{base}/api/v1/stories/{story_id}/brief", params={"version": version}), 404)
        assert httpx.get(f"{base}/stories/{story_id}", params={"version": version}).status_code == 404
    assert httpx.get(f"{base}/healthz").status_code == 200


def test_api_story_id_prefixes_as_the_cli_takes_them(examples_server):
    base = examples_server["base"]
    ids = sorted(s["id"] for s in httpx.get(f"{base}/api/v1/stories").json()["data"])
    assert len(ids) >= 6
    for story_id in ids:  # the shortest prefix that no other id starts with
        prefix = next(story_id[:n] for n in range(1, 17) if sum(i.startswith(story_id[:n]) for i in ids) == 1)
        assert httpx.get(f"{base}/api/v1/stories/{prefix}").json()["data"]["id"] == story_id
        assert httpx.get(f"{base}/api/v1/stories/{prefix}/brief", timeout=120).json()["data"]["story"] == story_id
    # the longest prefix two ids share is ambiguous: a 409 naming every id it starts
    shared = max((os.path.commonprefix([a, b]) for a, b in zip(ids, ids[1:])), key=len)
    assert shared, "the example stories' ids share no first digit; pick a prefix another way"
    for path in (f"/api/v1/stories/{shared}", f"/api/v1/stories/{shared}/brief"):
        answer = httpx.get(base + path)
        assert_error_shape(answer, 409)
        candidates = [i for i in ids if i.startswith(shared)]
        assert len(candidates) >= 2 and all(i in answer.json()["error"]["message"] for i in candidates)
    assert_error_shape(httpx.get(f"{base}/api/v1/stories/{'f' * 17}"), 404)
    assert_error_shape(httpx.get(f"{base}/api/v1/stories/nothex"), 404)


def story_list_rows(page: str) -> list[dict[str, str]]:
    """The rows of the story list page: id, shown label, its title attribute, date cell (HTML)."""
    rows = re.findall(r'<tr><td><a class="story-link" href="/stories/(\w+)"(?: title="([^"]*)")?>(.*?)</a></td>'
                      r'.*?<td class="date">(.*?)</td></tr>', page, re.S)
    return [{"id": i, "title": html.unescape(title), "label": html.unescape(label), "date": date}
            for i, title, label, date in rows]


def test_page_story_list_marks_inferred_dates_and_cuts_labels_at_a_word(examples_server):
    base = examples_server["base"]
    stories = {s["id"]: s for s in httpx.get(f"{base}/api/v1/stories").json()["data"]}
    rows = story_list_rows(httpx.get(f"{base}/").text)
    assert {row["id"] for row in rows} == set(stories)
    inferred = [s for s in stories.values() if s["first_seen_inferred"]]
    assert inferred, "examples/articles hold a story dated only by an inferred date (3_4ecb: 2005-03-11)"
    for row in rows:
        story = stories[row["id"]]
        assert "unknown" not in row["date"] and "?" not in row["date"]
        if story["first_seen"] is None:
            assert "undated" in row["date"]
        mark = '<span class="inferred-mark" title="publication date inferred from the text">~</span>'
        assert (f'{story["first_seen"]}{mark}' in row["date"]) == story["first_seen_inferred"], row
        label = story["label"]
        if len(label) <= 120:
            assert row["label"] == label and not row["title"]
        else:  # cut at a word boundary with an ellipsis; the whole label in the link's title
            assert row["title"] == label and row["label"].endswith(" …") and len(row["label"]) <= 120
            kept = row["label"][:-2]
            assert label.startswith(kept) and label[len(kept)] in " ,;:|-–—", row["label"]
    assert sum(len(s["label"]) > 120 for s in stories.values()) == 2  # the two long-titled pages


def test_page_brief_of_untitled_undated_sources_shows_only_what_is_known(examples_server):
    base = examples_server["base"]
    undated = [s for s in httpx.get(f"{base}/api/v1/stories").json()["data"] if s["first_seen"] is None]
    assert undated
    for story in undated:
        page = httpx.get(f"{base}/stories/{story['id']}", timeout=120).text
        sources = re.search(r'<section class="sources card" id="sources">(.*?)</section>', page, re.S).group(1)
        assert "unknown outlet" not in sources and "date unknown" not in sources
        items = re.findall(r"<li>(.*?)</li>", sources, re.S)
        assert len(items) == story["size"]
        for item in items:  # an outlet or "source N", then a title or the article's first words
            assert re.match(r"<strong>[^<]+</strong> — \S", item), item
