"""``medfoundry audit``: read, verify and export the hash-chained audit log."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from medfoundry.cli.context import store_session
from medfoundry.cli.output import console, emit_json, print_table
from medfoundry.errors import TamperedError

app = typer.Typer(help="Read, verify and export the tamper-evident audit log.", no_args_is_help=True)


@app.command()
def tail(
    n: int = typer.Option(20, "-n", "--lines", help="How many of the newest events to show."),
    object_id: str | None = typer.Option(None, "--object", help="Only events about this object id."),
    action: str | None = typer.Option(None, "--action", help="Only events with this action."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
) -> None:
    """Show the newest audit events.

    Example: medfoundry audit tail -n 50 --action job.submit
    """
    with store_session() as store:
        events = store.audit.tail(n, object_id=object_id, action=action)
    if as_json:
        emit_json({"events": [event.to_dict() for event in events]})
        return
    print_table(
        f"audit log (newest {len(events)})",
        ("seq", "time", "actor", "action", "object", "details", "hash"),
        (
            (
                str(event.seq),
                event.ts[:19],
                event.actor,
                event.action,
                f"{event.object_type}:{event.object_id}",
                json.dumps(event.details, sort_keys=True),
                event.hash[:12],
            )
            for event in events
        ),
        fold=True,
    )


@app.command()
def verify(as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout.")) -> None:
    """Check every link of the hash chain; exits non-zero at the first broken one.

    An edited, deleted or reordered event is reported with its sequence number.

    Example: medfoundry audit verify
    """
    with store_session() as store:
        result = store.audit.verify()
    if as_json:
        emit_json(result.to_dict())
        if not result.ok:
            raise typer.Exit(TamperedError.exit_code)
        return
    if result.ok:
        console.print(f"[green]audit chain OK[/green]: {result.events} events, head {result.head_hash[:16]}")
        return
    raise TamperedError(
        f"audit chain broken at event {result.broken_at_seq}: {result.problem} "
        f"({result.events} events before it verified)",
        hint="restore the database from a backup and investigate who changed it",
    )


@app.command()
def export(
    output: Path | None = typer.Option(None, "-o", "--output", help="File to write; stdout when omitted."),
    jsonl: bool = typer.Option(True, "--jsonl", help="One JSON event per line (the only format)."),
) -> None:
    """Export the whole chain as JSON Lines, oldest first, with hashes for offline checking.

    Example: medfoundry audit export --jsonl -o audit.jsonl
    """
    with store_session() as store:
        handle = output.open("w", encoding="utf-8") if output else sys.stdout
        try:
            for event in store.audit.iter_events():
                handle.write(json.dumps(event.to_dict(), sort_keys=True) + "\n")
        finally:
            if output:
                handle.close()
    if output:
        console.print(f"wrote {output}", highlight=False)
