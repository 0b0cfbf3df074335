"""Tests of storyline.timeline.rows: the seed story's timeline (EXPECTED.md section 3) and its invariants."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from storyline.timeline import UNDATED, build_timeline, find_time_expressions, interval, rows_from_expressions
from storyline.verify import EVENT_SHARE, shares_content, supported
from tests.timeline.conftest import ecbplus_article

# EXPECTED.md section 3: each dated row with, per source, a phrase of the sentence that dates it there.
EXPECTED_ROWS = [
    ("2008", [("004", "2008")]),
    ("2014-03", [("002", "March 2014")]),
    ("2014-04", [("002", "A month later"), ("004", "April of 2014")]),
    ("2021-06", [("004", "June")]),
    ("2021-12-07", [("000", "Dec. 7"), ("004", "Dec. 7")]),
    ("2021-12-21", [("004", "Dec. 21")]),
    ("2021-12-24", [("000", "Christmas Eve")]),
    ("2021-12-30", [("000", "Dec. 30"), ("001", "December 30"), ("002", "last Thursday"),
                    ("003", "on Thursday"), ("004", "last Thursday")]),
    ("2021-12-31", [("002", "A day after the call"), ("003", "on Friday"), ("001", "December 31")]),
    ("2022-01-01", [("001", "January 1")]),
    ("2022-01-02", [("000", "Sunday call"), ("000", "Rudenko"), ("001", "January 2"), ("002", "Sunday"),
                    ("003", "on Sunday"), ("004", "late on Sunday")]),
    ("2022-01-09/2022-01-10", [("001", "January 9-10"), ("003", "Sunday and Monday")]),
    ("2022-01-10/2022-01-16", [("000", "week of Jan. 10")]),
    ("2022-01-12", [("001", "January 12")]),
    ("2022-01-13", [("001", "a day later")]),
]


@pytest.fixture(scope="module")
def seed_expressions(seed_articles):
    return [e for article in seed_articles.values() for e in find_time_expressions(article)]


@pytest.fixture(scope="module")
def seed_timeline(seed_articles):
    return build_timeline(list(seed_articles.values()))


def cited_text(articles, cite):
    return next(s.text for a in articles.values() for s in a.sentences if s.id == cite)


@pytest.mark.parametrize("date, sources", EXPECTED_ROWS, ids=[date for date, _ in EXPECTED_ROWS])
def test_build_timeline_has_every_dated_row_of_the_seed_story(seed_articles, seed_timeline, date, sources):
    at_date = [row for row in seed_timeline if row.date == date]
    assert at_date, f"no row dated {date}"
    for prefix, phrase in sources:
        article = seed_articles[prefix].id
        assert any(phrase in cited_text(seed_articles, cite) for row in at_date for cite in row.cites
                   if cite.startswith(article + ":")), f"{prefix} ({phrase!r}) is not cited at {date}"


def test_find_time_expressions_dates_the_week_of_a_day_as_that_week(seed_expressions, seed_articles):
    article = seed_articles["000"].id
    (week,) = [e for e in seed_expressions if e.sentence_id.startswith(article + ":") and "week of Jan. 10" in e.text]
    assert week.granularity == "week" and week.value == "2022-01-10/2022-01-16"


def test_build_timeline_rows_of_the_geneva_talks_read_alone(seed_articles, seed_timeline):
    # EXPECTED.md: Geneva talks 2022-01-09/10 | 001 ("January 9-10"), 003 ("Sunday and Monday"),
    # 000 ("week of Jan. 10"). The three sentences share too few words to back one text, so they stay
    # rows of their own, each readable alone; before, one row showed the fragment "that are scheduled
    # for the week of Jan. 10 in Geneva." (a relative clause without its noun).
    geneva = [r for r in seed_timeline if any(phrase in r.evidence
                                              for phrase in ("January 9-10", "Sunday and Monday", "week of Jan. 10"))]
    assert {a for r in geneva for a in r.articles} == {seed_articles[p].id for p in ("000", "001", "003")}
    assert all(r.date in {"2022-01-09/2022-01-10", "2022-01-10/2022-01-16"} for r in geneva)
    assert not [r for r in seed_timeline if re.match(r"(that|which|who)\b", r.event)]
    week = next(r for r in geneva if r.date == "2022-01-10/2022-01-16")
    assert week.event == "the diplomatic efforts for de-escalation that are scheduled for the week of Jan. 10 in Geneva"
    # 000's other "Jan. 10" (a senior official on the tone of the talks) shares only the date: its own row.
    tone = [r for r in seed_timeline if r.date == "2022-01-10" and "Jan. 10" in r.evidence]
    assert tone and all(r not in geneva for r in tone)


def test_build_timeline_event_is_the_clause_of_its_date_when_that_reads_alone(seed_articles, seed_timeline):
    # The parse gives the independent clause of the date without the clause hung on it ("..., citing the
    # possibility of severe sanctions"); a clause that depends on another is read with it, never alone
    # ("which calmed down after a meeting in June" is the relative clause of "Donbass").
    (warning,) = [r for r in seed_timeline if r.date == "2021-12-07" and "warning" in r.event]
    assert warning.event == "He had made a similar warning to Russia on Dec. 7"
    for row in seed_timeline:
        event = row.event
        assert event[:1].isupper() or event[:1].isdigit() or event[:1] in "“\"" \
            or re.match(r"(the|a|an) ", event), row  # a sentence, a clause, or a noun phrase naming the event
        if event != cited_text(seed_articles, row.cites[0]).strip():  # a piece closes what it opens
            assert event.count("“") == event.count("”"), row


def test_build_timeline_merges_one_event_dated_at_different_precision(tmp_path):
    # ECB+ 18-ecbplus (Troy, Michigan): "An accounting firm employee who was fired last week" (18_5, a week)
    # and "LaCalamita had been fired last Thursday" (18_7, a day of that week) are one event: one row at the
    # day, its event the noun phrase that names it, every citation backing it.
    from tests.test_brief import ecbplus_briefed

    brief, violations = ecbplus_briefed(tmp_path, ["18_5ecbplus", "18_7ecbplus", "18_9ecbplus"])
    assert violations == []
    fired = [r for r in brief.timeline if r.date and "fired last week" in r.event.text]
    assert fired
    row = max(fired, key=lambda r: len(r.event.sources))
    assert row.granularity == "day" and len(row.event.sources) == 3, row
    assert "last Thursday" in row.evidence and "last week" in row.evidence


def test_build_timeline_keeps_months_and_years_out_of_finer_rows(seed_timeline, seed_expressions):
    # Every sentence of a row states the row's date, or a date of at most a week that overlaps it.
    for row in (r for r in seed_timeline if r.date):
        first, last = interval(row.date)
        for cite in row.cites:
            values = [e.value for e in seed_expressions if e.sentence_id == cite and e.value]
            assert any(v == row.date or ((interval(v)[1] - interval(v)[0]).days < 7 and interval(v)[0] <= last
                                         and first <= interval(v)[1]) for v in values), (row, cite, values)


def test_build_timeline_merges_one_event_of_several_sources_into_one_row(seed_articles, seed_timeline):
    putin_call = [r for r in seed_timeline if r.date == "2021-12-30"]
    assert len(putin_call) == 1 and set(putin_call[0].articles) == {a.id for a in seed_articles.values()}
    zelensky_call = max((r for r in seed_timeline if r.date == "2022-01-02"), key=lambda r: len(r.articles))
    assert len(zelensky_call.articles) >= 4


def test_build_timeline_rows_verify_against_their_citations(seed_articles, seed_timeline):
    for row in seed_timeline:
        texts = [cited_text(seed_articles, cite) for cite in row.cites]
        assert supported(row.event, texts), row
        assert all(shares_content(row.event, text, EVENT_SHARE) for text in texts), row
        assert set(row.articles) == {c.rsplit(":", 1)[0] for c in row.cites}


def test_build_timeline_marks_rows_resting_on_inferred_publication_dates(seed_articles, seed_timeline):
    stated = seed_articles["003"].id
    for row in seed_timeline:
        if row.date and not any(a == stated for a in row.articles) and "published" in row.evidence:
            assert row.inferred and "inferred" in row.evidence, row


def test_build_timeline_marks_a_date_no_source_writes_out_inferred(seed_articles, seed_timeline):
    # "Sunday and Monday" in 003, whose date line is stated (2022-01-04), is still a date worked out
    # from that line, not one a source writes: inferred, with the expression and its anchor as evidence.
    stated = seed_articles["003"].id
    geneva = next(r for r in seed_timeline if r.date == "2022-01-09/2022-01-10" and stated in r.articles)
    assert geneva.inferred and "'Sunday and Monday'" in geneva.evidence and "published 2022-01-04" in geneva.evidence
    # A year the text writes ("NATO's 2008 ... meeting", 004) is stated: not inferred.
    summit = next(r for r in seed_timeline if r.date == "2008")
    assert not summit.inferred and "(absolute)" in summit.evidence


def test_build_timeline_lists_undated_events_apart_after_the_dated_rows_in_text_order():
    # ECB+ 3_1ecb has no date line: its weekdays cannot be resolved, its stated dates can. The
    # undated events form their own list after every dated row (issue 16: never mixed into them).
    article = ecbplus_article("3_1ecb")
    rows = build_timeline([article])
    undated = [r for r in rows if r.granularity == UNDATED]
    dated = [r for r in rows if r.date]
    assert undated and dated
    assert max(r.order for r in dated) < min(r.order for r in undated)
    assert all(not r.date for r in undated)
    sentences = [int(r.cites[0].rsplit(":", 1)[1]) for r in undated]
    assert sentences == sorted(sentences)


def test_build_timeline_gives_a_copy_no_row_of_its_own():
    # ECB+ 3_1ecb and 3_9ecb: the same AP story. Marked as a copy, 3_9ecb's sentences only join the
    # rows 3_1ecb's make; unmarked, it adds rows of its own (its 'Saturday' resolves against its own date).
    original = ecbplus_article("3_1ecb", "2008-12-13")
    copy = ecbplus_article("3_9ecb", "2008-12-14")
    apart = build_timeline([original, copy])
    marked = build_timeline([original, replace(copy, duplicate_of=original.id)])
    assert any(r.articles == (copy.id,) for r in apart)
    assert not any(r.articles == (copy.id,) for r in marked)
    assert any(copy.id in r.articles for r in marked)


def assert_sorted(rows):
    assert [r.order for r in rows] == list(range(len(rows)))
    starts = [(interval(r.date)[0], -{"year": 3, "month": 2, "week": 1}.get(r.granularity, 0)) for r in rows if r.date]
    assert starts == sorted(starts)


def test_build_timeline_does_not_depend_on_article_order(seed_articles, seed_timeline):
    assert build_timeline(list(reversed(seed_articles.values()))) == seed_timeline


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_rows_from_expressions_is_sorted_and_order_invariant(seed_articles, seed_expressions, data):
    articles = data.draw(st.lists(st.sampled_from(sorted(seed_articles)), min_size=1, max_size=5, unique=True))
    chosen = [seed_articles[p] for p in articles]
    ids = {a.id for a in chosen}
    expressions = [e for e in seed_expressions if e.sentence_id.rsplit(":", 1)[0] in ids]
    rows = rows_from_expressions(chosen, expressions)
    assert_sorted(rows)
    shuffled = data.draw(st.permutations(chosen))
    assert rows_from_expressions(shuffled, data.draw(st.permutations(expressions))) == rows


def test_build_timeline_shows_a_vague_offset_as_an_inferred_span_in_json_markdown_and_html():
    # ECB+ 22_12ecbplus (2010-09-10): "Hiller moved in several years ago" is the span 2003-2007, marked
    # inferred with its evidence wherever the brief shows the row.
    import json

    from storyline import render
    from storyline.brief import build_brief

    article = ecbplus_article("22_12ecbplus", "2010-09-10")
    rows = build_timeline([article])
    (row,) = [r for r in rows if "several years ago" in r.event]
    assert (row.date, row.granularity, row.inferred) == ("2003/2007", "range", True)
    assert "'several years ago'" in row.evidence and "ago-approximate" in row.evidence
    brief = build_brief("s", "Kraft", [article], timeline=rows)
    markdown = render.to_markdown(brief)
    assert "| 2003/2007 ~inferred |" in markdown
    evidence = markdown[markdown.index("Inferred dates, with their evidence:"):]
    assert "- 2003/2007: " in evidence and "several years ago" in evidence.split("\n- 2003/2007: ")[1].split("\n")[0]
    (shown,) = [r for r in json.loads(render.to_json(brief))["timeline"] if r["date"] == "2003/2007"]
    assert shown["inferred"] is True and "several years ago" in shown["evidence"]
    page = render.to_html(brief, {article.id: article})
    cell = page[page.index('<td class="date">2003/2007'):]
    assert cell.index('class="inferred"') < cell.index("</td>") and "several years ago" in cell[:cell.index("</td>")]
