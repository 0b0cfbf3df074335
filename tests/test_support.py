"""support: a sentence supports a statement only when it states the same facts (real ECB+ sentences)."""

from __future__ import annotations

import pytest

from storyline.support import changed_figure, check, clash, facts_of, intervals_meet, same_subject
from storyline.verify import shares_content

# Real sentences of ECB+ topic 20 (the Qeshm island earthquake of 27 November 2005), documents named.
TEN_KILLED = ("Ten people were killed and at least 50 injured when an earthquake razed mud-brick villages on the "
              "Persian Gulf island of Qeshm off Iran's southern coast Sunday, officials and state media said.")  # 20_11
THREE_KILLED = ("The governor of Qeshm island told the AFP news agency four villages had been destroyed and three "
                "people killed.")  # 20_6
SEVENTY_WOUNDED = ("A 5.9 magnitude earthquake has leveled seven villages in Iran's southern area, killing 10 persons "
                   "and wounding other 70, Iranian officials were quoted by AP as saying.")  # 20_5
MAGNITUDE_61 = "The 6.1-magnitude quake struck Qeshm island, home to 120,000 people, and the city of Bandar Abbas, state media said."  # 20_1
MAGNITUDE_59 = "The 5.9-magnitude quake struck Qeshm island, home to 120,000 people, and the city of Bandar Abbas, state media said."  # 20_6
AT_LEAST_59 = ("An earthquake with a magnitude of at least 5.9 hit southern Iran on Sunday, killing at least 10 people "
               "and injuring many others.")  # 20_7
MEASURING_59 = ("An earthquake measuring at least magnitude-5.9 shook a sparsely populated area of southern Iran on "
                "Sunday, flattening seven villages and killing 10 people, officials said.")  # 20_3
BAM_KM = ("The rocky and barren island was hit almost two years after the southeastern city of Bam--situated 300 "
          "kilometers (190 miles) to the north--was destroyed in a quake that killed tens of thousands of people.")  # 20_4


def test_support_other_figure_of_the_same_subject_contradicts():
    verdict = check("Ten people were killed and at least 50 injured", THREE_KILLED)
    assert not verdict.supports and verdict.contradicts and verdict.kind == "number"
    assert "Ten" in verdict.reason and "three" in verdict.reason and "dead" in verdict.reason
    magnitude = check(MAGNITUDE_59, MAGNITUDE_61)
    assert magnitude.contradicts and "5.9" in magnitude.reason and "6.1" in magnitude.reason
    # Word overlap alone would have let these stand as support.
    assert shares_content(MAGNITUDE_59, MAGNITUDE_61)


def test_support_same_figures_in_other_words_support():
    assert check("Ten people were killed and at least 50 injured", SEVENTY_WOUNDED).supports  # 70 is at least 50
    assert check(MEASURING_59[:MEASURING_59.index(" shook")] + " shook southern Iran on Sunday", AT_LEAST_59).supports
    assert check("the southeastern city of Bam--situated 300 kilometers", "Bam lies 186 miles from the island").supports


def test_support_a_figure_the_sentence_does_not_state_is_not_supported():
    verdict = check(MEASURING_59, AT_LEAST_59)  # "seven villages" is not in the other sentence
    assert not verdict.supports and not verdict.contradicts and "seven" in verdict.reason


def test_support_figures_know_their_subject():
    dead, injured = facts_of("Ten people were killed and at least 50 injured").figures
    assert (dead.value, dead.outcome, injured.value, injured.outcome, injured.qualifier) == \
        (10.0, "dead", 50.0, "injured", "at least")
    # 10 killed is not supported by a sentence whose 10 are houses.
    assert not check("10 people were killed", "five people were injured and 10 houses were damaged").supports
    # "300 kilometers (190 miles)": one distance, in two units that agree once converted.
    kilometres, miles = [f for f in facts_of(BAM_KM).figures if f.unit == "meter"]
    assert kilometres.value == 300_000.0 and abs(miles.value - 305_775) < 1 and intervals_meet(kilometres, miles)


@pytest.mark.parametrize("statement, sentence, kind", [
    ("The epicenter was 55 km west of the town", "The epicenter was 55 km south of the town", "place"),
    ("The epicenter was 55 km west of Bireun", "The epicenter was 55 kilometres south of Bireun", "place"),
    ("The quake struck at 7:37 a.m. EST", "The quake struck at 14:37 GMT", "time"),
])
def test_support_directions_and_times(statement, sentence, kind):
    verdict = check(statement, sentence)
    assert not verdict.supports and verdict.contradicts and verdict.kind == kind


