"""Polite HTTP fetching for `storyline watch`: robots.txt, a per-host rate limit, conditional GET,
retries with backoff and jitter, timeouts, a size limit, a User-Agent naming storyline.

httpx fetches, protego reads robots.txt, tenacity retries: a transport error (refused, reset,
timed out), a 5xx or a 429 is tried again, after the server's Retry-After when it gives one (a
Retry-After longer than `max_retry_after` ends the poll: the source is due again after it), else
after an exponential backoff with full jitter. Every other answer (2xx, 304, 4xx) is returned as is.
"""

from __future__ import annotations

import email.utils
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Callable, TypeVar
from urllib.parse import urlsplit

import httpx
import tenacity
from protego import Protego

from storyline import __version__

if TYPE_CHECKING:
    from storyline.store.watch import WatchTables

USER_AGENT = f"storyline/{__version__} (news monitoring; storyline watch)"
ROBOTS_AGENT = "storyline"
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class FetchConfig:
    """How politely and how long the watcher fetches."""

    user_agent: str = USER_AGENT
    timeout: float = 20.0  # seconds to connect, and between two reads of an answer
    attempts: int = 3  # tries of one request (1: no retry)
    backoff: float = 1.0  # seconds: the first retry waits up to this, each next up to twice as long
    max_backoff: float = 60.0
    max_retry_after: float = 120.0  # a longer Retry-After is not waited for in the poll
    host_delay: float = 1.0  # seconds between two requests to one host (robots.txt Crawl-delay if longer)
    max_bytes: int = 25_000_000
    robots_ttl: float = 86400.0  # seconds a host's robots.txt is kept
    max_redirects: int = 5


@dataclass(frozen=True, slots=True)
class Answer:
    """What a fetch got: the final URL, the status, validators, the body (empty for a 304)."""

    url: str
    status: int
    content: bytes = b""
    content_type: str = ""
    charset: str | None = None
    etag: str = ""
    last_modified: str = ""
    headers: dict[str, str] = field(default_factory=dict)


class FetchFailed(Exception):
    """A fetch gave no usable answer (after its retries): why, and when to try again if the server said."""

    def __init__(self, url: str, reason: str, status: int = 0, retry_after: float | None = None):
        super().__init__(f"{url}: {reason}")
        self.url, self.reason, self.status, self.retry_after = url, reason, status, retry_after


class Refused(FetchFailed):
    """robots.txt disallows the URL: it is not fetched."""


