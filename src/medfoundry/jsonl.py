"""One JSON Lines reader for every stage: ``(line number, value)`` per non-blank line.

A line that is not JSON (or, with ``objects=True``, not a JSON object) raises an
``InputError`` that names ``file:line`` and what is wrong, plus the caller's hint on the
expected shape; stages then check fields with the same ``where`` (``jsonl_where``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import Any

import orjson

from medfoundry.errors import InputError


def jsonl_where(name: str | Path, number: int) -> str:
    return f"{name}:{number}"


def parse_line(line: bytes | str, where: str, *, objects: bool = False, hint: str | None = None) -> Any:
    """One line's value; errors name ``where`` (``file:line``)."""
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise InputError(f"{where}: not valid JSON ({exc})", hint=hint) from None
    if objects and not isinstance(value, dict):
        raise InputError(f"{where}: expected a JSON object", hint=hint)
    return value


def read_jsonl(path: Path, *, objects: bool = True, hint: str | None = None) -> Iterator[tuple[int, Any]]:
    """Stream a JSONL file: ``(line number, value)``, blank lines skipped, numbers 1-based."""
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                yield number, parse_line(line, jsonl_where(path, number), objects=objects, hint=hint)


def parse_jsonl_chunks(
    chunks: Iterable[bytes], name: str, *, objects: bool = False, hint: str | None = None
) -> Iterator[tuple[int, Any]]:
    """The same over a stream of byte chunks (an artifact being read), named ``name``."""
    pending = b""
    number = 0
    for chunk in chain(chunks, [b"\n"]):
        pending += chunk
        *lines, pending = pending.split(b"\n")
        for line in lines:
            number += 1
            if line.strip():
                yield number, parse_line(line, jsonl_where(name, number), objects=objects, hint=hint)