def test_support_times_across_zones_and_unknown_offsets():
    assert check("The quake struck at 7:37 a.m. EST", "It struck at 12:37 GMT, the survey said").supports
    local = check("The quake struck at 7:37 AM local time", "The quake struck at 0737 GMT")
    assert not local.supports and not local.contradicts and "offset is not known" in local.reason


def test_support_polarity_and_quoted_words():
    assert not check("The death toll was expected to rise", "The death toll was not expected to rise").supports
    statement = "“maintaining peace in Europe, preventing further escalation, reform, de-oligarchy”"
    variant = "Zelensky named “keeping peace in Europe, preventing further escalation, reforms, deoligarchization”"
    assert not check(statement, variant).supports
    assert check(statement, "He spoke of “maintaining peace in Europe, preventing further escalation, reform, "
                            "de-oligarchy” as goals").supports


def test_support_a_local_time_is_set_against_gmt_once_the_place_offset_is_known():
    # Aceh is UTC+7: 7:37 AM local time is 00:37 GMT, not 07:37 GMT.
    late = check("The quake struck at 7:37 AM local time", "The quake struck at 0737 GMT", local_offset=420)
    assert late.contradicts and late.kind == "time" and "00:37 GMT" in late.reason
    assert check("The quake struck at 7:37 AM local time", "The quake struck at 0037 GMT", local_offset=420).supports


def test_support_two_lower_bounds_state_one_figure_only_at_one_value():
    # Real sentences of ECB+ 20_1ecbplus and 20_2ecbplus on the Bam earthquake of 2003.
    afp = "A 6.7-strength quake killed more than 26,000 people in the ancient city of Bam in December 2003."
    ap = ("Iranians are still haunted by harrowing images of the world's worst disaster in December 2003, in which "
          "more than 31,000 people were killed in the ancient city of Bam.")
    assert not check(ap, afp).supports and not check(afp, ap).supports  # both can be true; neither states the other
    assert check("Russia has amassed about 100,000 troops near its border",  # seed: "about" and "more than" agree
                 "the deployment of more than 100,000 Russian military personnel near the border").supports


# Real sentences of ECB+ topic 10 (the Red Sox's offer to Mark Teixeira, December 2008) and topic 11
# (Turkmenistan's election of 14 December 2008), documents named.
RED_SOX_OFFER = "The Red Sox have made an eight-year offer to Teixeira in excess of $160 million"  # 10_2ecbplus
NATIONALS_160 = "ESPN is reporting that the Nationals have offered Mark Teixeira an 8-year, $160 million contract."  # 10_19
NATIONALS_RAISED = ("One report posted online last night by MASN Sports' Roch Kubatko suggested that the Washington "
                    "Nationals have upgraded their initial offer to Teixeira--eight years, $160 million--to somewhere "
                    "between $178 million and $184 million over the same timeframe.")  # 10_3ecbplus
OSCE_EIGHT = ("The Organization for Security and Cooperation in Europe sent eight experts to monitor the poll and draw "
              "up an “internal report.”")  # 11_2ecb
OSCE_THREE = ("The Organisation for Security and Co-operation in Europe has not sent only three observers to monitor "
              "the vote, saying a genuine contest was impossible.")  # 11_8ecb


def test_support_a_figure_said_of_another_named_subject_is_no_support():
    for sentence in (NATIONALS_160, NATIONALS_RAISED):
        verdict = check(RED_SOX_OFFER, sentence)
        assert not verdict.supports and "another subject" in verdict.reason and "nation" in verdict.reason
    # The same figure of the same subject still supports; a sentence naming nothing else is not held back.
    assert check("the Nationals have offered Mark Teixeira an 8-year, $160 million contract", NATIONALS_RAISED).supports
    assert check(RED_SOX_OFFER, "They have made an eight-year offer to Teixeira in excess of $160 million").supports
    assert facts_of(RED_SOX_OFFER).subject == {"red", "sox"}
    assert facts_of(OSCE_EIGHT).names == facts_of(OSCE_THREE).names  # Organization / Organisation: one name


def test_support_two_counts_of_the_people_sent_contradict():
    verdict = check(OSCE_EIGHT, OSCE_THREE)
    assert verdict.contradicts and verdict.kind == "number" and "eight vs three" in verdict.reason


