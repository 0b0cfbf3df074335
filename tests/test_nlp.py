"""nlp: the packaged spaCy model and the per-process parse cache."""

from __future__ import annotations

import json
import os
import re

import pytest

from storyline import nlp

from .conftest import ECBPLUS, sentences_with

# The sets of components the stages ask for: clean's sentences and lines, the cluster features, the full parse.
COMPONENT_SETS = [("senter",), ("tok2vec", "tagger", "attribute_ruler", "ner"),
                  ("tok2vec", "tagger", "attribute_ruler", "lemmatizer", "ner"), None]


def test_nlp_parse_parses_each_text_once_and_keeps_order(seed_store):
    from storyline.store import Store
    with Store(seed_store) as store:
        texts = [s.text for s in sentences_with(store, "Ukraine")][:6]
    first = nlp.parse(texts)
    again = nlp.parse(list(reversed(texts)))
    assert [d.text for d in first] == texts
    assert [id(d) for d in again] == [id(d) for d in reversed(first)]
    assert any(ent.label_ == "GPE" for doc in first for ent in doc.ents)


def annotations(doc) -> list[tuple]:
    """Every annotation a component sets on a doc, token by token."""
    return [(t.text, t.tag_, t.pos_, t.lemma_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_, t.is_sent_start,
             str(t.morph)) for t in doc]


@pytest.mark.parametrize("components", COMPONENT_SETS, ids=lambda c: "+".join(c) if c else "full")
def test_nlp_load_runs_its_components_on_one_model_as_a_copy_of_its_own_would(components):
    import spacy

    # A model of its own with only these components enabled: how each set was loaded before (one copy each),
    # on thinc's default backend (blis): where blis runs its generic kernels, `nlp.model` multiplies through
    # numpy's BLAS instead, and must annotate alike.
    own = spacy.load(nlp.MODEL)
    if components is not None:
        own.enable_pipe("senter")
        for name in list(own.pipe_names):
            if name not in components:
                own.disable_pipe(name)
    with ECBPLUS.open(encoding="utf-8") as lines:
        texts = [json.loads(line)["text"] for _, line in zip(range(8), lines)]
    texts += [line for text in texts[:2] for line in text.splitlines() if line.strip()]
    shared = nlp.load(components)
    assert shared.nlp is nlp.model() and nlp.load(components) is shared  # one model per process
    assert shared.pipe_names == own.pipe_names
    expected = [annotations(doc) for doc in own.pipe(texts, batch_size=8)]
    assert [annotations(doc) for doc in shared.pipe(texts, batch_size=8)] == expected
    assert [annotations(shared(text)) for text in texts[:3]] == expected[:3]
    assert any(any(row[1] for row in doc) for doc in expected) == (components != ("senter",))  # tags, or none


@pytest.mark.parametrize("components", [("senter",), None], ids=["senter", "full"])
def test_nlp_pipes_copy_and_pickle_as_the_request_not_the_model(components):
    import copy
    import pickle
    import subprocess
    import sys

    shared = nlp.load(components)
    assert copy.copy(shared) is shared and copy.deepcopy(shared) is shared
    shipped = pickle.dumps(shared)
    assert len(shipped) < 200  # the model pickles to some 16 MB: a Dask task must not carry it
    assert pickle.loads(shipped) is shared
    # Another process (a Dask worker) loads its own model for the same components.
    code = "import pickle, sys; print(' '.join(pickle.loads(sys.stdin.buffer.read()).pipe_names))"
    other = subprocess.run([sys.executable, "-c", code], input=shipped, capture_output=True, check=True)
    assert other.stdout.decode().split() == shared.pipe_names


def test_nlp_blis_kernels_names_the_kernels_blis_selects():
    import subprocess
    import sys

    # blis prints the kernel set it selects when BLIS_ARCH_DEBUG is set: the query must name the same one.
    code = "from storyline import nlp; print(nlp.blis_kernels())"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "BLIS_ARCH_DEBUG": "1"})
    selected = re.search(r"selecting sub-configuration '([^']+)'", shown.stderr)
    assert selected, shown.stderr
    assert shown.stdout.strip() == selected.group(1) == nlp.blis_kernels()


def test_nlp_model_multiplies_through_numpy_on_one_thread_where_blis_is_generic():
    import threadpoolctl

    generic = nlp.blis_kernels() == nlp.GENERIC_BLIS
    model = nlp.model()
    for name in ("tok2vec", "ner", "parser"):
        assert model.get_pipe(name).model.ops.use_blis is not generic, name
    threads = {info["num_threads"] for info in threadpoolctl.threadpool_info() if info["user_api"] == "blas"}
    assert not generic or threads == {1}
    # The process's own thinc backend is left as it was: only the model's layers were built on numpy's.
    from thinc.api import get_current_ops

    assert get_current_ops().use_blis


def test_nlp_pipes_not_made_by_load_fail_plainly():
    bare = nlp.Pipes.__new__(nlp.Pipes)  # as copy and pickle make an instance before its state is set
    with pytest.raises(AttributeError, match="without nlp.load"):
        bare.vocab
    assert not hasattr(bare, "__setstate__")
