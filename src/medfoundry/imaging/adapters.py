"""Adapters: a logistic regression or a small MLP trained on frozen image embeddings.

Trained with scikit-learn; saved as plain arrays (``adapter.npz``, no pickle) plus
``adapter.json`` (labels, base model, metrics, gates) and an OOD detector fitted on the
training embeddings (``ood/``), whose threshold is applied to every prediction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from medfoundry.errors import InputError
from medfoundry.imaging.models import sigmoid, softmax
from medfoundry.imaging.ood import OODDetector

KINDS = ("logistic", "mlp")


@dataclass
class Adapter:
    kind: str
    labels: list[str]
    weights: list[np.ndarray]  # W0, b0, W1, b1, ... (hidden layers use ReLU)
    binary_single_output: bool
    meta: dict[str, Any] = field(default_factory=dict)
    ood: OODDetector | None = None

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        """(n, n_labels) class probabilities."""
        hidden = np.asarray(rows, dtype=np.float64)
        pairs = list(zip(self.weights[::2], self.weights[1::2], strict=True))
        for weight, bias in pairs[:-1]:
            hidden = np.maximum(hidden @ weight + bias, 0.0)
        logits = hidden @ pairs[-1][0] + pairs[-1][1]
        if self.binary_single_output:
            positive = sigmoid(logits[:, 0])
            return np.stack([1 - positive, positive], axis=1)
        return softmax(logits)

    def save(self, folder: Path) -> Path:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        np.savez(folder / "adapter.npz", **{f"w{i}": w for i, w in enumerate(self.weights)})  # type: ignore[arg-type]
        document = {
            "kind": self.kind,
            "labels": self.labels,
            "binary_single_output": self.binary_single_output,
            **self.meta,
        }
        (folder / "adapter.json").write_text(json.dumps(document, indent=2, default=str))
        if self.ood is not None:
            self.ood.save(folder / "ood")
        return folder

    @classmethod
    def load(cls, folder: Path) -> Adapter:
        folder = Path(folder)
        if not (folder / "adapter.json").exists():
            raise InputError(
                f"{folder} is not an adapter (no adapter.json)",
                hint="train one with 'medfoundry images adapter train'",
            )
        document = json.loads((folder / "adapter.json").read_text())
        with np.load(folder / "adapter.npz", allow_pickle=False) as data:
            weights = [data[f"w{i}"] for i in range(len(data.files))]
        meta = {k: v for k, v in document.items() if k not in ("kind", "labels", "binary_single_output")}
        ood = OODDetector.load(folder / "ood") if (folder / "ood" / "ood.json").exists() else None
        return cls(
            document["kind"],
            list(document["labels"]),
            weights,
            bool(document["binary_single_output"]),
            meta,
            ood,
        )


def train_adapter(
    rows: np.ndarray, labels: list[str], *, kind: str = "logistic", hidden: int = 64, seed: int = 0
) -> Adapter:
    """Fit on (embeddings, label strings); at least two classes are needed."""
    if kind not in KINDS:
        raise InputError(f"--kind: '{kind}' is not one of {', '.join(KINDS)}")
    classes = sorted(set(labels))
    if len(classes) < 2:
        raise InputError(
            f"an adapter needs at least 2 labels; the data has {len(classes)} ({', '.join(classes)})"
        )
    targets = np.array([classes.index(label) for label in labels])
    if kind == "logistic":
        from sklearn.linear_model import LogisticRegression

        fitted = LogisticRegression(max_iter=2000, random_state=seed).fit(rows, targets)
        weights = [fitted.coef_.T.astype(np.float64), fitted.intercept_.astype(np.float64)]
        single = fitted.coef_.shape[0] == 1
    else:
        from sklearn.neural_network import MLPClassifier

        mlp = MLPClassifier(hidden_layer_sizes=(hidden,), max_iter=500, random_state=seed).fit(rows, targets)
        weights = [w for pair in zip(mlp.coefs_, mlp.intercepts_, strict=True) for w in pair]
        single = mlp.out_activation_ == "logistic"
    return Adapter(kind, classes, weights, single)


def classification_metrics(
    probabilities: np.ndarray, truth: list[str], labels: list[str]
) -> dict[str, float]:
    """Accuracy and AUROC (binary, or macro one-vs-rest) of predicted probabilities."""
    from sklearn.metrics import roc_auc_score

    unknown = sorted(set(truth) - set(labels))
    if unknown:
        raise InputError(f"the evaluation data has labels the classifier does not know: {', '.join(unknown)}")
    targets = np.array([labels.index(label) for label in truth])
    metrics = {"accuracy": float((probabilities.argmax(axis=1) == targets).mean())}
    present = sorted(set(targets.tolist()))
    if len(present) < 2:
        return metrics  # AUROC is undefined with one class
    if len(labels) == 2:
        metrics["auroc"] = float(roc_auc_score(targets, probabilities[:, 1]))
    else:
        scores = probabilities[:, present] / np.maximum(
            probabilities[:, present].sum(axis=1, keepdims=True), 1e-12
        )
        metrics["auroc"] = float(roc_auc_score(targets, scores, multi_class="ovr", labels=present))
    return metrics


def stratified_split(labels: list[str], test_fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Row indices (train, test) with every label on both sides where it has ≥ 2 rows."""
    rng = np.random.default_rng(seed)
    train: list[int] = []
    test: list[int] = []
    for label in sorted(set(labels)):
        rows = rng.permutation([i for i, value in enumerate(labels) if value == label])
        cut = max(1, round(len(rows) * test_fraction)) if len(rows) >= 2 else 0
        test.extend(int(r) for r in rows[:cut])
        train.extend(int(r) for r in rows[cut:])
    return np.array(sorted(train), dtype=np.int64), np.array(sorted(test), dtype=np.int64)
