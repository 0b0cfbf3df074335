"""The HTTP API and pages, against a real `storyline serve` on loopback with a real SQLite file."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from .conftest import CYRILLIC_PAGES, EXTRACTION, LONG_TITLED, SEED_FILES

ROOT = Path(__file__).resolve().parents[1]


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
    the text), two real pages whose titles run past 120 characters and two in Russian (Cyrillic capitals)."""
    from storyline import pipeline
    from storyline.store import Store

    folder = tmp_path_factory.mktemp("examples")
    db = folder / "s.db"
    # A report dated only by inference, from the date its URL holds: the opening of ECB+ 13_8ecbplus
    # (Anchorage Daily News) as scraped without its date line.
    from tests.conftest import URL_DATED_REPORT
    inferred = folder / "palmer.txt"
    inferred.write_text(URL_DATED_REPORT, encoding="utf-8")
    with Store(db) as store:
        pipeline.add(store, [str(ROOT / "examples" / "articles"), str(inferred)]
                     + [str(page) for page in LONG_TITLED + CYRILLIC_PAGES])
    yield from serving(db)


def serving(db: Path, *args: str, env: dict[str, str] | None = None):
    """Run `storyline serve` on a free loopback port over `db` until the generator is closed.

    The server's temporary files go to a folder of its own (`tmp`), so a test can watch what reaches disk.
    """
    port = free_port()
    tmp = db.parent / f"tmp-{port}"
    tmp.mkdir()
    process = subprocess.Popen([sys.executable, "-m", "storyline", "serve", "--db", str(db), "--port", str(port),
                                *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env={**os.environ, "TMPDIR": str(tmp), **(env or {})})
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
    try:
        yield {"base": base, "db": db, "tmp": tmp, "process": process}
    finally:  # also when a test closes the generator (GeneratorExit at the yield), as test_feeds does
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a loaded machine: never leave a server behind
            process.kill()
            process.wait(timeout=30)


def job_result(base: str, answer: httpx.Response, timeout: float = 300) -> dict:
    """The result of the job an upload answered with (202), once the job is done."""
    assert answer.status_code == 202, answer.text
    job = answer.json()["data"]
    assert answer.headers["location"] == f"/api/v1/jobs/{job['id']}"
    deadline = time.time() + timeout
    while job["status"] in ("queued", "running"):
        assert time.time() < deadline, f"the job did not finish in {timeout} s: {job}"
        time.sleep(0.2)
        job = httpx.get(f"{base}/api/v1/jobs/{job['id']}").json()["data"]
    assert job["status"] == "done", job
    return job["result"]


def assert_error_shape(response: httpx.Response, status: int) -> None:
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["message"]


def test_healthz_says_ok_at_once_and_warm_once_a_brief_needs_no_more_loading(server):
    health = httpx.get(server["base"] + "/healthz").json()["data"]
    assert health["ok"] is True and health["warm"] in (True, False)
    deadline = time.time() + 300
    while not health["warm"]:
        assert time.time() < deadline, "the server did not load what a brief needs within 300 s"
        time.sleep(0.5)
        health = httpx.get(server["base"] + "/healthz").json()["data"]


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
    data = job_result(base, httpx.post(f"{base}/api/v1/articles", files=files, timeout=120))
    assert len(data["added"]) == 1
    assert sorted((s["input"].split("-", 1)[1], s["reason"]) for s in data["skipped"]) == [
        ("empty.txt", "empty"), ("junk.bin", "binary")]
    again = job_result(base, httpx.post(f"{base}/api/v1/articles", files=files[:1], timeout=120))
    assert again["added"] == [] and again["unchanged"] == 1
    as_json = job_result(base, httpx.post(
        f"{base}/api/v1/articles", timeout=120,
        json={"articles": [{"title": "JSON upload", "text": Path(SEED_FILES[1]).read_text()[:2000]
                            + "\nA sentence only this upload has, about a JSON upload."}]}))
    added = as_json["added"][0]
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
    added = job_result(base, httpx.post(f"{base}/api/v1/articles", timeout=120,
                                        json={"title": "<b>Hostile</b> title", "text": hostile}))["added"]
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


def listed_in_python(rows: list[dict], sort: str, since=None, until=None, outlet=None, entity=None,
                     updated: dict[str, str] | None = None) -> list[str]:
    """The story list as docs/api.md defines it, computed over every story's row: the oracle of the SQL.

    `updated`: when each story's brief last changed (its newest change's time), for the order "updated".
    """
    def passes(row: dict) -> bool:
        names = [row["label"]] + [n for e in row["entities"] for n in [e["name"], *e["forms"]]]
        return ((since is None or (row["last_seen"] or row["first_seen"] or "")[:10] >= since)
                and (until is None or (row["first_seen"] or row["last_seen"] or "9999")[:10] <= until)
                and (outlet is None or any(outlet.casefold() in o.casefold() for o in row["outlets"]))
                and (entity is None or any(entity.casefold() in n.casefold() for n in names)))

    keys = {"recent": lambda r: (r["last_seen"] or "", r["size"]), "size": lambda r: (r["size"], r["last_seen"] or ""),
            "first_seen": lambda r: (r["first_seen"] or "", r["size"]),
            "updated": lambda r: ((updated or {}).get(r["id"], ""), r["last_seen"] or "")}
    ties = sorted(filter(passes, rows), key=lambda r: (-r["size"], r["id"]))  # ties: the larger story, then the id
    ordered = sorted(ties, key=lambda r: r["label"].casefold()) if sort == "label" else \
        sorted(ties, key=keys[sort], reverse=True)
    return [row["id"] for row in ordered]


def test_api_story_list_filters_sorts_and_pages_as_defined(examples_server):
    base = examples_server["base"]
    everything = httpx.get(f"{base}/api/v1/stories", params={"limit": 1000}).json()["data"]
    for row in everything:  # the newest brief of every story: its entities are what the entity filter reads
        assert httpx.get(f"{base}/api/v1/stories/{row['id']}/brief", timeout=300).status_code == 200
    rows = httpx.get(f"{base}/api/v1/stories", params={"limit": 1000}).json()["data"]
    assert len(rows) >= 6 and any(r["last_seen"] is None for r in rows) and any(r["last_seen"] for r in rows)
    named = [e for r in rows for e in r["entities"] if len(e["forms"]) >= 2]
    assert named, "no story's brief has an entity with two spellings"
    from storyline.store import Store

    with Store(examples_server["db"]) as store:  # a page of rows read at once says what each story's reads say
        for row in rows:
            story = store.get_story(row["id"])
            assert (row["label"], row["articles"], row["outlets"], row["first_seen"], row["last_seen"]) == \
                (story.label, list(story.articles), list(story.outlets), story.first_seen, story.last_seen)
            assert row["domains"] == store.story_domains(story.id) and row["entities"] == store.story_entities(story.id)
            assert row["brief_version"] == store.next_brief_version(story.id) - 1
            assert [row["first_seen_inferred"], row["last_seen_inferred"]] == \
                [store.day_inferred(story.id, story.first_seen), store.day_inferred(story.id, story.last_seen)]
    assert any(row["first_seen_inferred"] for row in rows) and any(row["domains"] for row in rows)
    days = sorted(r["first_seen"] for r in rows if r["first_seen"])
    outlet = next(o for r in rows for o in r["outlets"] if len(o) >= 6)
    # Names and label words with a capital beyond ASCII (the Russian pages), typed in the other case.
    capital = [word for r in rows for e in r["entities"] for word in e["name"].split() if word[0] != word[0].casefold()
               and not word.isascii()]
    titled = [word for r in rows for word in r["label"].split() if word[0] != word[0].casefold() and not word.isascii()]
    assert capital and titled, "no entity name or label with a Cyrillic capital"
    filters = [{}, {"since": days[len(days) // 2]}, {"until": days[len(days) // 2]},
               {"outlet": outlet[1:5].upper()}, {"entity": named[0]["forms"][-1][1:].upper()},
               {"entity": rows[0]["label"].split()[0].lower()}, {"entity": "%"}, {"outlet": "_"},
               {"entity": capital[0].lower()}, {"entity": capital[-1].upper()}, {"entity": titled[0].lower()},
               {"since": days[0], "until": days[-1], "outlet": outlet[:3]}]
    with sqlite3.connect(examples_server["db"]) as conn:  # when each story's brief last changed, as stored
        updated = dict(conn.execute("SELECT story_id, MAX(created) FROM brief_changes GROUP BY story_id"))
    for sort in ("recent", "updated", "size", "first_seen", "label"):
        for params in filters:
            expected = listed_in_python(rows, sort, **params, updated=updated)
            listed = httpx.get(f"{base}/api/v1/stories", params={**params, "sort": sort, "limit": 1000}).json()
            assert [r["id"] for r in listed["data"]] == expected and listed["total"] == len(expected), (sort, params)
            paged = httpx.get(f"{base}/api/v1/stories", params={**params, "sort": sort, "limit": 2, "offset": 1}).json()
            assert [r["id"] for r in paged["data"]] == expected[1:3] and paged["total"] == len(expected), (sort, params)
    assert any(listed_in_python(rows, "recent", **params) != [r["id"] for r in rows] for params in filters[1:])
    assert all(listed_in_python(rows, "recent", **params) for params in filters[-4:-1])  # each beyond ASCII finds one
    assert [r["id"] for r in rows][-1] in {r["id"] for r in rows if r["last_seen"] is None}  # undated last
    # The page lists recently updated stories first, as the API's "updated" order.
    assert [row["id"] for row in story_list_rows(httpx.get(f"{base}/").text)] == \
        listed_in_python(rows, "updated", updated=updated)


def story_list_rows(page: str) -> list[dict[str, str]]:
    """The rows of the story list page: id, shown label, its title attribute, date cell (HTML)."""
    rows = re.findall(r'<tr><td><a class="story-link" href="/stories/(\w+)"(?: title="([^"]*)")?>(.*?)</a>'
                      r'(?:\s*<div class="meta digest">[^<]*</div>)?</td>.*?<td class="date">(.*?)</td></tr>', page, re.S)
    return [{"id": i, "title": html.unescape(title), "label": html.unescape(label), "date": date}
            for i, title, label, date in rows]


def test_page_story_list_marks_inferred_dates_and_cuts_labels_at_a_word(examples_server):
    base = examples_server["base"]
    stories = {s["id"]: s for s in httpx.get(f"{base}/api/v1/stories").json()["data"]}
    rows = story_list_rows(httpx.get(f"{base}/").text)
    assert {row["id"] for row in rows} == set(stories)
    inferred = [s for s in stories.values() if s["first_seen_inferred"]]
    assert inferred, "the Palmer report is dated only by the date its URL holds"
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


# --------------------------------------------------------------------------- issue 17: the open web

def stored_articles(db: Path, articles: list[dict], tmp_path: Path) -> list[str]:
    """Add JSON articles straight into a store (not through the API); their ids."""
    from storyline import pipeline
    from storyline.store import Store

    source = tmp_path / f"direct-{time.time_ns()}.json"
    source.write_text(json.dumps(articles), encoding="utf-8")
    with Store(db) as store:
        return pipeline.add(store, [str(source)]).added


def real_text(chars: int, start: int = 0) -> str:
    """Real article text from the extraction benchmark's ground truth, paragraphs joined, about `chars` long."""
    bodies = [v["articleBody"] for v in json.loads((EXTRACTION / "ground-truth.json").read_text())
              .values() if v.get("articleBody")]
    text, i = [], start
    while sum(map(len, text)) < chars:
        text.append(bodies[i % len(bodies)])
        i += 1
    return "\n\n".join(text)


HOSTILE_URLS = ["javascript:alert(document.domain)", " javascript:alert(1)", "JaVaScRiPt:alert(1)",
                "\tjavascript:alert(1)", "java\nscript:alert(1)", "data:text/html,<script>alert(1)</script>",
                "vbscript:msgbox(1)", "//evil.example/x", "https://ok.example/a b"]


def test_page_article_links_only_http_and_https_urls(server, tmp_path):
    base = server["base"]
    urls = HOSTILE_URLS + ["https://example.org/news/a?b=1&c=2", "HTTP://example.org/b"]
    articles = [{"title": f"URL case {i}", "url": url, "text": real_text(1500, start=i)} for i, url in enumerate(urls)]
    ids = stored_articles(server["db"], articles, tmp_path)
    assert len(ids) == len(urls)
    for article_id in ids:
        data = httpx.get(f"{base}/api/v1/articles/{article_id}").json()["data"]
        page = httpx.get(f"{base}/articles/{article_id}").text
        hrefs = re.findall(r'href="([^"]*)"', page)
        url = data["origin"]["url"]
        if url.lower().startswith(("https://example.org", "http://example.org")):
            assert html.escape(url) in hrefs and 'class="original"' in page
        else:  # shown as text, never an href
            assert not any("script" in h.lower() or h.lower().startswith(("data:", "//")) or h.strip() != h
                           for h in hrefs), hrefs
            assert 'class="original-url"' in page and 'class="original"' not in page


def csp_of(answer: httpx.Response) -> dict[str, str]:
    policy = answer.headers.get("content-security-policy", "")
    return {part.split()[0]: part.strip() for part in policy.split(";") if part.strip()}


def test_pages_and_answers_send_csp_nosniff_and_frame_protection(server):
    base = server["base"]
    article = httpx.get(f"{base}/api/v1/articles").json()["data"][0]["id"]
    story = seed_story_id(base)
    for path in ["/", "/add", f"/articles/{article}", f"/stories/{story}", f"/stories/{story}/sources",
                 "/no-such-page", "/api/v1/articles", "/api/v1/nothing", "/api/v1/docs", "/healthz"]:
        answer = httpx.get(base + path, timeout=120)
        assert answer.headers["x-content-type-options"] == "nosniff", path
        assert answer.headers["x-frame-options"] == "DENY", path
        policy = csp_of(answer)
        assert policy.get("frame-ancestors") == "frame-ancestors 'none'", path
        script = policy.get("script-src", policy.get("default-src", ""))
        assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script, (path, script)
        if answer.headers["content-type"].startswith("text/html"):
            nonce = re.search(r"'nonce-([^']+)'", script).group(1)
            tags = re.findall(r"<(script|style)([^>]*)>", answer.text)
            assert tags and all(f'nonce="{nonce}"' in attrs for _, attrs in tags), (path, tags)
            assert not re.search(r"\son\w+=", answer.text), path  # no inline event handlers


def test_api_refuses_cross_site_writes(server):
    base = server["base"]
    before = httpx.get(f"{base}/api/v1/articles").json()["total"]
    planted = json.dumps({"title": "Planted", "url": "javascript:alert(document.domain)",
                          "text": real_text(800, start=40)})
    url = f"{base}/api/v1/articles"
    as_file = {"files": ("a.json", planted.encode(), "application/json")}
    refused = [
        (httpx.post(url, content=planted, headers={"content-type": "application/json",
                                                   "origin": "http://evil.example"}), 403, "cross-origin"),
        (httpx.post(url, content=planted, headers={"content-type": "application/json", "origin": "null"}),
         403, "cross-origin"),
        (httpx.post(url, files=as_file, headers={"origin": "http://127.0.0.1:1"}), 403, "cross-origin"),
        (httpx.post(url, files=as_file, headers={"sec-fetch-site": "cross-site"}), 403, "cross-origin"),
        (httpx.post(url, files=as_file, headers={"sec-fetch-site": "same-site"}), 403, "cross-origin"),
        # what a page of another site can send without a preflight: JSON under a simple content type
        (httpx.post(url, content=planted, headers={"content-type": "text/plain; x=json"}), 415, None),
        (httpx.post(url, content=planted, headers={"content-type": "text/plain"}), 415, None),
        (httpx.post(url, content=f"x={planted}", headers={"content-type": "application/x-www-form-urlencoded"}),
         415, None),
        # a browser's multipart upload from our own origin, without the form's CSRF token, or a stale one
        (httpx.post(url, files=as_file, headers={"origin": base}), 403, "csrf"),
        (httpx.post(url, files=as_file, data={"csrf": "stale"}, headers={"referer": base + "/add"}), 403, "csrf"),
        (httpx.post(url, files=as_file, headers={"x-csrf-token": "stale"}), 403, "csrf"),
        # a DNS-rebound name: the page's origin would be "same", the Host is not ours
        (httpx.post(url, files=as_file, headers={"host": "evil.example", "origin": "http://evil.example"}),
         421, "misdirected"),
    ]
    for answer, status, code in refused:
        assert_error_shape(answer, status)
        assert code is None or answer.json()["error"]["code"] == code, answer.json()
    assert httpx.get(f"{base}/api/v1/articles").json()["total"] == before
    # The form's own token from /add is accepted, as is a client that is no browser (no Origin, no cookies).
    token = re.search(r'name="csrf" id="csrf" value="([^"]+)"', httpx.get(f"{base}/add").text).group(1)
    with_token = httpx.post(url, files=as_file, data={"csrf": token}, headers={"origin": base})
    assert job_result(base, with_token)["added"]
    same_by_header = httpx.post(url, files={"files": ("b.json", planted.encode() + b" ", "application/json")},
                                headers={"origin": base, "x-csrf-token": token})
    assert job_result(base, same_by_header)["unchanged"] == 1


def test_api_upload_is_a_job_and_healthz_answers_while_it_runs(server):
    base = server["base"]
    # Two articles near the 200,000-character body limit, of other pages each: seconds of spaCy work, long
    # enough to be asked about several times however fast the machine (one was not, once clean grew faster).
    big, other = real_text(180_000, start=7), real_text(180_000, start=100)
    assert len(big) < 200_000 and len(other) < 200_000
    started = time.monotonic()
    answer = httpx.post(f"{base}/api/v1/articles", timeout=120, files=[
        ("files", ("long-read.txt", ("A long read\n\n" + big).encode(), "text/plain")),
        ("files", ("other-read.txt", ("Another long read\n\n" + other).encode(), "text/plain"))])
    assert answer.status_code == 202 and time.monotonic() - started < 5
    job_id = answer.json()["data"]["id"]
    latencies, statuses = [], []
    while True:
        job = httpx.get(f"{base}/api/v1/jobs/{job_id}", timeout=10).json()["data"]
        statuses.append(job["status"])
        if job["status"] not in ("queued", "running"):
            break
        asked = time.monotonic()
        assert httpx.get(f"{base}/healthz", timeout=10).json()["data"]["ok"] is True
        latencies.append(time.monotonic() - asked)
        assert time.monotonic() - started < 300
        time.sleep(0.05)
    assert job["status"] == "done" and len(job["result"]["added"]) == 2, job
    assert job["progress"]["documents"] == 2 and job["progress"]["last_input"] == "001-other-read.txt", job
    assert statuses.count("running") >= 5, statuses  # it ran long enough to be asked about
    assert max(latencies) < 1.0, f"/healthz took up to {max(latencies):.2f} s during the upload"
    assert_error_shape(httpx.get(f"{base}/api/v1/jobs/ffffffffffffffff"), 404)


def disk_writes(pid: int) -> int:
    """Bytes a process has written to files (dirtied pages, even of files since deleted)."""
    return int(re.search(r"write_bytes: (\d+)", Path(f"/proc/{pid}/io").read_text()).group(1))


def upload_files_on_disk(tmp: Path) -> list[int]:
    return [p.stat().st_size for p in tmp.glob("storyline-upload-*/*") if p.is_file()]


def test_api_upload_limits_hold_while_the_body_streams(server):
    base, tmp, pid = server["base"], server["tmp"], server["process"].pid
    limit = 10_000_000
    boundary = "storyline-test-boundary"
    written_before = disk_writes(pid)
    largest_seen = []

    def multipart_body(size: int):
        """A multipart body sent chunked (no Content-Length): one file of `size` bytes."""
        yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.txt\"\r\n"
               f"Content-Type: text/plain\r\n\r\n").encode()
        chunk = b"word " * 52_429  # 256 KB
        for _ in range(size // len(chunk)):
            largest_seen.append(max(upload_files_on_disk(tmp), default=0))
            yield chunk
        yield f"\r\n--{boundary}--\r\n".encode()

    answer = httpx.post(f"{base}/api/v1/articles", content=multipart_body(30_000_000), timeout=60,
                        headers={"content-type": f"multipart/form-data; boundary={boundary}"})
    assert_error_shape(answer, 413)
    assert "big.txt" in answer.json()["error"]["message"]
    assert max(largest_seen) <= limit
    assert disk_writes(pid) - written_before <= limit + 1_000_000, "more than the limit reached the disk"
    assert upload_files_on_disk(tmp) == [] and not list(tmp.glob("storyline-upload-*")), "the work folder stays"

    def json_body(size: int):  # a chunked JSON body that never ends within the limit
        yield b'{"title": "big", "text": "'
        for _ in range(size // 262_144):
            yield b"a" * 262_144
        yield b'"}'

    answer = httpx.post(f"{base}/api/v1/articles", content=json_body(40_000_000), timeout=60,
                        headers={"content-type": "application/json"})
    assert_error_shape(answer, 413)
    # A declared Content-Length over the request limit is refused before a byte of the body is read.
    with socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1])), timeout=10) as sock:
        sock.sendall(b"POST /api/v1/articles HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 10000000000\r\n\r\n")
        answer = b""
        while b'"}}' not in answer and (chunk := sock.recv(65536)):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b'"code":"too-large"' in answer
    assert httpx.get(f"{base}/healthz").status_code == 200


