from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from medfoundry.errors import InputError
from medfoundry.imaging.vector_index import (
    ExactIndex,
    FaissIndex,
    create_index,
    faiss_available,
    read_index,
    write_index,
)


def unit_rows(n: int, dim: int, seed: int) -> np.ndarray:
    rows = np.random.default_rng(seed).normal(size=(n, dim)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def brute_force(matrix: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    return np.argsort(-(queries @ matrix.T), axis=1, kind="stable")[:, :k]


@pytest.mark.parametrize(
    ("n", "k", "block"), [(2000, 10, 1), (2000, 10, 256), (20000, 5, 7), (20000, 10, 256)]
)
def test_exact_index_matches_brute_force(n: int, k: int, block: int) -> None:
    """Small n takes the partial-sort path, large n the sampled-floor path; both are exact."""
    matrix, queries = unit_rows(n, 16, 0), unit_rows(30, 16, 1)
    index = ExactIndex(16, block=block)
    index.add(matrix[: n // 2])
    index.add(matrix[n // 2 :])
    hits = index.search(queries, k)
    assert np.array_equal(hits.rows, brute_force(matrix, queries, k))
    expected = np.take_along_axis(queries @ matrix.T, hits.rows, axis=1)
    assert np.allclose(hits.scores, expected, atol=1e-6)
    assert (np.diff(hits.scores, axis=1) <= 0).all()


@pytest.mark.parametrize("n", [100, 20000])
def test_ties_go_to_the_lower_row_like_a_stable_sort(n: int) -> None:
    matrix = np.repeat(unit_rows(n // 10, 8, 2), 10, axis=0)  # every vector ten times
    queries = unit_rows(5, 8, 3)
    index = ExactIndex(8)
    index.add(matrix)
    hits = index.search(queries, 10)
    assert np.array_equal(hits.rows, brute_force(matrix, queries, 10))


def test_asking_for_more_than_the_index_holds_pads_with_minus_one() -> None:
    index = ExactIndex(8)
    index.add(unit_rows(3, 8, 2))
    hits = index.search(unit_rows(2, 8, 3), 5)
    assert (hits.rows[:, 3:] == -1).all() and sorted(hits.rows[0, :3]) == [0, 1, 2]
    with pytest.raises(InputError, match="dimensions"):
        index.search(unit_rows(1, 4, 0), 1)


@pytest.mark.skipif(not faiss_available(), reason="faiss-cpu is not installed")
def test_faiss_flat_is_exact_and_hnsw_recalls_most_neighbours() -> None:
    matrix, queries = unit_rows(3000, 32, 4), unit_rows(40, 32, 5)
    truth = brute_force(matrix, queries, 10)
    flat = FaissIndex(32)
    flat.add(matrix)
    assert np.array_equal(flat.search(queries, 10).rows, truth)
    hnsw = create_index("hnsw", 32)
    hnsw.add(matrix)
    found = hnsw.search(queries, 10).rows
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(found, truth, strict=True)])
    assert recall >= 0.9


def test_auto_picks_exact_below_the_threshold() -> None:
    assert create_index("auto", 8, expected_size=10).name == "exact"
    with pytest.raises(InputError, match="backend"):
        create_index("annoy", 8)


def test_index_folder_round_trip_and_replacement(tmp_path: Path) -> None:
    rows = unit_rows(20, 8, 6)
    items = [{"id": f"img-{i}.png"} for i in range(20)]
    write_index(tmp_path / "idx", rows, items, {"dim": 8, "model": "m"})
    write_index(tmp_path / "idx", rows[:10], items[:10], {"dim": 8, "model": "m"})  # replaced whole
    stored = read_index(tmp_path / "idx", backend="exact")
    assert stored.meta["count"] == 10 and len(stored.index) == 10
    top = stored.search(rows[3:4], 2)[0]
    assert top[0]["id"] == "img-3.png" and top[0]["rank"] == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["idx"]  # no temporary folders left


@pytest.fixture
def pgvector_engine() -> Iterator[Any]:
    """The configured test PostgreSQL if it has pgvector, else a throwaway pgserver (PostgreSQL 16 + pgvector)."""
    from sqlalchemy import create_engine

    from medfoundry.imaging.pgvector_index import pgvector_problem

    url = os.environ.get("MEDFOUNDRY_TEST_POSTGRES_URL")
    if url and pgvector_problem(engine := create_engine(url)) is None:
        yield engine
        engine.dispose()
        return
    try:
        import pgserver
    except ImportError:
        pytest.skip("pgvector: no PostgreSQL with the vector extension (Debian bookworm's PostgreSQL 15 has "
                    "no pgvector package) and PyPI pgserver is not installed")  # fmt: skip
    # Not under tmp_path: as root, pgserver runs PostgreSQL as its own user, who cannot enter
    # pytest's 0700 base folder; and the socket path must stay short.
    folder = tempfile.mkdtemp(prefix="mf-pgvector-")
    server = pgserver.get_server(folder, cleanup_mode="stop")
    engine = create_engine(server.get_uri().replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        yield engine
    finally:
        engine.dispose()
        server.cleanup()
        shutil.rmtree(folder, ignore_errors=True)


def test_pgvector_backend_is_exact(pgvector_engine: Any) -> None:
    from sqlalchemy import text

    from medfoundry.imaging.pgvector_index import PgVectorIndex

    table = f"test_vectors_{os.getpid()}"
    index = PgVectorIndex(pgvector_engine, table, 8)
    try:
        matrix, queries = unit_rows(300, 8, 7), unit_rows(5, 8, 8)
        index.add(matrix[:100])
        index.add(matrix[100:])
        assert len(index) == 300
        hits = index.search(queries, 5)
        assert np.array_equal(hits.rows, brute_force(matrix, queries, 5))
        assert np.allclose(hits.scores, np.take_along_axis(queries @ matrix.T, hits.rows, axis=1), atol=1e-5)
    finally:
        with pgvector_engine.begin() as conn:
            conn.execute(text(f"DROP TABLE IF EXISTS {table}"))


def test_pgvector_is_refused_with_the_reason_on_sqlite(tmp_path: Path) -> None:
    from sqlalchemy import create_engine

    from medfoundry.errors import StoreError
    from medfoundry.imaging.pgvector_index import PgVectorIndex

    with pytest.raises(StoreError, match="not PostgreSQL"):
        PgVectorIndex(create_engine(f"sqlite:///{tmp_path / 'x.db'}"), "vectors", 8)


def test_an_index_folder_searched_through_pgvector_matches_exact(
    pgvector_engine: Any, tmp_path: Path
) -> None:
    from sqlalchemy import text

    rows = unit_rows(120, 8, 9)
    write_index(tmp_path / "idx", rows, [{"id": f"i{i}"} for i in range(120)], {"dim": 8})
    stored = read_index(tmp_path / "idx", backend="pgvector", store=pgvector_engine)
    again = read_index(tmp_path / "idx", backend="pgvector", store=pgvector_engine)  # the table is reused
    assert len(again.index) == 120
    exact = read_index(tmp_path / "idx", backend="exact")
    ids = [[hit["id"] for hit in hits] for hits in stored.search(rows[:3], 4)]
    assert ids == [[hit["id"] for hit in hits] for hits in exact.search(rows[:3], 4)]
    with pgvector_engine.begin() as conn:
        conn.execute(text(f"DROP TABLE IF EXISTS {stored.index.table}"))  # type: ignore[attr-defined]


def test_the_pgvector_cli_backend_on_sqlite_says_why_not(store: Any, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from medfoundry.cli.main import app

    write_index(
        tmp_path / "idx",
        unit_rows(5, 8, 1),
        [{"id": str(i)} for i in range(5)],
        {"dim": 8, "model_location": "x"},
    )
    result = CliRunner().invoke(
        app, ["images", "search", "-i", str(tmp_path / "idx"), "--text", "x", "--backend", "pgvector"]
    )
    assert "not PostgreSQL" in str(result.exception)
