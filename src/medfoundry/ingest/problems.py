"""Bad input: where it was, why it was refused, and the quarantine file it goes to.

A problem names file, line and JSON path and a reason that never quotes a value.
The quarantine file (JSON Lines: where, why, and the original text) holds PHI, so
it is stored as an encrypted artifact.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from typing import IO, Any

import orjson

logger = logging.getLogger(__name__)
LOGGED_ENTRIES = 20  # beyond this, problems are only in the quarantine file


@dataclass(frozen=True)
class Where:
    """A position in the input: a file (or URL), a 1-based line and a JSON path prefix."""

    file: str
    line: int
    path: str = "$"

    def at(self, path: str) -> str:
        """``path`` (``$.x.y``) inside this position, e.g. ``entry[3].resource.x.y``."""
        if self.path == "$":
            return path
        return self.path + path[1:]


@dataclass(frozen=True)
class Problem:
    where: Where
    path: str
    reason: str
    resource_type: str | None = None

    def message(self) -> str:
        return f"{self.where.file}:{self.where.line}: {self.path}: {self.reason}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.where.file,
            "line": self.where.line,
            "path": self.path,
            "reason": self.reason,
            "resource_type": self.resource_type,
        }


class Quarantine:
    """Writes refused input with its problems to a staged file and counts them."""

    def __init__(self, handle: IO[bytes]) -> None:
        self._handle = handle
        self.count = 0
        self.by_type: Counter[str] = Counter()
        self.by_reason: Counter[str] = Counter()

    def add(self, problems: list[Problem], raw: bytes) -> None:
        first = problems[0]
        self.count += 1
        self.by_type[first.resource_type or "(unknown)"] += 1
        self.by_reason[first.reason] += 1
        if self.count <= LOGGED_ENTRIES:
            for problem in problems[:5]:
                logger.warning("quarantined %s", problem.message())
        if self.count == LOGGED_ENTRIES:
            logger.warning("further quarantined input is not logged; see the quarantine file")
        entry = {
            "problems": [problem.to_dict() for problem in problems],
            "input": raw.decode("utf-8", errors="replace"),
        }
        self._handle.write(orjson.dumps(entry) + b"\n")

    def summary(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "by_type": dict(sorted(self.by_type.items())),
            "by_reason": dict(self.by_reason.most_common(20)),
        }
