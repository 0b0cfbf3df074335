"""PLACEHOLDER (replaced at merge by the publication-date inference): infers nothing.

Reads sentence texts and a stated date; writes a `Published`. Deterministic.
"""

from __future__ import annotations

from collections.abc import Sequence

from storyline.records import Published


def infer_published(sentences: Sequence[str], stated: Published | None = None) -> Published:
    """Return the stated date, or an unknown date (placeholder: no inference)."""
    return stated if stated is not None else Published()
