"""``medfoundry data synth-notes``: realistic ICU/nursing/discharge notes with gold PHI spans."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import typer

from medfoundry.cli.output import CLIState, console, emit_json


def synth_notes(
    count: int = typer.Option(100, "-n", "--count", min=1, help="How many notes to write."),
    seed: int = typer.Option(
        0,
        "--seed",
        help="The same seed writes the same bytes. Seeds 0-999 are tune data, 1000-1999 report data.",
    ),
    output: Path = typer.Option(..., "-o", "--output", help="The spans-jsonl file to write."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
) -> None:
    """Generate realistic clinical notes with gold PHI spans, for `medfoundry deid eval`.

    Telegraphic ICU nursing, respiratory, neonatal, event and discharge notes in ALL CAPS,
    lowercase or mixed case, with surrogate PHI (Faker, several locales) in the shapes real
    notes use. Each line: {"id", "text", "spans": [{"start", "end", "type", "subtype"}], "class", "case"}.

    Example: medfoundry data synth-notes -n 300 --seed 1000 -o notes.report.jsonl
    """
    from medfoundry.synth.notes_icu import generate_notes
    from medfoundry.synth.notes_markup import write_jsonl

    notes = list(generate_notes(count, seed))
    write_jsonl(notes, output)
    by_type = Counter(span.type for note in notes for span in note.spans)
    document = {"output": str(output), "notes": len(notes), "seed": seed, "spans": sum(by_type.values()),
                "spans_by_type": dict(sorted(by_type.items()))}  # fmt: skip
    if as_json:
        emit_json(document)
    elif not CLIState.quiet:
        console.print(
            f"wrote {len(notes)} notes with {document['spans']} gold PHI spans → {output}", highlight=False
        )
