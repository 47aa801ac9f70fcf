"""The pipeline spec: one YAML file naming every stage's inputs and settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from medfoundry.errors import ConfigError
from medfoundry.shipped import ConfigKind, resolve_config

STAGES = ("ingest", "deid", "build", "train", "evaluate", "deploy")
Stage = Literal["ingest", "deid", "build", "train", "evaluate", "deploy"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SourceSpec(_Strict):
    path: Path | None = Field(None, description="A FHIR export folder, bundle file, or notes file.")
    fhir_url: str | None = Field(None, description="A FHIR server's base URL (instead of path).")
    format: Literal["auto", "bundle", "ndjson", "jsonl", "csv"] = "auto"
    name: str | None = Field(None, description="Name of the raw dataset.")

    @model_validator(mode="after")
    def _one_source(self) -> SourceSpec:
        if (self.path is None) == (self.fhir_url is None):
            raise ValueError("give exactly one of path or fhir_url")
        return self


class DeidSpec(_Strict):
    config: Path | None = Field(
        None, description="De-identification policy YAML; the shipped default when omitted."
    )
    executor: Literal["serial", "processes", "ray"] = "processes"


class TaskSpec(_Strict):
    name: str = Field("patient-summary", description="A task template: patient-summary, note-drafting, ...")
    criteria: Path | None = None
    qa: Path | None = None
    validation_fraction: float = Field(0.2, ge=0.0, lt=1.0)
    seed: int = 0
    max_source_chars: int = Field(
        3000, ge=200, description="Cut the rendered record in prompts to this length."
    )


class TrainStageSpec(_Strict):
    config: Path | None = Field(None, description="A training spec YAML (configs/finetune/...).")
    overrides: dict[str, Any] = Field(default_factory=dict, description="Training spec fields to override.")


class EvalStageSpec(_Strict):
    suite: str | None = Field(
        None, description="A benchmark suite (configs/eval/...); none runs only the task eval."
    )
    data_root: Path | None = Field(None, description="Where the suite's benchmark files are.")
    limit: int | None = Field(None, ge=1, description="First N items per benchmark.")
    gates: Path | None = Field(
        None, description="Gates YAML; the pipeline stops before deploy when one fails."
    )
    task_eval: bool = Field(
        True, description="Also score the task on the held-out split (faithfulness, ROUGE-L)."
    )
    task_eval_limit: int = Field(16, ge=1, description="Held-out examples generated for the task evaluation.")
    max_new_tokens: int = Field(96, ge=1)
    compare_base: bool = Field(
        False,
        description="Also score the base model on the same held-out examples; gates' max_drop_vs_base "
        "then compares the task against it (the scorecard keeps both, with before/after predictions).",
    )


class DeploySpec(_Strict):
    enabled: bool = True
    name: str | None = None
    policy: Path | None = Field(None, description="Guardrail policy YAML (configs/guardrails/...).")


class PipelineSpec(_Strict):
    name: str = Field(description="Pipeline name; runs of the same name share their stage cache.")
    source: SourceSpec
    deid: DeidSpec = Field(default_factory=DeidSpec)
    task: TaskSpec = Field(default_factory=TaskSpec)
    train: TrainStageSpec = Field(default_factory=TrainStageSpec)
    evaluate: EvalStageSpec = Field(default_factory=EvalStageSpec)
    deploy: DeploySpec = Field(default_factory=DeploySpec)


def load_pipeline_spec(path: Path) -> PipelineSpec:
    """Load and validate; every problem is reported at once, named by its field."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"pipeline spec {path} does not exist") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"not valid YAML: {exc}", source=str(path)) from None
    try:
        spec = PipelineSpec.model_validate(raw)
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(p) for p in e['loc']) or '(top level)'}: {e['msg']}" for e in exc.errors()
        ]
        raise ConfigError(problems, source=str(path)) from None
    return _relative_to(spec, path.parent)


def _relative_to(spec: PipelineSpec, base: Path) -> PipelineSpec:
    """Paths in a spec are relative to the spec file, as a user expects; a config path that
    names no file there but spells a shipped config (``configs/deid/default.yaml``) is that."""

    def fix(value: Path | None, kind: ConfigKind | None = None) -> Path | None:
        if value is None or value.is_absolute():
            return value
        local = (base / value).resolve()
        if kind is None or local.exists():
            return local
        shipped = resolve_config(value, kind)
        return shipped if shipped != value else local

    spec.source.path = fix(spec.source.path)
    spec.deid.config = fix(spec.deid.config, "deid")
    spec.task.criteria, spec.task.qa = fix(spec.task.criteria), fix(spec.task.qa)
    spec.train.config = fix(spec.train.config, "finetune")
    spec.evaluate.data_root, spec.evaluate.gates = fix(spec.evaluate.data_root), fix(spec.evaluate.gates, "eval")
    spec.deploy.policy = fix(spec.deploy.policy, "guardrails")
    return spec
