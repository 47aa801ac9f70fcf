"""Checkpoints: trainable weights, optimizer, scheduler, RNG and data position.

Each checkpoint is written to a temporary directory and renamed into place, so a
``kill -9`` during a save leaves the previous checkpoint intact and no half-written
one behind. Resuming restores everything, so the run continues bit-for-bit on CPU.
"""

from __future__ import annotations

import logging
import os
import random
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import torch

logger = logging.getLogger(__name__)

PREFIX = "step-"


@dataclass
class Progress:
    """Where the run is: the next optimizer step to take and what it has seen so far."""

    step: int = 0
    epoch: int = 0
    tokens: int = 0
    best_eval_loss: float | None = None
    evals_without_improvement: int = 0
    history: list[dict[str, float]] = field(default_factory=list)
    eval_history: list[dict[str, float]] = field(default_factory=list)


def rng_state() -> dict[str, Any]:
    state: dict[str, Any] = {"python": random.getstate(), "torch": torch.get_rng_state()}
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    try:
        import numpy

        state["numpy"] = numpy.random.get_state()
    except ImportError:
        pass
    return state


def restore_rng(state: dict[str, Any]) -> None:
    random.setstate(state["python"])
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])
    if "numpy" in state:
        import numpy

        numpy.random.set_state(state["numpy"])


def save(
    directory: Path,
    *,
    model: Any,
    optimizer: torch.optim.Optimizer,
    scheduler: Any,
    progress: Progress,
    keep: int,
) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    final = directory / f"{PREFIX}{progress.step:08d}"
    tmp = directory / f".tmp-{PREFIX}{progress.step:08d}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    trainable = {n: p.detach().cpu() for n, p in model.named_parameters() if p.requires_grad}
    torch.save(trainable, tmp / "trainable.pt")
    torch.save(
        {
            "optimizer": optimizer.state_dict(),
            "scheduler": scheduler.state_dict(),
            "rng": rng_state(),
            "progress": asdict(progress),
        },
        tmp / "state.pt",
    )
    shutil.rmtree(final, ignore_errors=True)
    os.replace(tmp, final)
    for old in checkpoints(directory)[:-keep]:
        shutil.rmtree(old, ignore_errors=True)
    return final


def checkpoints(directory: Path) -> list[Path]:
    if not directory.exists():
        return []
    return sorted(p for p in directory.iterdir() if p.is_dir() and p.name.startswith(PREFIX))


def latest(directory: Path) -> Path | None:
    found = checkpoints(directory)
    return found[-1] if found else None


def load(path: Path, *, model: Any, optimizer: torch.optim.Optimizer, scheduler: Any) -> Progress:
    trainable = torch.load(path / "trainable.pt", map_location="cpu", weights_only=True)
    params = dict(model.named_parameters())
    with torch.no_grad():
        for name, value in trainable.items():
            params[name].copy_(value)
    state = torch.load(path / "state.pt", map_location="cpu", weights_only=False)
    optimizer.load_state_dict(state["optimizer"])
    scheduler.load_state_dict(state["scheduler"])
    restore_rng(state["rng"])
    return Progress(**state["progress"])


def resume(directory: Path, *, model: Any, optimizer: torch.optim.Optimizer, scheduler: Any) -> Progress:
    """The latest checkpoint in ``directory`` loaded into the objects, or a fresh start."""
    found = latest(directory)
    if found is None:
        return Progress()
    progress = load(found, model=model, optimizer=optimizer, scheduler=scheduler)
    logger.info("resumed from %s at step %d", found.name, progress.step)
    return progress
