"""Main text and metadata of one HTML page, by trafilatura.

Reads: the HTML source of a page (and its URL when known). Writes: an
`Extracted` record: body paragraphs, title, authors, outlet, the publication
date the page states in its markup (a date only its URL holds is left to the
clean stage to infer), the page's URL, and the language its `<html lang>` names.

Never raises on bad HTML: a page trafilatura cannot parse or finds no main
text in gives an `Extracted` with no paragraphs, and the clean stage turns it
into a `Skipped(NO_BODY)`. Deterministic for a given page, except that
htmldate ignores dates later than today.

What trafilatura drops (navigation, captions, comments, share prompts) is not
listed; a leading heading that repeats the title is cut and kept in `removed`
as a title-repeat. A page whose only text lies in its navigation, header,
footer or sidebar has no body (trafilatura falls back to that text); it is
kept in `removed` as navigation.

An HTML fragment (a feed item's content, no <html>/<body>) is all body: when
trafilatura finds too little in it, every block of it is a paragraph.
"""

from __future__ import annotations

import datetime
import logging
import re
from urllib.parse import urlsplit

import htmldate
import lxml.etree
import lxml.html
import trafilatura
from htmldate.extractors import extract_url_date
from htmldate.utils import Extractor
from lxml.html import HtmlElement

from storyline.clean.extracted import Extracted
from storyline.records import Outlet, Published, Removed

# trafilatura logs every page it finds no text in; that is data for us, not news.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)

# A whole page has an <html>, <head> or <body> tag (or a doctype); a fragment has none.
_PAGE_TAG = re.compile(r"<(?:!doctype|html|head|body)\b", re.IGNORECASE)
_BLOCKS = frozenset(
    "p div li ul ol dl dt dd h1 h2 h3 h4 h5 h6 blockquote pre table tr td th section article header footer figure "
    "figcaption aside".split()
)
# What lxml and trafilatura raise on input they cannot handle (a bad page is
# data, not a bug): parser errors, odd trees (None where an element was
# expected), trees nested deeper than Python's recursion limit.
_PARSE_ERRORS = (ValueError, TypeError, AttributeError, RecursionError, lxml.etree.LxmlError)
_CHROME_XPATH = "//nav|//header|//footer|//aside|//menu|//*[@role='navigation' or @role='banner' or @role='contentinfo']"
_NOT_TEXT = ("script", "style", "noscript", "template")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_WORDS = re.compile(r"\w+")


def extract_html(html: str, url: str = "") -> Extracted:
    """Return the main text and metadata of one HTML page; no paragraphs if it has none."""
    if _is_fragment(html):
        return _extract_fragment(html, url)
    return _extract_page(html, url)


def _extract_page(html: str, url: str) -> Extracted:
    """Return the main text and metadata of a whole page, by trafilatura."""
    tree = _parse(html)
    if tree is None:
        return Extracted(title="", paragraphs=(), outlet=_outlet_from_url(url))
    language = _declared_language(tree)
    try:
        result = trafilatura.bare_extraction(
            tree,
            url=url or None,
            include_comments=False,
            # bench/extraction.py, 181 pages, 2026-11-23: F1 0.962 -> 0.966
            # (P 0.947 -> 0.961, R 0.978 -> 0.971); cited sentences must not be boilerplate.
            favor_precision=True,
            with_metadata=True,
            date_extraction_params={
                # Only dates the markup states (meta tags, JSON-LD, <time>);
                # guessing from the text is the inference step's job.
                "extensive_search": False,
                "original_date": True,
                "deferred_url_extractor": True,
                "max_date": datetime.date.today().isoformat(),
            },
        )
    except _PARSE_ERRORS as exc:
        logging.getLogger(__name__).debug("trafilatura failed on %s: %s", url or "page", exc)
        result = None
    if result is None:
        return Extracted(title="", paragraphs=(), outlet=_outlet_from_url(url), language=language)

    title = _normalise_line(result.title or "")
    paragraphs = _paragraphs(result.text or "")
    removed: list[Removed] = []
    if paragraphs and _only_navigation(paragraphs, tree):
        # trafilatura falls back to all the text of a page with no article in it.
        removed = [Removed("navigation", paragraph) for paragraph in paragraphs]
        paragraphs = []
    if paragraphs and title and _same_words(paragraphs[0], title):
        removed.append(Removed("title-repeat", paragraphs[0]))
        paragraphs = paragraphs[1:]

    return Extracted(
        title=title,
        paragraphs=tuple(paragraphs),
        removed=tuple(removed),
        authors=_authors(result.author),
        outlet=_outlet(result.sitename, result.hostname, result.url or url),
        published=_published(result.date, result.url or url, html),
        language=language,
        url=result.url or url,
    )


def _is_fragment(html: str) -> bool:
    """Whether the HTML is a fragment (a feed item's content), not a whole page."""
    return _PAGE_TAG.search(html) is None


def _extract_fragment(html: str, url: str) -> Extracted:
    """Return the text of an HTML fragment: trafilatura's main text, else every block of it.

    trafilatura refuses fragments and texts under a few hundred characters, but
    a feed item's content or summary is all body: nothing to strip around it.
    """
    page = _extract_page(f"<html><body><article>{html}</article></body></html>", url)
    if page.paragraphs:
        return page
    return Extracted(title="", paragraphs=tuple(_fragment_blocks(html)), outlet=_outlet_from_url(url))


