"""The two databases the store runs on, and every difference between them.

The store's SQL is written once, in the dialect both share: `?` parameters,
`INSERT ... ON CONFLICT`, `COUNT`, `substr`. A `Dialect` opens a connection
that takes that SQL and hides what differs:

- SQLite (a file, WAL mode): the connection is `sqlite3`'s own. One writer
  at a time (`BEGIN IMMEDIATE`), so a write that must be serial already is.
- PostgreSQL (a `postgresql://` URL, psycopg 3): parameters become `%s`,
  the migrations' column types are translated (`INTEGER PRIMARY KEY
  AUTOINCREMENT` to an identity column, `INTEGER` to `BIGINT`, `REAL` to
  `DOUBLE PRECISION` so scores keep SQLite's precision, `BLOB` to `BYTEA`,
  no `WITHOUT ROWID`), NUL characters in text (which PostgreSQL's `TEXT`
  cannot hold) are stored as U+FFFD, and a serial write takes a
  transaction-level advisory lock, so several processes may write at once
  while placement into stories stays one at a time.
"""

from __future__ import annotations

import functools
import re
import sqlite3
import zlib
from typing import Any, Iterable, Sequence

POSTGRES_URL = re.compile(r"^postgres(ql)?(\+\w+)?://", re.IGNORECASE)


SQLITE_CACHE_KIB = 65_536


def is_postgres(target: str) -> bool:
    """Whether a store target names a PostgreSQL database."""
    return bool(POSTGRES_URL.match(target))


def shown(target: str) -> str:
    """A store target fit for a message: the password of a URL replaced by ***."""
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", target)


def lock_key(name: str) -> int:
    """The 64-bit key of a named advisory lock (the same in every process)."""
    return zlib.crc32(f"storyline:{name}".encode()) | (0x5707 << 32)


