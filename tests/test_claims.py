"""Claims of the seed story: clauses cut from their sentences, slots filled and normalised.

The articles are the seed story as the pipeline stores them (session fixtures
of conftest: `seed_articles`, `seed_ids`, `seed_claims`, `claims_of`).
"""

from __future__ import annotations

from dataclasses import replace

from storyline.claims import extract_claims, quotes_in_body
from storyline.records import Published


def test_extract_claims_text_is_cut_from_its_sentence(seed_articles, seed_claims):
    sentences = {s.id: s for a in seed_articles for s in a.sentences}
    claims = seed_claims
    assert len(claims) > 80
    for claim in claims:
        sentence = sentences[claim.sentence_id]
        assert sentence.text[claim.start:claim.end] == claim.text
        assert claim.sentence_id.startswith(claim.article + ":")


def test_extract_claims_splits_a_sentence_joining_two_statements(claims_of):
    parts = claims_of("003", "economy-jarring sanctions") + claims_of("003", "not on the table")
    assert len(parts) == 2
    assert parts[0].sentence_id == parts[1].sentence_id
    assert parts[0].end <= parts[1].start
    assert parts[1].text.startswith("he said last month")


def test_extract_claims_does_not_cut_a_clause_after_a_title():
    # ECB+ 18_6ecb: the parser ends a sentence at "Const." and "Fanning said." would be a clause of its own,
    # leaving "... without injury, Const." as a claim.
    from storyline import nlp
    from storyline.claims import clauses
    sentence = "The other people at the office party were able to escape without injury, Const. Fanning said."
    doc = nlp.parse([sentence])[0]
    assert [doc[c.start:c.end].text for c in clauses(doc)] == [sentence]
    # Two statements joined by "and" are still two clauses ("The judge was killed" / "Sgt. ... was shot").
    joined = "A judge was killed in the courtroom, and a deputy was shot in the street outside the building."
    doc = nlp.parse([joined])[0]
    assert len(clauses(doc)) == 2


def test_extract_claims_splits_off_a_statement_joined_by_as(claims_of, seed_claims):
    (main,) = claims_of("000", "territorial integrity")
    (joined,) = claims_of("000", "former Soviet nation faces")
    assert main.sentence_id == joined.sentence_id and main.end <= joined.start
    assert main.text.endswith("territorial integrity") and joined.text.startswith("as ")
    # A condition stays with its main clause: alone it states nothing.
    conditionals = claims_of("003", "if Russia further invades")
    assert len(conditionals) == 2 and not any(c.text.startswith("if ") for c in seed_claims)


def test_extract_claims_skips_captions_and_prompts(seed_claims):
    texts = [c.text for c in seed_claims]
    assert not any(t in ("Photo: AP", "Leave A Reply", "Leave a Reply", "Related Topics") for t in texts)


def test_number_slots_keep_value_counted_noun_and_qualifier(claims_of):
    (about,) = [s for c in claims_of("001", "100,000") for s in c.slots if s.kind == "number"]
    assert (about.value, about.unit, about.qualifier) == (100000.0, "troop", "about")
    (more,) = [s for c in claims_of("004", "100,000") for s in c.slots if s.kind == "number"]
    assert (more.value, more.qualifier) == (100000.0, "more than")
    killed = [s for c in claims_of("002", "13,000") for s in c.slots if s.kind == "number"]
    assert {(s.value, s.qualifier) for s in killed} == {(13000.0, "more than"), (1500000.0, "about")}


def test_duration_slots_are_seconds_with_their_relation(claims_of):
    slots = [s for c in claims_of("000", "two days after") for s in c.slots if s.kind == "quantity"]
    assert ("two days", 172800.0, "second", "after") in {(s.text, s.value, s.unit, s.relation) for s in slots}
    assert ("almost one hour", 3600.0, "nearly") in {(s.text, s.value, s.qualifier) for s in slots}


def test_date_slots_resolve_against_the_publication_date(claims_of, seed_articles, seed_ids):
    crimea = [s for c in claims_of("002", "Crimea") for s in c.slots if s.kind == "date"]
    assert [s.value for s in crimea] == ["2014-03"]
    # 003 is dated 2022-01-04: "Thursday" is the last Thursday before it.
    thursday = [s for c in claims_of("003", "nearly an hour") for s in c.slots if s.kind == "date"]
    assert [s.value for s in thursday] == ["2021-12-30"]
    # 000's date is inferred (2022-01-02): "Dec. 30" is the December before it.
    december = [s for c in claims_of("000", "Dec. 30") for s in c.slots if s.kind == "date"]
    assert [s.value for s in december] == ["2021-12-30"]
    # Without a publication date "Dec. 30" keeps its month and day, the year unknown.
    undated = replace(next(a for a in seed_articles if a.id == seed_ids["000"]), published=Published())
    values = [s.value for c in extract_claims([undated]) if "Dec. 30" in c.text for s in c.slots if s.kind == "date"]
    assert values == ["--12-30"]