def raw_multipart(name: bytes, content: bytes, boundary: str = "b0undary") -> tuple[bytes, dict[str, str]]:
    """A multipart body with one file whose name is sent byte for byte as given."""
    body = (f"--{boundary}\r\n".encode() + b'Content-Disposition: form-data; name="files"; filename="' + name
            + b'"\r\nContent-Type: text/plain\r\n\r\n' + content + f"\r\n--{boundary}--\r\n".encode())
    return body, {"content-type": f"multipart/form-data; boundary={boundary}"}


def test_api_upload_file_names_with_nul_or_over_255_bytes_are_cleaned(server):
    base = server["base"]
    names = [b"nul\x00inside.txt", "ü".encode() * 200 + b".txt", b"a" * 400, b"../../etc/passwd",
             b"\x1b[31mred\x1b[0m.txt", b".hidden", b""]
    for i, name in enumerate(names):
        text = f"Upload {i} of a file with a hostile name\n\n" + real_text(1200, start=60 + i)
        body, headers = raw_multipart(name, text.encode())
        answer = httpx.post(f"{base}/api/v1/articles", content=body, headers=headers, timeout=60)
        result = job_result(base, answer)
        assert len(result["added"]) == 1, (name, result)
        article = httpx.get(f"{base}/api/v1/articles/{result['added'][0]}").json()["data"]
        saved = Path(article["origin"]["location"]).name
        assert len(saved.encode()) <= 255 and not re.search(r"[\x00-\x1f/]", saved), saved
        if name.endswith(b".txt"):
            assert saved.endswith(".txt"), saved
    assert httpx.get(f"{base}/healthz").status_code == 200


