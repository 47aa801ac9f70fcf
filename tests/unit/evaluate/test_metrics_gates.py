"""Metrics with uncertainty and the gate rules, table-driven."""

from __future__ import annotations

from pathlib import Path

import pytest

from medfoundry.errors import ConfigError
from medfoundry.evaluate.gates import evaluate_gates, load_gates, parse_rule
from medfoundry.evaluate.metrics import bootstrap_ci, mean_metric, mean_stderr, micro_prf, prf
from medfoundry.evaluate.spec import GatesSpec


def test_stderr_is_the_harness_one() -> None:
    harness = pytest.importorskip("lm_eval.api.metrics")
    values = [1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.0]
    assert mean_stderr(values) == pytest.approx(harness.mean_stderr(values))


def test_bootstrap_is_seeded_and_brackets_the_mean() -> None:
    values = [1.0] * 30 + [0.0] * 70
    a, b = mean_metric(values), mean_metric(values)
    assert a == b and a.ci_low is not None and a.ci_high is not None
    assert a.ci_low < 0.3 < a.ci_high and a.value == pytest.approx(0.3)
    assert bootstrap_ci([1.0], lambda s: 1.0) == (1.0, 1.0)


@pytest.mark.parametrize(
    "tp,n_pred,n_gold,expected",
    [(2, 4, 2, (0.5, 1.0, 2 / 3)), (0, 0, 3, (0.0, 0.0, 0.0)), (3, 3, 3, (1.0, 1.0, 1.0))],
)
def test_prf(tp: int, n_pred: int, n_gold: int, expected: tuple[float, float, float]) -> None:
    assert prf(tp, n_pred, n_gold) == pytest.approx(expected)


def test_micro_sums_counts() -> None:
    assert micro_prf([(1, 1, 2), (1, 3, 2)]) == pytest.approx(prf(2, 4, 4))


@pytest.mark.parametrize(
    "text,parsed",
    [
        ("medqa.acc >= 0.55", ("medqa", "acc", ">=", 0.55)),
        ("ner-bc5cdr-chem.f1>0.1", ("ner-bc5cdr-chem", "f1", ">", 0.1)),
        ("icd10.invalid_codes <= 3", ("icd10", "invalid_codes", "<=", 3.0)),
    ],
)
def test_parse_rule(text: str, parsed: tuple[str, str, str, float]) -> None:
    rule = parse_rule(text)
    assert (rule.benchmark, rule.metric, rule.op, rule.threshold) == parsed


def test_bad_gates_file_reports_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "gates.yaml"
    path.write_text("absolute:\n  - medqa.acc => 0.5\n  - nonsense\nmax_drop_vs_base: 1\n")
    with pytest.raises(ConfigError) as info:
        load_gates(path)
    assert len(info.value.problems) == 2 and "gates.yaml" in str(info.value)


RESULTS = {
    "medqa": {"headline": "acc", "metrics": {"acc": 0.60, "acc_norm": 0.6}},
    "pubmedqa": {"headline": "acc", "metrics": {"acc": 0.70}},
}


def test_absolute_gates() -> None:
    spec = GatesSpec(absolute=["medqa.acc >= 0.55", "pubmedqa.acc >= 0.75", "medmcqa.acc >= 0.1"])
    outcome = evaluate_gates(spec, RESULTS, None)
    assert [g.passed for g in outcome] == [True, False, False]
    assert "not measured" in outcome[2].reason


def test_relative_gate_against_base() -> None:
    spec = GatesSpec(max_drop_vs_base=1.0)
    base = {"medqa": {"metrics": {"acc": 0.605}}, "pubmedqa": {"metrics": {"acc": 0.72}}}
    outcome = {g.benchmark: g.passed for g in evaluate_gates(spec, RESULTS, base)}
    assert outcome == {"medqa": True, "pubmedqa": False}  # -0.5 points is fine, -2 points is not


def test_relative_gate_without_base_passes_and_says_why() -> None:
    (gate,) = evaluate_gates(GatesSpec(max_drop_vs_base=1.0), RESULTS, None)
    assert gate.passed and "no base model" in gate.reason
