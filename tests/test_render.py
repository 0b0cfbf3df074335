"""render: Markdown, standalone HTML and JSON of a brief built from real stored sentences."""

from __future__ import annotations

import dataclasses
import html.parser
import json

import pytest

from storyline import render
from storyline.records import Statement
from storyline.store import Store

from .conftest import seed_brief_record


class Anchors(html.parser.HTMLParser):
    """Collects ids, hrefs of citation links, and script tags of a page."""

    def __init__(self):
        super().__init__()
        self.ids, self.cite_hrefs, self.scripts = set(), [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and "cite" in (attrs.get("class") or ""):
            self.cite_hrefs.append(attrs["href"])
        if tag == "script":
            self.scripts += 1


def load(seed_store):
    with Store(seed_store) as store:
        brief = seed_brief_record(store)
        articles = {a.id: a for a in store.iter_articles()}
    return brief, articles


def test_render_markdown_cites_source_and_sentence(seed_store):
    brief, articles = load(seed_store)
    text = render.to_markdown(brief)
    assert text.startswith("# seed")
    cite = brief.summary[0].cites[0]
    number = [s.article for s in brief.sources].index(cite.rpartition(":")[0]) + 1
    assert f"[{number}:{cite.rpartition(':')[2]}]" in text
    assert "## Conflicts" in text and "March 2014 vs March 2021" in text
    inferred = [s for s in brief.sources if s.published_inferred]
    assert text.count("~inferred") >= len(inferred)


def test_render_html_every_citation_links_to_a_sentence_in_the_page(seed_store):
    brief, articles = load(seed_store)
    page = render.to_html(brief, articles)
    parser = Anchors()
    parser.feed(page)
    assert parser.cite_hrefs, "no citation links"
    for href in parser.cite_hrefs:
        assert href.startswith("#") and href[1:] in parser.ids, href
    assert parser.scripts == 0


def test_render_html_escapes_article_text(seed_store, tmp_path):
    brief, articles = load(seed_store)
    hostile = Statement('<script>alert("x")</script> & <b>bold</b>', brief.summary[0].cites)
    brief = dataclasses.replace(brief, summary=(hostile,), label="<img src=x onerror=alert(1)>")
    page = render.to_html(brief, articles)
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "<img src=x" not in page
    parser = Anchors()
    parser.feed(page)
    assert parser.scripts == 0


def test_render_json_is_the_contract(seed_store):
    brief, _ = load(seed_store)
    data = json.loads(render.to_json(brief))
    assert data["schema"] == "storyline/brief/v1"
    assert set(data) >= {"story", "version", "sources", "summary", "per_source", "agreed", "single_source",
                         "conflicts", "timeline", "entities", "quotes"}
    assert data["summary"][0]["cites"] == list(brief.summary[0].cites)
    assert {"kind", "claims", "reason"} == set(data["conflicts"][0])


def test_render_json_reads_back_to_the_same_brief(seed_store):
    from storyline import contract
    from storyline.errors import StorylineError
    with Store(seed_store) as store:
        brief = dataclasses.replace(seed_brief_record(store), timeline=(), entities=())
    data = json.loads(render.to_json(brief))
    assert contract.brief_from_json(data) == brief
    with pytest.raises(StorylineError, match="not a brief"):
        contract.brief_from_json(dict(data, schema="storyline/article/v1"))


def test_render_html_marks_what_is_new_since_the_previous_version(seed_store):
    with Store(seed_store) as store:
        brief = seed_brief_record(store)
        articles = {a.id: a for a in store.iter_articles()}
    previous = dataclasses.replace(brief, version=1, summary=())
    brief = dataclasses.replace(brief, version=2)
    new = render.new_since(brief, previous)
    assert new == {brief.summary[0].text}
    page = render.to_html(brief, articles, new=new)
    assert page.count('class="new"') == 1
    assert render.new_since(brief, None) == frozenset()
    assert 'class="new"' not in render.to_html(brief, articles)


def psaki_entry(store):
    """Jen Psaki as the brief lists her: forms and roles with the stored articles that use them."""
    from storyline.records import EntityEntry

    from .conftest import sentences_with
    secretary = tuple(sorted({s.id.rpartition(":")[0] for s in sentences_with(store, "White House press secretary")}))
    named = tuple(sorted({s.id.rpartition(":")[0] for s in sentences_with(store, "Jen Psaki")}))
    assert len(secretary) >= 2
    return EntityEntry("Jen Psaki", "PERSON", (("Jen Psaki", named),), (("White House press secretary", secretary),))


def test_render_entity_roles_carry_their_sources_in_json_markdown_and_html(seed_store):
    from storyline import contract
    with Store(seed_store) as store:
        entry = psaki_entry(store)
        brief = dataclasses.replace(seed_brief_record(store), timeline=(), entities=(entry,))
        articles = {a.id: a for a in store.iter_articles()}
    data = json.loads(render.to_json(brief))
    assert data["entities"][0]["roles"] == [{"text": "White House press secretary",
                                             "articles": list(entry.roles[0][1])}]
    assert contract.brief_from_json(data) == brief
    numbers = {source.article: n for n, source in enumerate(brief.sources, start=1)}
    listed = ", ".join(str(numbers[a]) for a in entry.roles[0][1])
    assert f"White House press secretary ({listed})" in render.to_markdown(brief)
    assert f"White House press secretary ({listed})" in render.to_html(brief, articles)


def test_brief_from_json_reads_roles_stored_as_plain_strings(seed_store):
    from storyline import contract
    with Store(seed_store) as store:
        brief = dataclasses.replace(seed_brief_record(store), entities=(psaki_entry(store),))
    data = json.loads(render.to_json(brief))
    data["entities"][0]["roles"] = ["White House press secretary"]
    assert contract.brief_from_json(data).entities[0].roles == (("White House press secretary", ()),)


def test_markdown_reads_a_line_break_inside_a_sentence_as_a_space():
    # A sentence mended across a scraped line break (ECB+ 18_14ecb: "... Vancouver police Const." / "Tim
    # Fanning told a news conference.") keeps the break in its text; in a Markdown list item or table cell
    # it would end the item or the row.
    from storyline.render import md_escape
    assert md_escape("Vancouver police Const.\n\nTim Fanning | told") == "Vancouver police Const. Tim Fanning \\| told"

