"""After training: save the adapter or model, store artifacts, register the model with lineage."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from medfoundry.catalog.resolve import register_model
from medfoundry.store.database import Store
from medfoundry.store.models import DatasetVersion, Model
from medfoundry.train.loop import TrainRun
from medfoundry.train.model import unwrap
from medfoundry.train.plots import loss_curve
from medfoundry.train.spec import TrainSpec, spec_hash

logger = logging.getLogger(__name__)

ARTIFACT_KINDS = {
    "adapter_model.safetensors": "adapter",
    "adapter_config.json": "adapter-config",
    "config.json": "model-config",
    "generation_config.json": "model-config",
    "spec.yaml": "train-spec",
    "metrics.json": "train-metrics",
    "loss_curve.png": "loss-curve",
    "loss_curve.html": "loss-curve",
}


def artifact_kind(name: str) -> str:
    if name in ARTIFACT_KINDS:
        return ARTIFACT_KINDS[name]
    if name.endswith(".safetensors"):
        return "model-weights"
    return "tokenizer" if "token" in name or name.endswith((".model", ".txt")) else "model-file"


def save_outputs(run: TrainRun, spec: TrainSpec, out_dir: Path, summary: dict[str, Any]) -> list[Path]:
    """Write weights (adapter or full), tokenizer, spec, metrics and the loss curve."""
    out_dir.mkdir(parents=True, exist_ok=True)
    if spec.method == "full":
        unwrap(run.model).save_pretrained(out_dir, safe_serialization=True)
    else:
        run.model.save_pretrained(out_dir, safe_serialization=True)
    run.tokenizer.save_pretrained(out_dir)
    (out_dir / "spec.yaml").write_text(spec.to_yaml())
    metrics = {**summary, "history": run.progress.history, "eval_history": run.progress.eval_history}
    (out_dir / "metrics.json").write_text(json.dumps(metrics, indent=2))
    loss_curve(run.progress.history, run.progress.eval_history, out_dir, f"{spec.method} fine-tuning")
    return sorted(p for p in out_dir.iterdir() if p.is_file())


def register_result(
    store: Store,
    *,
    run: TrainRun,
    spec: TrainSpec,
    base: Model,
    version: DatasetVersion,
    job_id: str,
    out_dir: Path,
    summary: dict[str, Any],
) -> tuple[Model, dict[str, str]]:
    """Store every output file as an artifact and register the model with lineage and audit."""
    files = save_outputs(run, spec, out_dir, summary)
    artifacts = {}
    for path in files:
        artifact = store.put_artifact(
            path, kind=artifact_kind(path.name), name=path.name, meta={"job_id": job_id}
        )
        artifacts[path.name] = artifact.id
    digest = spec_hash(spec)
    meta = {
        "adapter": spec.method != "full",
        "method": spec.method,
        "job_id": job_id,
        "base_model": base.location,
        "base_revision": base.revision,
        "dataset_version": version.id,
        "dataset_sha256": version.content_hash,
        "spec_sha256": digest,
        "artifacts": artifacts,
        "metrics": {k: v for k, v in summary.items() if isinstance(v, int | float | None)},
    }
    parents = [(version.id, "trained-on"), (job_id, "produced-by"), (f"spec:sha256:{digest}", "spec")]
    parents += [(artifact_id, "artifact") for artifact_id in artifacts.values()]
    name = spec.name or f"{base.name.rsplit('/', 1)[-1]}-{spec.method}-{job_id[-6:]}"
    model = register_model(
        store, str(out_dir), name=name, source="trained", parent_id=base.id, meta=meta, parents=parents
    )
    store.audit.append(
        "model.train",
        "model",
        model.id,
        {"job_id": job_id, "base_model": base.id, "dataset_version": version.id, "spec_sha256": digest,
         "method": spec.method, "steps": run.progress.step, "final_loss": summary.get("final_loss")},
    )  # fmt: skip
    return model, artifacts
