"""``run_evaluation``: resolve the model, score a suite or one benchmark, gate, store the scorecard."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from medfoundry.catalog.loading import load_model
from medfoundry.catalog.resolve import get_model, resolve_model
from medfoundry.errors import ConfigError, GateFailed
from medfoundry.evaluate.benchmarks import BENCHMARKS, StartHook, find_suite, run_benchmark
from medfoundry.evaluate.gates import GateResult, check_rules, evaluate_gates, load_gates
from medfoundry.evaluate.scorecard import latest_evaluation, new_scorecard, save_scorecard
from medfoundry.evaluate.scorecard_model import Scorecard
from medfoundry.evaluate.scorers import EvalModel
from medfoundry.evaluate.spec import GatesSpec, SuiteEntry
from medfoundry.store.database import Store
from medfoundry.store.models import Evaluation, Model

logger = logging.getLogger(__name__)


@dataclass
class EvalRunConfig:
    """What to evaluate and how; the CLI flags map one to one."""

    suite: str | None = None
    benchmark: str | None = None
    data: Path | None = None
    data_root: Path | None = None
    limit: int | None = None
    dtype: str = "auto"
    device: str | None = None
    mode: Literal["loglikelihood", "generate"] = "loglikelihood"
    chat: bool = False
    chain_of_thought: bool = False
    num_fewshot: int = 0
    batch_size: int = 8
    gates: Path | None = None


EvalOptions = EvalRunConfig  # the older name


@dataclass
class EvalOutcome:
    evaluation: Evaluation
    scorecard: dict[str, Any]
    gate_results: list[GateResult] = field(default_factory=list)
    base_evaluation: Evaluation | None = None

    @property
    def passed(self) -> bool | None:
        return self.scorecard["passed"]

    @property
    def card(self) -> Scorecard:
        """The scorecard, typed (``scorecard`` is the same as stored JSON)."""
        return Scorecard.parse(self.scorecard)


def plan(options: EvalRunConfig) -> tuple[str, list[tuple[SuiteEntry, Path]], GatesSpec | None]:
    """The suite name, each (entry, data path) to run, and the gates in force."""
    if bool(options.suite) == bool(options.benchmark):
        raise ConfigError("give exactly one of --suite or --benchmark")
    gates = load_gates(options.gates) if options.gates else None
    if options.benchmark:
        BENCHMARKS.get(options.benchmark)  # "did you mean" on a typo
        if options.data is None:
            raise ConfigError("--benchmark needs --data PATH (the benchmark's file or folder)")
        entry = SuiteEntry(benchmark=options.benchmark, data=str(options.data), limit=options.limit)
        return options.benchmark, [(entry, options.data)], gates
    suite, path = find_suite(str(options.suite))
    root = options.data_root or (path.parent / suite.data_root)
    entries = [
        (e.model_copy(update={"limit": options.limit or e.limit}), (root / e.data).resolve())
        for e in suite.benchmarks
    ]
    if gates is None and suite.gates is not None:
        check_rules(suite.gates, str(path))
        gates = suite.gates
    return suite.name, entries, gates


def score_model(
    store: Store,
    model: Model,
    suite_name: str,
    entries: list[tuple[SuiteEntry, Path]],
    options: EvalRunConfig,
    start: StartHook | None,
) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """Load the model and run every entry; returns the scorecard (unsaved) and per-item predictions."""
    import torch

    torch.manual_seed(0)
    loaded = load_model(store, model, dtype=options.dtype, device=options.device)
    device = str(next(loaded.model.parameters()).device)
    lm = EvalModel(
        loaded.model,
        loaded.tokenizer,
        batch_size=options.batch_size,
        chat=options.chat,
        chain_of_thought=options.chain_of_thought,
        num_fewshot=options.num_fewshot,
    )
    scorecard = new_scorecard(model, suite_name, loaded.dtype, device)
    scorecard["options"] = {
        "limit": options.limit,
        "mode": options.mode,
        "num_fewshot": options.num_fewshot,
        "chain_of_thought": options.chain_of_thought,
        "dtype_requested": options.dtype,
        "batch_size": options.batch_size,
        "seeds": {"torch": 0, "bootstrap": 1234, "fewshot": 1234},
    }
    if Path(model.location, "MEDFOUNDRY_TINY_MODEL").exists():
        scorecard["note"] = "this is a random-weight tiny stand-in model: its scores mean nothing"
    predictions: dict[str, list[Any]] = {}
    for entry, data in entries:
        lm.mode = entry.mode or options.mode
        result = run_benchmark(BENCHMARKS.get(entry.benchmark), data, lm, limit=entry.limit, start=start)
        scorecard["benchmarks"].append(result.to_dict())
        predictions[result.benchmark] = result.predictions
    return scorecard, predictions


def _base_scores(
    store: Store,
    model: Model,
    suite_name: str,
    entries: list[tuple[SuiteEntry, Path]],
    options: EvalRunConfig,
    start: StartHook | None,
    needed: bool,
) -> Evaluation | None:
    """The base model's scorecard on the same suite; evaluated now when missing and ``needed``."""
    if not model.parent_id:
        return None
    found = latest_evaluation(store, model.parent_id, suite_name)
    if found is not None or not needed:
        return found
    base = get_model(store, model.parent_id)
    logger.info("evaluating base model %s on %s", base.id, suite_name)
    scorecard, predictions = score_model(store, base, suite_name, entries, options, start)
    return save_scorecard(
        store,
        scorecard,
        predictions,
        [str(d) for _, d in entries],
        reports_dir=store.settings.resolved_home / "reports" / scorecard["id"],
    )


