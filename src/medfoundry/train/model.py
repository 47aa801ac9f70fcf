"""Loading the base model for a method (LoRA, QLoRA, full) and the loss it trains on.

The loss runs the decoder, then the output head only on positions that have a
target (completion tokens), so prompt and padding tokens cost no vocabulary-sized
logits: on a 49k-token vocabulary this is most of the memory a step needs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from medfoundry.errors import ConfigError, DependencyMissing
from medfoundry.train.data import IGNORE
from medfoundry.train.spec import TrainSpec

logger = logging.getLogger(__name__)


@dataclass
class Precision:
    name: str  # fp32 | bf16 | fp16
    weights: torch.dtype  # dtype the frozen base weights are stored in
    autocast: torch.dtype | None  # compute dtype under autocast, None for plain fp32


def pick_device(spec: TrainSpec) -> torch.device:
    if spec.device:
        return torch.device(spec.device)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def pick_precision(spec: TrainSpec, device: torch.device) -> Precision:
    wanted = spec.precision
    bf16_ok = device.type == "cuda" and torch.cuda.is_bf16_supported()
    if wanted == "auto":
        wanted = "bf16" if bf16_ok else "fp32"
    if wanted == "bf16" and device.type == "cuda" and not bf16_ok:
        raise ConfigError("precision: bf16 is not supported by this GPU; use fp16 or fp32")
    if wanted == "fp16" and device.type != "cuda":
        raise ConfigError("precision: fp16 training needs a CUDA GPU; use fp32 or bf16 on CPU")
    if wanted == "fp32":
        return Precision("fp32", torch.float32, None)
    dtype = torch.bfloat16 if wanted == "bf16" else torch.float16
    # LoRA/QLoRA keep the frozen base in the compute dtype; full fine-tuning keeps fp32 masters.
    weights = dtype if spec.method != "full" else torch.float32
    return Precision(wanted, weights, dtype)


def check_qlora_available(device: torch.device) -> None:
    if device.type != "cuda" or not torch.cuda.is_available():
        raise ConfigError(
            "method: qlora needs a CUDA GPU (4-bit weights via bitsandbytes) and this run has none",
            hint="use method: lora on this machine, or run on a machine with an NVIDIA GPU",
        )
    try:
        import bitsandbytes  # noqa: F401
    except ImportError as exc:
        raise DependencyMissing("bitsandbytes", extra="gpu", feature="QLoRA") from exc


def load_base(spec: TrainSpec, location: str, device: torch.device, precision: Precision) -> Any:
    from transformers import AutoModelForCausalLM

    kwargs: dict[str, Any] = {"dtype": precision.weights, "attn_implementation": spec.attn_implementation}
    if spec.method == "qlora":
        check_qlora_available(device)
        from transformers import BitsAndBytesConfig

        kwargs["quantization_config"] = BitsAndBytesConfig(
            load_in_4bit=True,
            bnb_4bit_quant_type="nf4",
            bnb_4bit_use_double_quant=True,
            bnb_4bit_compute_dtype=precision.autocast or torch.bfloat16,
        )
        kwargs["device_map"] = {"": device.index or 0}
    model: Any = AutoModelForCausalLM.from_pretrained(location, **kwargs)
    if spec.method != "qlora":
        model.to(device)
    model.config.use_cache = False
    return model


def apply_method(spec: TrainSpec, model: Any) -> Any:
    """Wrap for LoRA/QLoRA, or unfreeze everything for full fine-tuning."""
    if spec.gradient_checkpointing:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    if spec.method == "full":
        for parameter in model.parameters():
            parameter.requires_grad_(True)
        return model
    from peft import LoraConfig, get_peft_model, prepare_model_for_kbit_training

    if spec.method == "qlora":
        model = prepare_model_for_kbit_training(model, use_gradient_checkpointing=spec.gradient_checkpointing)
    elif spec.gradient_checkpointing:
        model.enable_input_require_grads()
    config = LoraConfig(
        r=spec.lora_r,
        lora_alpha=spec.lora_alpha,  # type: ignore[arg-type]  # peft accepts floats
        lora_dropout=spec.lora_dropout,
        target_modules=spec.lora_targets,
        task_type="CAUSAL_LM",
        bias="none",
    )
    try:
        return get_peft_model(model, config)
    except ValueError as exc:
        raise ConfigError(f"lora_targets: {exc}") from None


def unwrap(model: Any) -> Any:
    """The transformers model under PEFT (LoRA layers stay injected in it)."""
    return model.get_base_model() if hasattr(model, "get_base_model") else model


class CompletionLoss(nn.Module):
    """Sum of token cross-entropies over targeted positions, divided by ``num_targets``."""

    def __init__(self, model: Any) -> None:
        super().__init__()
        self.model = model

    def forward(
        self,
        input_ids: torch.Tensor,
        position_ids: torch.Tensor,
        labels: torch.Tensor,
        num_targets: torch.Tensor,
    ) -> torch.Tensor:
        base = unwrap(self.model)
        hidden = base.get_decoder()(
            input_ids=input_ids, position_ids=position_ids, attention_mask=None, use_cache=False
        ).last_hidden_state
        mask = labels != IGNORE
        logits = base.get_output_embeddings()(hidden[mask]).float()
        softcap = getattr(base.config, "final_logit_softcapping", None)
        if softcap:
            logits = torch.tanh(logits / softcap) * softcap
        loss = nn.functional.cross_entropy(logits, labels[mask], reduction="sum")
        return loss / num_targets


def trainable_state(model: Any) -> dict[str, torch.Tensor]:
    return {name: p.detach().clone() for name, p in model.named_parameters() if p.requires_grad}


def count_parameters(model: Any) -> tuple[int, int]:
    total = sum(p.numel() for p in model.parameters())
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    return trainable, total
