"""HTTP load on `storyline serve`: the brief endpoint beside a static file, and the story list, same run.

Builds a store with the real pipeline (add, cluster, brief) from the seed story and the first
`--per-story` documents of each ECB+ gold story in `tests/data` (49 stories; as text files: URL,
title and date lines, one sentence a line, as in `examples/articles`), so the list holds many
stories with briefs. Starts `storyline
serve` on loopback, and a second uvicorn serving the largest story's brief JSON as a static file
(Starlette's StaticFiles: the same server stack without our handler). With `--before REV`, a third
server runs the code of that git revision (`git archive`) over the same store, so the story list is
measured before and after a change in one run. Then, for each number of clients (`--clients`,
default 1 and 16), the clients send requests in a closed loop to each target for at most
`--requests` requests or `--seconds` seconds (with `--rounds N`, the targets in turn N times, each a
share of both: on a machine whose load changes, every target meets the same load), and the bench
prints requests per second, p50, p95 and p99 latency, errors, the ratios of ours to the static file
and of after to before, and the machine's load average.

Targets: the static brief, `/api/v1/stories/<id>/brief`, `/api/v1/stories` (100 stories, its
default) and the story list page `/` (up to 500 stories).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from io import BytesIO
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.datasets import SEEDS  # noqa: E402
from storyline import pipeline  # noqa: E402
from storyline.store import Store  # noqa: E402

ECBPLUS_TESTS = ROOT / "tests" / "data" / "ecbplus" / "ecbplus-tests.jsonl"

STATIC_SERVER = """
import sys, uvicorn
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
app = Starlette(routes=[Mount("/", StaticFiles(directory=sys.argv[1]))])
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build_store(db: Path, folder: Path, per_story: int) -> str:
    """The seeds and the first `per_story` ECB+ texts of each gold story through the real pipeline;
    returns the id of the largest story."""
    texts = folder / "articles"
    texts.mkdir()
    taken: Counter[str] = Counter()
    with ECBPLUS_TESTS.open(encoding="utf-8") as lines:
        for record in map(json.loads, lines):
            taken[record["story"]] += 1
            if taken[record["story"]] <= per_story:
                (texts / f"{record['id']}.txt").write_text(record["text"] + "\n", encoding="utf-8")
    with Store(db) as store:
        pipeline.add(store, [str(p) for p in sorted(SEEDS.glob("*.txt"))] + [str(texts)])
        pipeline.brief_stories(store)
        stories = sorted(store.stories(), key=lambda s: -len(s.articles))
    if not stories:
        sys.exit("bench/serve.py: the pipeline made no story")
    return stories[0].id


