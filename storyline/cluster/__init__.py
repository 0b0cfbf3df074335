"""Stories: group articles that report the same event, online and incrementally.

Reads `Article` records (after dedup); writes `Story` records (id, members,
time span, label) and a history of `StoryChange` events (created, joined,
merged). Each new article joins the best existing story or opens one; stories
whose profiles converge are merged, and the merge is recorded. Candidate
stories come from an inverted index restricted to a time window, so adding
one article to a large store reads only a few stories (bench/cluster_scale.py).

Representation: TF-IDF over lemmas, named entities by type, years and numbers
(features.py), with a time-gap factor from publication dates. With the
optional `embeddings` extra, `ClusterConfig(representation="tfidf+minilm")`
mixes in the cosine of MiniLM sentence embeddings (embeddings.py); bench/cluster.py
measures both, and TF-IDF stays the default because the mix did not beat it.
`embeddings.choose_representation` falls back to TF-IDF, saying so, when the
extra is absent.

A copy found by dedup adds no terms: it joins the story of the article it
copies at its own turn in the canonical order, its date with it
(`place_features`).

Never skips: an article with no usable words opens a story of its own.
Deterministic: a batch is processed in canonical order (publication date,
article id), so results do not depend on input order; adding batches in that
order gives the same stories as one batch. Articles already in a story are
not placed again (re-adding is a no-op).
"""

from __future__ import annotations

import time
from typing import Callable, Mapping, Sequence

from storyline.cluster.embeddings import REPRESENTATIONS, Representation, choose_representation
from storyline.cluster.features import ArticleFeatures, extract_features
from storyline.cluster.online import Assigner, ClusterConfig, MemoryBook, StoryChange, canonical_order
from storyline.cluster.stored import StoredBook
from storyline.records import Article, Story

__all__ = [
    "ArticleFeatures",
    "ClusterConfig",
    "REPRESENTATIONS",
    "Representation",
    "StoryChange",
    "assign_articles",
    "choose_representation",
    "cluster_articles",
    "cluster_features",
    "extract_features",
    "place",
    "place_features",
]


def cluster_articles(articles: Sequence[Article], config: ClusterConfig = ClusterConfig()) -> list[Story]:
    """Group a batch of articles into stories, in memory (pure: no store)."""
    book = MemoryBook()
    place(articles, book, config)
    return _stories_of(book)


def cluster_features(features: Sequence[ArticleFeatures], config: ClusterConfig = ClusterConfig(),
                     twins: Mapping[str, str] | None = None) -> list[Story]:
    """Group articles already turned into features (the bench caches features).

    `twins` maps a copy (dedup) to the article it copies, as `place` does.
    """
    book = MemoryBook()
    _, left = place_features(features, book, config, twins or {})
    Assigner(book, config).add_batch(left)
    return _stories_of(book)


def assign_articles(articles: Sequence[Article], store, config: ClusterConfig = ClusterConfig(),
                    twins: Mapping[str, str] | None = None,
                    features: Mapping[str, ArticleFeatures] | None = None,
                    seconds: dict[str, float] | None = None) -> list[StoryChange]:
    """Place new articles into the stories of a store; return what changed.

    Articles already in a story are left alone (re-adding is a no-op).
    `twins` maps an article to another whose story it should join (a
    canonical article that displaced a stored copy); an article's own
    `duplicate_of` counts as its twin too.

    The spaCy work comes first, outside any transaction; the placements are
    then written in short transactions (`Store.transactions`), committed
    between two articles, so another writer waits well under a second. The
    caller holds the store's placement lock (`pipeline.assign_stories`): the
    book's caches and the features chosen here rely on no other placer.
    `features`, when given, are the articles' features already extracted (by
    Dask workers, storyline/parallel.py). `seconds`, when given, gets the
    seconds of the features extracted here added to its "features".
    """
    clustered = store.clustered([a.id for a in articles])
    fresh = [a for a in articles if a.id not in clustered]
    if not fresh:
        return []
    book = StoredBook(store)
    twin_of = _twins_of(fresh, twins)
    features = _features_to_place(fresh, twin_of, book, config, features, seconds)
    with store.transactions() as between:
        return _place_prepared(fresh, features, book, config, twin_of, between)


def place(articles: Sequence[Article], book, config: ClusterConfig = ClusterConfig(),
          twins: Mapping[str, str] | None = None,
          extracted: Mapping[str, ArticleFeatures] | None = None) -> list[StoryChange]:
    """Place articles into a `StoryBook`: originals by similarity, copies beside their twin (`place_features`).

    A copy whose twin is in no story (and not among these articles) is placed
    like an original. `extracted` holds features already extracted, by article id.
    """
    twin_of = _twins_of(articles, twins)
    features = _features_to_place(articles, twin_of, book, config)
    return _place_prepared(articles, features, book, config, twin_of)


