"""Two CPU processes (torchrun, gloo) with the same spec: the same result as one process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from medfoundry.store.home import init_home
from tests.integration.train.helpers import cli_env, medfoundry_json
from tests.unit.train.helpers import spec_yaml, write_chat_jsonl

pytestmark = pytest.mark.slow


def test_two_process_gloo_matches_single_process(tiny_model_dir: Path, tmp_path: Path) -> None:
    init_home()
    data = write_chat_jsonl(tmp_path / "notes.jsonl", n=40)
    common = {"max_steps": 6, "lora_dropout": 0.0, "checkpoint_interval": 3, "packing": False}
    single = spec_yaml(tmp_path / "single.yaml", tiny_model_dir, data, batch_size=4, **common)
    double = spec_yaml(tmp_path / "double.yaml", tiny_model_dir, data, batch_size=2, **common)

    one = medfoundry_json("train", "--config", str(single))
    done = subprocess.run(
        [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
         "-m", "medfoundry.train.launch", "--config", str(double)],
        capture_output=True, text=True, env=cli_env(), timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    two = json.loads(done.stdout.strip().splitlines()[-1])
    assert two["state"] == "succeeded", two["error"]
    assert two["result"]["world_size"] == 2
    assert two["result"]["tokens"] == one["result"]["tokens"]
    assert two["result"]["final_loss"] == pytest.approx(one["result"]["final_loss"], abs=1e-4)
    shown = medfoundry_json("models", "show", two["result"]["model_id"])
    assert shown["source"] == "trained" and shown["meta"]["adapter"] is True
