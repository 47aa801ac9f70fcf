"""The pgvector backend: vectors in a table of the configured PostgreSQL (``vector`` extension).

Exact search (``ORDER BY embedding <#> query``, negative inner product) unless an HNSW
index is created. Debian bookworm's PostgreSQL 15 has no pgvector package; where the
extension is missing, ``pgvector_problem`` says so and the backend is not used.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
from sqlalchemy import text
from sqlalchemy.engine import Engine

from medfoundry.errors import InputError, StoreError
from medfoundry.imaging.vector_index import Hits, _as_rows

TABLE_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def pgvector_problem(engine: Engine) -> str | None:
    """None when the engine is PostgreSQL with the ``vector`` extension available, else why not."""
    if engine.dialect.name != "postgresql":
        return f"the configured database is {engine.dialect.name}, not PostgreSQL"
    with engine.connect() as conn:
        available = conn.execute(text("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")).first()
    if available is None:
        return "this PostgreSQL server has no 'vector' extension (install pgvector on the server)"
    return None


def _literal(row: np.ndarray) -> str:
    return "[" + ",".join(f"{value:.7g}" for value in row) + "]"


class PgVectorIndex:
    name = "pgvector"

    def __init__(self, store: Any, table: str, dim: int) -> None:
        engine: Engine = store.engine if hasattr(store, "engine") else store
        problem = pgvector_problem(engine)
        if problem:
            raise StoreError(f"pgvector backend unavailable: {problem}", hint="use --backend exact or hnsw")
        if not TABLE_RE.match(table):
            raise InputError(f"table name '{table}' is not a plain lower-case SQL identifier")
        self.engine, self.table, self.dim = engine, table, dim
        with engine.begin() as conn:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS vector"))
            conn.execute(
                text(
                    f"CREATE TABLE IF NOT EXISTS {table} (row_id bigint PRIMARY KEY, embedding vector({dim}))"
                )
            )

    def __len__(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(text(f"SELECT count(*) FROM {self.table}")).scalar_one())

    def add(self, vectors: np.ndarray) -> None:
        rows = _as_rows(vectors, self.dim)
        start = len(self)
        with self.engine.begin() as conn:
            conn.execute(
                text(
                    f"INSERT INTO {self.table} (row_id, embedding) VALUES (:row_id, CAST(:embedding AS vector))"
                ),
                [{"row_id": start + i, "embedding": _literal(row)} for i, row in enumerate(rows)],
            )

    def replace(self, vectors: np.ndarray) -> None:
        """Make the table hold exactly ``vectors`` (skipped when it already holds as many rows)."""
        if len(self) == len(vectors):
            return
        with self.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {self.table}"))
        self.add(vectors)

    def search(self, queries: np.ndarray, k: int) -> Hits:
        queries = _as_rows(queries, self.dim)
        scores = np.full((len(queries), k), -np.inf, np.float32)
        rows = np.full((len(queries), k), -1, np.int64)
        query = text(
            f"SELECT row_id, -(embedding <#> CAST(:q AS vector)) AS score FROM {self.table} "
            "ORDER BY embedding <#> CAST(:q AS vector) LIMIT :k"
        )
        with self.engine.connect() as conn:
            for i, vector in enumerate(queries):
                found = conn.execute(query, {"q": _literal(vector), "k": k}).all()
                for j, (row_id, score) in enumerate(found):
                    rows[i, j], scores[i, j] = row_id, score
        return Hits(scores, rows)
