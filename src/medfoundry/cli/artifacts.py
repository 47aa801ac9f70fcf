"""``medfoundry artifacts``: the content-addressed artifact store."""

from __future__ import annotations

from pathlib import Path

import typer
from sqlalchemy import select

from medfoundry.audit import lineage
from medfoundry.cli.context import store_session
from medfoundry.cli.output import console, emit_json, fmt_time, print_table
from medfoundry.errors import InputError
from medfoundry.store.models import Artifact

app = typer.Typer(help="List, add and export stored artifacts.", no_args_is_help=True)
JSON_OPTION = typer.Option(False, "--json", help="Print one JSON document on stdout.")


def artifact_dict(artifact: Artifact) -> dict[str, object]:
    return {
        "id": artifact.id,
        "kind": artifact.kind,
        "name": artifact.name,
        "sha256": artifact.sha256,
        "size": artifact.size,
        "phi": artifact.phi,
        "encrypted": artifact.encrypted,
        "code_version": artifact.code_version,
        "created_at": artifact.created_at,
    }


@app.command("list")
def list_(
    kind: str | None = typer.Option(None, help="Only artifacts of this kind."),
    limit: int = typer.Option(50, help="How many of the newest."),
    as_json: bool = JSON_OPTION,
) -> None:
    """List artifacts, newest first.

    Example: medfoundry artifacts list --kind raw-records
    """
    query = select(Artifact).order_by(Artifact.created_at.desc()).limit(limit)
    if kind:
        query = query.where(Artifact.kind == kind)
    with store_session() as store, store.sessions() as session:
        artifacts = list(session.scalars(query))
    if as_json:
        emit_json({"artifacts": [artifact_dict(a) for a in artifacts]})
        return
    print_table(
        f"artifacts ({len(artifacts)})",
        ("id", "kind", "name", "size", "phi", "sha256", "created"),
        (
            (
                a.id,
                a.kind,
                a.name,
                f"{a.size:,}",
                "encrypted" if a.encrypted else "-",
                a.sha256[:12],
                fmt_time(a.created_at),
            )
            for a in artifacts
        ),
        fold=True,
    )


@app.command()
def show(artifact_id: str, as_json: bool = JSON_OPTION) -> None:
    """Show an artifact's metadata.

    Example: medfoundry artifacts show art_01jd...
    """
    with store_session() as store:
        document = artifact_dict(store.get_artifact(artifact_id))
    if as_json:
        emit_json(document)
        return
    for key, value in document.items():
        console.print(f"[bold]{key:12}[/bold] {value}", highlight=False)


@app.command()
def add(
    path: Path = typer.Argument(..., help="File to store."),
    kind: str = typer.Option("file", help="What the file is, e.g. notes-export."),
    phi: bool = typer.Option(False, "--phi", help="It holds PHI: encrypt it at rest."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Store a file (streamed; encrypted with --phi).

    Example: medfoundry artifacts add export.ndjson --kind fhir-export --phi
    """
    if not path.is_file():
        raise InputError(f"{path} is not a file", hint="pass the path of an existing file")
    with store_session() as store:
        artifact = store.put_artifact(path, kind=kind, name=path.name, phi=phi)
        lineage.record(store, artifact.id, [(f"source:{path.name}", "read-from")])
        store.audit.append("artifact.put", "artifact", artifact.id, {"sha256": artifact.sha256, "phi": phi})
        document = artifact_dict(artifact)
    if as_json:
        emit_json(document)
    else:
        console.print(f"stored {artifact.id} sha256:{artifact.sha256[:12]}" + (" (encrypted)" if phi else ""))


@app.command()
def export(
    artifact_id: str,
    output: Path = typer.Option(..., "-o", "--output", help="Where to write the plaintext."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Write an artifact's content (decrypted if needed) to a file; the export is audited.

    Example: medfoundry artifacts export art_01jd... -o records.jsonl
    """
    with store_session() as store:
        store.export_artifact(artifact_id, output)
        store.audit.append("artifact.export", "artifact", artifact_id, {})
    if as_json:
        emit_json({"id": artifact_id, "output": str(output)})
    else:
        console.print(f"wrote {output}")
