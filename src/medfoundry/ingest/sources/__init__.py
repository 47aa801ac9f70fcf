"""Input sources: each yields ``Incoming`` items (a parsed resource or note, where it came from)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from medfoundry.ingest.problems import Where
from medfoundry.ingest.records import Note


@dataclass
class Incoming:
    """One unit of input: a parsed FHIR resource, a note, or text that did not parse."""

    where: Where
    resource: Any = None
    note: Note | None = None
    raw: bytes | None = None  # the original text, for the quarantine file
    error: str | None = None  # why the text did not parse (no values quoted)
    done_bytes: int = 0  # input bytes consumed so far, for progress
    is_note: bool = False  # a row of a notes file (counted as a Note)


class Source(Protocol):
    kind: str  # "fhir-bundle", "fhir-ndjson", "notes-jsonl", "notes-csv", "fhir-server"
    total_bytes: int | None

    def describe(self) -> str: ...

    def lineage_id(self) -> str: ...

    def __iter__(self) -> Iterator[Incoming]: ...


def lineage_id(kind: str, location: str, name: str) -> str:
    """An external lineage id (at most 64 characters): kind, a readable name, a hash of the full location."""
    digest = hashlib.sha256(location.encode("utf-8")).hexdigest()[:10]
    prefix = f"source:{kind}/"
    room = 64 - len(prefix) - len(digest) - 1
    return f"{prefix}{name[:room]}#{digest}"


def json_error(exc: Exception) -> str:
    """A JSON parse error without the offending text."""
    text = str(exc)
    return "invalid JSON: " + text.split(":")[0] if text else "invalid JSON"
