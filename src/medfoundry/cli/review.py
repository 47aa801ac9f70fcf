"""``medfoundry review``: the human-review queue from the terminal."""

from __future__ import annotations

import getpass
from pathlib import Path

import typer

from medfoundry.cli.context import store_session
from medfoundry.cli.output import console, emit_json, print_table
from medfoundry.errors import InputError
from medfoundry.review import imports
from medfoundry.review import tasks as review
from medfoundry.review.export import export_reviews
from medfoundry.review.stats import review_stats

app = typer.Typer(help="Review generated outputs; export corrections as datasets.", no_args_is_help=True)
JSON_OPTION = typer.Option(False, "--json", help="Print one JSON document on stdout.")


def _reviewer(value: str | None) -> str:
    return value or f"cli:{getpass.getuser()}"


REVIEWER_OPTION = typer.Option(None, "--reviewer", help="Who decides (audited); default cli:<your user name>.")


@app.command("list")
def list_(
    status: str | None = typer.Option(None, help="pending, approved, edited or rejected."),
    deployment: str | None = typer.Option(None, help="Only this deployment's tasks."),
    source: str | None = typer.Option(None, help="serve, evaluation or dataset."),
    reason: str | None = typer.Option(None, help="A routing reason (escalation, sampled, ...) or rejection reason."),
    limit: int = typer.Option(100, help="How many of the newest tasks."),
    as_json: bool = JSON_OPTION,
) -> None:
    """List review tasks, newest first (metadata only, no text).

    Example: medfoundry review list --status pending --deployment triage
    """
    with store_session() as store:
        rows = review.list_tasks(store, status=status, deployment=deployment, source=source, reason=reason, limit=limit)
    summaries = [review.task_summary(t) for t in rows]
    if as_json:
        emit_json({"tasks": summaries})
        return
    print_table(
        f"review tasks ({len(rows)})",
        ("id", "status", "source", "deployment", "routed by", "reviews", "created"),
        ((s["id"], s["status"], s["source"], s["deployment"] or "-", ", ".join(s["routed_by"]),
          f"{s['reviews_done']}/{s['reviewers_required']}", str(s["created_at"])[:19]) for s in summaries),
    )  # fmt: skip


@app.command()
def show(task_id: str = typer.Argument(..., help="A review task id (rvt_...)."), as_json: bool = JSON_OPTION) -> None:
    """Show a task's prompt, the model's output, the source record and the decisions (audited).

    Example: medfoundry review show rvt_01jd...
    """
    with store_session() as store:
        detail = review.task_detail(store, review.get_task(store, task_id))
        store.audit.append("review.view", "review_task", task_id, {}, actor=_reviewer(None))
    if as_json:
        emit_json(detail)
        return
    console.print(f"[bold]{detail['id']}[/bold] {detail['status']} · {detail['source']} {detail['source_ref']}")
    for message in detail["content"]["messages"]:
        console.print(f"[dim]{message['role']}:[/dim] {message['content']}", highlight=False)
    console.print(f"[bold]model output:[/bold] {detail['content']['output']}", highlight=False)
    for d in detail["decisions"]:
        extra = f" ({d['reason']})" if d["reason"] else ""
        console.print(f"[bold]{d['verdict']}[/bold]{extra} by {d['reviewer']}", highlight=False)
        if d["edited"]:
            console.print(f"  edited: {d['edited']}", highlight=False)


def _done(task: review.ReviewTask, as_json: bool) -> None:
    if as_json:
        emit_json(review.task_summary(task))
    else:
        console.print(f"{task.id}: {task.status} ({task.reviews_done}/{task.reviewers_required} reviews)")


@app.command()
def approve(task_id: str = typer.Argument(...), reviewer: str | None = REVIEWER_OPTION, as_json: bool = JSON_OPTION) -> None:
    """Approve the model's output as it is.

    Example: medfoundry review approve rvt_01jd...
    """
    with store_session() as store:
        _done(review.decide(store, task_id, _reviewer(reviewer), "approved"), as_json)


def _text(text: str | None, file: Path | None, required: bool) -> str | None:
    if text is not None and file is not None:
        raise InputError("give the corrected text with --text or --file, not both")
    if file is not None:
        if not file.is_file():
            raise InputError(f"--file {file} does not exist")
        return file.read_text(encoding="utf-8")
    if text is None and required:
        raise InputError("an edit needs the corrected output", hint="pass --text '...' or --file corrected.txt")
    return text


