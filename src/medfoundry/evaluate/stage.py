"""The evaluation stage in the common shape: ``run(store, EvaluateConfig, on_event) -> EvalOutcome``.

The config is the model reference plus ``runner.EvalRunConfig`` (whose fields are the
``eval run`` flags); progress is one ``StageEvent`` as a benchmark starts (0 done) and one per scored batch, counting the current
benchmark's items, with the benchmark named in ``unit``.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from medfoundry.evaluate.engine import Progress
from medfoundry.evaluate.runner import EvalOutcome, EvalRunConfig, run_evaluation
from medfoundry.stage import OnEvent, emit
from medfoundry.store.database import Store


class EvaluateConfig(BaseModel):
    """What ``eval run`` and the pipeline's suite evaluation ask for."""

    model_config = ConfigDict(frozen=True)

    # The descriptions are the ``eval run`` help texts: the flags are derived from these fields
    # (cli/options.py), in this order; ``chain_of_thought`` is spelled ``--cot`` there.
    model: str = Field(description="A catalog id, an mdl_ id or a model directory.")
    suite: str | None = Field(None, description="A suite name (configs/eval/NAME.yaml) or a suite YAML.")
    benchmark: str | None = Field(None, description="One benchmark (see 'medfoundry eval list').")
    data: Path | None = Field(None, description="The benchmark's file or folder (with --benchmark).")
    data_root: Path | None = Field(None, description="Read a suite's data paths relative to this.")
    gates: Path | None = Field(None, description="Gates YAML: absolute rules and max drop vs base.")
    limit: int | None = Field(None, ge=1, description="Score only the first N items of each benchmark.")
    dtype: str = Field("auto", description="auto (the model's own), float32, bfloat16 or float16.")
    device: str | None = Field(None, description="cpu, cuda, cuda:1 ... (default: where it loads).")
    mode: Literal["loglikelihood", "generate"] = Field(
        "loglikelihood", description="Multiple choice: loglikelihood or generate."
    )
    chat: bool = Field(False, description="Generative prompts go through the chat template.")
    chain_of_thought: bool = Field(False, description="Generative mode: ask for step-by-step reasoning.")
    num_fewshot: int = Field(0, ge=0, description="Solved examples before each question.")
    batch_size: int = Field(8, ge=1, description="Questions per forward pass.")

    def options(self) -> EvalRunConfig:
        return EvalRunConfig(**{f.name: getattr(self, f.name) for f in fields(EvalRunConfig)})


def run(store: Store, config: EvaluateConfig, on_event: OnEvent | None = None) -> EvalOutcome:
    """Score the model, apply the gates, store the scorecard (a failing gate is in the outcome)."""

    def start(benchmark: str, total: int) -> Progress:
        done = 0
        emit(on_event, "evaluate", done, total, benchmark)  # the benchmark starts: 0 of total

        def advance(n: int) -> None:
            nonlocal done
            done += n
            emit(on_event, "evaluate", done, total, benchmark)

        return advance

    return run_evaluation(store, config.model, config.options(), start=start if on_event else None)
