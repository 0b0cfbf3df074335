"""changes: what each new brief version changed, and `storyline changes` listing it, on a real story in three steps,
in a SQLite file and on a real PostgreSQL server."""

from __future__ import annotations

import json
import time

import pytest
from click.testing import CliRunner

from storyline import changes, pipeline
from storyline.cli import main
from storyline.store import Store
from storyline.store.dialect import is_postgres
from tests import postgres
from tests.conftest import ATHENS_POLLS, ecbplus_report


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def three_steps(request, tmp_path_factory):
    """A store (each backend) that got the Athens reports in three adds, each briefed; the times between the steps."""
    folder = tmp_path_factory.mktemp("changes")
    if request.param == "sqlite":
        db = str(folder / "s.db")
    else:
        db = postgres.new_database(request.getfixturevalue("postgres_server"))
    marks = []
    with Store(db) as store:
        for number, poll in enumerate(ATHENS_POLLS):
            path = folder / f"step{number}.jsonl"
            path.write_text("".join(json.dumps(dict(ecbplus_report(doc), published=day)) + "\n" for doc, day in poll),
                            encoding="utf-8")
            pipeline.add(store, [str(path)])
            pipeline.brief_stories(store)
            # Versions are stamped to the second: each mark falls a second after one version and
            # a second before the next, or an add that takes under a second (an idle machine)
            # stamps the next version in the mark's own second.
            time.sleep(1.1)
            marks.append(changes.since_time("0s"))
            time.sleep(1.1)
    return db, marks


def test_changes_each_version_records_what_it_changed(three_steps):
    db, _ = three_steps
    with Store(db) as store:
        (story,) = store.stories()
        recorded = store.stored_changes(story_id=story.id)
    assert [c["version"] for c in recorded] == [3, 2, 1]  # newest first
    third, second, first = recorded
    assert first["previous"] is None and first["digest"] == "new story: 2 sources"
    assert second["previous"] == 1 and len(second["sources"]["added"]) == 1
    assert {"subject": "injured", "from": "12", "to": "18"} in second["figures"]
    assert second["digest"].startswith("+1 source; injured 12 → 18")
    assert third["digest"].startswith("+2 sources")
    assert "injured" not in third["digest"]  # 18 was already known
    assert all(c["schema"] == changes.CHANGE_SCHEMA for c in recorded)


def test_changes_since_spans_every_version_after_it(three_steps):
    db, marks = three_steps
    with Store(db) as store:
        (before_second,) = pipeline.story_changes(store, marks[0])
        (before_third,) = pipeline.story_changes(store, marks[1])
        assert pipeline.story_changes(store, marks[2]) == []
        (newest,) = pipeline.story_changes(store)
    assert before_second["previous"] == 1 and before_second["version"] == 3
    assert len(before_second["sources"]["added"]) == 3
    assert before_second["digest"].startswith("+3 sources; injured 12 → 18")
    assert before_third["previous"] == 2 and before_third["digest"] == newest["digest"]


def test_changes_cli_lists_digests_and_refuses_a_bad_time(three_steps):
    db, marks = three_steps
    result = CliRunner().invoke(main, ["changes", "--db", db])
    assert result.exit_code == 0, result.output
    (line,) = result.stdout.splitlines()
    assert " v3 " in line and "+2 sources" in line
    result = CliRunner().invoke(main, ["changes", "--db", db, "--since", marks[0], "--json"])
    (change,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert "injured 12 → 18" in change["digest"]
    result = CliRunner().invoke(main, ["changes", "--db", db, "--since", "yesterday-ish"])
    assert result.exit_code == 2 and "--since 'yesterday-ish' is not a time" in result.output


def test_changes_versions_stored_before_changes_were_recorded_get_theirs(three_steps, tmp_path):
    db, _ = three_steps
    if is_postgres(db):
        copy = postgres.copy_database(db)
    else:
        copy = str(tmp_path / "old.db")
        with Store(db) as store:
            store.conn.execute("VACUUM INTO ?", (copy,))
    with Store(copy) as store:
        expected = store.stored_changes()
        with store.transaction():
            store.conn.execute("DELETE FROM brief_changes")  # as a store briefed before migration 0008 holds them
        assert store.versions_without_change() == [(expected[0]["story"], v) for v in (1, 2, 3)]
        pipeline.story_changes(store)
        assert [c["digest"] for c in store.stored_changes()] == [c["digest"] for c in expected]


def test_changes_since_takes_iso_times_and_durations():
    now = changes.datetime(2026, 12, 6, 14, 0, tzinfo=changes.timezone.utc)
    assert changes.since_time("2h", now) == "2026-12-06T12:00:00+00:00"
    assert changes.since_time("2026-12-05", now) == "2026-12-05T00:00:00+00:00"
    assert changes.since_time("2026-12-05T10:00+02:00", now) == "2026-12-05T08:00:00+00:00"
