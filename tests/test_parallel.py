"""Dask workers for the parallel stages (storyline/parallel.py), on a real local Dask cluster: the same
stories and briefs as one process; JSON Lines read line by line and in byte ranges."""

from __future__ import annotations

import json
import os
import shlex
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psutil

import pytest
from click.testing import CliRunner

from storyline import contract, ingest, pipeline
from storyline.cli import main
from storyline.parallel import LOCAL_CLUSTER_CONFIG, WORKER_MALLOC, Workers, plan_shards, read_shard
from storyline.records import Document, SkipReason, Skipped
from storyline.store import Store

from tests.conftest import ECBPLUS, SEED_FILES


@pytest.fixture(scope="module")
def workers():
    """A local Dask cluster of two worker processes, with small shards so that a few files make several."""
    with Workers(workers=2, shard_bytes=60_000) as client:
        yield client


def ecb_file(tmp_path: Path, count: int, extra: list[str] = ()) -> str:
    with open(ECBPLUS, encoding="utf-8") as handle:
        lines = [line for line, _ in zip(handle, range(count))]
    path = tmp_path / "ecb.jsonl"
    path.write_text("".join(lines[:count // 2] + list(extra) + lines[count // 2:]), encoding="utf-8")
    return str(path)


def comparable(item: Document | Skipped):
    """An ingest item without the time it was read."""
    return (item.id, item.origin, item.media_type, item.text, item.metadata) if isinstance(item, Document) else item


def test_json_lines_stream_past_the_size_limit_and_ranges_read_what_the_whole_file_reads(tmp_path):
    too_long = json.dumps({"title": "long", "text": "word " * 40_000}) + "\n"
    path = ecb_file(tmp_path, 60, ["not json\n", "\n", too_long, '{"title": "no text"}\n'])
    config = ingest.IngestConfig(max_bytes=100_000)  # the file is over 300 kB: read line by line
    assert Path(path).stat().st_size > 3 * config.max_bytes
    whole = list(ingest.read_inputs([path], config))
    skips = [item for item in whole if isinstance(item, Skipped)]
    assert [(s.input.rsplit("#", 1)[1], s.reason) for s in skips] == [
        ("31", SkipReason.MALFORMED_JSON), ("33", SkipReason.TOO_LARGE), ("34", SkipReason.NO_BODY)]
    assert sum(isinstance(item, Document) for item in whole) == 60
    assert [item.origin.item for item in whole if isinstance(item, Document)][30] == "35"
    shards = list(plan_shards([path, *SEED_FILES], config, shard_bytes=50_000))
    ranges = [shard for shard in shards if shard.path]
    assert len(ranges) >= 5 and ranges[0].first_line == 1 and ranges[1].first_line > 1
    assert sum(shard.length for shard in ranges) == Path(path).stat().st_size
    assert shards[-1].inputs == tuple(SEED_FILES)  # small files grouped in one shard
    read = [comparable(item) for shard in shards for item in read_shard(shard, config)]
    assert read == [comparable(item) for item in ingest.read_inputs([path, *SEED_FILES], config)]


def test_workers_start_with_their_malloc_settings_and_import_only_the_stages_they_run(tmp_path, workers):
    # Dask's own MALLOC_TRIM_THRESHOLD_=65536 made every array of a spaCy batch a fresh mmap (docs/bench.md).
    expected = {name: str(value) for name, value in WORKER_MALLOC.items()}
    seen = workers.client.run(lambda: {name: os.environ.get(name) for name in expected})
    assert len(seen) == 2 and all(environ == expected for environ in seen.values())
    # Dask's periodic checks, slowed (their CPU, docs/bench.md): the workers run with the cluster's settings.
    ticks = workers.client.run(lambda: __import__("dask").config.get("distributed.admin.tick.interval"))
    assert set(ticks.values()) == {LOCAL_CLUSTER_CONFIG["distributed.admin.tick.interval"]}
    with Store(tmp_path / "store.db") as store:
        assert len(pipeline.add(store, [ecb_file(tmp_path, 30)], workers=workers).added) > 20
    # A shard's task ships the configurations of its stages: no worker imported the briefs' pipeline for it.
    assert not any(workers.client.run(lambda: "storyline.pipeline" in sys.modules).values())


def test_workers_are_forked_with_their_models_loaded_and_their_fork_server_stops_with_the_cluster(tmp_path):
    # A spawned worker imported its stages and loaded spaCy's and py3langid's models again, for ~2 s of CPU and
    # its own copy of the models (docs/bench.md); forked from a server that loaded them, it starts with them.
    # In a process of its own, as a command runs one cluster (this module's other cluster shares the server).
    code = """
import json, os, psutil
from storyline import parallel

def state():
    from storyline import clean, nlp
    return os.getppid(), nlp.model.cache_info().currsize, clean._language_identifier.cache_info().currsize

def briefs_state():
    import sys
    from storyline import claims, gazetteer, nlp
    return (os.getppid(), "storyline.pipeline" in sys.modules, nlp.load.cache_info().currsize,
            claims.quantity_parser.cache_info().currsize, gazetteer._zones.cache_info().currsize)

if __name__ == "__main__":
    from multiprocessing import forkserver
    from storyline import worker_nanny

    before = dict(os.environ)
    worker_nanny.start_fork_server(worker_nanny.ADD_STAGES)  # as `storyline add --workers N` does, first
    early = {"pid": forkserver._forkserver._forkserver_pid, "dask": "distributed" in __import__("sys").modules,
             "environ unchanged": dict(os.environ) == before}
    with parallel.Workers(workers=2) as client:
        seen = list(client.client.run(state).values())
        found = {"pipeline": list(client.client.run(lambda: "storyline.pipeline" in __import__("sys").modules).values())}
        server = psutil.Process(seen[0][0])
        found |= {"seen": seen, "server": server.pid, "server parent": server.ppid(), "me": os.getpid(), "early": early,
                  "command": " ".join(server.cmdline()), "environ": server.environ()}
    found["server after"] = psutil.pid_exists(found["server"])
    with parallel.Workers(workers=1, briefs=True) as client:  # `run`, `brief --all`: a new server, every stage
        found["briefs"] = list(client.client.run(briefs_state).values())
        found["briefs server parent"] = psutil.Process(found["briefs"][0][0]).ppid()
    print(json.dumps(found))
"""
    script = tmp_path / "forked.py"
    script.write_text(code, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.splitlines()[-1])
    assert len(found["seen"]) == 2 and {tuple(loaded) for _, *loaded in found["seen"]} == {(1, 1)}
    assert {parent for parent, *_ in found["seen"]} == {found["server"]}
    assert found["server parent"] == found["me"] and "forkserver" in found["command"]
    # The server started with the workers' malloc settings (glibc reads them once, at a process's start) and one
    # BLAS thread; before this process imported Dask (it loads the models meanwhile), its own environment unchanged.
    assert all(found["environ"].get(name) == str(value) for name, value in WORKER_MALLOC.items())
    assert found["environ"].get("OMP_NUM_THREADS") == "1"
    assert found["early"] == {"pid": found["server"], "dask": False, "environ unchanged": True}
    assert not found["server after"]  # stopped and waited for (its CPU counted in the command's children)
    assert found["pipeline"] == [False, False]  # `add`'s workers: its stages only
    # A cluster that briefs (`run`, `brief --all`): its workers start with the pipeline of the briefs imported and
    # what a first brief loads loaded (the full spaCy pipeline, quantulum3's parser, the gazetteer's time zones),
    # where each loaded it on its first story (docs/bench.md: 730 MB a worker).
    (parent, *loaded), = found["briefs"]
    assert parent != found["server"] and found["briefs server parent"] == found["me"]
    assert loaded == [True, 1, 1, 1]


def test_workers_started_by_hand_as_the_docs_say_start_loaded_and_give_the_stories_of_one_process(tmp_path):
    # docs/scale-out.md's `dask worker` command, on loopback: its nanny preload forks the workers from a server that
    # loaded every stage (where each worker loaded its own on its first task), with the malloc settings.
    documented = next(line for line in (Path(__file__).parents[1] / "docs" / "scale-out.md").read_text(
        encoding="utf-8").splitlines() if line.startswith("dask worker tcp://"))
    arguments = shlex.split(documented)[3:]
    assert arguments[-2:] == ["--preload-nanny", "storyline.worker_nanny"]
    dask, address_file = [sys.executable, "-m", "dask"], tmp_path / "scheduler.json"
    started = [subprocess.Popen([*dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                 "--scheduler-file", str(address_file)], stderr=subprocess.DEVNULL)]
    try:
        deadline = time.time() + 120
        while not address_file.exists() and time.time() < deadline:
            time.sleep(0.1)
        address = json.loads(address_file.read_text())["address"]
        started.append(subprocess.Popen([*dask, "worker", address, *arguments, "--host", "127.0.0.1", "--no-dashboard"],
                                        stderr=subprocess.DEVNULL))
        from distributed import Client

        def state():
            from storyline import clean, gazetteer, nlp
            return (os.getppid(), "storyline.pipeline" in sys.modules, nlp.model.cache_info().currsize,
                    clean._language_identifier.cache_info().currsize, gazetteer._zones.cache_info().currsize,
                    {name: os.environ.get(name) for name in WORKER_MALLOC})

        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=240)
            seen = list(client.run(state).values())
        server = psutil.Process(seen[0][0])
        assert {parent for parent, *_ in seen} == {server.pid} and server.ppid() == started[1].pid
        assert "forkserver" in " ".join(server.cmdline())
        malloc = {name: str(value) for name, value in WORKER_MALLOC.items()}
        assert all(loaded == [True, 1, 1, 1, malloc] for _, *loaded in seen)
        assert all(server.environ().get(name) == value for name, value in malloc.items())  # glibc reads them at start
        inputs = [ecb_file(tmp_path, 40), *SEED_FILES]
        runner = CliRunner()
        added = runner.invoke(main, ["add", *inputs, "--db", str(tmp_path / "many.db"), "--scheduler", address],
                              catch_exceptions=False)
        assert added.exit_code == 0 and "added 45 articles" in added.stderr, added.output
        briefed = runner.invoke(main, ["brief", "--all", "--db", str(tmp_path / "many.db"), "--scheduler", address],
                                catch_exceptions=False)
        assert briefed.exit_code == 0, briefed.output
        with Store(tmp_path / "one.db") as one, Store(tmp_path / "many.db") as many:
            pipeline.add(one, inputs)
            stories = {s.id: s.articles for s in one.stories()}
            assert {s.id: s.articles for s in many.stories()} == stories and len(stories) >= 3
            assert len(briefed.stdout.splitlines()) == len(stories)
            first = min(stories)
            alone = pipeline.brief_story(one, one.get_story(first)).brief
            assert contract.brief_json(pipeline.current_brief(many, many.get_story(first))) == contract.brief_json(alone)
    finally:
        for process in reversed(started):
            process.terminate()
            process.wait(timeout=60)


def test_add_and_briefs_on_dask_workers_equal_one_process(tmp_path, workers):
    inputs = [ecb_file(tmp_path, 70), *SEED_FILES, str(tmp_path / "missing.txt")]
    with Store(tmp_path / "one.db") as one, Store(tmp_path / "many.db") as many:
        alone = pipeline.add(one, inputs)
        spread = pipeline.add(many, inputs, workers=workers)
        assert sorted(spread.added) == sorted(alone.added) and len(alone.added) == 75
        assert [s.input for s in spread.skipped] == [s.input for s in alone.skipped] == [inputs[-1]]
        assert sorted(spread.duplicates) == sorted(alone.duplicates)
        stories = {s.id: s.articles for s in one.stories()}
        # Six events (ECB+ stories 1-ecb, 1-ecbplus, 10-ecb, 10-ecbplus, 11-ecb, and the seed's): a story each at least.
        assert {s.id: s.articles for s in many.stories()} == stories and len(stories) >= 6
        assert [many.story_history(s) for s in stories] == [one.story_history(s) for s in stories]
        assert {"workers", "clean (workers)", "ingest (workers)", "fingerprints (workers)", "cluster",
                "features (workers)", "features wait"} <= set(spread.seconds)
        # The placement features: extracted here in one process (part of "cluster"), on the workers otherwise,
        # this process waiting for them within "cluster".
        assert 0 < alone.seconds["features"] < alone.seconds["cluster"] and "features" not in spread.seconds
        assert spread.seconds["features (workers)"] > 0 and spread.seconds["features wait"] < spread.seconds["cluster"]
        briefed = pipeline.brief_stories(many, workers=workers)
        assert [r.story for r in briefed] == sorted(stories)
        for report in briefed[:4]:
            alone_brief = pipeline.brief_story(one, one.get_story(report.story)).brief
            assert contract.brief_json(report.brief) == contract.brief_json(alone_brief)
            assert many.latest_brief(report.story)["version"] == 1
        assert pipeline.brief_stories(many, workers=workers) == []  # every brief current now
        # A worker forgets the parses of a story once it is briefed (the next story is another: they were its memory).
        assert set(workers.client.run(lambda: len(__import__("storyline.nlp").nlp._PARSED)).values()) == {0}


def test_cli_add_and_brief_all_on_a_scheduler_into_postgres(tmp_path, workers, postgres_url):
    scheduler = workers.client.scheduler.address
    runner = CliRunner(env={"STORYLINE_DB": postgres_url})
    added = runner.invoke(main, ["add", *SEED_FILES, "--scheduler", scheduler, "--timings"], catch_exceptions=False)
    assert added.exit_code == 0, added.output
    assert f"dask: {scheduler}; dashboard:" in added.stderr
    assert "seconds: workers " in added.stderr and "clean (workers)" in added.stderr
    assert "added 5 articles" in added.stderr
    briefed = runner.invoke(main, ["brief", "--all", "--scheduler", scheduler], catch_exceptions=False)
    assert briefed.exit_code == 0, briefed.output
    lines = briefed.stdout.splitlines()
    assert len(lines) == 1 and lines[0].endswith("version 1  changed")
    again = runner.invoke(main, ["brief", "--all", "--scheduler", scheduler], catch_exceptions=False)
    assert again.exit_code == 0 and again.stdout == ""
    both = runner.invoke(main, ["add", SEED_FILES[0], "--workers", "2", "--scheduler", scheduler])
    assert both.exit_code == 2 and "not both" in both.stderr
    assert runner.invoke(main, ["brief"]).exit_code == 2


def test_cli_add_on_workers_runs_no_spacy_in_its_own_process(tmp_path, workers):
    # The driver stores and places; the NLP is the workers': spaCy (some 80 MB), scikit-learn and the HTML reader
    # stay out of it.
    code = ("import sys\nfrom storyline.cli import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit as exit:\n    assert not exit.code, exit.code\n"
            "print(sorted(m for m in ('spacy', 'sklearn', 'trafilatura', 'storyline.pipeline') if m in sys.modules))")
    db = tmp_path / "s.db"
    done = subprocess.run([sys.executable, "-c", code, "add", ecb_file(tmp_path, 40), "--db", str(db), "-q",
                           "--scheduler", workers.client.scheduler.address], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "['storyline.pipeline']"
    with Store(db) as store:
        assert store.article_count() == 40 and store.unclustered_articles() == []


def test_cli_run_on_workers_stops_them_before_it_checks_the_briefs(tmp_path):
    # Checking each brief loads spaCy's full pipeline in the command's own process (`verify`); with the idle workers
    # still alive beside it, that was the peak of `run --workers 2` (1,186 MB PSS at 772 documents, docs/bench.md).
    # When spaCy is first imported here, no worker (nor their fork server) is left.
    code = ("import json, sys\nimport psutil\nseen = []\n"
            "def hook(event, args):\n"
            "    if event == 'import' and args[0] == 'spacy' and not seen:\n"
            "        seen.append([' '.join(c.cmdline()) for c in psutil.Process().children(recursive=True)])\n"
            "sys.addaudithook(hook)\nfrom storyline.cli import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit as exit:\n    assert not exit.code, exit.code\n"
            "print(json.dumps(seen))")
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-c", code, "run", *SEED_FILES, "--out", str(out), "--db",
                           str(tmp_path / "s.db"), "-q", "--workers", "1"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    (children,) = json.loads(done.stdout.splitlines()[-1])
    assert not any("forkserver" in command for command in children), children
    stories = json.loads((out / "stories.json").read_text(encoding="utf-8"))["stories"]
    assert stories and all((out / f"{story['id']}.json").exists() for story in stories)


def test_cli_add_on_workers_stops_at_ctrl_c_with_the_store_whole_and_a_rerun_finishes(tmp_path):
    # Ctrl-C at a terminal sends SIGINT to the whole process group: the command and its Dask workers.
    inputs, db = ecb_file(tmp_path, 160), tmp_path / "s.db"
    command = [sys.executable, "-m", "storyline", "add", inputs, "--db", str(db), "--workers", "2"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        deadline, stored = time.time() + 300, 0
        while time.time() < deadline and process.poll() is None and not stored:
            time.sleep(0.05)
            if db.exists():  # read as it is (a Store would apply the migrations the add may be applying)
                try:
                    with sqlite3.connect(db, timeout=1) as conn:
                        stored = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
                except sqlite3.Error:
                    stored = 0
        # The command is held where it is (SIGSTOP) from its first stored batch until the signal: the rest of the
        # add (the other batches, then the spaCy pass and placement of every article) takes seconds, but a run
        # that went on while this test looked at the process tree could finish before the SIGINT on a fast
        # machine, or while this test waited for a core on a loaded one.
        os.kill(process.pid, signal.SIGSTOP)
        assert process.poll() is None, "the add finished before it could be interrupted; use more input"
        # The workers are forked by multiprocessing's fork server, a child of the command (its resource
        # tracker is another).
        tree = psutil.Process(process.pid).children(recursive=True)
        server = [child for child in tree if child.ppid() == process.pid and "forkserver" in " ".join(child.cmdline())]
        assert len(server) == 1
        workers = [child for child in tree if child.ppid() == server[0].pid]
        assert len(workers) == 2
        # Ctrl-C: the signal is pending in the held command, which takes it the moment it runs again.
        os.killpg(process.pid, signal.SIGINT)
        os.kill(process.pid, signal.SIGCONT)
        interrupted = time.monotonic()
        _, stderr = process.communicate(timeout=60)
        stopped = time.monotonic() - interrupted
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    # Stopped promptly (a graceful close waited 4 s for each busy worker), saying so in one line, workers gone.
    assert process.returncode == 130 and stopped < 15, (process.returncode, stopped, stderr)
    assert "interrupted: what was stored is kept" in stderr
    assert "Traceback" not in stderr and "WARNING" not in stderr, stderr
    assert not psutil.wait_procs(workers + server, timeout=1)[1]  # the workers and their server stopped with the command
    with Store(db) as store:
        assert store.integrity_ok()
        partial = store.article_count()
        assert 0 < partial < 160
        assert all(article.sentences for article in store.iter_articles())
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{partial} already stored, 0 inputs skipped" in rerun.stderr
    with Store(db) as store:
        assert store.integrity_ok()
        assert store.article_count() == 160  # every document of these has a body
        assert store.unclustered_articles() == []
