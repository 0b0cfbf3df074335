"""The pipeline runner: the only module that knows the order of the stages.

ingest -> clean -> dedup -> cluster            (`add`: per batch, then placement into stories)
story -> entities, timeline, quotes -> claims -> compare -> brief   (`brief_story`, per story)

Each batch of inputs is cleaned, checked against the stored duplicate index
and written in one transaction: a crash or a bad input mid-batch loses
nothing already stored, and re-adding the same input is a no-op (ids are
content hashes). Once every batch of an `add` is stored, the articles that
belong to no story yet are placed into stories in publication order (in
transactions of `cluster_batch_size`), so the stories do not depend on the
order of the inputs of one `add`; articles left unplaced by a crash are
placed by the next `add`. A copy joins the story of its canonical article,
and a canonical article that displaced a stored copy joins the copy's story
(the store keeps that map, so a killed `add` leaves it to the next one).

An article whose http(s) URL is stored already is a version of that article
(`storyline.urls.article_key`): with the same title and body as the newest
version it is nothing new (counted unchanged, not stored); with another text
it is stored as the newest version (the old one kept), takes the old one's
place in its story, and its copies; it is not checked as a copy of its own
earlier versions. When the last input of a URL in an `add` states the text
of an earlier version, that version is current again (a revert: a new
version whose article is the earlier one's, nothing stored twice). The
story is then briefed from the current text alone, and the brief's change
says which source was revised and which figures moved. A new version whose
text placement would put into another story (and no longer into its own)
moves there.

Several `add`s may run at once on one store: every write is a short
transaction (waiting for, never failing on, another writer), and placement
is serialised by the store's placement lock, with its spaCy work done
before each run of writes (`cluster.assign_articles`).
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Sequence

from storyline import brief as brief_stage
from storyline import (
    changes, claims, clean, cluster, compare, contract, dedup, entities, gazetteer, ingest, nlp, quotes, timeline, updates,
)
from storyline.cluster import probe
from storyline.records import Article, Brief, Document, DuplicateSet, Skipped, Story
from storyline.store import Store, now_iso
from storyline.store.versions import MOVED, REVISED
from storyline.urls import article_key

if TYPE_CHECKING:
    from storyline import parallel


@dataclass(frozen=True, slots=True)
class PipelineConfig:
    """Configuration of every stage the pipeline runs."""

    ingest: ingest.IngestConfig = field(default_factory=ingest.IngestConfig)
    clean: clean.CleanConfig = field(default_factory=clean.CleanConfig)
    dedup: dedup.DedupConfig = field(default_factory=dedup.DedupConfig)
    cluster: cluster.ClusterConfig = field(default_factory=cluster.ClusterConfig)
    entities: entities.EntityConfig = field(default_factory=entities.EntityConfig)
    timeline: timeline.TimelineConfig = field(default_factory=timeline.TimelineConfig)
    quotes: quotes.QuoteConfig = field(default_factory=quotes.QuoteConfig)
    compare: compare.CompareConfig = field(default_factory=compare.CompareConfig)
    brief: brief_stage.BriefConfig = field(default_factory=brief_stage.BriefConfig)
    # 32 documents: large enough to batch spaCy well, small enough that a
    # crash loses at most a few seconds of work.
    batch_size: int = 32
    # Articles placed into stories per transaction (one spaCy pass each).
    cluster_batch_size: int = 256


@dataclass
class AddReport:
    """What one `add` did."""

    added: list[str] = field(default_factory=list)
    unchanged: int = 0
    # (new version, the version it replaced) of each added article whose URL was stored with another text
    versions: list[tuple[str, str]] = field(default_factory=list)
    # (earlier version current again, the version it replaced) of each URL whose last input stated the text of
    # an earlier version (a revert)
    reverted: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    duplicates: list[tuple[str, DuplicateSet]] = field(default_factory=list)
    story_changes: list[cluster.StoryChange] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    # The representation the stories were placed with, and a line saying which (and why, on a fallback).
    representation: cluster.Representation | None = None

    def timed(self, stage: str, started: float) -> None:
        """Add the time since `started` to a stage's total."""
        self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - started