@app.command()
def edit(
    task_id: str = typer.Argument(...),
    text: str | None = typer.Option(None, "--text", help="The corrected output."),
    file: Path | None = typer.Option(None, "--file", help="A file holding the corrected output."),
    reviewer: str | None = REVIEWER_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Correct the model's output; the original is kept and the edit distance recorded.

    Example: medfoundry review edit rvt_01jd... --file corrected.txt
    """
    with store_session() as store:
        _done(review.decide(store, task_id, _reviewer(reviewer), "edited", edited=_text(text, file, True)), as_json)


@app.command()
def reject(
    task_id: str = typer.Argument(...),
    reason: str = typer.Option(..., "--reason", help="hallucination, omission, unsafe, wrong_patient_context, phi, style."),
    text: str | None = typer.Option(None, "--text", help="Optionally, what it should have said (for DPO pairs)."),
    file: Path | None = typer.Option(None, "--file", help="A file holding that corrected output."),
    reviewer: str | None = REVIEWER_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Reject the output with a reason; a rejected output is never released.

    Example: medfoundry review reject rvt_01jd... --reason hallucination
    """
    with store_session() as store:
        task = review.decide(store, task_id, _reviewer(reviewer), "rejected", reason=reason, edited=_text(text, file, False))
    _done(task, as_json)


@app.command()
def export(
    output: str = typer.Option(..., "-o", "--output", help="The dataset name; a new version is added."),
    approved: bool = typer.Option(False, "--approved", help="Include approved outputs."),
    edited: bool = typer.Option(False, "--edited", help="Include edited outputs (as corrected)."),
    rejected: bool = typer.Option(False, "--rejected", help="Include rejections that came with a corrected text."),
    fmt: str = typer.Option("chat", "--format", help="chat (SFT examples) or preference (chosen/rejected for DPO)."),
    deployment: str | None = typer.Option(None, help="Only this deployment's tasks."),
    validation_split: float = typer.Option(0.1, help="Fraction held out for validation."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Export reviewed outputs as a new, PHI-scanned dataset version with lineage to the tasks.

    Example: medfoundry review export --approved --edited -o triage-reviewed
    Example: medfoundry review export --edited --rejected --format preference -o triage-prefs
    """
    with store_session() as store:
        result = export_reviews(store, name=output, approved=approved, edited=edited, rejected=rejected,
                                fmt=fmt, deployment=deployment, validation_fraction=validation_split,  # type: ignore[arg-type]
                                actor=_reviewer(None))  # fmt: skip
    if as_json:
        emit_json(result.to_dict())
        return
    v = result.version
    console.print(f"dataset version [bold]{v.id}[/bold] ({output} v{v.version}, {v.meta['format']}): "
                  f"{result.examples} examples from {len(result.tasks)} reviewed tasks; PHI scan clean")  # fmt: skip


@app.command("import")
def import_(
    evaluation: str | None = typer.Option(None, "--evaluation", help="An evaluation id (evl_...): its generated answers."),
    dataset: str | None = typer.Option(None, "--dataset", help="A task dataset version (id, NAME or NAME@N)."),
    limit: int | None = typer.Option(None, help="At most this many tasks."),
    reviewers: int = typer.Option(1, min=1, max=2, help="Reviews per task (2: agreement is measured)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Give reviewers a batch: an evaluation's per-item outputs or a task dataset's examples.

    Example: medfoundry review import --evaluation evl_01jd... --limit 50 --reviewers 2
    """
    if (evaluation is None) == (dataset is None):
        raise InputError("give exactly one of --evaluation or --dataset")
    with store_session() as store:
        if evaluation:
            result = imports.from_evaluation(store, evaluation, limit=limit, reviewers=reviewers, actor=_reviewer(None))
        else:
            result = imports.from_dataset(store, str(dataset), limit=limit, reviewers=reviewers, actor=_reviewer(None))
    if as_json:
        emit_json(result.to_dict())
        return
    console.print(f"created {len(result.created)} review tasks from {result.source} ({result.skipped} skipped)")


@app.command()
def stats(deployment: str | None = typer.Option(None, help="Only this deployment."), as_json: bool = JSON_OPTION) -> None:
    """Acceptance, rejection and edit rates, edit distance, rejections per reason, reviewer agreement.

    Example: medfoundry review stats --deployment triage --json
    """
    with store_session() as store:
        numbers = review_stats(store, deployment=deployment)
    if as_json:
        emit_json(numbers)
        return
    rows = [(name, str(t["reviewed"]), _pct(t["acceptance_rate"]), _pct(t["edit_rate"]), _pct(t["rejection_rate"]),
             "-" if t["mean_edit_distance"] is None else f"{t['mean_edit_distance']:.1f}")
            for name, t in {"all": numbers["overall"], **numbers["by_deployment"]}.items()]  # fmt: skip
    print_table(f"review quality ({numbers['pending']} pending)",
                ("deployment", "reviewed", "accepted", "edited", "rejected", "mean edit distance (words)"), rows)  # fmt: skip
    kappa = numbers["agreement"]["kappa"]
    console.print(f"rejections by reason: {numbers['rejections_by_reason'] or '-'}; "
                  f"agreement (Cohen's kappa) over {numbers['agreement']['double_reviewed']} double-reviewed tasks: "
                  f"{'-' if kappa is None else f'{kappa:.3f}'}")  # fmt: skip


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"
