"""The store: all SQL of storyline lives in this package.

SQLite by default (a file, WAL mode); numbered migrations in `migrations/`
are applied in order, each in one transaction, and recorded in the
database. Writes are transactional per batch: `with store.transaction():`
commits everything or nothing, so a crash or a bad input mid-batch loses
nothing already stored.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Iterator

from storyline.errors import StoreError
from storyline.store.articles import ArticleTables
from storyline.store.briefs import BriefTables
from storyline.store.duplicates import DuplicateTables
from storyline.store.stories import StoryTables

DEFAULT_PATH = "storyline.db"


def migrations() -> list[tuple[int, str, str]]:
    """The migrations shipped with the package: (number, name, SQL), in order."""
    found = []
    for entry in resources.files("storyline.store").joinpath("migrations").iterdir():
        match = re.match(r"^(\d{4})_(\w+)\.sql$", entry.name)
        if match:
            found.append((int(match.group(1)), match.group(2), entry.read_text(encoding="utf-8")))
    return sorted(found)


class Store(ArticleTables, DuplicateTables, StoryTables, BriefTables):
    """A storyline database (SQLite)."""

    def __init__(self, path: str | Path = DEFAULT_PATH):
        self.path = str(path)
        try:
            self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=30.0,
                                        check_same_thread=False)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA foreign_keys = ON")
            if self.path != ":memory:":
                self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.DatabaseError as exc:
            if "not a database" in str(exc):
                raise StoreError(f"{self.path} is not a usable storyline database: {exc}") from exc
            raise StoreError(f"cannot open the store {self.path}: {exc}; check the path and its permissions") from exc
        self._depth = 0
        self.migrate()

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run a block in one transaction (nested blocks join the outer one)."""
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot write to the store {self.path}: {exc}") from exc
        self._depth = 1
        try:
            yield self.conn
        except BaseException:
            self._depth = 0
            self.conn.execute("ROLLBACK")
            raise
        else:
            self._depth = 0
            try:
                self.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                raise StoreError(f"cannot commit to the store {self.path}: {exc}") from exc

    def migrate(self) -> list[int]:
        """Apply the migrations this database lacks; return their numbers."""
        try:
            self.conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations "
                "(number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied TEXT NOT NULL)")
            done = {row[0] for row in self.conn.execute("SELECT number FROM schema_migrations")}
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path} is not a usable storyline database: {exc}") from exc
        applied = []
        for number, name, sql in migrations():
            if number in done:
                continue
            statements = [s for s in sql.split(";\n") if s.strip() and not is_comment_only(s)]
            with self.transaction():
                for statement in statements:
                    self.conn.execute(statement)
                self.conn.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)",
                                  (number, name, now_iso()))
            applied.append(number)
        return applied

    def schema_version(self) -> int:
        """The number of the newest migration applied."""
        row = self.conn.execute("SELECT MAX(number) FROM schema_migrations").fetchone()
        return row[0] or 0

    def integrity_ok(self) -> bool:
        """Whether SQLite's integrity check passes."""
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def is_comment_only(statement: str) -> bool:
    """Whether an SQL fragment holds only comments."""
    return all(not line.strip() or line.strip().startswith("--") for line in statement.splitlines())


def now_iso() -> str:
    """The current UTC time as ISO 8601 (seconds)."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def open_store(target: str | Path | None = None) -> Store:
    """Open the store named by a path (SQLite) or a URL.

    Raises:
        StoreError: the target cannot be opened, or names a database kind not supported.
    """
    target = str(target or DEFAULT_PATH)
    if re.match(r"^postgres(ql)?(\+\w+)?://", target):
        raise StoreError(f"cannot open {target}: the PostgreSQL store is not built yet; use a SQLite file path")
    if target.startswith("sqlite:///"):
        target = target[len("sqlite:///"):]
    parent = Path(target).parent
    if target != ":memory:" and not parent.exists():
        raise StoreError(f"cannot open the store {target}: folder {parent} does not exist")
    return Store(target)
