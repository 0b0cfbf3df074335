"""A `StoryBook` kept in the store, so assignment is incremental across runs.

Reads and writes the story tables through `storyline.store.stories.StoryTables`
(no SQL here). Only the candidate stories of each new article are read.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable, Sequence

from storyline.cluster.online import BUCKET_DAYS, StoryChange, StoryState, story_buckets, window_buckets


class StoredBook:
    """The story profiles, frequencies and term index of a `Store`."""

    def __init__(self, store, bucket_days: int = BUCKET_DAYS) -> None:
        self.store = store
        self.bucket_days = bucket_days
        # Document frequencies and story profiles read so far, kept current by
        # `count_document`, `save` and `remove`: scoring reads the same
        # candidates again and again. Valid while this book is the store's
        # only writer, i.e. for one transaction (BEGIN IMMEDIATE), which is
        # how `assign_articles` uses it; a profile is then shared with the
        # assigner as `MemoryBook` shares its own.
        self._frequencies: dict[str, int] = {}
        self._profiles: dict[str, StoryState] = {}

    def document_count(self) -> int:
        """How many articles were counted."""
        return self.store.story_document_count()

    def document_frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        """Document frequency per term."""
        terms = list(terms)
        unread = [term for term in terms if term not in self._frequencies]
        if unread:
            found = self.store.story_term_frequencies(unread)
            self._frequencies.update((term, found.get(term, 0)) for term in unread)
        return {term: self._frequencies[term] for term in terms}

    def count_document(self, terms: Iterable[str]) -> None:
        """Count one article's terms."""
        counts = Counter(iter(terms))  # iter: a mapping (term -> weight) counts its terms once each
        self.store.count_story_documents(counts, 1)
        for term, count in counts.items():
            if term in self._frequencies:
                self._frequencies[term] += count

    def candidates(self, terms: Sequence[str], date: str | None, window_days: int, limit: int) -> list[str]:
        """The live stories sharing most terms within the window."""
        return self.store.story_candidates(list(terms), window_buckets(date, window_days, self.bucket_days), limit)

    def story(self, story_id: str) -> StoryState:
        """One story's profile."""
        if story_id not in self._profiles:
            row = self.store.story_profile(story_id)
            self._profiles[story_id] = StoryState(row["id"], row["members"], row["counts"], row["first"],
                                                  row["last"], row["label"], row["centroid"])
        return self._profiles[story_id]

    def save(self, story: StoryState) -> None:
        """Write a story's profile and postings."""
        self.store.save_story_profile(story.id, story.label, story.first, story.last, story.members,
                                      story.counts, story_buckets(story.first, story.last, self.bucket_days),
                                      story.centroid)
        self._profiles[story.id] = story

    def remove(self, story_id: str, merged_into: str) -> None:
        """Retire a story absorbed by a merge."""
        self.store.retire_story(story_id, merged_into)
        self._profiles.pop(story_id, None)

    def record(self, change: StoryChange) -> None:
        """Append an event to the story history."""
        self.store.append_story_history(change.story, change.kind, change.article, change.other, change.score)

    def story_of(self, article_id: str) -> str | None:
        """The live story holding an article."""
        return self.store.story_of_article(article_id)
