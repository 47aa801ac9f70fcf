"""The README's main command, run as a newcomer runs it (smaller, to keep CI quick)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.e2e.conftest import CLI


@pytest.mark.slow
def test_demo_runs_end_to_end_offline(cli: CLI, tmp_path: Path) -> None:
    run = cli("demo", "--patients", "6", "--train-steps", "4", "--offline", "--json", timeout=900)
    assert run.code == 0, run.stderr[-3000:]
    result = run.json()
    assert result["details"]["base_model"]["source"] == "stand-in"
    assert "--offline" in result["details"]["base_model"]["reason"]
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
    again = cli("demo", "--patients", "6", "--train-steps", "4", "--offline", "--json", timeout=900)
    assert again.code == 0, again.stderr[-3000:]
    assert [step.split(":")[1] for step in again.json()["steps"][:4]] == ["cached"] * 4


@pytest.mark.slow
def test_demo_uses_a_cached_real_model_and_shows_it_before_and_after(
    cli: CLI, tmp_path: Path, tiny_model_dir: Path
) -> None:
    """A model in the local hub cache under a real catalog name is picked up without any network."""
    from tests.unit.pipeline.test_demo_model import place_in_cache

    cache = tmp_path / "hf-cache"
    place_in_cache(cache, "HuggingFaceTB/SmolLM2-135M-Instruct", tiny_model_dir)
    env = {"HF_HUB_CACHE": str(cache), "HF_HUB_OFFLINE": "1"}
    run = cli("demo", "--patients", "6", "--train-steps", "4", "--json", env=env, timeout=900)
    assert run.code == 0, run.stderr[-3000:]
    result = run.json()
    assert result["details"]["base_model"] == {
        "model": "HuggingFaceTB/SmolLM2-135M-Instruct",
        "source": "cache",
        "reason": f"found in the local Hugging Face cache ({cache})",
    }
    compared = result["details"]["before_after"]
    assert set(compared["base"]) == set(compared["fine_tuned"]) == {"rouge_l", "unsupported_claim_rate"}
    assert compared["sample"]["before"] is not None and compared["sample"]["after"] is not None
    gates = (tmp_path / "medfoundry-demo" / "gates.yaml").read_text()
    assert "max_drop_vs_base: 0.0" in gates and "absolute" not in gates
    # the relative gate decided the deployment: passed, or overridden with an audited reason
    home = {"MEDFOUNDRY_HOME": result["home"]}
    overrides = cli("audit", "tail", "--action", "deployment.gate_override", "--json", env=home).json()["events"]
    assert len(overrides) == (0 if compared["gates_passed"] else 1)


def test_demo_without_hub_or_cache_says_why_it_uses_the_stand_in(cli: CLI, tmp_path: Path) -> None:
    env = {"HF_HUB_CACHE": str(tmp_path / "empty-cache"), "HF_HUB_OFFLINE": "1"}
    run = cli("demo", "--patients", "4", "--train-steps", "1", env=env, timeout=900)
    assert run.code == 0, run.stderr[-3000:]
    said = " ".join(run.stdout.split())  # the terminal wraps long lines
    assert "tiny random-weight stand-in" in said and "HF_HUB_OFFLINE is set" in said
    assert "answers are noise" in said