def test_support_a_figure_that_changed_is_told_from_one_stated_twice():
    from storyline.support import changed_figure
    early = "By Saturday, at least 6,000 Web sites had been infected"  # 27_2ecb
    late = "Trend Micro has identified about 10,000 Web sites that have been infected"  # 27_17ecb
    first, second = changed_figure(early, late)
    assert (first.value, second.value, first.head, second.head) == (6000.0, 10000.0, "site", "site")
    assert check(early, late).supports  # both can be true: no contradiction, but a count that changed
    # Three killed and "two women and one man" are one count; a six-season career is not 121 RBIs.
    assert changed_figure("Three people were killed", "Police said two women and one man died at a branch") is None
    assert changed_figure("Having never hit fewer than 26 homers in his six major-league seasons",
                          "308 with 33 homers and 121 RBIs last season") is None  # 10_19ecbplus, 10_4ecbplus
    # One loan in two currencies (8_3ecbplus, 8_8ecbplus) is no figure that changed.
    assert changed_figure("Greece gets a euro110 billion ($141 billion) loan package",
                          "a 110 billion euro (93.6 billion pound) aid package unveiled on Sunday") is None
    assert changed_figure(RED_SOX_OFFER, NATIONALS_RAISED) is None  # two clubs' offers


# Real sentences of ECB+ topics 25 (Pierre Thomas, January 2011) and 12 (INS Sukanya's operations, November 2011).
SEASON_YARDS = ("He has rushed for only 150 yards and has not scored a rushing touchdown this season, but started to "
                "look stronger on Sunday against Tampa Bay, when he had 70 yards rushing on just nine carries and had "
                "55 yards receiving on five catches.")  # 25_11ecbplus
GAME_YARDS = ("In the Saints 17-14 victory over the Falcons on Dec. 27, Thomas rushed for 63 yards and scored on a "
              "2-yard touchdown in the second quarter.")  # 25_14ecbplus
TOTAL_RIFLES = ("The officer said that INS Sukanya has seized a total of 14 AK-47 rifles, 31 magazines and 923 rounds "
                "of ammunition during the five operations it carried out there.")  # 12_4ecbplus
ONE_OPERATION = ("During the operation, six AK-47 rifles, 12 magazines and about 300 rounds of ammunition were found "
                 "and confiscated.")  # 12_2ecbplus


def test_support_a_tally_over_a_span_is_another_fact_than_the_figure_of_one_occasion():
    from storyline.support import changed_figure, tally_scope
    # A season's yards and one game's, a total over five operations and the count of one: no figure that
    # changed, no disagreement.
    assert changed_figure(SEASON_YARDS, GAME_YARDS) is None and clash(SEASON_YARDS, GAME_YARDS) is None
    assert clash(TOTAL_RIFLES, ONE_OPERATION) is None and clash(ONE_OPERATION, TOTAL_RIFLES) is None
    assert tally_scope(SEASON_YARDS) == {"season"} and tally_scope(TOTAL_RIFLES) == {"total"}
    # Without the words of the span, the same figures are one fact stated otherwise.
    assert changed_figure(SEASON_YARDS.replace(" this season", ""), GAME_YARDS) is not None
    assert clash(TOTAL_RIFLES.replace("a total of ", ""), ONE_OPERATION).reason == "14 vs six (rifle)"
    # A toll is a running total whatever words say so: "so far" does not set it apart (8_3ecbplus, 8_8ecbplus).
    toll = clash("Police said so far 12 people were injured in the riots.",
                 "Police said 18 people had been injured in the violence and 12 arrested for carrying weapons.")
    assert toll is not None and toll.reason == "12 vs 18 (injured)"
    # "career" and "all-time" name records, not spans: a career-high game is one game (31_1ecb).
    assert tally_scope("Earl Clark finished his team's victory with 25 points and 16 rebounds, both career highs.") \
        == frozenset()


