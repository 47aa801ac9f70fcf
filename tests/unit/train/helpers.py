"""Generated chat data for training tests: a learnable copy task, no PHI."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

WORDS = (
    "patient presents with chest pain fever cough nausea history of hypertension diabetes asthma "
    "medication dose daily tablet blood pressure heart rate glucose assessment plan follow up"
).split()


def conversations(n: int, seed: int = 0, *, system: bool = True) -> list[list[dict[str, str]]]:
    """User gives a note; the assistant answers with its first three words (learnable)."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        note = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 40)))
        messages = [{"role": "system", "content": "Summarize the note."}] if system else []
        messages += [
            {"role": "user", "content": note},
            {"role": "assistant", "content": " ".join(note.split()[:3])},
        ]
        out.append(messages)
    return out


def write_chat_jsonl(
    path: Path, n: int = 48, seed: int = 0, extra: list[dict[str, Any]] | None = None
) -> Path:
    rows = [{"messages": m} for m in conversations(n, seed)] + (extra or [])
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return path


def spec_yaml(path: Path, model_dir: Path, data: Path | str, **fields: Any) -> Path:
    values: dict[str, Any] = {
        "base_model": str(model_dir),
        "dataset": str(data),
        "method": "lora",
        "lora_r": 8,
        "lora_alpha": 16,
        "lora_dropout": 0.1,
        "learning_rate": 3e-3,
        "lr_schedule": "linear",
        "max_steps": 12,
        "batch_size": 2,
        "max_seq_length": 128,
        "precision": "fp32",
        "checkpoint_interval": 4,
        "seed": 3,
        **fields,
    }
    import yaml

    path.write_text(yaml.safe_dump(values))
    return path
