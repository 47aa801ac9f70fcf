"""Finding input files and guessing their format."""

from __future__ import annotations

import re
from pathlib import Path

from medfoundry.errors import InputError

FORMATS = ("auto", "bundle", "ndjson", "jsonl", "csv")
# Bulk Data output files are named <ResourceType>[.NNN].ndjson; others (log.ndjson) are not data.
_BULK_NAME = re.compile(r"^[A-Z][A-Za-z]+(\.\d+)?\.ndjson$")


def list_files(source: Path, suffixes: tuple[str, ...]) -> list[Path]:
    if source.is_file():
        return [source]
    if not source.is_dir():
        raise InputError(f"{source}: no such file or folder", hint="give a FHIR export folder or a file")
    found = sorted(p for p in source.iterdir() if p.is_file() and p.name.endswith(suffixes))
    if not found and suffixes != ("",):
        raise InputError(
            f"{source}: no {' or '.join(suffixes)} files in this folder",
            hint="check the path, or name the format with --format bundle|ndjson|jsonl|csv",
        )
    return found


def bulk_files(source: Path) -> tuple[list[Path], list[Path]]:
    """(data files, skipped files) of a Bulk export folder."""
    files = list_files(source, (".ndjson",))
    if source.is_file():
        return files, []
    return [p for p in files if _BULK_NAME.match(p.name)], [p for p in files if not _BULK_NAME.match(p.name)]


def detect_format(source: Path) -> str:
    """``bundle``, ``ndjson``, ``jsonl`` or ``csv`` from the file names."""
    names = [source.name] if source.is_file() else [p.name for p in list_files(source, ("",))]
    for suffix, fmt in ((".ndjson", "ndjson"), (".json", "bundle"), (".jsonl", "jsonl"), (".csv", "csv")):
        if any(name.endswith(suffix) for name in names):
            return fmt
    raise InputError(
        f"{source}: cannot tell the format (no .ndjson, .json, .jsonl or .csv files)",
        hint="name it with --format bundle|ndjson|jsonl|csv",
    )