def test_support_a_telephone_number_is_no_count_and_one_written_otherwise_contradicts():
    from storyline.support import one_number_miswritten
    # 14_9ecb / 14_2ecb (the Banstead Waitrose fire): the police line is "0845 125 2222" in five reports and
    # "0845 125 222" in one; Crimestoppers' "0800 555111" and "0800 555 111" are one number.
    short = ("Police are appealing for anyone with any information relating to the fire to contact them on "
             "0845 125 222 or Crimestoppers on 0800 555111.")
    right = ("Anyone with information is asked to call police on 0845 125 2222 or Crimestoppers anonymously on "
             "0800 555 111.")
    assert facts_of(short).figures == () and [w for _, w in facts_of(short).phones] == ["0845 125 222", "0800 555111"]
    verdict = clash(short, right)
    assert verdict.kind == "contact" and verdict.reason == "0845 125 222 vs 0845 125 2222 (telephone number)"
    assert check(short, right).contradicts and check(right, right.replace("0800 555 111", "0800 555111")).supports
    # A US line (8_3ecb), one with its area code in brackets (13_7ecbplus), none in a date, a range or a score.
    assert [w for _, w in facts_of("Anyone with information is asked to call the tip line at 800-800-3855.").phones] \
        == ["800-800-3855"]
    assert facts_of("the Fire Marshal's office at (907) 745-4811").phones == (("9077454811", "(907) 745-4811"),)
    assert facts_of("a 17-14 win on 2008-12-12, his best since 1995-2000").phones == ()
    # Two lines that differ in more than one digit are two lines, not one written otherwise.
    assert not one_number_miswritten("08451252222", "08007654321") and one_number_miswritten("0800555111", "0800555112")
    assert clash("call police on 0845 125 2222", "call Crimestoppers on 0800 555 111") is None


def test_support_a_word_that_starts_like_a_month_says_what_a_figure_is_of():
    # 8_3ecbplus: "marched" (not "March") is what the 20,000 people did; "market" and "money" are words too.
    marched = facts_of("Violence also broke out in the northern city of Thessaloniki, where another 20,000 people "
                       "marched through the city center and some youths smashed store windows.").figures[0]
    assert "marched" in marched.context
    assert "market" in facts_of("The market fell by 30 percent on Monday").figures[0].context
    assert not {"monday", "dec"} & facts_of("Shares fell 30 percent on Monday, Dec. 8").figures[0].context


def test_support_a_us_zone_without_its_season_is_not_guessed():
    # 25-ecbplus (ECB+ dev): a New Orleans paper's "3:30 p.m." (Central) and "4:30 p.m. ET" are one
    # kickoff; "ET" is a zone whose offset depends on the season, so it is set only against ET.
    assert clash("New Orleans plays at Seattle on Saturday at 3:30 p.m. in the Wild Card round of the NFC playoffs.",
                 "New Orleans begins its postseason Saturday at 4:30 p.m. ET with a wild-card round game in "
                 "Seattle against the NFC West champion Seahawks.") is None
    later = clash("The game in Seattle starts at 4:30 p.m. ET.", "The game in Seattle starts at 5:30 p.m. ET.")
    assert later is not None and later.kind == "time"


def test_support_a_figure_joined_to_a_word_by_a_hyphen_counts_no_one():
    # ECB+ dev: an age or a strength written as "35-year-old" / "11-year-old" describes the noun after
    # it; the deputy killed and the girl wounded are one person each, not 35 dead or 11 injured.
    deputy = ("The 35-year-old deputy was killed on June 24, while investigating an attack in which Orozco shot a "
              "man in the back while doing yard work.")  # 16_10ecbplus
    girl = ("In addition to Zurana Horton-who was a mother of 12-another mom and an 11-year-old girl were wounded "
            "by rooftop sniper Andrew Lopez.")  # 33_11ecbplus
    assert [(f.value, f.outcome) for f in facts_of(deputy).figures] == [(35.0, "")]
    assert (11.0, "") in [(f.value, f.outcome) for f in facts_of(girl).figures]
    # A quake's strength is not its toll (20_1ecbplus): only the 26,000 are dead.
    bam = "A 6.7-strength quake killed more than 26,000 people in the ancient city of Bam in December 2003."
    assert [(f.value, f.outcome) for f in facts_of(bam).figures] == [(6.7, ""), (26000.0, "dead")]
    assert clash(bam, "A major earthquake killed more than 31,000 in city of Bam in central Iran in 2003.").reason \
        == "more than 26,000 vs more than 31,000 (dead)"


def test_support_a_unit_word_alone_does_not_make_two_measures_one():
    # ECB+ 18-ecbplus (the Troy, Michigan office shooting): where the building is and how far the chase went
    # are two distances; they share only the word "miles".
    from storyline.support import changed_figure
    building = "The office building is about 15 miles north of Detroit."
    chase = ("Police officers chased Mr. LaCalamita for about 30 miles at speeds of up to 120 miles an hour on "
             "Interstate 75 before apprehending him near Bay City.")
    assert changed_figure(building, chase) is None and clash(building, chase) is None
    # One distance stated otherwise is still compared (18-ecbplus's other report of the chase, "for 30 miles",
    # with its figure changed to 25).
    assert changed_figure(chase, "Sheriff's deputies and state police chased him for 25 miles at speeds up to "
                                 "120 mph.") is not None


