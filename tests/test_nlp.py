"""nlp: the packaged spaCy model and the per-process parse cache."""

from __future__ import annotations

from storyline import nlp

from .conftest import sentences_with


def test_nlp_parse_parses_each_text_once_and_keeps_order(seed_store):
    from storyline.store import Store
    with Store(seed_store) as store:
        texts = [s.text for s in sentences_with(store, "Ukraine")][:6]
    first = nlp.parse(texts)
    again = nlp.parse(list(reversed(texts)))
    assert [d.text for d in first] == texts
    assert [id(d) for d in again] == [id(d) for d in reversed(first)]
    assert any(ent.label_ == "GPE" for doc in first for ent in doc.ents)
