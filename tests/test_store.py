"""The store on both backends (a SQLite file, a real PostgreSQL server): migrations, round trips,
no-op re-adds, transactions, concurrent adders."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from storyline import pipeline
from storyline.errors import StoreError
from storyline.records import SkipReason, Skipped
from storyline.store import Store, migrations, open_store
from storyline.store.stories import search_key

from tests.conftest import CYRILLIC_PAGES, SEED_FILES, ecbplus_report


def test_store_migrations_are_numbered_and_recorded(store_target):
    numbers = [number for number, _, _ in migrations()]
    assert numbers == sorted(set(numbers)) and numbers[0] == 1
    with Store(store_target) as store:
        assert store.schema_version() == numbers[-1]
        assert store.integrity_ok()
    with Store(store_target) as store:  # reopening applies nothing twice
        assert store.migrate() == []


def test_store_sqlite_file_is_in_wal_mode(tmp_path):
    with Store(tmp_path / "s.db") as store:
        assert store.dialect.name == "sqlite"
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_store_article_round_trip(tmp_path, store_target):
    with Store(store_target) as store:
        report = pipeline.add(store, SEED_FILES)
        assert len(report.added) == 5
        for article_id in report.added:
            article = store.get_article(article_id)
            assert article is not None and article.id == article_id
            again = store.get_articles([article_id])[0]
            assert again == article
            for sentence in article.sentences:
                assert article.body[sentence.start:sentence.end] == sentence.text
                assert store.get_sentence(sentence.id) == sentence


def test_store_readding_the_same_input_is_a_no_op(tmp_path, store_target):
    with Store(store_target) as store:
        first = pipeline.add(store, SEED_FILES)
        rows = store.conn.execute("SELECT COUNT(*) FROM sentences").fetchone()[0]
        second = pipeline.add(store, SEED_FILES)
        assert len(first.added) == 5
        assert second.added == [] and second.unchanged == 5
        assert store.article_count() == 5
        assert store.conn.execute("SELECT COUNT(*) FROM sentences").fetchone()[0] == rows


def test_store_transaction_rolls_back_a_failed_batch(tmp_path, store_target):
    with Store(store_target) as store:
        pipeline.add(store, SEED_FILES[:2])
        before = store.article_count()
        with pytest.raises(RuntimeError):
            with store.transaction():
                store.record_skip(Skipped("x", "ingest", SkipReason.EMPTY, "test"))
                raise RuntimeError("crash mid-batch")
        assert store.article_count() == before
        assert store.skip_counts() == {}
        assert store.integrity_ok()


def test_open_store_refuses_what_it_cannot_open(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        open_store(tmp_path / "missing" / "s.db")
    with pytest.raises(StoreError, match=r"cannot open the store postgresql://someone:\*\*\*@127\.0\.0\.1:1/x"):
        open_store("postgresql://someone:secret@127.0.0.1:1/x")  # nothing listens on port 1; the password is not shown
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError, match="not a usable storyline database"):
        open_store(junk)
    assert junk.read_bytes().startswith(b"this is not a database")  # left untouched


def test_store_skips_are_kept(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with Store(tmp_path / "s.db") as store:
        report = pipeline.add(store, [str(empty), SEED_FILES[0]])
        assert [s.reason for s in report.skipped] == [SkipReason.EMPTY]
        assert store.skip_counts() == {"empty": 1}
        assert store.article_count() == 1
    raw = sqlite3.connect(tmp_path / "s.db")
    assert raw.execute("SELECT input FROM skips").fetchone()[0] == str(empty)


def test_store_brief_versions_only_change_with_content(tmp_path, seed_store):
    from storyline import contract

    from .conftest import seed_brief_record

    with Store(seed_store) as seeded:
        brief = contract.brief_json(seed_brief_record(seeded))
    with Store(tmp_path / "s.db") as store:
        with store.transaction():
            assert store.save_brief(brief) == (1, True)
            assert store.save_brief(dict(brief, version=7)) == (1, False)  # same content: no new version
            changed = dict(brief, summary=brief["summary"][:0])
            assert store.save_brief(changed) == (2, True)
        assert [v for v, _ in store.brief_versions(brief["story"])] == [1, 2]
        assert store.latest_brief(brief["story"])["summary"] == []
        assert store.latest_brief(brief["story"])["version"] == 2


def test_store_bulk_term_frequencies_equal_one_article_at_a_time(tmp_path, store_target):
    term_sets = [set(Path(path).read_text(encoding="utf-8").lower().split()) for path in SEED_FILES]
    with Store(tmp_path / "one.db") as one, Store(store_target) as bulk:
        with one.transaction():
            for terms in term_sets:
                one.count_story_document(terms)
        with bulk.transaction():
            for batch in (term_sets[:2], term_sets[2:]):  # the second load adds to the first
                bulk.count_story_documents(Counter(term for terms in batch for term in terms), len(batch))
        every = sorted(set().union(*term_sets))
        assert one.story_document_count() == bulk.story_document_count() == len(term_sets)
        assert one.story_term_frequencies(every) == bulk.story_term_frequencies(every)
        assert bulk.story_term_frequencies(["biden"])["biden"] == sum("biden" in terms for terms in term_sets) > 2


def test_store_counts_each_term_of_a_weighted_profile_once(tmp_path, store_target):
    words = Path(SEED_FILES[0]).read_text(encoding="utf-8").lower().split()
    weights = {word: 1.0 + words.count(word) for word in set(words)}  # as the assigner passes them
    with Store(store_target) as store, store.transaction():
        store.count_story_document(weights)
        assert set(store.story_term_frequencies(weights).values()) == {1}


def test_store_re_adding_bad_input_keeps_one_skip_row(tmp_path, store_target):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    broken = tmp_path / "broken.json"
    broken.write_text('[{"text": "unterminated', encoding="utf-8")
    with Store(store_target) as store:
        for _ in range(3):
            report = pipeline.add(store, [str(empty), str(broken)])
            assert sorted(s.reason for s in report.skipped) == [SkipReason.EMPTY, SkipReason.MALFORMED_JSON]
        assert store.skip_counts() == {"empty": 1, "malformed-json": 1}
        broken.write_text('{"text": 1', encoding="utf-8")  # skipped again, for a new reason of the same kind
        pipeline.add(store, [str(broken)])
        rows = store.conn.execute("SELECT input, detail FROM skips WHERE reason = 'malformed-json'").fetchall()
        assert len(rows) == 1 and rows[0][0] == str(broken)
        assert "1" in rows[0][1]  # the latest detail is kept


def test_store_migration_folds_duplicate_skip_rows(tmp_path):
    path = tmp_path / "s.db"
    with Store(path):
        pass
    raw = sqlite3.connect(path)
    newest = raw.execute("SELECT MAX(number) FROM schema_migrations").fetchone()[0]
    # The store as it was before skips were unique (migration 6): drop the index, then add the same
    # skip three times.
    raw.execute("DROP INDEX skips_input_stage_reason")
    raw.execute("DELETE FROM schema_migrations WHERE number = 6")
    for at in ("2026-01-01", "2026-01-02", "2026-01-03"):
        raw.execute("INSERT INTO skips (input, stage, reason, detail, at) VALUES ('a.txt', 'ingest', 'empty', ?, ?)",
                    (f"seen {at}", at))
    raw.execute("INSERT INTO skips (input, stage, reason, detail, at) VALUES ('b.txt', 'ingest', 'empty', 'b', 'x')")
    raw.commit()
    raw.close()
    with Store(path) as store:
        assert store.schema_version() == newest
        assert store.skip_counts() == {"empty": 2}
        detail = store.conn.execute("SELECT detail FROM skips WHERE input = 'a.txt'").fetchone()[0]
        assert detail == "seen 2026-01-03"
        assert store.integrity_ok()


def test_store_migration_0012_fills_the_story_list_tables_from_what_is_stored(tmp_path, seed_store):
    path = tmp_path / "s.db"
    shutil.copy(seed_store, path)
    report = tmp_path / "report.json"  # a report with its outlet's URL, beside the seed texts (which name none)
    report.write_text(json.dumps(ecbplus_report("8_10ecbplus")), encoding="utf-8")
    with Store(path) as store:
        pipeline.add(store, [str(report)])
        pipeline.brief_stories(store)
        story = store.stories()[0].id
        brief = store.latest_brief(story)
        with store.transaction():  # a newer version with one entity: the newest brief is the one listed
            store.save_brief(dict(brief, entities=brief["entities"][:1]))
    # The store as the migrations before 0012 left it: no outlet column, no entity names, no list indexes.
    raw = sqlite3.connect(path)
    for name in ("stories_list_recent", "stories_list_size", "stories_list_first_seen", "stories_list_label",
                 "brief_changes_story_created"):
        raw.execute(f"DROP INDEX {name}")
    raw.execute("DROP TABLE story_entity_names")
    raw.execute("ALTER TABLE articles DROP COLUMN outlet_key")
    raw.execute("ALTER TABLE articles DROP COLUMN outlet_domain")
    raw.execute("DELETE FROM schema_migrations WHERE number = 12")
    raw.commit()
    raw.close()
    with Store(path) as store:
        assert 12 in [n for n, _, _ in migrations()] and store.schema_version() >= 12
        indexes = {row[0] for row in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"stories_list_recent", "stories_list_label", "brief_changes_story_created"} <= indexes
        newest = store.latest_brief(story)["entities"]
        assert len(newest) == 1 and len(brief["entities"]) > 1
        assert store.story_entities(story) == [{"name": e["name"], "forms": [f["text"] for f in e["forms"]]}
                                               for e in newest]
        for article in store.iter_articles():
            key, domain = store.conn.execute("SELECT outlet_key, outlet_domain FROM articles WHERE id = ?",
                                             (article.id,)).fetchone()
            assert key == search_key(article.outlet.name or article.outlet.domain or "")
            assert domain == (article.outlet.domain or "")
        assert store.conn.execute("SELECT COUNT(*) FROM articles WHERE outlet_domain <> ''").fetchone()[0] >= 1
        assert store.integrity_ok()


def test_store_story_filters_ignore_case_in_every_script_and_migration_0022_keys_what_was_stored(store_target):
    # Two real Russian pages: people named with Cyrillic capitals in one, a Cyrillic capital in the other's title.
    with Store(store_target) as store:
        pipeline.add(store, [str(page) for page in CYRILLIC_PAGES])
        pipeline.brief_stories(store)
        labels = {story.id: story.label for story in store.stories()}
        names = {story_id: [name for e in store.story_entities(story_id) for name in [e["name"], *e["forms"]]]
                 for story_id in labels}
    assert len(labels) == 2
    porizkova = next(story_id for story_id in labels if "Поризкова" in names[story_id])
    skyrim = next(story_id for story_id in labels if labels[story_id].startswith("Скайрим"))
    # Each is found one way only: Porizkova by an entity's name, Skyrim by its label.
    assert "поризкова" not in labels[porizkova].casefold()
    assert not any("скайрим" in name.casefold() for name in names[skyrim])

    def check(store: Store) -> None:
        for typed, found in (("Поризкова", porizkova), ("поризкова", porizkova), ("ПОРИЗКОВА", porizkova),
                             ("джонни ДЕПП", porizkova), ("скайрим", skyrim), ("СКАЙРИМ", skyrim)):
            assert store.story_list(entity=typed) == ([found], 1), typed
        assert store.story_list(order="label")[0] == sorted(labels, key=lambda story_id: labels[story_id].casefold())
        for article in store.iter_articles():
            outlet = article.outlet.name or article.outlet.domain
            assert store.story_list(outlet=outlet.upper())[0] == [store.story_of_article(article.id)]

    with Store(store_target) as store:
        check(store)
        # The store as the migrations before 0022 left it: no search keys, the label index on lower(label), outlet
        # keys lowercased (here: none at all, which 0022 must fill as well), no entity lists.
        with store.transaction():
            for statement in ("DROP INDEX story_entity_names_key", "DROP INDEX stories_list_label",
                              "ALTER TABLE story_entity_names DROP COLUMN text_key",
                              "ALTER TABLE stories DROP COLUMN label_key",
                              "CREATE INDEX stories_list_label ON stories(merged_into, (lower(label)), size DESC, id)",
                              "DROP TABLE story_entity_lists", "UPDATE articles SET outlet_key = ''",
                              "DELETE FROM schema_migrations WHERE number = 22"):
                store.conn.execute(statement)
    with Store(store_target) as store:
        assert store.schema_version() >= 22
        check(store)
        keys = store.conn.execute("SELECT text, text_key FROM story_entity_names").fetchall()
        assert keys and all(key == search_key(text) for text, key in keys)
        assert store.story_entity_lists(labels) == {story_id: store.story_entities(story_id) for story_id in labels}
        assert store.integrity_ok()


def test_store_migration_0017_moves_each_story_profile_into_one_row(tmp_path, seed_store):
    path = tmp_path / "s.db"
    shutil.copy(seed_store, path)
    with Store(path) as store:
        profiles = {story.id: store.story_profile(story.id) for story in store.stories()}
    assert profiles and all(len(profile["counts"]) > 10 for profile in profiles.values())
    # The store as the migrations before 0017 left it: a profile is a row per term in story_terms.
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE story_terms (story_id TEXT NOT NULL, term TEXT NOT NULL, weight REAL NOT NULL, "
                "PRIMARY KEY (story_id, term)) WITHOUT ROWID")
    raw.executemany("INSERT INTO story_terms VALUES (?, ?, ?)",
                    [(story_id, term, weight) for story_id, profile in profiles.items()
                     for term, weight in profile["counts"].items()])
    raw.execute("DROP TABLE story_profiles")
    raw.execute("DELETE FROM schema_migrations WHERE number = 17")
    raw.commit()
    raw.close()
    with Store(path) as store:
        assert store.schema_version() >= 17
        for story_id, profile in profiles.items():
            moved = store.story_profile(story_id)
            assert moved == profile
            assert list(moved["counts"]) == sorted(profile["counts"])  # read in term order, as the rows were
        tables = {row[0] for row in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "story_terms" not in tables and "story_profiles" in tables
        assert store.integrity_ok()
