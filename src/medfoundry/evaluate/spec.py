"""Typed configuration: a benchmark (data + a small helper), a suite, and gates."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from medfoundry.errors import ConfigError, InputError
from medfoundry.review_policy import HumanReviewGate

Kind = Literal["multiple_choice", "ner", "icd10", "ddi", "custom"]


class BenchmarkSpec(BaseModel):
    """One benchmark, as written in ``evaluate/tasks/<name>.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(description="Registry name, used on the CLI and in gates (medqa, pubmedqa, ...).")
    description: str = Field(default="", description="One line shown by 'medfoundry eval list'.")
    kind: Kind = Field(description="Which scorer runs it.")
    reader: str = Field(description="Reader name in medfoundry.evaluate.readers.READERS.")
    prompt: str | None = Field(default=None, description="Prompt name in medfoundry.evaluate.prompts.")
    choices: list[str] = Field(default_factory=list, description="Answer choices (multiple choice).")
    target_delimiter: str = Field(
        default=" ", description="Text between prompt and choice, as in the harness."
    )
    metrics: list[str] = Field(description="Metrics reported; the first is the headline metric.")
    data_glob: str = Field(default="*", description="Files to read when --data is a folder.")
    entity_type: str | None = Field(default=None, description="IOB entity type kept (NER benchmarks).")
    harness_task: str | None = Field(default=None, description="The lm-evaluation-harness task it mirrors.")
    hub_dataset: str | None = Field(default=None, description="Where the full data lives online.")
    max_new_tokens: int = Field(default=64, ge=1, description="Generation budget (generative scoring).")

    @property
    def headline(self) -> str:
        return self.metrics[0]


class SuiteEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    benchmark: str = Field(description="A registered benchmark name.")
    data: str = Field(description="File or folder with the benchmark's data; relative to the suite file.")
    limit: int | None = Field(default=None, ge=1, description="Score only the first N items.")
    mode: Literal["loglikelihood", "generate"] | None = Field(
        default=None, description="Multiple choice: log-likelihood (default) or generative."
    )


class SuiteSpec(BaseModel):
    """A named group of benchmarks, as in ``configs/eval/medical-core.yaml``."""

    model_config = ConfigDict(extra="forbid")

    name: str
    description: str = ""
    data_root: str = Field(
        default=".", description="Folder the entries' data paths are relative to (relative to this file)."
    )
    benchmarks: list[SuiteEntry] = Field(min_length=1)
    gates: GatesSpec | None = Field(default=None, description="Default gates for this suite.")


class GatesSpec(BaseModel):
    """Thresholds that decide whether a model may be deployed."""

    model_config = ConfigDict(extra="forbid")

    absolute: list[str] = Field(
        default_factory=list, description="Rules such as 'medqa.acc >= 0.55' (benchmark.metric OP value)."
    )
    max_drop_vs_base: float | None = Field(
        default=None,
        ge=0,
        description="No benchmark's headline metric may fall more than this many points (0-100 scale) "
        "below the base model's.",
    )
    human_review: HumanReviewGate | None = Field(
        default=None, description="Reviewers' acceptance of the model's outputs (see 'medfoundry review')."
    )


def load_yaml(path: Path) -> dict[str, Any]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path} does not exist", hint="check the path") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ConfigError(f"not valid YAML: {exc}", source=where) from None
    if not isinstance(document, dict):
        raise ConfigError("the top level must be a mapping", source=str(path))
    return document


def validate(model: type[BaseModel], document: dict[str, Any], source: str) -> Any:
    """Validate a mapping, reporting every problem with its field path."""
    try:
        return model.model_validate(document)
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(p) for p in err['loc']) or '<root>'}: {err['msg']}" for err in exc.errors()
        ]
        raise ConfigError(problems, source=source) from None


SuiteSpec.model_rebuild()