def test_api_405_says_which_methods_are_allowed(server):
    base = server["base"]
    for method, path, allowed in [("DELETE", "/api/v1/articles", {"GET", "POST"}),
                                  ("PUT", "/api/v1/articles/0000000000000000", {"GET"}),
                                  ("POST", "/api/v1/stories", {"GET"}),
                                  ("DELETE", "/api/v1/jobs/x", {"GET"})]:
        answer = httpx.request(method, base + path)
        assert_error_shape(answer, 405)
        assert set(answer.headers["allow"].split(", ")) == allowed, (path, answer.headers["allow"])
    page = httpx.post(f"{base}/add")
    assert page.status_code == 405 and page.headers["allow"] == "GET"


def test_api_openapi_spec_documents_bodies_limits_and_error_statuses(server):
    spec = httpx.get(f"{server['base']}/api/v1/openapi.json").json()
    assert '"422"' not in json.dumps(spec) and "HTTPValidationError" not in json.dumps(spec)
    assert spec["components"]["schemas"]["Error"]["required"] == ["error"]
    upload = spec["paths"]["/api/v1/articles"]["post"]
    assert set(upload["responses"]) == {"202", "400", "401", "403", "413", "415", "429", "503"}
    files = upload["requestBody"]["content"]["multipart/form-data"]["schema"]["properties"]["files"]
    assert files["maxItems"] == 50 and files["items"]["maxLength"] == 10_000_000
    assert "application/json" in upload["requestBody"]["content"]
    listing = {p["name"]: p["schema"] for p in spec["paths"]["/api/v1/articles"]["get"]["parameters"]}
    assert (listing["limit"]["minimum"], listing["limit"]["maximum"], listing["offset"]["minimum"]) == (1, 1000, 0)
    assert set(spec["paths"]["/api/v1/stories/{story_id}"]["get"]["responses"]) >= {"200", "404", "409"}
    assert "/api/v1/jobs/{job_id}" in spec["paths"]
    # every error the other tests provoke is a status its operation documents
    for method, path, status in [("get", "/api/v1/articles", 400), ("get", "/api/v1/stories", 400),
                                 ("get", "/api/v1/stories/{story_id}/brief", 404), ("post", "/api/v1/articles", 415),
                                 ("post", "/api/v1/articles", 413), ("post", "/api/v1/articles", 403)]:
        assert str(status) in spec["paths"][path][method]["responses"], (method, path, status)