def code_at(revision: str, folder: Path) -> Path:
    """The `storyline` package of a git revision, unpacked in `folder`."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", revision, "storyline"],
                             capture_output=True, check=False)
    if archive.returncode != 0:
        sys.exit(f"bench/serve.py: cannot read revision {revision}: {archive.stderr.decode().strip()}")
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def start(command: list[str], health: str, cwd: Path | None = None) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(cwd)) if cwd else None
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd, env=env)
    deadline = time.time() + 300
    while time.time() < deadline:
        try:
            answer = httpx.get(health, timeout=1)
            # A storyline server loads what briefs need in the background at start (`warm`): measured after.
            if answer.status_code == 200 and (not health.endswith("/healthz") or answer.json()["data"].get("warm", True)):
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    sys.exit(f"bench/serve.py: server did not start: {process.stderr.read().decode()[-400:]}")


async def load(url: str, clients: int, requests: int, seconds: float) -> tuple[list[float], int, float]:
    """C clients in a closed loop until `requests` are sent or `seconds` pass: the latencies, the errors and
    the seconds taken."""
    latencies: list[float] = []
    errors = 0
    sent = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async with httpx.AsyncClient(limits=limits, timeout=60) as client:
        async def worker() -> None:
            nonlocal sent, errors
            while sent < requests and time.perf_counter() < deadline:
                sent += 1
                began = time.perf_counter()
                try:
                    response = await client.get(url)
                    ok = response.status_code == 200 and len(response.content) > 0
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - began)
                errors += not ok

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.perf_counter() - began
    return latencies, errors, elapsed


def summary(runs: list[tuple[list[float], int, float]]) -> dict[str, float]:
    """Requests per second, latency percentiles and errors of a target over its runs (its rounds)."""
    latencies = sorted(latency for run in runs for latency in run[0])
    elapsed = sum(run[2] for run in runs)

    def percentile(p: float) -> float:
        return round(1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))], 2)

    return {"requests": len(latencies), "errors": sum(run[1] for run in runs), "seconds": round(elapsed, 2),
            "rps": round(len(latencies) / elapsed, 1), "p50_ms": round(1000 * statistics.median(latencies), 2),
            "p95_ms": percentile(0.95), "p99_ms": percentile(0.99)}


def ratio(ours: dict[str, float], baseline: dict[str, float]) -> dict[str, float]:
    return {"rps": round(ours["rps"] / baseline["rps"], 2), "p50": round(ours["p50_ms"] / baseline["p50_ms"], 2),
            "p95": round(ours["p95_ms"] / baseline["p95_ms"], 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="1,16", help="numbers of concurrent clients, comma-separated")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--per-story", type=int, default=3,
                        help="ECB+ documents of each gold story added to the seeds")
    parser.add_argument("--before", metavar="REV", help="also serve the code of this git revision (the story list "
                                                        "before a change), over the same store")
    parser.add_argument("--rounds", type=int, default=1,
                        help="measure the targets in turn this many times (each round a share of --requests and "
                             "--seconds), so that a machine's changing load weighs on every target alike")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    clients = [int(n) for n in args.clients.split(",")]

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        story = build_store(db, Path(tmp), args.per_story)
        with Store(db) as store:
            listed = len(store.stories())
            (Path(tmp) / "static").mkdir()
            (Path(tmp) / "static" / "brief.json").write_text(
                json.dumps({"data": store.latest_brief(story)}, ensure_ascii=False))
        ours_port, static_port, before_port = free_port(), free_port(), free_port()
        serve = [sys.executable, "-m", "storyline", "serve", "--db", str(db), "--port"]
        servers = [start([*serve, str(ours_port)], f"http://127.0.0.1:{ours_port}/healthz"),
                   start([sys.executable, "-c", STATIC_SERVER, str(Path(tmp) / "static"), str(static_port)],
                         f"http://127.0.0.1:{static_port}/brief.json")]
        ours, static, before = (f"http://127.0.0.1:{port}" for port in (ours_port, static_port, before_port))
        targets = {"static file (uvicorn + StaticFiles)": f"{static}/brief.json",
                   "storyline /api/v1/stories/<id>/brief": f"{ours}/api/v1/stories/{story}/brief",
                   "storyline /api/v1/stories": f"{ours}/api/v1/stories", "storyline / (story list page)": f"{ours}/"}
        if args.before:
            old = code_at(args.before, Path(tmp) / "before")
            servers.append(start([*serve, str(before_port)], f"{before}/healthz", cwd=old))
            targets |= {f"{args.before} /api/v1/stories": f"{before}/api/v1/stories",
                        f"{args.before} / (story list page)": f"{before}/"}
        results: dict[str, dict[str, dict[str, float]]] = {}
        loads = [os.getloadavg()[0]]
        try:
            for count in clients:
                runs: dict[str, list] = {name: [] for name in targets}
                for _ in range(args.rounds):
                    for name, url in targets.items():
                        runs[name].append(asyncio.run(load(url, count, max(1, args.requests // args.rounds),
                                                           args.seconds / args.rounds)))
                results[f"{count} clients"] = {name: summary(done) for name, done in runs.items()}
                loads.append(os.getloadavg()[0])
        finally:
            for process in servers:
                process.terminate()
                process.wait(timeout=10)
    for figures in results.values():
        names = list(figures)
        figures["ratio brief/static"] = ratio(figures[names[1]], figures[names[0]])
        if args.before:
            figures["ratio after/before, API list"] = ratio(figures[names[2]], figures[names[4]])
            figures["ratio after/before, list page"] = ratio(figures[names[3]], figures[names[5]])
    if args.json:
        print(json.dumps({"load_average": loads, **results}, indent=2))
        return
    print(f"bench/serve.py: {listed} stories (seeds + {args.per_story} ECB+ documents a story), at most "
          f"{args.requests} requests or {args.seconds:g} s per target in {args.rounds} round(s), one server process "
          f"each, loopback; load average (1 min) {' / '.join(f'{load:.1f}' for load in loads)} at the start and "
          "after each number of clients")
    for clients_count, figures in results.items():
        print(f"-- {clients_count}")
        for name, values in figures.items():
            print(f"{name:40s} " + "  ".join(f"{k}={v}" for k, v in values.items()))


if __name__ == "__main__":
    main()
