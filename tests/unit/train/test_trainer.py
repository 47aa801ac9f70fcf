"""The trainer end to end on the tiny model: loss goes down, outputs and lineage are recorded."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from medfoundry.audit import lineage
from medfoundry.catalog.resolve import get_model
from medfoundry.errors import ConfigError
from medfoundry.jobs import queue
from medfoundry.settings import Settings
from medfoundry.store.database import Store
from medfoundry.store.home import init_home
from medfoundry.store.models import Job
from medfoundry.train.job import run_foreground
from medfoundry.train.spec import load_spec
from tests.unit.train.helpers import spec_yaml, write_chat_jsonl

# Validation loss recorded on CPU (torch 2.13, fp32) for the spec below; a change means training changed.
REFERENCE_EVAL_LOSS = 6.7104


def _spec(tmp_path: Path, model_dir: Path, **fields):
    data = write_chat_jsonl(tmp_path / "train.jsonl", n=48)
    return load_spec(spec_yaml(tmp_path / "spec.yaml", model_dir, data, **fields))


@dataclass(frozen=True)
class Trained:
    store: Store
    job: Job
    result: dict[str, Any]


@pytest.fixture(scope="module")
def lora_run(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Trained]:
    """One LoRA run on the tiny model, in its own home, shared by the tests that read it."""
    root = tmp_path_factory.mktemp("lora-run")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("MEDFOUNDRY_HOME", str(root / "home"))
        init_home()
        store = Store(Settings())
        spec = _spec(root, tiny_model_dir, max_steps=20, eval_interval=10, lora_dropout=0.0,
                     lr_schedule="constant", learning_rate=1e-2)  # fmt: skip
        job = run_foreground(store, spec)
    yield Trained(store, job, job.result or {})
    store.close()


def test_lora_loss_goes_down_and_matches_the_reference(lora_run: Trained) -> None:
    assert lora_run.job.state == "succeeded", lora_run.job.error
    result = lora_run.result
    history = json.loads((Path(result["output_dir"]) / "metrics.json").read_text())["history"]
    first = history[0]["loss"]
    late = sum(h["loss"] for h in history[-5:]) / 5
    assert late < first - 0.2, (first, late)
    assert result["eval_loss"] < first - 0.2, (first, result["eval_loss"])
    if REFERENCE_EVAL_LOSS is not None:
        assert result["eval_loss"] == pytest.approx(REFERENCE_EVAL_LOSS, abs=5e-3)


def test_lora_outputs_are_stored_as_artifacts(lora_run: Trained) -> None:
    for name in (
        "adapter_model.safetensors",
        "tokenizer.json",
        "spec.yaml",
        "loss_curve.png",
        "loss_curve.html",
    ):
        assert name in lora_run.result["artifacts"]


def test_the_trained_adapter_is_registered_with_its_lineage(lora_run: Trained, tiny_model_dir: Path) -> None:
    store = lora_run.store
    model = get_model(store, lora_run.result["model_id"])
    assert model.source == "trained" and model.meta["adapter"] is True
    base = get_model(store, model.parent_id or "")
    assert base.location == str(tiny_model_dir)
    relations = {parent.relation: parent.id for parent in lineage.show(store, model.id).parents}
    assert relations["base-model"] == base.id
    assert relations["trained-on"].startswith("dsv_")
    assert relations["spec"] == f"spec:sha256:{model.meta['spec_sha256']}"
    assert model.meta["dataset_sha256"] and model.code_version
    assert [e.action for e in store.audit.tail(5, object_id=model.id)][-1] == "model.train"


def test_every_step_records_its_metrics(lora_run: Trained) -> None:
    names = {m.name for m in queue.metrics(lora_run.store, lora_run.job.id)}
    assert {"loss", "lr", "tokens_per_s", "grad_norm", "eval_loss"} <= names


def test_full_fine_tuning_saves_a_whole_model(store: Store, tiny_model_dir: Path, tmp_path: Path) -> None:
    spec = _spec(tmp_path, tiny_model_dir, method="full", max_steps=3, learning_rate=1e-3)
    job = run_foreground(store, spec)
    assert job.state == "succeeded", job.error
    out = Path((job.result or {})["output_dir"])
    assert (out / "model.safetensors").exists() and not (out / "adapter_config.json").exists()
    model = get_model(store, (job.result or {})["model_id"])
    assert model.meta["adapter"] is False
    assert (job.result or {})["trainable_parameters"] == (job.result or {})["total_parameters"]


def test_qlora_on_cpu_fails_with_a_clear_error(store: Store, tiny_model_dir: Path, tmp_path: Path) -> None:
    spec = _spec(tmp_path, tiny_model_dir, method="qlora", device="cpu")
    job = run_foreground(store, spec)
    assert job.state == "failed"
    assert job.error and job.error.startswith("ConfigError") and "CUDA" in job.error
    assert "Traceback" not in job.error


@pytest.mark.slow
def test_early_stopping(store: Store, tiny_model_dir: Path, tmp_path: Path) -> None:
    spec = _spec(tmp_path, tiny_model_dir, max_steps=30, learning_rate=0.5, lr_schedule="constant",
                 eval_interval=1, early_stopping_patience=1, max_grad_norm=None)  # fmt: skip
    job = run_foreground(store, spec)
    assert job.state == "succeeded", job.error
    assert (job.result or {})["stopped_early"] is True
    assert (job.result or {})["steps"] < 30


@pytest.mark.slow
def test_resume_in_process_matches_uninterrupted(store: Store, tiny_model_dir: Path, tmp_path: Path) -> None:
    """Checkpoint at step 4, drop everything after, resume: same losses as a straight run."""
    from medfoundry.train import checkpoint
    from medfoundry.train.job import resume, work_dir

    spec = _spec(tmp_path, tiny_model_dir, max_steps=8, checkpoint_interval=4, keep_checkpoints=1)
    straight = run_foreground(store, spec)
    again = run_foreground(store, spec)
    ckpts = checkpoint.checkpoints(work_dir(store, again.id) / "checkpoints")
    assert [p.name for p in ckpts] == ["step-00000004"]
    from sqlalchemy import update

    from medfoundry.store.models import Job

    with store.session() as session:  # pretend it crashed after the checkpoint
        session.execute(update(Job).where(Job.id == again.id).values(state="failed"))
    resumed = resume(store, again.id)
    assert resumed.state == "succeeded", resumed.error
    assert (resumed.result or {})["final_loss"] == pytest.approx(
        (straight.result or {})["final_loss"], abs=1e-6
    )


def test_training_refuses_a_model_that_is_an_adapter(
    store: Store, tiny_model_dir: Path, tmp_path: Path
) -> None:
    spec = _spec(tmp_path, tiny_model_dir, max_steps=1)
    job = run_foreground(store, spec)
    adapter_id = (job.result or {})["model_id"]
    with pytest.raises(ConfigError, match="LoRA adapter"):
        run_foreground(store, spec.model_copy(update={"base_model": adapter_id}))


def test_a_worker_runs_a_queued_training_job(store: Store, tiny_model_dir: Path, tmp_path: Path) -> None:
    from medfoundry.jobs.worker import run_worker
    from medfoundry.train.job import submit_training

    job = submit_training(store, _spec(tmp_path, tiny_model_dir, max_steps=2))
    assert job.payload["spec"]["base_model"].startswith("mdl_")
    assert job.payload["spec"]["dataset"].startswith("dsv_")
    stats = run_worker(store, drain=True)
    assert stats.succeeded == 1
    finished = queue.get(store, job.id)
    assert finished.state == "succeeded" and (finished.result or {})["model_id"].startswith("mdl_")