# --------------------------------------------------------------------------- serve off loopback (issue 17, item 9)

TOKEN = "a-test-token-of-32-characters-xx"


@pytest.fixture(scope="module")
def network_servers(seed_store, tmp_path_factory):
    """Two servers bound to every address (reached here on loopback only): one without a token, one with."""
    folder = tmp_path_factory.mktemp("network")
    shutil.copy(seed_store, folder / "open.db")
    shutil.copy(seed_store, folder / "token.db")
    read_only = serving(folder / "open.db", "--host", "0.0.0.0", env={"STORYLINE_TOKEN": ""})
    with_token = serving(folder / "token.db", "--host", "0.0.0.0", env={"STORYLINE_TOKEN": TOKEN})
    servers = {"read-only": next(read_only), "token": next(with_token)}
    yield servers
    for generator in (read_only, with_token):
        next(generator, None)


def test_serve_off_loopback_without_a_token_is_read_only_and_says_so(network_servers):
    server = network_servers["read-only"]
    base = server["base"]
    assert httpx.get(f"{base}/api/v1/articles").status_code == 200
    answer = httpx.post(f"{base}/api/v1/articles", json={"title": "x", "text": real_text(800)})
    assert_error_shape(answer, 403)
    assert answer.json()["error"]["code"] == "read-only"
    assert "read-only" in httpx.get(f"{base}/add").text and 'id="add-form"' not in httpx.get(f"{base}/add").text
    server["process"].terminate()
    said = server["process"].stderr.read().decode()
    assert "http://0.0.0.0:" in said and "read-only" in said and "--token" in said, said