def _fragment_blocks(html: str) -> list[str]:
    """Return the text of each block (paragraph, list item, heading, line) of a fragment."""
    try:
        root = lxml.html.fragment_fromstring(_CONTROL_CHARACTERS.sub("", html), create_parent="div")
    except _PARSE_ERRORS as exc:
        logging.getLogger(__name__).debug("cannot parse HTML fragment: %s", exc)
        return []
    for element in root.iter(*_NOT_TEXT):
        element.drop_tree()
    for element in root.iter():
        if element.tag == "br":
            element.tail = "\n" + (element.tail or "")
        elif element.tag in _BLOCKS:
            element.text = "\n" + (element.text or "")
            element.tail = "\n" + (element.tail or "")
    return _paragraphs(root.text_content())


def _parse(html: str) -> HtmlElement | None:
    """Return the parsed page, or None when lxml sees no HTML in it."""
    if not html or not html.strip():
        return None
    # NUL and other C0 controls make lxml refuse the whole page.
    html = _CONTROL_CHARACTERS.sub("", html)
    try:
        return trafilatura.load_html(html)
    except _PARSE_ERRORS as exc:
        logging.getLogger(__name__).debug("cannot parse HTML: %s", exc)
        return None


_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _declared_language(tree: HtmlElement) -> str | None:
    """Return the primary language subtag of `<html lang>` (e.g. "en"), if any."""
    root = tree.getroottree().getroot()
    lang = (root.get("lang") or root.get("xml:lang") or "").strip().lower()
    primary = lang.split("-")[0].split("_")[0]
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else None


def _only_navigation(paragraphs: list[str], tree: HtmlElement) -> bool:
    """Whether every paragraph is text of the page's navigation, header, footer or sidebar."""
    chrome = " \n ".join(
        _normalise_line(element.text_content()) for element in tree.xpath(_CHROME_XPATH)
    )
    return bool(chrome) and all(paragraph in chrome for paragraph in paragraphs)


def _normalise_line(line: str) -> str:
    """Return one line with runs of spaces collapsed and ends trimmed."""
    return _SPACES.sub(" ", line).strip()


def _paragraphs(text: str) -> list[str]:
    """Return trafilatura's text blocks (one per line) as paragraphs."""
    return [p for p in (_normalise_line(line) for line in text.split("\n")) if p]


def _same_words(first: str, second: str) -> bool:
    """Whether two strings have the same words, ignoring case and punctuation."""
    return _WORDS.findall(first.lower()) == _WORDS.findall(second.lower())


def _authors(author: str | None) -> tuple[str, ...]:
    """Return the author names trafilatura joined with semicolons."""
    if not author:
        return ()
    return tuple(name for name in (_normalise_line(part) for part in author.split(";")) if name)


def _domain(url: str) -> str:
    """Return the host of a URL without a leading www."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:  # a malformed URL (bad IPv6 literal, bad port)
        return ""
    return host.removeprefix("www.")


def _outlet_from_url(url: str) -> Outlet:
    """Return the outlet named only by the URL's domain, or an unknown outlet."""
    domain = _domain(url)
    if not domain:
        return Outlet()
    return Outlet(name=domain, domain=domain, how="url", evidence=f"url: {url}")


def _outlet(sitename: str | None, hostname: str | None, url: str) -> Outlet:
    """Return the outlet the page names, else the one its URL names."""
    domain = (hostname or "").removeprefix("www.") or _domain(url)
    name = _normalise_line(sitename or "")
    # trafilatura falls back to the URL's domain as the site name: that is not metadata.
    if name and name.lower().removeprefix("www.") != domain.lower():
        return Outlet(name=name, domain=domain, how="metadata", evidence=f"html metadata: site name {name!r}")
    if domain:
        return Outlet(name=domain, domain=domain, how="url", evidence=f"url: {url}" if url else "url")
    return Outlet()


def _published(date: str | None, url: str, html: str) -> Published | None:
    """Return the date the page's markup states, with where it was found, or None.

    htmldate reads a date in the URL before the page's text: a date only the
    URL gives is evidence, not a statement, and is left to the clean stage,
    which infers it (marked inferred) with the text as a check. On the 181
    pages of bench/extraction.py (2026-12), 40 dates were in their URL: 35 of
    them the markup states too, 5 only the URL (the markup's text gave other days).
    """
    if not date:
        return None
    value = date[:10]
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return None
    if _url_date(url) == value and _markup_date(html) != value:
        return None
    return Published(value, inferred=False, evidence=f"html metadata: {value}")


def _url_date(url: str) -> str | None:
    """The date htmldate's own URL reader finds in `url` (ISO), or None."""
    options = Extractor(False, datetime.datetime(2039, 12, 31), datetime.datetime(1990, 1, 1), True, "%Y-%m-%d")
    return extract_url_date(url or None, options) if url else None


def _markup_date(html: str) -> str | None:
    """The date htmldate finds in the page without any URL: the page's links to itself taken out."""
    tree = _parse(html)
    if tree is None:
        return None
    for element in tree.xpath("//meta[@property='og:url' or @name='og:url' or @name='twitter:url']"
                              "|//link[@rel='canonical']"):
        element.getparent().remove(element)
    try:
        return htmldate.find_date(tree, url="", extensive_search=False, original_date=True,
                                  max_date=datetime.date.today().isoformat())
    except _PARSE_ERRORS:
        return None
