"""The knobs of the entities stage."""

from __future__ import annotations

from dataclasses import dataclass

from storyline.entities.vocabulary import NAME_LABELS


@dataclass(frozen=True, slots=True)
class EntityConfig:
    """Knobs of the entities stage.

    min_variant_chars: shorter words are never spelling variants of each other
      (Iran / Iraq).
    min_variant_ratio: rapidfuzz ratio two phonetically equal words need; 80
      keeps Putin / Pudin and Zelensky / Zelenskiy, drops Jan / Jen (bench/entities.py, 2026-11-23).
    min_swap_chars: a word this long may differ by one swapped letter
      (Lugansk / Luhansk) without a phonetic match.
    max_role_words: a longer apposition is a clause, not a role.
    batch_size: sentences per spaCy batch.
    """

    labels: frozenset[str] = NAME_LABELS
    min_variant_chars: int = 4
    min_variant_ratio: float = 80.0
    min_swap_chars: int = 6
    max_role_words: int = 8
    batch_size: int = 256