def test_extract_claims_uses_resolved_dates_when_given(seed_articles, seed_ids):
    article = next(a for a in seed_articles if a.id == seed_ids["000"])
    sentence = next(s for s in article.sentences if "Dec. 30" in s.text)
    claims = extract_claims([article], resolved_dates={sentence.id: [("Dec. 30", "2020-12-30")]})
    (claim,) = [c for c in claims if c.sentence_id == sentence.id]
    assert [s.value for s in claim.slots if s.kind == "date"] == ["2020-12-30"]


def test_names_of_one_person_share_one_canonical_value(seed_claims):
    values = {s.value for c in seed_claims for s in c.slots
              if s.kind in ("person", "org") and s.text.startswith("Zelensk")}
    assert len(values) == 1
    assert {s.value for c in seed_claims for s in c.slots if s.text in ("US", "U.S.")} == {"United States"}


def test_extract_claims_uses_canonical_names_when_given(seed_articles, seed_ids):
    article = next(a for a in seed_articles if a.id == seed_ids["004"])
    claims = extract_claims([article], canonical_names={"Zelenskyy": "Volodymyr Zelensky",
                                                        "Volodymyr Zelenskyy": "Volodymyr Zelensky"})
    values = {s.value for c in claims for s in c.slots if s.text.endswith("Zelenskyy")}
    assert values == {"Volodymyr Zelensky"}


def test_negation_slot_marks_a_negated_statement(claims_of):
    (claim,) = claims_of("003", "not on the table")
    assert any(s.kind == "negation" and s.unit == "be" for s in claim.slots)
    (positive,) = claims_of("003", "economy-jarring")
    assert not any(s.kind == "negation" for s in positive.slots)


def test_quotes_pair_marks_whatever_way_they_face():
    body = 'You know what they say, “she added.\n\n"I am so excited to be here, “she said in a statement.'
    assert [text for _, text in quotes_in_body(body)] == ["You know what they say,", "I am so excited to be here,"]


def test_quote_running_over_two_sentences_belongs_to_the_claim_where_it_opens(claims_of):
    (claim,) = [c for c in claims_of("002", "I’m not going to negotiate")]
    assert any("impossible" in q for q in claim.quotes)


def test_quantities_tell_an_ambiguous_unit_apart_with_quantulum3s_classifier():
    # ECB+ dev text (CC BY 3.0): "pounds" is a weight or money; the classifier quantulum3 ships must load
    # (scikit-learn and stemming pinned to what it needs), or every such text lost its quantities.
    from quantulum3 import classifier

    from storyline.claims import quantities
    found = quantities("He is 5-feet-8 inches tall, weighing 130 pounds, has a shaved head and is heavily tattooed")
    assert ("130 pounds", 130.0, "pound-mass") in found
    assert classifier.USE_CLF


def test_the_unit_classifier_reads_its_weights_in_place_and_scores_as_before():
    # scikit-learn scores a text against the weights transposed, and SciPy copied that transpose (19 MB) for every
    # ambiguous unit: 19 of a `quantities` call's 21 ms (docs/bench.md). Stored in Fortran order the transpose is
    # read in place; the scores must be the very same numbers as with the weights as quantulum3 ships them.
    import numpy
    from quantulum3 import classifier

    from storyline.claims import quantity_parser
    quantity_parser()
    loaded = classifier.classifier("en_US", None)  # the classifier quantulum3's parser asks for
    model = loaded.classifier
    assert model.coef_.T.flags["C_CONTIGUOUS"]
    # ECB+ text (CC BY 3.0, tests/data), units with several meanings.
    texts = ["He is 5-feet-8 inches tall, weighing 130 pounds, has a shaved head and is heavily tattooed",
             "Maybe it could festoon the 100,000 pounds of Matanuska Creamery cheese the Valley Dairy put up",
             "at speeds up to 120 miles per hour, surrendering only after authorities boxed in his car"]
    terms = loaded.tfidf_model.transform([classifier.clean_text(text, "en_US") for text in texts])
    in_place = model.predict_proba(terms)
    fortran = model.coef_
    try:
        model.coef_ = numpy.ascontiguousarray(fortran)  # as shipped: C order
        as_shipped = model.predict_proba(terms)
    finally:
        model.coef_ = fortran
    assert numpy.array_equal(in_place, as_shipped)