def run_evaluation(
    store: Store,
    model_ref: str,
    options: EvalRunConfig,
    *,
    start: StartHook | None = None,
    raise_on_fail: bool = False,
) -> EvalOutcome:
    """Evaluate ``model_ref`` (catalog id, mdl_ id or directory) and store the scorecard."""
    suite_name, entries, gates = plan(options)
    model = resolve_model(store, model_ref)
    needs_base = bool(gates and gates.max_drop_vs_base is not None)
    base_eval = _base_scores(store, model, suite_name, entries, options, start, needs_base)
    scorecard, predictions = score_model(store, model, suite_name, entries, options, start)
    if base_eval is not None:
        scorecard["base"] = {
            "model_id": base_eval.model_id,
            "evaluation_id": base_eval.id,
            "benchmarks": {r["benchmark"]: r for r in base_eval.scorecard["benchmarks"]},
        }
    results: list[GateResult] = []
    if gates is not None:
        by_name = {r["benchmark"]: r for r in scorecard["benchmarks"]}
        base = scorecard["base"]["benchmarks"] if base_eval is not None else None
        results = evaluate_gates(gates, by_name, base)
        if gates.human_review is not None:
            from medfoundry.evaluate.review_gate import acceptance_gate

            results.append(acceptance_gate(store, model.id, gates.human_review))
        scorecard["gates_spec"] = gates.model_dump()
        scorecard["gates"] = [g.to_dict() for g in results]
        scorecard["passed"] = all(g.passed for g in results)
    phi = any(e.benchmark == "custom" for e, _ in entries)
    evaluation = save_scorecard(
        store,
        scorecard,
        predictions,
        [str(d) for _, d in entries],
        reports_dir=store.settings.resolved_home / "reports" / scorecard["id"],
        phi=phi,
    )
    outcome = EvalOutcome(evaluation, scorecard, results, base_eval)
    if raise_on_fail and outcome.passed is False:
        raise gate_failure(outcome)
    return outcome


def gate_failure(outcome: EvalOutcome) -> GateFailed:
    failed = [g for g in outcome.gate_results if not g.passed]
    listed = "; ".join(f"{g.gate} ({g.benchmark}: {g.reason})" for g in failed)
    return GateFailed(
        f"evaluation {outcome.evaluation.id} failed {len(failed)} gate(s): {listed}",
        hint=f"see the report: medfoundry eval show {outcome.evaluation.id}, or "
        f"{outcome.scorecard.get('report_dir', 'the reports folder')}",
    )