@dataclass(frozen=True, slots=True)
class Progress:
    """Progress of an `add`, reported after each batch."""

    documents: int
    added: int
    skipped: int
    last_input: str


def batched(items: Iterable, size: int) -> Iterator[list]:
    """Split an iterable into lists of at most `size` items."""
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def add(store: Store, inputs: Sequence[str], config: PipelineConfig = PipelineConfig(),
        on_progress: Callable[[Progress], None] | None = None,
        on_skip: Callable[[Skipped], None] | None = None, workers: "parallel.Workers | None" = None) -> AddReport:
    """Ingest, clean and deduplicate inputs into the store, one transaction per batch.

    With `workers` (storyline/parallel.py), ingest, clean, fingerprints and the
    NLP of placement run on Dask workers; this process stores the same batches
    in the same order, so the stories are the same.
    """
    if workers is None:
        return add_documents(store, ingest.read_inputs(inputs, config.ingest), config, on_progress, on_skip)
    return _add_batches(store, workers.prepared_batches(inputs, config), config, on_progress, on_skip, workers)


def add_documents(store: Store, documents: Iterable[Document | Skipped], config: PipelineConfig = PipelineConfig(),
                  on_progress: Callable[[Progress], None] | None = None,
                  on_skip: Callable[[Skipped], None] | None = None) -> AddReport:
    """`add` for documents already ingested (as `storyline watch` fetches them): clean, deduplicate, place."""
    batches = ((batch, None, {}) for batch in batched(documents, config.batch_size))
    return _add_batches(store, batches, config, on_progress, on_skip)


