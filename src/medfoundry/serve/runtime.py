"""What ``medfoundry serve`` runs: active deployments, their guardrails and one backend."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from medfoundry.catalog.loading import base_location_of
from medfoundry.catalog.resolve import get_model, resolve_model
from medfoundry.errors import NotFound
from medfoundry.guardrails.pipeline import GuardrailPipeline
from medfoundry.guardrails.policy import Policy, policy_from_dict
from medfoundry.imaging.models import is_image_text_model
from medfoundry.imaging.serving import load_served_image_models
from medfoundry.serve.backends import Backend, BackendConfig, ModelSpec, create_backend
from medfoundry.serve.deployments import list_deployments
from medfoundry.store.database import Store
from medfoundry.store.models import Deployment, Model

logger = logging.getLogger(__name__)


@dataclass
class ServedDeployment:
    id: str
    name: str
    model_id: str
    policy: Policy
    guardrails: GuardrailPipeline
    created: int


def model_spec(store: Store, name: str, model: Model) -> ModelSpec:
    """Split a model into its base and (for a LoRA adapter) the adapter on top."""
    if not model.meta.get("adapter"):
        return ModelSpec(name, model)
    base = (
        get_model(store, model.parent_id)
        if model.parent_id
        else resolve_model(store, base_location_of(store, model))
    )
    return ModelSpec(name, base, model)


class Runtime:
    """The deployments being served and the backend generating for them."""

    def __init__(
        self,
        store: Store,
        backend: Backend,
        deployments: dict[str, ServedDeployment],
        images: dict[str, Any] | None = None,
    ) -> None:
        self.store = store
        self.backend = backend
        self.deployments = deployments
        self.images = images or {}  # served name → imaging.serving.ServedImageModel

    @classmethod
    def from_store(
        cls,
        store: Store,
        *,
        backend: str = "transformers",
        config: BackendConfig | None = None,
        rows: list[Deployment] | None = None,
    ) -> Runtime:
        rows = list_deployments(store) if rows is None else rows
        served: dict[str, ServedDeployment] = {}
        specs = []
        image_models: dict[str, Model] = {}
        for row in rows:
            policy = policy_from_dict(row.policy or {}, source=f"deployment {row.name}")
            served[row.name] = ServedDeployment(
                row.id,
                row.name,
                row.model_id,
                policy,
                GuardrailPipeline(policy),
                int(row.created_at.timestamp()),
            )
            model = get_model(store, row.model_id)
            if is_image_text_model(model.meta):  # CLIP-style models embed; the text backend generates
                image_models[row.name] = model
                continue
            specs.append(model_spec(store, row.name, model))
        engine = create_backend(backend, config)
        engine.load(store, specs)
        logger.info("serving %d deployments with the %s backend", len(served), backend)
        images = load_served_image_models(image_models) if image_models else {}
        return cls(store, engine, served, images)

    def get(self, name: str) -> ServedDeployment:
        try:
            return self.deployments[name]
        except KeyError:
            raise NotFound(
                f"The model '{name}' does not exist: it is not an active deployment on this server",
                hint="GET /v1/models lists the deployments served here",
            ) from None

    def close(self) -> None:
        self.backend.close()
