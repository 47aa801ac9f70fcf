"""``models merge``: fold a LoRA adapter into its base and register the merged model."""

from __future__ import annotations

import logging
from pathlib import Path

from medfoundry.catalog.loading import load_model
from medfoundry.catalog.resolve import register_model, resolve_model
from medfoundry.errors import InputError
from medfoundry.store.database import Store
from medfoundry.store.models import Model

logger = logging.getLogger(__name__)


def merge_adapter(
    store: Store, ref: str, *, out_dir: Path | None = None, name: str | None = None, dtype: str = "float32"
) -> Model:
    """Write base + adapter as one model directory and register it (parent: the adapter)."""
    adapter = resolve_model(store, ref, register=False)
    if not adapter.meta.get("adapter"):
        raise InputError(
            f"model {adapter.id} ('{adapter.name}') is not a LoRA adapter; there is nothing to merge",
            hint="merge a model trained with method: lora or qlora",
        )
    loaded = load_model(store, adapter, dtype=dtype)
    merged = loaded.model.merge_and_unload()
    target = out_dir or store.settings.resolved_home / "models" / f"{adapter.id}-merged"
    if target.exists() and any(target.iterdir()):
        raise InputError(f"{target} already exists and is not empty", hint="pass --out to an empty directory")
    target.mkdir(parents=True, exist_ok=True)
    merged.save_pretrained(target, safe_serialization=True)
    loaded.tokenizer.save_pretrained(target)
    artifact = store.put_artifact(
        target / "model.safetensors", kind="model-weights", name="model.safetensors", meta={"merged_from": adapter.id}
    ) if (target / "model.safetensors").exists() else None  # fmt: skip
    parents = [(adapter.id, "merged-from")] + ([(artifact.id, "artifact")] if artifact else [])
    model = register_model(
        store,
        str(target),
        name=name or f"{adapter.name}-merged",
        source="trained",
        parent_id=adapter.id,
        meta={
            "adapter": False,
            "merged_from": adapter.id,
            "base_model": loaded.base_location,
            "dtype": dtype,
        },
        parents=parents,
    )
    store.audit.append(
        "model.merge", "model", model.id, {"adapter": adapter.id, "base": loaded.base_location}
    )
    return model
