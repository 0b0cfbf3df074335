"""`storyline watch`: poll sources (feeds, pages, sitemaps) and keep their stories current.

Reads: sources (http(s) URLs, each with an interval) and the fetch state in the store.
Writes: new articles through the add pipeline (`pipeline.add_documents`), a new brief version of
every story they touch (each records its change, `storyline.changes`), the fetch state: per source
its validators, last and next poll and failures in a row; per listed article (by canonical URL) its
state, `pending` until it is added.
Skips: a source that cannot be fetched is a failure of that poll (one line naming it and why; it
is tried again on its next poll, later after each failure in a row); the other sources are polled
all the same. An article page that cannot be fetched stays pending for `item_attempts` polls, then
its feed summary is kept instead (or, with none, it is skipped); one robots.txt disallows is not
fetched.
Not deterministic: what it adds depends on what the sources answer and when.

A feed item carrying its full text is added as the feed gives it; one whose text is only a summary
(fewer than `summary_words` words) gets its article page fetched and cleaned. URLs are
canonicalised with courlan (tracking parameters and fragments dropped), so one article listed by
two feeds is fetched and stored once. Items are recorded as pending before any is fetched, and
marked only once added: a watcher killed mid-poll re-reads nothing it added and loses nothing it saw.
An item listed again with another text, title or date (a feed's `lastmod`, a sitemap's) is fetched
again, and a page source whose answer changed is read again: the pipeline stores a changed text as
a new version of the article at that URL, and one that says the same as nothing new.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

import feedparser
from lxml import etree

from storyline import ingest, pipeline
from storyline.errors import UsageError
from storyline.records import Document, Origin, Skipped, content_id
from storyline.store import Store
from storyline.store.watch import ADDED, SKIPPED
from storyline.urls import canonical_url
from storyline.watch.fetch import Answer, FetchConfig, Fetcher, FetchFailed, Refused

DEFAULT_INTERVAL = 900  # seconds: a news feed every 15 minutes
MAX_BACKOFF_POLL = 86400  # a failing source is polled at least once a day
INTERVAL = re.compile(r"^(\d+)\s*([smhd]?)$")
SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True, slots=True)
class Source:
    """A URL to poll and the seconds between two polls."""

    url: str
    interval: int = DEFAULT_INTERVAL


@dataclass(frozen=True, slots=True)
class WatchConfig:
    """What the watcher does besides fetching (`fetch`) and adding (`pipeline`)."""

    fetch: FetchConfig = field(default_factory=FetchConfig)
    pipeline: pipeline.PipelineConfig = field(default_factory=pipeline.PipelineConfig)
    # A feed item with fewer words than this is a summary: its article page is fetched.
    summary_words: int = 150
    # Polls an article page is tried before the feed's summary is kept instead.
    item_attempts: int = 3
    # Items of one source per poll (a sitemap can list thousands; the newest are taken).
    max_items: int = 100
    # Sitemaps of a sitemap index read per poll (the newest by lastmod: an index of a news site lists
    # one sitemap per day or month, its newest pages in the newest).
    max_sitemaps: int = 5
    # A URL to POST each cycle's changes to (JSON), None for none.
    notify: str | None = None


@dataclass
class CycleReport:
    """What one poll cycle did."""

    polled: list[tuple[str, str]] = field(default_factory=list)  # (source, what it answered)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (source or article URL, why)
    new_items: int = 0
    added: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    requests: int = 0
    notify_error: str = ""
    # Seconds of each part of the cycle: poll (the sources, and writing what they list), pages (article
    # pages of the pending items), add (the pipeline), brief (the stories touched).
    seconds: dict[str, float] = field(default_factory=dict)

    def timed(self, part: str, started: float) -> float:
        """Add the seconds since `started` to a part; return the time now."""
        now = time.perf_counter()
        self.seconds[part] = self.seconds.get(part, 0.0) + now - started
        return now


@dataclass
class Poll:
    """One poll of a source: when, its answer (status 0: none), what it listed, when it is due next."""

    url: str
    at: datetime
    next: datetime
    status: int
    error: str = ""
    items: list[tuple[str, dict]] = field(default_factory=list)
    page: list | None = None  # the documents of a page source
    etag: str | None = None  # new validators (None: keep the stored ones)
    last_modified: str | None = None
    fresh: list[str] = field(default_factory=list)  # the items not known before
    changed: list[str] = field(default_factory=list)  # the items known that say something else now

    @property
    def wait(self) -> int:
        """Seconds to the next poll."""
        return int((self.next - self.at).total_seconds())


def parse_interval(text: str) -> int:
    """An interval as seconds: `300`, `90s`, `15m`, `2h`, `1d`.

    Raises:
        UsageError: not one.
    """
    found = INTERVAL.match(text.strip().lower())
    if not found or int(found.group(1)) == 0:
        raise UsageError(f"{text!r} is not an interval: give seconds (300) or 90s, 15m, 2h, 1d")
    return int(found.group(1)) * SECONDS[found.group(2)]


def parse_sources(lines: list[str], where: str, interval: int = DEFAULT_INTERVAL) -> list[Source]:
    """Sources, one a line: a URL and an optional interval; blank lines and `#` comments are left out.

    Raises:
        UsageError: a line is not an http(s) URL with an optional interval (the message names the line).
    """
    sources = []
    for number, line in enumerate(lines, start=1):
        words = line.split("#", 1)[0].split() if not line.lstrip().startswith("#") else []
        if not words:
            continue
        if len(words) > 2 or not re.match(r"^https?://[^\s/]+", words[0]):
            raise UsageError(f"{where}:{number}: expected 'URL [INTERVAL]' with an http(s) URL, got {line.strip()!r}")
        try:
            every = parse_interval(words[1]) if len(words) == 2 else interval
        except UsageError as exc:
            raise UsageError(f"{where}:{number}: {exc}") from None
        sources.append(Source(words[0], every))
    return sources


def read_sources_file(path: Path, interval: int = DEFAULT_INTERVAL) -> list[Source]:
    """The sources listed in a file (see `parse_sources`).

    Raises:
        UsageError: the file cannot be read or a line is not a source.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the sources file {path}: {getattr(exc, 'strerror', None) or exc}") from None
    return parse_sources(text.splitlines(), str(path), interval)


