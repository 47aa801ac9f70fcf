"""A non-editable install works: the wheel, installed in a fresh venv outside the checkout,
finds its shipped configs (default de-identification policy, suites, guardrail policies).

The venv gets the wheel with ``--no-deps --no-index`` and borrows the running environment's
site-packages for the dependencies (a ``.pth`` line), so nothing is downloaded; the commands
then run with every HTTP proxy pointed at a closed port, so any attempt to go online fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
OFFLINE = {
    "HF_HUB_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "PIP_NO_INDEX": "1",
    "HTTP_PROXY": "http://127.0.0.1:9",
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "ALL_PROXY": "http://127.0.0.1:9",
    "NO_PROXY": "127.0.0.1,localhost",
}


def _build_wheel(out: Path) -> Path:
    """Build from a copy of the sources, so the checkout gets no build/ or egg-info."""
    source = out / "source"
    shutil.copytree(REPO / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
         "-q", "-w", str(out / "dist"), str(source)],
        check=True, capture_output=True, text=True, env={**os.environ, **OFFLINE},
    )  # fmt: skip
    (wheel,) = (out / "dist").glob("medfoundry-*.whl")
    return wheel


def _fresh_venv(root: Path, wheel: Path) -> Path:
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "-q",
         str(wheel)],
        check=True, capture_output=True, text=True, env={**os.environ, **OFFLINE},
    )  # fmt: skip
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    borrowed = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(purelib, "borrowed-dependencies.pth").write_text("".join(f"{p}\n" for p in sorted(borrowed)))
    return venv


class Installed:
    def __init__(self, venv: Path, work: Path) -> None:
        self.venv, self.work = venv, work
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("PYTHONPATH", "VIRTUAL_ENV") and not key.startswith("MEDFOUNDRY_")
        }
        self.env.update(
            OFFLINE, MEDFOUNDRY_HOME=str(work / "home"), PATH=f"{venv / 'bin'}:{os.environ['PATH']}"
        )

    def command(self, *args: str) -> list[str]:
        return [str(self.venv / "bin" / "medfoundry"), *args]

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            self.command(*args), cwd=self.work, env=self.env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, f"medfoundry {' '.join(args)}: {done.stderr[-2000:]}"
        return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    root = tmp_path_factory.mktemp("wheel")
    venv = _fresh_venv(root, _build_wheel(root))
    work = root / "work"
    work.mkdir()
    yield Installed(venv, work)


@pytest.mark.slow
def test_the_installed_copy_is_the_wheel_not_the_checkout(installed: Installed) -> None:
    where = subprocess.run(
        [str(installed.venv / "bin" / "python"), "-c",
         "import medfoundry.shipped as s; print(s.__file__); print(s.shipped_dir('guardrails'))"],
        cwd=installed.work, env=installed.env, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    assert all(Path(p).is_relative_to(installed.venv) for p in where), where
    assert {p.name for p in Path(where[1]).glob("*.yaml")} >= {"default.yaml", "patient-facing.yaml"}


@pytest.mark.slow
def test_init_deid_eval_and_serve_from_the_installed_wheel(
    installed: Installed, tiny_model_dir: Path, shared_data: Path
) -> None:
    installed("init")

    notes = installed.work / "notes.jsonl"
    notes.write_text(json.dumps({"id": "n1", "text": "Seen on 03/14/2024, call 617-555-0199."}) + "\n")
    installed("deid", "text", str(notes), "-o", "notes.deid.jsonl", "--config", "default")
    (line,) = (installed.work / "notes.deid.jsonl").read_text().splitlines()
    assert "617-555-0199" not in json.loads(line)["text"]
    assert {span["type"] for span in json.loads(line)["spans"]} >= {"PHONE"}

    gates = installed.work / "gates.yaml"
    gates.write_text("absolute:\n  - medqa.acc >= 0.0\n")
    scored = installed(
        "eval", "run", str(tiny_model_dir), "--suite", "medical-mcq", "--data-root",
        str(shared_data / "bench"), "--limit", "2", "--gates", str(gates), "--json",
    )  # fmt: skip
    scorecard = json.loads(scored.stdout)
    assert scorecard["suite"] == "medical-mcq" and scorecard["passed"] is True

    deployed = json.loads(installed("deploy", str(tiny_model_dir), "--name", "triage", "--json").stdout)
    assert deployed["name"] == "triage"
    key = json.loads(installed("keys", "create", "--deployment", "triage", "--json").stdout)["key"]
    with _serving(installed) as url:
        answer = httpx.post(
            f"{url}/v1/chat/completions",
            headers={"Authorization": f"Bearer {key}"},
            json={"model": "triage", "messages": [{"role": "user", "content": "my face is drooping"}],
                  "max_tokens": 4},
            timeout=60,
        )  # fmt: skip
    assert answer.status_code == 200, answer.text
    assert answer.json()["medfoundry"]["escalation"] is True  # the default policy's emergency rule


class _serving:
    def __init__(self, installed: Installed) -> None:
        self.installed = installed

    def __enter__(self) -> str:
        self.proc = subprocess.Popen(
            self.installed.command("serve", "--host", "127.0.0.1", "--port", "0"),
            cwd=self.installed.work, env=self.installed.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert "http://127.0.0.1:" in line, self.proc.stderr.read() if self.proc.poll() is not None else line
        url = line.strip().rsplit(" ", 1)[-1]
        for _ in range(300):  # the server prints its address before it answers
            try:
                if httpx.get(f"{url}/health", timeout=5).status_code == 200:
                    return url
            except httpx.TransportError:
                time.sleep(0.2)
        raise AssertionError("the installed server never answered /health")

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)
