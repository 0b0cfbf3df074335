"""URLs as articles are known by: one canonical form per article page.

An article's URL identifies it across fetches: a page fetched again, or the same URL added again
from a file, is the same article (its text may have changed: a new version). Two spellings of one
page (tracking parameters, a fragment, the host's case) are one URL (courlan's normalisation).
"""

from __future__ import annotations

import re

import courlan

WEB = re.compile(r"^https?://[^\s/]+", re.IGNORECASE)


def canonical_url(url: str) -> str:
    """A URL as one article is known by: tracking parameters and fragment dropped, host lower case (courlan)."""
    try:
        return courlan.normalize_url(url.strip(), strict=True)
    except (ValueError, AttributeError):
        return url.strip()


def article_key(url: str | None) -> str | None:
    """The key that makes two articles versions of one: the canonical form of an http(s) URL; None for
    no URL or another scheme (a file path, `javascript:`), which identify no article page."""
    if not url or not WEB.match(url.strip()):
        return None
    return canonical_url(url)