def _add_batches(store: Store, batches: Iterator[tuple[list, dict | None, dict]], config: PipelineConfig,
                 on_progress: Callable[[Progress], None] | None, on_skip: Callable[[Skipped], None] | None,
                 workers: "parallel.Workers | None" = None) -> AddReport:
    """Store batches of (documents and skips, their cleaned articles or None, fingerprint bytes by article),
    then place the new articles: the one body of `add` and `add_documents`."""
    report = AddReport()
    seen = 0
    stated: dict[str, tuple[int, str]] = {}  # per URL, (input position, stored article) of its last input
    # The workers' seconds add up over their life (one cluster may serve several adds): this add's are the difference.
    waited_before = workers.waited if workers is not None else 0.0
    stages_before = dict(workers.stage_seconds) if workers is not None else {}
    while True:
        started = time.perf_counter()
        prepared = next(batches, None)
        report.timed("ingest" if workers is None else "workers", started)
        if prepared is None:
            break
        batch, cleaned, fingerprints = prepared
        documents: list[Document] = []
        batch_skips: list[Skipped] = []
        for item in batch:
            (batch_skips if isinstance(item, Skipped) else documents).append(item)
        positions = {doc.id: seen + n for n, doc in enumerate(documents)}
        seen += len(documents)
        known = store.known_documents(d.id for d in documents)
        # A document stored already states the text of the version its article is (article id = document id).
        for article_id, url in store.version_urls(sorted(known)).items():
            state(stated, url, positions[article_id], article_id)
        fresh: dict[str, Document] = {}
        for doc in documents:
            if doc.id in known or doc.id in fresh:
                report.unchanged += 1
            else:
                fresh[doc.id] = doc
        articles: list[Article] = []
        started = time.perf_counter()
        results = (clean.clean_documents(list(fresh.values()), config.clean) if cleaned is None
                   else (cleaned[doc_id] for doc_id in fresh))
        for result in results:
            (batch_skips if isinstance(result, Skipped) else articles).append(result)
        if cleaned is None:
            report.timed("clean", started)
        started = time.perf_counter()
        # A canonical order inside the batch, so that which copy becomes the
        # canonical one does not depend on the order of the inputs; but the versions of one URL
        # stay in the order they came (a later one is the newer text).
        articles = versions_in_input_order(articles, sorted(articles, key=lambda a: (a.published.value or "9999", a.id)))
        # The fingerprints (MinHash: CPU work) before the transaction, which other writers wait for (a Dask
        # worker that cleaned the batch computed them already).
        prints = {article.id: (dedup.Fingerprint.from_bytes(fingerprints[article.id]) if article.id in fingerprints
                               else dedup.fingerprint(article, config.dedup)) for article in articles}
        # Serial (a PostgreSQL advisory lock; SQLite writers are serial anyway): two adders
        # storing copies of one report at once would each miss the other's.
        with store.transaction(serial="dedup"):
            for skip in batch_skips:
                store.record_skip(skip)
            for article in articles:
                fingerprint = prints[article.id]
                key = article_key(article.origin.url)
                previous = store.current_version(key) if key else None
                versions = store.versions_of(previous) if previous else []
                same = stated_version(store, versions, article, fingerprint)
                if same is not None:
                    # A version of its URL says the same: nothing new (the newest), or a revert to an earlier one.
                    state(stated, key, positions[article.document_id], same)
                    report.unchanged += 1
                    continue
                if not store.save_document(fresh[article.document_id]):
                    report.unchanged += 1  # another process stored it after `known` was read
                    continue
                verdict, demoted = check_duplicates(store, article, config.dedup, fingerprint, own_versions=versions)
                if verdict is not None:
                    article = replace(article, duplicate_of=verdict.canonical)
                store.save_article(article)
                if key:
                    store.save_version(article.id, key, previous, now_iso())
                    state(stated, key, positions[article.document_id], article.id)
                if previous is not None:
                    # It takes the old version's place in its story when placed (`assign_stories`).
                    store.replace_copies(previous, verdict.canonical if verdict is not None else article.id)
                    report.versions.append((article.id, previous))
                store.save_fingerprint(article.id, fingerprint.body_hash, fingerprint.to_bytes(),
                                       dedup.band_keys(fingerprint, config.dedup)
                                       + dedup.lead_keys(article, config.dedup))
                if verdict is not None:
                    store.save_duplicate(verdict, article.id)
                    report.duplicates.append((article.id, verdict))
                for old_id, old_verdict in demoted:
                    # The new canonical joins the displaced copy's story when it is placed.
                    store.save_displaced(article.id, old_id)
                    store.repoint_duplicates(old_id, article.id)
                    store.save_duplicate(old_verdict, old_id)
                    report.duplicates.append((old_id, old_verdict))
                report.added.append(article.id)
        report.timed("dedup+store", started)
        for skip in batch_skips:
            report.skipped.append(skip)
            if on_skip:
                on_skip(skip)
        if on_progress:
            last = documents[-1].origin.label() if documents else (batch_skips[-1].input if batch_skips else "")
            on_progress(Progress(seen, len(report.added), len(report.skipped), last))
    report.reverted = revert_versions(store, {url: article_id for url, (_, article_id) in stated.items()})
    started = time.perf_counter()
    report.representation = cluster.choose_representation(config.cluster.representation)
    placing = replace(config, cluster=replace(config.cluster, representation=report.representation.name))
    within: dict[str, float] = {}
    report.story_changes = assign_stories(store, placing, workers, within)
    report.timed("cluster", started)
    report.seconds.update(within)  # parts of "cluster"
    if workers is not None:
        report.seconds["features wait"] = workers.waited - waited_before
        for stage, seconds in workers.stage_seconds.items():  # summed over the workers, beside this process's
            report.seconds[f"{stage} (workers)"] = seconds - stages_before.get(stage, 0.0)
    return report


