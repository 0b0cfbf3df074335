"""The command line: commands, JSON contract, exit codes, bad input, a process killed mid-batch."""

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
from click.testing import CliRunner

from storyline.cli import main
from storyline.store import Store

from tests.conftest import ECBPLUS, LONG_TITLED, SEED_FILES, URL_DATED_REPORT


def invoke(*args: str, input: str | bytes | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def test_cli_add_articles_show_follow_the_contract(tmp_path):
    db = str(tmp_path / "s.db")
    result = invoke("add", *SEED_FILES, "--db", db, "-q")
    assert result.exit_code == 0, result.output
    lines = invoke("articles", "--json", "--db", db).output.splitlines()
    assert len(lines) == 5
    listed = [json.loads(line) for line in lines]
    for item in listed:
        assert item["schema"] == "storyline/article/v1"
        assert set(item) >= {"id", "origin", "outlet", "title", "authors", "published", "language",
                             "duplicate_of"}
        assert set(item["published"]) == {"value", "inferred", "evidence"}
    shown = json.loads(invoke("show", listed[0]["id"], "--json", "--db", db).output)
    assert shown["id"] == listed[0]["id"]
    assert shown["sentences"] and all(s["id"] == f"{shown['id']}:{i}" for i, s in enumerate(shown["sentences"]))
    assert {"kind", "text"} <= set((shown["removed"] or [{"kind": "", "text": ""}])[0])
    assert invoke("show", "nope", "--db", db).exit_code == 2


def test_cli_db_before_or_after_the_command_and_from_the_environment(seed_store, tmp_path):
    db = tmp_path / "s.db"
    shutil.copy(seed_store, db)
    unused = tmp_path / "unused.db"
    with Store(db) as store:
        article = next(store.iter_articles())
    expected = invoke("show", article.id, "--db", str(db))
    assert expected.exit_code == 0 and expected.output.startswith(f"# {article.title}\n")
    for args, env in ((["--db", str(db), "show", article.id], {}),
                      (["show", article.id], {"STORYLINE_DB": str(db)}),
                      (["--db", str(unused), "show", article.id, "--db", str(db)], {}),
                      (["show", article.id, "--db", str(db)], {"STORYLINE_DB": str(unused)}),
                      (["--db", str(db), "show", article.id], {"STORYLINE_DB": str(unused)})):
        result = CliRunner(env=env).invoke(main, args, catch_exceptions=False)
        assert (result.exit_code, result.output) == (0, expected.output), (args, env)
    assert not unused.exists()  # a command's own --db wins: the other store is never opened
    for name in main.commands:  # every command takes --db after its name, and the group takes it before
        assert "--db" in invoke(name, "--help").output, name
    assert "STORYLINE_DB" in invoke("--help").output


def test_cli_help_and_reading_commands_import_no_pipeline(seed_store):
    # The stages' libraries (datasketch, scipy, spaCy, scikit-learn) are imported by the commands that run them.
    code = ("import sys\nfrom storyline.cli import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit as exit:\n    assert not exit.code, exit.code\n"
            "print(sorted(m for m in ('storyline.pipeline', 'datasketch', 'scipy', 'spacy', 'sklearn') "
            "if m in sys.modules))")
    shown = []
    for args in (["--help"], ["add", "--help"], ["stories", "--db", str(seed_store)]):
        done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        *output, imported = done.stdout.splitlines()
        assert imported == "[]", (args, imported)
        shown.append("\n".join(output))
    assert all(f"  {name} " in shown[0] for name in main.commands)  # the help lists every command
    assert "--workers N" in shown[1] and "--representation" in shown[1]
    assert len(shown[2].splitlines()) == 1  # the seed story


def cut_at_a_word(shown: str, whole: str, width: int) -> bool:
    """Whether `shown` is `whole`, or `whole` cut at a word boundary to fit `width` and ended ' …'."""
    if shown == whole:
        return len(whole) <= width
    kept = shown.removesuffix(" …")
    return shown.endswith(" …") and len(shown) <= width and whole.startswith(kept) and whole[len(kept)] in " ,;:|-–—"


def test_cli_stories_and_articles_cut_labels_and_titles_at_a_word(tmp_path):
    db = str(tmp_path / "s.db")
    pages = [str(page) for page in LONG_TITLED]
    assert invoke("add", *pages, SEED_FILES[0], "--db", db, "-q").exit_code == 0
    stories = {json.loads(line)["id"]: json.loads(line) for line in invoke("stories", "--json", "--db", db).output.splitlines()}
    lines = invoke("stories", "--db", db).output.splitlines()
    assert len(lines) == len(stories) == 3
    for line in lines:  # id, size, span (24, with its ~ marks), then the label in a column of 60
        story = stories[line[:16]]
        assert cut_at_a_word(line[50:110].rstrip(), story["label"], 60), line
        assert cut_at_a_word(line[112:], ", ".join(story["outlets"]) or "-", 60), line
    assert sum(len(s["label"]) > 60 for s in stories.values()) == 2
    titles = {json.loads(line)["id"]: json.loads(line)["title"]
              for line in invoke("articles", "--json", "--db", db).output.splitlines()}
    for line in invoke("articles", "--db", db).output.splitlines():  # id, date and mark, outlet (24), title
        assert cut_at_a_word(line[56:], titles[line[:16]], 70), line


def test_cli_stories_mark_a_day_only_inferred_dates_give(tmp_path):
    (tmp_path / "palmer.txt").write_text(URL_DATED_REPORT, encoding="utf-8")
    stated = next(f for f in SEED_FILES if Path(f).name.startswith("003"))  # "date 2022-01-04" in its first line
    db = str(tmp_path / "s.db")
    assert invoke("add", str(tmp_path / "palmer.txt"), stated, "--db", db).exit_code == 0
    lines = invoke("stories", "--db", db).output.splitlines()
    palmer = next(line for line in lines if "Mat Maid" in line)
    seed = next(line for line in lines if "Mat Maid" not in line)
    assert "2012-08-07~..2012-08-07~" in palmer
    assert "2022-01-04..2022-01-04" in seed and "~" not in seed


def test_cli_add_from_stdin(tmp_path):
    db = str(tmp_path / "s.db")
    text = Path(SEED_FILES[2]).read_text(encoding="utf-8")
    result = invoke("add", "-", "--db", db, "-q", input=text.encode("utf-8"))
    assert result.exit_code == 0
    with Store(db) as store:
        assert store.article_count() == 1
        assert next(store.iter_articles()).origin.kind == "stdin"


def test_cli_bad_inputs_skip_with_one_line_each_and_exit_1(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    for path in SEED_FILES[:3]:
        (folder / Path(path).name).write_text(Path(path).read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "junk.bin").write_bytes(bytes(range(256)) * 40)
    (folder / "bad.json").write_text("{not json", encoding="utf-8")
    (folder / "feed.rss").write_text("<rss><channel><item><title>x", encoding="utf-8")
    (folder / "nobody.html").write_text("<html><body><nav>Home | About</nav></body></html>", encoding="utf-8")
    (folder / "cut.warc.gz").write_bytes(b"\x1f\x8b\x08\x00" + b"\x00" * 20)
    db = tmp_path / "s.db"
    result = subprocess.run([sys.executable, "-m", "storyline", "add", str(folder), "--db", str(db)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stderr
    skipped_lines = [line for line in result.stderr.splitlines() if line.startswith("skipped ")]
    named = {Path(line.split(":")[0].removeprefix("skipped ")).name for line in skipped_lines}
    assert named == {"empty.txt", "junk.bin", "bad.json", "feed.rss", "nobody.html", "cut.warc.gz"}
    assert result.stdout == ""
    with Store(db) as store:
        assert store.article_count() == 3
        assert store.integrity_ok()
    allowed = subprocess.run([sys.executable, "-m", "storyline", "add", str(folder), "--db", str(db),
                              "--max-skips", "10", "-q"], capture_output=True, text=True, timeout=300)
    assert allowed.returncode == 0


def test_cli_crash_exits_4_apart_from_too_many_skips(tmp_path):
    db = tmp_path / "s.db"
    assert invoke("add", SEED_FILES[0], "--db", str(db), "-q").exit_code == 0
    with Store(db) as store:
        article = next(store.iter_articles()).id
        # A store storyline cannot read (a table gone): no input's fault and no missing resource.
        store.conn.execute("DROP TABLE sentences")
    result = subprocess.run([sys.executable, "-m", "storyline", "show", article, "--db", str(db)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 4
    assert "Traceback" in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: storyline crashed (OperationalError: no such table: sentences)")
    # Too many skips is exit 1, not a crash.
    skipped = subprocess.run([sys.executable, "-m", "storyline", "add", str(tmp_path / "nowhere.txt"),
                              "--db", str(tmp_path / "t.db"), "-q"], capture_output=True, text=True, timeout=120)
    assert skipped.returncode == 1 and "Traceback" not in skipped.stderr


def test_cli_add_follows_a_symlink_out_of_a_folder_only_with_follow_symlinks(tmp_path):
    folder, outside = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    outside.mkdir()
    (folder / "a.txt").write_text(Path(SEED_FILES[0]).read_text(encoding="utf-8"), encoding="utf-8")
    (outside / "b.txt").write_text(Path(SEED_FILES[1]).read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "b.txt").symlink_to(outside / "b.txt")
    db = str(tmp_path / "s.db")
    result = invoke("add", str(folder), "--db", db)
    assert result.exit_code == 1
    assert f"skipped {folder / 'b.txt'}: unsupported (a symlink out of the folder" in result.output
    with Store(db) as store:
        assert store.article_count() == 1
    followed = invoke("add", str(folder), "--db", db, "--follow-symlinks")
    assert followed.exit_code == 0, followed.output
    with Store(db) as store:
        assert store.article_count() == 2


def test_cli_unusable_store_exits_3(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database" * 100)
    result = subprocess.run([sys.executable, "-m", "storyline", "articles", "--db", str(junk)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 3
    assert "junk.db" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_cli_run_writes_one_json_file_per_article(tmp_path):
    out = tmp_path / "out"
    result = invoke("run", *SEED_FILES, "--out", str(out), "--db", str(tmp_path / "s.db"), "-q")
    assert result.exit_code == 0, result.output
    files = sorted((out / "articles").glob("*.json"))
    assert len(files) == 5
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["id"] == path.stem and data["sentences"]


def test_cli_run_stderr_is_one_line_per_event_with_counts_in_agreement(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED_FILES[0], folder / "a.txt")
    shutil.copy(SEED_FILES[0], folder / "b.txt")  # the same bytes: already stored when its turn comes
    (folder / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "storyline", "run", str(folder / "a.txt"), str(folder / "b.txt"),
                             str(folder / "empty.txt"), "--out", str(out), "--db", str(tmp_path / "s.db"),
                             "--max-skips", "1"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        f"skipped {folder / 'empty.txt'}: empty (the input is empty)\n"
        "stories: representation tfidf (lemmas, entities, dates, numbers)\n"
        f"wrote 1 story to {out / 'stories.json'}, its brief to {out}, and 1 article file to {out / 'articles'}\n"
        "added 1 article (0 duplicates), 1 already stored, 1 input skipped\n")


def test_cli_untrusted_names_and_text_reach_stderr_as_plain_escaped_text(tmp_path):
    folder = tmp_path / "in"
    (folder / "a[").mkdir(parents=True)
    (folder / "a[" / "x].txt").write_bytes(b"")  # the path reads a[/x].txt: a closing tag to rich markup
    (folder / "evil\x1b[31mred\x1b]0;title\x07.txt").write_bytes(b"")  # colour, window title, bell
    (folder / "two\nlines.txt").write_bytes(b"")
    (folder / "page.warc").write_bytes(b"<html>[/x] hello</html>\r\n\r\n")  # the skip detail quotes its first line
    shutil.copy(SEED_FILES[1], folder / "ok.txt")
    db = tmp_path / "s.db"
    result = subprocess.run([sys.executable, "-m", "storyline", "add", str(folder), "--db", str(db),
                             "--max-skips", "4"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped ")]
    assert sorted(skipped) == sorted([
        f"skipped {folder}/a[/x].txt: empty (the input is empty)",
        f"skipped {folder}/evil\\x1b[31mred\\x1b]0;title\\x07.txt: empty (the input is empty)",
        f"skipped {folder}/two\\nlines.txt: empty (the input is empty)",
        f"skipped {folder}/page.warc: malformed-warc (not a readable WARC after 0 records: Unknown archive format, "
        "first line: ['<html>[/x]', 'hello</html>'])"])
    assert result.stderr.splitlines()[-1] == "added 1 article (0 duplicates), 0 already stored, 4 inputs skipped"
    with Store(db) as store:
        assert store.article_count() == 1


def write_ecbplus_files(folder: Path, count: int) -> None:
    folder.mkdir()
    with open(ECBPLUS, encoding="utf-8") as handle:
        for i, line in enumerate(handle):
            if i == count:
                break
            item = json.loads(line)
            (folder / f"{item['id']}.txt").write_text(item["text"], encoding="utf-8")


def test_cli_process_killed_mid_batch_loses_nothing_stored(tmp_path):
    folder = tmp_path / "many"
    write_ecbplus_files(folder, 240)
    db = tmp_path / "s.db"
    process = subprocess.Popen([sys.executable, "-m", "storyline", "add", str(folder), "--db", str(db), "-q"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 240
        stored = 0
        while time.time() < deadline and process.poll() is None:
            time.sleep(0.2)
            if db.exists():
                try:
                    with sqlite3.connect(db, timeout=1) as conn:
                        stored = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
                except sqlite3.Error:
                    stored = 0
            if stored:
                break
        assert process.poll() is None, "the add finished before it could be killed; use more input"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    with Store(db) as store:
        assert store.integrity_ok()
        partial = store.article_count()
        assert 0 < partial < 240
        # every stored article is whole: its sentences and fingerprint were committed with it
        for article in store.iter_articles():
            assert article.sentences
        orphans = store.conn.execute(
            "SELECT COUNT(*) FROM articles a LEFT JOIN fingerprints f ON f.article_id = a.id "
            "WHERE f.article_id IS NULL").fetchone()[0]
        assert orphans == 0
    rerun = subprocess.run([sys.executable, "-m", "storyline", "add", str(folder), "--db", str(db), "-q",
                            "--max-skips", "240"], capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    with Store(db) as store:
        assert store.integrity_ok()
        assert store.article_count() > partial


def test_cli_run_writes_a_verified_brief_per_story_and_brief_reads_it_back(tmp_path):
    db, out = str(tmp_path / "s.db"), tmp_path / "out"
    result = invoke("run", *SEED_FILES, "--out", str(out), "--db", db, "-q")
    assert result.exit_code == 0, result.output
    stories = json.loads((out / "stories.json").read_text(encoding="utf-8"))["stories"]
    assert len(stories) == 1 and len(stories[0]["articles"]) == 5
    story = stories[0]["id"]
    brief = json.loads((out / f"{story}.json").read_text(encoding="utf-8"))
    assert brief["schema"] == "storyline/brief/v1" and brief["story"] == story
    assert brief["summary"] and all(item["cites"] for item in brief["summary"])
    markdown = (out / f"{story}.md").read_text(encoding="utf-8")
    assert brief["summary"][0]["text"][:40] in markdown
    page = (out / f"{story}.html").read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and 'class="cite"' in page
    assert invoke("verify", str(out / f"{story}.json"), "--db", db).exit_code == 0
    # `brief` by a unique id prefix gives the stored brief, without analysing again.
    again = invoke("brief", story[:6], "--format", "json", "--db", db)
    assert again.exit_code == 0 and json.loads(again.output) == brief
    assert CliRunner().invoke(main, ["brief", "nosuchstory", "--db", db]).exit_code == 2