class SqliteDialect:
    """SQLite through the standard library."""

    name = "sqlite"
    errors: tuple[type[BaseException], ...] = (sqlite3.Error,)

    def connect(self, path: str) -> sqlite3.Connection:
        conn = sqlite3.connect(path, isolation_level=None, timeout=30.0, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        if path != ":memory:":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        # A page cache of 64 MiB, not SQLite's 2 MiB: placement reads and writes postings all over the term
        # index, which outgrows 2 MiB long before 100,000 stored articles (bench/cluster_scale.py --store).
        conn.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        return conn

    def ddl(self, statement: str) -> str:
        return statement

    def begin(self, conn, serial: str | None) -> None:
        # IMMEDIATE takes the write lock at once: every write transaction is serial.
        conn.execute("BEGIN IMMEDIATE")

    def lock_migrations(self, conn) -> None:
        """Nothing: the first migration's write transaction already excludes other writers."""

    def unlock_migrations(self, conn) -> None:
        """Nothing (see `lock_migrations`)."""

    def integrity_ok(self, conn) -> bool:
        return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    def insert_many(self, conn, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run an `INSERT ... VALUES (?, ...)` for each row: in-process, one prepared statement is as quick as any."""
        conn.executemany(sql, rows)


class PostgresDialect:
    """PostgreSQL through psycopg 3."""

    name = "postgresql"

    @property
    def errors(self) -> tuple[type[BaseException], ...]:
        import psycopg

        return (psycopg.Error,)

    def connect(self, url: str) -> "PostgresConnection":
        import psycopg

        url = re.sub(r"^postgres(ql)?\+\w+://", "postgresql://", url, flags=re.IGNORECASE)
        conn = psycopg.connect(url, autocommit=True, row_factory=row_factory, connect_timeout=30)
        return PostgresConnection(conn)

    def ddl(self, statement: str) -> str:
        for pattern, replacement in DDL:
            statement = pattern.sub(replacement, statement)
        return statement

    def begin(self, conn: "PostgresConnection", serial: str | None) -> None:
        conn.execute("BEGIN")
        if serial:
            conn.execute("SELECT pg_advisory_xact_lock(?)", (lock_key(serial),))

    def lock_migrations(self, conn: "PostgresConnection") -> None:
        """Let one process at a time migrate a database (others wait, then find nothing to do)."""
        self.lock(conn, "migrate")

    def unlock_migrations(self, conn: "PostgresConnection") -> None:
        self.unlock(conn, "migrate")

    def lock(self, conn: "PostgresConnection", name: str) -> None:
        """Take a named session advisory lock, waiting for another process holding it."""
        conn.execute("SELECT pg_advisory_lock(?)", (lock_key(name),))

    def unlock(self, conn: "PostgresConnection", name: str) -> None:
        conn.execute("SELECT pg_advisory_unlock(?)", (lock_key(name),))

    def insert_many(self, conn: "PostgresConnection", sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run an `INSERT ... VALUES (?, ...)` for each row, as one statement of many rows per chunk.

        Each statement of `executemany` is executed on its own by the server
        (some 130 µs a row measured under load for the 127 term frequencies of
        one placed article); one statement of a chunk of rows costs a few. The
        rows must not repeat a key that an `ON CONFLICT ... DO UPDATE` updates
        (PostgreSQL refuses to update one row twice in a statement).
        """
        match = VALUES.search(sql)
        if match is None:
            raise ValueError(f"not an INSERT ... VALUES (...): {sql}")
        for start in range(0, len(rows), INSERT_CHUNK):
            chunk = rows[start:start + INSERT_CHUNK]
            many = f"{sql[:match.start(1)]}{','.join([match.group(1)] * len(chunk))}{sql[match.end(1):]}"
            conn.execute(many, [value for row in chunk for value in row])

    def integrity_ok(self, conn: "PostgresConnection") -> bool:
        # PostgreSQL checks its pages itself; what can break is ours: a sentence or fingerprint without its article.
        orphans = conn.execute(
            "SELECT (SELECT COUNT(*) FROM sentences s WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = s.article_id))"
            " + (SELECT COUNT(*) FROM fingerprints f WHERE NOT EXISTS "
            "(SELECT 1 FROM articles a WHERE a.id = f.article_id))").fetchone()[0]
        return orphans == 0


# SQLite's column types in PostgreSQL's words (the migrations are written for SQLite).
DDL = [
    (re.compile(r"\bINTEGER\s+PRIMARY\s+KEY\s+AUTOINCREMENT\b", re.IGNORECASE),
     "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
    (re.compile(r"\bINTEGER\b", re.IGNORECASE), "BIGINT"),
    (re.compile(r"\bREAL\b", re.IGNORECASE), "DOUBLE PRECISION"),
    (re.compile(r"\bBLOB\b", re.IGNORECASE), "BYTEA"),
    (re.compile(r"\)\s*WITHOUT\s+ROWID\b", re.IGNORECASE), ")"),
]


# The row of an `INSERT ... VALUES (?, ?)`, and how many rows go in one statement (PostgreSQL takes up to 65,535
# parameters in one).
VALUES = re.compile(r"\bVALUES\s*(\([?,\s]+\))", re.IGNORECASE)
INSERT_CHUNK = 1000


def dialect_of(target: str) -> SqliteDialect | PostgresDialect:
    """The dialect of a store target (a path or a URL)."""
    return PostgresDialect() if is_postgres(target) else SqliteDialect()


class Row(tuple):
    """A result row read by position or by column name, as `sqlite3.Row` is."""

    def __new__(cls, values: Sequence[Any], index: dict[str, int]) -> "Row":
        row = super().__new__(cls, values)
        row._index = index
        return row

    def __getitem__(self, key):
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)


def row_factory(cursor):
    """psycopg row factory giving `Row`s."""
    description = cursor.description
    if description is None:
        return tuple
    index = {column.name: n for n, column in enumerate(description)}
    return lambda values: Row(values, index)


@functools.lru_cache(maxsize=1024)
def to_postgres(sql: str) -> str:
    """The store's SQL with psycopg's placeholders: `?` becomes `%s`, a literal `%` becomes `%%`.

    A `?` inside a quoted string or identifier is left alone.
    """
    out, quote = [], None
    for char in sql:
        if quote:
            out.append("%%" if char == "%" else char)
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
            out.append(char)
        elif char == "?":
            out.append("%s")
        elif char == "%":
            out.append("%%")
        else:
            out.append(char)
    return "".join(out)


def _text(value: Any) -> Any:
    """A parameter PostgreSQL can store: NUL in text becomes U+FFFD (TEXT cannot hold NUL)."""
    if isinstance(value, str) and "\x00" in value:
        return value.replace("\x00", "\ufffd")
    return value


class PostgresConnection:
    """A psycopg connection that takes the store's SQL (`?` parameters) like a `sqlite3.Connection`."""

    def __init__(self, raw) -> None:
        self.raw = raw

    def execute(self, sql: str, params: Sequence[Any] = ()):
        return self.raw.execute(to_postgres(sql), [_text(p) for p in params] if params else None)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]):
        cursor = self.raw.cursor()
        rows = [[_text(p) for p in row] for row in rows]
        if rows:
            cursor.executemany(to_postgres(sql), rows)
        return cursor

    def close(self) -> None:
        self.raw.close()
