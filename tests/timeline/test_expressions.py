"""Tests of storyline.timeline.expressions on real text: the seed story and ECB+ documents."""

from __future__ import annotations

import pytest

from storyline.timeline import find_time_expressions, interval
from tests.timeline.conftest import ecbplus_article


@pytest.fixture(scope="module")
def seed_expressions(seed_articles):
    """The time expressions of each seed article, by file prefix."""
    return {prefix: find_time_expressions(article) for prefix, article in seed_articles.items()}


def expression(expressions, text):
    found = [e for e in expressions if e.text == text]
    assert found, f"{text!r} not found among {[e.text for e in expressions]}"
    return found[0]


@pytest.mark.parametrize("prefix, text, value, granularity", [
    ("000", "Dec. 30", "2021-12-30", "day"),              # a month-day read back across the new year
    ("000", "Christmas Eve", "2021-12-24", "day"),        # a named day
    ("000", "the week of Jan. 10", "2022-01-10/2022-01-16", "week"),
    ("001", "January 9-10", "2022-01-09/2022-01-10", "range"),
    ("001", "a day later", "2022-01-13", "day"),          # counted from "January 12" a sentence before
    ("002", "last Thursday", "2021-12-30", "day"),
    ("002", "A day after", "2021-12-31", "day"),          # counted from the call its complement names
    ("002", "A month later", "2014-04", "month"),         # a month after "March 2014"
    ("003", "Thursday", "2021-12-30", "day"),
    ("003", "Sunday and Monday", "2022-01-09/2022-01-10", "range"),  # "are scheduled to meet": the future
    ("003", "the next day", "2021-12-31", "day"),
    ("004", "Early last year", "2021", "year"),
    ("004", "April of 2014", "2014-04", "month"),
])
def test_find_time_expressions_resolves_the_seed_story(seed_expressions, prefix, text, value, granularity):
    found = expression(seed_expressions[prefix], text)
    assert (found.value, found.granularity) == (value, granularity)


def test_find_time_expressions_marks_what_rests_on_an_inferred_publication_date(seed_articles, seed_expressions):
    assert seed_articles["002"].published.inferred and not seed_articles["003"].published.inferred
    inferred = expression(seed_expressions["002"], "last Thursday")
    assert inferred.inferred and inferred.anchor == f"published {seed_articles['002'].published.value}"
    stated = expression(seed_expressions["003"], "Thursday")
    assert not stated.inferred and stated.anchor == "published 2022-01-04"
    offset = expression(seed_expressions["001"], "a day later")
    assert offset.rule == "event-offset" and offset.anchor.startswith(f"event {seed_articles['001'].id}:")
    assert expression(seed_expressions["004"], "2008").anchor == "text"


def test_find_time_expressions_spans_and_sentences_are_real(seed_articles, seed_expressions):
    for prefix, expressions in seed_expressions.items():
        sentences = {s.id: s.text for s in seed_articles[prefix].sentences}
        for found in expressions:
            assert sentences[found.sentence_id][found.start:found.end] == found.text
            if found.value:
                first, last = interval(found.value)
                assert first <= last


def test_find_time_expressions_without_publication_date_resolves_only_what_the_text_fixes():
    # ECB+ 3_2ecbplus: "Nov. 30, 2009" is stated in full; its "today" has nothing to count from.
    article = ecbplus_article("3_2ecbplus")
    assert article.published.value is None
    values = {e.text: e.value for e in find_time_expressions(article)}
    assert values["Nov. 30, 2009"] == "2009-11-30"
    assert values["today"] is None


def test_find_time_expressions_reads_a_weekday_against_the_date_line():
    # ECB+ 3_5ecbplus is dated 2009-12-03 (a Thursday); its "Monday" is the Monday before.
    found = find_time_expressions(ecbplus_article("3_5ecbplus", "2009-12-03"))
    assert "2009-11-30" in {e.value for e in found if e.text == "Monday"}


def test_find_time_expressions_takes_a_bare_holiday_only_after_a_preposition():
    # ECB+ 18_11ecb: "an office Christmas party yesterday"; 10_19ecbplus: "a resolution by Christmas"
    # (both undated in the corpus: given a December publication date here).
    party = find_time_expressions(ecbplus_article("18_11ecb", "2008-12-13"))
    assert not any(e.text.startswith("Christmas") for e in party)
    deadline = find_time_expressions(ecbplus_article("10_19ecbplus", "2008-12-08"))
    assert [e.value for e in deadline if e.text == "Christmas"] == ["2008-12-25"]
