"""Where placement would put an article now, without placing it.

Reads an article and the stories of a store; asks the placement code (`Assigner`, over the store's
`StoredBook`) for the story it would join, as placing the article would, among all the stories within
reach or among some of them; writes nothing (no document frequency counted, no profile saved). Used for a
new version of an article already in a story: does its new text still belong there, or would it join
another (`pipeline.assign_stories`)? Never skips; deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from storyline.cluster.features import ArticleFeatures, extract_features, sublinear
from storyline.cluster.online import Assigner, ClusterConfig
from storyline.cluster.stored import StoredBook
from storyline.records import Article


@dataclass(frozen=True, slots=True)
class Fit:
    """The story an article's placement would join, and by how much."""

    story: str | None  # the best story within reach (None: no story shares its terms)
    margin: float  # its score over that story's join threshold: at least 1 joins it, below 1 opens a story


class _Narrowed:
    """A `StoryBook` whose candidates are only `only` (when given), less `without`; the rest is the book's."""

    def __init__(self, book: StoredBook, only: Sequence[str] | None, without: Iterable[str]) -> None:
        self.book = book
        self.only = None if only is None else list(only)
        self.without = set(without)

    def candidates(self, terms: Sequence[str], date: str | None, window_days: int, limit: int) -> list[str]:
        """The book's candidates (or `only`), less `without`."""
        if self.only is not None:
            return [story for story in self.only if story not in self.without]
        found = self.book.candidates(terms, date, window_days, limit + len(self.without))
        return [story for story in found if story not in self.without][:limit]

    def __getattr__(self, name: str):
        return getattr(self.book, name)


def best_fit(article: Article, store, config: ClusterConfig = ClusterConfig(), *, only: Sequence[str] | None = None,
             without: Iterable[str] = (), features: ArticleFeatures | None = None) -> Fit:
    """The story placing `article` into the store's stories now would join (the best margin), among the
    stories within reach (or `only` these), less `without`; nothing is written.

    `features`: the article's, when the caller has them (else one spaCy pass here).
    """
    item = features or extract_features([article], representation=config.representation)[0]
    counts = {term: sublinear(count) for term, count in item.terms}
    assigner = Assigner(_Narrowed(StoredBook(store), only, without), config)
    margin, _, story = assigner.best_candidate(counts, 1, item.vector or None, item.published, item.published,
                                                config.join_threshold)
    return Fit(story.id if story is not None else None, margin)
