"""Dask workers forked from a server that has loaded storyline's stages and models, as a Dask nanny preload.

A worker machine started by hand runs

    dask worker tcp://scheduler.example:8786 --nworkers 2 --nthreads 1 --preload-nanny storyline.worker_nanny

Dask runs this module's `dask_setup` in each nanny (the `dask worker` process) before the nanny starts its
worker process: the workers are then started through multiprocessing's fork server, which first imports
`storyline.worker_briefs` (every stage a worker may run, spaCy's full pipeline and the other models the
stages read), and so each worker starts with them loaded and shares their pages with the server and the other
workers of the machine (the models are only read). Without it, each worker imported and loaded them on its
first task, some 2 s of CPU for the stages of `add` and 3 more for a first brief, and its own copy. The worker
processes start with the malloc settings of `WORKER_MALLOC` (a variable the shell sets wins).

`storyline add --workers N` starts its local workers the same way (`storyline.parallel.Workers`). This
module imports no stage itself: the nanny process keeps no copy of what its workers load.
"""

from __future__ import annotations

from typing import Any

# The malloc settings of the worker processes, set before each is started (Dask's
# `distributed.nanny.pre-spawn-environ`; glibc reads them once, at start). Dask's own default there,
# MALLOC_TRIM_THRESHOLD_=65536, also fixes glibc's mmap threshold at its starting 128 kB (setting any of
# these turns off its adjustment to what a process frees): every array spaCy allocates and frees per batch
# (several MB) was then a fresh mmap whose pages fault in again, 6.7 times the page faults of one process
# and some 12 % more CPU for the same articles (docs/bench.md, "Scale out"). Arrays under 16 MiB come from
# the heap, and up to 32 MiB freed at its top is kept for the next batch.
WORKER_MALLOC = {"MALLOC_MMAP_THRESHOLD_": 16 * 2**20, "MALLOC_TRIM_THRESHOLD_": 32 * 2**20}
# The environment the local cluster's worker processes, and so their fork server, start in (Dask's
# `distributed.nanny.pre-spawn-environ`): the malloc settings above, and one thread for each BLAS (Dask's own
# default there).
LOCAL_ENVIRON = {**WORKER_MALLOC, "OMP_NUM_THREADS": 1, "MKL_NUM_THREADS": 1, "OPENBLAS_NUM_THREADS": 1}
# What the fork server imports for workers that run the stages of `add` only, and for workers that may brief
# too (a worker started by hand serves every command).
ADD_STAGES = "storyline.worker_start"
EVERY_STAGE = "storyline.worker_briefs"


def stages_module(briefs: bool) -> str:
    """What the fork server of a local cluster imports: every stage for one that `briefs`, else those of `add`."""
    return EVERY_STAGE if briefs else ADD_STAGES


def start_fork_server(module: str) -> None:
    """Start the local workers' fork server now, in the background, importing `module` (after `distributed`).

    It loads the stages and their models (2 to 3 s on one core) while this process imports Dask and starts
    the scheduler and the nannies on the other, where it was started by the first worker's nanny once those
    were done: the workers are ready that much sooner (docs/bench.md). It starts in `LOCAL_ENVIRON` (a
    variable this process has wins, as with Dask's nanny); this process's own environment is left as it was.
    Imports neither Dask nor any stage here. A server already running (another cluster of this process) is
    left as it is.
    """
    import multiprocessing
    import os
    from multiprocessing import forkserver

    multiprocessing.get_context("forkserver").set_forkserver_preload(["distributed", module])
    added = {name: str(value) for name, value in LOCAL_ENVIRON.items() if name not in os.environ}
    os.environ.update(added)
    try:
        forkserver.ensure_running()
    finally:
        for name in added:
            del os.environ[name]


def trim_heap() -> None:
    """Give the pages malloc holds free back to the system (glibc's `malloc_trim(0)`; nothing where the C library
    is another): in the fork server once it has loaded the models. What loading freed (the gazetteer's source
    tables, 36 MB) was still resident there, and the workers' first allocations wrote into it, copying those
    pages while the server kept its own. (In a worker after each story's brief it lowered no peak: not done.)"""
    import ctypes

    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def fork_server_preload(module: str) -> None:
    """Have the fork server this process starts import `module` (after `distributed`) before it forks a
    worker. Called before the first worker starts, with Dask's `distributed.worker.multiprocessing-method`
    set to `forkserver`: Dask's own preload list (every package it may use) is set first, then replaced.
    """
    import multiprocessing

    from distributed.utils import get_mp_context

    get_mp_context()  # Dask sets its preload list once, at its first forkserver context
    multiprocessing.get_context("forkserver").set_forkserver_preload(["distributed", module])


def dask_setup(nanny: Any) -> None:
    """`dask worker --preload-nanny storyline.worker_nanny`: this nanny's worker, and every other of this
    process, is forked from the fork server that has loaded every stage; each starts with `WORKER_MALLOC`."""
    import os

    import dask

    dask.config.set({"distributed.worker.multiprocessing-method": "forkserver"})
    fork_server_preload(EVERY_STAGE)
    # Read by the nanny at its start, from Dask's configuration unless the shell set them (then they stay): the
    # environment the worker process starts in (and so the fork server), and the one it sets in itself.
    malloc = {name: os.environ.get(name, str(value)) for name, value in WORKER_MALLOC.items()}
    nanny.pre_spawn_env.update(malloc)
    nanny.env.update(malloc)