def assign_stories(store: Store, config: PipelineConfig = PipelineConfig(),
                   workers: "parallel.Workers | None" = None,
                   seconds: dict[str, float] | None = None) -> list[cluster.StoryChange]:
    """Place every stored article that is in no story yet, in publication order; return the changes.

    Holds the store's placement lock (another `add` placing waits for it),
    and reads the pending articles once it has it. A new version of an
    article in a story takes its place there (a `revised` change), unless
    its text now belongs to another story (`version_moves`): then the old
    version leaves its story (a `moved` change) and the new one is placed
    as a new article is. Older versions are never placed. A canonical article that
    displaced a stored copy (`Store.displaced`) joins that copy's story.
    `config.cluster.representation` is used as given: `add` resolves it
    first (`cluster.choose_representation`), falling back to TF-IDF when the
    embeddings extra is absent. With `workers`, the features of each chunk
    are extracted on the workers, a few chunks ahead of the placement.
    `seconds`, when given, gets the seconds of the features extracted here
    ("features": the spaCy pass of placement).
    """
    changes: list[cluster.StoryChange] = []
    with store.placement_lock():
        unplaced = store.unclustered_articles()
        # An old version is the article no more: only the newest version is placed, and a new version of an
        # article in a story takes its place there.
        old = store.superseded([article_id for article_id, _ in unplaced])
        renewed = {}
        for article_id in sorted(store.later_versions([a for a, _ in unplaced if a not in old])):
            placed = store.placed_version(article_id)
            if placed is not None:
                renewed[article_id] = placed
        # A new version whose text placement would now put into another story goes there; the others take
        # their old version's place.
        moving = {new for new in sorted(renewed) if version_moves(store, new, renewed[new], config.cluster)}
        left: dict[str, str] = {}  # a moved new version -> the story its old version left
        if renewed:
            with store.transaction():
                for new, placed in renewed.items():
                    if new in moving:
                        left[new] = store.leave_story(placed, new)
                        changes.append(cluster.StoryChange(MOVED, left[new], new, placed))
                    else:
                        changes.append(cluster.StoryChange(REVISED, store.take_place(placed, new), new, placed))
        pending = sorted((row for row in unplaced
                          if row[0] not in old and (row[0] not in renewed or row[0] in moving)),
                         key=lambda row: (row[1] or "9999", row[0]))
        chunks = batched((article_id for article_id, _ in pending), config.cluster_batch_size)
        if workers is None:
            featured = ((store.get_articles(chunk), None) for chunk in chunks)
        else:
            featured = workers.featured_chunks(chunks, store.get_articles, config.cluster.representation)
        for articles, features in featured:
            twins = store.displaced([a.id for a in articles])
            changes.extend(cluster.assign_articles(articles, store, config.cluster, twins, features=features,
                                                   seconds=seconds))
        if left:
            with store.transaction():
                for new, story_id in sorted(left.items()):
                    into = store.story_of_article(new)
                    if into is not None and into != story_id:
                        store.retire_if_empty(story_id, into)
    return changes


def version_moves(store: Store, new_id: str, placed_id: str, config: cluster.ClusterConfig) -> bool:
    """Whether a new version of an article in a story belongs to another story now: placing its text would
    join another story (clear its join threshold) and would not join its own (which still holds the old
    text's terms). Asked of the placement code (`cluster.probe`), which decides both alike; nothing is
    written."""
    story_id = store.story_of_article(placed_id)
    article = store.get_article(new_id)
    if story_id is None or article is None:
        return False
    (features,) = cluster.extract_features([article], representation=config.representation)
    other = probe.best_fit(article, store, config, without=[story_id], features=features)
    if other.story is None or other.margin < 1.0:
        return False
    return probe.best_fit(article, store, config, only=[story_id], features=features).margin < 1.0


