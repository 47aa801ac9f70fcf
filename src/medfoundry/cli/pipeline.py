"""``medfoundry pipeline run`` and ``medfoundry pipeline status``."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table
from sqlalchemy import select

from medfoundry.cli.context import store_session
from medfoundry.cli.output import CLIState, console, emit_json
from medfoundry.errors import JobError
from medfoundry.pipeline.runner import KIND, StageRun, pipeline_status, run_pipeline
from medfoundry.pipeline.spec import STAGES, load_pipeline_spec
from medfoundry.store.models import Job

app = typer.Typer(help="Run every stage from a pipeline spec, resumably.", no_args_is_help=True)
JSON_OPTION = typer.Option(False, "--json", help="Print one JSON document on stdout.")
STYLE = {"succeeded": "green", "cached": "cyan", "failed": "red", "running": "yellow", "skipped": "dim"}


def _table(title: str, runs: list[StageRun]) -> Table:
    table = Table(title=title)
    for column in ("stage", "state", "duration", "output", "job"):
        table.add_column(column, overflow="fold")
    for run in runs:
        style = STYLE.get(run.state, "white")
        output = ", ".join(f"{k}={v}" for k, v in run.output.items()) or (run.error or "")
        duration = f"{run.duration_s:.1f}s" if run.duration_s is not None else "-"
        table.add_row(run.stage, f"[{style}]{run.state}[/{style}]", duration, output, run.job_id or "-")
    return table


@app.command()
def run(
    spec_path: Path = typer.Argument(..., metavar="SPEC", help="Pipeline spec YAML."),
    from_stage: str | None = typer.Option(
        None, "--from", help=f"Rerun from this stage: {', '.join(STAGES)}."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Run ingest → de-identify → build dataset → train → evaluate → deploy.

    Finished stages whose inputs did not change are reused; a failed run resumes at
    the stage that failed. A failing gate stops before deployment.

    Example: medfoundry pipeline run configs/pipeline/demo.yaml --from train
    """
    spec = load_pipeline_spec(spec_path)

    def show(stage_run: StageRun) -> None:
        if not as_json and not CLIState.quiet:
            console.print(
                f"  {stage_run.stage:9} [{STYLE.get(stage_run.state, 'white')}]{stage_run.state}[/]",
                highlight=False,
            )

    with store_session() as store:
        result = run_pipeline(store, spec, from_stage=from_stage, on_event=show)
    if as_json:
        emit_json(result.to_dict())
    else:
        console.print(_table(f"pipeline {spec.name}", result.stages))
    if not result.ok:
        failed = next(s for s in result.stages if s.state == "failed")
        raise JobError(f"pipeline {spec.name} stopped at {failed.stage}: {failed.error}",
                       hint="fix the cause and run the same command again: finished stages are reused")  # fmt: skip


@app.command()
def status(
    name: str | None = typer.Argument(None, help="Pipeline name (default: the most recently run)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Show each stage's state, duration and output for a pipeline.

    Example: medfoundry pipeline status demo
    """
    with store_session() as store:
        if name is None:
            with store.sessions() as session:
                job = session.scalars(
                    select(Job).where(Job.kind == KIND).order_by(Job.created_at.desc())
                ).first()
            if job is None:
                raise JobError(
                    "no pipeline has run yet", hint="run one with 'medfoundry pipeline run SPEC.yaml'"
                )
            name = str(job.payload["pipeline"])
        runs = pipeline_status(store, name)
    if as_json:
        emit_json({"name": name, "stages": [r.to_dict() for r in runs]})
    else:
        console.print(_table(f"pipeline {name}", runs))
