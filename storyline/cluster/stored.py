"""A `StoryBook` kept in the store, so assignment is incremental across runs.

Reads and writes the story tables through `storyline.store.stories.StoryTables`
(no SQL here). Only the candidate stories of each new article are read.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

from storyline.cluster.online import BUCKET_DAYS, StoryChange, StoryState, story_buckets, window_buckets


@dataclass(frozen=True, slots=True)
class _Written:
    """What the store holds of one story: its terms, the buckets its postings are under, its member count."""

    terms: frozenset[str]
    buckets: tuple[int, ...]
    members: int


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
        self._documents: int | None = None  # read once: every vector scaled reads it (a round trip on PostgreSQL)
        self._profiles: dict[str, StoryState] = {}
        # What the store holds of each story read or saved here, so that a save
        # writes only the postings that changed: a join adds a few terms to a
        # profile of up to 400, and rewriting them all made a save the main
        # cost of `add` in a large store (bench/cluster_scale.py --store).
        self._written: dict[str, _Written] = {}
        # Term frequencies counted and not yet written: written once per transaction, just before it
        # commits (`Store.before_commit`), not an upsert of every term per placed article.
        self._unwritten: Counter[str] = Counter()
        self._unwritten_documents = 0

    def document_count(self) -> int:
        """How many articles were counted."""
        if self._documents is None:
            self._documents = self.store.story_document_count() + self._unwritten_documents
        return self._documents

    def document_frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        """Document frequency per term."""
        terms = list(terms)
        unread = [term for term in terms if term not in self._frequencies]
        if unread:
            found = self.store.story_term_frequencies(unread)
            self._frequencies.update((term, found.get(term, 0) + self._unwritten[term]) for term in unread)
        return {term: self._frequencies[term] for term in terms}

    def count_document(self, terms: Iterable[str]) -> None:
        """Count one article's terms (written to the store when the transaction commits)."""
        counts = Counter(iter(terms))  # iter: a mapping (term -> weight) counts its terms once each
        self.store.before_commit(self._write_counts)
        self._unwritten.update(counts)
        self._unwritten_documents += 1
        if self._documents is not None:
            self._documents += 1
        for term, count in counts.items():
            if term in self._frequencies:
                self._frequencies[term] += count

    def _write_counts(self) -> None:
        """Add the term frequencies counted since the last commit to the store: one upsert per term."""
        self.store.count_story_documents(dict(sorted(self._unwritten.items())), self._unwritten_documents)
        self._unwritten = Counter()
        self._unwritten_documents = 0

    def candidates(self, terms: Sequence[str], date: str | None, window_days: int, limit: int) -> list[str]:
        """The live stories sharing most terms within the window."""
        return self.store.story_candidates(list(terms), window_buckets(date, window_days, self.bucket_days), limit)

    def story(self, story_id: str) -> StoryState:
        """One story's profile."""
        if story_id not in self._profiles:
            row = self.store.story_profile(story_id)
            story = StoryState(row["id"], row["members"], row["counts"], row["first"], row["last"], row["label"],
                               row["centroid"])
            self._profiles[story_id] = story
            self._written[story_id] = self._held(story)
        return self._profiles[story_id]

    def save(self, story: StoryState) -> None:
        """Write a story's profile and postings: in full when new here, else its new members and postings."""
        buckets = story_buckets(story.first, story.last, self.bucket_days)
        held = self._written.get(story.id)
        if held is None:
            self.store.save_story_profile(story.id, story.label, story.first, story.last, story.members,
                                          story.counts, buckets, story.centroid)
        else:
            self.store.update_story_profile(story.id, story.label, story.first, story.last, story.members,
                                            held.members, story.counts, held.terms, buckets, held.buckets,
                                            story.centroid)
        self._profiles[story.id] = story
        self._written[story.id] = self._held(story, buckets)

    def _held(self, story: StoryState, buckets: tuple[int, ...] | None = None) -> "_Written":
        """A snapshot of what the store now holds of a story (the assigner changes the profile in place)."""
        if buckets is None:
            buckets = story_buckets(story.first, story.last, self.bucket_days)
        return _Written(frozenset(story.counts), buckets, len(story.members))

    def remove(self, story_id: str, merged_into: str) -> None:
        """Retire a story absorbed by a merge."""
        self.store.retire_story(story_id, merged_into)
        self._profiles.pop(story_id, None)
        self._written.pop(story_id, None)

    def record(self, change: StoryChange) -> None:
        """Append an event to the story history."""
        self.store.append_story_history(change.story, change.kind, change.article, change.other, change.score)

    def story_of(self, article_id: str) -> str | None:
        """The live story holding an article."""
        return self.store.story_of_article(article_id)
