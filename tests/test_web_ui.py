"""The web UI in a real headless Chromium (Debian's), driven by Playwright, against a real server.

Screenshots of the pages are saved to test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import expect, sync_playwright

from .test_serve import examples_server, server  # noqa: F401  (the loopback server fixtures)
from storyline.serve.security import is_loopback

from .test_serve import real_text, stored_articles

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


def make_brief(base: str, link) -> None:
    """Have the server make the brief of the story a list link opens (the page would make it on demand).

    Making a brief is test_serve's subject, and costs seconds to a minute on a loaded machine (the NLP
    of every sentence); here the click is the subject: it opens a stored brief, within Playwright's
    usual wait.
    """
    story = link.get_attribute("href").rsplit("/", 1)[-1]
    assert httpx.get(f"{base}/api/v1/stories/{story}/brief", timeout=300).status_code == 200


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
    make_brief(server["base"], seed_story)
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
    make_brief(examples_server["base"], row.locator("a.story-link"))
    row.locator("a.story-link").click()
    sources = page.locator("#sources")
    expect(sources.locator("li").first).to_be_visible()
    assert "unknown" not in sources.inner_text()
    page.locator(".brief a.cite").first.click()
    expect(page.locator("#source-panel .sentence.highlight")).to_have_count(1)
    meta = page.locator("#source-panel .meta")
    assert meta.inner_text().strip() == "open the article"  # no outlet, no date: nothing else to say
    page.screenshot(path=str(ARTIFACTS / "brief-undated-citation.png"), full_page=False)


def test_ui_story_filter_finds_a_name_typed_in_the_other_case_beyond_ascii(examples_server, browser):  # noqa: F811
    base = examples_server["base"]
    rows = httpx.get(f"{base}/api/v1/stories", params={"limit": 1000}).json()["data"]
    for row in rows:  # the briefs of the Russian pages' stories: their entities are what the entity filter reads
        if not row["label"].isascii():
            assert httpx.get(f"{base}/api/v1/stories/{row['id']}/brief", timeout=300).status_code == 200
    rows = httpx.get(f"{base}/api/v1/stories", params={"limit": 1000}).json()["data"]
    # A Russian page's person, named with a Cyrillic capital ("Поризкова"), typed in capitals.
    story, name = next((r["id"], e["name"]) for r in rows for e in r["entities"]
                       if not e["name"].isascii() and e["name"][0] != e["name"][0].casefold())
    page = browser.new_page(viewport={"width": 1024, "height": 900})
    page.goto(base + "/")
    page.fill("input[name=entity]", name.upper())
    page.click("form.filters button[type=submit]")
    expect(page.locator("table.stories a.story-link")).to_have_count(1)
    assert page.locator("table.stories a.story-link").get_attribute("href") == f"/stories/{story}"
    expect(page.locator("input[name=entity]")).to_have_value(name.upper())  # the form shows what was typed


def offline_page(browser, **options):
    """A page whose every request off loopback fails as with the network off; returns (page, refused URLs)."""
    context = browser.new_context(**options)
    refused: list[str] = []

    def only_loopback(route):
        if is_loopback(urlsplit(route.request.url).hostname or ""):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort("internetdisconnected")

    context.route("**/*", only_loopback)
    return context.new_page(), refused


def test_ui_api_docs_render_their_operations_offline_under_the_csp(server, browser):  # noqa: F811
    page, refused = offline_page(browser, viewport={"width": 1280, "height": 900})
    violations, failed = [], []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.goto(server["base"] + "/api/v1/docs")
    operations = page.locator(".opblock")
    expect(operations.first).to_be_visible(timeout=30_000)
    spec = httpx.get(server["base"] + "/api/v1/openapi.json").json()
    expected = sorted(f"{method.upper()} {path}" for path, item in spec["paths"].items() for method in item)
    shown = sorted(" ".join(text.replace("\u200b", "").split()) for text in page.eval_on_selector_all(
        ".opblock-summary", "blocks => blocks.map(b => b.querySelector('.opblock-summary-method').textContent"
                            " + ' ' + b.querySelector('.opblock-summary-path').textContent)"))
    assert shown == expected, shown
    # An operation opens and offers to run it against this server.
    page.locator(".opblock-summary", has_text="/api/v1/stories").first.click()
    expect(page.locator(".try-out__btn").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "api-docs-offline.png"), full_page=False)
    assert refused == [] and failed == [] and violations == [], (refused, failed, violations)


# --------------------------------------------------------------------------- every width (issue 22, item 9)

WIDTHS = (390, 1024, 1400)

# What a reader would see as broken, from the laid-out page: the page scrolls sideways; a table, card or
# source column is wider than the room it has (its end is cut off or scrolls inside it) or reaches past
# the window; a cell breaks a word of letters across lines (a column squeezed below its words).
LAYOUT_PROBLEMS = """() => {
  const problems = [], width = document.documentElement.clientWidth;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
                       (el.className && typeof el.className === "string" ? "." + el.className.split(" ")[0] : "");
  if (document.documentElement.scrollWidth > width) problems.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
  for (const el of document.querySelectorAll("main, table, section, .card, .column, td, th")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0) continue;
    if (el.scrollWidth > el.clientWidth + 1) problems.push(`${name(el)} cut off: ${el.scrollWidth} > ${el.clientWidth}`);
    if (box.left < -1 || box.right > width + 1) problems.push(`${name(el)} outside the window: ${box.left}..${box.right}`);
  }
  for (const cell of document.querySelectorAll("td, th")) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const word of node.data.matchAll(/[A-Za-z]{2,12}/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1) problems.push(`'${word[0]}' broken across lines in ${name(cell)}`);
      }
    }
  }
  return problems;
}"""

# The contrast of every piece of text with the background it is drawn on (WCAG 2 relative luminance), and
# of each marking's underline with its tint; the marking must be drawn (not a tint alone).
CONTRASTS = """() => {
  const rgba = (css) => { const m = css.match(/[\\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
  const over = (top, bottom) => top.slice(0, 3).map((c, i) => c * top[3] + bottom[i] * (1 - top[3])).concat(1);
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) layers.push(rgba(getComputedStyle(e).backgroundColor));
    return layers.reverse().reduce((below, layer) => over(layer, below), [255, 255, 255, 1]);
  };
  const luminance = (c) => { const [r, g, b] = c.slice(0, 3).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                             return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const ratio = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const found = [];
  for (const el of document.querySelectorAll("main *")) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.data.trim());
    if (!own || !el.getClientRects().length) continue;
    const style = getComputedStyle(el), under = background(el);
    const text = over(rgba(style.color), under);
    found.push({what: "text", el: el.tagName + "." + el.className, sample: el.textContent.trim().slice(0, 30),
                ratio: ratio(text, under)});
    if (/\\brole-/.test(el.className)) {
      found.push({what: "marking", el: el.className, line: style.textDecorationLine,
                  ratio: ratio(over(rgba(style.textDecorationColor), under), under)});
    }
  }
  return found;
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_ui_pages_fit_every_width_with_no_cut_column_and_readable_contrast(server, browser, width):  # noqa: F811
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(server["base"] + "/")
    story = page.locator("a.story-link", has_text="Biden").first.get_attribute("href")
    for path in ["/", story, story + "/sources"]:
        page.goto(server["base"] + path)
        page.wait_for_load_state("load")
        assert page.evaluate(LAYOUT_PROBLEMS) == [], (width, path)
        found = page.evaluate(CONTRASTS)
        assert len([f for f in found if f["what"] == "text"]) >= 10, (width, path)
        low = [f for f in found if f["ratio"] < 4.5]
        assert low == [], (width, path, low)
        if path.endswith("/sources"):
            markings = {f["el"].split()[-1]: f["line"] for f in found if f["what"] == "marking"}
            assert set(markings) == {"role-agreed", "role-single", "role-conflict"}, markings
            assert all(line == "underline" for line in markings.values()), markings
            # Every source is a column whole in the window, side by side as far as the width allows.
            columns = page.locator(".column")
            assert columns.count() >= 5  # the seed story's five sources
            rows = len({round(columns.nth(i).bounding_box()["y"]) for i in range(columns.count())})
            assert rows == 1 if width >= 1400 else rows == columns.count() if width <= 390 else 1 < rows < columns.count()
            assert not [h for h in page.locator(".column h2").all_inner_texts() if "unknown" in h]
        page.screenshot(path=str(ARTIFACTS / f"width-{width}{path.replace('/', '-').rstrip('-') or '-list'}.png"),
                        full_page=True)


def test_ui_conflicts_quote_each_sentence_once_with_its_own_quotes_nested(server, browser):  # noqa: F811
    page = browser.new_page(viewport={"width": 1024, "height": 900})
    page.goto(server["base"] + "/")
    page.locator("a.story-link", has_text="Biden").first.click()
    claims = page.locator("#conflicts li")
    expect(claims.first).to_be_visible()
    texts = [claims.nth(i).inner_text() for i in range(claims.count())]
    # A claim is a source's sentence in one pair of double marks; a sentence that opens or closes with a
    # quote of its own (the seed story has several) shows it in single marks inside, never two marks in a row.
    nested = [t for t in texts if t.startswith("\u201c\u2018") or "\u2019\u201d" in t]
    assert nested, texts
    for text in texts:
        assert text.startswith("\u201c") and text.count("\u201c") == 1 and text.count("\u201d") == 1, text
        assert not re.search("[\u201c\u201d\"]\\s*[\u201c\u201d\"]", text), text


# --------------------------------------------------------------------------- issue 17, item 2: the whole chain

ATTACK_PAGE = """<!doctype html>
<html><head><title>A page on another site</title></head><body>
<h1>Nothing to see</h1>
<form id="plain" method="post" action="TARGET" enctype="text/plain">
<input type="hidden" name='{"title": "Planted by a text/plain form", "url": "javascript:window.pwned=1", "text": "TEXT", "pad": "' value='"}'>
</form>
<script>
const target = "TARGET";
const article = JSON.stringify({title: "Planted by a fetch", url: "javascript:window.pwned=1", text: "TEXT"});
function asFile() {
  const form = new FormData();
  form.append("files", new Blob([article], {type: "application/json"}), "planted.json");
  return form;
}
async function attack() {
  const tried = [];
  const attempts = [
    {method: "POST", mode: "no-cors", body: asFile()},
    {method: "POST", mode: "no-cors", credentials: "include", body: asFile()},
    {method: "POST", mode: "no-cors", headers: {"Content-Type": "text/plain"}, body: article},
    {method: "POST", mode: "no-cors", headers: {"Content-Type": "text/plain; x=json"}, body: article},
    // application/json needs a CORS preflight that the server never grants
    {method: "POST", headers: {"Content-Type": "application/json"}, body: article},
  ];
  for (const init of attempts) {
    try { await fetch(target, init); tried.push("sent"); } catch (e) { tried.push("blocked"); }
  }
  navigator.sendBeacon(target, new Blob([article], {type: "text/plain"}));
  window.tried = tried;
}
attack();
</script>
</body></html>
"""


@pytest.fixture
def other_site(tmp_path):
    """A web server on another loopback origin (`localhost`, another port): the attacker's site."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield tmp_path, f"http://localhost:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_ui_a_page_of_another_site_cannot_plant_an_article(server, browser, other_site):  # noqa: F811
    folder, site = other_site
    base = server["base"]
    target = f"{base}/api/v1/articles"
    before = httpx.get(target).json()["total"]
    text = real_text(900, start=120).replace('"', "'").replace("\n", " ")
    (folder / "attack.html").write_text(ATTACK_PAGE.replace("TARGET", target).replace("TEXT", text), encoding="utf-8")
    page = browser.new_page()
    answers = []
    page.on("response", lambda r: answers.append((r.request.method, r.status))
            if r.url.startswith(target) else None)
    page.goto(f"{site}/attack.html")
    page.wait_for_function("window.tried !== undefined", timeout=30_000)
    assert page.evaluate("window.tried")[-1] == "blocked"  # the JSON request never passed its preflight
    page.wait_for_timeout(1000)  # the beacon
    posts = [status for method, status in answers if method == "POST"]
    assert len(posts) >= 4 and set(posts) == {403}, answers  # refused by origin, whatever the body
    with page.expect_navigation() as landed:  # the classic JSON-by-form trick: a text/plain form posting "JSON"
        page.evaluate("document.getElementById('plain').submit()")
    assert landed.value.status == 403 and "cross-origin" in page.content()
    time.sleep(2)  # a job, had one been queued, would be running by now
    listed = httpx.get(target, params={"limit": 1000}).json()
    assert listed["total"] == before
    assert not [a for a in listed["data"] if (a["title"] or "").startswith("Planted")]


def test_ui_a_javascript_url_stored_directly_is_not_clickable_script(server, browser, tmp_path):  # noqa: F811
    ids = stored_articles(server["db"], [
        {"title": f"Stored URL {i}", "url": url, "text": real_text(1200, start=140 + i)}
        for i, url in enumerate(["javascript:window.pwned=1", " javascript:window.pwned=2",
                                 "data:text/html,<script>window.pwned=3</script>"])], tmp_path)
    assert len(ids) == 3
    page = browser.new_page()
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    for article_id in ids:
        page.goto(f"{server['base']}/articles/{article_id}")
        shown = page.locator(".original-url")
        expect(shown).to_contain_text(":")
        hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.protocol)")
        assert set(hrefs) <= {"http:", "https:"}, hrefs
        shown.click()
        # Even a link some future template got wrong would not run: the page's CSP refuses javascript: URLs.
        page.evaluate("""() => { const a = document.createElement("a"); a.href = "javascript:window.pwned=9";
                                 a.id = "injected"; a.textContent = "x"; document.body.append(a); }""")
        page.click("#injected")
        page.wait_for_timeout(300)
        assert page.evaluate("window.pwned === undefined")
    assert violations, "the CSP did not refuse the injected javascript: link"


def test_ui_pages_run_their_own_scripts_under_the_csp(server, browser, tmp_path):  # noqa: F811
    page = browser.new_page()
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(server["base"] + "/")
    page.locator("a.story-link", has_text="Biden").first.click()
    page.locator("#summary a.cite").first.click()
    expect(page.locator("#source-panel .sentence.highlight")).to_have_count(1)  # the brief's script ran
    page.click("#side-by-side")
    expect(page.locator(".column").first).to_be_visible()
    article = tmp_path / "ferry.txt"
    article.write_text("Ferry service resumes after storm\n\n" + real_text(1500, start=170), encoding="utf-8")
    upload(page, server["base"], article)  # the upload form's script ran, polled its job, showed the result
    expect(page.locator("#result")).to_contain_text("Added 1 article")
    assert violations == []
