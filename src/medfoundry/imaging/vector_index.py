"""Nearest-neighbour search on unit vectors (inner product = cosine) behind one protocol.

- ``exact``: numpy matrix products over a float32 matrix; exact, the default.
- ``faiss-flat``: faiss ``IndexFlatIP`` (exact) where faiss is installed.
- ``hnsw``: faiss ``IndexHNSWFlat`` (approximate), chosen by ``auto`` above ``HNSW_THRESHOLD``.
- ``pgvector``: a table in the configured PostgreSQL when it has the ``vector`` extension.

An index on disk is a folder: ``vectors.npy`` (float32, one row per item), ``items.jsonl``
(id and source per row) and ``index.json`` (model, dimension, backend, counts).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from medfoundry.errors import DependencyMissing, InputError

HNSW_THRESHOLD = 1_000_000
BACKENDS = ("auto", "exact", "faiss-flat", "hnsw", "pgvector")


@dataclass(frozen=True)
class Hits:
    """Top-k per query: ``rows`` (n_queries, k) into the index, -1 where fewer than k exist."""

    scores: np.ndarray
    rows: np.ndarray


class VectorIndex(Protocol):
    name: str

    def add(self, vectors: np.ndarray) -> None: ...

    def search(self, queries: np.ndarray, k: int) -> Hits: ...

    def __len__(self) -> int: ...


def _as_rows(vectors: np.ndarray, dim: int | None = None) -> np.ndarray:
    rows = np.ascontiguousarray(np.atleast_2d(np.asarray(vectors, dtype=np.float32)))
    if dim is not None and rows.shape[1] != dim:
        raise InputError(f"vectors have {rows.shape[1]} dimensions; this index holds {dim}")
    return rows


class ExactIndex:
    """Brute force with numpy: one matrix product per block of queries, then a partial sort."""

    name = "exact"

    def __init__(self, dim: int, block: int = 256) -> None:
        self.dim, self.block = dim, block
        self.matrix = np.zeros((0, dim), np.float32)

    def add(self, vectors: np.ndarray) -> None:
        self.matrix = np.ascontiguousarray(np.concatenate([self.matrix, _as_rows(vectors, self.dim)]))

    def __len__(self) -> int:
        return len(self.matrix)

    def search(self, queries: np.ndarray, k: int) -> Hits:
        queries = _as_rows(queries, self.dim)
        take = min(k, len(self.matrix))
        scores = np.full((len(queries), k), -np.inf, np.float32)
        rows = np.full((len(queries), k), -1, np.int64)
        if take == 0:
            return Hits(scores, rows)
        for start in range(0, len(queries), self.block):
            sims = queries[start : start + self.block] @ self.matrix.T
            top = _top_k(sims, take)
            rows[start : start + len(sims), :take] = top
            scores[start : start + len(sims), :take] = np.take_along_axis(sims, top, axis=1)
        return Hits(scores, rows)


def _top_k(sims: np.ndarray, take: int) -> np.ndarray:
    """Column indices of each row's ``take`` largest values, best first, ties to the lower index.

    A full partial sort of every row is the slow part of exact search. Instead, the
    ``take``-th largest value of an evenly strided sample of a row is a lower bound of the
    row's ``take``-th largest (a sample's k-th largest never exceeds the whole row's), so
    every true top-k value clears it and only the few values that do are sorted.
    """
    n = sims.shape[1]
    stride = n // (take * 200)
    if stride < 2:
        top = (
            np.argpartition(sims, n - take, axis=1)[:, n - take :]
            if take < n
            else np.tile(np.arange(n), (len(sims), 1))
        )
        order = np.lexsort((top, -np.take_along_axis(sims, top, axis=1)), axis=1)
        return np.take_along_axis(top, order, axis=1)
    floor = np.partition(sims[:, ::stride], -take, axis=1)[:, -take]
    row_of, columns = np.nonzero(sims >= floor[:, None])
    bounds = np.searchsorted(row_of, np.arange(1, len(sims)))
    top = np.empty((len(sims), take), np.int64)
    for row, candidates in enumerate(np.split(columns, bounds)):
        top[row] = candidates[np.argsort(-sims[row, candidates], kind="stable")[:take]]
    return top


def _faiss() -> Any:
    try:
        import faiss
    except ImportError as exc:
        raise DependencyMissing("faiss-cpu", extra="imaging", feature="faiss vector indexes") from exc
    return faiss


def faiss_available() -> bool:
    try:
        _faiss()
    except DependencyMissing:
        return False
    return True


class FaissIndex:
    """faiss ``IndexFlatIP`` (exact) or ``IndexHNSWFlat`` (approximate) on inner product."""

    def __init__(
        self, dim: int, *, hnsw: bool = False, m: int = 32, ef_construction: int = 80, ef_search: int = 64
    ):
        faiss = _faiss()
        self.dim = dim
        self.name = "hnsw" if hnsw else "faiss-flat"
        if hnsw:
            self.index = faiss.IndexHNSWFlat(dim, m, faiss.METRIC_INNER_PRODUCT)
            self.index.hnsw.efConstruction = ef_construction
            self.index.hnsw.efSearch = ef_search
        else:
            self.index = faiss.IndexFlatIP(dim)

    def add(self, vectors: np.ndarray) -> None:
        self.index.add(_as_rows(vectors, self.dim))

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def search(self, queries: np.ndarray, k: int) -> Hits:
        scores, rows = self.index.search(_as_rows(queries, self.dim), k)
        scores = np.where(rows < 0, -np.inf, scores).astype(np.float32)
        return Hits(scores, rows.astype(np.int64))


def create_index(
    backend: str, dim: int, *, expected_size: int = 0, store: Any = None, table: str = ""
) -> VectorIndex:
    """An empty index; ``auto`` is exact (numpy) below ``HNSW_THRESHOLD`` rows and HNSW above."""
    if backend not in BACKENDS:
        raise InputError(f"--backend: '{backend}' is not one of {', '.join(BACKENDS)}")
    if backend == "auto":
        backend = "hnsw" if expected_size >= HNSW_THRESHOLD and faiss_available() else "exact"
    if backend == "exact":
        return ExactIndex(dim)
    if backend == "pgvector":
        from medfoundry.imaging.pgvector_index import PgVectorIndex

        if store is None:
            raise InputError("the pgvector backend needs the store's database")
        return PgVectorIndex(store, table or "medfoundry_image_vectors", dim)
    return FaissIndex(dim, hnsw=backend == "hnsw")


@dataclass
class StoredIndex:
    """An embedding index folder loaded into memory."""

    folder: Path
    meta: dict[str, Any]
    items: list[dict[str, Any]]
    vectors: np.ndarray
    index: VectorIndex

    def search(self, queries: np.ndarray, k: int) -> list[list[dict[str, Any]]]:
        hits = self.index.search(queries, k)
        return [
            [
                {"rank": rank + 1, "score": round(float(score), 6), **self.items[int(row)]}
                for rank, (score, row) in enumerate(zip(scores, rows, strict=True))
                if row >= 0
            ]
            for scores, rows in zip(hits.scores, hits.rows, strict=True)
        ]


def write_index(folder: Path, vectors: np.ndarray, items: list[dict[str, Any]], meta: dict[str, Any]) -> Path:
    """Write the folder atomically: files go to a temporary sibling that is renamed at the end."""
    folder = Path(folder)
    if len(vectors) != len(items):
        raise ValueError("one item per vector")
    temporary = folder.with_name(f".{folder.name}.tmp-{os.getpid()}")
    temporary.mkdir(parents=True, exist_ok=False)
    np.save(
        temporary / "vectors.npy",
        _as_rows(vectors) if len(vectors) else np.zeros((0, meta["dim"]), np.float32),
    )
    with (temporary / "items.jsonl").open("w", encoding="utf-8") as handle:
        for item in items:
            handle.write(json.dumps(item) + "\n")
    (temporary / "index.json").write_text(json.dumps({**meta, "count": len(items)}, indent=2))
    if folder.exists():
        backup = folder.with_name(f".{folder.name}.old-{os.getpid()}")
        folder.rename(backup)
        temporary.rename(folder)
        for child in backup.iterdir():
            child.unlink()
        backup.rmdir()
    else:
        temporary.rename(folder)
    return folder


def read_index(folder: Path, *, backend: str = "auto", store: Any = None) -> StoredIndex:
    """Load an index folder into ``backend`` (``pgvector`` copies it into a table named after the folder)."""
    folder = Path(folder)
    meta_path = folder / "index.json"
    if not meta_path.exists():
        raise InputError(
            f"{folder} is not an embedding index (no index.json)",
            hint="write one with 'medfoundry images embed FOLDER --model M -o INDEX'",
        )
    meta = json.loads(meta_path.read_text())
    vectors = np.load(folder / "vectors.npy")
    items = [
        json.loads(line) for line in (folder / "items.jsonl").read_text(encoding="utf-8").splitlines() if line
    ]
    table = "mf_vectors_" + hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]
    index = create_index(backend, int(meta["dim"]), expected_size=len(vectors), store=store, table=table)
    if backend == "pgvector":
        index.replace(vectors)  # type: ignore[attr-defined]
    else:
        index.add(vectors)
    return StoredIndex(folder, meta, items, vectors, index)


NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def named_index_dir(home: Path, name: str) -> Path:
    """``$MEDFOUNDRY_HOME/indexes/NAME``: where ``images embed --name`` writes and the server searches."""
    if not NAME_RE.match(name):
        raise InputError(f"index name '{name}' is not valid", hint="use letters, digits, '.', '_', '-'")
    return Path(home) / "indexes" / name


def locate_index(home: Path, ref: str) -> Path:
    """A folder path, or the name of an index in the home."""
    path = Path(ref).expanduser()
    if (path / "index.json").exists():
        return path
    if NAME_RE.match(ref) and (named_index_dir(home, ref) / "index.json").exists():
        return named_index_dir(home, ref)
    raise InputError(
        f"'{ref}' is neither an index folder nor an index name in {Path(home) / 'indexes'}",
        hint="write one with 'medfoundry images embed SOURCE --model M --name NAME'",
    )
