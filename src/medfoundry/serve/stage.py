"""The deploy stage in the common shape: ``run(store, DeployConfig, on_event) -> DeploymentInfo``.

Gate-checked like ``medfoundry deploy`` (``serve.deployments.deploy``); ``policy`` is a
guardrail policy file or a shipped name (``patient-facing``), none for the built-in default.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from medfoundry.guardrails.policy import load_policy
from medfoundry.serve.deployments import DeploymentInfo, deploy
from medfoundry.stage import OnEvent, emit
from medfoundry.store.database import Store


class DeployConfig(BaseModel):
    """What ``deploy`` and the pipeline's deploy stage ask for."""

    model_config = ConfigDict(frozen=True)

    model: str = Field(description="A catalog id, an mdl_ id or a model directory.")
    name: str | None = Field(None, description="Deployment name: what clients pass as 'model'.")
    policy: str | None = Field(None, description="Guardrail policy YAML or shipped name; None: the default.")
    force: bool = Field(False, description="Deploy although the latest evaluation did not pass.")
    reason: str | None = Field(None, description="Why the gate is overridden (with force).")


def run(store: Store, config: DeployConfig, on_event: OnEvent | None = None) -> DeploymentInfo:
    """Deploy the model if its latest evaluation passed its gates (or ``force`` with a reason)."""
    policy = load_policy(config.policy) if config.policy else None
    row = deploy(
        store, config.model, name=config.name, policy=policy, force=config.force, reason=config.reason
    )
    emit(on_event, "deploy", 1, 1, "deployments")
    return DeploymentInfo.of(row)
