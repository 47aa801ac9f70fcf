"""The issue's 'done when', as a user runs it: search, train from a shipped recipe, show with lineage."""

from __future__ import annotations

from pathlib import Path

import pytest

from medfoundry.datasets.chat import register_chat_jsonl
from medfoundry.shipped import shipped_dir
from medfoundry.store.database import Store
from tests.integration.train.helpers import medfoundry, medfoundry_json
from tests.unit.train.helpers import write_chat_jsonl

pytestmark = pytest.mark.slow
RECIPE = shipped_dir("finetune") / "tiny-llama" / "lora.yaml"


def test_search_train_show(store: Store, tiny_model_dir: Path, tmp_path: Path) -> None:
    found = medfoundry_json("models", "search", "--task", "summarization")
    assert found["results"]
    version = register_chat_jsonl(
        store, write_chat_jsonl(tmp_path / "summaries.jsonl", n=24), name="summaries"
    )
    base = medfoundry_json("models", "add", str(tiny_model_dir))
    trained = medfoundry_json("train", "--config", str(RECIPE), "--base-model", base["id"],
                              "--dataset", "summaries@1", "--max-steps", "4", "--checkpoint-interval", "2")  # fmt: skip
    assert trained["state"] == "succeeded"
    job_id, model_id = trained["job_id"], trained["result"]["model_id"]
    shown = medfoundry_json("models", "show", model_id)
    assert shown["parent_id"] == base["id"] and shown["meta"]["adapter"] is True
    relations = {p["relation"]: p["id"] for p in shown["lineage"]["parents"]}
    assert relations["trained-on"] == version.id and relations["base-model"] == base["id"]
    assert shown["meta"]["dataset_sha256"] == version.content_hash
    status = medfoundry_json("train", "status", job_id)
    assert status["state"] == "succeeded" and status["progress"]["step"] == 4
    assert "loss" in medfoundry("train", "logs", job_id).stdout
    listed = medfoundry_json("models", "list")
    assert model_id in [m["id"] for m in listed["registered"]]
    bad = medfoundry(
        "train", "--config", str(RECIPE), "--learning-rate", "-1", "--batch-size", "0", check=False
    )
    assert bad.returncode == 2 and "learning_rate" in bad.stderr and "batch_size" in bad.stderr
    assert "Traceback" not in bad.stderr
