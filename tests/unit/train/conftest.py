"""Training tests run single-threaded: tiny matrices gain nothing from threads on a shared machine."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True, scope="session")
def _one_thread() -> None:
    import torch

    torch.set_num_threads(1)
