"""An on-disk index that groups a stream of resources per patient in constant memory.

NDJSON exports are split by resource type, so one patient's resources are spread
across every file. Each kept resource is appended to a temporary SQLite file with
its patient key; shared resources (practitioners, organizations, ...) are kept by
``Type/id`` and by identifier. Records are then assembled one patient at a time.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

_SCHEMA = """
CREATE TABLE items (seq INTEGER PRIMARY KEY, patient TEXT NOT NULL, kind TEXT NOT NULL, body BLOB NOT NULL);
CREATE TABLE shared (key TEXT PRIMARY KEY, body BLOB NOT NULL);
CREATE TABLE idents (key TEXT PRIMARY KEY, ref TEXT NOT NULL);
"""
_BATCH = 5000


class Spill:
    """Append-then-group storage in a temporary SQLite file (deleted with its folder)."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-16000;")
        self._db.executescript(_SCHEMA)
        self._pending: list[tuple[str, str, bytes]] = []
        self.resolve = lru_cache(maxsize=65536)(self._resolve)

    def add(self, patient: str, kind: str, body: bytes) -> None:
        """Append one patient item; ``kind`` is ``resource`` or ``note``."""
        self._pending.append((patient, kind, body))
        if len(self._pending) >= _BATCH:
            self.flush()

    def add_shared(self, key: str, body: bytes, identifiers: list[str]) -> None:
        self._db.execute("INSERT OR REPLACE INTO shared VALUES (?, ?)", (key, body))
        self.add_identifiers(key, identifiers)

    def add_identifiers(self, key: str, identifiers: list[str]) -> None:
        self._db.executemany("INSERT OR IGNORE INTO idents VALUES (?, ?)", [(i, key) for i in identifiers])

    def flush(self) -> None:
        if self._pending:
            self._db.execute("BEGIN")
            self._db.executemany("INSERT INTO items (patient, kind, body) VALUES (?, ?, ?)", self._pending)
            self._db.execute("COMMIT")
            self._pending.clear()

    def _resolve(self, key: str) -> str | None:
        row = self._db.execute("SELECT ref FROM idents WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def shared(self, key: str) -> bytes | None:
        row = self._db.execute("SELECT body FROM shared WHERE key = ?", (key,)).fetchone()
        return bytes(row[0]) if row else None

    def patient_keys(self) -> list[str]:
        """Distinct patient keys in order of first appearance (a short list of ids)."""
        self.flush()
        self._db.execute("CREATE INDEX IF NOT EXISTS items_patient ON items (patient, seq)")
        rows = self._db.execute(
            "SELECT patient, MIN(seq) AS first FROM items GROUP BY patient ORDER BY first"
        )
        return [str(row[0]) for row in rows]

    def items(self, keys: list[str]) -> Iterator[tuple[str, bytes]]:
        marks = ",".join("?" * len(keys))
        query = f"SELECT kind, body FROM items WHERE patient IN ({marks}) ORDER BY seq"
        for kind, body in self._db.execute(query, keys):
            yield str(kind), bytes(body)

    def close(self) -> None:
        self._db.close()