def test_serve_off_loopback_with_a_token_takes_writes_that_carry_it(network_servers):
    server = network_servers["token"]
    base = server["base"]
    article = {"title": "Token upload", "text": real_text(1500, start=90)}
    for headers in ({}, {"authorization": "Bearer wrong-token-of-enough-length"}, {"authorization": TOKEN}):
        answer = httpx.post(f"{base}/api/v1/articles", json=article, headers=headers)
        assert_error_shape(answer, 401)
        assert answer.headers["www-authenticate"].startswith("Bearer")
    done = job_result(base, httpx.post(f"{base}/api/v1/articles", json=article,
                                       headers={"authorization": f"Bearer {TOKEN}"}))
    assert len(done["added"]) == 1
    assert 'id="token"' in httpx.get(f"{base}/add").text  # the form asks for the token
    server["process"].terminate()
    said = server["process"].stderr.read().decode()
    assert "need the token" in said and TOKEN not in said, said


def test_serve_exit_codes_for_a_short_token_and_a_busy_port(seed_store, tmp_path):
    from click.testing import CliRunner

    from storyline.cli import main

    db = tmp_path / "s.db"
    shutil.copy(seed_store, db)
    short = CliRunner().invoke(main, ["serve", "--db", str(db), "--token", "short"])
    assert short.exit_code == 2 and "at least 16 characters" in short.output
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        taken = CliRunner().invoke(main, ["serve", "--db", str(db), "--port", str(port)])
    assert taken.exit_code == 3 and f"cannot listen on 127.0.0.1:{port}" in taken.output, taken.output