def check_duplicates(store: Store, article: Article, config: dedup.DedupConfig,
                     fingerprint: dedup.Fingerprint | None = None, own_versions: Sequence[dict] = ()
                     ) -> tuple[DuplicateSet | None, list[tuple[str, DuplicateSet]]]:
    """Check a new article against the stored ones through the LSH index.

    Returns the verdict that makes the new article a copy (None when it is
    not one), and the stored canonical articles that the new one displaces:
    a copy found later but published earlier (or with a stated date where
    the stored one's was inferred) becomes the canonical one. `fingerprint`:
    the article's, when the caller has it already. `own_versions`
    (`Store.versions_of`): the earlier versions of the article, which it
    is not a copy of. A copy of an old version of another article is a copy
    of that article's newest version.
    """
    fingerprint = fingerprint or dedup.fingerprint(article, config)
    candidates = set(store.same_body(fingerprint.body_hash))
    candidates |= store.lsh_candidates(dedup.band_keys(fingerprint, config))
    # Lead keys shared by many articles are boilerplate, not evidence of a copy.
    candidates |= store.lsh_candidates(dedup.lead_keys(article, config), max_articles=config.lead_key_max_articles)
    candidates.discard(article.id)
    candidates -= {version["article"] for version in own_versions}
    if not candidates:
        return None, []
    stored = store.fingerprints(sorted(candidates))
    newest = store.newest_versions(stored)
    best: DuplicateSet | None = None
    displaced: list[tuple[str, DuplicateSet]] = []
    for old in store.get_articles(sorted(stored)):
        verdict = dedup.classify(article, fingerprint, old, dedup.Fingerprint.from_bytes(stored[old.id]), config)
        if verdict is None:
            continue
        if verdict.canonical == article.id:
            if old.duplicate_of is None and old.id not in newest:
                displaced.append((old.id, verdict))
            continue
        # Point at the root of a duplicate chain, so every copy names one canonical (an old version's
        # newest version).
        if old.duplicate_of:
            verdict = replace(verdict, canonical=old.duplicate_of)
        elif old.id in newest:
            verdict = replace(verdict, canonical=newest[old.id])
        if best is None or (verdict.score, verdict.canonical) > (best.score, best.canonical):
            best = verdict
    if best is not None:
        return best, []
    return None, displaced


def versions_in_input_order(given: Sequence[Article], ordered: Sequence[Article]) -> list[Article]:
    """`ordered` with the articles that share a URL (`article_key`) in the order of `given` among the
    places they hold in it."""
    keys = {article.id: article_key(article.origin.url) for article in given}
    shared = {key for key, count in Counter(keys.values()).items() if key and count > 1}
    if not shared:
        return list(ordered)
    arrival = {key: [a for a in given if keys[a.id] == key] for key in shared}
    result = []
    for article in ordered:
        key = keys[article.id]
        result.append(arrival[key].pop(0) if key in shared else article)
    return result


def state(stated: dict[str, tuple[int, str]], url: str, position: int, article_id: str) -> None:
    """Note that the input at `position` of an `add` states the text of the stored version `article_id` of
    `url`, unless a later input of the URL did already (within a batch, articles are stored out of input
    order)."""
    if url not in stated or stated[url][0] <= position:
        stated[url] = (position, article_id)


def stated_version(store: Store, versions: Sequence[dict], article: Article, fingerprint: dedup.Fingerprint
                   ) -> str | None:
    """The stored version (of `versions`, `Store.versions_of`, oldest first; the newest that matches) whose
    text a new article states: the same title and the same body once case, whitespace and punctuation are
    normalised (dedup's exact-copy key); None when none does."""
    if not versions:
        return None
    same_body = set(store.same_body(fingerprint.body_hash))
    return next((version["article"] for version in reversed(versions)
                 if version["article"] in same_body and version["title"] == article.title), None)


def revert_versions(store: Store, stated: dict[str, str]) -> list[tuple[str, str]]:
    """Make current again each earlier version that the last input of its URL stated (`stated`: URL ->
    article): a new version whose article is the earlier one's, which takes the current one's place in its
    story when placed (`assign_stories`), with its copies. Return (the version current again, the one it
    replaced) for each."""
    reverts = []
    for url, article_id in sorted(stated.items()):
        if store.current_version(url) not in (None, article_id):
            reverts.append((url, article_id))
    if not reverts:
        return []
    done = []
    with store.transaction(serial="dedup"):
        for url, article_id in reverts:
            current = store.current_version(url)  # read again in the transaction: another add may have moved it
            if current in (None, article_id):
                continue
            store.save_version(article_id, url, current, now_iso())
            store.replace_copies(current, store.get_article(article_id).duplicate_of or article_id)
            done.append((article_id, current))
    return done


@dataclass(frozen=True, slots=True)
class BriefReport:
    """What briefing one story did: the stored version, whether it changed, the time per stage."""

    story: str
    version: int
    changed: bool
    brief: Brief
    seconds: dict[str, float]


