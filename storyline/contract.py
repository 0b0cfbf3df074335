"""The JSON shapes of the command-line and HTTP contract (DESIGN.md), versioned.

Each top-level object carries `"schema": "storyline/<thing>/v1"`. Field names
here are stable: scripts and tests rely on them, and the README documents them.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from storyline.records import Article, Skipped

ARTICLE_SCHEMA = "storyline/article/v1"
SKIP_SCHEMA = "storyline/skip/v1"


def article_json(article: Article, *, full: bool = True) -> dict[str, Any]:
    """One article as the contract's JSON object (`full=False` leaves out sentences and removed blocks)."""
    data: dict[str, Any] = {
        "schema": ARTICLE_SCHEMA,
        "id": article.id,
        "origin": asdict(article.origin),
        "outlet": {"name": article.outlet.name, "domain": article.outlet.domain, "how": article.outlet.how,
                   "evidence": article.outlet.evidence},
        "title": article.title,
        "authors": list(article.authors),
        "published": {"value": article.published.value, "inferred": article.published.inferred,
                      "evidence": article.published.evidence},
        "language": article.language,
        "duplicate_of": article.duplicate_of,
    }
    if full:
        data["sentences"] = [{"id": s.id, "text": s.text, "start": s.start, "end": s.end,
                              "paragraph": s.paragraph} for s in article.sentences]
        data["removed"] = [{"kind": r.kind, "text": r.text} for r in article.removed]
    else:
        data["sentence_count"] = len(article.sentences)
    return data


def skip_json(skip: Skipped) -> dict[str, Any]:
    """One skipped input as JSON."""
    return {"schema": SKIP_SCHEMA, "input": skip.input, "stage": skip.stage, "reason": skip.reason.value,
            "detail": skip.detail}
