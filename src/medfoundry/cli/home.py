"""``version``, ``init`` and ``doctor``."""

from __future__ import annotations

import platform

import typer
from rich.table import Table

from medfoundry import __version__
from medfoundry.cli.output import console, emit_json, status_style
from medfoundry.doctor import run_checks
from medfoundry.store.home import init_home
from medfoundry.version import git_commit

JSON_OPTION = typer.Option(False, "--json", help="Print one JSON document on stdout.")


def version(as_json: bool = JSON_OPTION) -> None:
    """Print the medfoundry version and git commit.

    Example: medfoundry version --json
    """
    info = {"medfoundry": __version__, "git_commit": git_commit(), "python": platform.python_version()}
    if as_json:
        emit_json(info)
        return
    commit = f" (git {info['git_commit'][:12]})" if info["git_commit"] else ""
    console.print(f"medfoundry {__version__}{commit} on Python {info['python']}")


def init(as_json: bool = JSON_OPTION) -> None:
    """Create the medfoundry home: database, artifact store and a new 0600 key file.

    Safe to run again: an existing home is migrated to the newest schema and
    nothing else changes. The home is $MEDFOUNDRY_HOME (default ~/.medfoundry).

    Example: MEDFOUNDRY_HOME=/srv/medfoundry medfoundry init
    """
    result = init_home()
    if as_json:
        emit_json(result.to_dict())
        return
    verb = "created" if result.created else "ready"
    console.print(f"[green]medfoundry home {verb}[/green] at {result.home}")
    console.print(f"  database      {result.database} (schema {result.schema_version})")
    key_note = "new key written" if result.key_created else "existing key kept"
    console.print(f"  key           {result.key_file} ({key_note}, key id {result.key_id})")
    console.print(f"  audit events  {result.audit_events}")
    if result.key_created:
        console.print("[yellow]Back up the key file: PHI artifacts cannot be read without it.[/yellow]")


def doctor(as_json: bool = JSON_OPTION) -> None:
    """Check Python, torch, GPU, database and schema, disk space and the key file.

    Each line is OK, WARN or FAIL with a fix; exits non-zero when anything FAILs.

    Example: medfoundry doctor --json
    """
    checks = run_checks()
    failed = any(check.status == "FAIL" for check in checks)
    if as_json:
        emit_json({"ok": not failed, "checks": [check.to_dict() for check in checks]})
    else:
        table = Table(title="medfoundry doctor", show_lines=False)
        for column in ("check", "status", "detail", "fix"):
            table.add_column(column)
        for check in checks:
            style = status_style(check.status)
            table.add_row(check.name, f"[{style}]{check.status}[/{style}]", check.detail, check.fix or "")
        console.print(table)
    if failed:
        raise typer.Exit(1)
