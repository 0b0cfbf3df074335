"""Where two Dask workers' extra CPU goes: each stage's CPU in a worker against one process, on the same articles.

`storyline add` of ECB+ dev documents into a fresh SQLite store, in a subprocess each: once in one process,
then with `--workers N` (a local Dask cluster) for each N given. In every process that does the work, the
stages are timed by the CPU time of the thread that runs them (`time.thread_time`, which waiting for a core
does not add to), nested: ingest, clean (its language id, its spaCy calls, the loading of each model),
fingerprints, the placement features (their spaCy calls) and placement. Beside them, the CPU of each
process by thread (psutil): a worker's task thread against its event loop (Dask, the pickling of results),
the CPU a worker had spent before its first task (its start), the driver's threads (the scheduler and the
nannies run in its event loop). The timers wrap the functions of the stages (no change to storyline's code);
what they add is a few microseconds a call.

Usage: PYTHONPATH=. python bench/worker_split.py [--documents 772] [--workers 1 2] [--repeat 1]
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Sequence

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.datasets import ECBPLUS, require  # noqa: E402

TIMES: dict[str, list[float]] = {}  # "stage>inner stage" -> [thread CPU seconds, calls], inclusive
_LOCAL = threading.local()


def _stack() -> list[str]:
    if not hasattr(_LOCAL, "stack"):
        _LOCAL.stack = []
    return _LOCAL.stack


def _enter(name: str) -> tuple[bool, float]:
    stack = _stack()
    if stack and stack[-1] == name:  # the same stage calling itself (read_shard -> read_inputs)
        return False, 0.0
    stack.append(name)
    return True, time.thread_time()


def _leave(entered: tuple[bool, float]) -> None:
    pushed, started = entered
    if not pushed:
        return
    stack = _stack()
    key = ">".join(stack)
    stack.pop()
    total = TIMES.setdefault(key, [0.0, 0])
    total[0] += time.thread_time() - started
    total[1] += 1


def timed(name: str, function, generator: bool = False):
    """`function` timed as the stage `name`; a generator function timed at each item it yields."""
    if generator:
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            entered = _enter(name)
            try:
                iterator = iter(function(*args, **kwargs))
            finally:
                _leave(entered)
            while True:
                entered = _enter(name)
                try:
                    item = next(iterator)
                except StopIteration:
                    return
                finally:
                    _leave(entered)
                yield item
    else:
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            entered = _enter(name)
            try:
                return function(*args, **kwargs)
            finally:
                _leave(entered)
    wrapper.__wrapped_stage__ = True
    return wrapper


def install() -> None:
    """Wrap the functions of each stage in this process (once)."""
    from storyline import clean, cluster, dedup, ingest, nlp, parallel

    if getattr(clean._clean_batch, "__wrapped_stage__", False):
        return
    ingest.read_inputs = timed("ingest", ingest.read_inputs, generator=True)
    parallel.read_shard = timed("ingest", parallel.read_shard, generator=True)
    clean._clean_batch = timed("clean", clean._clean_batch)
    clean._language = timed("language id", clean._language)
    clean._language_identifier = timed("py3langid load", clean._language_identifier)
    nlp.model = timed("spaCy load", nlp.model)
    pipe, call = nlp.Pipes.pipe, nlp.Pipes.__call__
    nlp.Pipes.pipe = timed("spaCy", pipe, generator=True)
    nlp.Pipes.__call__ = timed("spaCy", call)
    dedup.fingerprint = timed("fingerprints", dedup.fingerprint)
    cluster.extract_features = timed("features", cluster.extract_features)
    cluster.assign_articles = timed("placement", cluster.assign_articles)


def threads_cpu() -> dict[str, float]:
    """CPU seconds of each thread of this process, by its Python name (or native id)."""
    import psutil

    names = {thread.native_id: thread.name for thread in threading.enumerate()}
    found: dict[str, float] = {}
    for thread in psutil.Process().threads():
        name = names.get(thread.id, "other")
        found[name] = found.get(name, 0.0) + thread.user_time + thread.system_time
    return found


def process_cpu() -> float:
    times = os.times()
    return times.user + times.system


def page_faults() -> tuple[int, int]:
    """(minor, major) page faults of this process so far (/proc/self/stat)."""
    with open("/proc/self/stat") as handle:
        fields = handle.read().rpartition(")")[2].split()
    return int(fields[7]), int(fields[9])


def worker_state() -> dict:
    """What a worker reports: its process CPU, by thread, and the stage times of its tasks."""
    return {"pid": os.getpid(), "cpu": process_cpu(), "threads": threads_cpu(), "times": TIMES,
            "faults": page_faults()}


def child(mode: str, workers: int, inputs: str, db: str) -> dict:
    """One `add` in this process (mode 'one') or with a local cluster of `workers`; its figures."""
    imported = process_cpu()
    from storyline import pipeline
    from storyline.store import Store

    install()
    result: dict = {"python start": imported}
    with Store(db) as store:
        if mode == "one":
            result["imports"] = process_cpu() - imported
            started = time.perf_counter()
            report = pipeline.add(store, [inputs])
        else:
            from storyline.parallel import Workers

            before = process_cpu()
            with Workers(workers=workers) as client:
                result["cluster start (driver)"] = process_cpu() - before
                ready = client.client.run(worker_state)
                client.client.run(install)
                started = time.perf_counter()
                report = pipeline.add(store, [inputs], workers=client)
                result["wall"] = time.perf_counter() - started
                done = client.client.run(worker_state)
            result["workers"] = [{"ready cpu": ready[address]["cpu"], "ready threads": ready[address]["threads"],
                                  "cpu": done[address]["cpu"], "threads": done[address]["threads"],
                                  "times": done[address]["times"], "faults": done[address]["faults"],
                                  "ready faults": ready[address]["faults"]} for address in sorted(done)]
        result.setdefault("wall", time.perf_counter() - started)
        result["articles"] = store.article_count()
        result["stories"] = sorted(sorted(story.articles) for story in store.stories())
    result["added"] = len(report.added)
    result["cpu"] = process_cpu()
    times = os.times()
    result["reaped"] = times.children_user + times.children_system  # descendants waited for (the workers)
    result["threads"] = threads_cpu()
    result["faults"] = page_faults()
    result["times"] = TIMES
    return result


def exclusive(times: dict[str, list[float]]) -> dict[str, float]:
    """Each stage's own seconds: its inclusive time less that of the stages inside it."""
    own = {key: value[0] for key, value in times.items()}
    for key, value in times.items():
        parent = key.rpartition(">")[0]
        if parent:
            own[parent] = own.get(parent, 0.0) - value[0]
    return own


