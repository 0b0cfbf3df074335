"""Several writers on one store, and an `add` killed with SIGKILL (issue 17, items 6 and 8).

Real `storyline add` processes on a real SQLite file, real ECB+ text (tests/data). Each test
compares the stories with those of one uninterrupted, serial run of the same two adds (a module
fixture): FIRST, then LATER, whose near copies of FIRST's reports, dated months earlier, displace
them as the canonical articles.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from storyline import pipeline
from storyline.store import Store, placement_held
from tests.conftest import ECBPLUS

DAY = "2009-03-02"
EARLIER = "2008-08-14"  # a copy dated this much earlier is no longer within a story's time window


def ecbplus_items(start: int, count: int) -> list[dict]:
    """ECB+ documents [start, start + count) as JSON article objects of one day."""
    items = []
    with open(ECBPLUS, encoding="utf-8") as handle:
        for i, line in enumerate(handle):
            if i >= start + count:
                break
            if i >= start:
                item = json.loads(line)
                items.append({"url": f"https://news{i % 7}.example.org/{item['id']}", "title": "",
                              "published": DAY, "text": item["text"]})
    return items


def write_items(folder: Path, items: list[dict], prefix: str = "") -> list[str]:
    """One JSON file per article; return their paths in the order given."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n, item in enumerate(items):
        path = folder / f"{prefix}{n:04d}.json"
        path.write_text(json.dumps(item), encoding="utf-8")
        paths.append(str(path))
    return paths


def start_add(db: Path, inputs: list[str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "storyline", "add", *inputs, "--db", str(db), "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def placing(db: Path) -> bool:
    """Whether a process holds the store's placement lock."""
    return placement_held(db)


def count(db: Path, sql: str) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            return conn.execute(sql).fetchone()[0]
    except sqlite3.Error:  # not created yet
        return 0


def wait_for(process: subprocess.Popen, condition, seconds: float = 600) -> bool:
    """Poll until `condition()` holds while the process runs; False when it ended first."""
    deadline = time.time() + seconds
    while time.time() < deadline and process.poll() is None:
        if condition():
            return True
        time.sleep(0.02)
    return False


def stories(db: Path) -> set[tuple[str, tuple[str, ...]]]:
    with Store(db) as store:
        return {(story.id, tuple(sorted(story.articles))) for story in store.stories()}


def serial(db: Path, *adds: list[str]) -> set[tuple[str, tuple[str, ...]]]:
    with Store(db) as store:
        for inputs in adds:
            pipeline.add(store, inputs)
    return stories(db)


FIRST = 60  # reports the first add stores: two batches
COPIES = 4  # of them, copied in the later add, dated months earlier
LATER = 40  # other reports of the later add: with the copies, two batches


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The inputs of the two adds, the store after the first alone, and the stories of both run serially."""
    folder = tmp_path_factory.mktemp("writers")
    stored = ecbplus_items(0, FIRST)
    # Near copies of stored reports, dated months earlier: each becomes the canonical article of
    # its stored copy and must join that copy's story, which it would not by similarity (too early).
    copies = [dict(item, url=item["url"].replace("example.org", "example.net"), published=EARLIER,
                   text=item["text"] + "\nThis report was first published by a wire service.")
              for item in stored[:COPIES]]
    first = write_items(folder / "first", stored)
    later = write_items(folder / "later", copies, "a") + write_items(folder / "later", ecbplus_items(FIRST, LATER), "b")
    base, whole = folder / "base.db", folder / "whole.db"
    serial(base, first)
    shutil.copyfile(base, whole)
    expected = serial(whole, later)
    with Store(whole) as store:
        assert store.conn.execute("SELECT COUNT(*) FROM displaced").fetchone()[0] >= COPIES
        assert store.unclustered_articles() == []
    return {"first": first, "later": later, "base": base, "expected": expected,
            "articles": count(whole, "SELECT COUNT(*) FROM articles"),
            "members": count(whole, "SELECT COUNT(*) FROM story_members")}


def test_a_second_add_started_while_the_first_places_waits_and_both_store_everything(runs, tmp_path):
    first, second = runs["first"], runs["later"]
    db = tmp_path / "c.db"
    adder = start_add(db, first)
    other = None
    try:
        assert wait_for(adder, lambda: placing(db)), "the first add ended before it placed"
        # The first add places (story placement once held the write lock ~33 s): a second add
        # starts now, and this process writes meanwhile, timing how long it waits for the store.
        other = start_add(db, second)
        waits = []
        with Store(db) as writer:
            while adder.poll() is None or other.poll() is None:
                asked = time.monotonic()
                with writer.transaction():
                    pass
                waits.append(time.monotonic() - asked)
                time.sleep(0.05)
        assert len(waits) > 10 and max(waits) < 5, f"a writer waited up to {max(waits):.1f} s"
        assert adder.wait(timeout=600) == 0, adder.stderr.read()
        assert other.wait(timeout=600) == 0, other.stderr.read()
    finally:
        for process in (adder, other):
            if process is not None and process.poll() is None:
                process.kill()
    with Store(db) as store:
        assert store.integrity_ok()
        assert store.article_count() == runs["articles"]
        assert store.unclustered_articles() == []
    # The second add's articles were stored while the first placed its own: the stories are those
    # of the two adds run one after the other.
    assert stories(db) == runs["expected"]


def test_an_add_killed_between_storing_and_placing_leaves_the_same_stories_to_its_rerun(runs, tmp_path):
    later, expected = runs["later"], runs["expected"]
    articles, members = "SELECT COUNT(*) FROM articles", "SELECT COUNT(*) FROM story_members"
    # Each point is a state the add stays in long enough to be seen: some batches stored, more to
    # come; every article stored (placement starts only then) and the placement lock taken, the
    # displaced copies not yet joined. Placement writes its rows in a few short transactions, so
    # "some of them placed" can pass unseen on an idle machine (it did: every article was placed
    # before the kill landed); the spaCy work that precedes those writes lasts seconds.
    points = {
        "after the first batch is stored": lambda db: count(db, articles) > FIRST,
        "once placement started, every article stored": lambda db: placing(db) and count(db, articles) >= runs["articles"],
    }
    for point, reached in points.items():
        db = tmp_path / f"{len(point)}.db"
        shutil.copyfile(runs["base"], db)
        process = start_add(db, later)
        try:
            assert wait_for(process, lambda: reached(db)), f"the add ended before it was killed {point}"
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
        assert count(db, members) < runs["members"], f"killed {point}, yet every article was placed"
        # The re-run: the same add, through the library `storyline add` calls (in this process, whose
        # spaCy is loaded already, rather than a process that loads it again).
        with Store(db) as store:
            rerun = pipeline.add(store, later)
            assert store.integrity_ok() and store.unclustered_articles() == []
        assert rerun.skipped == [] and stories(db) == expected, point
