"""The pipeline's evaluation: the task on its held-out split, plus an optional suite, then gates.

The task evaluation generates answers for held-out examples of the task dataset
(the model never trained on those patients) and scores them with the template's
own metric (faithfulness and ROUGE-L for summaries and notes, accuracy for labels).
Everything lands in one scorecard, so deployment reads one gate decision.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from medfoundry.catalog.loading import load_model
from medfoundry.catalog.resolve import get_model
from medfoundry.dataset_versions import get_version
from medfoundry.datasets.templates import Example, task_templates
from medfoundry.errors import InputError
from medfoundry.evaluate.gates import GateResult, evaluate_gates, load_gates
from medfoundry.evaluate.generate import generate
from medfoundry.evaluate.runner import EvalOutcome, EvalRunConfig, gate_failure, plan, score_model
from medfoundry.evaluate.scorecard import new_scorecard, save_scorecard
from medfoundry.pipeline.spec import PipelineSpec
from medfoundry.store.database import Store
from medfoundry.store.models import Evaluation, Model

logger = logging.getLogger(__name__)


def held_out_examples(store: Store, version_ref: str, limit: int) -> list[Example]:
    version = get_version(store, version_ref)
    if version.artifact_id is None:
        raise InputError(f"dataset version {version.id} has no data")
    rows = [
        json.loads(line) for line in store.read_artifact(version.artifact_id).decode().splitlines() if line
    ]
    held_out = [r for r in rows if r.get("split") == "validation"] or rows
    return [
        Example(r["id"], r["patient_id"], r["task"], r["messages"], r.get("source", ""), r.get("meta", {}))
        for r in held_out[:limit]
    ]


def task_benchmark(
    store: Store, model: Model, examples: list[Example], max_new_tokens: int, *, data: str
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Generate for each held-out example and score with the task's metric."""
    loaded = load_model(store, model)
    prompts = [
        loaded.tokenizer.apply_chat_template(e.prompt_messages(), tokenize=False, add_generation_prompt=True)
        for e in examples
    ]
    started = time.monotonic()
    answers = generate(loaded.model, loaded.tokenizer, prompts, max_new_tokens=max_new_tokens, stop=())
    seconds = time.monotonic() - started
    task = examples[0].task
    metrics = task_templates.get(task)().score(answers, examples)  # type: ignore[operator]
    headline = next(iter(metrics))
    result = {
        "benchmark": task,
        "n": len(examples),
        "headline": headline,
        "metrics": metrics,
        "stderr": {},
        "ci95": {},
        "mode": "generate",
        "data": f"validation split of {data}",
        "seconds": round(seconds, 3),
        "items_per_s": round(len(examples) / seconds, 3) if seconds else None,
    }
    predictions = [
        {"id": e.id, "prediction": a, "reference": e.reference}
        for e, a in zip(examples, answers, strict=True)
    ]
    return result, predictions


def evaluate_pipeline_model(store: Store, spec: PipelineSpec, model_id: str, task_version: str) -> Evaluation:
    settings = spec.evaluate
    model = get_model(store, model_id)
    predictions: dict[str, list[dict[str, Any]]] = {}
    data_files: list[str] = []
    if settings.suite:
        options = EvalRunConfig(suite=settings.suite, data_root=settings.data_root, limit=settings.limit)
        suite_name, entries, _ = plan(options)
        scorecard, predictions = score_model(store, model, suite_name, entries, options, None)
        data_files = [str(path) for _, path in entries]
    else:
        scorecard = new_scorecard(model, f"pipeline:{spec.name}", "auto", "cpu")
    base_results: dict[str, dict[str, Any]] | None = None
    if settings.task_eval:
        examples = held_out_examples(store, task_version, settings.task_eval_limit)
        result, task_predictions = task_benchmark(
            store, model, examples, settings.max_new_tokens, data=task_version
        )
        scorecard["benchmarks"].append(result)
        predictions[result["benchmark"]] = task_predictions
        data_files.append(task_version)
        if settings.compare_base and model.parent_id:
            base = get_model(store, model.parent_id)
            base_result, base_predictions = task_benchmark(
                store, base, examples, settings.max_new_tokens, data=task_version
            )
            base_results = {base_result["benchmark"]: base_result}
            # The shape `medfoundry eval run` writes, so reports draw the base beside the model.
            scorecard["base"] = {"model_id": base.id, "evaluation_id": None, "benchmarks": base_results}
            predictions[f"{base_result['benchmark']}@base"] = base_predictions
    results: list[GateResult] = []
    if settings.gates:
        gates = load_gates(settings.gates)
        results = evaluate_gates(gates, {r["benchmark"]: r for r in scorecard["benchmarks"]}, base_results)
        scorecard["gates_spec"] = gates.model_dump()
        scorecard["gates"] = [g.to_dict() for g in results]
        scorecard["passed"] = all(g.passed for g in results)
    evaluation = save_scorecard(
        store,
        scorecard,
        predictions,
        data_files,
        reports_dir=store.settings.resolved_home / "reports" / scorecard["id"],
    )
    if evaluation.passed is False:
        raise gate_failure(EvalOutcome(evaluation, scorecard, results, None))
    return evaluation