def test_support_a_mixed_number_is_one_figure():
    # ECB+ 7_10ecb: "the 3 1/2-inch height advantage" is 3.5, not a 3 and a 1/2; "2-1/2 year" likewise.
    rahman = ("The fighters started out fast and light on their feet, but it soon became apparent that Rahman was "
              "struggling to overcome the 3 1/2-inch height advantage enjoyed by the champion.")
    assert [(f.text, f.value) for f in facts_of(rahman).figures] == [("3 1/2", 3.5)]
    assert [f.text for f in facts_of("a 2-1/2 year sentence").figures] == ["2-1/2"]
    # Two lengths of one sentence stated otherwise: a conflict, where "2" and "9 months" were set against each other.
    verdict = clash("He was sentenced to 2 years, with 9 months to serve.",
                    "He was sentenced to 2 1/2 years, with 9 months to serve.")
    # ... told with the unit as written, not pint's base unit ("(second)").
    assert verdict is not None and verdict.reason == "2 years vs 2 1/2 years"


# Real sentences of ECB+ 11-ecb (Turkmenistan's parliamentary election of 14 December 2008): 11_2ecb, 11_1ecb.
TURNOUT_AT_FOUR = ("Some 2.44 million people, accounting for some 88.41 percent of the country's eligible voters, "
                   "cast their ballots as of 4:00 p.m. local time (1100 GMT).")
TURNOUT_FINAL = "Authorities said turnout reached 93.87 percent in the election for 288 candidates."


def test_support_a_figure_with_two_decimals_is_a_figure_not_a_clock_time():
    # "88.41" and "2.44" are written like "8.45" but have no am / pm or zone, and 88 is no hour: they are
    # figures, and a statement that changes them is not supported.
    facts = facts_of(TURNOUT_AT_FOUR)
    assert [(f.text, f.unit) for f in facts.figures] == [("2.44 million", ""), ("88.41", "percent")]
    assert [t.minutes for t in facts.times] == [16 * 60, 11 * 60]
    assert [f.value for f in facts_of(TURNOUT_FINAL).figures if f.unit == "percent"] == [93.87]
    changed = TURNOUT_AT_FOUR.replace("88.41", "93.87")
    assert not check(changed, TURNOUT_AT_FOUR).supports
    assert check(TURNOUT_AT_FOUR, TURNOUT_AT_FOUR).supports


def test_support_a_vulgar_fraction_after_a_digit_is_a_mixed_number():
    # Unicode normalisation alone reads "3½" as "31⁄2" (31 over 2): it is 3 1/2, as written out elsewhere.
    assert [(f.text, f.written_unit) for f in facts_of("He served 3½ years of the sentence.").figures] == [
        ("3 1/2", "years")]
    assert check("He served 3 1/2 years.", "He served 3½ years of the sentence.").supports
    assert not check("He served 31 years.", "He served 3½ years of the sentence.").supports


# --- statements the review of ten unseen ECB+ stories found "agreed" by sentences that say otherwise
# (helper-39's audit, 2026-12-07); each pair is two real sentences of one ECB+ dev story.


def test_support_a_year_is_a_fact_the_sentence_must_state():
    # 13-ecbplus (a dairy warehouse fire): the bond was approved in 2009 by one account, 2010 by the other.
    verdict = check("Voters in 2009 approved a $3 million bond to buy the properties, Bower said.",
                    "Palmer voters in 2010 approved a $3 million bond to pay for purchase of the property.")
    assert not verdict.supports and "2009" in verdict.reason
    assert check("Voters in 2010 approved a $3 million bond",
                 "Palmer voters in 2010 approved a $3 million bond to pay for purchase of the property.").supports


def test_support_one_person_is_a_count():
    # 19-ecbplus (Brooklyn): "one person was arrested" is not backed by the night of 46 arrests.
    one = "The NYPD said one person was arrested for disorderly conduct."
    night = ("Then came the anger: a Monday evening vigil marred by an unruly young mob thrashing its way through "
             "local businesses; a second protest the next night; and another on Wednesday night, after which, the "
             "police said, someone hit an officer in the face with a brick, another brick was thrown through the "
             "window of a police van, and there were 46 arrests — mostly for disorderly conduct.")
    assert [f.value for f in facts_of(one).figures] == [1.0]
    assert not check(one, night).supports
    # "one of the", "one day" state no count.
    assert not facts_of("One of the officers said the teen was armed.").figures


