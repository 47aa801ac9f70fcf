"""Rendering helpers shared by every command: JSON, tables, errors."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from rich.console import Console
from rich.table import Table

console = Console()
err_console = Console(stderr=True, soft_wrap=True)


class CLIState:
    debug = False
    quiet = False


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "to_dict"):
        return value.to_dict()
    return str(value)


def emit_json(document: Any) -> None:
    """Print exactly one JSON document on stdout."""
    sys.stdout.write(json.dumps(document, default=_default, indent=2, sort_keys=False) + "\n")
    sys.stdout.flush()


def status_style(status: str) -> str:
    return {"OK": "green", "WARN": "yellow", "FAIL": "red"}.get(status, "white")


def fmt_time(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else "-"


def print_table(
    title: str, columns: Sequence[str], rows: Iterable[Sequence[str]], *, fold: bool = False
) -> None:
    """A Rich table of strings; the first column (an id) never wraps, ``fold`` wraps long cells."""
    table = Table(title=title)
    for index, column in enumerate(columns):
        table.add_column(column, no_wrap=index == 0, overflow="fold" if fold else "ellipsis")
    for row in rows:
        table.add_row(*row)
    console.print(table)
