"""Tests of storyline.clean.webpage on real news pages and on broken HTML."""

from __future__ import annotations

import gzip
import json
import re
from urllib.parse import urlsplit

import pytest

from storyline.clean.extracted import Extracted
from storyline.clean.webpage import extract_html
from storyline.records import Published
from tests.conftest import EXTRACTION, SEEDS

WORDS = re.compile(r"\w+")


def benchmark_pages(count: int) -> list[tuple[str, str, str]]:
    """The first `count` benchmark pages (sorted by key) as (url, html, gold body)."""
    truth = json.loads((EXTRACTION / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth)[:count]:
        html = gzip.decompress((EXTRACTION / "html" / f"{key}.html.gz").read_bytes()).decode("utf-8", "replace")
        pages.append((truth[key]["url"], html, truth[key]["articleBody"]))
    return pages


def seed_paragraphs() -> list[str]:
    """Paragraphs of a real seed report, to build small pages from real text."""
    paths = sorted(SEEDS.glob("*.txt"))
    assert paths, f"no seed reports in {SEEDS}"
    text = paths[0].read_text(encoding="utf-8")
    blocks = [block.strip() for block in text.split("\n\n")]
    return [block for block in blocks if len(block) > 120 and "\n" not in block][:4]


@pytest.fixture(scope="module")
def pages() -> list[tuple[str, str, str, Extracted]]:
    """Six real pages with what extract_html finds in them."""
    return [(url, html, gold, extract_html(html, url)) for url, html, gold in benchmark_pages(6)]


def test_extract_html_finds_most_of_the_gold_body(pages):
    for url, _, gold, extracted in pages:
        gold_words = set(WORDS.findall(gold.lower()))
        found_words = set(WORDS.findall(" ".join(extracted.paragraphs).lower()))
        assert len(gold_words & found_words) >= 0.8 * len(gold_words), url


def test_extract_html_paragraphs_are_trimmed_single_lines(pages):
    for url, _, _, extracted in pages:
        assert extracted.paragraphs, url
        for paragraph in extracted.paragraphs:
            assert paragraph == paragraph.strip() and "\n" not in paragraph and "  " not in paragraph


def test_extract_html_gives_title_outlet_and_stated_date(pages):
    for url, _, _, extracted in pages:
        assert extracted.title, url
        assert extracted.outlet.domain == urlsplit(url).hostname.removeprefix("www.")
        assert extracted.outlet.how in ("metadata", "url")
        assert extracted.published is not None and extracted.published.inferred is False
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", extracted.published.value)
        assert extracted.published.evidence.startswith("html metadata:")


def test_extract_html_moves_a_repeated_title_to_removed(pages):
    repeats = [extracted for _, _, _, extracted in pages if extracted.removed]
    assert repeats, "at least one of these pages opens its body with its title"
    for extracted in repeats:
        assert [r.kind for r in extracted.removed] == ["title-repeat"]
        assert WORDS.findall(extracted.removed[0].text.lower()) == WORDS.findall(extracted.title.lower())
    for _, _, _, extracted in pages:
        assert WORDS.findall(extracted.paragraphs[0].lower()) != WORDS.findall(extracted.title.lower())


def test_extract_html_reads_outlet_from_url_without_site_metadata():
    body = "".join(f"<p>{paragraph}</p>" for paragraph in seed_paragraphs())
    page = f"<html><head><title>A report</title></head><body><article>{body}</article></body></html>"
    extracted = extract_html(page, "https://www.example-news.org/world/report")
    assert extracted.outlet.name == "example-news.org"
    assert extracted.outlet.how == "url"
    assert len(extracted.paragraphs) == len(seed_paragraphs())
    assert extracted.published is None


def test_extract_html_leaves_a_date_only_the_url_holds_to_inference():
    [(url, html, _)] = [page for page in benchmark_pages(71) if "detroitnews.com/story/sports" in page[0]]
    extracted = extract_html(html, url)
    assert extracted.published is None  # was 2019-11-19 "url: ...", stated
    assert extracted.url == url
    # The same page's date stated in its markup is a stated date.
    stated = html.replace("<head>", '<head><meta property="article:published_time" content="2019-11-19T10:00:00Z">', 1)
    assert extract_html(stated, url).published == Published("2019-11-19", inferred=False,
                                                            evidence="html metadata: 2019-11-19")


def test_extract_html_reads_declared_language():
    body = "".join(f"<p>{paragraph}</p>" for paragraph in seed_paragraphs())
    extracted = extract_html(f'<html lang="en-GB"><body><article>{body}</article></body></html>')
    assert extracted.language == "en"


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   \n ",
        "<html></html>",
        "<html><body></body></html>",
        "<html><body><p>Unclosed <b>bold <div><p>and a truncated ta",
        "<html><body><p>\x00\x01\x02\xff\xfe binary \x89PNG\r\n\x1a\n junk</p></body></html>",
        "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
        "<<<>>></p></div></html><html>",
        "just some words that are not markup at all",
        "<html><body>" + "<div>" * 3000 + "<p>Deep text.</p>" + "</div>" * 3000 + "</body></html>",
        "<div>" * 3000 + "<p>Deep fragment.</p>",
        "<html><body><p>&#xD800;&#0;&#x110000; &bogus; <![CDATA[x]]> <?php echo 1 ?></p></body></html>",
    ],
)
def test_extract_html_does_not_crash_on_malformed_html(html):
    extracted = extract_html(html, "https://example.org/x")
    assert isinstance(extracted, Extracted)
    assert all(isinstance(p, str) and p.strip() for p in extracted.paragraphs)


def test_extract_html_keeps_text_of_a_truncated_page():
    paragraphs = seed_paragraphs()
    page = "<html><body><article>" + "".join(f"<p>{p}</p>" for p in paragraphs)
    truncated = page[: len(page) - len(paragraphs[-1]) // 2]
    extracted = extract_html(truncated)
    assert extracted.paragraphs[0] == paragraphs[0]


def test_extract_html_tolerates_nul_bytes_in_a_real_page():
    url, html, _ = benchmark_pages(1)[0]
    middle = len(html) // 2
    extracted = extract_html(html[:middle] + "\x00\x00" + html[middle:], url)
    assert extracted.paragraphs


def test_extract_html_keeps_a_short_feed_fragment_whole():
    first = seed_paragraphs()[0]
    extracted = extract_html(f"<p>{first[:140]}</p>", "https://example.org/item")
    assert extracted.paragraphs == (first[:140].strip(),)


def test_extract_html_splits_a_fragment_into_its_blocks():
    first, second = seed_paragraphs()[:2]
    fragment = f"<div><p>{first}</p><script>var tracking = 1;</script>{second}<br>Read the full story</div>"
    extracted = extract_html(fragment)
    assert extracted.paragraphs[:2] == (first, second)
    assert not any("tracking" in paragraph for paragraph in extracted.paragraphs)


def test_extract_html_reads_a_long_fragment_by_trafilatura():
    paragraphs = seed_paragraphs()
    extracted = extract_html("".join(f"<p>{p}</p>" for p in paragraphs), "https://example.org/item")
    assert extracted.paragraphs == tuple(paragraphs)


def test_extract_html_finds_no_body_in_a_page_of_navigation_only():
    page = "<html><body><nav><a href='/'>Home</a> | <a href='/about'>About</a></nav><footer>Contact us</footer></body></html>"
    extracted = extract_html(page)
    assert extracted.paragraphs == ()
    assert {removed.kind for removed in extracted.removed} == {"navigation"}
