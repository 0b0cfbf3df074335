"""Tests of storyline.timeline.anchors: an undated ECB+ article dated from the rest of its story."""

from __future__ import annotations

from dataclasses import replace

import pytest

from storyline.timeline import build_timeline, find_story_time_expressions, find_time_expressions
from tests.timeline.conftest import ecbplus_article

# ECB+ 10-ecbplus (the Red Sox and Mark Teixeira): the date lines of the dated documents, as written.
DATE_LINES = {"10_13ecbplus": "2008-12-15", "10_17ecbplus": "2008-12-16", "10_18ecbplus": "2008-12-16",
              "10_19ecbplus": "2008-12-11", "10_21ecbplus": "2008-12-15", "10_3ecbplus": "2008-12-23",
              "10_4ecbplus": "2008-12-19", "10_9ecbplus": "2008-12-22"}
UNDATED = "10_2ecbplus"  # no date line: "last July's departure of Manny Ramirez", "flew to Texas on Thursday"


@pytest.fixture(scope="module")
def story():
    return [ecbplus_article(doc, day) for doc, day in DATE_LINES.items()] + [ecbplus_article(UNDATED)]


@pytest.fixture(scope="module")
def story_expressions(story):
    return find_story_time_expressions(story)


def by_text(expressions, text):
    found = [e for e in expressions if e.text == text]
    assert found, f"{text!r} not among {[e.text for e in expressions]}"
    return found[0]


def test_find_story_time_expressions_dates_an_undated_article_from_its_story(story, story_expressions):
    alone = find_time_expressions(story[-1])
    assert by_text(alone, "last July").value is None
    in_story = by_text(story_expressions[UNDATED], "last July")
    assert in_story.value == "2008-07"  # the gold value (bench/gold/10-ecbplus.json)
    # inferred, and the anchor says from what: the busiest day of the dated articles (the earlier of two)
    assert in_story.inferred and in_story.anchor.startswith("inferred 2008-12-15 (the story's day")
    assert "10_13ecbplus" in in_story.anchor
    stated = by_text(story_expressions[UNDATED], "2007")
    assert stated.anchor == "text" and not stated.inferred


def test_find_story_time_expressions_leaves_dated_articles_as_they_are(story, story_expressions):
    for article in story[:-1]:
        assert story_expressions[article.id] == find_time_expressions(article)


def test_find_story_time_expressions_never_dates_an_article_before_what_its_text_reports(story):
    # Every other article dated 2006: the undated one reports 2007 as past, so it was written later.
    early = [replace(a, published=replace(a.published, value="2006-05-02")) for a in story[:-1]]
    found = find_story_time_expressions([*early, story[-1]])
    assert by_text(found[UNDATED], "last July").value is None


def test_find_story_time_expressions_dates_a_copy_like_the_text_it_copies():
    # ECB+ 3_9ecb copies 3_1ecb (the same AP story): its "Saturday" is the original's, not the busiest day.
    original = ecbplus_article("3_1ecb", "2008-12-13")
    others = [ecbplus_article(doc, "2008-12-20") for doc in ("3_2ecb", "3_3ecb")]
    copy = replace(ecbplus_article("3_9ecb"), duplicate_of=original.id)
    found = find_story_time_expressions([original, *others, copy])
    saturday = by_text(found[copy.id], "Saturday")
    assert saturday.value == "2008-12-13" and saturday.inferred
    assert "the text it copies, 3_1ecb" in saturday.anchor
    # without the copy mark it counts from the story's busiest day
    apart = find_story_time_expressions([original, *others, replace(copy, duplicate_of=None)])
    assert by_text(apart[copy.id], "Saturday").value == "2008-12-20"


def test_find_story_time_expressions_does_not_depend_on_article_order(story, story_expressions):
    assert find_story_time_expressions(list(reversed(story))) == story_expressions


def test_build_timeline_marks_rows_dated_from_the_story_inferred(story):
    rows = build_timeline(story)
    own = [r for r in rows if r.articles == (UNDATED,) and r.date]
    assert own, "the undated article's events get dates from its story"
    from_story = [r for r in own if "the story's day" in r.evidence]
    assert from_story and all(r.inferred for r in from_story)


