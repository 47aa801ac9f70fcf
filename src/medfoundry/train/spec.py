"""The training spec: typed, loadable from YAML, every field overridable from the CLI.

An invalid spec reports every problem at once, each naming its field, through
``ConfigError``. ``spec_hash`` is what lineage records: the same spec, the same hash.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from medfoundry.errors import ConfigError
from medfoundry.shipped import resolve_config

Method = Literal["lora", "qlora", "full"]
Precision = Literal["auto", "fp32", "bf16", "fp16"]
Schedule = Literal["constant", "linear", "cosine", "constant_with_warmup"]


class TrainConfig(BaseModel):
    """What to train, on what, and how. Field descriptions become ``--help`` text."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    base_model: str = Field(
        description="Catalog id (mdl_...), registered name, Hugging Face id or local directory."
    )
    dataset: str = Field(description="Dataset version (dsv_..., NAME or NAME@N) or a chat JSONL file.")
    method: Method = Field("lora", description="lora, qlora (CUDA + bitsandbytes) or full.")
    name: str | None = Field(None, description="Name of the resulting model; default <base>-<method>-<job>.")
    lora_r: int = Field(16, ge=1, le=1024, description="LoRA rank.")
    lora_alpha: float = Field(32.0, gt=0, description="LoRA scaling numerator (scale = alpha / r).")
    lora_dropout: float = Field(0.05, ge=0.0, lt=1.0, description="Dropout on the LoRA input.")
    lora_targets: list[str] | str = Field(
        "all-linear", description="Module names to adapt, or 'all-linear' for every linear layer."
    )
    learning_rate: float = Field(2e-4, gt=0, le=1.0, description="Peak learning rate.")
    lr_schedule: Schedule = Field("cosine", description="constant, constant_with_warmup, linear or cosine.")
    warmup_steps: int = Field(0, ge=0, description="Linear warm-up steps.")
    weight_decay: float = Field(0.0, ge=0.0, description="AdamW weight decay.")
    max_grad_norm: float | None = Field(1.0, gt=0, description="Gradient clipping norm; null disables.")
    epochs: float = Field(
        1.0, gt=0, description="Passes over the training split (used when max_steps is unset)."
    )
    max_steps: int | None = Field(None, ge=1, description="Optimizer steps; overrides epochs.")
    batch_size: int = Field(4, ge=1, description="Sequences (packed rows) per device per micro-batch.")
    gradient_accumulation: int = Field(1, ge=1, description="Micro-batches per optimizer step.")
    max_seq_length: int = Field(1024, ge=8, description="Tokens per sequence; longer examples are truncated.")
    packing: bool = Field(
        True, description="Pack examples into full rows (attention kept within each example)."
    )
    completion_only: bool = Field(
        True, description="Loss on assistant tokens only; prompt tokens are masked."
    )
    dpo_beta: float = Field(
        0.1, gt=0, description="DPO temperature, used when the dataset holds preference pairs."
    )
    chat_template: str | None = Field(
        None, description="Jinja chat template, 'chatml', or null to use the tokenizer's own."
    )
    precision: Precision = Field(
        "auto", description="auto (bf16 where the hardware has it), fp32, bf16, fp16."
    )
    gradient_checkpointing: bool = Field(False, description="Recompute activations to save memory.")
    attn_implementation: str = Field("sdpa", description="sdpa, eager, flash_attention_2 or flex_attention.")
    seed: int = Field(42, description="Seed for weights of new layers, data order and dropout.")
    validation_split: float = Field(
        0.1, ge=0.0, lt=1.0, description="Fraction held out when the dataset has no validation split."
    )
    eval_interval: int | None = Field(None, ge=1, description="Evaluate on validation every N steps.")
    checkpoint_interval: int | None = Field(
        50, ge=1, description="Checkpoint every N steps; null: only at the end."
    )
    keep_checkpoints: int = Field(2, ge=1, description="How many of the newest checkpoints to keep.")
    early_stopping_patience: int | None = Field(
        None, ge=1, description="Stop after N evaluations without validation-loss improvement."
    )
    log_interval: int = Field(1, ge=1, description="Record metrics every N steps.")
    mlflow: bool = Field(False, description="Also log metrics to MLflow (needs the mlflow package).")
    device: str | None = Field(None, description="cpu, cuda, cuda:1...; default: cuda when present.")

    @model_validator(mode="after")
    def _consistent(self) -> TrainConfig:
        problems = []
        if self.early_stopping_patience and not self.eval_interval:
            problems.append("early_stopping_patience: needs eval_interval to be set")
        if isinstance(self.lora_targets, list) and not self.lora_targets:
            problems.append("lora_targets: give at least one module name or 'all-linear'")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.model_dump(mode="json"), sort_keys=False)


TrainSpec = TrainConfig  # the earlier name; new code says TrainConfig


def spec_hash(spec: TrainConfig) -> str:
    """sha256 of the spec's canonical JSON."""
    canonical = json.dumps(spec.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _problems(exc: ValidationError) -> list[str]:
    found = []
    for error in exc.errors():
        field = ".".join(str(part) for part in error["loc"]) or "spec"
        value = error.get("input")
        shown = "" if isinstance(value, dict) or error["type"] == "missing" else f" (got {value!r})"
        found.append(f"{field}: {error['msg']}{shown}")
    return found


def build_spec(values: dict[str, Any], *, source: str | None = None) -> TrainConfig:
    """Validate ``values``; every problem is reported at once."""
    try:
        return TrainConfig.model_validate(values)
    except ValidationError as exc:
        raise ConfigError(
            _problems(exc), source=source, hint="see 'medfoundry train --help' for every field"
        ) from None


def parse_overrides(args: list[str]) -> dict[str, Any]:
    """``["--learning-rate", "1e-4", "--packing", "false"]`` → ``{"learning_rate": 1e-4, ...}``."""
    overrides: dict[str, Any] = {}
    problems = []
    index = 0
    while index < len(args):
        flag = args[index]
        if not flag.startswith("--"):
            problems.append(f"'{flag}': expected a --field value pair")
            index += 1
            continue
        key, _, inline = flag[2:].partition("=")
        key = key.replace("-", "_")
        if key not in TrainConfig.model_fields:
            import difflib

            close = difflib.get_close_matches(key, list(TrainConfig.model_fields), n=1)
            problems.append(f"--{key}: unknown field" + (f"; did you mean --{close[0]}?" if close else ""))
        if inline:
            raw, index = inline, index + 1
        elif index + 1 < len(args):
            raw, index = args[index + 1], index + 2
        else:
            problems.append(f"--{key}: needs a value")
            break
        overrides[key] = yaml.safe_load(raw) if raw != "" else None
    if problems:
        raise ConfigError(problems, source="command line")
    return overrides


def load_spec(path: Path | None, overrides: dict[str, Any] | None = None) -> TrainConfig:
    """Read a YAML spec (optional) and apply CLI overrides on top."""
    values: dict[str, Any] = {}
    source = None
    if path is not None:
        source = str(path)
        path = resolve_config(path, "finetune")
        if not path.exists():
            raise ConfigError(f"config file {path} does not exist", source=source)
        try:
            loaded = yaml.safe_load(path.read_text()) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1}" if mark else ""
            raise ConfigError(f"not valid YAML{where}: {exc}", source=source) from None
        if not isinstance(loaded, dict):
            raise ConfigError("the top level must be a mapping of field: value", source=source)
        values.update(loaded)
    values.update(overrides or {})
    return build_spec(values, source=source)
