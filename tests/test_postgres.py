"""The PostgreSQL store on a real server (tests/postgres.py): the same stories as SQLite, every command
and the web server on a URL, several processes adding at once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx
from click.testing import CliRunner

from storyline import pipeline
from storyline.cli import main
from storyline.store import Store

from tests.conftest import ECBPLUS, SEED_FILES

ROOT = Path(__file__).resolve().parent.parent


def ecb_lines(count: int) -> list[str]:
    """The first `count` ECB+ documents of tests/data, as JSON Lines."""
    with open(ECBPLUS, encoding="utf-8") as handle:
        return [line for line, _ in zip(handle, range(count))]


def write_lines(path: Path, lines: list[str]) -> str:
    path.write_text("".join(lines), encoding="utf-8")
    return str(path)


def stories_of(store: Store) -> dict[str, tuple[str, ...]]:
    return {story.id: story.articles for story in store.stories()}


def test_postgres_store_gives_the_stories_and_briefs_sqlite_gives(tmp_path, postgres_url):
    inputs = [write_lines(tmp_path / "ecb.jsonl", ecb_lines(80)[::2]), *SEED_FILES]  # 8 ECB+ stories
    with Store(tmp_path / "s.db") as lite, Store(postgres_url) as pg:
        assert pg.dialect.name == "postgresql"
        lite_report = pipeline.add(lite, inputs)
        pg_report = pipeline.add(pg, inputs)
        assert sorted(pg_report.added) == sorted(lite_report.added) and len(pg_report.added) > 40
        assert sorted(pg_report.duplicates) == sorted(lite_report.duplicates)
        assert stories_of(pg) == stories_of(lite)
        assert len(stories_of(pg)) > 5
        assert [pg.story_history(s) for s in stories_of(pg)] == [lite.story_history(s) for s in stories_of(lite)]
        assert pg.story_term_frequencies(["l:reid", "e:PERSON:tara reid"]) == \
            lite.story_term_frequencies(["l:reid", "e:PERSON:tara reid"])
        seed_story = next(s for s in pg.stories() if set(s.articles) & {a for a in pg_report.added[-5:]})
        pg_brief = pipeline.brief_story(pg, seed_story)
        lite_brief = pipeline.brief_story(lite, lite.get_story(seed_story.id))
        assert pg_brief.brief == lite_brief.brief and pg_brief.version == 1
        assert pipeline.brief_story(pg, seed_story).changed is False  # unchanged content: no new version
        assert pg.integrity_ok()


def test_postgres_stores_text_it_cannot_hold_as_replacement_characters(postgres_url, tmp_path):
    page = tmp_path / "nul.txt"
    text = Path(SEED_FILES[0]).read_text(encoding="utf-8")
    page.write_text(text.replace(" ", "\x00", 1), encoding="utf-8")  # PostgreSQL TEXT holds no NUL
    with Store(postgres_url) as store:
        report = pipeline.add(store, [str(page)])
        assert len(report.added) == 1 or report.skipped
        if report.added:
            assert "\x00" not in store.get_article(report.added[0]).body


def test_postgres_every_command_works_on_a_url(tmp_path, postgres_url):
    runner = CliRunner(env={"STORYLINE_DB": postgres_url})
    added = runner.invoke(main, ["add", "-q", *SEED_FILES], catch_exceptions=False)
    assert added.exit_code == 0, added.output
    listed = runner.invoke(main, ["articles", "--json"], catch_exceptions=False)
    assert len(listed.output.splitlines()) == 5
    first = json.loads(listed.output.splitlines()[0])["id"]
    assert runner.invoke(main, ["show", first, "--db", postgres_url]).output.startswith("# ")
    stories = [json.loads(line) for line in runner.invoke(main, ["stories", "--json"]).output.splitlines()]
    assert len(stories) == 1 and len(stories[0]["articles"]) == 5
    brief_file = tmp_path / "brief.json"
    made = runner.invoke(main, ["brief", stories[0]["id"][:8], "--format", "json", "--out", str(brief_file)])
    assert made.exit_code == 0, made.output
    assert runner.invoke(main, ["verify", str(brief_file)]).exit_code == 0
    out = tmp_path / "out"
    ran = runner.invoke(main, ["run", "-q", *SEED_FILES, "--out", str(out)], catch_exceptions=False)
    assert ran.exit_code == 0, ran.output
    assert json.loads((out / "stories.json").read_text(encoding="utf-8"))
    assert (out / f"{stories[0]['id']}.md").read_text(encoding="utf-8").startswith("# ")


def test_postgres_serve_reads_and_writes_a_url(postgres_url, tmp_path):
    from tests.test_serve import free_port, job_result

    with Store(postgres_url) as store:
        pipeline.add(store, SEED_FILES[:3])
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "storyline", "serve", "--db", postgres_url, "--port", str(port)],
                              env=dict(os.environ, PYTHONPATH=str(ROOT)), cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while not up(base):
            assert time.time() < deadline and server.poll() is None, server.stderr.read().decode()[-500:]
            time.sleep(0.2)
        stories = httpx.get(f"{base}/api/v1/stories", timeout=60).json()["data"]
        assert sum(len(s["articles"]) for s in stories) == 3
        text = Path(SEED_FILES[3]).read_text(encoding="utf-8")
        added = job_result(base, httpx.post(f"{base}/api/v1/articles", timeout=120,
                                            files=[("files", ("new.txt", text.encode(), "text/plain"))]))
        assert len(added["added"]) == 1
        stories = httpx.get(f"{base}/api/v1/stories", timeout=60).json()["data"]
        assert sum(len(s["articles"]) for s in stories) == 4
        story_id = stories[0]["id"]
        assert httpx.get(f"{base}/api/v1/stories/{story_id}/brief", timeout=300).status_code == 200
        page = httpx.get(f"{base}/stories/{story_id}", timeout=300)
        assert page.status_code == 200 and "<html" in page.text.lower()
    finally:
        server.terminate()
        server.wait(timeout=10)


def up(base: str) -> bool:
    try:
        return httpx.get(f"{base}/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def test_postgres_concurrent_adders_lose_nothing_and_place_nothing_twice(tmp_path, postgres_url):
    lines = ecb_lines(96)[::2]  # 48 documents of 10 ECB+ stories; each adder's overlaps both others'
    shards = [write_lines(tmp_path / "a.jsonl", lines[:32]), write_lines(tmp_path / "b.jsonl", lines[16:]),
              write_lines(tmp_path / "c.jsonl", lines[::2])]
    env = dict(os.environ, PYTHONPATH=str(ROOT), STORYLINE_DB=postgres_url)
    adders = [subprocess.Popen([sys.executable, "-m", "storyline", "add", "-q", shard], env=env, cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE) for shard in shards]
    for adder in adders:
        _, err = adder.communicate(timeout=900)
        assert adder.returncode == 0, err.decode()
    with Store(tmp_path / "one.db") as alone:  # the same documents added by one process
        expected = pipeline.add(alone, [write_lines(tmp_path / "all.jsonl", lines)])
        alone_duplicates = alone.duplicate_sets()
    with Store(postgres_url) as store:
        ids = [article.id for article in store.iter_articles()]
        assert sorted(ids) == sorted(expected.added)  # nothing lost, nothing stored twice
        members = [article for story in store.stories() for article in story.articles]
        assert sorted(members) == sorted(ids)  # every article in exactly one live story
        assert store.unclustered_articles() == []
        placed = Counter(row[0] for row in store.conn.execute(
            "SELECT article_id FROM story_history WHERE kind IN ('created', 'joined')"))
        assert set(placed) == set(ids) and set(placed.values()) == {1}  # each placed once
        assert store.duplicate_sets() == alone_duplicates  # the serial dedup step saw every copy
        assert store.integrity_ok()
