"""Drift between a reference window and a production window of embeddings.

Two tests, both on the embeddings alone (no labels needed):
- MMD² with an RBF kernel (bandwidth by the median heuristic on the pooled sample) and a
  permutation test for its p-value;
- two-sample Kolmogorov-Smirnov tests on the top principal components (random projections
  miss mixed-in shifts that PCA catches), Bonferroni-corrected. The components are fitted
  on both windows pooled: fitted on the reference alone, its trailing components have
  less variance there than in any new sample, and KS then reports drift where none is.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from medfoundry.errors import InputError


@dataclass(frozen=True)
class DriftReport:
    n_reference: int
    n_production: int
    mmd2: float
    mmd_p_value: float
    permutations: int
    ks_p_value: float  # Bonferroni-corrected minimum over components
    ks_statistics: list[float]
    components: int
    alpha: float
    drift: bool

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _sq_distances(x: np.ndarray) -> np.ndarray:
    norms = (x * x).sum(axis=1)
    return np.maximum(norms[:, None] + norms[None, :] - 2 * x @ x.T, 0.0)


def mmd_permutation_test(
    reference: np.ndarray, production: np.ndarray, *, permutations: int = 200, seed: int = 0
) -> tuple[float, float]:
    """(MMD², p-value) with the biased MMD² estimate; the kernel matrix is computed once."""
    pooled = np.concatenate([reference, production]).astype(np.float64)
    distances = _sq_distances(pooled)
    median = np.median(distances[np.triu_indices(len(pooled), 1)])
    kernel = np.exp(-distances / max(median, 1e-12))
    n = len(reference)

    def statistic(order: np.ndarray) -> float:
        a, b = order[:n], order[n:]
        return float(
            kernel[np.ix_(a, a)].mean() + kernel[np.ix_(b, b)].mean() - 2 * kernel[np.ix_(a, b)].mean()
        )

    rng = np.random.default_rng(seed)
    observed = statistic(np.arange(len(pooled)))
    exceed = sum(statistic(rng.permutation(len(pooled))) >= observed for _ in range(permutations))
    return observed, (exceed + 1) / (permutations + 1)


def ks_on_pca(
    reference: np.ndarray, production: np.ndarray, *, components: int = 32
) -> tuple[float, list[float]]:
    """(Bonferroni-corrected min p-value, KS statistics) on PCA components of the pooled windows."""
    from scipy.stats import ks_2samp

    pooled = np.concatenate([reference, production])
    mean = pooled.mean(axis=0)
    _, _, vt = np.linalg.svd(pooled - mean, full_matrices=False)
    basis = vt[: min(components, vt.shape[0])]
    ref, prod = (reference - mean) @ basis.T, (production - mean) @ basis.T
    results = [ks_2samp(ref[:, j], prod[:, j]) for j in range(basis.shape[0])]
    p_min = min(float(result.pvalue) for result in results)
    return min(1.0, p_min * len(results)), [round(float(result.statistic), 6) for result in results]


def drift_report(
    reference: np.ndarray,
    production: np.ndarray,
    *,
    permutations: int = 200,
    components: int = 32,
    alpha: float = 0.05,
    seed: int = 0,
    max_rows: int = 1000,
) -> DriftReport:
    """Both tests; ``drift`` when either p-value is below ``alpha`` (windows subsampled to ``max_rows``)."""
    reference, production = np.asarray(reference, np.float64), np.asarray(production, np.float64)
    if len(reference) < 5 or len(production) < 5:
        raise InputError(
            f"drift needs at least 5 embeddings per window (got {len(reference)} and {len(production)})"
        )
    if reference.shape[1] != production.shape[1]:
        raise InputError(
            f"the windows have {reference.shape[1]} and {production.shape[1]} dimensions: embed both with the same model"
        )
    rng = np.random.default_rng(seed)
    reference = reference[rng.permutation(len(reference))[:max_rows]]
    production = production[rng.permutation(len(production))[:max_rows]]
    mmd2, mmd_p = mmd_permutation_test(reference, production, permutations=permutations, seed=seed)
    ks_p, ks_stats = ks_on_pca(reference, production, components=components)
    return DriftReport(
        len(reference),
        len(production),
        round(mmd2, 8),
        mmd_p,
        permutations,
        ks_p,
        ks_stats,
        len(ks_stats),
        alpha,
        bool(mmd_p < alpha or ks_p < alpha),
    )


def drift_plot(reference: np.ndarray, production: np.ndarray, path: Any) -> None:
    """A PNG of both windows on the reference's first two principal components."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    mean = reference.mean(axis=0)
    _, _, vt = np.linalg.svd(reference - mean, full_matrices=False)
    figure, axis = plt.subplots(figsize=(5, 4), dpi=100)
    for rows, name in ((reference, "reference"), (production, "production")):
        projected = (rows - mean) @ vt[:2].T
        axis.scatter(projected[:, 0], projected[:, 1], s=6, alpha=0.5, label=f"{name} (n={len(rows)})")
    axis.set_xlabel("PC1 (reference)")
    axis.set_ylabel("PC2 (reference)")
    axis.legend()
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


def projection(
    reference: np.ndarray, production: np.ndarray, *, max_points: int = 400, seed: int = 0
) -> dict[str, Any]:
    """Both windows on the reference's first two principal components (subsampled), for a plot."""
    mean = reference.mean(axis=0)
    _, _, vt = np.linalg.svd(reference - mean, full_matrices=False)
    rng = np.random.default_rng(seed)
    out: dict[str, Any] = {}
    for name, rows in (("reference", reference), ("production", production)):
        chosen = rows[rng.permutation(len(rows))[:max_points]]
        out[name] = np.round((chosen - mean) @ vt[:2].T, 5).tolist()
    return out


def record_drift(
    store: Any, report: DriftReport, points: dict[str, Any], reference: str, production: str
) -> str:
    """Store the report and its plot points as an artifact (no images, no ids), with an audit event."""
    document = {
        "report": report.to_dict(),
        "points": points,
        "reference": reference,
        "production": production,
    }
    artifact = store.put_artifact(
        json.dumps(document).encode(),
        kind="drift-report",
        name=f"drift-{Path(reference).name}-vs-{Path(production).name}.json",
        meta={"drift": report.drift, "mmd_p_value": report.mmd_p_value, "ks_p_value": report.ks_p_value},
    )
    store.audit.append(
        "images.drift", "artifact", artifact.id,
        {"reference": reference, "production": production, "drift": report.drift,
         "mmd_p_value": report.mmd_p_value, "ks_p_value": report.ks_p_value},
    )  # fmt: skip
    return str(artifact.id)
