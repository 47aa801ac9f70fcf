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

    model: str = Field(description="A catalog id, an mdl_ id or a model directory.")
    suite: str | None = Field(None, description="A suite name or YAML (exclusive with benchmark).")
    benchmark: str | None = Field(None, description="One registered benchmark (needs data).")
    data: Path | None = None
    data_root: Path | None = None
    limit: int | None = Field(None, ge=1)
    dtype: str = "auto"
    device: str | None = None
    mode: Literal["loglikelihood", "generate"] = "loglikelihood"
    chat: bool = False
    chain_of_thought: bool = False
    num_fewshot: int = Field(0, ge=0)
    batch_size: int = Field(8, ge=1)
    gates: Path | None = None

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
