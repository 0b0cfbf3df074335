"""brief: figures that changed between reports are updates, same-day differences conflicts; the summary is whole sentences."""

from __future__ import annotations

import json

import pytest

from storyline import contract, pipeline, render
from storyline.brief import titles_differ
from storyline.readable import is_whole
from storyline.records import Story
from storyline.store import Store
from storyline.verify import verify_brief

# Real excerpts of two reports of the Athens bank firebombing of 5 May 2010 (ECB+ 8_3ecbplus, AP via
# USA Today; 8_8ecbplus, Reuters), as the corpus holds them.
AP = """Three die in bank during Greek riots

Riots over harsh new austerity measures left three bank workers dead and engulfed the streets of Athens on Wednesday, as angry protesters tried to storm parliament, hurled Molotov cocktails at police and torched buildings.
Police responded with barrages of tear gas.
The three bank workers a man and two women died after demonstrators set their bank on fire along the main demonstration route in central Athens.
Police said 12 people were injured in the riots.
"""
REUTERS = """Greek anti-austerity march erupts in violence, 3 dead

Three people, one of them a pregnant woman, were killed when Greeks protesting against government austerity measures threw petrol bombs at a bank in Athens on Wednesday.
Tens of thousands of striking workers and civil servants took to the streets and masked youths clashed with police in riot gear, who responded with steady rounds of tear gas and flash bombs which clouded the city centre.
Police said two women and one man, between 30 and 40 years old, working for a Marfin bank branch choked on smoke after protesters broke the windows of a commercial building on central Stadiou Avenue and tossed in Molotov cocktails.
Police said 18 people had been injured in the violence and 12 arrested for carrying weapons and resisting authorities.
"""


def brief_of(tmp_path, ap_day: str, reuters_day: str):
    """The two reports, published on the given days, through the pipeline and briefed as one story."""
    path = tmp_path / "reports.jsonl"
    path.write_text("\n".join(json.dumps({"text": text, "published": day, "outlet": outlet}) for text, day, outlet in
                              ((AP, ap_day, "AP"), (REUTERS, reuters_day, "Reuters"))) + "\n", encoding="utf-8")
    with Store(tmp_path / "s.db") as store:
        pipeline.add(store, [str(path)])
        articles = list(store.iter_articles())
        brief, _ = pipeline.analyse_story(articles, Story("athens", tuple(a.id for a in articles), None, None, "x"))
        violations = verify_brief(contract.brief_json(brief), store.get_sentence, store.article_body)
    return brief, violations


def test_brief_a_figure_that_rose_on_a_later_day_is_an_update(tmp_path):
    brief, violations = brief_of(tmp_path, "2010-05-05", "2010-05-06")
    assert violations == []
    injured = [u for u in brief.updates if u.subject == "injured"]
    assert len(injured) == 1
    assert [(v.value, v.as_of) for v in injured[0].values] == [("12", "2010-05-05"), ("18", "2010-05-06")]
    assert not any("12" in c.reason and "18" in c.reason for c in brief.conflicts)
    latest = [s for s in brief.summary if s.text.startswith("Police said 18 people")]
    assert latest and "as of 2010-05-06" in latest[0].evidence  # the summary gives the latest figure
    markdown = render.to_markdown(brief)
    section = markdown[markdown.index("## How the figures changed"):]
    assert section.index("18 as of 2010-05-06") < section.index("12 as of 2010-05-05")  # latest first
    data = contract.brief_json(brief)
    assert data["updates"][0]["values"][1]["statement"]["text"].startswith("Police said 18 people")
    assert contract.brief_from_json(data).updates == brief.updates


def test_brief_a_same_day_difference_stays_a_conflict(tmp_path):
    brief, violations = brief_of(tmp_path, "2010-05-05", "2010-05-05")
    assert violations == []
    assert brief.updates == ()
    conflict = next(c for c in brief.conflicts if "12" in c.reason and "18" in c.reason)
    assert conflict.kind == "number" and "injured" in conflict.reason
    assert {len(c.sources) for c in conflict.claims} == {1} and len({c.sources for c in conflict.claims}) == 2


@pytest.mark.parametrize("text, whole", [
    ("Police said 12 people were injured in the riots.", True),
    ("“A demonstration is one thing and murder is quite another!” Papandreou said.", True),
    ("as angry protesters tried to storm parliament.", False),  # starts in lower case
    ("He burst into the courtroom and shot Sgt.", False),  # stops after an abbreviation
    ("A powerful earthquake has hit southern Iran, killing at least 10 people, officials say.", True),
    ("The deal was signed in the U.S.", True),
    ("It was announced by John J.", False),  # stops after an initial
    ("Early Friday morning, around 1:30 a.m.", False),  # cut after "a.m.," (1_17ecbplus goes on "the actress ...")
    ("“And I just wanted to say that I will not bring dishonor.", False),  # leaves a quote open
    ("Lindsay Lohan's lawyer says the actress checked into rehab on Thursday", False),  # stops mid-way
])
def test_brief_summary_sentences_read_whole(text, whole):
    assert is_whole(text) is whole


