"""How long the demo will take, said before it starts.

Training and generation time scale with the parameter count from rates measured for a
SmolLM2-135M-shaped Llama on a 2-core x86 CPU in fp32 (docs/benchmarks.md, "Demo time"):
LoRA training at 193.3 tokens/s (2 threads, idle machine, ``benchmarks/train_throughput.py``),
generation at 3.06 ms per prompt token and 109 ms per decoding step of a 6-prompt batch
(1 thread, CPU time). The rest of the demo (synthetic data, ingest, de-identification,
model loading, deployment, evidence) was 18.4 s of CPU time with the stand-in: 30 s allows
for the larger model's loading. Token counts come from characters at 3.5 per token.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any

REFERENCE_PARAMS = 1.35e8
TRAIN_TOKENS_PER_S = 193.3  # at REFERENCE_PARAMS, 2 threads
PREFILL_S_PER_TOKEN = 3.06e-3  # at REFERENCE_PARAMS, 1 thread
DECODE_S_PER_STEP = 0.109  # one new token for every prompt of a small batch
FIXED_S = 30.0
MEASURED_THREADS = 2
CHARS_PER_TOKEN = 3.5
# A patient-summary example beyond its record excerpt: instructions, chat markup and the
# reference summary (measured mean 684 characters); the prompt alone adds 220.
EXAMPLE_EXTRA_CHARS = 684
PROMPT_EXTRA_CHARS = 220
BATCH_SIZE = 4
STAND_IN_PARAMS = 1.0e6
CHAT_TOKENS = 48


def parameter_count(model: str | None) -> float | None:
    """Parameters of a catalog model or a local safetensors directory; None when unknown."""
    if model is None:
        return STAND_IN_PARAMS
    from medfoundry.catalog.curated import catalog_entry

    entry = catalog_entry(model)
    if entry is not None and entry.parameters:
        return float(entry.parameters)
    directory = Path(model)
    files = sorted(directory.glob("*.safetensors")) if directory.is_dir() else []
    return float(sum(_safetensors_numel(f) for f in files)) if files else None


def _safetensors_numel(path: Path) -> int:
    """Elements in a safetensors file, from its JSON header (the weights are not read)."""
    with path.open("rb") as handle:
        (length,) = struct.unpack("<Q", handle.read(8))
        header: dict[str, Any] = json.loads(handle.read(length))
    total = 0
    for name, tensor in header.items():
        if name == "__metadata__":
            continue
        count = 1
        for dim in tensor["shape"]:
            count *= dim
        total += count
    return total


def estimate_seconds(params: float, budget: Any, *, threads: int, compared: bool) -> float:
    """Seconds the demo should take: fixed work, training tokens, and generation."""
    size = params / REFERENCE_PARAMS
    speed = max(threads, 1) / MEASURED_THREADS
    example_tokens = (budget.max_source_chars + EXAMPLE_EXTRA_CHARS) / CHARS_PER_TOKEN
    train_s = budget.train_steps * BATCH_SIZE * example_tokens / TRAIN_TOKENS_PER_S
    prompt_tokens = (budget.max_source_chars + PROMPT_EXTRA_CHARS) / CHARS_PER_TOKEN
    one_eval_s = budget.eval_limit * prompt_tokens * PREFILL_S_PER_TOKEN + budget.max_new_tokens * DECODE_S_PER_STEP
    runs = 2 if compared else 1  # the base model is scored too when the gates compare against it
    generate_s = runs * one_eval_s + CHAT_TOKENS * DECODE_S_PER_STEP
    return FIXED_S + size * (train_s / speed + generate_s)


def estimate_line(model: str | None, budget: Any) -> str:
    """One line for the user: about how long, and on what it is based."""
    params = parameter_count(model)
    if params is None:
        return "cannot estimate how long training takes (unknown model size)"
    try:
        import torch

        threads = torch.get_num_threads()
    except ImportError:
        threads = MEASURED_THREADS
    seconds = estimate_seconds(params, budget, threads=threads, compared=model is not None)
    minutes = max(1, round(seconds / 60))
    return (
        f"about {minutes} minute{'s' if minutes > 1 else ''} on this machine's CPU ({threads} threads, "
        f"{budget.train_steps} training steps, {params / 1e6:.0f}M parameters)"
    )
