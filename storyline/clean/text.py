"""PLACEHOLDER (replaced at merge by the plain-text cleaner): blank-line blocks as paragraphs.

Reads plain text; writes an `Extracted` whose paragraphs are the blank-line
separated blocks. Never skips; deterministic.
"""

from __future__ import annotations

import re

from storyline.clean.extracted import Extracted

_BLANK_LINES = re.compile(r"\n\s*\n")


def extract_plain_text(text: str, title: str | None = None) -> Extracted:
    """Return the blank-line separated blocks of `text` as paragraphs."""
    blocks = tuple(block.strip() for block in _BLANK_LINES.split(text) if block.strip())
    return Extracted(title=title or "", paragraphs=blocks)
