"""The code version recorded in lineage: package version plus git commit when known."""

from __future__ import annotations

import subprocess
from functools import lru_cache
from pathlib import Path

from medfoundry import __version__


@lru_cache(maxsize=1)
def git_commit() -> str | None:
    source_dir = Path(__file__).resolve().parent
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=source_dir, capture_output=True, text=True, timeout=5
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = out.stdout.strip()
    return commit if out.returncode == 0 and len(commit) == 40 else None


def code_version() -> str:
    commit = git_commit()
    return f"{__version__}+g{commit[:12]}" if commit else __version__
