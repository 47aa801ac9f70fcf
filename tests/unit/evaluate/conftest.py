"""Run the real CLI entry point in-process (error boundary and exit codes included)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.cli_inprocess import CliRun, cli_runner

__all__ = ["CliRun", "run_cli"]


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable[..., CliRun]:
    return cli_runner(monkeypatch, capsys)
