"""Registering models and resolving what a user names to a ``Model`` row.

A user may name a model by its id (``mdl_...``), its registered name, a local
directory, or a Hugging Face hub id. Training, evaluation and deployment all
resolve through ``resolve_model`` so they agree on what a name means.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from medfoundry.audit import lineage
from medfoundry.errors import InputError, NotFound
from medfoundry.ids import new_id
from medfoundry.store.database import Store
from medfoundry.store.models import Model
from medfoundry.version import code_version

MODEL_SOURCES = ("catalog", "hub", "local", "trained")


def looks_like_hub_id(ref: str) -> bool:
    parts = ref.split("/")
    return len(parts) == 2 and all(parts) and not ref.startswith((".", "/", "~"))


def local_model_facts(directory: Path) -> dict[str, Any]:
    """What a local model directory says about itself (config.json, adapter_config.json)."""
    facts: dict[str, Any] = {}
    config = directory / "config.json"
    adapter = directory / "adapter_config.json"
    if adapter.exists():
        adapter_config = json.loads(adapter.read_text())
        facts["adapter"] = True
        facts["base_model"] = adapter_config.get("base_model_name_or_path")
        facts["peft_type"] = adapter_config.get("peft_type")
    elif config.exists():
        model_config = json.loads(config.read_text())
        facts["architectures"] = model_config.get("architectures")
        facts["model_type"] = model_config.get("model_type")
    else:
        raise InputError(
            f"{directory} is not a model directory: it has neither config.json nor adapter_config.json",
            hint="point at a directory written by save_pretrained, or use a Hugging Face id like org/name",
        )
    return facts


def register_model(
    store: Store,
    location: str,
    *,
    name: str | None = None,
    source: str = "local",
    parent_id: str | None = None,
    revision: str | None = None,
    meta: dict[str, Any] | None = None,
    parents: list[tuple[str, str]] | None = None,
) -> Model:
    """Add a model to the store with lineage and an audit event."""
    if source not in MODEL_SOURCES:
        raise ValueError(f"unknown model source {source!r}")
    facts: dict[str, Any] = {}
    if source in ("local", "trained"):
        directory = Path(location).expanduser().resolve()
        facts = local_model_facts(directory)
        location = str(directory)
        name = name or directory.name
    model = Model(
        id=new_id("model"),
        name=name or location,
        source=source,
        location=location,
        revision=revision,
        parent_id=parent_id,
        meta={**facts, **(meta or {})},
        code_version=code_version(),
    )
    with store.session() as session:
        session.add(model)
    edges = list(parents or [])
    if parent_id:
        edges.insert(0, (parent_id, "base-model"))
    if source in ("local", "hub", "catalog"):
        edges.append((f"{source}:{location}", "loaded-from"))
    lineage.record(store, model.id, edges)
    store.audit.append("model.register", "model", model.id, {"name": model.name, "source": source})
    return model


def get_model(store: Store, model_id: str) -> Model:
    with store.sessions() as session:
        model = session.get(Model, model_id)
    if model is None:
        raise NotFound(f"no model with id {model_id}", hint="list models with 'medfoundry models list'")
    return model


def find_model(store: Store, ref: str) -> Model | None:
    """A registered model by id, name or location; None when nothing matches."""
    with store.sessions() as session:
        if ref.startswith("mdl_"):
            return session.get(Model, ref)
        query = select(Model).order_by(Model.created_at.desc())
        by_name = session.scalars(query.where(Model.name == ref).limit(1)).first()
        if by_name:
            return by_name
        location = str(Path(ref).expanduser().resolve()) if Path(ref).expanduser().exists() else ref
        return session.scalars(query.where(Model.location == location).limit(1)).first()


def resolve_model(store: Store, ref: str, *, register: bool = True) -> Model:
    """A model id, name, local directory or hub id → its ``Model`` row (registered on first use)."""
    found = find_model(store, ref)
    if found is not None:
        return found
    if ref.startswith("mdl_"):
        raise NotFound(f"no model with id {ref}", hint="list models with 'medfoundry models list'")
    if Path(ref).expanduser().is_dir():
        if not register:
            raise NotFound(f"model directory {ref} is not registered")
        return register_model(store, ref, source="local")
    if looks_like_hub_id(ref) and register:
        return register_catalog_or_hub(store, ref)
    raise NotFound(
        f"'{ref}' is not a registered model, a local model directory or a Hugging Face id",
        hint="see 'medfoundry models list', or pass a directory written by save_pretrained",
    )


def register_catalog_or_hub(store: Store, ref: str) -> Model:
    """A hub id: with the curated catalog's facts when it is a curated model."""
    from medfoundry.catalog.curated import catalog_entry

    entry = catalog_entry(ref)
    if entry is None:
        return register_model(store, ref, source="hub", name=ref)
    facts = entry.to_dict()
    facts.pop("id")
    return register_model(store, entry.id, source="catalog", name=entry.id, meta=facts)
