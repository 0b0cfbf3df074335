"""What every local Dask worker needs, loaded once: imported by the fork server the workers are forked from.

`storyline add --workers N` starts its workers through multiprocessing's fork
server (`parallel.Workers`): a process started once, which imports this
module, then forks each worker. A worker so starts with the stages it runs
imported (`storyline.parallel`: ingest, clean, dedup, the placement features)
and their models loaded (spaCy's English pipeline, py3langid's), where a
spawned worker imported and loaded them all again: a second start's CPU per
worker, and a copy of the models in each. The models' arrays are only read,
so the pages that hold them stay shared between the workers (copy on write).
`gc.freeze` leaves what is loaded here out of the workers' garbage
collections, which would otherwise write to (and so copy) the pages of every
object they visit.
"""

from __future__ import annotations

import contextlib
import gc

from storyline import clean, nlp, parallel, worker_nanny  # noqa: F401  (parallel: the worker's tasks and their imports)
from storyline.errors import EnvironmentProblem

# A missing model is left to the worker's first task, which says what to install (a failure here would
# stop the fork server, and the cluster would not start).
with contextlib.suppress(EnvironmentProblem):
    nlp.model()
clean._language_identifier()
worker_nanny.trim_heap()
gc.freeze()
