"""``medfoundry jobs`` and ``medfoundry worker``."""

from __future__ import annotations

import json

import typer

from medfoundry.cli.context import store_session
from medfoundry.cli.output import console, emit_json, fmt_time, print_table
from medfoundry.errors import ConfigError
from medfoundry.jobs import queue
from medfoundry.jobs.kinds import job_kinds
from medfoundry.jobs.worker import run_worker
from medfoundry.store.models import Job

app = typer.Typer(help="List, submit, cancel and retry jobs.", no_args_is_help=True)
JSON_OPTION = typer.Option(False, "--json", help="Print one JSON document on stdout.")


def job_dict(job: Job, stale_after_s: float) -> dict[str, object]:
    return {
        "id": job.id,
        "kind": job.kind,
        "state": queue.display_state(job, stale_after_s),
        "attempts": job.attempts,
        "worker": job.worker,
        "payload": job.payload,
        "progress": job.progress,
        "result": job.result,
        "error": job.error,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "heartbeat_at": job.heartbeat_at,
    }


@app.command("list")
def list_(
    state: str | None = typer.Option(None, help="queued, running, stale, succeeded, failed or cancelled."),
    limit: int = typer.Option(50, help="How many of the newest jobs."),
    as_json: bool = JSON_OPTION,
) -> None:
    """List jobs, newest first. A running job whose worker stopped heartbeating shows as stale.

    Example: medfoundry jobs list --state stale
    """
    with store_session() as store:
        stale_after = store.settings.job_stale_after_s
        jobs = queue.list_jobs(store, state=state, limit=limit)
    if as_json:
        emit_json({"jobs": [job_dict(job, stale_after) for job in jobs]})
        return
    print_table(
        f"jobs ({len(jobs)})",
        ("id", "kind", "state", "attempts", "worker", "created", "heartbeat"),
        (
            (
                job.id,
                job.kind,
                queue.display_state(job, stale_after),
                str(job.attempts),
                job.worker or "-",
                fmt_time(job.created_at),
                fmt_time(job.heartbeat_at),
            )
            for job in jobs
        ),
        fold=True,
    )


@app.command()
def show(job_id: str, as_json: bool = JSON_OPTION) -> None:
    """Show one job with its payload, progress, result or error.

    Example: medfoundry jobs show job_01jd...
    """
    with store_session() as store:
        job = queue.get(store, job_id)
        document = job_dict(job, store.settings.job_stale_after_s)
    if as_json:
        emit_json(document)
        return
    for key, value in document.items():
        shown = json.dumps(value, default=str) if isinstance(value, dict) else value
        console.print(f"[bold]{key:12}[/bold] {shown if shown is not None else '-'}", highlight=False)


@app.command()
def submit(
    kind: str = typer.Argument(..., help="The job kind, e.g. noop or audit-verify."),
    payload: str = typer.Option("{}", help="The job's input as a JSON object."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Queue a job for a worker ('medfoundry worker') to run.

    Example: medfoundry jobs submit noop --payload '{"seconds": 2}'
    """
    try:
        parsed = json.loads(payload)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"--payload is not valid JSON: {exc}") from exc
    if not isinstance(parsed, dict):
        raise ConfigError("--payload must be a JSON object such as '{\"seconds\": 2}'")
    with store_session() as store:
        job = queue.submit(store, kind, parsed)
        document = job_dict(job, store.settings.job_stale_after_s)
    if as_json:
        emit_json(document)
    else:
        console.print(f"queued {job.id} ({kind})")


@app.command()
def kinds(as_json: bool = JSON_OPTION) -> None:
    """List the job kinds a worker can run.

    Example: medfoundry jobs kinds
    """
    names = job_kinds.names()
    if as_json:
        emit_json({"kinds": names})
    else:
        console.print("\n".join(names))


@app.command()
def cancel(job_id: str, as_json: bool = JSON_OPTION) -> None:
    """Cancel a queued job, or ask a running one to stop at its next check.

    Example: medfoundry jobs cancel job_01jd...
    """
    with store_session() as store:
        job = queue.cancel(store, job_id)
        document = job_dict(job, store.settings.job_stale_after_s)
    if as_json:
        emit_json(document)
    else:
        console.print(
            f"{job_id}: {document['state']}" + (" (cancel requested)" if job.cancel_requested else "")
        )


@app.command()
def retry(job_id: str, as_json: bool = JSON_OPTION) -> None:
    """Queue a failed, cancelled or stale job again.

    Example: medfoundry jobs retry job_01jd...
    """
    with store_session() as store:
        job = queue.retry(store, job_id)
        document = job_dict(job, store.settings.job_stale_after_s)
    if as_json:
        emit_json(document)
    else:
        console.print(f"{job_id} queued again")


def worker(
    drain: bool = typer.Option(False, "--drain", help="Exit when the queue is empty."),
    max_jobs: int | None = typer.Option(None, "--max-jobs", help="Exit after this many jobs."),
    poll: float = typer.Option(1.0, "--poll", help="Seconds between polls of an empty queue."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Run queued jobs until stopped (Ctrl-C or SIGTERM), one at a time.

    Start several workers, on one machine or many sharing a PostgreSQL database:
    each job runs exactly once.

    Example: medfoundry worker --drain
    """
    with store_session() as store:
        stats = run_worker(store, drain=drain, max_jobs=max_jobs, poll_interval_s=poll)
    if as_json:
        emit_json(stats.__dict__)
    else:
        console.print(f"worker {stats.worker}: ran {stats.ran} ({stats.succeeded} ok, {stats.failed} failed)")
