"""Ingest jobs of the server: an upload's inputs added to the store off the event loop, one job at a
time, with progress a client polls.

`POST /api/v1/articles` saves the upload and queues a job; one worker thread runs the jobs in
arrival order (the store has one writer at a time anyway), each job an `add` of its own inputs
only. A job is `queued`, `running`, then `done` (with what the add did) or `failed` (with the one
error shape). The server keeps the last `max_kept` finished jobs in memory; a restart forgets them.
"""

from __future__ import annotations

import queue
import secrets
import shutil
import threading
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from storyline.pipeline import Progress

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"


@dataclass(frozen=True, slots=True)
class Job:
    """One upload's ingest, as a client sees it."""

    id: str
    inputs: int
    created: str
    status: str = QUEUED
    progress: Progress = field(default_factory=lambda: Progress(0, 0, 0, ""))
    result: dict[str, Any] | None = None
    error: dict[str, str] | None = None

    def to_json(self) -> dict[str, Any]:
        """The job as the API answers it."""
        return {"id": self.id, "status": self.status, "inputs": self.inputs, "created": self.created,
                "progress": {"documents": self.progress.documents, "added": self.progress.added,
                             "skipped": self.progress.skipped, "last_input": self.progress.last_input},
                "result": self.result, "error": self.error}


# The work of a job: its inputs and a progress callback in, the result JSON out.
Work = Callable[[list[str], Callable[[Progress], None]], dict[str, Any]]


class JobQueue:
    """Jobs run one at a time by one worker thread; their state is kept for polling."""

    def __init__(self, max_queued: int = 8, max_kept: int = 200):
        self.max_queued, self.max_kept = max_queued, max_kept
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._queue: queue.Queue = queue.Queue()
        # A daemon thread: a server told to stop does not wait for a long add (each batch of an add is
        # one transaction, so one cut short loses nothing stored; the next add places what it left).
        self._worker = threading.Thread(target=self._work, name="storyline-ingest", daemon=True)
        self._worker.start()

    def waiting(self) -> int:
        """How many jobs are queued or running."""
        with self._lock:
            return sum(job.status in (QUEUED, RUNNING) for job in self._jobs.values())

    def get(self, job_id: str) -> Job | None:
        """A job by id."""
        with self._lock:
            return self._jobs.get(job_id)

    def submit(self, inputs: list[Path], workdir: Path, work: Work) -> Job | None:
        """Queue the ingest of `inputs`; the job removes `workdir` when it ends. None when the queue is full
        (the caller keeps `workdir` then)."""
        with self._lock:
            if sum(job.status in (QUEUED, RUNNING) for job in self._jobs.values()) >= self.max_queued:
                return None
            job = Job(secrets.token_hex(8), len(inputs), datetime.now(timezone.utc).isoformat(timespec="seconds"))
            self._jobs[job.id] = job
            self._forget_old()
        self._queue.put((job.id, [str(path) for path in inputs], workdir, work))
        return job

    def _update(self, job_id: str, **changes: Any) -> None:
        with self._lock:
            self._jobs[job_id] = replace(self._jobs[job_id], **changes)

    def _work(self) -> None:
        while (task := self._queue.get()) is not None:
            self._run(*task)

    def _run(self, job_id: str, inputs: list[str], workdir: Path, work: Work) -> None:
        self._update(job_id, status=RUNNING)
        try:
            result = work(inputs, lambda progress: self._update(job_id, progress=progress))
        except Exception as exc:  # a bug or the store: the job fails, the worker goes on with the next one
            message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
            self._update(job_id, status=FAILED, error={"code": getattr(exc, "code", "internal"), "message": message})
        else:
            self._update(job_id, status=DONE, result=result)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)

    def _forget_old(self) -> None:
        finished = [job_id for job_id, job in self._jobs.items() if job.status in (DONE, FAILED)]
        for job_id in finished[:max(0, len(finished) - self.max_kept)]:
            del self._jobs[job_id]

    def shutdown(self, timeout: float = 5.0) -> None:
        """Give the running job up to `timeout` seconds to finish; the queued ones are dropped."""
        while True:
            try:
                task = self._queue.get_nowait()
            except queue.Empty:
                break
            if task is not None:
                shutil.rmtree(task[2], ignore_errors=True)
        self._queue.put(None)
        self._worker.join(timeout)
