"""Building blocks for serving tests: a passed evaluation, deployments, LoRA adapters, apps."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from medfoundry.catalog.resolve import register_model, resolve_model
from medfoundry.guardrails.policy import Policy, load_policy
from medfoundry.ids import new_id
from medfoundry.serve.deployments import deploy
from medfoundry.serve.keys import create_key
from medfoundry.shipped import shipped_dir
from medfoundry.store.database import Store
from medfoundry.store.models import Evaluation, Model

REPO = Path(__file__).resolve().parents[3]
POLICIES = shipped_dir("guardrails")


def add_evaluation(store: Store, model_id: str, *, passed: bool | None) -> Evaluation:
    row = Evaluation(
        id=new_id("evaluation"),
        model_id=model_id,
        suite="test-suite",
        passed=passed,
        scorecard={},
        code_version="test",
    )
    with store.session() as session:
        session.add(row)
    return row


def passed_model(store: Store, model_dir: Path) -> Model:
    model = resolve_model(store, str(model_dir))
    add_evaluation(store, model.id, passed=True)
    return model


def make_adapter(base_dir: Path, out_dir: Path, *, seed: int) -> Path:
    """A random LoRA adapter on the tiny base (non-zero B so it changes the output)."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    torch.manual_seed(seed)
    base = AutoModelForCausalLM.from_pretrained(base_dir)
    peft_model = get_peft_model(base, LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"]))
    with torch.no_grad():
        for name, param in peft_model.named_parameters():
            if "lora_B" in name:
                param.normal_(0, 0.5)
    peft_model.save_pretrained(out_dir)
    return out_dir


def register_adapter(store: Store, adapter_dir: Path, base: Model) -> Model:
    model = register_model(store, str(adapter_dir), source="trained", parent_id=base.id)
    add_evaluation(store, model.id, passed=True)
    return model


def deploy_tiny(store: Store, model_dir: Path, name: str = "tiny", policy: str | Policy | None = None) -> Any:
    model = passed_model(store, model_dir)
    loaded = load_policy(POLICIES / f"{policy}.yaml") if isinstance(policy, str) else policy
    return deploy(store, model.id, name=name, policy=loaded)


def new_key(store: Store, **kwargs: Any) -> str:
    return create_key(store, **kwargs)[1]