def test_support_a_word_that_starts_like_a_month_is_no_month():
    # "married two weeks ago" was read as a date ("mar..."), so the two weeks were no figure (16-ecbplus).
    married = "The Diamond Bar resident was married two weeks ago to his second wife, Chela."
    assert [f.written_unit for f in facts_of(married).figures] == ["weeks"]
    assert not check(married, "The deputy, who was wed about three weeks ago, is survived by his wife and two "
                              "sons, ages 16 and 6, Waldie said.").supports
    assert [f.text for f in facts_of("The dispute has simmered for two decades.").figures] == ["two"]
    assert not facts_of("Officers were called on March 12 to the store.").figures


def test_support_negation_of_a_shared_word_must_match():
    # 9-ecb (endangered-species rules): "require" stated by one, "don't require" by the other; the
    # statement's own "not" bears on other words.
    verdict = check("Current rules require biologists in the Fish and Wildlife Service and National Marine Fisheries "
                    "Service to sign off on projects even when it is determined that they are not likely to harm "
                    "species.",
                    "The regulations don't require federal agencies to seek consultation with U.S. Fish and Wildlife "
                    "Service and National Marine Fisheries Service before approving projects, the lawsuit said.")
    assert not verdict.supports and "negated" in verdict.reason


def test_support_a_hedge_makes_another_fact():
    # 13-ecbplus: destroyed is not "nearly destroyed".
    verdict = check("A fire on Tuesday destroyed Palmer's historic Matanuska Maid Dairy warehouse building",
                    "The old Matanuska Maid dairy building in Palmer was nearly destroyed by a fire early Tuesday "
                    "morning, according to Palmer officials.")
    assert not verdict.supports and verdict.reason == "says nearly destroyed"


def test_support_a_colour_must_be_stated():
    # 21-ecbplus (Queens hit-and-run): a gray Camry is not a silver one.
    verdict = check("Raj Chohan was hit by a gray Camry near 117th Street and 97th Avenue in Richmond Hill.",
                    "Witnesses say 59-year-old Raj Chohan was leaving her car on 117th Street in South Richmond Hill "
                    "Friday when she was hit by a silver Toyota Camry and sent flying into the air.")
    assert not verdict.supports and "gray" in verdict.reason
    assert not facts_of("The White House said on Jan. 2 that Biden is in support.").colours
    # Two sources that give one car two colours disagree (a conflict), whatever else either says.
    conflict = clash("Raj Chohan was hit by a 2013 gray Camry near 117th Street and 97th Avenue in Richmond Hill.",
                     "Witnesses say 59-year-old Raj Chohan was leaving her car on 117th Street in South Richmond Hill "
                     "Friday when she was hit by a silver Toyota Camry and sent flying into the air.")
    assert conflict is not None and conflict.kind == "attribute" and conflict.reason == "gray vs silver (camry)"
    # Colours of two things are none.
    assert clash("She was leaving her white car when she was hit.",
                 "She was hit by a silver Toyota Camry and sent flying into the air.") is None


def test_support_short_quoted_words_are_stated_in_any_form_but_not_in_others():
    # 9-ecb: "a clarification" is not "narrow" and "common-sense"; the seed's "reaffirms" is "reaffirmed".
    assert not check("Interior Secretary Dirk Kempthorne called the move “a clarification”",
                     "Interior Secretary Dirk Kempthorne called the rule changes “narrow” and a “common-sense” "
                     "approach to species protection.").supports
    assert check("Biden “reaffirms” the US commitment to Ukraine’s “sovereignty and territorial integrity”",
                 "Biden “reaffirmed the United States’ commitment to Ukraine’s sovereignty and territorial "
                 "integrity,” White House spokeswoman Jen Psaki said in the statement.").supports


def test_support_a_quotation_that_ends_is_not_stated_by_one_that_goes_on():
    # 19-ecbplus: the quote closes on "no community."; another report's goes on "no community center."
    quoted = "“The youth in this community have no outlets for their anger, no community.”"  # 19_6ecbplus
    assert not check(quoted, "The youth in this community have no outlets for their anger, no community "
                              "center.”").supports  # 19_10ecbplus
    assert check(quoted, "‘ The youth in this community have no outlets for their anger, no community. ’").supports


# Real sentences of ECB+ topic 10 (the Red Sox's offer to Mark Teixeira, December 2008), documents named.
UP_TO_180 = "The deal is said to be for 8 year and could be up to $180 million."  # 10_18ecbplus
NATIONALS_160 = ("Last week at the Winter Meetings, the Washington Nationals made Teixeira an eight-year, $160 "
                 "million offer.")  # 10_1ecbplus
