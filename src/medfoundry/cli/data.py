"""``medfoundry data``: import clinical data and list/show dataset versions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from medfoundry import dataset_versions as versions
from medfoundry.cli.context import store_session
from medfoundry.cli.output import CLIState, console, emit_json, err_console, fmt_time, print_table
from medfoundry.stage import OnEvent, StageEvent
from medfoundry.store.models import DatasetVersion

app = typer.Typer(help="Import clinical data; list and show dataset versions.", no_args_is_help=True)
JSON_OPTION = typer.Option(False, "--json", help="Print one JSON document on stdout.")
INGEST_KEYS = ("dataset_version", "patients", "resources_read", "resources_kept", "quarantined", "notes")


@contextmanager
def _progress_bar(enabled: bool) -> Iterator[OnEvent | None]:
    """A Rich bar with resources/s and ETA on stderr; None when quiet or not a terminal."""
    if not enabled:
        yield None
        return
    columns = (TextColumn("ingesting"), BarColumn(), TextColumn("{task.fields[read]:,} resources"),
               TextColumn("{task.fields[rate]:,.0f}/s"), TimeElapsedColumn(), TimeRemainingColumn())  # fmt: skip
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task("ingest", total=None, read=0, rate=0.0)

        def update(event: StageEvent) -> None:
            read = int(event.values.get("resources", 0))
            elapsed = bar.tasks[0].elapsed or 0.0
            rate = read / elapsed if elapsed > 0 else 0.0
            bar.update(task, completed=event.done, total=event.total, read=read, rate=rate)

        yield update


@app.command()
def ingest(
    source: Path | None = typer.Argument(
        None, help="A FHIR bundle/NDJSON file or folder, a notes file, or DICOM Part 10 files (file or folder)."
    ),
    fhir_url: str | None = typer.Option(None, "--fhir-url", help="Import from a FHIR server's base URL."),
    dicomweb: str | None = typer.Option(
        None, "--dicomweb", help="Import every study of a DICOMweb server (QIDO-RS + WADO-RS); user:password@ in the URL for Basic auth."
    ),
    token: str | None = typer.Option(
        None, "--token", help="Bearer token for --fhir-url or --dicomweb.", envvar="MEDFOUNDRY_FHIR_TOKEN"
    ),
    fmt: str = typer.Option("auto", "--format", help="auto, bundle, ndjson, jsonl or csv."),
    name: str | None = typer.Option(None, "--name", help="Dataset name (default: from the source)."),
    strict: bool = typer.Option(False, "--strict", help="Also validate with the fhir.resources R4B models."),
    text_column: str = typer.Option("text", "--text-column", help="Notes: column with the note text."),
    patient_column: str = typer.Option(
        "patient_id", "--patient-column", help="Notes: column with the patient id."
    ),
    date_column: str = typer.Option("date", "--date-column", help="Notes: column with the note date."),
    id_column: str = typer.Option("id", "--id-column", help="Notes: column with the note id."),
    title_column: str = typer.Option("title", "--title-column", help="Notes: column with the note title."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Import FHIR R4 bundles, Bulk NDJSON, a FHIR server or notes as an encrypted dataset version.

    Example: medfoundry data ingest ./export/ --json
    """
    from medfoundry.imaging.dicom.read import is_dicom_source
    from medfoundry.ingest.run import make_config, run
    from medfoundry.ingest.sources.notes_files import NoteColumns

    if dicomweb is not None or (source is not None and fhir_url is None and is_dicom_source(source)):
        _ingest_dicom(source, dicomweb, token, name, as_json)
        return

    columns = NoteColumns(
        text=text_column, patient=patient_column, date=date_column, id=id_column, title=title_column
    )
    config = make_config(
        source=source, fhir_url=fhir_url, token=token, format=fmt, name=name, strict=strict, columns=columns
    )
    show_bar = not (as_json or CLIState.quiet) and err_console.is_terminal
    with store_session() as store, _progress_bar(show_bar) as progress:
        result = run(store, config, progress)
    document = result.to_dict()
    if as_json:
        emit_json({key: document[key] for key in INGEST_KEYS} | document)
        return
    console.print(
        f"[bold]{result.dataset}@{result.version}[/bold] ({result.dataset_version}): {result.patients} patients, "
        f"{result.resources_read} read, {result.resources_kept} kept, {result.quarantined} quarantined, "
        f"{result.notes} notes ({result.notes_decoded} decoded)"
    )
    _type_table(result.by_type)
    if result.quarantine:
        console.print(
            f"quarantine: {result.quarantine['artifact']} (encrypted) at {result.quarantine['path']}"
        )


