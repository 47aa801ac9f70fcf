"""Exact top-k embedding search: medfoundry's ``ExactIndex`` vs a naive per-query numpy loop and faiss.

100,000 clustered unit vectors of 512 dimensions (float32, like BiomedCLIP embeddings),
top-10 by inner product, in one process on the same data:

- ``naive loop``: per query ``X @ q`` then a full ``argsort`` (the baseline);
- ``medfoundry exact``: ``ExactIndex.search`` on all queries (blocked matrix products + argpartition),
  and the same one query at a time (interactive latency);
- ``faiss IndexFlatIP`` (exact) and, with ``--hnsw``, ``IndexHNSWFlat`` (approximate), when faiss is installed.

Every exact method's results are checked against the baseline (recall@10 must be 1.0).

    python benchmarks/image_search.py [--n 100000] [--dim 512] [--queries 200] [--hnsw] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from medfoundry.imaging.vector_index import ExactIndex, FaissIndex, faiss_available


def clustered_unit_vectors(n: int, dim: int, seed: int, clusters: int = 64) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(clusters, dim)).astype(np.float32)
    rows = centres[rng.integers(0, clusters, n)] + 0.25 * rng.normal(size=(n, dim)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def naive(matrix: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    return np.stack([np.argsort(-(matrix @ q))[:k] for q in queries])


def timed(run: Callable[[], np.ndarray], repeats: int) -> tuple[float, np.ndarray]:
    best, result = float("inf"), np.empty(0)
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def recall(found: np.ndarray, truth: np.ndarray) -> float:
    return float(np.mean([len(set(a) & set(b)) / len(b) for a, b in zip(found, truth, strict=True)]))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--dim", type=int, default=512)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("-k", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--hnsw", action="store_true", help="Also build faiss HNSW (about 15 s for 100k).")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    matrix = clustered_unit_vectors(args.n, args.dim, seed=0)
    queries = clustered_unit_vectors(args.queries, args.dim, seed=1)
    rows: list[dict[str, Any]] = []

    seconds, truth = timed(lambda: naive(matrix, queries, args.k), 1)
    rows.append(
        {"method": "naive loop (baseline)", "ms_per_query": 1000 * seconds / len(queries), "recall@10": 1.0}
    )

    exact = ExactIndex(args.dim)
    exact.add(matrix)
    seconds, found = timed(lambda: exact.search(queries, args.k).rows, args.repeats)
    rows.append({"method": "medfoundry exact (batch)", "ms_per_query": 1000 * seconds / len(queries),
                 "recall@10": recall(found, truth)})  # fmt: skip
    single = queries[:50]
    seconds, found = timed(
        lambda: np.concatenate([exact.search(q, args.k).rows for q in single]), args.repeats
    )
    rows.append({"method": "medfoundry exact (one query at a time)", "ms_per_query": 1000 * seconds / len(single),
                 "recall@10": recall(found, truth[:50])})  # fmt: skip

    if faiss_available():
        flat = FaissIndex(args.dim)
        flat.add(matrix)
        seconds, found = timed(lambda: flat.search(queries, args.k).rows, args.repeats)
        rows.append({"method": "faiss IndexFlatIP (batch)", "ms_per_query": 1000 * seconds / len(queries),
                     "recall@10": recall(found, truth)})  # fmt: skip
        if args.hnsw:
            hnsw = FaissIndex(args.dim, hnsw=True)
            start = time.perf_counter()
            hnsw.add(matrix)
            build = time.perf_counter() - start
            seconds, found = timed(lambda: hnsw.search(queries, args.k).rows, args.repeats)
            rows.append({"method": f"faiss HNSW M=32 efC=80 efS=64 (build {build:.1f} s)",
                         "ms_per_query": 1000 * seconds / len(queries), "recall@10": recall(found, truth)})  # fmt: skip

    baseline = rows[0]["ms_per_query"]
    for row in rows:
        row["ms_per_query"] = round(row["ms_per_query"], 3)
        row["speedup_vs_baseline"] = round(baseline / row["ms_per_query"], 1)
    document = {
        "n": args.n, "dim": args.dim, "queries": args.queries, "k": args.k,
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, numpy {np.__version__}",
        "results": rows,
    }  # fmt: skip
    if args.json:
        print(json.dumps(document, indent=2))
        return
    print(
        f"{args.n:,} x {args.dim} float32 unit vectors, top-{args.k}, {args.queries} queries; {document['machine']}"
    )
    for row in rows:
        print(f"  {row['method']:<55} {row['ms_per_query']:>9.3f} ms/query  recall@10 {row['recall@10']:.3f}"
              f"  {row['speedup_vs_baseline']:>6.1f}x baseline")  # fmt: skip


if __name__ == "__main__":
    main()
