"""Loading a registered model (base, PEFT adapter or merged) with its tokenizer."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medfoundry.errors import DependencyMissing, InputError
from medfoundry.store.database import Store
from medfoundry.store.models import Model

logger = logging.getLogger(__name__)


@dataclass
class LoadedModel:
    model: Any  # a transformers PreTrainedModel or a peft PeftModel
    tokenizer: Any
    base_location: str
    adapter_location: str | None
    dtype: str


def _torch_dtype(name: str) -> Any:
    import torch

    if name == "auto":
        return "auto"
    try:
        return {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}[name]
    except KeyError:
        raise InputError(f"unknown dtype '{name}'; use auto, float32, bfloat16 or float16") from None


def base_location_of(store: Store, model: Model) -> str:
    """Where the base weights of ``model`` live (itself unless it is an adapter)."""
    if not model.meta.get("adapter"):
        return model.location
    if model.parent_id:
        from medfoundry.catalog.resolve import get_model

        return base_location_of(store, get_model(store, model.parent_id))
    base = model.meta.get("base_model")
    if not base:
        raise InputError(f"adapter {model.id} does not say which base model it belongs to")
    return str(base)


def load_model(store: Store, model: Model, *, dtype: str = "auto", device: str | None = None) -> LoadedModel:
    """Load weights and tokenizer; an adapter is applied on top of its base without merging."""
    try:
        from transformers import AutoModelForCausalLM, AutoTokenizer
    except ImportError as exc:
        raise DependencyMissing("transformers", extra="ml", feature="loading models") from exc
    base = base_location_of(store, model)
    adapter = model.location if model.meta.get("adapter") else None
    tokenizer_source = adapter if adapter and Path(adapter, "tokenizer_config.json").exists() else base
    tokenizer = AutoTokenizer.from_pretrained(tokenizer_source)
    weights: Any = AutoModelForCausalLM.from_pretrained(base, dtype=_torch_dtype(dtype))
    if adapter:
        try:
            from peft import PeftModel
        except ImportError as exc:
            raise DependencyMissing("peft", extra="ml", feature="loading LoRA adapters") from exc
        weights = PeftModel.from_pretrained(weights, adapter)
    if device:
        weights = weights.to(device)
    weights.eval()
    actual = str(next(weights.parameters()).dtype).replace("torch.", "")
    return LoadedModel(weights, tokenizer, base, adapter, actual)