ESPN_NATIONALS = ("ESPN is reporting that the Nationals have offered Mark Teixeira an 8-year, $160 million "
                  "contract.")  # 10_19ecbplus
RED_SOX_OVER_160 = ("The Red Sox have made an eight-year offer to Teixeira in excess of $160 million, but sources "
                    "close to the negotiations say it is less than the $184 million reported by Boston WCVB "
                    "sportscaster Mike Lynch, who first reported that the meeting would take place.")  # 10_2ecbplus


def test_support_a_figure_only_compatible_with_the_statement_is_no_support():
    # "$160 million" can be true beside "up to $180 million", but it does not state it: citing it for the
    # $180 million would send the reader to another figure. Nor is it a contradiction.
    verdict = check(UP_TO_180, NATIONALS_160)
    assert not verdict.supports and not verdict.contradicts and "160" in verdict.reason
    # A bound in the cited sentence states no exact figure ("in excess of $160 million" is not $160 million),
    assert not check("The Nationals made Teixeira an eight-year, $160 million offer.", RED_SOX_OVER_160).supports
    # but a lower bound of the statement is stated by a count that meets it, and a bound by a bound at its value.
    assert check("Ten people were killed and at least 50 injured", SEVENTY_WOUNDED).supports
    assert check("An earthquake with a magnitude of at least 5.9 hit southern Iran", MEASURING_59).supports
    assert not check("The quake killed more than 10 people", "The quake killed less than 10 people").supports


def test_support_a_reported_clause_names_the_subject_of_its_figures():
    # "ESPN is reporting that the Nationals ...": the offer is the Nationals', not the Red Sox's.
    verdict = check(ESPN_NATIONALS, RED_SOX_OVER_160)
    assert not verdict.supports and "another subject" in verdict.reason
    assert facts_of(ESPN_NATIONALS).subject == frozenset({"nation"})


# Real sentences of ECB+ 21-ecb (a hit and run at a Bloomington Sam's Club, 2008), 16-ecbplus (the killing of
# deputy Jerry Ortiz, 2005) and 5-ecb (the 76ers fire Maurice Cheeks, 2008), documents named.
CHARGED = "A man has been charged in a hit and run accident that killed a 66-year-old Burnsville woman."  # 21_4ecb
ARRESTED = ("Police arrested a man they believe to be the hit and run driver who killed a 66-year-old woman outside "
            "the Sam's Club in Bloomington.")  # 21_9ecb
SUSPECT = ("That man, Jose Luis Orozco, is now the main suspect in the Friday afternoon slaying of Ortiz in Hawaiian "
           "Gardens.")  # 16_7ecbplus
FIFTH = ("Cheeks became the fifth NBA coach fired this season following P.J. Carlesimo (Oklahoma City), Eddie Jordan "
         "(Washington), Sam Mitchell (Toronto) and Randy Wittman (Minnesota).")  # 5_2ecb
THIRD = ("Cheeks marks the third Eastern Conference head coach to get fired this season, following in the footsteps "
         "of the Toronto Raptors' Sam Mitchell and the Washington Wizards' Eddie Jordan.")  # 5_7ecb


def test_support_a_cite_must_name_the_same_stage_of_the_case_and_the_same_ordinal():
    arrested = check(CHARGED, ARRESTED)
    assert not arrested.supports and "arrested" in arrested.reason and "charged" in arrested.reason
    assert not check(SUSPECT, "Jose Luis Orozco was charged in the slaying of Ortiz.").supports
    # A cite may tell more of the case than the statement: the stage it states is there.
    assert check("Jose Luis Orozco was charged in the slaying of Ortiz.",
                 "Jose Luis Orozco, who was arrested on Saturday, was charged in the slaying of Ortiz.").supports
    assert not check(FIFTH, THIRD).supports
    assert check(FIFTH, "Cheeks would become the fifth NBA coach fired this season, along with P.J. Carlesimo "
                        "(Oklahoma City), Eddie Jordan (Washington), Sam Mitchell (Toronto) and Randy Wittman "
                        "(Minnesota).").supports  # 5_13ecb
    # A day of the month is no ordinal.
    assert facts_of("He was sentenced on May 21st, the 3rd of June or Dec. 4th").ordinals == frozenset()