def test_brief_empty_conflicts_say_so(tmp_path):
    brief, _ = brief_of(tmp_path, "2010-05-05", "2010-05-06")
    empty = type(brief)(**{**{f: getattr(brief, f) for f in brief.__slots__}, "conflicts": ()})
    assert "No conflicts found between the sources." in render.to_markdown(empty)
    assert "No conflicts found between the sources." in render.to_html(empty, {})


def test_brief_capped_sections_say_how_many_more(seed_store, tmp_path):
    import shutil
    path = tmp_path / "seed.db"
    shutil.copy(seed_store, path)
    with Store(path) as store:
        story = max(store.stories(), key=lambda s: len(s.articles))
        articles = {a.id: a for a in store.get_articles(list(story.articles))}
        brief = pipeline.brief_story(store, story).brief
    omitted = dict(brief.omitted)
    assert omitted.get("single_source", 0) > 0  # five long reports say more than 30 things alone
    markdown, html = render.to_markdown(brief), render.to_html(brief, articles)
    assert f"_{omitted['single_source']} more single-source statements are not shown" in markdown
    assert f"{omitted['single_source']} more single-source statements are not shown" in html
    data = contract.brief_json(brief)
    assert data["omitted"] == omitted and contract.brief_from_json(data).omitted == brief.omitted


