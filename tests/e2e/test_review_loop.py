"""The review loop from the CLI, offline: tasks → edits and rejections → preference export → DPO → lineage."""

from __future__ import annotations

import json
from pathlib import Path

from medfoundry.catalog.tiny import build_tiny_model
from medfoundry.review.tasks import decide
from medfoundry.settings import Settings
from medfoundry.store.database import Store
from tests.e2e.conftest import CLI

TOPICS = ["asthma", "gout", "eczema", "migraine"]


def decide_in_process(home: Path, tasks: list[str]) -> None:
    """The reviewers' decisions (the CLI verbs themselves are tested in tests/unit/review/test_cli.py)."""
    store = Store(Settings(home=home, database_url=None, key=None))
    try:
        for task_id, topic in zip(tasks[:2], TOPICS, strict=False):
            fixed = f"{topic.capitalize()} is common; your care team will explain the treatment plan."
            assert decide(store, task_id, "dr-a", "edited", edited=fixed).status == "edited"
        rejected = decide(store, tasks[2], "dr-a", "rejected", reason="unsafe", edited="Please see your clinic.")
        assert rejected.status == "rejected"
        assert decide(store, tasks[3], "dr-b", "approved").status == "approved"
    finally:
        store.close()


def test_review_export_then_dpo_training_with_lineage_to_the_tasks(cli: CLI, tmp_path: Path) -> None:
    env = {"MEDFOUNDRY_HOME": str(tmp_path / "home")}
    assert cli("init", env=env).code == 0
    model_dir = build_tiny_model(tmp_path / "tiny", shape="tiny", seed=0)
    base = cli("models", "add", str(model_dir), "--json", env=env).json()["id"]
    drafts = tmp_path / "drafts.jsonl"
    drafts.write_text("".join(json.dumps({"messages": [
        {"role": "user", "content": f"Explain {t} in one sentence."},
        {"role": "assistant", "content": f"{t.capitalize()} is nothing to worry about, ignore it."}]}) + "\n"
        for t in TOPICS))  # fmt: skip
    imported = cli("review", "import", "--dataset", str(drafts), "--json", env=env)
    assert imported.code == 0, imported.stderr
    tasks = imported.json()["tasks"]
    assert len(tasks) == len(TOPICS)
    decide_in_process(tmp_path / "home", tasks)
    prefs = cli("review", "export", "--edited", "--rejected", "--format", "preference", "-o", "reviewed-prefs",
                "--json", env=env)  # fmt: skip
    assert prefs.code == 0, prefs.stderr
    assert prefs.json()["examples"] == 3 and prefs.json()["phi_scan"] is True  # 2 edits, 1 rejection

    trained = cli("train", "--base-model", base, "--dataset", "reviewed-prefs", "--max-steps", "2", "--batch-size",
                  "2", "--max-seq-length", "96", "--learning-rate", "1e-3", "--json", env=env)  # fmt: skip
    assert trained.code == 0, trained.stderr[-2000:]
    result = trained.json()
    model_id = result.get("model_id") or result["result"]["model_id"]
    lineage = cli("lineage", "show", model_id, "--json", env=env).json()
    text = json.dumps(lineage)
    assert prefs.json()["dataset_version"] in text
    assert all(task_id in text for task_id in tasks[:3])  # back to the review tasks
    assert tasks[3] not in text  # the approval made no preference pair
    summary = result if "objective" in result else result["result"]
    assert summary["objective"] == "dpo" and summary["steps"] == 2 and "eval_reward_accuracy" in summary
