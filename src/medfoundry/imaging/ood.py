"""Out-of-distribution scores on embeddings, with a threshold fitted on held-out in-distribution data.

- ``mahalanobis``: squared Mahalanobis distance to the training mean under a Ledoit-Wolf
  shrunk covariance (per class, taking the nearest class, when labels are given).
- ``knn``: cosine distance to the k-th nearest training embedding.

Higher is more unusual. The threshold is a percentile (95th by default) of the scores
of held-out in-distribution embeddings, so about 5 % of normal inputs are flagged.
The detector is saved as ``ood.json`` + ``ood.npz`` in a folder (``medfoundry_ood`` inside
a model directory makes serving apply it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from medfoundry.errors import InputError
from medfoundry.imaging.vector_index import ExactIndex

METHODS = ("mahalanobis", "knn")


def _ledoit_wolf(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.covariance import LedoitWolf

    fitted = LedoitWolf().fit(rows)
    return fitted.location_.astype(np.float64), fitted.precision_.astype(np.float64)


@dataclass
class OODDetector:
    method: str
    arrays: dict[str, np.ndarray]
    threshold: float = float("inf")
    percentile: float = 95.0
    k: int = 10
    info: dict[str, Any] = field(default_factory=dict)
    _index: ExactIndex | None = field(default=None, repr=False, compare=False)

    @classmethod
    def fit(
        cls, train: np.ndarray, *, method: str = "mahalanobis", labels: np.ndarray | None = None, k: int = 10
    ) -> OODDetector:
        if method not in METHODS:
            raise InputError(f"--method: '{method}' is not one of {', '.join(METHODS)}")
        train = np.asarray(train, dtype=np.float32)
        if len(train) < 2:
            raise InputError("OOD fitting needs at least 2 in-distribution embeddings")
        if method == "knn":
            return cls(method, {"train": train}, k=min(k, len(train)), info={"n_train": len(train)})
        groups = [train] if labels is None else [train[labels == value] for value in np.unique(labels)]
        means, precisions = zip(*(_ledoit_wolf(group) for group in groups if len(group) >= 2), strict=True)
        return cls(
            method,
            {"means": np.stack(means), "precisions": np.stack(precisions)},
            info={"n_train": len(train), "classes": len(means)},
        )

    def score(self, rows: np.ndarray) -> np.ndarray:
        rows = np.atleast_2d(np.asarray(rows, dtype=np.float32))
        if self.method == "knn":
            if self._index is None:  # built once: serving scores every request against it
                self._index = ExactIndex(rows.shape[1])
                self._index.add(self.arrays["train"])
            hits = self._index.search(rows, self.k)
            return np.asarray(1.0 - hits.scores[:, self.k - 1], dtype=np.float64)
        best = np.full(len(rows), np.inf)
        for mean, precision in zip(self.arrays["means"], self.arrays["precisions"], strict=True):
            centred = rows.astype(np.float64) - mean
            best = np.minimum(best, np.einsum("ij,jk,ik->i", centred, precision, centred))
        return best

    def calibrate(self, holdout: np.ndarray, percentile: float = 95.0) -> OODDetector:
        """Set the threshold to a percentile of held-out in-distribution scores."""
        if not 0 < percentile < 100:
            raise InputError(f"--percentile: {percentile} must be between 0 and 100")
        self.percentile = percentile
        self.threshold = float(np.percentile(self.score(holdout), percentile))
        self.info["n_holdout"] = len(holdout)
        return self

    def flags(self, rows: np.ndarray) -> list[dict[str, Any]]:
        """Per row: score, threshold and ``out_of_distribution``."""
        return [
            {
                "score": round(float(s), 6),
                "threshold": round(self.threshold, 6),
                "out_of_distribution": bool(s > self.threshold),
            }
            for s in self.score(rows)
        ]

    def save(self, folder: Path) -> Path:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        np.savez(folder / "ood.npz", **self.arrays)  # type: ignore[arg-type]
        document = {
            "method": self.method,
            "threshold": self.threshold,
            "percentile": self.percentile,
            "k": self.k,
            **self.info,
        }
        (folder / "ood.json").write_text(json.dumps(document, indent=2))
        return folder

    @classmethod
    def load(cls, folder: Path) -> OODDetector:
        folder = Path(folder)
        if not (folder / "ood.json").exists():
            raise InputError(
                f"{folder} holds no OOD detector (ood.json)", hint="fit one with 'medfoundry images ood fit'"
            )
        document = json.loads((folder / "ood.json").read_text())
        with np.load(folder / "ood.npz", allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
        info = {
            key: value
            for key, value in document.items()
            if key not in ("method", "threshold", "percentile", "k")
        }
        return cls(
            document["method"],
            arrays,
            float(document["threshold"]),
            float(document["percentile"]),
            int(document["k"]),
            info,
        )


def auroc(in_scores: np.ndarray, out_scores: np.ndarray) -> float:
    """AUROC of separating out-of-distribution (positive) from in-distribution by score."""
    from sklearn.metrics import roc_auc_score

    labels = np.r_[np.zeros(len(in_scores)), np.ones(len(out_scores))]
    return float(roc_auc_score(labels, np.r_[in_scores, out_scores]))