def test_find_story_time_expressions_counts_an_offset_from_the_event_another_report_dates():
    # ECB+ 8-ecbplus: 8_11ecbplus (BBC, no date line read here) says "It comes a day after three bank
    # workers died"; 8_9ecbplus, dated Wednesday 2010-05-05, says "Three people died when an Athens bank went
    # up in flames Wednesday": a day after is 2010-05-06, inferred, naming the report it counts from.
    reports = [ecbplus_article("8_9ecbplus", "2010-05-05"), ecbplus_article("8_11ecbplus")]
    (after,) = [e for e in find_story_time_expressions(reports)["8_11ecbplus"] if e.text == "a day after"]
    assert after.value == "2010-05-06" and after.inferred and after.anchor.startswith("event 8_9ecbplus:")
    # Alone, 8_11ecbplus has nothing that dates the deaths.
    (alone,) = [e for e in find_story_time_expressions(reports[1:])["8_11ecbplus"] if e.text == "a day after"]
    assert alone.value is None


def test_find_story_time_expressions_gives_an_undated_story_the_year_its_present_tense_states():
    # ECB+ 11-ecb (Turkmenistan's parliamentary election), no text dated: 11_5ecb says "The election comes
    # two years after the death of ... Niyazov" and 11_8ecb that Berdymukhamedov "became president in 2006
    # after the death of Saparmurat Niyazov": the texts are written in 2008. The dates that need only a
    # year take it, marked inferred and naming that clause; a weekday needs a day and stays undated.
    ids = ["11_1ecb", "11_2ecb", "11_3ecb", "11_4ecb", "11_5ecb", "11_8ecb", "11_10ecb"]
    found = find_story_time_expressions([ecbplus_article(doc) for doc in ids])
    dec14 = by_text(found["11_10ecb"], "Dec.14")
    assert (dec14.value, dec14.inferred) == ("2008-12-14", True)
    assert dec14.anchor.startswith("inferred year 2008") and "'two years after' in 11_5ecb:" in dec14.anchor
    assert by_text(found["11_5ecb"], "September").value == "2008-09"
    assert by_text(found["11_3ecb"], "two years ago").value == "2006"
    assert by_text(found["11_4ecb"], "earlier this year").value == "2008"
    assert by_text(found["11_5ecb"], "February 2007").value == "2007-02"  # a year the text writes stays
    assert all(e.value is None for doc in ids for e in found[doc] if e.text == "Sunday")
    # Without the present-tense clause nothing says when the story is: the year-less dates stay undated.
    alone = find_story_time_expressions([ecbplus_article(doc) for doc in ids if doc != "11_5ecb"])
    assert by_text(alone["11_10ecb"], "Dec.14").value is None
    assert by_text(alone["11_3ecb"], "two years ago").value is None


@pytest.mark.parametrize(("line", "stated", "offset", "day", "hour"), [
    # Date lines of ECB+ documents, as written; the story's offset in minutes east of UTC, or None.
    ("PUBLISHED: 02:31 GMT, 12 March 2013 | UPDATED: 22:19 GMT, 12 March 2013", "2013-03-12", -240, "2013-03-11", 22),
    ("Published: 09 Sep 2013 11:25 GMT+02:00", "2013-09-09", 0, "2013-09-09", 9),
    ("26 September 2013, 10:00 (GMT+05:00)", "2013-09-26", -240, "2013-09-26", 1),
    ("September 17, 2013 03:16 PM ET", "2013-09-17", 60, "2013-09-17", 20),  # New York's daylight time
    ("on Dec 23 2012, 5:03p", "2012-12-23", None, "2012-12-23", 17),  # "p": afternoon, not 5 in the morning
    ("8:05am UK, Monday 16 September 2013", "2013-09-16", -240, "2013-09-16", 8),  # no zone it knows: as written
    ("Published time: March 12, 2013 02:03", "2013-03-12", -240, "2013-03-12", 2),
])
def test_local_writing_moves_a_date_lines_clock_into_the_storys_zone(line, stated, offset, day, hour):
    from storyline.records import Published
    from storyline.timeline.anchors import local_writing

    moment = local_writing(Published(stated, False, line), offset)
    assert (moment.day.isoformat(), moment.hour) == (day, hour)
    assert local_writing(Published(stated, False, "March 12, 2013"), offset) is None  # no clock
    assert local_writing(Published(stated, True, line), offset) is None  # an inferred date has no date line
