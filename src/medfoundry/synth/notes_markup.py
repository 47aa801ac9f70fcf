"""Inline gold markup for hand-written and generated notes: ``[[TYPE.subtype|value]]``.

A marked line such as ``called wife [[NAME.relative|maria]] 212- 476- 8356`` becomes the
plain text ``called wife maria 212- 476- 8356`` with a gold span over ``maria``. The
subtype is optional (``[[DATE|7/6]]``). Source files hold one text per line; ``#`` lines
are comments, and ``# class: NAME`` sets the error class of the lines below it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medfoundry.errors import InputError

_MARK = re.compile(r"\[\[([A-Z]+)(?:\.([a-z_]+))?\|([^\]|]+)\]\]")
_CLASS = re.compile(r"#\s*class:\s*([a-z0-9_]+)\s*$")


@dataclass(frozen=True)
class GoldSpan:
    start: int
    end: int
    type: str
    subtype: str | None = None

    def to_dict(self) -> dict[str, Any]:
        span: dict[str, Any] = {"start": self.start, "end": self.end, "type": self.type}
        if self.subtype:
            span["subtype"] = self.subtype
        return span


@dataclass(frozen=True)
class GoldNote:
    id: str
    text: str
    spans: tuple[GoldSpan, ...]
    meta: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "spans": [s.to_dict() for s in self.spans], **self.meta}


def parse_marked(marked: str) -> tuple[str, tuple[GoldSpan, ...]]:
    """The plain text of a marked string and its gold spans (offsets into the plain text)."""
    pieces: list[str] = []
    spans: list[GoldSpan] = []
    length = 0
    cursor = 0
    for match in _MARK.finditer(marked):
        before = marked[cursor : match.start()]
        pieces.append(before)
        length += len(before)
        value = match.group(3)
        spans.append(GoldSpan(length, length + len(value), match.group(1), match.group(2)))
        pieces.append(value)
        length += len(value)
        cursor = match.end()
    pieces.append(marked[cursor:])
    text = "".join(pieces)
    if "[[" in text or "]]" in text:
        raise ValueError(f"unbalanced or malformed gold markup in {marked[:60]!r}")
    return text, tuple(spans)


def read_marked(path: Path, prefix: str) -> Iterator[GoldNote]:
    """The notes of a marked source file, ids ``{prefix}-{n:04d}``, with their error class."""
    error_class = "unclassified"
    count = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        if line.startswith("#"):
            found = _CLASS.match(line)
            if found:
                error_class = found.group(1)
            continue
        try:
            text, spans = parse_marked(line)
        except ValueError as exc:
            raise InputError(f"{path}:{number}: {exc}", hint="write spans as [[TYPE.subtype|value]]") from exc
        count += 1
        yield GoldNote(f"{prefix}-{count:04d}", text, spans, {"class": error_class})


def write_jsonl(notes: Iterable[GoldNote], destination: Path) -> int:
    """Write gold notes as spans-jsonl lines; returns how many."""
    lines = [json.dumps(note.to_dict(), ensure_ascii=False) for note in notes]
    destination.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return len(lines)


def build_marked(source: Path, destination: Path, prefix: str) -> int:
    """Convert a marked ``.txt`` source to its spans-jsonl file; returns how many texts."""
    return write_jsonl(read_marked(source, prefix), destination)


if __name__ == "__main__":  # python -m medfoundry.synth.notes_markup SOURCE.txt PREFIX
    import sys

    source_path = Path(sys.argv[1])
    build_marked(source_path, source_path.with_suffix(".jsonl"), sys.argv[2])
