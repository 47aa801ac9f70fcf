"""A tiny random-weight CLIP built once per session, and generated image families."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

PYDICOM_FILES = Path(__import__("pydicom").__file__).parent / "data" / "test_files"


@pytest.fixture(scope="session")
def tiny_clip_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from medfoundry.imaging.models import build_tiny_clip

    return build_tiny_clip(tmp_path_factory.mktemp("tiny-clip") / "model")


@pytest.fixture(scope="session")
def tiny_clip(tiny_clip_dir: Path):  # type: ignore[no-untyped-def]
    from medfoundry.imaging.models import load_image_text_model

    return load_image_text_model(str(tiny_clip_dir))


def gray_scans(n: int, seed: int) -> list:  # type: ignore[type-arg]
    """Smooth grayscale 'scans': a bright blob on a dark field, position and size varying."""
    from PIL import Image

    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:48, 0:48]
    images = []
    for _ in range(n):
        cy, cx, r = rng.uniform(16, 32), rng.uniform(16, 32), rng.uniform(8, 14)
        field = 200 * np.exp(-((y - cy) ** 2 + (x - cx) ** 2) / (2 * r * r)) + rng.normal(20, 6, (48, 48))
        images.append(Image.fromarray(np.clip(field, 0, 255).astype(np.uint8)).convert("RGB"))
    return images


def colour_noise(n: int, seed: int) -> list:  # type: ignore[type-arg]
    """A different family: saturated colour stripes with noise (e.g. a photo where a scan is expected)."""
    from PIL import Image

    rng = np.random.default_rng(seed)
    images = []
    for _ in range(n):
        stripes = np.zeros((48, 48, 3))
        period = rng.integers(4, 12)
        stripes[:, :, rng.integers(0, 3)] = 255 * ((np.arange(48) // period) % 2)[None, :]
        stripes += rng.normal(0, 40, (48, 48, 3))
        images.append(Image.fromarray(np.clip(stripes, 0, 255).astype(np.uint8)))
    return images
