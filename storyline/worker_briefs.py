"""What a Dask worker that briefs stories needs, loaded once: imported by the fork server its workers are forked from.

The local cluster of `storyline run --workers N` and `storyline brief --all --workers N`, and the workers of
`dask worker --preload-nanny storyline.worker_nanny`, fork their workers from a server that has imported this
module: the stages of `add` with their models (`storyline.worker_start`), then the pipeline of the briefs and
what a process's first brief loads on first use (`pipeline.warm_up`: spaCy's full pipeline, quantulum3's units,
the place gazetteer). A worker so starts with all of it loaded, its pages shared with the server and the other
workers (copy on write), where each worker imported and loaded it on its first story: some 3 s of CPU and
130 MB of its own (by RSS: what stays shared is the models' arrays; the pages of Python objects a worker
reads are copied as their reference counts change). `gc.freeze` again leaves what is loaded here out of the workers' garbage collections.
"""

from __future__ import annotations

import contextlib
import gc

from storyline import pipeline, worker_nanny, worker_start  # noqa: F401  (worker_start: the stages of add, their models)
from storyline.errors import EnvironmentProblem

# A missing model is left to the worker's first task, which says what to install (a failure here would
# stop the fork server, and the cluster would not start).
with contextlib.suppress(EnvironmentProblem):
    pipeline.warm_up()
worker_nanny.trim_heap()
gc.freeze()
