"""The parts of a statement's main clause a cite must state (storyline.statement_parts), on ECB+ sentences."""

from __future__ import annotations

from storyline import nlp, statement_parts
from storyline.verify import EVENT_SHARE, backs

# ECB+ 1-ecbplus: 1_2ecbplus's lead and another report's sentence of its first clause alone.
HELLER = ("Mark Jay Heller told a judge that Lohan was settling in at Morningside Recovery and argued that the "
          "actress should be allowed to stay until a judge approves her placement.")
HELLER_FIRST_CLAUSE = ("Mark Jay Heller told a judge that Lohan was settling in at Morningside Recovery, a treatment "
                       "facility in Newport Beach.")


def test_a_cite_of_one_of_two_clauses_does_not_state_the_statement():
    assert statement_parts.unstated(HELLER, HELLER_FIRST_CLAUSE) == "argued"
    verdict = backs(HELLER, HELLER_FIRST_CLAUSE)
    assert not verdict.supports and verdict.reason == "does not state 'argued'"
    # A timeline row's event is dated by other sources in a clause of their own: the parts are not asked.
    assert backs(HELLER, HELLER_FIRST_CLAUSE, EVENT_SHARE).supports


def test_the_way_the_place_and_the_time_of_the_main_clause_must_be_stated():
    # ECB+ 2-ecb: the announcement, not that Jackman was abroad; 21-ecb: the Taser, not where he was pulled over.
    assert statement_parts.unstated(
        "Jackman was abroad promoting the film Friday when his Oscar role was announced.",
        "The Academy of Motion Picture Arts and Sciences announced Friday that Hugh Jackman will be the host of "
        "the 81st annual Oscars on Feb. 22 at the Kodak Theatre.") == "abroad"
    assert statement_parts.unstated(
        "Police pulled him over a few blocks away and say they had to Taser him to get him out of the car.",
        "Those police officers had to use a taser to get him out of his car.") == "away"


def test_a_rewording_that_states_every_part_still_backs_the_statement():
    # ECB+ 35-ecbplus: "later released" and "later was released"; an adverb before the subject links
    # the sentence to the one before and is not asked for (10-ecb's "Overall").
    assert backs("Williams was booked into county jail and later released on bail.",
                 "Williams was booked into county jail and later was released on bail.").supports
    overall = nlp.parse(["Overall, he finished the season with a .308 average, 33 homers and 121 RBI."])[0]
    assert [w.text for w in statement_parts.needed(overall)] == []
    # Who did it is the subject's, left to the word share (25-ecbplus: 25_5ecbplus and 25_11ecbplus).
    assert statement_parts.unstated(
        "Pierre Thomas was placed on injured reserve by the New Orleans Saints on Wednesday",
        "Pierre Thomas, one of the stars of last season's Super Bowl run, was placed on injured reserve on "
        "Wednesday because of his injured ankle.") is None
    # A day is read by storyline.support ("today" may be a report's Wednesday), not asked for here.
    assert statement_parts.unstated(
        "A fire-bomb attack on a bank in Greece killed at least three people Wednesday as police fought pitched "
        "battles with striking protestors.",
        "A firebomb attack on a bank in Greece killed at least three people today as police fought pitched "
        "battles with striking protesters.") is None
