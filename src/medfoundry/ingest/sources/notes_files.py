"""Clinical notes from JSON Lines or CSV files, with a column mapping."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
from pydantic import BaseModel, Field

from medfoundry.ingest.problems import Where
from medfoundry.ingest.records import Note
from medfoundry.ingest.sources import Incoming, json_error, lineage_id
from medfoundry.ingest.sources.files import list_files


class NoteColumns(BaseModel):
    """Which column (CSV) or key (JSONL) holds each part of a note."""

    text: str = Field("text", description="the note text (required)")
    patient: str = Field("patient_id", description="the patient id (required)")
    date: str = Field("date", description="the note date (optional)")
    id: str = Field("id", description="the note id (optional; default file:line)")
    title: str = Field("title", description="the note title (optional)")


class NotesSource:
    def __init__(self, path: Path, fmt: str, columns: NoteColumns) -> None:
        self.path = path
        self.fmt = fmt
        self.kind = f"notes-{fmt}"
        self.columns = columns
        self.files = list_files(path, (f".{fmt}",))
        self.total_bytes: int | None = sum(p.stat().st_size for p in self.files)

    def describe(self) -> str:
        return f"clinical notes ({self.fmt}) at {self.path} ({len(self.files)} files)"

    def lineage_id(self) -> str:
        return lineage_id(self.kind, str(self.path.resolve()), self.path.resolve().name)

    def __iter__(self) -> Iterator[Incoming]:
        done = 0
        for file in self.files:
            rows = _jsonl_rows(file) if self.fmt == "jsonl" else _csv_rows(file)
            for number, row, raw, error in rows:
                done += len(raw)
                where = Where(str(file), number)
                if error is not None:
                    yield Incoming(where, raw=raw, error=error, done_bytes=done, is_note=True)
                else:
                    yield self._note(where, row, raw, done)

    def _note(self, where: Where, row: dict[str, Any], raw: bytes, done: int) -> Incoming:
        cols = self.columns
        for name in (cols.text, cols.patient):
            value = row.get(name)
            if not isinstance(value, (str, int)) or str(value).strip() == "":
                reason = f"missing or empty column '{name}'"
                return Incoming(
                    Where(where.file, where.line, f"$.{name}"),
                    raw=raw,
                    error=reason,
                    done_bytes=done,
                    is_note=True,
                )
        note = Note(
            id=str(row.get(cols.id) or f"{Path(where.file).name}:{where.line}"),
            patient_id=str(row[cols.patient]),
            text=str(row[cols.text]),
            content_type="text/plain",
            date=str(row[cols.date]) if row.get(cols.date) else None,
            title=str(row[cols.title]) if row.get(cols.title) else None,
            source=f"{Path(where.file).name}:{where.line}",
        )
        return Incoming(where, note=note, raw=raw, done_bytes=done, is_note=True)


Row = tuple[int, dict[str, Any], bytes, str | None]


def _jsonl_rows(file: Path) -> Iterator[Row]:
    with file.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                yield number, {}, line, json_error(exc)
                continue
            if not isinstance(row, dict):
                yield number, {}, line, "expected a JSON object per line"
                continue
            yield number, row, line, None


def _csv_rows(file: Path) -> Iterator[Row]:
    csv.field_size_limit(1 << 26)  # long notes
    with file.open("r", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None:  # reads the header row
            return
        start = reader.line_num + 1
        for row in reader:
            buffer = io.StringIO()
            csv.writer(buffer).writerow(list(row.values()))
            yield start, dict(row), buffer.getvalue().encode("utf-8"), None
            start = reader.line_num + 1