def test_support_a_cite_must_name_the_statements_speaker():
    # Real sentences of ECB+ 1-ecb (Tara Reid enters rehab, December 2008: 1_10ecb and another report) and
    # 35-ecbplus (Jamal Williams's DUI arrest): who said it is part of what a statement states.
    people = "Perennial party girl Tara Reid checked herself into Promises Treatment Center, her rep told People."
    us = "“Tara Reid has checked herself into Promises Treatment Center,” her rep told UsMagazine.com."
    verdict = check(people, us)
    assert not verdict.supports and "people" in verdict.reason
    # The speaker in another form: its acronym, its surname, a sentence's first word.
    assert check("He was on probation for a previous DUI arrest, the CHP said.",
                 "He was on probation for a previous DUI arrest, the California Highway Patrol said.").supports
    assert check("Tim Fanning said the gunman entered the party around 4 p.m.",
                 "Fanning said the gunman entered the party of at least a dozen people around 4 p.m.").supports
    # The subject of what was said is no speaker.
    assert facts_of("Authorities said Ortiz probably died instantly.").speakers == frozenset()
    assert facts_of("“We are sad,” said Sheriff Lee Baca on Friday.").speakers >= {"baca"}


def test_support_a_cite_that_names_another_weekday_does_not_state_the_day():
    # ECB+ 28-ecb (W. Mark Felt's death): 28_*ecb leads say "died on Friday" and "died Thursday".
    friday = "Mark Felt, who was known as Watergate scandal informant 'Deep Throat,' died on Friday."
    thursday = ("W. Mark Felt, who leaked information to reporters under the moniker, “Deep Throat,” about the "
                "Watergate break-in, died Thursday at the age of 95, sources told CNN.")
    assert not check(friday, thursday).supports
    assert "thursday" in check(friday, thursday).reason
    # The same day, said with more words around it, still states it.
    assert check("Felt died at his home in Santa Rosa, California, Thursday.",
                 "W. Mark Felt died Thursday at his home in Santa Rosa, California, his family said.").supports


def test_support_a_toll_is_one_subject_whatever_noun_or_verb_gives_its_value():
    # 20_2ecbplus: the toll's value comes after its verb ("death toll ... rose to 10"), five words from
    # "toll"; it is the same subject as a count of people killed, and stated by one.
    toll = facts_of("The sixth aftershock shook this southern Iranian island in the Persian Gulf on Monday as "
                    "death toll from a strong earthquake a day before rose to 10.").figures[-1]
    assert (toll.text, toll.outcome) == ("10", "dead")
    killed = facts_of("Ten people were killed in the quake.").figures[0]
    assert same_subject(toll, killed) is True
    assert check("The death toll from the earthquake rose to 10.", "Ten people were killed in the earthquake.").supports
    # Counts of things other than people stay apart: a toll is not a count of houses.
    assert same_subject(toll, facts_of("The quake destroyed 10 houses.").figures[0]) is not True


NATIONALS_FIRST = "ESPN is reporting that the Nationals have offered Mark Teixeira an 8-year, $160 million contract."
NATIONALS_LATER = ("One report posted online last night by MASN Sports' Roch Kubatko suggested that the Washington "
                   "Nationals have upgraded their initial offer to Teixeira--eight years, $160 million--to somewhere "
                   "between $178 million and $184 million over the same timeframe.")


def test_support_a_change_told_in_one_sentence_gives_its_old_value_to_a_report_that_states_it():
    # 10_19ecbplus (11 December) / 10_3ecbplus (22 December): the later report tells the change itself; its
    # "$160 million" is the old value, so it does not state the first report's figure as its own.
    later = [(f.text, f.prior) for f in facts_of(NATIONALS_LATER).figures if f.currency]
    assert later == [("$160 million", True), ("$178 million", False), ("$184 million", False)]
    seats = facts_of("... intended to increase parliament's powers and raise the number of seats from 65 to 125.")
    assert [(f.text, f.prior) for f in seats.figures] == [("65", True), ("125", False)]
    changed = changed_figure(NATIONALS_FIRST, NATIONALS_LATER)
    assert changed is not None and [f.text for f in changed] == ["$160 million", "$178 million"]
    assert [f.text for f in changed_figure(NATIONALS_LATER, NATIONALS_FIRST)] == ["$178 million", "$160 million"]
    # No verb of change, no old value: "from 1990 to 1991" spans years, it revises nothing.
    assert not any(f.prior for f in facts_of("State records show Lasalle has three prior DUI convictions, "
                                             "spanning from 1990 to 1991.").figures)
