"""Tests of storyline.time_expressions on real text (seed story, ECB+ date lines)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings, strategies as st

from storyline.time_expressions import (
    ABSOLUTE,
    DURATION,
    HOLIDAY,
    PARTIAL,
    WEEKDAY,
    assign_years,
    find_dates,
    resolve_month_day,
    resolve_weekday,
)

from tests.conftest import SEEDS


def seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def by_text(text: str) -> dict:
    return {m.text: m for m in find_dates(text)}


def test_find_dates_reads_full_partial_holiday_and_weekday():
    found = by_text(seed("000"))
    assert found["Nov. 17, 2021"].kind == ABSOLUTE and found["Nov. 17, 2021"].value == "2021-11-17"
    assert found["Dec. 30"].kind == PARTIAL and found["Dec. 30"].value == "--12-30"
    assert found["Christmas Eve"].kind == HOLIDAY and found["Christmas Eve"].value == "--12-24"
    assert found["Sunday"].kind == WEEKDAY and found["Sunday"].weekday == 6


def test_find_dates_keeps_weekday_modifier_and_durations():
    found = by_text(seed("002"))
    assert found["last Thursday"].modifier == "last" and found["last Thursday"].weekday == 3
    assert found["March 2014"].value == "2014-03" and found["March 2014"].granularity == "month"
    duration = found["for eight years"]
    assert duration.kind == DURATION and duration.amount == 8 and duration.unit == "year"


def test_find_dates_reads_date_ranges_and_years():
    found = by_text(seed("001"))
    assert found["January 9-10"].value == "--01-09" and found["January 9-10"].until == 10
    assert found["2022"].kind == ABSOLUTE and found["2022"].granularity == "year"


def test_find_dates_reads_numeric_date_lines_of_real_pages():
    assert [m.value for m in find_dates("updated 7 / 28 / 2004 3:02:00 PM ET")] == ["2004-07-28"]
    assert [m.value for m in find_dates("Article posted on 08.07.2012")] == ["2012-07-08"]
    assert [m.value for m in find_dates("Wed, Sep 19 2012 at 11:47 AM")] == ["2012-09-19"]
    assert [m.value for m in find_dates("Fri., May. 3, 2013 11:45 AM PDT")] == ["2013-05-03"]


def test_find_dates_ignores_ordinary_words_and_counts():
    assert find_dates("We may march on, said 2,000 people; 1500 were there and $2014 was paid.") == []


def test_find_dates_survives_odd_input():
    assert find_dates("") == []
    assert find_dates(None) == []  # type: ignore[arg-type]
    assert find_dates("Feb. 31 and 99/99/2020") == []


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("JanDecMay 0123456789,./-SundayChristmas'")), max_size=60))
def test_find_dates_spans_are_ordered_and_inside_the_text(text):
    mentions = find_dates(text)
    for mention in mentions:
        assert text[mention.start:mention.end] == mention.text
    assert all(a.end <= b.start for a, b in zip(mentions, mentions[1:]))


def test_assign_years_crosses_the_new_year_after_an_anchor():
    partials = [m for m in find_dates(seed("000")) if m.text in {"Dec. 30", "Jan. 2"}]
    dated = assign_years(partials, not_before=dt.date(2021, 11, 17))
    assert {m.text: m.value for m in dated} == {"Dec. 30": "2021-12-30", "Jan. 2": "2022-01-02"}


def test_assign_years_uses_a_stated_weekday():
    mention = find_dates("She checked in on Thursday, May 2, her lawyer said.")
    assert mention[0].weekday == 3
    assert assign_years(mention, not_before=dt.date(2010, 1, 1))[0].value == "2013-05-02"


def test_assign_years_places_month_days_near_a_full_date():
    mention = find_dates("He was arrested around 1:30 a.m. Feb. 1 on suspicion of drunken driving.")
    assert assign_years(mention, near=dt.date(2009, 4, 2))[0].value == "2009-02-01"


def test_assign_years_without_anchor_leaves_partial_dates_open():
    mention = find_dates("The talks are set for January 9-10 in Geneva.")
    assert assign_years(mention) == mention


def test_resolve_weekday_and_month_day_against_an_anchor():
    assert resolve_weekday(6, dt.date(2022, 1, 1), "future") == dt.date(2022, 1, 2)
    assert resolve_weekday(3, dt.date(2022, 1, 2), "past", strict=True) == dt.date(2021, 12, 30)
    december = find_dates("on December 30")[0]
    assert resolve_month_day(december, dt.date(2022, 1, 2)).value == "2021-12-30"


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 12), st.integers(1, 28)), min_size=1, max_size=6),
    st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2090, 1, 1)),
)
def test_assign_years_keeps_a_run_shorter_than_a_year_after_the_anchor(month_days, anchor):
    mentions = [m for month, day in month_days for m in find_dates(f"on {day} {_MONTH_NAMES[month - 1]}")]
    dated = assign_years(mentions, not_before=anchor)
    days = [m.date() for m in dated]
    assert all(m.year is not None for m in dated)
    assert (max(days) - min(days)).days < 366
    assert max(days) >= anchor


_MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December"]


def test_find_dates_leaves_the_sentence_period_outside_a_full_month_name():
    assert [m.text for m in find_dates("She launched a fashion line in December.")] == ["December"]
    assert [m.text for m in find_dates("It was delayed until Sept. 17, 2013.")] == ["Sept. 17, 2013"]
