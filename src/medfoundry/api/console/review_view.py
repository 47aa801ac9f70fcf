"""The review pages' pure parts: a word diff of an edit, and the quality charts' series."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

_WORDS = re.compile(r"\s*\S+\s*|\s+")


@dataclass(frozen=True)
class DiffPiece:
    kind: str  # same | removed | added
    text: str


def word_diff(original: str, edited: str) -> list[DiffPiece]:
    """Word-level diff pieces (whitespace kept), for <del>/<ins> rendering."""
    a, b = _WORDS.findall(original), _WORDS.findall(edited)  # words with their surrounding spaces
    matcher = difflib.SequenceMatcher(a=[t.strip() for t in a], b=[t.strip() for t in b], autojunk=False)
    pieces: list[DiffPiece] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(DiffPiece("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(DiffPiece("removed", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(DiffPiece("added", "".join(b[j1:j2])))
    return pieces


def chart_series(by_day: dict[str, dict[str, Any]]) -> dict[str, list[Any]]:
    """Per day: rejection rate (%), edit rate (%), mean edit distance (words); x as unix seconds."""
    from datetime import UTC, datetime

    days = [d for d in sorted(by_day) if d != "-"]
    xs = [int(datetime.fromisoformat(d).replace(tzinfo=UTC).timestamp()) for d in days]

    def pct(day: str, key: str) -> float | None:
        value = by_day[day].get(key)
        return None if value is None else round(100 * value, 2)

    return {
        "x": xs,
        "rejection": [pct(d, "rejection_rate") for d in days],
        "edit": [pct(d, "edit_rate") for d in days],
        "distance": [by_day[d].get("mean_edit_distance") for d in days],
        "days": days,
    }
