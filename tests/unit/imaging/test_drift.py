from __future__ import annotations

import numpy as np
import pytest

from medfoundry.errors import InputError
from medfoundry.imaging.drift import drift_report


def clusters(n: int, seed: int, centres: np.ndarray) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return centres[rng.integers(0, len(centres), n)] + rng.normal(0, 0.3, (n, centres.shape[1]))


CENTRES = np.random.default_rng(0).normal(size=(5, 32))
OTHER = np.random.default_rng(1).normal(size=(5, 32))


def test_two_windows_of_one_distribution_show_no_drift() -> None:
    report = drift_report(clusters(200, 2, CENTRES), clusters(200, 3, CENTRES), permutations=100)
    assert report.mmd_p_value > 0.05 and report.ks_p_value > 0.05 and not report.drift


def test_a_thirty_percent_mix_of_other_images_is_drift() -> None:
    production = np.concatenate([clusters(140, 4, CENTRES), clusters(60, 5, OTHER)])
    report = drift_report(clusters(200, 6, CENTRES), production, permutations=100)
    assert report.mmd_p_value < 0.05 and report.ks_p_value < 0.05 and report.drift
    assert report.mmd_p_value >= 1 / 101  # a permutation p-value is never zero


def test_windows_must_share_a_dimension_and_have_enough_rows() -> None:
    with pytest.raises(InputError, match="dimensions"):
        drift_report(np.zeros((10, 4)), np.zeros((10, 5)))
    with pytest.raises(InputError, match="at least 5"):
        drift_report(np.zeros((3, 4)), np.zeros((10, 4)))
