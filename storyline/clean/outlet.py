"""Outlet of an article from the fields its container gave, before anything the text says.

Reads: a document's metadata (the fields ingest passed through from a JSON
object, a feed item or a WARC record) and the article's own URL. Writes: one
`records.Outlet`, or None when no field names the outlet. Deterministic; never
raises on odd field values (a number, a list, a malformed URL give nothing).

Order, most telling first:
1. A named outlet field (`outlet`, `source`, `site`, `publisher`, a feed
   item's `<source>` or the feed's title): its name, with the domain of the
   article's URL (else of the field's own link). A field that holds a domain
   or URL rather than a name ("bbc.co.uk") gives that domain.
2. The article's URL (a JSON `url` / `link`, a feed item's link, a WARC
   target URI): its domain, which is also the name shown.
3. The feed's own link (`<channel><link>`): its domain.
The page's own metadata (an HTML site name) and the text (a URL line, a
credit line, a byline) come after these; `choose` says how they combine.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from storyline.records import Outlet

# A value that is a host name or a URL rather than an outlet's name: no space,
# at least one dot between letters ("bbc.co.uk", "https://www.bbc.co.uk/news").
_DOMAIN_LIKE = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?(?:[\w-]+\.)+[a-z]{2,}(?::\d+)?(?:/\S*)?$", re.IGNORECASE)
_MAX_NAME = 200  # characters: a longer "name" is text put in the wrong field


def domain_of(url: Any) -> str:
    """The registered domain of a URL or host name ("news.bbc.co.uk" -> "bbc.co.uk"), or "" when there is none.

    courlan's (pinned) reading of the public-suffix list, so that one outlet
    gets one domain whichever of its hosts or fields named it (edition.cnn.com
    and www.cnn.com are cnn.com). A host under a suffix the list does not know
    keeps its host name without "www.".
    """
    if not isinstance(url, str) or not url.strip() or any(c.isspace() for c in url.strip()):
        return ""
    from courlan import extract_domain  # imported late: only outlet fields need it

    text = url.strip()
    if "://" not in text:
        text = "http://" + text.lstrip("/")
    try:
        domain = extract_domain(text) or (urlsplit(text).hostname or "")
    except ValueError:  # a malformed URL (bad IPv6 literal, bad port)
        return ""
    domain = domain.lower().removeprefix("www.")
    host = (urlsplit(text).hostname or "").lower().removeprefix("www.")
    if host != domain and host.endswith("." + domain) and _hosts_blogs(domain):
        return host  # one blog of many on a hosting platform: the blog is the outlet
    return domain if "." in domain else ""


# Blog platforms whose blogs are subdomains, where the public-suffix list does not carry them (it carries
# blogspot.com, not wordpress.com, and no longer blogspot's country domains).
BLOG_PLATFORMS = frozenset({"wordpress.com", "tumblr.com", "typepad.com", "livejournal.com", "weebly.com",
                            "substack.com", "blogger.com"})


def _hosts_blogs(domain: str) -> bool:
    """Whether a registered domain is a platform whose subdomains are its users' sites: a blog platform, or
    the same name under another suffix as a platform the public-suffix list carries under .com
    (blogspot.nl, blogspot.co.uk as blogspot.com)."""
    if domain in BLOG_PLATFORMS:
        return True
    name = domain.split(".", 1)[0]
    return name + ".com" != domain and name + ".com" in _com_platforms()


@functools.cache
def _com_platforms() -> frozenset[str]:
    """The private-section entries of the public-suffix list of the form "name.com" (tld's pinned copy,
    the one courlan reads)."""
    from importlib import resources

    try:
        text = (resources.files("tld") / "res" / "effective_tld_names.dat.txt").read_text(encoding="utf-8")
        private = text[text.index("===BEGIN PRIVATE DOMAINS==="):text.index("===END PRIVATE DOMAINS===")]
    except (OSError, ValueError, ModuleNotFoundError):
        return frozenset()
    entries = (line.strip() for line in private.splitlines())
    return frozenset(entry for entry in entries
                     if entry.endswith(".com") and entry.count(".") == 1 and not entry.startswith("//"))


def container_outlet(metadata: Mapping[str, Any], url: str = "", container: str = "json") -> Outlet | None:
    """The outlet the container's fields give, or None.

    Args:
        metadata: the document's metadata (`outlet`, `item_source`, `feed_link`,
            as ingest passes them through).
        url: the article's own URL (the container's field, else the origin's).
        container: "json", "jsonl", "feed", "warc": names the field in the evidence.
    """
    article_domain = domain_of(url)
    field = _field_name(container, _line(metadata.get("outlet_field")) or "outlet")
    name, own_link = _name_and_link(metadata.get("outlet"))
    item_name, item_link = _name_and_link(metadata.get("item_source"))
    if item_name or item_link:  # a feed item's <source>: the outlet it came from, over the feed's title
        name, own_link, field = item_name, item_link, "feed item source"
    elif container == "feed":
        field = "feed title"
    link_domain = domain_of(own_link)
    if name and _DOMAIN_LIKE.match(name):
        domain = domain_of(name)
        if domain:
            return Outlet(name=domain, domain=domain, how=_how(container), evidence=f"{field}: {name}")
    if name:
        domain = article_domain or link_domain
        return Outlet(name=name, domain=domain, how=_how(container), evidence=f"{field}: {name}")
    if article_domain:
        return Outlet(name=article_domain, domain=article_domain, how="url",
                      evidence=f"{_field_name(container, 'url')}: {url.strip()}")
    if link_domain:
        return Outlet(name=link_domain, domain=link_domain, how=_how(container),
                      evidence=f"{field} link: {own_link}")
    feed_link = metadata.get("feed_link")
    feed_domain = domain_of(feed_link)
    if feed_domain:
        return Outlet(name=feed_domain, domain=feed_domain, how="feed", evidence=f"feed link: {feed_link}")
    return None


def choose(container: Outlet | None, page: Outlet) -> Outlet:
    """The outlet to keep: a named container field, then the page's metadata, then a container link, then the text.

    `page` is what the extractor found: an HTML site name (how "metadata"),
    else a URL line, credit line or byline of the text.
    """
    if container is None:
        return page
    if container.how != "url" and container.name != container.domain:
        return container  # a named field: the outlet said who it is
    if page.how == "metadata" and page.name:
        # The page's own site name is more readable than a domain; keep the
        # container's domain when the page has none.
        return page if page.domain else Outlet(page.name, container.domain, page.how, page.evidence)
    return container


def _name_and_link(value: Any) -> tuple[str, str]:
    """The outlet name and link of an outlet field: a string, or {"name" / "title", "url" / "href" / "domain"}."""
    if isinstance(value, str):
        return _line(value), ""
    if isinstance(value, Mapping):
        name = next((_line(value.get(key)) for key in ("name", "title") if _line(value.get(key))), "")
        link = next((_line(value.get(key)) for key in ("url", "href", "link", "domain") if _line(value.get(key))), "")
        return name, link
    return "", ""


def _line(value: Any) -> str:
    """A field value as one trimmed line, or "" when it is no usable string."""
    if not isinstance(value, str):
        return ""
    line = " ".join(value.split())
    return line if len(line) <= _MAX_NAME else ""


def _how(container: str) -> str:
    """How an outlet field is known: "feed" from a feed, else "metadata"."""
    return "feed" if container == "feed" else "metadata"


def _field_name(container: str, field: str) -> str:
    """Say where a field came from: "json field url", "feed metadata outlet", "warc metadata url"."""
    return f"json field {field}" if container in ("json", "jsonl") else f"{container} metadata {field}"


__all__ = ["choose", "container_outlet", "domain_of"]