def _twins_of(articles: Sequence[Article], twins: Mapping[str, str] | None) -> dict[str, str]:
    """Each copy among `articles` mapped to the article whose story it joins."""
    twin_of = {a.id: a.duplicate_of for a in articles if a.duplicate_of}
    twin_of.update(twins or {})
    return twin_of


def _features_to_place(articles: Sequence[Article], twin_of: Mapping[str, str], book,
                       config: ClusterConfig,
                       extracted: Mapping[str, ArticleFeatures] | None = None,
                       seconds: dict[str, float] | None = None) -> dict[str, ArticleFeatures]:
    """The features placing `articles` will read (one spaCy pass): of the originals, and of the copies
    whose twin will be in no story (placed like originals). The seconds of that pass are added to
    `seconds["features"]` (when given).

    Reads the book (which twins have a story) but writes nothing, so it runs
    before the writes; a copy attaches when its twin is among the articles
    (and will itself be placed in a story) or already has a story.
    """
    ids = {a.id for a in articles}
    attaches: dict[str, bool] = {}

    def will_attach(article_id: str, seen: frozenset[str] = frozenset()) -> bool:
        if article_id not in attaches:
            twin = twin_of[article_id]
            if twin in seen:  # a cycle of copies: none of them has a story to join
                return False
            if twin in ids:
                attaches[article_id] = twin not in twin_of or will_attach(twin, seen | {article_id})
            else:
                attaches[article_id] = book.story_of(twin) is not None
        return attaches[article_id]

    wanted = [a for a in articles if a.id not in twin_of or not will_attach(a.id)]
    if extracted is not None and all(a.id in extracted for a in wanted):  # extracted by Dask workers
        return {a.id: extracted[a.id] for a in wanted}
    started = time.perf_counter()
    found = extract_features(wanted, representation=config.representation) if wanted else []
    if seconds is not None:
        seconds["features"] = seconds.get("features", 0.0) + time.perf_counter() - started
    return {item.article_id: item for item in found}


def _place_prepared(articles: Sequence[Article], features: Mapping[str, ArticleFeatures], book,
                    config: ClusterConfig, twin_of: Mapping[str, str],
                    between: Callable[[], None] | None = None) -> list[StoryChange]:
    """`place` with the features computed: originals by similarity, copies beside their twin, then the
    copies whose twin has no story, like originals. `between` is called between two placed articles."""
    originals = [features[a.id] for a in articles if a.id not in twin_of]
    # A copy adds no terms of its own: only its id and date are read.
    copies = [ArticleFeatures(a.id, a.published.value, (), a.title, a.published.inferred)
              for a in articles if a.id in twin_of]
    changes, left = place_features(originals + copies, book, config, twin_of, between)
    if left:
        missing = [a for a in articles if a.id in {item.article_id for item in left} and a.id not in features]
        if missing:  # not foreseen by `_features_to_place`: a twin's story went away
            features = {**features, **{f.article_id: f for f in
                                       extract_features(missing, representation=config.representation)}}
        assigner = Assigner(book, config)
        for item in canonical_order(features[copy.article_id] for copy in left):
            changes.extend(assigner.add(item))
            if between:
                between()
    return changes


def place_features(features: Sequence[ArticleFeatures], book, config: ClusterConfig,
                   twin_of: Mapping[str, str], between: Callable[[], None] | None = None
                   ) -> tuple[list[StoryChange], list[ArticleFeatures]]:
    """Place a batch in canonical order: an original by similarity, a copy (a key of `twin_of`) in
    its twin's story; return what changed and the copies whose twin was never placed.

    A copy adds no terms, but its date joins the story at its own turn in the
    order, as the report it copies would have: a copy dated between the
    first reports and a later follow-up keeps the story's span within reach
    of the follow-up. A copy whose twin comes later in the order waits for it.
    `between` is called between two placed articles (where a write may be committed).
    """
    assigner = Assigner(book, config)
    changes: list[StoryChange] = []
    waiting: dict[str, list[ArticleFeatures]] = {}
    for item in canonical_order(features):
        twin = twin_of.get(item.article_id)
        if twin is None:
            changes.extend(assigner.add(item))
        else:
            attached = assigner.attach(item.article_id, item.published, twin, item.published_inferred)
            if not attached:
                waiting.setdefault(twin, []).append(item)
                continue
            changes.extend(attached)
        placed = [item.article_id]
        while placed:  # copies of this article, then copies of those copies
            for copy in waiting.pop(placed.pop(), []):
                changes.extend(assigner.attach(copy.article_id, copy.published, twin_of[copy.article_id],
                                               copy.published_inferred))
                placed.append(copy.article_id)
        if between:
            between()
    left = canonical_order(copy for copies in waiting.values() for copy in copies)
    return changes, left


def _stories_of(book: MemoryBook) -> list[Story]:
    """The stories of an in-memory book, largest first."""
    return sorted(
        (Story(s.id, tuple(s.members), s.first, s.last, s.label) for s in book.stories.values()),
        key=lambda story: (-len(story.articles), story.id),
    )
