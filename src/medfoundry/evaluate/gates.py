"""Gates: absolute thresholds (``medqa.acc >= 0.55``) and a maximum drop against the base model."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from medfoundry.errors import ConfigError
from medfoundry.evaluate.spec import GatesSpec, load_yaml, validate
from medfoundry.shipped import resolve_config

RULE = re.compile(r"^\s*([\w\-]+)\.(\w+)\s*(>=|<=|>|<|==)\s*(-?\d+(?:\.\d+)?)\s*$")
OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
    "==": operator.eq,
}


@dataclass(frozen=True)
class Rule:
    benchmark: str
    metric: str
    op: str
    threshold: float

    @property
    def text(self) -> str:
        return f"{self.benchmark}.{self.metric} {self.op} {self.threshold:g}"


@dataclass
class GateResult:
    gate: str
    benchmark: str
    metric: str
    value: float | None
    threshold: float | None
    passed: bool
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def parse_rule(text: str, where: str = "gates") -> Rule:
    match = RULE.match(text)
    if not match:
        raise ConfigError(f"{where}: '{text}' is not a rule like 'medqa.acc >= 0.55'")
    benchmark, metric, op, value = match.groups()
    return Rule(benchmark, metric, op, float(value))


def load_gates(path: Path) -> GatesSpec:
    path = resolve_config(path, "eval")
    spec: GatesSpec = validate(GatesSpec, load_yaml(path), str(path))
    check_rules(spec, str(path))
    return spec


def check_rules(spec: GatesSpec, source: str) -> None:
    problems = []
    for i, text in enumerate(spec.absolute):
        try:
            parse_rule(text, f"absolute.{i}")
        except ConfigError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ConfigError(problems, source=source)


def evaluate_gates(
    spec: GatesSpec,
    results: dict[str, dict[str, Any]],
    base: dict[str, dict[str, Any]] | None,
) -> list[GateResult]:
    """Check each rule against ``results`` ({benchmark: result dict}); ``base`` is the base model's."""
    outcome = []
    for text in spec.absolute:
        rule = parse_rule(text)
        value = results.get(rule.benchmark, {}).get("metrics", {}).get(rule.metric)
        if value is None:
            outcome.append(
                GateResult(
                    rule.text,
                    rule.benchmark,
                    rule.metric,
                    None,
                    rule.threshold,
                    False,
                    f"{rule.benchmark}.{rule.metric} was not measured",
                )
            )
            continue
        passed = OPS[rule.op](value, rule.threshold)
        outcome.append(
            GateResult(
                rule.text,
                rule.benchmark,
                rule.metric,
                value,
                rule.threshold,
                passed,
                f"{value:.4f} {rule.op} {rule.threshold:g}" + ("" if passed else " is false"),
            )
        )
    if spec.max_drop_vs_base is not None:
        outcome.extend(_relative(spec.max_drop_vs_base, results, base))
    return outcome


def _relative(
    max_drop: float, results: dict[str, dict[str, Any]], base: dict[str, dict[str, Any]] | None
) -> list[GateResult]:
    unit = "point" if max_drop == 1 else "points"
    gate = f"no benchmark drops more than {max_drop:g} {unit} below the base model"
    if base is None:
        return [
            GateResult(gate, "*", "*", None, None, True, "the model has no base model; nothing to compare")
        ]
    out = []
    for name, result in results.items():
        metric = result["headline"]
        value = result["metrics"].get(metric)
        base_value = base.get(name, {}).get("metrics", {}).get(metric)
        if value is None or base_value is None:
            out.append(
                GateResult(gate, name, metric, value, None, False, "the base model has no score to compare")
            )
            continue
        floor = base_value - max_drop / 100.0
        passed = value >= floor - 1e-12
        out.append(
            GateResult(
                gate,
                name,
                metric,
                value,
                floor,
                passed,
                f"{(value - base_value) * 100.0 + 0.0:+.2f} points vs base {base_value:.4f}"
                + ("" if passed else " (too far)"),
            )
        )
    return out
