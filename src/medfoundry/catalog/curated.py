"""The curated catalog shipped with medfoundry (``models.yaml``), typed and searchable.

Memory estimates are computed, not quoted: weights plus what training keeps per
parameter (bf16 weights and fp32 AdamW state for full fine-tuning; frozen bf16
weights for LoRA; 4-bit weights for QLoRA), plus 20% for buffers. Activations come
on top and grow with batch size and sequence length.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from medfoundry.errors import ConfigError

Modality = Literal["text", "image", "image+text"]
Architecture = Literal[
    "causal-lm",
    "encoder",
    "token-classifier",
    "vision-language",
    "vision-encoder",
    "image-text-contrastive",
    "segmentation",
]
BYTES_PER_PARAMETER = {"full": 16.0, "lora": 2.0, "qlora": 0.55}
OVERHEAD = 1.2


class CatalogEntry(BaseModel):
    """One curated model. ``None`` means the model card does not say (or it was not checked)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(description="Hugging Face id.")
    family: str
    parameters: float | None
    license: str | None
    commercial_use: bool | None
    modality: Modality
    architecture: Architecture
    context_length: int | None
    recommended_method: Literal["lora", "qlora", "full"]
    tasks: list[str]
    notes: str | None = None
    availability: Literal["hub", "gated", "azure-only"] | None = Field(
        None, description="Where the weights come from: the hub, the hub after accepting terms, or Azure only."
    )

    @property
    def fine_tunable(self) -> bool:
        """Whether ``medfoundry train`` can fine-tune it (causal language models)."""
        return self.architecture == "causal-lm"

    def memory_estimate_gb(self) -> dict[str, float | None]:
        if self.parameters is None:
            return dict.fromkeys(BYTES_PER_PARAMETER)
        return {
            method: round(self.parameters * per * OVERHEAD / 1e9, 1)
            for method, per in BYTES_PER_PARAMETER.items()
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.model_dump(),
            "fine_tunable": self.fine_tunable,
            "memory_estimate_gb": self.memory_estimate_gb(),
        }


@lru_cache(maxsize=1)
def load_catalog() -> tuple[CatalogEntry, ...]:
    text = resources.files("medfoundry.catalog").joinpath("models.yaml").read_text(encoding="utf-8")
    rows = yaml.safe_load(text)["models"]
    entries, problems = [], []
    for index, row in enumerate(rows):
        try:
            entries.append(CatalogEntry.model_validate(row))
        except ValidationError as exc:
            problems += [f"models[{index}] ({row.get('id')}).{'.'.join(map(str, e['loc']))}: {e['msg']}"
                         for e in exc.errors()]  # fmt: skip
    if problems:
        raise ConfigError(problems, source="catalog/models.yaml")
    return tuple(entries)


def catalog_entry(model_id: str) -> CatalogEntry | None:
    lowered = model_id.lower()
    return next((entry for entry in load_catalog() if entry.id.lower() == lowered), None)


def parse_size(text: str) -> float:
    """``"8B"``, ``"135M"``, ``"7e9"`` → a parameter count."""
    cleaned = text.strip().upper()
    scale = {"K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}.get(cleaned[-1:], 1.0)
    number = cleaned[:-1] if scale != 1.0 else cleaned
    try:
        return float(number) * scale
    except ValueError:
        raise ConfigError(f"--max-params: '{text}' is not a size such as 8B, 500M or 7e9") from None


def search(
    query: str | None = None,
    *,
    task: str | None = None,
    modality: str | None = None,
    license: str | None = None,
    max_params: float | None = None,
    commercial: bool | None = None,
) -> list[CatalogEntry]:
    """Entries matching every given filter; ``query`` matches id, family, tasks and notes."""
    found = []
    for entry in load_catalog():
        haystack = " ".join([entry.id, entry.family, *entry.tasks, entry.notes or ""]).lower()
        if query and not all(word in haystack for word in query.lower().split()):
            continue
        if task and task.lower() not in entry.tasks:
            continue
        if modality and modality.lower() != entry.modality:
            continue
        if license and (entry.license or "").lower() != license.lower():
            continue
        if max_params is not None and (entry.parameters is None or entry.parameters > max_params):
            continue
        if commercial is not None and entry.commercial_use is not commercial:
            continue
        found.append(entry)
    return found
