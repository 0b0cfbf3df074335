"""Atom feeds of story changes: one entry per brief version, with its digest and a link to it.

Reads: change JSONs (`storyline/change/v1`, newest first) and the server's base URL.
Writes: an Atom 1.0 document (feedgen), valid for feed readers: feedparser and atoma read it back.
Deterministic: the same changes give the same feed (its `updated` is the newest change's time).
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from feedgen.feed import FeedGenerator

MEDIA_TYPE = "application/atom+xml"
EPOCH = "1970-01-01T00:00:00+00:00"


def entry_id(change: Mapping[str, Any]) -> str:
    """The Atom id of one brief version: stable, so a reader shows each version once."""
    return f"urn:storyline:story:{change['story']}:version:{change['version']}"


def version_link(base_url: str, change: Mapping[str, Any]) -> str:
    """The brief page of a version, marking what is new since the version it is compared with."""
    link = f"{base_url}/stories/{change['story']}?version={change['version']}"
    return link + (f"&since={change['previous']}" if change.get("previous") else "")


def changes_feed(changes: Iterable[Mapping[str, Any]], base_url: str, feed_url: str, title: str) -> bytes:
    """An Atom feed of changes (newest first): each entry a brief version, its digest and a link to it."""
    base_url = base_url.rstrip("/")
    changes = list(changes)
    generator = FeedGenerator()
    generator.id(feed_url)
    generator.title(title)
    generator.author(name="storyline")
    generator.link(href=feed_url, rel="self", type=MEDIA_TYPE)
    generator.link(href=f"{base_url}/", rel="alternate", type="text/html")
    generator.generator("storyline")
    generator.updated(max((c.get("created") or EPOCH for c in changes), default=EPOCH))
    for change in changes:
        entry = generator.add_entry(order="append")
        entry.id(entry_id(change))
        entry.title(f"{change.get('label') or change['story']} (version {change['version']})")
        entry.updated(change.get("created") or EPOCH)
        entry.link(href=version_link(base_url, change), rel="alternate", type="text/html")
        entry.summary(change["digest"])
    return generator.atom_str(pretty=True)