def run(mode: str, workers: int, inputs: Path, folder: Path) -> dict:
    db = folder / f"{mode}{workers}-{time.monotonic_ns()}.db"
    # This file imported as a module (not run as __main__), so that the workers find the timers by name; from
    # the checkout (cwd), whose storyline is timed.
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    load = os.getloadavg()[0]
    out = subprocess.run([sys.executable, "-c", "import sys, bench.worker_split as split; sys.exit(split.main())",
                          "--child", mode, str(workers), str(inputs), str(db)], env=env, capture_output=True,
                         text=True, cwd=ROOT)
    if out.returncode:
        raise SystemExit(f"{mode} {workers} failed:\n{out.stderr[-3000:]}")
    result = json.loads(out.stdout.splitlines()[-1])
    result["load"] = (load, os.getloadavg()[0])
    return result


def report(name: str, result: dict, per: float) -> None:
    """The stages of one run, ms an article: the driver's (or the one process's), then each worker's."""
    print(f"\n{name}: {result['added']} articles, wall {result['wall']:.1f} s, load "
          "{:.1f}-{:.1f}".format(*result["load"]))
    workers = result.get("workers", [])
    total = result["cpu"] + sum(w["cpu"] for w in workers)
    print(f"  process tree CPU {total * per:.1f} ms/article (this process and the workers as they report it; "
          f"this process and the descendants it waited for: {(result['cpu'] + result['reaped']) * per:.1f}); "
          f"this process {result['cpu'] * per:.1f} "
          f"(python start {result['python start'] * per:.1f}"
          + (f", imports {result['imports'] * per:.1f}" if "imports" in result else "")
          + (f", cluster start {result['cluster start (driver)'] * per:.1f}" if workers else "")
          + f"); page faults {result['faults'][0] * per / 1000:.0f}/article (major {result['faults'][1]})")
    print("  its threads: " + ", ".join(f"{k} {v * per:.1f}" for k, v in sorted(result["threads"].items(),
                                                                                 key=lambda kv: -kv[1])))
    table(result["times"], per, "  ")
    for n, worker in enumerate(workers, 1):
        tasks = sum(v[0] for k, v in worker["times"].items() if ">" not in k)
        print(f"  worker {n}: {worker['cpu'] * per:.1f} ms/article; before its first task {worker['ready cpu'] * per:.1f}; "
              f"timed stages {tasks * per:.1f}; page faults {(worker['faults'][0] - worker['ready faults'][0]) * per / 1000:.0f}"
              f"/article after its start; threads: "
              + ", ".join(f"{k} {v * per:.1f}" for k, v in sorted(worker["threads"].items(), key=lambda kv: -kv[1])))
        table(worker["times"], per, "    ")


