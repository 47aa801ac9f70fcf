"""Which base model the demo fine-tunes: the user's, a small real one, or the tiny stand-in.

Order: ``--base-model``; else (unless ``--offline``) the first small instruct model of
the catalog that is already in the local Hugging Face cache; else the first one when the
hub answers within a few seconds (downloaded with a progress bar, its size said first);
else the tiny random-weight stand-in, with one line saying why.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from typing import Literal

# Apache-2.0 instruct models small enough to fine-tune on a laptop CPU, smallest first.
DEMO_CANDIDATES = (
    "HuggingFaceTB/SmolLM2-135M-Instruct",
    "HuggingFaceTB/SmolLM2-360M-Instruct",
    "Qwen/Qwen2.5-0.5B-Instruct",
)
# What loading a causal LM and its tokenizer needs; other files (ONNX, GGUF, pickles) are skipped.
MODEL_FILES = ("*.json", "*.safetensors", "*.txt", "*.model", "*.jinja")
HUB_TIMEOUT_S = 5.0

Source = Literal["given", "cache", "hub", "stand-in"]


@dataclass(frozen=True)
class BaseChoice:
    """The demo's base model and why it was picked."""

    model: str | None  # a hub id or directory; None means the tiny stand-in
    source: Source
    reason: str
    download_bytes: int | None = None

    @property
    def real(self) -> bool:
        return self.source != "stand-in"


def hub_cache_dir() -> Path:
    """The Hugging Face hub cache, read from the environment now (as huggingface_hub does at import)."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"])
    hf_home = os.environ.get("HF_HOME") or str(Path(os.environ.get("XDG_CACHE_HOME", "~/.cache")) / "huggingface")
    return Path(hf_home).expanduser() / "hub"


def cached_snapshot(repo_id: str, cache_dir: Path) -> Path | None:
    """The cached snapshot of ``repo_id`` at ``main`` when it holds a config and safetensors weights."""
    repo = cache_dir / f"models--{repo_id.replace('/', '--')}"
    try:
        revision = (repo / "refs" / "main").read_text().strip()
    except OSError:
        return None
    snapshot = repo / "snapshots" / revision
    if (snapshot / "config.json").is_file() and any(snapshot.glob("*.safetensors")):
        return snapshot
    return None


def _hub_offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes", "on")


def hub_download_size(repo_id: str, timeout: float) -> int:
    """Bytes the demo would download for ``repo_id``; raises when the hub does not answer in time."""
    from huggingface_hub import HfApi

    info = HfApi().model_info(repo_id, files_metadata=True, timeout=timeout)
    return sum(
        sibling.size or 0
        for sibling in info.siblings or []
        if any(fnmatch(sibling.rfilename, pattern) for pattern in MODEL_FILES)
    )


def choose_base_model(
    requested: str | None,
    *,
    offline: bool,
    candidates: Sequence[str] = DEMO_CANDIDATES,
    cache_dir: Path | None = None,
    probe: Callable[[str, float], int] = hub_download_size,
    timeout: float = HUB_TIMEOUT_S,
) -> BaseChoice:
    """Pick the demo's base model; never raises for a missing or slow hub (the stand-in is the fallback)."""
    if requested:
        return BaseChoice(requested, "given", "--base-model")
    if offline:
        return BaseChoice(None, "stand-in", "--offline was given")
    cache = cache_dir or hub_cache_dir()
    for repo_id in candidates:
        if cached_snapshot(repo_id, cache) is not None:
            return BaseChoice(repo_id, "cache", f"found in the local Hugging Face cache ({cache})")
    if _hub_offline():
        return BaseChoice(None, "stand-in", f"HF_HUB_OFFLINE is set and none of {', '.join(candidates)} is cached")
    first = candidates[0]
    try:
        size = probe(first, timeout)
    except Exception as exc:  # any failure to reach the hub means: use the stand-in
        why = type(exc).__name__
        return BaseChoice(
            None, "stand-in", f"the Hugging Face hub did not answer within {timeout:g} s ({why})"
        )
    return BaseChoice(first, "hub", "the Hugging Face hub answered", download_bytes=size)


def download_base_model(choice: BaseChoice) -> Path:
    """Fetch the chosen hub model's files into the cache (huggingface_hub draws the progress bars)."""
    from huggingface_hub import snapshot_download

    assert choice.model is not None
    return Path(snapshot_download(choice.model, allow_patterns=list(MODEL_FILES)))


def human_size(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB"):
        if size < 1000:
            return f"{size:.0f} {unit}"
        size /= 1000
    return f"{size:.1f} GB"
