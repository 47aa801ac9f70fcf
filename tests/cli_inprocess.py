"""Run the real CLI entry point in this process (error boundary and exit codes included)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest


@dataclass
class CliRun:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def cli_runner(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable[..., CliRun]:
    """``run(*args) -> CliRun``: the medfoundry CLI as a user types it, with ``--quiet``."""
    from medfoundry.cli.main import main

    def run(*args: str) -> CliRun:
        capsys.readouterr()
        monkeypatch.setattr(sys, "argv", ["medfoundry", "--quiet", *args])
        code = 0
        try:
            main()
        except SystemExit as exc:
            code = int(exc.code or 0)
        out = capsys.readouterr()
        return CliRun(code, out.out, out.err)

    return run
