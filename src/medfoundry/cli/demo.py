"""``medfoundry demo``: the whole pipeline, offline, on synthetic data."""

from __future__ import annotations

from pathlib import Path

import typer

from medfoundry.cli.output import console, emit_json
from medfoundry.demo import DemoConfig, run_demo


def demo(
    output: Path = typer.Option(Path("medfoundry-demo"), "--output", "-o", help="Where the demo writes."),
    patients: int = typer.Option(24, "--patients", min=4, help="Synthetic patients to generate."),
    base_model: str | None = typer.Option(
        None,
        "--base-model",
        help="A Hugging Face id or local directory. Default: a small real instruct model when it is in the "
        "local Hugging Face cache or the hub answers within 5 s, else a tiny local stand-in.",
    ),
    train_steps: int | None = typer.Option(
        None, "--train-steps", min=1, help="LoRA optimizer steps (default: 20 for a real model, 120 for the stand-in)."
    ),
    offline: bool = typer.Option(
        False, "--offline", help="Never contact the model hub: use the tiny stand-in unless --base-model is given."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
) -> None:
    """Run medfoundry end to end on generated data, offline, in its own home.

    Synthetic FHIR with fake PHI → ingest → de-identify → patient-summary dataset →
    LoRA fine-tuning → evaluation with gates → deployment → one guarded chat
    completion over HTTP → evidence pack. Everything lands under ./medfoundry-demo/
    (its home, database and outputs), so your own home is untouched.

    The base model is your --base-model, else a small real instruct model (SmolLM2-135M-Instruct)
    from the local Hugging Face cache or the hub, else a tiny random-weight stand-in whose answers
    are noise (the demo says why). With a real model the base and the fine-tuned model are scored
    on the same held-out patients and the gate is relative: the fine-tuned model may not be worse.

    Example: medfoundry demo --output /tmp/mf-demo
    """
    options = DemoConfig(
        output=output, patients=patients, base_model=base_model, train_steps=train_steps, offline=offline
    )
    result = run_demo(options, log=None if as_json else console.print)
    if as_json:
        emit_json(result.to_dict())
        return
    console.print("\n[bold green]demo finished[/bold green]")
    for name, path in result.outputs.items():
        console.print(f"  {name:16} {path}", highlight=False)
