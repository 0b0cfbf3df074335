"""The store: all SQL of storyline lives in this package.

SQLite by default (a file, WAL mode), PostgreSQL for a `postgresql://` URL
(`dialect.py` holds every difference between the two); numbered migrations in
`migrations/` are applied in order, each in one transaction, and recorded in
the database (a migration `NNNN_name.sql` may have a `Store._fill_name`, run
after its SQL in its transaction: what plain SQL cannot do alike on both
databases, such as reading JSON columns). Writes are transactional per batch: `with store.transaction():`
commits everything or nothing, so a crash or a bad input mid-batch loses
nothing already stored.

Several processes may write one store at once (two `add`s, a server's
upload jobs): each write transaction is short (a batch of 32 documents, or
`transactions`' run of story placements committed every quarter second),
a writer that finds the store locked waits and retries, and placing
articles into stories, which must see one order, is serialised by
`placement_lock`.
"""

from __future__ import annotations

import contextlib
import fcntl
import re
import sqlite3
import time
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Callable, Iterator

from storyline.errors import StoreError
from storyline.store.articles import ArticleTables
from storyline.store.briefs import BriefTables
from storyline.store.changes import ChangeTables
from storyline.store.dialect import dialect_of, is_postgres, shown
from storyline.store.duplicates import DuplicateTables
from storyline.store.stories import StoryTables
from storyline.store.versions import VersionTables
from storyline.store.watch import WatchTables

DEFAULT_PATH = "storyline.db"
# How long a writer waits for another's write transaction before giving up. Each wait of SQLite's
# busy timeout (30 s) is retried up to this: writes are short, so only a stuck writer takes this long.
WRITE_WAIT_SECONDS = 600.0
BUSY_TIMEOUT_MS = 30_000  # SQLite's busy timeout: one wait for another writer's transaction


def migrations() -> list[tuple[int, str, str]]:
    """The migrations shipped with the package: (number, name, SQL), in order."""
    found = []
    for entry in resources.files("storyline.store").joinpath("migrations").iterdir():
        match = re.match(r"^(\d{4})_(\w+)\.sql$", entry.name)
        if match:
            found.append((int(match.group(1)), match.group(2), entry.read_text(encoding="utf-8")))
    return sorted(found)