def now_utc() -> datetime:
    """The current time, UTC, to the second."""
    return datetime.now(timezone.utc).replace(microsecond=0)


def words_of(body: str) -> int:
    """How many words a feed item's body has (its tags left out)."""
    return len(re.sub(r"<[^>]+>", " ", body).split())


class Watcher:
    """Polls its sources into one store; `cycle` polls once, `run` polls until stopped."""

    def __init__(self, store: Store, sources: list[Source], config: WatchConfig = WatchConfig(),
                 fetcher: Fetcher | None = None):
        self.store = store
        self.sources = {source.url: source for source in sources}
        self.config = config
        self.fetcher = fetcher or Fetcher(config.fetch, store=store)
        with store.transaction():
            for source in sources:
                store.register_source(source.url, source.interval)

    def close(self) -> None:
        """Close the fetcher's connections."""
        self.fetcher.close()

    def due(self, now: datetime) -> list[Source]:
        """The sources whose next poll is now or past (a source never polled is due)."""
        stamp = now.isoformat()
        return [source for url, source in self.sources.items()
                if (self.store.watch_source(url) or {}).get("next_poll", "") <= stamp]

    def seconds_to_next(self, now: datetime) -> float:
        """Seconds until the next source is due (0 when one is)."""
        upcoming = [(self.store.watch_source(url) or {}).get("next_poll", "") for url in self.sources]
        if not upcoming or "" in upcoming:
            return 0.0
        return max(0.0, (datetime.fromisoformat(min(upcoming)) - now).total_seconds())

    def cycle(self, every_source: bool = False, on_line: Callable[[str, bool], None] | None = None) -> CycleReport:
        """Poll the due sources (all of them with `every_source`), add what is new, brief what changed."""
        report = CycleReport()
        started = self.fetcher.requests
        tell = on_line or (lambda line, problem: None)
        clock = time.perf_counter()
        polls = [self.poll(source, report, tell)
                 for source in (list(self.sources.values()) if every_source else self.due(now_utc()))]
        documents = self.record(polls, report, tell)
        clock = report.timed("poll", clock)
        documents += self.fetch_pending(report, tell)
        clock = report.timed("pages", clock)
        touched = self.add(documents, report)
        clock = report.timed("add", clock)
        self.brief(touched, report)
        report.timed("brief", clock)
        report.requests = self.fetcher.requests - started
        if self.config.notify and report.changes:
            self.notify(report)
            if report.notify_error:
                tell(f"cannot notify {self.config.notify}: {report.notify_error}", True)
        return report

    def run(self, stop: threading.Event, on_cycle: Callable[[CycleReport], None] | None = None,
            on_line: Callable[[str, bool], None] | None = None) -> None:
        """Poll each source on its interval until `stop` is set."""
        while not stop.is_set():
            report = self.cycle(on_line=on_line)
            if on_cycle:
                on_cycle(report)
            stop.wait(max(1.0, self.seconds_to_next(now_utc())))

    # ------------------------------------------------------------------ one source

    def poll(self, source: Source, report: CycleReport, tell) -> Poll:
        """Fetch one source (conditionally) and read what it lists; nothing is written (see `record`)."""
        state = self.store.watch_source(source.url) or {}
        at = now_utc()
        try:
            answer = self.fetcher.get(source.url, state.get("etag", ""), state.get("last_modified", ""))
        except FetchFailed as failure:
            failures = int(state.get("failures", 0)) + 1
            wait = min(source.interval * 2 ** (failures - 1), MAX_BACKOFF_POLL)
            if failure.retry_after:
                wait = max(wait, int(failure.retry_after))
            report.failed.append((source.url, failure.reason))
            return Poll(source.url, at, at + timedelta(seconds=wait), failure.status, failure.reason)
        poll = Poll(source.url, at, at + timedelta(seconds=source.interval), answer.status)
        if answer.status == 304:
            return poll
        if answer.status != 200:
            poll.error = f"HTTP {answer.status}"
            report.failed.append((source.url, poll.error))
            return poll
        items, page = self.read_answer(source, answer, report, tell)
        if items is None:
            poll.error = "not a readable feed or sitemap"
            report.failed.append((source.url, poll.error))
        poll.items, poll.page = items or [], page
        # Validators are kept only with the items: a poll killed before `record` fetches the source again.
        poll.etag, poll.last_modified = answer.etag, answer.last_modified
        return poll

    def record(self, polls: list[Poll], report: CycleReport, tell) -> list[tuple[str | None, Document]]:
        """Write what the cycle's polls found, all in one transaction (the items each source lists and
        its fetch state, together), say one line per source, and return the documents of page sources."""
        found: list[tuple[str | None, Document]] = []
        with self.store.transaction():
            for poll in polls:
                poll.fresh, poll.changed = self.store.new_watch_items(poll.url, poll.items, poll.at.isoformat())
                self.store.record_poll(poll.url, at=poll.at.isoformat(), next_poll=poll.next.isoformat(),
                                       status=poll.status, etag=poll.etag, last_modified=poll.last_modified,
                                       error=poll.error)
        for poll in polls:
            report.new_items += len(poll.fresh)
            found += [(None, document) for document in poll.page or ()]
            if poll.error:
                what, line = "failed", f"{poll.url}: {poll.error}; next try in {poll.wait} s"
            elif poll.status == 304:
                what, line = "not modified", f"{poll.url}: HTTP 304, not modified; next poll in {poll.wait} s"
            else:
                what = "page" if poll.page is not None else f"{len(poll.fresh)} new" + (
                    f", {len(poll.changed)} changed" if poll.changed else "")
                line = f"{poll.url}: HTTP {poll.status}, {what}; next poll in {poll.wait} s"
            report.polled.append((poll.url, what))
            tell(line, what == "failed")
        return found

    def read_answer(self, source: Source, answer: Answer, report: CycleReport,
                    tell) -> tuple[list[tuple[str, dict]] | None, list | None]:
        """A source's items (canonical URL, what it says of each; None for a feed or sitemap that cannot be
        read), or, for a page, its own documents."""
        head = answer.content[:4096].lower()
        if re.search(rb"<(urlset|sitemapindex)[\s>]", head):
            return self.sitemap_items(answer, report, tell), None
        if ingest.sniff_format(answer.content, "", answer.content_type) == "feed":
            return self.feed_items(source, answer), None
        origin = Origin("url", source.url, url=source.url)
        return [], list(ingest.read_bytes(answer.content, origin, self.config.pipeline.ingest,
                                          charset=answer.charset, content_type=answer.content_type))

    def feed_items(self, source: Source, answer: Answer) -> list[tuple[str, dict]] | None:
        """The items of a feed: each with its body, whether only a summary, and what the feed says of it
        (None: not a readable feed)."""
        parsed = feedparser.parse(answer.content)
        feed = parsed.get("feed") or {}
        items = []
        for entry in (parsed.get("entries") or [])[:self.config.max_items]:
            link = entry.get("link", "") or ""
            body = ingest.entry_body(entry)
            if not link and not body:
                continue
            key = canonical_url(link) if link else f"{source.url}#{content_id(body)}"
            items.append((key, {"link": link, "title": entry.get("title", "") or "", "body": body,
                                "summary_only": bool(link) and words_of(body) < self.config.summary_words,
                                "metadata": ingest.feed_item_metadata(entry, feed.get("title", ""),
                                                                      feed.get("link", ""))}))
        return None if parsed.get("bozo") and not items else items

    def sitemap_items(self, answer: Answer, report: CycleReport, tell) -> list[tuple[str, dict]] | None:
        """The pages a sitemap lists, newest first (by lastmod), at most `max_items` (None: not readable XML).

        A sitemap index lists sitemaps, not pages: its newest `max_sitemaps` are fetched and their pages
        read (one that cannot be fetched or read is a failure of this poll, named; the others count).
        """
        root = self.sitemap_root(answer.content)
        if root is None:
            return None
        if etree.QName(root).localname == "sitemapindex":
            entries = []
            for _, loc in sorted(self.sitemap_entries(root, "sitemap"), reverse=True)[:self.config.max_sitemaps]:
                try:
                    child = self.fetcher.get(loc)
                    problem = "" if child.status == 200 else f"HTTP {child.status}"
                except FetchFailed as failure:  # robots.txt refusing it too
                    child, problem = None, failure.reason
                listed = self.sitemap_root(child.content) if child is not None and not problem else None
                if listed is None or etree.QName(listed).localname != "urlset":
                    problem = problem or "not a sitemap of pages"
                    report.failed.append((loc, problem))
                    tell(f"{loc}: {problem}", True)
                    continue
                entries += self.sitemap_entries(listed, "url")
        else:
            entries = self.sitemap_entries(root, "url")
        newest = sorted(set(entries), reverse=True)[:self.config.max_items]
        return [(canonical_url(loc), {"link": loc, "title": "", "body": "", "summary_only": True,
                                      "metadata": {"lastmod": lastmod} if lastmod else {}})
                for lastmod, loc in newest]

    @staticmethod
    def sitemap_root(content: bytes):
        """The root element of a sitemap's XML (entities not resolved, nothing fetched), or None."""
        try:
            return etree.fromstring(content, parser=etree.XMLParser(resolve_entities=False, no_network=True))
        except etree.XMLSyntaxError:
            return None

    @staticmethod
    def sitemap_entries(root, tag: str) -> list[tuple[str, str]]:
        """(lastmod, http(s) URL) of the `tag` elements (`url` or `sitemap`) of a sitemap's XML."""
        entries = []
        for element in root.iter(f"{{*}}{tag}"):
            loc = (element.findtext("{*}loc") or "").strip()
            if re.match(r"^https?://", loc):
                entries.append(((element.findtext("{*}lastmod") or "").strip(), loc))
        return entries

    # ------------------------------------------------------------------ articles

    def fetch_pending(self, report: CycleReport, tell) -> list[tuple[str, Document | Skipped]]:
        """The documents of the pending items: the feed's text, else the fetched article page."""
        found = []
        for pending in self.store.pending_watch_items():
            url, item = pending["url"], pending["item"]
            origin = Origin("feed", pending["source"], url, item.get("link", ""))
            summary = (ingest.feed_item_document(item.get("link", ""), item.get("title", ""), item["body"], origin,
                                                 item.get("metadata", {})) if item.get("body") else None)
            if not item.get("summary_only"):
                found.append((url, summary))
                continue
            try:
                answer = self.fetcher.get(url)  # canonical: without the feed's tracking parameters
            except Refused:
                self.give_up(url, summary, "robots.txt disallows the article page", found)
                continue
            except FetchFailed as failure:
                report.failed.append((url, failure.reason))
                tell(f"{url}: {failure.reason}", True)
                if pending["attempts"] + 1 >= self.config.item_attempts:
                    self.give_up(url, summary, f"article page: {failure.reason}", found)
                else:
                    with self.store.transaction():
                        self.store.retry_watch_item(url, failure.reason)
                continue
            if answer.status != 200:
                self.give_up(url, summary, f"article page: HTTP {answer.status}", found)
                continue
            page = Origin("url", answer.url, url=item["link"])
            for document in ingest.read_bytes(answer.content, page, self.config.pipeline.ingest,
                                              charset=answer.charset, content_type=answer.content_type):
                if isinstance(document, Document):
                    # What the feed said of the article (its date, title, outlet) beside what the page says.
                    document = Document(document.id, document.origin, document.fetched, document.media_type,
                                        document.text, {**item.get("metadata", {}), **document.metadata})
                found.append((url, document))
        return found

    def give_up(self, url: str, summary: Document | None, why: str, found: list) -> None:
        """An article page that will not be fetched: keep the feed's summary, or skip the item."""
        if summary is not None:
            found.append((url, summary))
        else:
            with self.store.transaction():
                self.store.finish_watch_item(url, SKIPPED, now_utc().isoformat(), why)

    def add(self, documents: list[tuple[str | None, Document | Skipped]], report: CycleReport) -> set[str]:
        """Add the documents through the pipeline, mark their items added (or skipped, with why); return the
        stories the new articles joined or opened (or, new versions, changed)."""
        if not documents:
            return set()
        owners = {}
        for url, document in documents:
            label = document.origin.label() if isinstance(document, Document) else document.input
            owners[label] = url
        added = pipeline.add_documents(self.store, (document for _, document in documents), self.config.pipeline)
        report.added += added.added
        report.unchanged += added.unchanged
        report.skipped += added.skipped
        skipped = {skip.input: skip for skip in added.skipped}
        at = now_utc().isoformat()
        with self.store.transaction():
            for label, url in owners.items():
                if url is None:
                    continue
                skip = skipped.get(label)
                if skip is None:
                    self.store.finish_watch_item(url, ADDED, at)
                else:
                    self.store.finish_watch_item(url, SKIPPED, at, f"{skip.reason.value}: {skip.detail}")
        return {change.story for change in added.story_changes}

    def brief(self, touched: set[str], report: CycleReport) -> None:
        """Brief again every story the cycle's articles touched; keep the changes the new versions record."""
        for story_id in sorted(touched):
            story = self.store.get_story(story_id)
            if story is None or pipeline.brief_is_current(self.store.latest_brief(story.id), story):
                continue
            briefed = pipeline.brief_story(self.store, story, self.config.pipeline)
            if briefed.changed:
                report.changes += self.store.stored_changes(story_id=story.id, limit=1)

    def notify(self, report: CycleReport) -> None:
        """POST the cycle's changes as JSON to the webhook, retried as fetches are (a failure is reported,
        never fatal)."""
        try:
            status = self.fetcher.post_json(self.config.notify, {"schema": "storyline/changes/v1",
                                                                 "changes": report.changes})
        except FetchFailed as failure:
            report.notify_error = failure.reason
            return
        if status >= 400:
            report.notify_error = f"HTTP {status}"
