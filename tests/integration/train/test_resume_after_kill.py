"""kill -9 during training, then `medfoundry train resume JOB`: the final loss equals a straight run's."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from medfoundry.store.home import init_home
from tests.integration.train.helpers import medfoundry_json, popen
from tests.unit.train.helpers import spec_yaml, write_chat_jsonl

pytestmark = pytest.mark.slow


def _job_dirs(home: Path) -> list[Path]:
    root = home / "train"
    return sorted(root.iterdir()) if root.exists() else []


def test_sigkill_then_resume_matches_uninterrupted_run(tiny_model_dir: Path, tmp_path: Path) -> None:
    init_home()
    home = Path(os.environ["MEDFOUNDRY_HOME"])
    data = write_chat_jsonl(tmp_path / "notes.jsonl", n=64)
    config = spec_yaml(tmp_path / "spec.yaml", tiny_model_dir, data, max_steps=30, checkpoint_interval=3,
                       lora_dropout=0.1, eval_interval=None)  # fmt: skip

    straight = medfoundry_json("train", "--config", str(config))
    assert straight["state"] == "succeeded"

    before = set(_job_dirs(home))
    process = popen("train", "--config", str(config), log=tmp_path / "killed.log")
    deadline = time.monotonic() + 240
    checkpoint = None
    while time.monotonic() < deadline and process.poll() is None:
        new = [d for d in _job_dirs(home) if d not in before]
        if new and (new[0] / "checkpoints").exists() and any((new[0] / "checkpoints").glob("step-*")):
            checkpoint = new[0]
            break
        time.sleep(0.02)
    assert process.poll() is None, (
        "training finished before it could be killed: " + (tmp_path / "killed.log").read_text()
    )
    assert checkpoint is not None
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    job_id = checkpoint.name

    status = medfoundry_json("train", "status", job_id)
    assert status["state"] in ("running", "stale") and status["last_checkpoint_step"] >= 3
    resumed = medfoundry_json("train", "resume", job_id)
    assert resumed["state"] == "succeeded" and resumed["attempts"] == 2
    assert resumed["result"]["steps"] == 30
    assert abs(resumed["result"]["final_loss"] - straight["result"]["final_loss"]) < 1e-4
    logs = medfoundry_json("train", "logs", job_id)
    assert [entry["step"] for entry in logs["steps"]] == list(range(1, 31))
