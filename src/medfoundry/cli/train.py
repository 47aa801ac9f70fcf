"""``medfoundry train``: fine-tune from a YAML spec with CLI overrides; resume, status, logs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table
from typer.core import TyperGroup

from medfoundry.cli.context import store_session
from medfoundry.cli.output import CLIState, console, emit_json, err_console
from medfoundry.errors import JobError
from medfoundry.jobs import queue
from medfoundry.stage import StageEvent
from medfoundry.store.models import Job

JSON_OPTION = typer.Option(False, "--json", help="Print one JSON document on stdout.")
_KNOWN = {
    "--config": True,
    "--json": False,
    "--queue": False,
    "--nproc-per-node": True,
    "-h": False,
    "--help": False,
}


class TrainGroup(TyperGroup):
    """``train --config F --any-field value``: unknown ``--field value`` pairs become spec overrides."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] in self.commands:
            return super().parse_args(ctx, args)
        known: list[str] = []
        extra: list[str] = []
        index = 0
        while index < len(args):
            flag = args[index].split("=", 1)[0]
            takes_value = _KNOWN.get(flag)
            target = known if flag in _KNOWN else extra
            target.append(args[index])
            if takes_value and "=" not in args[index] and index + 1 < len(args):
                target.append(args[index + 1])
                index += 1
            index += 1
        ctx.meta["train_overrides"] = extra
        return super().parse_args(ctx, known)


app = typer.Typer(
    cls=TrainGroup,
    invoke_without_command=True,
    help="Fine-tune a model: medfoundry train --config FILE [--field value ...]. Every spec field "
    "(see configs/finetune/) can be overridden, e.g. --learning-rate 1e-4 --max-steps 100.",
)


@contextmanager
def progress_bar(enabled: bool) -> Iterator[Callable[[dict[str, Any]], None]]:
    """A Rich progress bar fed by the trainer's per-step progress: loss, tokens/s, ETA."""
    columns = (TextColumn("[bold]train"), BarColumn(), TextColumn("step {task.completed}/{task.total}"),
               TextColumn("loss {task.fields[loss]}"), TextColumn("{task.fields[tps]} tok/s"),
               TimeElapsedColumn(), TimeRemainingColumn())  # fmt: skip
    with Progress(*columns, console=err_console, disable=not enabled) as bar:
        task = bar.add_task("train", total=None, loss="-", tps="-")

        def update(progress: dict[str, Any]) -> None:
            if "step" in progress:
                bar.update(task, completed=int(progress["step"]), total=int(progress.get("total_steps", 0)) or None,
                           loss=f"{progress.get('loss', 0):.4f}", tps=f"{progress.get('tokens_per_s', 0):,.0f}")  # fmt: skip

        yield update


def _step_metrics(event: StageEvent) -> dict[str, Any]:
    """The train stage's event as the per-step metrics the progress bar reads."""
    total = {"total_steps": event.total} if event.total is not None else {}
    return {"step": event.done, **total, **event.values}


def _job_document(job: Job, store_stale: float, checkpoint_step: int | None) -> dict[str, Any]:
    return {"job_id": job.id, "state": queue.display_state(job, store_stale), "attempts": job.attempts,
            "progress": job.progress, "last_checkpoint_step": checkpoint_step, "result": job.result,
            "error": job.error, "created_at": job.created_at, "finished_at": job.finished_at}  # fmt: skip


def _finish(job: Job, document: dict[str, Any], as_json: bool) -> None:
    if as_json:
        emit_json(document)
    if job.state != "succeeded":
        first = (job.error or job.state).strip().splitlines()[-1]
        raise JobError(f"training job {job.id} {job.state}: {first}",
                       hint=f"fix the cause, then 'medfoundry train resume {job.id}'")  # fmt: skip
    if not as_json:
        result = job.result or {}
        console.print(f"job {job.id} succeeded: model [bold]{result.get('model_id')}[/bold] ({result.get('model_name')}), "
                      f"final loss {result.get('final_loss'):.4f}, {result.get('tokens_per_s') or 0:,.0f} tokens/s")  # fmt: skip


def _launch_distributed(config: Path | None, overrides: list[str], nproc: int) -> None:
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone", f"--nproc_per_node={nproc}",
               "-m", "medfoundry.train.launch"] + (["--config", str(config)] if config else []) + overrides  # fmt: skip
    completed = subprocess.run(command, env=os.environ.copy(), check=False)
    if completed.returncode != 0:
        raise JobError(f"distributed training exited with status {completed.returncode}")


