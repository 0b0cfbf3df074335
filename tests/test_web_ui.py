"""The web UI in a real headless Chromium (Debian's), driven by Playwright, against a real server.

Screenshots of the pages are saved to test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from .test_serve import examples_server, server  # noqa: F401  (the loopback server fixtures)

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), "Debian's chromium is needed: scripts/setup.sh installs it"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield instance
        instance.close()


def upload(page, base: str, path: Path):
    """Add one file through the /add form; return the link to the first added article."""
    page.goto(base + "/add")
    page.set_input_files("#files", str(path))
    page.click("#add-button")
    link = page.locator("#result a").first
    expect(link).to_be_visible(timeout=60_000)
    return link


def test_ui_story_list_brief_and_citation_click_through(server, browser):  # noqa: F811
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(server["base"] + "/")
    links = page.locator("a.story-link")
    expect(links.first).to_be_visible()
    seed_story = None
    for i in range(links.count()):
        if "Biden" in links.nth(i).inner_text() or "Zelensk" in links.nth(i).inner_text():
            seed_story = links.nth(i)
            break
    assert seed_story is not None, "the seed story is not listed"
    page.screenshot(path=str(ARTIFACTS / "stories.png"), full_page=True)
    seed_story.click()
    expect(page.locator("#summary li").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "brief.png"), full_page=True)
    citation = page.locator("#summary a.cite").first
    cited_id = citation.get_attribute("title")
    citation.click()
    highlighted = page.locator("#source-panel .sentence.highlight")
    expect(highlighted).to_have_count(1)
    assert highlighted.inner_text().strip() == (cited_id or "").strip()
    page.screenshot(path=str(ARTIFACTS / "brief-citation.png"), full_page=False)
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    phone.goto(page.url)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the brief page scrolls sideways on a phone ({width}px)"
    phone.screenshot(path=str(ARTIFACTS / "brief-phone.png"), full_page=False)


def test_ui_upload_an_article_and_see_it(server, browser, tmp_path):  # noqa: F811
    article = tmp_path / "council.txt"
    article.write_text("City council approves new bridge budget\n\n"
                       "The city council voted on Tuesday to approve a budget of 12 million dollars for a new "
                       "pedestrian bridge over the river, officials said.\n\n"
                       "Construction is expected to begin next spring and take two years, the mayor told reporters.",
                       encoding="utf-8")
    page = browser.new_page()
    result = upload(page, server["base"], article)
    expect(page.locator("#result")).to_contain_text("Added 1 article, 0 already stored")
    expect(page.locator("#result")).to_contain_text("(1 article)")  # the new story it started
    result.click()
    expect(page.locator("h1")).to_have_text("City council approves new bridge budget")
    expect(page.locator(".sentence").first).to_contain_text("12 million dollars")


def test_ui_script_in_an_article_is_shown_as_text(server, browser, tmp_path):  # noqa: F811
    hostile = tmp_path / "hostile.html"
    hostile.write_text("<html><head><title>Market report</title></head><body><article><h1>Market report</h1>"
                       "<p>Shares fell on Monday as traders weighed the central bank's decision, analysts said, "
                       "and the index closed at its lowest level in three months.</p>"
                       "<p>One analyst wrote &lt;script&gt;window.pwned=1&lt;/script&gt; in a note to clients "
                       "describing the sell-off as technical rather than a change in sentiment.</p>"
                       "<script>window.pwned=2</script></article></body></html>", encoding="utf-8")
    page = browser.new_page()
    upload(page, server["base"], hostile).click()
    expect(page.locator(".article-text")).to_contain_text("<script>window.pwned=1</script>")
    assert page.evaluate("window.pwned === undefined")


def test_ui_sources_side_by_side_and_quote_differences_marked(server, browser):  # noqa: F811
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.goto(server["base"] + "/")
    page.locator("a.story-link", has_text="Biden").first.click()
    expect(page.locator("#quotes")).to_be_visible()
    # Each later wording of a quote marks the words the first wording does not have.
    assert page.locator("#quotes mark.changed").count() >= 1
    page.locator("#quotes").screenshot(path=str(ARTIFACTS / "brief-quotes.png"))
    sources = page.locator("#sources li").count()
    page.click("#side-by-side")
    expect(page.locator(".column")).to_have_count(sources)
    assert page.locator(".column .role-agreed").count() >= 2
    assert page.locator(".column .role-single").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "sources-side-by-side.png"), full_page=False)


def test_ui_citation_of_an_undated_source_without_outlet_shows_no_placeholders(examples_server, browser):  # noqa: F811
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(examples_server["base"] + "/")
    row = page.locator("table.stories tr", has_text="undated").first
    row.locator("a.story-link").click()
    sources = page.locator("#sources")
    expect(sources.locator("li").first).to_be_visible()
    assert "unknown" not in sources.inner_text()
    page.locator(".brief a.cite").first.click()
    expect(page.locator("#source-panel .sentence.highlight")).to_have_count(1)
    meta = page.locator("#source-panel .meta")
    assert meta.inner_text().strip() == "open the article"  # no outlet, no date: nothing else to say
    page.screenshot(path=str(ARTIFACTS / "brief-undated-citation.png"), full_page=False)
