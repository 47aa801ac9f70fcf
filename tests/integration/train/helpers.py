"""Running the medfoundry CLI in a subprocess, as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any


def cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update({"OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"})
    return env


def medfoundry(*args: str, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "medfoundry", "--quiet", *args], capture_output=True, text=True,
                          env=cli_env(), timeout=timeout)  # fmt: skip
    if check and done.returncode != 0:
        raise AssertionError(f"medfoundry {' '.join(args)} exited {done.returncode}:\n{done.stderr[-3000:]}")
    return done


def medfoundry_json(*args: str, timeout: float = 300) -> Any:
    return json.loads(medfoundry(*args, "--json", timeout=timeout).stdout)


def popen(*args: str, log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "medfoundry", "--quiet", *args], stdout=log.open("wb"),
                            stderr=subprocess.STDOUT, env=cli_env())  # fmt: skip
