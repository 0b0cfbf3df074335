"""Claims of the seed story: clauses cut from their sentences, slots filled and normalised."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

from storyline import nlp
from storyline.claims import extract_claims, quotes_in_body
from storyline.records import Article, Origin, Outlet, Published, Sentence, sentence_id

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed story (../shared/seeds) is not beside the repo")


def article_from_lines(article_id: str, title: str, lines: list[str], published: Published) -> Article:
    """An article whose paragraphs are the lines, split into sentences by the fast splitter."""
    splitter = nlp.load(("senter",))
    sentences: list[Sentence] = []
    offset = 0
    for p, line in enumerate(lines):
        for span in splitter(line).sents:
            text = span.text.strip()
            if text:
                start = offset + line.index(text, span.start_char)
                sentences.append(Sentence(sentence_id(article_id, len(sentences)), len(sentences), text,
                                          start, start + len(text), p))
        offset += len(line) + 2
    return Article(article_id, article_id, Origin("file", article_id), title, Outlet(), (), published, "en",
                   "\n\n".join(lines), tuple(sentences))


@functools.lru_cache(maxsize=1)
def seed_articles() -> tuple[Article, ...]:
    """The five seed reports: a title line when there is one, the 'date' line of 003 as its publication date."""
    articles = []
    for path in sorted(SEEDS.glob("0*.txt")):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        title = lines.pop(0) if not lines[0].endswith((".", "”", '"')) and not lines[0].startswith("date ") else ""
        published = Published()
        match = re.match(r"date (\d{4}-\d\d-\d\d) ", lines[0])
        if match:
            published = Published(match.group(1), False, "date line")
            lines[0] = lines[0][match.end():]
        articles.append(article_from_lines(path.stem.split("_")[0], title, lines, published))
    return tuple(articles)


@functools.lru_cache(maxsize=1)
def seed_claims():
    """Claims of the seed story (parsed once per test run)."""
    return tuple(extract_claims(seed_articles()))


def claims_of(article: str, needle: str):
    """The claims of one seed article whose text contains `needle`."""
    return [c for c in seed_claims() if c.article == article and needle in c.text]


def test_extract_claims_text_is_cut_from_its_sentence():
    sentences = {s.id: s for a in seed_articles() for s in a.sentences}
    claims = seed_claims()
    assert len(claims) > 80
    for claim in claims:
        sentence = sentences[claim.sentence_id]
        assert sentence.text[claim.start:claim.end] == claim.text
        assert claim.sentence_id.startswith(claim.article + ":")


def test_extract_claims_splits_a_sentence_joining_two_statements():
    parts = [c for c in seed_claims() if c.article == "003"
             and ("economy-jarring sanctions" in c.text or "not on the table" in c.text)]
    assert len(parts) == 2
    assert parts[0].sentence_id == parts[1].sentence_id
    assert parts[0].end <= parts[1].start
    assert parts[1].text.startswith("he said last month")


def test_extract_claims_skips_captions_and_prompts():
    texts = [c.text for c in seed_claims()]
    assert not any(t in ("Photo: AP", "Leave A Reply", "Leave a Reply", "Related Topics") for t in texts)


def test_number_slots_keep_value_counted_noun_and_qualifier():
    (about,) = [s for c in claims_of("001", "100,000") for s in c.slots if s.kind == "number"]
    assert (about.value, about.unit, about.qualifier) == (100000.0, "troop", "about")
    (more,) = [s for c in claims_of("004", "100,000") for s in c.slots if s.kind == "number"]
    assert (more.value, more.qualifier) == (100000.0, "more than")
    killed = [s for c in claims_of("002", "13,000") for s in c.slots if s.kind == "number"]
    assert {(s.value, s.qualifier) for s in killed} == {(13000.0, "more than"), (1500000.0, "about")}


def test_duration_slots_are_seconds_with_their_relation():
    slots = [s for c in claims_of("000", "two days after") for s in c.slots if s.kind == "quantity"]
    assert ("two days", 172800.0, "second", "after") in {(s.text, s.value, s.unit, s.relation) for s in slots}
    assert ("almost one hour", 3600.0, "nearly") in {(s.text, s.value, s.qualifier) for s in slots}


def test_date_slots_resolve_against_the_publication_date():
    crimea = [s for c in claims_of("002", "Crimea") for s in c.slots if s.kind == "date"]
    assert [s.value for s in crimea] == ["2014-03"]
    # 003 is dated 2022-01-04: "Thursday" is the last Thursday before it.
    thursday = [s for c in claims_of("003", "nearly an hour") for s in c.slots if s.kind == "date"]
    assert [s.value for s in thursday] == ["2021-12-30"]
    # 000 has no date: "Dec. 30" keeps its month and day, the year unknown.
    december = [s for c in claims_of("000", "Dec. 30") for s in c.slots if s.kind == "date"]
    assert [s.value for s in december] == ["--12-30"]


def test_extract_claims_uses_resolved_dates_when_given():
    article = next(a for a in seed_articles() if a.id == "000")
    sentence = next(s for s in article.sentences if "Dec. 30" in s.text)
    claims = extract_claims([article], resolved_dates={sentence.id: [("Dec. 30", "2021-12-30")]})
    (claim,) = [c for c in claims if c.sentence_id == sentence.id]
    assert [s.value for s in claim.slots if s.kind == "date"] == ["2021-12-30"]


def test_names_of_one_person_share_one_canonical_value():
    values = {s.value for c in seed_claims() for s in c.slots
              if s.kind in ("person", "org") and s.text.startswith("Zelensk")}
    assert len(values) == 1
    assert {s.value for c in seed_claims() for s in c.slots if s.text in ("US", "U.S.")} == {"United States"}


def test_extract_claims_uses_canonical_names_when_given():
    article = next(a for a in seed_articles() if a.id == "004")
    claims = extract_claims([article], canonical_names={"Zelenskyy": "Volodymyr Zelensky",
                                                        "Volodymyr Zelenskyy": "Volodymyr Zelensky"})
    values = {s.value for c in claims for s in c.slots if s.text.endswith("Zelenskyy")}
    assert values == {"Volodymyr Zelensky"}


def test_negation_slot_marks_a_negated_statement():
    (claim,) = claims_of("003", "not on the table")
    assert any(s.kind == "negation" and s.unit == "be" for s in claim.slots)
    (positive,) = claims_of("003", "economy-jarring")
    assert not any(s.kind == "negation" for s in positive.slots)


def test_quotes_pair_marks_whatever_way_they_face():
    body = 'You know what they say, “she added.\n\n"I am so excited to be here, “she said in a statement.'
    assert [text for _, text in quotes_in_body(body)] == ["You know what they say,", "I am so excited to be here,"]


def test_quote_running_over_two_sentences_belongs_to_the_claim_where_it_opens():
    (claim,) = [c for c in claims_of("002", "I’m not going to negotiate")]
    assert any("impossible" in q for q in claim.quotes)