def placement_held(db: str | Path) -> bool:
    """Whether some process holds the placement lock of the SQLite store at `db` (the side lock
    `<db>-placement` that `Store.placement_lock` takes; probed without waiting)."""
    lock = Path(f"{db}-placement")
    if not lock.exists():
        return False
    with open(lock, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False

class Store(ArticleTables, DuplicateTables, StoryTables, BriefTables, ChangeTables,
            WatchTables, VersionTables):
    """A storyline database: a SQLite file, or a PostgreSQL database named by a `postgresql://` URL."""

    def __init__(self, path: str | Path = DEFAULT_PATH):
        self.path = str(path)
        self.dialect = dialect_of(self.path)
        self.shown = shown(self.path)
        try:
            self.conn = self.dialect.connect(self.path)
        except self.dialect.errors as exc:
            if "not a database" in str(exc):
                raise StoreError(f"{self.shown} is not a usable storyline database: {exc}") from exc
            raise StoreError(f"cannot open the store {self.shown}: {_one_line(exc)}; "
                             f"check the {'URL, the server' if is_postgres(self.path) else 'path'} "
                             f"and its permissions") from exc
        self._depth = 0
        # Writes a caller gathers in memory during a transaction, run just before it commits (`before_commit`).
        self._before_commit: list[Callable[[], None]] = []
        self.migrate()

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self, serial: str | None = None) -> Iterator:
        """Run a block in one transaction (nested blocks join the outer one).

        Waits while another process writes (SQLite's busy timeout, retried up
        to `WRITE_WAIT_SECONDS`) rather than failing with "database is locked".
        `serial` names work that one process at a time may do (storing a batch
        against the duplicate index): on PostgreSQL the transaction takes that
        advisory lock, waiting for another process holding it; on SQLite every
        write transaction is serial already.
        """
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        with self._outermost(serial):
            yield self.conn

    def before_commit(self, write: Callable[[], None]) -> None:
        """Run `write` once, inside the current transaction, just before it commits (asked again before the
        commit, still once).

        For writes gathered in memory and made once per transaction rather
        than once per unit of work (the term frequencies of placement,
        `StoredBook.count_document`). A rolled-back transaction drops them.
        Outside a transaction, `write` runs at once.
        """
        if not self._depth:
            write()
        elif write not in self._before_commit:
            self._before_commit.append(write)

    def _write_before_commit(self) -> None:
        """Run the writes `before_commit` gathered, in the order they were asked for."""
        while self._before_commit:
            self._before_commit.pop(0)()

    @contextlib.contextmanager
    def transactions(self, max_seconds: float = 0.25) -> Iterator[Callable[[], None]]:
        """Run a long block of small writes as a run of short transactions.

        The block gets a function to call between two units of work (two
        placed articles): once the current transaction is `max_seconds` old
        it commits, lets every writer waiting for the store go first (see
        `_begin`), and begins the next; so another writer waits about
        `max_seconds`, never the whole block. Without that turn the next
        BEGIN won every time and a waiting writer starved (2.3 s measured
        behind 0.26 s transactions); a lone writer never pauses. A crash
        loses at most the uncommitted units; each commit leaves the store
        consistent.
        """
        if self._depth:  # inside a transaction already: the block joins it
            with self.transaction():
                yield lambda: None
            return
        started = [0.0]

        def between() -> None:
            if time.monotonic() - started[0] >= max_seconds:
                self._write_before_commit()
                self._commit()
                self._after_waiting_writers()
                self._begin()
                started[0] = time.monotonic()

        with self._outermost():
            started[0] = time.monotonic()
            yield between

    @contextlib.contextmanager
    def _outermost(self, serial: str | None = None) -> Iterator[None]:
        """Begin the outermost transaction (taking the `serial` lock); roll it back on an error, else commit."""
        self._begin(serial)
        self._depth = 1
        try:
            yield
            self._write_before_commit()
        except BaseException:
            self._depth = 0
            self._before_commit.clear()
            self.conn.execute("ROLLBACK")
            raise
        else:
            self._depth = 0
            self._commit()

    def _begin(self, serial: str | None = None) -> None:
        """BEGIN (IMMEDIATE on SQLite: take the write lock), waiting for other writers up to `WRITE_WAIT_SECONDS`.

        On SQLite, a writer that finds the store locked says so while it waits: it holds a shared lock
        on `<db>-waiting`, which a run of `transactions` looks at between two commits to let it go
        first. SQLite's own waiting is polling, which a writer that commits and begins again at once
        wins. (PostgreSQL queues waiting writers itself.)
        """
        if self.dialect.name != "sqlite":
            self._begin_waiting(serial)
            return
        try:
            self.conn.execute("PRAGMA busy_timeout = 0")
            try:
                self.dialect.begin(self.conn, serial)
                return
            finally:
                self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        except sqlite3.OperationalError as exc:
            if not is_busy(exc):
                raise StoreError(f"cannot write to the store {self.shown}: {exc}") from exc
        except self.dialect.errors as exc:
            raise StoreError(f"cannot write to the store {self.shown}: {_one_line(exc)}") from exc
        with self._side_lock("waiting", fcntl.LOCK_SH):
            self._begin_waiting(serial)

    def _begin_waiting(self, serial: str | None) -> None:
        """BEGIN, waiting for other writers (SQLite's busy timeout, retried) up to `WRITE_WAIT_SECONDS`."""
        deadline = time.monotonic() + WRITE_WAIT_SECONDS
        while True:
            try:
                self.dialect.begin(self.conn, serial)
                return
            except sqlite3.OperationalError as exc:
                if not is_busy(exc) or time.monotonic() >= deadline:
                    raise StoreError(f"cannot write to the store {self.shown}: {exc}") from exc
            except self.dialect.errors as exc:
                with contextlib.suppress(*self.dialect.errors):
                    self.conn.execute("ROLLBACK")
                raise StoreError(f"cannot write to the store {self.shown}: {_one_line(exc)}") from exc

    def _after_waiting_writers(self) -> None:
        """Return once no writer waits for the store (at once when none does, and on PostgreSQL)."""
        if self.dialect.name != "sqlite" or self.path == ":memory:":
            return
        with self._side_lock("waiting", fcntl.LOCK_EX | fcntl.LOCK_NB) as free:
            if free:
                return
        with self._side_lock("waiting", fcntl.LOCK_EX):
            return

    @contextlib.contextmanager
    def _side_lock(self, name: str, mode: int) -> Iterator[bool]:
        """Hold an advisory lock on the file `<db>-<name>` (False: a non-blocking one was not granted).

        The kernel releases it when the file is closed, or the process ends (kill -9 too).
        """
        if self.path == ":memory:":
            yield True
            return
        lock_path = f"{self.path}-{name}"
        try:
            handle = open(lock_path, "a+b")
        except OSError as exc:
            raise StoreError(f"cannot open the lock file {lock_path}: {exc.strerror}") from exc
        try:
            try:
                fcntl.flock(handle, mode)
                granted = True
            except BlockingIOError:  # a non-blocking request another holder refused
                granted = False
            yield granted
        finally:
            handle.close()

    def _commit(self) -> None:
        try:
            self.conn.execute("COMMIT")
        except self.dialect.errors as exc:
            raise StoreError(f"cannot commit to the store {self.shown}: {_one_line(exc)}") from exc

    @contextlib.contextmanager
    def placement_lock(self) -> Iterator[None]:
        """Hold the store's placement lock: one process at a time places articles into stories.

        Placement reads the stories, decides, writes, in publication order;
        two placers interleaving would each decide on stories the other is
        changing. The lock is an advisory lock on a file beside the database
        (`<db>-placement`), released by the kernel when the process ends,
        even by kill -9; a waiting `add` blocks here (its articles are
        stored already) until the other has placed its own. Other writes
        (storing articles, briefs) do not take it. On PostgreSQL it is a
        session advisory lock of the database, which the server releases when
        the connection ends.
        """
        if self.dialect.name == "postgresql":
            self.dialect.lock(self.conn, "placement")
            try:
                yield
            finally:
                self.dialect.unlock(self.conn, "placement")
            return
        with self._side_lock("placement", fcntl.LOCK_EX):
            yield

    def migrate(self) -> list[int]:
        """Apply the migrations this database lacks; return their numbers."""
        self.dialect.lock_migrations(self.conn)
        try:
            return self._migrate()
        finally:
            self.dialect.unlock_migrations(self.conn)

    def _migrate(self) -> list[int]:
        try:
            self.conn.execute(self.dialect.ddl(
                "CREATE TABLE IF NOT EXISTS schema_migrations "
                "(number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied TEXT NOT NULL)"))
            done = {row[0] for row in self.conn.execute("SELECT number FROM schema_migrations")}
        except self.dialect.errors as exc:
            raise StoreError(f"{self.shown} is not a usable storyline database: {_one_line(exc)}") from exc
        applied = []
        for number, name, sql in migrations():
            if number in done:
                continue
            statements = [s for s in sql.split(";\n") if s.strip() and not is_comment_only(s)]
            with self.transaction():
                for statement in statements:
                    self.conn.execute(self.dialect.ddl(statement))
                # What SQL cannot do alike on both databases (read JSON), in Python, in the same transaction.
                fill = getattr(self, f"_fill_{name}", None)
                if fill is not None:
                    fill()
                self.conn.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)",
                                  (number, name, now_iso()))
            applied.append(number)
        return applied

    def _fill_story_list(self) -> None:
        """Migration 0012's rows for what was stored before it: outlet columns, entity names."""
        self._fill_outlet_columns()
        self._fill_entity_names()

    def schema_version(self) -> int:
        """The number of the newest migration applied."""
        row = self.conn.execute("SELECT MAX(number) FROM schema_migrations").fetchone()
        return row[0] or 0

    def integrity_ok(self) -> bool:
        """Whether the database's integrity check passes (SQLite's own; on PostgreSQL, no orphan rows)."""
        return self.dialect.integrity_ok(self.conn)


def is_busy(exc: sqlite3.OperationalError) -> bool:
    """Whether an SQLite error means another connection holds the lock (worth waiting and retrying)."""
    return "locked" in str(exc) or "busy" in str(exc)


def is_comment_only(statement: str) -> bool:
    """Whether an SQL fragment holds only comments."""
    return all(not line.strip() or line.strip().startswith("--") for line in statement.splitlines())


def _one_line(exc: BaseException) -> str:
    """An exception's message on one line (psycopg's span several)."""
    return " ".join(str(exc).split())


def now_iso() -> str:
    """The current UTC time as ISO 8601 (seconds)."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def open_store(target: str | Path | None = None) -> Store:
    """Open the store named by a path or `sqlite:///PATH` (SQLite) or a `postgresql://` URL.

    Raises:
        StoreError: the target cannot be opened.
    """
    target = str(target or DEFAULT_PATH)
    if is_postgres(target):
        return Store(target)
    if target.startswith("sqlite:///"):
        target = target[len("sqlite:///"):]
    parent = Path(target).parent
    if target != ":memory:" and not parent.exists():
        raise StoreError(f"cannot open the store {target}: folder {parent} does not exist")
    return Store(target)
