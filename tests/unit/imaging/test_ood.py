"""OOD on the tiny model's embeddings: grayscale 'scans' in distribution, colour stripes shifted."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from medfoundry.imaging.ood import OODDetector, auroc
from tests.unit.imaging.conftest import colour_noise, gray_scans


@pytest.fixture(scope="module")
def embeddings(tiny_clip) -> dict[str, np.ndarray]:
    return {
        "train": tiny_clip.embed_images(gray_scans(200, seed=10)),
        "holdout": tiny_clip.embed_images(gray_scans(60, seed=11)),
        "test_in": tiny_clip.embed_images(gray_scans(80, seed=12)),
        "test_out": tiny_clip.embed_images(colour_noise(80, seed=13)),
    }


@pytest.mark.parametrize("method", ["mahalanobis", "knn"])
def test_held_out_shifted_images_are_separated(embeddings: dict[str, np.ndarray], method: str) -> None:
    detector = OODDetector.fit(embeddings["train"], method=method).calibrate(embeddings["holdout"], 95)
    score = auroc(detector.score(embeddings["test_in"]), detector.score(embeddings["test_out"]))
    assert score >= 0.95
    flags_in = [f["out_of_distribution"] for f in detector.flags(embeddings["test_in"])]
    flags_out = [f["out_of_distribution"] for f in detector.flags(embeddings["test_out"])]
    assert np.mean(flags_in) <= 0.15  # about 5 % of normal inputs exceed the 95th percentile
    assert np.mean(flags_out) >= 0.8


def test_a_random_split_of_one_family_is_not_separable(embeddings: dict[str, np.ndarray]) -> None:
    detector = OODDetector.fit(embeddings["train"]).calibrate(embeddings["holdout"])
    score = auroc(detector.score(embeddings["test_in"][:40]), detector.score(embeddings["test_in"][40:]))
    assert 0.3 < score < 0.7


def test_detector_round_trips_with_its_threshold(embeddings: dict[str, np.ndarray], tmp_path: Path) -> None:
    labels = np.array([0, 1] * 100)
    detector = OODDetector.fit(embeddings["train"], labels=labels).calibrate(embeddings["holdout"], 90)
    loaded = OODDetector.load(detector.save(tmp_path / "ood"))
    assert loaded.threshold == detector.threshold and loaded.percentile == 90
    assert np.allclose(loaded.score(embeddings["test_out"]), detector.score(embeddings["test_out"]))
    assert loaded.info["classes"] == 2
