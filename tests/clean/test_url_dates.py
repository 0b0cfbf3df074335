"""Tests of storyline.clean.url_dates on the URLs of real news pages (ECB+ URL lines, the extraction benchmark)."""

from __future__ import annotations

import pytest

from storyline.clean.url_dates import UrlDate, date_in_url


@pytest.mark.parametrize(("url", "day", "text"), [
    ("http://nypost.com/2013/05/02/lindsay-lohan-is-mia-after-pretending-to-check-into-unlicensed-calif-rehab-center/",
     "2013-05-02", "/2013/05/02/"),
    ("http://articles.latimes.com/2013/may/03/local/la-me-0504-lohan-rehab-20130504", "2013-05-03", "/2013/may/03/"),
    ("http://www.utsandiego.com/news/2009/Feb/04/1s4chargers222254-williams-dui-arrest-just-latest-/",
     "2009-02-04", "/2009/Feb/04/"),
    ("http://www.sbnation.com/college-basketball/2013/3/8/4081296/missouri-valley-conference-2013-basketball",
     "2013-03-08", "/2013/3/8/"),
    ("http://usatoday30.usatoday.com/news/world/2010-05-05-greece-strike-crisis_N.htm", "2010-05-05", "2010-05-05"),
    ("http://articles.washingtonpost.com/2008-12-23/sports/36830848_1_contract-offer", "2008-12-23", "2008-12-23"),
    ("http://www.presstelegram.com/technology/20070503/judge-sentences-orozco-to-death", "2007-05-03", "20070503"),
    ("http://www.rediff.com/news/slide-show/slide-show-1-must-see-navy-pins-down-somali-pirates/20111111.htm",
     "2011-11-11", "20111111"),
    ("http://newsinfo.inquirer.net/breakingnews/world/view/20100505-268325/Deadly-fire-bomb", "2010-05-05", "20100505"),
    ("http://www.scientificamerican.com/blog/post.cfm?id=obama-nominates-new-surgeon-general-2009-07-13",
     "2009-07-13", "2009-07-13"),
    ("www.foxnews.com/world/2010/05/05/brigade-says-person-dead-bank-riots-demonstration/", "2010-05-05",
     "/2010/05/05/"),
    # A date in a longer run of letters is not read, the path's own is.
    ("http://www.reuters.com/article/2013/08/02/us-oscars-degeneres-idUSBRE9710UQ20130802", "2013-08-02",
     "/2013/08/02/"),
])
def test_date_in_url_reads_a_full_date(url, day, text):
    found = date_in_url(url)
    assert found is not None and found.day is not None
    assert found.first_day().isoformat() == day and found.text == text


@pytest.mark.parametrize(("url", "month"), [
    ("http://www.deadline.com/2013/08/ellen-degeneres-to-host-oscars/", "2013-08"),
    ("http://www.mlbtraderumors.com/2008/12/red-sox-made-20.html", "2008-12"),
    # A number that opens a slug is no day: "/2010/09/10-things" is September 2010.
    ("http://example.com/2010/09/10-things-to-know-about-the-kraft-shooting/", "2010-09"),
    # A blog's archive page collects a month: May 24 and May 23 were its posts (ECB+ 5_5, 5_7).
    ("http://nbasource.blogspot.nl/2005_05_01_archive.html", "2005-05"),
])
def test_date_in_url_reads_only_a_month(url, month):
    found = date_in_url(url)
    assert found is not None and found.day is None
    assert f"{found.year}-{found.month:02d}" == month
    assert found.first_day().day == 1 and found.last_day().month == found.month


@pytest.mark.parametrize("url", [
    "http://variety.com/2013/film/news/ellen-degeneres-to-host-oscars-1200566939/",  # a year and an id
    "http://www.upi.com/Top_News/UPI-34381091035466/",
    "http://www.reuters.com/article/us-oscars-degeneres-idUSBRE9710UQ20130802",  # glued to letters
    "http://www.whitehouse.gov/the-press-office/president-obama-announces-nominee-surgeon-general-7-13-09",
    "http://amarillo.com/stories/072904/usn_watergate.shtml",  # mmddyy: the order is not stated
    "http://www.spiegel.de/panorama/unglueck-08.07.2012-a-843299.html",  # d.m.y in Europe, m.d.y in the US
    "http://www.mvc-sports.com/mbasketball/news/2012-13/6527/arch-madness-creighton-65-drake-53/",  # a season
    "http://www.wcvb.com/Sources-Sox-May-Not-Be-Out-Of-Teixeira-Chase/-/9849586/11321984/-/18hj8m/-/index.html",
    "http://kim.wits.ac.za/index.php?module=news&action=viewstory&id=gen11Srv0Nme53_84584_1313485720",
    "http://www.businessinsider.com/riots-after-brooklyn-teen-shot-by-police-2013-3",
    "http://2013.example.com/news/story",  # a host names no date
    "", None, 42, "http://[::1", "not a url at all",
])
def test_date_in_url_reads_no_date_where_the_order_is_not_stated(url):
    assert date_in_url(url) is None


def test_url_date_of_a_full_date_is_its_own_first_and_last_day():
    found = UrlDate(2012, 2, 29, "/2012/02/29/")
    assert found.first_day() == found.last_day() and found.last_day().isoformat() == "2012-02-29"