def ecbplus_briefed(tmp_path, ids: list[str]):
    """Whole ECB+ documents (tests/data), date lines and all, through the pipeline, briefed as one story."""
    from tests.conftest import ECBPLUS
    documents = {}
    with ECBPLUS.open(encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            if doc["id"] in ids:
                documents[doc["id"]] = doc["text"]
    paths = []
    for doc_id in ids:
        (tmp_path / f"{doc_id}.txt").write_text(documents[doc_id], encoding="utf-8")
        paths.append(str(tmp_path / f"{doc_id}.txt"))
    with Store(tmp_path / "s.db") as store:
        pipeline.add(store, paths)
        articles = list(store.iter_articles())
        brief, _ = pipeline.analyse_story(articles, Story("x", tuple(a.id for a in articles), None, None, "x"))
        violations = verify_brief(contract.brief_json(brief), store.get_sentence, store.article_body)
    return brief, violations


def test_brief_same_day_reports_hours_apart_are_an_update_as_of_their_date_lines(tmp_path):
    # The AP report's date line reads "Updated 5 / 5 / 2010 1:41 PM", Reuters' "Wed May 5, 2010 7:12pm BST":
    # one day, but the injured count grew between them (bench/gold/8-ecbplus).
    brief, violations = ecbplus_briefed(tmp_path, ["8_3ecbplus", "8_8ecbplus"])
    assert violations == []
    injured = next(u for u in brief.updates if u.subject == "injured")
    assert [(v.value, v.as_of) for v in injured.values] == [("12", "2010-05-05 1:41 PM"),
                                                            ("18", "2010-05-05 7:12pm BST")]
    assert not any("12" in c.reason and "18" in c.reason for c in brief.conflicts)


def test_brief_a_figure_two_versions_of_one_report_state_otherwise_is_a_revision(tmp_path):
    # AFP's report ran twice (8_1ecbplus "May 5, 2010"; 8_2ecbplus "First Posted 23:37:00 05 / 05 / 2010"): one
    # version has the stock market's fall during the day, the other its close.
    brief, violations = ecbplus_briefed(tmp_path, ["8_1ecbplus", "8_2ecbplus"])
    assert violations == []
    assert any(s.duplicate_of for s in brief.sources)  # dedup: one report, one source
    fall = next(u for u in brief.updates if u.subject == "percent")
    assert {v.value for v in fall.values} == {"5.4", "3.9"}
    assert "which came first is not known" in fall.reason  # one version's date line has no time
    assert not any(c.kind == "number" and "5.4" in c.reason for c in brief.conflicts)


def test_brief_two_figures_one_report_states_together_are_two_things_not_one_revised(tmp_path):
    # Two versions of one Reuters report (19_7ecb, 19_8ecb): the later adds a second poll, "68 percent" in
    # Kathimerini beside Ethnos' "83.3 percent", which it still states. Neither is a revision of the other.
    brief, violations = ecbplus_briefed(tmp_path, ["19_7ecb", "19_8ecb"])
    assert violations == []
    assert any(s.duplicate_of for s in brief.sources)  # one report in two versions
    told = [u.reason for u in brief.updates] + [c.reason for c in brief.conflicts]
    assert not any("83.3" in reason or "68" in reason for reason in told), told


def test_brief_ages_and_strengths_are_no_toll(tmp_path):
    # 21-ecbplus: "A 59-year-old woman was killed" (21_13ecbplus, 14 September) and "Maria Dulce-Valencia,
    # 27, was also killed" (21_12ecbplus, 19 September) are two women's ages, not a toll that fell 59 -> 27.
    brief, violations = ecbplus_briefed(tmp_path, ["21_13ecbplus", "21_12ecbplus"])
    assert violations == []
    told = [(u.subject, u.reason) for u in brief.updates] + [(c.subject, c.reason) for c in brief.conflicts]
    assert not any("59" in reason or "27" in reason for _, reason in told), told


def test_brief_a_bound_and_a_later_larger_count_are_an_update_not_a_conflict(tmp_path):
    # Real sentences of ECB+ 27_2ecb and 27_17ecb (the Internet Explorer attacks of December 2008).
    early = "By Saturday, at least 6,000 Web sites had been infected and the number is growing."
    late = ("Trend Micro has identified about 10,000 Web sites that have been infected with malicious software that "
            "can be surreptitiously slipped into visitors' unprotected IE browsers to take advantage of the flaw.")
    path = tmp_path / "reports.jsonl"
    path.write_text("\n".join(json.dumps({"text": f"IE flaw\n\n{text}\n", "published": day, "outlet": outlet})
                              for text, day, outlet in ((early, "2008-12-13", "AP"), (late, "2008-12-17", "PCW")))
                    + "\n", encoding="utf-8")
    with Store(tmp_path / "s.db") as store:
        pipeline.add(store, [str(path)])
        articles = list(store.iter_articles())
        brief, _ = pipeline.analyse_story(articles, Story("ie", tuple(a.id for a in articles), None, None, "x"))
    sites = next(u for u in brief.updates if u.subject == "site")
    # Each value as its sentence states it, with its qualifier: the first is a floor.
    assert [(v.value, v.as_of) for v in sites.values] == [("at least 6,000", "2008-12-13"),
                                                          ("about 10,000", "2008-12-17")]
    assert brief.conflicts == ()  # both can be true: no disagreement either way


def test_brief_a_figure_a_sentence_gives_as_of_an_earlier_day_is_as_of_that_day(tmp_path):
    # The real sentences of 27_2ecb and 27_17ecb, here both published on Monday 15 December 2008: one day, but
    # "By Saturday, at least 6,000" is the count as of Saturday 13 December (the timeline's reading of
    # "Saturday": inferred), so the two values are of two days and the count changed between them.
    early = "By Saturday, at least 6,000 Web sites had been infected and the number is growing."
    late = ("Trend Micro has identified about 10,000 Web sites that have been infected with malicious software that "
            "can be surreptitiously slipped into visitors' unprotected IE browsers to take advantage of the flaw.")
    path = tmp_path / "reports.jsonl"
    path.write_text("\n".join(json.dumps({"text": f"IE flaw\n\n{text}\n", "published": "2008-12-15", "outlet": outlet})
                              for text, outlet in ((early, "AP"), (late, "PCW"))) + "\n", encoding="utf-8")
    with Store(tmp_path / "s.db") as store:
        pipeline.add(store, [str(path)])
        articles = list(store.iter_articles())
        brief, _ = pipeline.analyse_story(articles, Story("ie", tuple(a.id for a in articles), None, None, "x"))
    sites = next(u for u in brief.updates if u.subject == "site")
    assert [(v.value, v.as_of, v.inferred) for v in sites.values] == [
        ("at least 6,000", "2008-12-13 (By Saturday)", True), ("about 10,000", "2008-12-15", False)]
    assert "order inferred" not in sites.reason and brief.conflicts == ()


def test_brief_undated_reports_a_floor_and_a_larger_count_are_an_update_ordered_by_growth(tmp_path):
    # 27_2ecb ("By Saturday, at least 6,000 Web sites had been infected") and 27_17ecb ("about 10,000 Web
    # sites"), whole, as ECB+ holds them: neither report is dated. A count given as a floor is a count still
    # coming in, so the larger count is the later one; the order is inferred and said so.
    brief, violations = ecbplus_briefed(tmp_path, ["27_2ecb", "27_17ecb"])
    assert violations == []
    assert not any(s.published for s in brief.sources)
    sites = next(u for u in brief.updates if u.subject == "site")
    assert [(v.value, v.as_of, v.inferred) for v in sites.values] == [("at least 6,000", "Saturday", True),
                                                                      ("about 10,000", "undated", True)]
    assert "order inferred" in sites.reason
    assert sites.values[0].statement.text.startswith("By Saturday, at least 6,000")
    assert not any("6,000" in c.reason for c in brief.conflicts)
    section = render.to_markdown(brief).split("## How the figures changed")[1]
    assert section.index("about 10,000 as of undated ~inferred") < section.index("at least 6,000 as of Saturday")
    assert "latest first (order inferred: not every report is dated" in section  # the reader is told why
    html = render.to_html(brief, {}, standalone=False)
    assert "latest first (order inferred: not every report is dated" in html


def test_brief_undated_exact_counts_stated_otherwise_are_no_update(tmp_path):
    # The two Athens reports with no publication date: 12 and 18 injured may be two times or a disagreement;
    # with neither a time nor a floor to order them, they stay a conflict, never an update.
    brief, violations = brief_of(tmp_path, None, None)
    assert violations == []
    assert not any(s.published for s in brief.sources)
    assert brief.updates == ()
    assert any(c.kind == "number" and "12" in c.reason and "18" in c.reason for c in brief.conflicts)


def test_brief_one_offer_counted_by_two_nouns_is_one_update_and_a_range_shows_both_ends(tmp_path):
    # 10_19ecbplus (11 December: "an 8-year, $160 million contract"), 10_13ecbplus (15 December: "$160 million
    # offers") and 10_3ecbplus (23 December: the Nationals "upgraded their initial offer ... to somewhere between
    # $178 million and $184 million"): one offer, one entry, its new value the range the report gives.
    brief, violations = ecbplus_briefed(tmp_path, ["10_19ecbplus", "10_13ecbplus", "10_3ecbplus"])
    assert violations == []
    offers = [u for u in brief.updates if any("$160 million" in v.value for v in u.values)]
    assert len(offers) == 1, [u.reason for u in brief.updates]
    values = [(v.value, v.as_of[:10]) for v in offers[0].values]
    assert values == [("$160 million", "2008-12-11"), ("between $178 million and $184 million", "2008-12-23")]


# Real sentences of two reports of the Red Sox's offer to Mark Teixeira (ECB+ 10_2ecbplus, Yahoo Sports;
# 10_4ecbplus, WCVB; CC BY 3.0), as the corpus holds them: one calls Larry Lucchino CEO, the other COO.
YAHOO = """Red Sox make offer to Teixeira

Boston Red Sox majority owner John W. Henry, CEO Larry Lucchino and general manager Theo Epstein flew to Texas on Thursday night to meet with free agent Mark Teixeira and his agent, Scott Boras, in an effort to convince the switch-hitting first baseman to sign with Boston.
"""
WCVB = """Red Sox offer Teixeira eight years

Lynch reported the Red Sox team of owner John Henry, COO Larry Lucchino and General Manager Theo Epstein offered Teixeira, 28, an eight-year deal worth $184 million or $23 million per season.
"""


def test_brief_a_title_two_sources_state_otherwise_is_a_name_conflict(tmp_path):
    path = tmp_path / "reports.jsonl"
    path.write_text("\n".join(json.dumps({"text": text, "published": "2008-12-19", "outlet": outlet})
                              for text, outlet in ((YAHOO, "Yahoo"), (WCVB, "WCVB"))) + "\n", encoding="utf-8")
    with Store(tmp_path / "s.db") as store:
        pipeline.add(store, [str(path)])
        articles = list(store.iter_articles())
        brief, _ = pipeline.analyse_story(articles, Story("sox", tuple(a.id for a in articles), None, None, "x"))
        assert verify_brief(contract.brief_json(brief), store.get_sentence, store.article_body) == []
    (title,) = [c for c in brief.conflicts if c.kind == "name"]
    assert title.reason == "CEO vs COO (Larry Lucchino)"
    assert {c.text for c in title.claims} == {line for text in (YAHOO, WCVB) for line in text.splitlines()[2:3]}
    assert len({s for c in title.claims for s in c.sources}) == 2


@pytest.mark.parametrize("one, other, differ", [
    # 27_7ecb / 27_9ecb: one post named otherwise.
    ("Microsoft Security Response Alliance director", "director of the Microsoft Security Response Center", True),
    ("CEO", "COO", True),
    # The same post in other words, longer, or spelt otherwise (27-ecb, 3-ecb, 1-ecbplus).
    ("Microsoft security response communications head", "Microsoft security response communications lead", False),
    ("Superior Court Judge", "Fulton County Superior Court Judge", False),
    ("L.A. Superior Court Judge", "LA Superior Court Judge", False),
    ("Security Response Centre director", "Security Response Center director", False),
    ("former attorney", "former lawyer", False),
    ("CEO", "president", False),
])
def test_brief_titles_differ_only_when_they_name_another_post(one, other, differ):
    assert titles_differ(one, other) is differ


# Real sentences of ECB+ 7_1ecbplus (AP, 8 July 2012): Klitschko's defence against Tony Thompson.
KLITSCHKO = ("Wladimir Klitschko stopped Tony Thompson in the sixth round to keep a comfortable hold on his WBA, IBF "
             "and WBO heavyweight titles Saturday night.")
REMATCH = "In 2008, Klitschko stopped Thompson in the 11th round."


def test_brief_a_clause_cut_from_a_list_is_no_summary_sentence():
    from storyline.brief import whole_statement
    from storyline.records import Statement
    texts = {"a:0": KLITSCHKO, "b:0": KLITSCHKO}
    part = Statement("IBF and WBO heavyweight titles Saturday night.", ("a:0", "b:0"), ("a", "b"))
    whole = whole_statement(part, texts, {})
    assert whole is not None and whole.text == KLITSCHKO and whole.cites == ("a:0", "b:0")
    # A clause after a semicolon or ", and" still reads as a sentence of its own.
    joined = "Police said 12 people were injured; Police said 18 people had been injured."
    own = Statement("Police said 18 people had been injured.", ("c:0",), ("c",))
    assert whole_statement(own, {"c:0": joined}, {}) is own


def test_brief_history_goes_last_in_the_summary():
    import datetime as dt
    from storyline.brief import history_sentences, summary_rank
    from storyline.claims import extract_claims
    from storyline.compare import align_claims
    from tests.test_compare import articles_of
    articles = articles_of(("a", f"{KLITSCHKO}\n{REMATCH}"))
    groups = align_claims(extract_claims(articles))
    history = history_sentences(groups, dt.date(2012, 7, 8))
    assert history == {"a:1"}  # 2008, four years before the reports; the fight's own "Saturday" is not
    assert history_sentences(groups, dt.date(2009, 1, 10)) == frozenset()  # weeks after, not history
    from storyline.records import Statement
    lengths = {"a": 2}
    old, new = Statement(REMATCH, ("a:1",), ("a", "b")), Statement(KLITSCHKO, ("a:0",), ("a", "b"))
    assert summary_rank(old, lengths, history) > summary_rank(new, lengths, history)


def test_brief_a_sentence_that_goes_on_from_the_one_before_is_no_summary_sentence():
    from storyline.brief import BriefConfig, choose_summary
    from storyline.records import Statement
    # Real sentences of ECB+ 22-ecbplus (the Kraft plant shooting of 9 September 2010), each in three
    # or more reports: the first leans on the sentence before it in its article.
    leaning = Statement("And so were the two women she's accused of gunning down, just minutes after she'd been "
                        "suspended and escorted from the building.", ("a:4", "b:1", "c:11"), ("a", "b", "c"))
    whole = Statement("About 100 people were in the building when she began shooting.", ("d:3", "e:3", "f:3"),
                      ("d", "e", "f"))
    lengths = {key: 20 for key in "abcdef"}
    chosen = choose_summary([leaning, whole], lengths, 2, BriefConfig(),
                            {c: s.text for s in (leaning, whole) for c in s.cites})
    assert [s.text for s in chosen] == [whole.text]


def test_brief_agreed_statements_read_alone_and_the_rest_are_counted(tmp_path):
    # ECB+ 14-ecb, a supermarket fire reported by ten outlets: the claims stage splits long sentences
    # into clauses, and "the store would be rebuilt." or "“I'm afraid the building here is a total loss.”"
    # alone lose who said it or open no quote. The agreed list gives the whole sentence when two sources
    # still support it, leaves out what cannot read alone, and says how many it left out.
    from tests.conftest import ECBPLUS
    ids = [json.loads(line)["id"] for line in ECBPLUS.open(encoding="utf-8") if '"story": "14-ecb"' in line]
    brief, violations = ecbplus_briefed(tmp_path, ids)
    assert not violations, violations
    assert len(brief.agreed) >= 10
    for statement in brief.agreed:
        text = statement.text
        assert not text[:1].islower(), text
        assert text.count("“") == text.count("”") and text.count('"') % 2 == 0, text
        assert len(set(statement.sources)) >= 2, text
    rebuilt = [s.text for s in brief.agreed if "rebuilt" in s.text]
    assert rebuilt and all("said" in text for text in rebuilt)  # the whole sentence, with who said it
    omitted = dict(brief.omitted)
    assert omitted.get("agreed", 0) > 0
    assert f"_{omitted['agreed']} more agreed statements are not shown" in render.to_markdown(brief)


def test_brief_a_timeline_row_cites_no_two_sentences_at_odds():
    # Real sentences of ECB+ 31-ecbplus (Creighton beat Drake on Friday 8 March 2013): both date the game
    # "Friday", but one counts McDermott's 23 points of the game and the other his 2,129 of a career. A
    # row citing both fails `verify` (two citations state "points" with different values): the later
    # one is left out, the first (the event's own sentence) stays.
    from storyline.brief import row_statement
    from storyline.records import TimelineRow
    from storyline.verify import at_odds
    game = ("Doug McDermott scored 23 points Friday and became Creighton ’ s all-time leading scorer in helping the "
            "Bluejays to a 65-53 victory over Drake at the quarterfinals of the Missouri Valley tournament.")
    career = ("McDermott now has 2,129 points heading into Saturday ’ s semifinals against the winner of Friday ’ s "
              "second quarterfinal between Evansville and Indiana State.")
    texts = {"a:0": game, "a:2": career, "b:0": game}
    assert at_odds(game, career)
    row = TimelineRow("2013-03-08", "day", game, ("a:0", "a:2", "b:0"), ("a", "b"), False, 0)
    statement = row_statement(row, texts, {})
    assert statement.cites == ("a:0", "b:0") and statement.sources == ("a", "b")
    assert row_statement(row, texts, {"b": "a"}).sources == ("a",)  # a copy is no second source


def test_brief_a_value_already_reported_at_the_older_time_is_no_update(tmp_path):
    # ECB+ 25-ecbplus: "missed 10 games" (25_9, 5 January 4:35 PM) and "missed nine games" (25_11, 6 January)
    # look like a count that fell; but 25_6 said nine on 5 January too. The reports disagree: no update.
    brief, violations = ecbplus_briefed(tmp_path, ["25_6ecbplus", "25_9ecbplus", "25_11ecbplus"])
    assert violations == []
    assert not [u for u in brief.updates if u.subject == "game"], brief.updates
    games = [c for c in brief.conflicts if "10" in c.reason and "nine" in c.reason]
    assert games and games[0].kind == "number"


def test_brief_agreement_is_counted_by_outlet_not_by_article(tmp_path):
    # ECB+ 33-ecbplus (the trial for the killing of Zurana Horton, Brooklyn, 2011-2013): three reports of
    # the New York Daily News and two of News 12 Brooklyn among eleven. An outlet's later report repeating
    # its earlier one confirms nothing: "agreed" needs two outlets.
    ids = [f"33_{n}ecbplus" for n in range(1, 12)]
    brief, violations = ecbplus_briefed(tmp_path, ids)
    assert not violations
    outlet_of = {s.article: s.outlet for s in brief.sources}
    assert sorted(outlet_of.values()).count("nydailynews.com") == 3
    assert brief.agreed and brief.summary
    for statement in brief.agreed + brief.summary:
        outlets = [outlet_of[source] for source in statement.sources]
        assert len(set(outlets)) == len(outlets) >= 2, (statement.text, outlets)
    # The reports keep their own places in the list of sources: none of them is called a copy.
    assert not any(s.duplicate_of for s in brief.sources if s.outlet == "nydailynews.com")


def test_brief_summary_says_each_fact_once():
    from storyline.brief import BriefConfig, choose_summary, repeats
    from storyline.records import Statement
    # Real sentences of ECB+ 5-ecb (the 76ers fire Maurice Cheeks, December 2008), each standing for a
    # statement of several reports.
    fired = Statement("On Saturday, Cheeks was fired as head coach of the Philadelphia 76ers.",
                      ("a:0", "b:0", "c:0"), ("a", "b", "c"))  # 5_12ecb
    again = Statement("Maurice Cheeks has been fired as head coach of the Philadelphia 76ers following the club's "
                      "disappointing 9-14 start to the season.", ("d:0", "e:0"), ("d", "e"))  # 5_11ecb
    successor = Statement("Assistant general manager Tony DiLeo was appointed coach for rest of the season.",
                          ("f:1", "g:1"), ("f", "g"))  # 5_2ecb
    lengths = {key: 20 for key in "abcdefg"}
    texts = {c: s.text for s in (fired, again, successor) for c in s.cites}
    chosen = choose_summary([fired, again, successor], lengths, 2, BriefConfig(), texts)
    assert [s.text for s in chosen] == [fired.text, successor.text]
    # Two sentences that share most words but state other figures say two things.
    assert not repeats(REMATCH, KLITSCHKO, BriefConfig())
    assert repeats("Williams died early Thursday in her sleep, according to her longtime publicist Harlan Boll.",
                   "Williams died peacefully in her sleep Thursday in Beverly Hills, family spokesman Harlan Boll "
                   "announced", BriefConfig())  # 4_10ecbplus, 4_5ecbplus


def test_brief_an_age_given_otherwise_years_later_is_no_update(tmp_path):
    # ECB+ 16-ecbplus: the suspect is "Jose Luis Orozco, 27" in the 2005 report of the shooting (16_5) and
    # "Orozco, 29" in the 2007 report of his conviction (16_2): time passed; the story's figures did not change.
    brief, violations = ecbplus_briefed(tmp_path, ["16_5ecbplus", "16_2ecbplus"])
    assert violations == []
    assert [s.published[:4] for s in brief.sources] == ["2005", "2007"]
    assert not [u for u in brief.updates if u.subject == "age"], brief.updates
    assert not [c for c in brief.conflicts if "27" in c.reason and "29" in c.reason], brief.conflicts


def test_brief_summary_opens_with_an_agreed_leading_clause_marked_as_trimmed(tmp_path):
    # ECB+ 25-ecbplus: "Pierre Thomas was placed on injured reserve by the New Orleans Saints on Wednesday, meaning
    # he won't play in the 2011 NFL playoffs" (25_5) goes on otherwise in each report; what happened, the clause
    # before the comma, is agreed. The summary opens with it: marked as trimmed, or as an agreed whole sentence
    # that says it and more.
    ids = ["25_3ecbplus", "25_5ecbplus", "25_6ecbplus", "25_7ecbplus", "25_8ecbplus", "25_9ecbplus", "25_10ecbplus",
           "25_11ecbplus", "25_13ecbplus", "25_14ecbplus", "25_15ecbplus"]
    brief, violations = ecbplus_briefed(tmp_path, ids)
    assert violations == []
    # Agreed as the clause, or as the claim group's text that says it and more with as many sources (the
    # group shows its member that states the most: "... on injured reserve Wednesday because of an ankle
    # injury."); the lead's clause then joins the agreed facts no more, a repeat of it.
    clause = [s for s in brief.agreed if s.text.startswith("Pierre Thomas was placed on injured reserve")
              or "placed Pierre Thomas on injured reserve Wednesday" in s.text]
    assert clause and len(clause[0].sources) >= 5, brief.agreed
    # In the summary the clause gives way to a whole sentence other sources state that says it and more ("The
    # New Orleans Saints placed Pierre Thomas on injured reserve Wednesday because of an ankle injury.").
    first = brief.summary[0]
    assert "Pierre Thomas on injured reserve Wednesday" in first.text or first.text.startswith(
        "Pierre Thomas was placed on injured reserve") and first.text.endswith(" ..."), brief.summary
    assert len(first.sources) >= 2 and not any(s.text.startswith("Pierre Thomas was placed") for s in brief.summary[1:])
    # The clause's sentence goes on ("but ..."): a sentence that stops unfinished (9_5ecb, its quote on the next
    # line) is no trimmed clause.
    from storyline.brief import leading_clause
    from storyline.records import Statement
    unfinished = "Andrew Wetzler, director of the Natural Resources Defense Council's endangered species program, commented,"
    assert leading_clause(Statement(unfinished.rstrip(","), ("a:0",), ("a",)), {"a:0": unfinished}) is None
    # A tweet quoted without its opening mark (2_3ecbplus): someone's words with no one saying them.
    tweet = "I'd like to thank @TheAcademy, my wife Portia and, oh dear, there goes the orchestra.”"
    assert leading_clause(Statement("I'd like to thank @TheAcademy, my wife Portia", ("a:0",), ("a",)),
                          {"a:0": tweet}) is None


def test_brief_summary_opens_with_what_the_leads_say_happened_and_when(tmp_path):
    # ECB+ 11-ecb (Turkmenistan's parliamentary election of Sunday 14 December 2008): each report's lead tells
    # the vote in its own words ("Voters in reclusive Turkmenistan elect a parliament Sunday in balloting ...",
    # "Turkmenistan voted Sunday in a parliamentary election meant to show ...", "Voters in Turkmenistan cast
    # ballots Sunday in a parliamentary election hailed by ..."), so no claim group holds them; main's summary
    # opened on the 288 candidates. Its first line is now a lead's main clause that other leads state, with
    # the day, marked as trimmed where it stops before the rest of its sentence.
    ids = ["11_10ecb", "11_11ecb", "11_1ecb", "11_2ecb", "11_3ecb", "11_4ecb", "11_5ecb", "11_6ecb", "11_7ecb",
           "11_8ecb", "11_9ecb"]
    brief, violations = ecbplus_briefed(tmp_path, ids)
    assert violations == []
    first = brief.summary[0]
    assert "Turkmen" in first.text and "Sunday" in first.text and "parliament" in first.text, brief.summary
    assert len(first.sources) >= 3, first
    assert first in brief.agreed or any(first.text == s.text for s in brief.agreed), brief.agreed


def test_lead_cuts_stop_after_the_main_clause_and_never_inside_a_phrase():
    # Real leads: 11_3ecb, 27_1ecb, 25_5ecbplus, 1_9ecbplus (ECB+, CC BY 3.0).
    from storyline.claims import lead_cuts
    from storyline.records import Article, Origin, Outlet, Published, Sentence
    leads = ["Voters in Turkmenistan cast ballots Sunday in a parliamentary election hailed by the government as "
             "an exercise in democracy but dismissed by critics as a sham.",
             "Microsoft has released an emergency patch to fix a software flaw that allows hackers to get into "
             "Internet Explorer browsers and take over computers.",
             "Pierre Thomas was placed on injured reserve by the New Orleans Saints on Wednesday, meaning he won't "
             "play in the 2011 NFL playoffs.",
             "Lindsay Lohan's lawyer says the actress checked into rehab on Thursday, but the facility has not been "
             "officially sanctioned by the court that ordered her to serve 90 days of treatment."]
    articles = [Article(f"a{k}", f"d{k}", Origin("file", f"a{k}.txt"), "", Outlet(), (), Published(), "en", text,
                        (Sentence(f"a{k}:0", 0, text, 0, len(text)),)) for k, text in enumerate(leads)]
    cuts = lead_cuts(articles)
    trims = {k: [leads[k][:at].rstrip(" ,") for at in cuts[f"a{k}:0"].cuts] for k in range(len(leads))}
    # The verb that tells each event, past a verb of saying.
    assert [cuts[f"a{k}:0"].verb for k in range(len(leads))] == ["cast", "released", "placed", "checked"]
    assert "Voters in Turkmenistan cast ballots Sunday in a parliamentary election" in trims[0]
    assert "Microsoft has released an emergency patch to fix a software flaw" in trims[1]
    assert "Pierre Thomas was placed on injured reserve by the New Orleans Saints on Wednesday" in trims[2]
    assert "Lindsay Lohan's lawyer says the actress checked into rehab on Thursday" in trims[3]
    for trim in [t for found in trims.values() for t in found]:
        last = trim.split()[-1]
        # Never a phrase cut in two ("... Sunday in", "... but", "... hailed by"), a verb without what it
        # needs ("... the actress checked") or a participle without its agent ("... election hailed").
        assert last not in ("in", "by", "but", "as", "to", "the", "a", "checked", "hailed", "that"), trim
        assert len(trim.split()) >= 6, trim


def test_summary_reads_a_sentence_in_the_first_person_as_a_quote():
    # Real agreed sentences of ECB+ 1-ecb and 26-ecbplus: a quote with no marks ("I dated a million guys, ...")
    # ranked with the facts once; it ranks as a quote, and as it names no speaker the summary leaves it out
    # (someone's words with no one saying them: test_brief_summary_speaks_in_no_one_s_voice).
    from storyline.brief import OTHER_ROLE, QUOTE_ROLE, BriefConfig, choose_summary, summary_rank
    from storyline.records import Statement
    named = Statement("Gigante was born in the Bronx to parents who were immigrants from Naples, Italy.",
                      ("a:12", "b:15"), ("a", "b"))
    said = Statement("I dated a million guys, but I'm so happy with where I'm at right now.", ("a:8", "c:6"),
                     ("a", "c", "d"))
    lengths = {"a": 20, "b": 20, "c": 20, "d": 20}
    assert summary_rank(named, lengths)[0] == OTHER_ROLE
    assert summary_rank(said, lengths)[0] == QUOTE_ROLE
    texts = {c: s.text for s in (named, said) for c in s.cites}
    chosen = choose_summary([said, named], lengths, 2, BriefConfig(), texts)
    assert [s.text for s in chosen] == [named.text]


def test_brief_summary_speaks_in_no_one_s_voice(tmp_path):
    # ECB+ 35-ecb (Vincent Jackson's DUI arrest): four reports quote the team's general manager over several
    # sentences, "Obviously, we're disappointed." among them, with the speaker named in another sentence. The
    # agreed facts may list it with its cites; the summary does not say it in the brief's own voice.
    from storyline.brief import unattributed_voice
    ids = ["35_1ecb", "35_2ecb", "35_3ecb", "35_4ecb", "35_5ecb", "35_6ecb", "35_7ecb", "35_8ecb", "35_9ecb", "35_10ecb"]
    brief, violations = ecbplus_briefed(tmp_path, ids)
    assert violations == []
    assert any(s.text == "Obviously, we're disappointed." for s in brief.agreed), brief.agreed
    assert brief.summary and not [s.text for s in brief.summary if unattributed_voice(s.text)], brief.summary
    # A first-person quote that names its speaker, or the first person inside quotation marks, is attributed.
    assert not unattributed_voice("“I was stopped by an officer,” he said.")
    assert not unattributed_voice("‘This morning I was stopped by an officer,’ Jackson said in the statement.")
    assert unattributed_voice("We take these issues very seriously.")


def test_brief_lists_no_clause_that_stops_before_what_was_said(tmp_path):
    # ECB+ 4-ecb: "Playboy founder Hugh Hefner said:" (its quote on the next line, 4_4ecb) and "Playboy founder
    # Hugh Hefner said her appearance in his magazine's first year was a milestone." share the clause
    # "Playboy founder Hugh Hefner said", which was listed as agreed by two sources: it says nothing alone.
    from storyline.brief import says_nothing
    brief, violations = ecbplus_briefed(tmp_path, ["4_4ecb", "4_6ecb", "4_7ecb"])
    assert violations == []
    listed = [s.text for s in brief.agreed + brief.single_source + brief.summary]
    assert listed and not [text for text in listed if says_nothing(text)], listed
    assert not [text for text in listed if text.rstrip(":.").endswith("Hefner said")], listed
    # What was said, or a quote and its speaker, reads alone.
    assert not says_nothing("“It makes me sad,” she said.") and not says_nothing("The company declined to comment")



def test_brief_a_group_shows_the_member_that_states_the_most_of_what_its_sources_back():
    # Real sentences of ECB+ 27_12ecb and 27_11ecb (Microsoft's emergency patch for Internet Explorer, December
    # 2008): each states the other, so both are backed by one other source; the one that says on what day is
    # shown, not the shorter one, and every cite still backs it.
    from storyline.brief import group_statement
    from storyline.claims import extract_claims
    from storyline.compare import align_claims
    from storyline.verify import backs
    from tests.test_compare import articles_of
    plain = ("Microsoft has released an emergency patch to fix a software flaw that allows hackers to get into "
             "Internet Explorer browsers and take over computers.")
    dated = ("Microsoft on Wednesday released an emergency patch to fix a perilous software flaw allowing hackers to "
             "hijack Internet Explorer browsers and take over computers.")
    articles = articles_of(("a", plain), ("b", dated))
    texts = {s.id: s.text for a in articles for s in a.sentences}
    groups = [g for g in align_claims(extract_claims(articles)) if len(g.claims) == 2]
    assert len(groups) == 1
    shown = group_statement(groups[0], {}, {"a": 1, "b": 1}, texts)
    assert shown.text == dated and shown.sources == ("a", "b")
    assert all(backs(shown.text, texts[c]).supports for c in shown.cites[1:])


@pytest.mark.parametrize("text, before", [
    # Background told by its time (ECB+ 3-ecb, 11-ecb, 7-ecbplus; 26-ecbplus's biography).
    ("Nichols, 37, was found guilty last month of murdering a judge, a court reporter, a sheriff's deputy and a "
     "federal agent in the March 2005 rampage.", True),
    ("In September, the rubber-stamp People's Council-a 2,507-member assembly of presidential appointees, town "
     "elders and others-voted to abolish itself and transfer its powers to the parliament.", True),
    (REMATCH, True),
    ("Federal agents once found him standing naked in a shower.", True),
    # The story's own news: by the day, in reported speech, or to come.
    ("An Atlanta judge sentenced Brian Nichols to life in prison Saturday morning.", False),
    ("Police said 18 people had been injured in the violence and 12 arrested for carrying weapons and resisting "
     "authorities.", False),
    ("The fire, which is being treated as suspicious, broke out in the roof of the store at 8.49pm on Friday night "
     "and quickly spread to the rest of the building.", False),
    ("Voting will close at 6:00 p.m. local time (1300 GMT) Sunday.", False),
    (KLITSCHKO, False),
])
def test_brief_a_sentence_told_before_the_story_is_background(text, before):
    from storyline.brief import told_before
    assert told_before(text) is before
