"""HTTP load on the brief endpoint of `storyline serve`, beside a static-file baseline, same run.

Builds a store from the seed story with the real pipeline (add, cluster, brief), starts
`storyline serve` on loopback, and a second uvicorn serving the same brief JSON as a static file
(Starlette's StaticFiles: the same server stack without our handler). Then C concurrent clients
send requests to each for at most N requests or T seconds, and the bench prints requests per
second, p50 and p99 latency, errors, and the ratio of ours to the static file.
Bounded: `--requests` (default 2000) and `--seconds` (default 20) per target.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.datasets import SEEDS  # noqa: E402
from storyline import pipeline  # noqa: E402
from storyline.store import Store  # noqa: E402


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


def build_store(db: Path) -> str:
    """The seed story through the real pipeline; returns the id of its largest story."""
    with Store(db) as store:
        pipeline.add(store, [str(p) for p in sorted(SEEDS.glob("*.txt"))])
        pipeline.brief_stories(store)
        stories = sorted(store.stories(), key=lambda s: -len(s.articles))
    if not stories:
        sys.exit("bench/serve.py: the pipeline made no story from the seeds")
    return stories[0].id


def start(command: list[str], health: str) -> subprocess.Popen:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if httpx.get(health, timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    sys.exit(f"bench/serve.py: server did not start: {process.stderr.read().decode()[-400:]}")


async def load(url: str, clients: int, requests: int, seconds: float) -> dict[str, float]:
    """C clients in a closed loop until `requests` are sent or `seconds` pass."""
    latencies: list[float] = []
    errors = 0
    sent = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
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
    latencies.sort()
    return {"requests": len(latencies), "errors": errors, "seconds": round(elapsed, 2),
            "rps": round(len(latencies) / elapsed, 1),
            "p50_ms": round(1000 * statistics.median(latencies), 2),
            "p99_ms": round(1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))], 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        story = build_store(db)
        static = Path(tmp) / "static"
        static.mkdir()
        with Store(db) as store:
            (static / "brief.json").write_text(json.dumps({"data": store.latest_brief(story)}, ensure_ascii=False))
        ours_port, static_port = free_port(), free_port()
        servers = [
            start([sys.executable, "-m", "storyline", "serve", "--db", str(db), "--port", str(ours_port)],
                  f"http://127.0.0.1:{ours_port}/healthz"),
            start([sys.executable, "-c", STATIC_SERVER, str(static), str(static_port)],
                  f"http://127.0.0.1:{static_port}/brief.json"),
        ]
        try:
            results = {
                "static file (uvicorn + StaticFiles)": asyncio.run(load(
                    f"http://127.0.0.1:{static_port}/brief.json", args.clients, args.requests, args.seconds)),
                "storyline /api/v1/stories/<id>/brief": asyncio.run(load(
                    f"http://127.0.0.1:{ours_port}/api/v1/stories/{story}/brief", args.clients, args.requests,
                    args.seconds)),
            }
        finally:
            for process in servers:
                process.terminate()
                process.wait(timeout=10)
    baseline, ours = results.values()
    results["ratio ours/static"] = {"rps": round(ours["rps"] / baseline["rps"], 2),
                                    "p50": round(ours["p50_ms"] / baseline["p50_ms"], 2),
                                    "p99": round(ours["p99_ms"] / baseline["p99_ms"], 2)}
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"bench/serve.py: {args.clients} concurrent clients, at most {args.requests} requests or "
          f"{args.seconds:g} s per target, one server process each, loopback")
    for name, figures in results.items():
        print(f"{name:40s} " + "  ".join(f"{k}={v}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
