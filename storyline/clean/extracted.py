"""What a format-specific extractor (plain text, HTML) finds in one document."""

from __future__ import annotations

from dataclasses import dataclass

from storyline.records import Outlet, Published, Removed


@dataclass(frozen=True, slots=True)
class Extracted:
    """The body paragraphs of a document and the metadata found around them.

    published: a date the document states (a date line, HTML metadata); None
      when it states none, and the clean stage infers one from the URL and text.
    url: the article's URL as the document gives it (the URL line that opens
      a plain text, a page's canonical URL), "" when it gives none.
    """

    title: str
    paragraphs: tuple[str, ...]
    removed: tuple[Removed, ...] = ()
    authors: tuple[str, ...] = ()
    outlet: Outlet = Outlet()
    published: Published | None = None
    language: str | None = None
    url: str = ""
