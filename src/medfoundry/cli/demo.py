"""``medfoundry demo``: the whole pipeline, offline, on synthetic data."""

from __future__ import annotations

from pathlib import Path

import typer

from medfoundry.cli.output import console, emit_json
from medfoundry.pipeline.demo import DemoOptions, run_demo


def demo(
    output: Path = typer.Option(Path("medfoundry-demo"), "--output", "-o", help="Where the demo writes."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
) -> None:
    """Run medfoundry end to end on generated data, offline, in its own home.

    Everything lands under ./medfoundry-demo/ (its home, database and outputs), so
    your own home is untouched.

    Example: medfoundry demo --output /tmp/mf-demo
    """
    result = run_demo(DemoOptions(output=output), log=None if as_json else console.print)
    if as_json:
        emit_json(result.to_dict())
        return
    console.print("\n[bold green]demo finished[/bold green]")
    for name, path in result.outputs.items():
        console.print(f"  {name:16} {path}", highlight=False)
