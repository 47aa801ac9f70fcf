"""``medfoundry eval``: score a model on healthcare benchmarks, gate it, compare scorecards."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from medfoundry.cli.context import store_session
from medfoundry.cli.options import config_options
from medfoundry.cli.output import CLIState, console, emit_json, err_console
from medfoundry.errors import ConfigError
from medfoundry.evaluate.stage import EvaluateConfig
from medfoundry.stage import OnEvent, StageEvent

app = typer.Typer(
    help="Evaluate models on medical benchmarks, with gates that decide deployment.", no_args_is_help=True
)


@contextmanager
def _progress(enabled: bool) -> Iterator[OnEvent | None]:
    """A Rich progress bar per benchmark (items and items/s) on stderr, fed by the evaluate
    stage's events (``unit`` names the benchmark); nothing when quiet."""
    if not enabled:
        yield None
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]} items/s"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err_console, transient=False) as bar:
        tasks: dict[str, tuple[TaskID, float]] = {}

        def on_event(event: StageEvent) -> None:
            if event.unit not in tasks:
                tasks[event.unit] = (bar.add_task(event.unit, total=event.total, rate="-"), time.perf_counter())
            task, began = tasks[event.unit]
            if event.done:
                rate = event.done / max(time.perf_counter() - began, 1e-9)
                bar.update(task, completed=event.done, rate=f"{rate:.2f}")

        yield on_event


def _table(scorecard: dict[str, Any]) -> Table:
    base = (scorecard.get("base") or {}).get("benchmarks") or {}
    table = Table(title=f"{scorecard['model']['name']} on {scorecard['suite']} ({scorecard['id']})")
    for column in ("benchmark", "n", "metric", "value", "95% CI", "base"):
        table.add_column(column)
    for result in scorecard["benchmarks"]:
        for metric, value in result["metrics"].items():
            ci = result.get("ci95", {}).get(metric)
            base_value = base.get(result["benchmark"], {}).get("metrics", {}).get(metric)
            table.add_row(
                result["benchmark"],
                str(result["n"]),
                metric,
                f"{value:.4f}",
                f"[{ci[0]:.3f}, {ci[1]:.3f}]" if ci and ci[0] is not None else "",
                f"{base_value:.4f}" if base_value is not None else "",
            )
    return table


def _print_scorecard(scorecard: dict[str, Any]) -> None:
    console.print(_table(scorecard))
    for gate in scorecard.get("gates") or []:
        mark = "[green]PASS[/green]" if gate["passed"] else "[red]FAIL[/red]"
        console.print(
            f"{mark} {gate['gate']} [dim]{gate['benchmark']}: {gate['reason']}[/dim]", highlight=False
        )
    verdict = {True: "[green]passed[/green]", False: "[red]failed[/red]", None: "no gates"}[
        scorecard["passed"]
    ]
    console.print(
        f"verdict: {verdict} · report: {scorecard.get('report_dir', '')}/report.html", highlight=False
    )
    if scorecard.get("note"):
        console.print(f"[yellow]note:[/yellow] {scorecard['note']}", highlight=False)


@app.command()
@config_options(EvaluateConfig, exclude={"model"}, flags={"chain_of_thought": "--cot"})
def run(
    model: str = typer.Argument(
        ..., help="A catalog id, a registered model id (mdl_...) or a local model directory."
    ),
    options: dict[str, Any] = {},  # noqa: B006 -- replaced by EvaluateConfig's fields as --options
    as_json: bool = typer.Option(False, "--json", help="Print the scorecard as one JSON document on stdout."),
) -> None:
    """Score MODEL on a suite or one benchmark, store the scorecard and exit non-zero if a gate fails.

    Example: medfoundry eval run mdl_01jd... --suite medical-core --gates configs/eval/gates-example.yaml

    Example: medfoundry eval run ./my-model --benchmark medqa --data medqa/test.jsonl --limit 50 --json
    """
    from medfoundry.evaluate.runner import gate_failure
    from medfoundry.evaluate.stage import run as run_evaluate

    if options["mode"] not in ("loglikelihood", "generate"):
        raise ConfigError(f"--mode is '{options['mode']}'; use loglikelihood or generate")
    config = EvaluateConfig(model=model, **options)
    with store_session() as store, _progress(not (as_json or CLIState.quiet)) as on_event:
        outcome = run_evaluate(store, config, on_event)
    if as_json:
        emit_json(outcome.scorecard)
    else:
        _print_scorecard(outcome.scorecard)
    if outcome.passed is False:
        raise gate_failure(outcome)


@app.command()
def compare(
    a: str = typer.Argument(..., help="An evaluation id (evl_...) or a model id/ref (its latest scorecard)."),
    b: str = typer.Argument(..., help="The other evaluation or model."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
) -> None:
    """Put two scorecards side by side (b minus a).

    Example: medfoundry eval compare evl_01jd... evl_01je...
    """
    from medfoundry.evaluate.compare import compare_refs

    with store_session() as store:
        doc = compare_refs(store, a, b)
    if as_json:
        emit_json(doc)
        return
    table = Table(title=f"{doc['a']['id']} ({doc['a']['model']})  vs  {doc['b']['id']} ({doc['b']['model']})")
    for column in ("benchmark", "metric", "a", "b", "b - a"):
        table.add_column(column)
    for row in doc["rows"]:

        def fmt(v: float | None) -> str:
            return f"{v:.4f}" if v is not None else "-"

        delta = row["delta"]
        style = "" if delta is None or delta == 0 else ("green" if delta > 0 else "red")
        table.add_row(
            row["benchmark"],
            row["metric"],
            fmt(row["a"]),
            fmt(row["b"]),
            f"[{style}]{delta:+.4f}[/{style}]" if style else fmt(delta),
        )
    console.print(table)


@app.command()
def show(
    evaluation_id: str = typer.Argument(..., help="An evaluation id (evl_...)."),
    as_json: bool = typer.Option(False, "--json", help="Print the scorecard as one JSON document on stdout."),
) -> None:
    """Print a stored scorecard.

    Example: medfoundry eval show evl_01jd...
    """
    from medfoundry.evaluate import get_evaluation

    with store_session() as store:
        scorecard = get_evaluation(store, evaluation_id).scorecard
    if as_json:
        emit_json(scorecard)
    else:
        _print_scorecard(scorecard)


@app.command("list")
def list_(as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout.")) -> None:
    """List the registered benchmarks and the shipped suites.

    Example: medfoundry eval list --json
    """
    from medfoundry.evaluate.benchmarks import BENCHMARKS, list_suites

    benchmarks = [BENCHMARKS.get(name) for name in BENCHMARKS.names()]
    suites = [{"name": name, "path": str(path)} for name, path in list_suites()]
    if as_json:
        emit_json(
            {
                "benchmarks": [
                    {
                        "name": b.name,
                        "kind": b.kind,
                        "metrics": b.metrics,
                        "description": b.description,
                        "harness_task": b.harness_task,
                    }
                    for b in benchmarks
                ],
                "suites": suites,
            }
        )
        return
    table = Table(title="benchmarks")
    for column in ("name", "kind", "metrics", "description"):
        table.add_column(column)
    for b in benchmarks:
        table.add_row(b.name, b.kind, ", ".join(b.metrics), b.description)
    console.print(table)
    console.print("suites: " + (", ".join(s["name"] for s in suites) or "none"), highlight=False)
