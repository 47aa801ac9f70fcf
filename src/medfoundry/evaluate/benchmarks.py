"""The benchmark registry (one YAML per benchmark in ``evaluate/tasks``), suites, and one run."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from medfoundry.errors import ConfigError, NotFound
from medfoundry.evaluate.engine import Progress
from medfoundry.evaluate.metrics import MetricValue
from medfoundry.evaluate.readers import READERS, Doc
from medfoundry.evaluate.scorers import SCORERS, EvalModel
from medfoundry.evaluate.spec import BenchmarkSpec, SuiteSpec, load_yaml, validate
from medfoundry.registry import Registry
from medfoundry.shipped import resolve_config, shipped_dir

logger = logging.getLogger(__name__)
BENCHMARKS: Registry[BenchmarkSpec] = Registry("benchmark")
SUITE_DIRS = [shipped_dir("eval")]


def _register_shipped() -> None:
    for entry in sorted(
        resources.files("medfoundry.evaluate").joinpath("tasks").iterdir(), key=lambda e: e.name
    ):
        if entry.name.endswith(".yaml"):
            document = load_yaml(Path(str(entry)))
            spec: BenchmarkSpec = validate(BenchmarkSpec, document, str(entry))
            BENCHMARKS.register(spec.name, spec)


_register_shipped()


def load_docs(spec: BenchmarkSpec, data: Path, limit: int | None = None) -> list[Doc]:
    """The benchmark's items from ``data`` in file order; the first ``limit`` when given."""
    reader = READERS.get(spec.reader)
    extra: dict[str, Any] = {"entity_type": spec.entity_type} if spec.reader == "iob" else {}
    docs = reader(data, spec.data_glob, **extra)  # type: ignore[call-arg]
    return docs[:limit] if limit else docs


@dataclass
class BenchmarkResult:
    benchmark: str
    n: int
    metrics: dict[str, MetricValue]
    predictions: list[dict[str, Any]]
    mode: str
    data: str
    seconds: float
    headline: str = field(default="")

    def to_dict(self) -> dict[str, Any]:
        return {
            "benchmark": self.benchmark,
            "n": self.n,
            "headline": self.headline,
            "metrics": {name: value.value for name, value in self.metrics.items()},
            "stderr": {
                name: value.stderr for name, value in self.metrics.items() if value.stderr is not None
            },
            "ci95": {
                name: [value.ci_low, value.ci_high]
                for name, value in self.metrics.items()
                if value.ci_low is not None
            },
            "mode": self.mode,
            "data": self.data,
            "seconds": round(self.seconds, 3),
            "items_per_s": round(self.n / self.seconds, 3) if self.seconds else None,
        }


StartHook = Callable[[str, int], Progress | None]


def run_benchmark(
    spec: BenchmarkSpec,
    data: Path,
    lm: EvalModel,
    *,
    limit: int | None = None,
    start: StartHook | None = None,
) -> BenchmarkResult:
    """Score one benchmark; ``start(name, n_items)`` may return a progress callback."""
    docs = load_docs(spec, data, limit)
    if not docs:
        raise NotFound(f"{data} has no {spec.name} items", hint="check that --data points at the right file")
    progress = start(spec.name, len(docs)) if start else None
    started = time.perf_counter()
    metrics, predictions = SCORERS.get(spec.kind)(spec, docs, lm, progress)
    seconds = time.perf_counter() - started
    order = {name: i for i, name in enumerate(spec.metrics)}
    metrics = dict(sorted(metrics.items(), key=lambda kv: order.get(kv[0], len(order))))
    logger.info("%s: %d items in %.1fs", spec.name, len(docs), seconds)
    mode = lm.mode if spec.kind in ("multiple_choice", "ddi", "custom") else "generate"
    return BenchmarkResult(
        spec.name,
        len(docs),
        metrics,
        predictions,
        mode,
        str(data),
        seconds,
        spec.headline if spec.headline in metrics else next(iter(metrics)),
    )


def find_suite(name: str) -> tuple[SuiteSpec, Path]:
    """A suite by file path or by name (a shipped ``configs/eval/<name>.yaml``)."""
    candidates = (
        [resolve_config(name, "eval")]
        if name.endswith((".yaml", ".yml"))
        else [d / f"{name}.yaml" for d in SUITE_DIRS]
    )
    for path in candidates:
        if path.is_file():
            suite: SuiteSpec = validate(SuiteSpec, load_yaml(path), str(path))
            problems = [
                f"benchmarks.{i}.benchmark: unknown benchmark '{e.benchmark}'"
                for i, e in enumerate(suite.benchmarks)
                if e.benchmark not in BENCHMARKS
            ]
            if problems:
                raise ConfigError(problems, source=str(path), hint=f"known: {', '.join(BENCHMARKS.names())}")
            return suite, path
    known = sorted(
        p.stem for d in SUITE_DIRS if d.is_dir() for p in d.glob("*.yaml") if "gates" not in p.stem
    )
    raise NotFound(
        f"no evaluation suite '{name}'",
        hint=f"shipped suites: {', '.join(known) or 'none'}; or pass the path of a suite YAML",
    )


def list_suites() -> list[tuple[str, Path]]:
    return sorted(
        (p.stem, p) for d in SUITE_DIRS if d.is_dir() for p in d.glob("*.yaml") if "gates" not in p.stem
    )
