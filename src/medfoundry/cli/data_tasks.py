"""``medfoundry data synth`` and ``medfoundry data build`` (registered on the ``data`` group)."""

from __future__ import annotations

from pathlib import Path

import typer

from medfoundry.cli.context import store_session
from medfoundry.cli.output import console, emit_json
from medfoundry.datasets.build import BuildConfig
from medfoundry.datasets.build import run as run_build
from medfoundry.datasets.templates import TaskConfig, task_templates
from medfoundry.synth import SynthOptions, write_bulk_ndjson

JSON_OPTION = typer.Option(False, "--json", help="Print one JSON document on stdout.")


def synth(
    patients: int = typer.Option(10, "--patients", min=1, help="How many patients to generate."),
    output: Path = typer.Option(..., "-o", "--output", help="Folder for the Bulk NDJSON files."),
    seed: int = typer.Option(0, help="The same seed writes the same bytes."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Generate synthetic FHIR R4 Bulk NDJSON with realistic fake PHI.

    Patients, encounters, conditions, medications, vitals and free-text notes that
    mention the patients' (fake) names, numbers and dates. Nothing is real: names, numbers and places come from Faker. Deterministic per seed.

    Example: medfoundry data synth --patients 20 -o ./synthetic-fhir
    """
    summary = write_bulk_ndjson(output, SynthOptions(patients=patients, seed=seed))
    if as_json:
        emit_json(summary.to_dict())
        return
    counts = ", ".join(f"{n} {kind}" for kind, n in summary.counts.items())
    console.print(f"wrote {summary.directory}: {counts}", highlight=False)


def build(
    dataset: str = typer.Argument(..., help="A de-identified dataset version: dsv_..., NAME or NAME@N."),
    task: str = typer.Option(..., "--task", help=f"One of: {', '.join(task_templates.names())}."),
    name: str | None = typer.Option(None, help="Name of the new dataset (default DATASET-TASK)."),
    criteria: Path | None = typer.Option(None, help="Trial criteria YAML (trial-matching)."),
    qa: Path | None = typer.Option(None, help="Questions JSONL (clinical-qa)."),
    validation_fraction: float = typer.Option(0.2, min=0.0, max=0.9, help="Share of patients held out."),
    seed: int = typer.Option(0, help="Seed of the patient split."),
    max_source_chars: int = typer.Option(
        3000, min=200, help="Cut the rendered record in prompts to this length."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Turn de-identified records into a task dataset (chat JSONL, split by patient).

    The examples are PHI-scanned first; a failing scan stores nothing.

    Example: medfoundry data build notes-deid --task patient-summary
    """
    options = TaskConfig(criteria_file=criteria, qa_file=qa, max_source_chars=max_source_chars)
    with store_session() as store:
        config = BuildConfig(source=dataset, task=task, options=options, name=name,
                             validation_fraction=validation_fraction, seed=seed)  # fmt: skip
        result = run_build(store, config)
    if as_json:
        emit_json(result.to_dict())
        return
    console.print(
        f"built {result.name} ({result.dataset_version}): {result.examples} {task} examples from "
        f"{result.patients} patients ({result.train} train / {result.validation} validation); PHI scan passed",
        highlight=False,
    )
