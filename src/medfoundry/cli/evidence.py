"""``medfoundry evidence MODEL -o pack.zip`` and ``medfoundry evidence verify pack.zip``."""

from __future__ import annotations

from pathlib import Path

import typer

from medfoundry.cli.context import store_session
from medfoundry.cli.output import console, emit_json
from medfoundry.errors import ConfigError, TamperedError
from medfoundry.evidence import build_evidence_pack, verify_evidence_pack


def evidence(
    target: str = typer.Argument(..., help="A model (id, name or directory), or the word 'verify'."),
    pack: Path | None = typer.Argument(None, help="With 'verify': the pack to check."),
    output: Path | None = typer.Option(None, "-o", "--output", help="Where to write the pack (.zip)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
) -> None:
    """Write a model's evidence pack, or verify one.

    The pack holds the model card, dataset cards with the de-identification report,
    the training spec and curves, scorecards with gate decisions, the lineage graph,
    the audit events about the model with a hash-chain proof, and a manifest of
    sha256 hashes of every file. No PHI: the pack is scanned before it is written.

    Example: medfoundry evidence mdl_01jd... -o pack.zip
    Example: medfoundry evidence verify pack.zip
    """
    if target == "verify":
        if pack is None:
            raise ConfigError(
                "'evidence verify' needs the pack to check", hint="medfoundry evidence verify pack.zip"
            )
        report = verify_evidence_pack(pack)
        if as_json:
            emit_json(report.to_dict())
            if not report.ok:
                raise typer.Exit(TamperedError.exit_code)
            return
        if not report.ok:
            raise TamperedError(
                f"evidence pack {pack} failed verification: " + "; ".join(report.problems[:5])
            )
        console.print(
            f"[green]evidence pack OK[/green]: {report.files_checked} files match their hashes; "
            f"{report.audit_events} audit events chain to head {str(report.head_hash)[:16]}"
        )
        return
    if pack is not None:
        raise ConfigError(f"unexpected argument '{pack}'", hint="medfoundry evidence MODEL -o pack.zip")
    with store_session() as store:
        result = build_evidence_pack(store, target, output or Path(f"{target}-evidence.zip"))
    if as_json:
        emit_json(result.to_dict())
    else:
        console.print(
            f"wrote {result.path}: {result.files} files, {result.audit_events} audit events", highlight=False
        )