def analyse_story(articles: Sequence[Article], story: Story, config: PipelineConfig = PipelineConfig(),
                  version: int = 1) -> tuple[Brief, dict[str, float]]:
    """Run the analysis stages and the brief stage on the articles of one story.

    Returns the brief and the seconds each stage took. Pure: reads only its arguments.
    """
    seconds: dict[str, float] = {}

    def timed(stage: str, work):
        started = time.perf_counter()
        result = work()
        seconds[stage] = round(seconds.get(stage, 0.0) + time.perf_counter() - started, 3)
        return result

    found_entities = timed("entities", lambda: entities.find_entities(articles, config=config.entities))
    # "Local time" is the time of the story's places: their UTC offset when the gazetteer gives one
    # offset for all of them (none when they disagree or span zones: no guess).
    local = gazetteer.utc_offset(story_places(found_entities), story_day(articles))
    # An undated article counts its "Saturday" from the story's day (marked inferred); a date line's
    # clock time ("02:31 GMT") from the day it was written in the story's places.
    expressions = timed("timeline", lambda: [e for found in timeline.find_story_time_expressions(
        articles, local_offset=local[0] if local else None).values() for e in found])
    rows = timed("timeline", lambda: timeline.rows_from_expressions(articles, expressions, config.timeline))
    groups_of_quotes = timed("quotes", lambda: quotes.find_quotes(articles, found_entities, config=config.quotes))
    # Claims compare names by their canonical entity and dates by their resolved values.
    names = {form.text: entity.name for entity in found_entities for form in entity.forms}
    resolved: dict[str, list[tuple[str, str]]] = {}
    for expression in expressions:
        if expression.value:
            resolved.setdefault(expression.sentence_id, []).append((expression.text, expression.value))
    found_claims = timed("claims", lambda: claims.extract_claims(articles, canonical_names=names,
                                                                 resolved_dates=resolved))
    groups, conflicts = timed("compare", lambda: compare.compare(found_claims, articles, config.compare,
                                                                 local_offset=local[0] if local else None))
    leads = timed("claims", lambda: claims.lead_cuts(articles))
    brief = timed("brief", lambda: brief_stage.build_brief(
        story.id, story.label or story_label(articles), articles, groups=groups, conflicts=conflicts,
        timeline=rows, entities=found_entities, quotes=groups_of_quotes, version=version, config=config.brief,
        leads=leads))
    return brief, seconds


def analyse_story_once(articles: Sequence[Article], story: Story, config: PipelineConfig = PipelineConfig(),
                       version: int = 1) -> tuple[Brief, dict[str, float]]:
    """`analyse_story`, then the parses it read forgotten (`nlp.forget_parses`): a story of `brief_stories` on
    a Dask worker (`parallel.Workers.analysed`). The stories are disjoint: the parses of one are of no use to
    the next, and a worker kept those of every story it had briefed (up to 20,000 sentences at some 27 KB
    each), the largest part of what made it the largest process of `run --workers N`. In one process they
    stay: forgetting them there lowered no peak (`run` of 250 documents, 637 MB against 636), and the
    command verifies each brief after (`verify.backs` parses its statements and their cited sentences)."""
    try:
        return analyse_story(articles, story, config, version)
    finally:
        nlp.forget_parses()


def story_places(found_entities: Sequence, limit: int = 5) -> list[str]:
    """The names of a story's main places (the most widely reported first)."""
    places = [e for e in found_entities if e.type in ("GPE", "LOC")]
    places.sort(key=lambda e: (-len({a for f in e.forms for a in f.articles}), e.name))
    return [e.name for e in places[:limit]]