@app.callback()
def train(
    ctx: typer.Context,
    config: Path | None = typer.Option(
        None, "--config", help="A training spec YAML (see configs/finetune/)."
    ),
    queue_only: bool = typer.Option(False, "--queue", help="Queue the job for 'medfoundry worker' instead."),
    nproc_per_node: int = typer.Option(
        1, "--nproc-per-node", help="Processes (GPUs) on this machine (torchrun)."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Fine-tune a base model on a dataset version with LoRA, QLoRA or full fine-tuning.

    Example: medfoundry train --config configs/finetune/smollm2-135m/lora.yaml --dataset notes@1 --max-steps 50
    """
    if ctx.invoked_subcommand is not None:
        return
    from medfoundry.train.job import submit_training
    from medfoundry.train.spec import load_spec, parse_overrides
    from medfoundry.train.stage import run as run_train

    overrides = ctx.meta.get("train_overrides", [])
    spec = load_spec(config, parse_overrides(overrides))
    if nproc_per_node > 1:
        _launch_distributed(config, overrides, nproc_per_node)
        return
    with store_session() as store:
        if queue_only:
            job = submit_training(store, spec)
            emit_json({"job_id": job.id, "state": job.state}) if as_json else console.print(
                f"queued {job.id}"
            )
            return
        with progress_bar(not CLIState.quiet) as update:
            result = run_train(store, spec, lambda event: update(_step_metrics(event)))
        job = queue.get(store, result.job_id)
        document = _job_document(job, store.settings.job_stale_after_s, None)
    _finish(job, document, as_json)


@app.command()
def resume(
    job_id: str = typer.Argument(..., help="The training job (job_...)."), as_json: bool = JSON_OPTION
) -> None:
    """Continue a crashed, failed or cancelled training job from its last checkpoint.

    Example: medfoundry train resume job_01jd...
    """
    from medfoundry.train.job import resume as resume_job

    with store_session() as store, progress_bar(not CLIState.quiet) as update:
        job = resume_job(store, job_id, on_progress=update)
        document = _job_document(job, store.settings.job_stale_after_s, None)
    _finish(job, document, as_json)


@app.command()
def status(
    job_id: str = typer.Argument(..., help="The training job (job_...)."), as_json: bool = JSON_OPTION
) -> None:
    """Show a training job's state, latest step, loss, tokens/s and checkpoint.

    Example: medfoundry train status job_01jd...
    """
    from medfoundry.train.job import latest_checkpoint_step

    with store_session() as store:
        job = queue.get(store, job_id)
        document = _job_document(job, store.settings.job_stale_after_s, latest_checkpoint_step(store, job_id))
    if as_json:
        emit_json(document)
        return
    for key, value in document.items():
        shown = json.dumps(value, default=str) if isinstance(value, dict) else value
        console.print(f"[bold]{key:20}[/bold] {shown if shown is not None else '-'}", highlight=False)


@app.command()
def logs(job_id: str = typer.Argument(..., help="The training job (job_...)."),
         tail: int | None = typer.Option(None, "--tail", help="Only the last N steps."),
         as_json: bool = JSON_OPTION) -> None:  # fmt: skip
    """Print the per-step metrics a training job recorded (loss, lr, grad norm, tokens/s).

    Example: medfoundry train logs job_01jd... --tail 20
    """
    with store_session() as store:
        queue.get(store, job_id)
        rows = queue.metrics(store, job_id)
    steps: dict[int, dict[str, float]] = {}
    for row in rows:
        steps.setdefault(row.step, {})[row.name] = row.value  # a re-run step after resume overwrites
    ordered = [{"step": step, **values} for step, values in sorted(steps.items())]
    if tail:
        ordered = ordered[-tail:]
    if as_json:
        emit_json({"job_id": job_id, "steps": ordered})
        return
    names = ["loss", "eval_loss", "lr", "grad_norm", "tokens_per_s"]
    table = Table(title=f"{job_id} ({len(ordered)} steps)")
    for column in ["step", *names]:
        table.add_column(column, justify="right")
    for entry in ordered:
        table.add_row(str(entry["step"]), *[f"{entry[n]:.5g}" if n in entry else "-" for n in names])
    console.print(table)