def table(times: dict[str, list[float]], per: float, indent: str) -> None:
    own = exclusive(times)
    for key in sorted(times):
        depth = key.count(">")
        print(f"{indent}{'  ' * depth}{key.rpartition('>')[2]:<{28 - 2 * depth}} {times[key][0] * per:>7.2f} "
              f"(own {own[key] * per:>6.2f}) ms/article, {int(times[key][1])} calls")


def summed(results: Sequence[dict]) -> dict[str, float]:
    """Inclusive seconds per stage key, summed over a run's working processes."""
    found: dict[str, float] = {}
    for result in results:
        for key, (seconds, _) in result.items():
            found[key] = found.get(key, 0.0) + seconds
    return found


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "--child":
        mode, workers, inputs, db = argv[1:5]
        print(json.dumps(child(mode, int(workers), inputs, db)))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=772)
    parser.add_argument("--workers", type=int, nargs="*", default=[2])
    parser.add_argument("--repeat", type=int, default=1, help="runs of each, alternately")
    args = parser.parse_args(argv)
    require(ECBPLUS)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        inputs = folder / "ecb.jsonl"
        inputs.write_text("".join(ECBPLUS.read_text(encoding="utf-8").splitlines(keepends=True)[:args.documents]),
                          encoding="utf-8")
        print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        runs: list[tuple[str, dict]] = []
        for _ in range(args.repeat):
            one = run("one", 0, inputs, folder)
            runs.append(("one process", one))
            for count in args.workers:
                runs.append((f"--workers {count}", run("dask", count, inputs, folder)))
        base = runs[0][1]
        for name, result in runs:
            same = "same stories" if result["stories"] == base["stories"] else "OTHER STORIES"
            report(f"{name} ({same})", result, 1000 / max(result["added"], 1))
        print("\nstage CPU ms/article, inclusive, summed over the processes that run it:")
        columns = [(name, summed([r["times"], *[w["times"] for w in r.get("workers", [])]]),
                    1000 / max(r["added"], 1)) for name, r in runs]
        keys = sorted({key for _, found, _ in columns for key in found})
        print(f"{'stage':<40}" + "".join(f"{name:>16}" for name, _, _ in columns))
        for key in keys:
            print(f"{key:<40}" + "".join(f"{found.get(key, 0.0) * per:>16.2f}" for _, found, per in columns))
        print(f"load average after: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
