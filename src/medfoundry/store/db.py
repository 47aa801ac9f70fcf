"""Engine and session handling for SQLite (default) and PostgreSQL."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from medfoundry.errors import DependencyMissing, StoreError

logger = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # isolation_level=None hands transaction control to us: "BEGIN IMMEDIATE" where a
    # writer must serialize (audit appends), a plain BEGIN otherwise.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    mode = conn.info.pop("begin_mode", "")
    conn.exec_driver_sql(f"BEGIN {mode}".strip())


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def redact_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable url>"


def make_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(
            f"MEDFOUNDRY_DATABASE_URL is not a database URL: {exc}",
            hint="use sqlite:///PATH or postgresql+psycopg://USER:PASSWORD@HOST:PORT/DB",
        ) from exc
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        if parsed.get_backend_name() == "sqlite":
            if parsed.database:
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(parsed, connect_args={"timeout": 30})
            event.listen(engine, "connect", _sqlite_pragmas)
            event.listen(engine, "begin", _sqlite_begin)
        else:
            engine = create_engine(parsed, pool_pre_ping=True)
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        if parsed.get_backend_name() == "postgresql":
            raise DependencyMissing("psycopg", extra="postgres", feature="a PostgreSQL database") from exc
        raise StoreError(f"unsupported database URL {redact_url(url)}: {exc}") from exc
    return engine


def check_connection(engine: Engine) -> None:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        raise StoreError(
            f"cannot reach the database at {redact_url(str(engine.url))}: {exc.orig}",
            hint="check MEDFOUNDRY_DATABASE_URL and that the server is running",
        ) from exc


@contextmanager
def serialized_transaction(engine: Engine, lock_key: int) -> Iterator[Connection]:
    """A transaction that no other ``serialized_transaction`` with ``lock_key`` overlaps.

    SQLite: ``BEGIN IMMEDIATE`` takes the database's single writer lock.
    PostgreSQL: a transaction-scoped advisory lock on ``lock_key``.
    """
    with engine.connect() as conn:
        if is_sqlite(engine):
            conn.info["begin_mode"] = "IMMEDIATE"
        with conn.begin():
            if engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key})
            yield conn


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that takes SQLite's writer lock up front (avoids upgrade deadlocks).

    On PostgreSQL it is a plain transaction; callers use row locks.
    """
    with engine.connect() as conn:
        if is_sqlite(engine):
            conn.info["begin_mode"] = "IMMEDIATE"
        with conn.begin():
            yield conn
