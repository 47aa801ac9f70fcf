"""Every command and group answers --help, with an example in its help text."""

from __future__ import annotations

from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from medfoundry.cli.main import app


def _is_group(command: object) -> bool:
    # typer may ship its own click; duck-type instead of isinstance(click.Group)
    return isinstance(getattr(command, "commands", None), dict)


def _walk(command: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    found = [(path, command)]
    if _is_group(command):
        for name, sub in command.commands.items():  # type: ignore[attr-defined]
            found += _walk(sub, (*path, name))
    return found


COMMANDS = _walk(typer.main.get_command(app))


@pytest.mark.parametrize("path,command", COMMANDS, ids=[" ".join(p) or "medfoundry" for p, _ in COMMANDS])
def test_help(path: tuple[str, ...], command: Any) -> None:
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output
    if not _is_group(command):
        assert "Example" in (command.help or ""), f"'{' '.join(path)}' help has no example"