def _ingest_dicom(
    source: Path | None, dicomweb: str | None, token: str | None, name: str | None, as_json: bool
) -> None:
    """DICOM Part 10 files or a DICOMweb server into a raw version (instances encrypted, indexed)."""
    from medfoundry.errors import ConfigError
    from medfoundry.imaging.dicom.ingest import ingest_dicomweb, ingest_path

    if (source is None) == (dicomweb is None):
        raise ConfigError("give either SOURCE (DICOM files) or --dicomweb URL, not both or neither")
    with store_session() as store:
        if dicomweb is not None:
            result = ingest_dicomweb(store, dicomweb, token=token, name=name)
        else:
            assert source is not None
            result = ingest_path(store, source, name=name)
    if as_json:
        emit_json(result.to_dict())
        return
    console.print(
        f"[bold]{result.dataset}@{result.version}[/bold] ({result.dataset_version}): {result.studies} studies, "
        f"{result.series} series, {result.instances} instances ({result.size_bytes:,} bytes), "
        f"{result.quarantined} quarantined, {result.burned_in_risk} at risk of burned-in text"
    )
    for problem in result.problems[:20]:
        console.print(f"  quarantined {problem['file']}: {problem['reason']}", highlight=False, markup=False)


@app.command()
def export(
    ref: str = typer.Argument(..., help="A de-identified DICOM dataset version: dsv_..., NAME or NAME@N."),
    output: Path | None = typer.Option(None, "-o", "--output", help="Folder for <study>/<series>/<instance>.dcm."),
    dicomweb: str | None = typer.Option(None, "--dicomweb", help="STOW-RS the instances to this DICOMweb URL instead."),
    token: str | None = typer.Option(None, "--token", help="Bearer token for --dicomweb."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Write a de-identified DICOM dataset version as Part 10 files (or STOW-RS it to a server).

    Example: medfoundry data export ct-scans@2 -o ./ct-deid
    """
    from medfoundry.errors import ConfigError
    from medfoundry.imaging.dicom.export import export_dicomweb, export_files

    if (output is None) == (dicomweb is None):
        raise ConfigError("give either -o DIR or --dicomweb URL")
    with store_session() as store:
        if output is not None:
            result = export_files(store, ref, output)
        else:
            assert dicomweb is not None
            result = export_dicomweb(store, ref, dicomweb, token=token)
    if as_json:
        emit_json(result.to_dict())
    else:
        console.print(f"{result.instances} instances of {result.dataset_version} → {result.destination}")
    if result.burned_in_risk:
        err_console.print(
            f"warning: {result.burned_in_risk} instances may show burned-in text (headers are clean; "
            "pixels were not checked): review them, or de-identify with 'medfoundry deid run --ocr'"
        )


def _type_table(by_type: dict[str, dict[str, int]]) -> None:
    table = Table(title="by resource type")
    for column in ("type", "read", "kept", "quarantined"):
        table.add_column(column, justify="left" if column == "type" else "right")
    for rtype, counts in by_type.items():
        table.add_row(rtype, str(counts["read"]), str(counts["kept"]), str(counts["quarantined"]))
    console.print(table)


def _version_dict(dataset: str, version: DatasetVersion) -> dict[str, Any]:
    return {
        "id": version.id, "dataset": dataset, "version": version.version, "kind": version.kind,
        "content_hash": version.content_hash, "phi": version.phi, "artifact": version.artifact_id,
        "source": version.source, "counts": version.counts, "meta": version.meta,
        "code_version": version.code_version, "created_at": version.created_at,
    }  # fmt: skip


@app.command("list")
def list_(
    limit: int = typer.Option(100, help="How many of the newest versions."), as_json: bool = JSON_OPTION
) -> None:
    """List dataset versions, newest first.

    Example: medfoundry data list --json
    """
    with store_session() as store:
        rows = versions.list_versions(store, limit=limit)
    if as_json:
        emit_json({"versions": [_version_dict(name, version) for name, version in rows]})
        return
    print_table(
        f"dataset versions ({len(rows)})",
        ("id", "dataset", "version", "kind", "patients", "records sha256", "created"),
        (
            (
                v.id,
                name,
                str(v.version),
                v.kind,
                str((v.counts or {}).get("patients", "-")),
                v.content_hash[:12],
                fmt_time(v.created_at),
            )
            for name, v in rows
        ),
    )


@app.command()
def show(
    ref: str = typer.Argument(..., help="dsv_..., NAME (latest) or NAME@N."), as_json: bool = JSON_OPTION
) -> None:
    """Show one dataset version: counts, source, content hash, quarantine.

    Example: medfoundry data show bulk-export@2
    """
    with store_session() as store:
        version = versions.get_version(store, ref)
        document = _version_dict(versions.dataset_name(store, version), version)
    if as_json:
        emit_json(document)
        return
    for key in (
        "id",
        "dataset",
        "version",
        "kind",
        "source",
        "content_hash",
        "artifact",
        "phi",
        "created_at",
    ):
        console.print(f"[bold]{key}:[/bold] {document[key]}", highlight=False)
    counts = dict(document["counts"] or {})
    by_type = counts.pop("by_type", None)
    for key, value in counts.items():
        console.print(f"[bold]{key}:[/bold] {value}", highlight=False)
    if by_type:
        _type_table(by_type)
    quarantine = (document["meta"] or {}).get("quarantine")
    if quarantine:
        console.print(
            f"[bold]quarantine:[/bold] {quarantine['count']} in {quarantine['artifact']}", highlight=False
        )