class Retryable(Exception):
    """An answer worth asking again (429, 5xx), with the server's Retry-After in seconds."""

    def __init__(self, status: int, retry_after: float | None):
        super().__init__(f"HTTP {status}")
        self.status, self.retry_after = status, retry_after


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """A Retry-After header (seconds, or an HTTP date) as seconds from now, None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, when.timestamp() - (now if now is not None else datetime.now(timezone.utc).timestamp()))


class Fetcher:
    """Fetches URLs politely; one per watcher (it keeps robots.txt and the last request time per host).

    `sleep` waits (tests and benches pass their own clock only through the config: no waiting is faked).
    Counts every request it sends in `requests`.
    """

    def __init__(self, config: FetchConfig = FetchConfig(), sleep: Callable[[float], None] = time.sleep,
                 store: "WatchTables | None" = None):
        self.config = config
        self.store = store  # keeps each host's robots.txt across restarts (None: this process only)
        self.sleep = sleep
        self.client = httpx.Client(follow_redirects=True, max_redirects=config.max_redirects,
                                   timeout=httpx.Timeout(config.timeout),
                                   headers={"User-Agent": config.user_agent})
        self.robots: dict[str, tuple[Protego | None, float]] = {}  # origin: (robots.txt, monotonic read time)
        self.next_slot: dict[str, float] = {}
        self.lock = threading.Lock()
        self.requests = 0

    def close(self) -> None:
        """Close the connections."""
        self.client.close()

    def get(self, url: str, etag: str = "", last_modified: str = "") -> Answer:
        """GET a URL (conditional when validators are given), politely, with retries.

        Raises:
            Refused: robots.txt disallows it.
            FetchFailed: no usable answer after the retries (the reason names the last error).
        """
        if not self.allowed(url):
            raise Refused(url, "robots.txt disallows it for storyline")
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self.retried(url, lambda: self.send(url, headers))

    def post_json(self, url: str, payload: Any) -> int:
        """POST JSON to a URL (a webhook: no robots.txt, no rate limit), retried as `get` retries; return
        the answer's status.

        Raises:
            FetchFailed: no usable answer after the retries.
        """
        def send() -> int:
            self.requests += 1
            answer = self.client.post(url, json=payload)
            if answer.status_code == 429 or answer.status_code >= 500:
                raise Retryable(answer.status_code, retry_after_seconds(answer.headers.get("Retry-After")))
            return answer.status_code

        return self.retried(url, send)

    def retried(self, url: str, send: Callable[[], T]) -> T:
        """`send()` tried up to `attempts` times (tenacity): after a transport error, or a 429 / 5xx
        (`Retryable`), it waits the server's Retry-After, else an exponential backoff with jitter.

        Raises:
            FetchFailed: the last try failed too (the reason names its error).
        """
        config = self.config
        backoff = tenacity.wait_random_exponential(multiplier=config.backoff, max=config.max_backoff)

        def wait(state: tenacity.RetryCallState) -> float:
            error = state.outcome.exception() if state.outcome else None
            if isinstance(error, Retryable) and error.retry_after is not None:
                return error.retry_after
            return backoff(state)

        def worth_retrying(error: BaseException) -> bool:
            if isinstance(error, Retryable):
                return error.retry_after is None or error.retry_after <= config.max_retry_after
            return isinstance(error, httpx.TransportError)

        retrying = tenacity.Retrying(stop=tenacity.stop_after_attempt(max(1, config.attempts)), wait=wait,
                                     retry=tenacity.retry_if_exception(worth_retrying), reraise=True,
                                     sleep=self.sleep)
        try:
            for attempt in retrying:
                with attempt:
                    return send()
        except Retryable as error:
            reason = f"HTTP {error.status}" + (f", Retry-After {error.retry_after:g} s" if error.retry_after else "")
            raise FetchFailed(url, f"{reason} (after {config.attempts} tries)" if worth_retrying(error) else reason,
                              error.status, error.retry_after) from None
        except httpx.TooManyRedirects:
            raise FetchFailed(url, f"more than {config.max_redirects} redirects") from None
        except httpx.TimeoutException:
            raise FetchFailed(url, f"timed out after {config.timeout:g} s ({config.attempts} tries)") from None
        except httpx.TransportError as error:
            raise FetchFailed(url, f"cannot connect: {error or type(error).__name__} ({config.attempts} tries)") from None
        except httpx.InvalidURL as error:
            raise FetchFailed(url, f"not a URL storyline can fetch: {error}") from None
        raise AssertionError("unreachable")  # pragma: no cover

    def send(self, url: str, headers: dict[str, str]) -> Answer:
        """One request, after the host's rate limit; a 429 or 5xx raises `Retryable`."""
        self.wait_turn(url)
        self.requests += 1
        with self.client.stream("GET", url, headers=headers) as response:
            if response.status_code == 429 or response.status_code >= 500:
                raise Retryable(response.status_code, retry_after_seconds(response.headers.get("Retry-After")))
            chunks, size = [], 0
            if response.status_code == 200:
                for chunk in response.iter_bytes():
                    chunks.append(chunk)
                    size += len(chunk)
                    if size > self.config.max_bytes:
                        raise FetchFailed(url, f"over the limit of {self.config.max_bytes:,} bytes")
            else:
                # The body of a 304 (none) or an error page is read too, and dropped: an answer closed
                # unread closes its connection, and every poll then opened a new one (999 TCP connects
                # in 1,000 polls of 50 unchanged feeds).
                for chunk in response.iter_raw():
                    size += len(chunk)
                    if size > self.config.max_bytes:
                        break
            content_type = response.headers.get("Content-Type", "")
            return Answer(str(response.url), response.status_code, b"".join(chunks),
                          content_type.split(";")[0].strip().lower(), response.charset_encoding,
                          response.headers.get("ETag", ""), response.headers.get("Last-Modified", ""),
                          dict(response.headers))

    def wait_turn(self, url: str) -> None:
        """Wait until the host of `url` may be asked again (per-host delay, or its robots.txt Crawl-delay)."""
        host = urlsplit(url).netloc.lower()
        robots = self.robots.get(origin_of(url), (None, 0.0))[0]
        delay = self.config.host_delay
        if robots is not None:
            delay = max(delay, robots.crawl_delay(ROBOTS_AGENT) or 0.0)
        with self.lock:
            now = time.monotonic()
            start = max(now, self.next_slot.get(host, now))
            self.next_slot[host] = start + delay
        if start > now:
            self.sleep(start - now)

    def allowed(self, url: str) -> bool:
        """Whether robots.txt of the URL's host lets storyline fetch it (read once per `robots_ttl`).

        No robots.txt (4xx) allows everything.

        Raises:
            FetchFailed: robots.txt cannot be read (5xx, 429, no answer): nothing of the host is
              fetched until it can, as crawlers do; it is asked again on the next fetch.
        """
        origin = origin_of(url)
        known = self.robots.get(origin)
        if known is None and self.store is not None:  # read before this process started?
            known = self.stored_robots(origin)
        if known is None or time.monotonic() - known[1] > self.config.robots_ttl:
            text = self.read_robots(origin)
            known = (Protego.parse(text) if text is not None else None), time.monotonic()
            if self.store is not None:
                with self.store.transaction():
                    self.store.save_robots_txt(origin, text, datetime.now(timezone.utc).isoformat())
        self.robots[origin] = known
        robots = known[0]
        return robots is None or robots.can_fetch(url, ROBOTS_AGENT)

    def stored_robots(self, origin: str) -> tuple[Protego | None, float] | None:
        """A host's robots.txt as the store keeps it, and when it was read as a `time.monotonic()`
        stamp (None: none stored)."""
        stored = self.store.robots_txt(origin) if self.store is not None else None
        if stored is None:
            return None
        text, when = stored
        try:
            age = (datetime.now(timezone.utc) - datetime.fromisoformat(when)).total_seconds()
        except ValueError:
            return None
        return (Protego.parse(text) if text is not None else None), time.monotonic() - max(0.0, age)

    def read_robots(self, origin: str) -> str | None:
        """A host's robots.txt, None when it has none."""
        where = origin + "/robots.txt"
        try:
            self.wait_turn(where)
            self.requests += 1
            response = self.client.get(where)
        except httpx.TimeoutException:
            raise FetchFailed(where, f"cannot read robots.txt: timed out after {self.config.timeout:g} s") from None
        except httpx.HTTPError as error:
            raise FetchFailed(where, f"cannot read robots.txt: {error or type(error).__name__}") from None
        if response.status_code >= 500 or response.status_code == 429:
            raise FetchFailed(where, f"cannot read robots.txt: HTTP {response.status_code}", response.status_code,
                              retry_after_seconds(response.headers.get("Retry-After")))
        if response.status_code != 200:
            return None
        return response.text


def origin_of(url: str) -> str:
    """scheme://host[:port] of a URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
