"""The README's main command, run as a newcomer runs it (smaller, to keep CI quick)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.e2e.conftest import CLI


@pytest.mark.slow
def test_demo_runs_end_to_end_offline(cli: CLI, tmp_path: Path) -> None:
    run = cli("demo", "--patients", "6", "--train-steps", "4", "--json", timeout=900)
    assert run.code == 0, run.stderr[-3000:]
    result = run.json()
    out = tmp_path / "medfoundry-demo"
    assert Path(result["outputs"]["evidence pack"]) == out / "evidence.zip"
    assert zipfile.ZipFile(out / "evidence.zip").testzip() is None
    states = [step.split(":")[1] for step in result["steps"] if ":" in step]
    assert states[:3] == ["succeeded"] * 3  # ingest, de-identify, build
    chat = result["details"]["chat"]
    assert chat["status"] == 200
    actions = {(g["rule"], g["action"]) for g in chat["medfoundry"]["guardrails"]}
    assert ("phi", "redact") in actions and chat["medfoundry"]["escalation"] is True

    home = {"MEDFOUNDRY_HOME": result["home"]}
    assert cli("audit", "verify", "--json", env=home).json()["ok"]
    assert cli("evidence", "verify", str(out / "evidence.zip"), "--json", env=home).json()["ok"]
    # the tiny stand-in fails its gates, and the demo says it overrode them (audited)
    overrides = cli("audit", "tail", "--action", "deployment.gate_override", "--json", env=home).json()["events"]
    assert states[4] == "failed" and len(overrides) == 1
    # running it again reuses every finished stage
    again = cli("demo", "--patients", "6", "--train-steps", "4", "--json", timeout=900)
    assert again.code == 0, again.stderr[-3000:]
    assert [step.split(":")[1] for step in again.json()["steps"][:4]] == ["cached"] * 4