# --------------------------------------------------------------------------- the spec against the server (issue 17, item 10)

SCHEMATHESIS_CONFIG = """
# A limit passed (too many articles in a JSON body) is a 413, and a full upload queue a 429: both refusals.
[checks.negative_data_rejection]
expected-statuses = [400, 401, 403, 404, 405, 409, 413, 415, 429]
"""


@pytest.fixture(scope="module")
def spec_server(seed_store, tmp_path_factory):
    """A server of its own for schemathesis (its generated uploads go into this store only)."""
    db = tmp_path_factory.mktemp("spec") / "s.db"
    shutil.copy(seed_store, db)
    yield from serving(db)


def test_api_answers_as_its_openapi_spec_says_under_schemathesis(spec_server, tmp_path):
    base = spec_server["base"]
    for story in httpx.get(f"{base}/api/v1/stories").json()["data"]:  # brief them now: a first brief takes seconds
        httpx.get(f"{base}/api/v1/stories/{story['id']}/brief", timeout=120)
    config = tmp_path / "schemathesis.toml"
    config.write_text(SCHEMATHESIS_CONFIG, encoding="utf-8")
    # Bounded: 25 cases per operation and phase, one worker, a fixed seed, no shrinking, 10 minutes at most.
    run = subprocess.run([sys.executable, "-m", "schemathesis.cli", "--config-file", str(config), "run",
                          f"{base}/api/v1/openapi.json", "--checks", "all", "--max-examples", "25", "--workers", "1",
                          "--seed", "17", "--no-shrink", "--request-timeout", "60", "--max-response-time", "30"],
                         capture_output=True, text=True, timeout=600, cwd=tmp_path, env={**os.environ, "NO_COLOR": "1"})
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert " failure" not in run.stdout.splitlines()[-1], run.stdout[-3000:]
    assert httpx.get(f"{base}/healthz").status_code == 200
