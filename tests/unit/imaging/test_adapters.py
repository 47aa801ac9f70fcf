from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from medfoundry.errors import InputError
from medfoundry.imaging.adapters import Adapter, classification_metrics, stratified_split, train_adapter


def labelled(n: int, classes: int, seed: int) -> tuple[np.ndarray, list[str]]:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(classes, 16)) * 2
    targets = rng.integers(0, classes, n)
    return centres[targets] + rng.normal(size=(n, 16)), [f"class-{t}" for t in targets]


@pytest.mark.parametrize(("kind", "classes"), [("logistic", 2), ("logistic", 3), ("mlp", 2), ("mlp", 3)])
def test_numpy_forward_matches_scikit_learn_and_round_trips(kind: str, classes: int, tmp_path: Path) -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier

    rows, labels = labelled(300, classes, seed=classes)
    adapter = train_adapter(rows, labels, kind=kind, seed=0)
    targets = [adapter.labels.index(label) for label in labels]
    reference = (LogisticRegression(max_iter=2000, random_state=0) if kind == "logistic"
                 else MLPClassifier(hidden_layer_sizes=(64,), max_iter=500, random_state=0)).fit(rows, targets)  # fmt: skip
    assert np.allclose(adapter.probabilities(rows), reference.predict_proba(rows), atol=1e-6)
    loaded = Adapter.load(adapter.save(tmp_path / "adapter"))
    assert np.allclose(loaded.probabilities(rows), adapter.probabilities(rows))
    metrics = classification_metrics(loaded.probabilities(rows), labels, loaded.labels)
    assert metrics["auroc"] > 0.95 and metrics["accuracy"] > 0.9


def test_auroc_of_a_useless_classifier_is_one_half() -> None:
    probabilities = np.full((4, 2), 0.5)
    assert classification_metrics(probabilities, ["a", "b", "a", "b"], ["a", "b"])["auroc"] == 0.5


def test_one_label_or_unknown_labels_are_explained() -> None:
    with pytest.raises(InputError, match="at least 2 labels"):
        train_adapter(np.zeros((4, 2)), ["a"] * 4)
    with pytest.raises(InputError, match="does not know"):
        classification_metrics(np.full((1, 2), 0.5), ["z"], ["a", "b"])


def test_stratified_split_keeps_every_label_on_both_sides() -> None:
    labels = ["a"] * 10 + ["b"] * 4
    train, test = stratified_split(labels, 0.25, seed=0)
    assert not set(train) & set(test) and len(train) + len(test) == 14
    assert {labels[i] for i in test} == {"a", "b"} and {labels[i] for i in train} == {"a", "b"}