def story_day(articles: Sequence[Article]) -> str | None:
    """The middle publication day of a story's articles, None when none is dated."""
    days = sorted(a.published.value for a in articles if a.published.value)
    return days[len(days) // 2] if days else None


def story_label(articles: Sequence[Article]) -> str:
    """A label for a story without one: the title of its earliest article."""
    ordered = sorted(articles, key=lambda a: (a.published.value or "9999", a.id))
    return next((a.title for a in ordered if a.title), ordered[0].id if ordered else "")


def brief_story(store: Store, story: Story, config: PipelineConfig = PipelineConfig()) -> BriefReport:
    """Brief one stored story and store the brief as a new version unless it is unchanged."""
    articles = store.get_articles(list(story.articles))
    brief, seconds = analyse_story(articles, story, config, version=store.next_brief_version(story.id))
    return store_brief(store, story, brief, seconds, config)


def store_brief(store: Store, story: Story, brief: Brief, seconds: dict[str, float],
                config: PipelineConfig = PipelineConfig()) -> BriefReport:
    """Store a story's brief as a new version unless it is unchanged, with what the version changed."""
    content = contract.brief_json(brief)
    before = store.latest_brief(story.id)
    # The figures a revised source moved take spaCy work: done before the write transaction.
    revised = revised_sources(store, before, content, config)
    with store.transaction():
        version, changed = store.save_brief(content)
        if changed:
            known = before is not None and before.get("version") == version - 1
            record_change(store, story.id, version, revised if known else None, config)
    return BriefReport(story.id, version, changed, replace(brief, version=version), seconds)


def record_change(store: Store, story_id: str, version: int, revised: list[dict] | None = None,
                  config: PipelineConfig = PipelineConfig()) -> dict:
    """Compute and store what one brief version changed since the version before; return the change JSON.

    `revised`: its sources that are new versions of the version before's (`revised_sources`), when the
    caller has them."""
    after = store.brief_version(story_id, version)
    before = store.brief_version(story_id, version - 1) if version > 1 else None
    if revised is None:
        revised = revised_sources(store, before, after, config)
    change = changes.brief_changes(before, after, created=store.brief_created(story_id, version) or "",
                                   revised=revised)
    store.save_change(change)
    return change


def revised_sources(store: Store, before: dict | None, after: dict, config: PipelineConfig = PipelineConfig()
                    ) -> list[dict]:
    """The sources of a newer brief that are newer versions of sources of an older one (same URL, another
    text): `{article, previous, figures}` each, `figures` the figures the newer text states otherwise
    (`version_figures`)."""
    if before is None:
        return []
    known = changes.source_ids(before)
    revised = []
    for article_id in changes.ordered_sources(after):
        if article_id in known:
            continue
        versions = [v["article"] for v in store.versions_of(article_id)]
        # The versions before its newest place (a revert puts an earlier article at a later place too).
        place = len(versions) - versions[::-1].index(article_id) - 1 if article_id in versions else 0
        earlier = [a for a in versions[:place] if a in known and a != article_id]
        if not earlier:
            continue
        old, new = store.get_articles([earlier[-1], article_id])
        revised.append({"article": new.id, "previous": old.id, "figures": version_figures(old, new, config)})
    return revised


def version_figures(old: Article, new: Article, config: PipelineConfig = PipelineConfig()) -> list[dict[str, str]]:
    """The figures a new version of an article states otherwise than the old one (`{subject, from, to}`):
    the claims of the two versions compared as copies of one report, whose differing figures are
    revisions (compare's `revision`), never conflicts."""
    found = claims.extract_claims([old, new])
    moved: list[tuple[int, dict[str, str]]] = []  # (the new text's sentence, figure): in the order it states them
    for conflict in compare.find_conflicts(found, {new.id: old.id}, config.compare):
        sides = {claim.article: claim for claim in conflict.claims}
        if conflict.kind != compare.REVISION or set(sides) != {old.id, new.id}:
            continue
        figure = {"subject": conflict.subject or "figure",
                  "from": updates.figure_text(sides[old.id].text, conflict.subject),
                  "to": updates.figure_text(sides[new.id].text, conflict.subject)}
        if figure["from"] != figure["to"] and figure not in [f for _, f in moved]:
            moved.append((int(sides[new.id].sentence_id.rpartition(":")[2]), figure))
    return [figure for _, figure in sorted(moved, key=lambda pair: (pair[0], pair[1]["subject"]))]


def record_missing_changes(store: Store) -> None:
    """Record the change of every brief version stored without one (briefed before changes were recorded)."""
    missing = store.versions_without_change()
    if missing:
        with store.transaction():
            for story_id, version in missing:
                record_change(store, story_id, version)


def story_changes(store: Store, since: str | None = None) -> list[dict]:
    """Stories whose brief changed, newest first, one change JSON each.

    Without `since`: each story's newest version against the one before. With `since` (ISO 8601,
    UTC): each story with a version stored after it, its newest version against the version it
    had then (none: the story is new since). Versions stored before changes were recorded get
    their change recorded first.
    """
    record_missing_changes(store)
    if since is None:
        return store.latest_changes()
    found = []
    for story_id in store.stories_changed_since(since):
        head = store.latest_brief(story_id)
        base_version = store.version_at(story_id, since)
        base = store.brief_version(story_id, base_version) if base_version else None
        found.append(changes.brief_changes(base, head, created=store.brief_created(story_id, head["version"]) or "",
                                           revised=revised_sources(store, base, head)))
    return changes.newest_first(found)


_WARMING = threading.Lock()


def warm_up() -> None:
    """Load what a process's first brief loads on first use: the full spaCy pipeline, quantulum3 (whose
    import of inflect is instrumented by typeguard: 8 s of a first brief's 51 s at load 7) and its unit
    patterns, the place gazetteer's tables (kinds, names and exonyms, time zones: 0.9 s and 76 MB of a first
    brief beside the kinds). Cheap once done; a second caller waits for the first rather than loading the
    same things again.
    """
    with _WARMING:
        nlp.parse(["Two people were hurt in Paris on Monday, police said."])
        claims.quantities("3 km")
        gazetteer.kind("Paris")
        gazetteer.same_place("Bombay", "Mumbai")
        gazetteer.utc_offset(["Paris"], "2020-01-06")


def brief_is_current(stored: dict | None, story: Story) -> bool:
    """Whether a stored brief JSON covers exactly the story's current articles."""
    return stored is not None and {s["article"] for s in stored.get("sources", ())} == set(story.articles)


def current_brief_json(store: Store, story: Story, config: PipelineConfig = PipelineConfig(),
                       rebuild: bool = False) -> dict:
    """The stored brief JSON of a story when it covers the story's articles, else a new one (stored)."""
    stored = store.latest_brief(story.id)
    if brief_is_current(stored, story) and not rebuild:
        return stored
    warm_up()  # at once when loaded; else wait for a warm-up running (the server's) rather than load twice
    return contract.brief_json(brief_story(store, story, config).brief)


def current_brief(store: Store, story: Story, config: PipelineConfig = PipelineConfig(),
                  rebuild: bool = False) -> Brief:
    """`current_brief_json` as a record."""
    return contract.brief_from_json(current_brief_json(store, story, config, rebuild))


def brief_stories(store: Store, config: PipelineConfig = PipelineConfig(), *, rebuild: bool = False,
                  on_story: Callable[[BriefReport], None] | None = None,
                  workers: "parallel.Workers | None" = None) -> list[BriefReport]:
    """Brief every live story whose stored brief is missing or stale (all of them with `rebuild`).

    Only the stories an `add` touched are analysed again: a story's brief is current
    while it covers exactly the story's articles. With `workers`, the stories are
    analysed on Dask workers, and this process stores each brief, in story id order.
    """
    stale = [story for story in sorted(store.stories(), key=lambda s: s.id)
             if rebuild or not brief_is_current(store.latest_brief(story.id), story)]
    if workers is None:
        briefed = ((story, analyse_story(store.get_articles(list(story.articles)), story, config,
                                         version=store.next_brief_version(story.id))) for story in stale)
    else:
        jobs = ((store.get_articles(list(story.articles)), story, store.next_brief_version(story.id))
                for story in stale)
        briefed = zip(stale, workers.analysed(jobs, config))
    reports = []
    for story, (brief, seconds) in briefed:
        report = store_brief(store, story, brief, seconds, config)
        reports.append(report)
        if on_story:
            on_story(report)
    return reports
