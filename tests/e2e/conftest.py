from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


CLI = Callable[..., Run]


@pytest.fixture
def cli(tmp_path: Path) -> CLI:
    """Run ``medfoundry`` as a user would: a subprocess in a fresh home and directory."""

    def run(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> Run:
        completed = subprocess.run(
            [sys.executable, "-m", "medfoundry", *args],
            cwd=tmp_path,
            env={**os.environ, **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        return Run(completed.returncode, completed.stdout, completed.stderr)

    return run
