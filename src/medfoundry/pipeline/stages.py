"""One function per pipeline stage: (store, spec, inputs, job context) → output ids.

Each calls the same stage function the CLI calls; the pipeline adds nothing of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from medfoundry.errors import ConfigError
from medfoundry.jobs.queue import JobContext
from medfoundry.pipeline.spec import PipelineSpec
from medfoundry.store.database import Store
from medfoundry.store.models import DatasetVersion, Evaluation, Model

StageFunction = Callable[[Store, PipelineSpec, dict[str, Any], JobContext], dict[str, Any]]


def ingest(store: Store, spec: PipelineSpec, inputs: dict[str, Any], ctx: JobContext) -> dict[str, Any]:
    from medfoundry.ingest.run import IngestConfig, run

    source = spec.source
    config = IngestConfig(
        source=source.path, fhir_url=source.fhir_url, format=source.format, name=source.name
    )
    result = run(store, config)
    return {"dataset_version": result.dataset_version, "patients": result.patients, "notes": result.notes,
            "quarantined": result.quarantined}  # fmt: skip


def deid(store: Store, spec: PipelineSpec, inputs: dict[str, Any], ctx: JobContext) -> dict[str, Any]:
    from medfoundry.deid.config import load_config
    from medfoundry.deid.stage import DeidRunConfig, run

    config = DeidRunConfig(source=inputs["ingest"]["dataset_version"], policy=load_config(spec.deid.config),
                           executor=spec.deid.executor)  # fmt: skip
    result = run(store, config)
    return {"dataset_version": result.dataset_version, "scan_passed": bool(result.scan.get("passed")),
            "report_artifact": result.report_artifact}  # fmt: skip


def build(store: Store, spec: PipelineSpec, inputs: dict[str, Any], ctx: JobContext) -> dict[str, Any]:
    from medfoundry.datasets.build import BuildConfig, run
    from medfoundry.datasets.templates import TaskConfig

    task = spec.task
    config = BuildConfig(
        source=inputs["deid"]["dataset_version"],
        task=task.name,
        options=TaskConfig(criteria_file=task.criteria, qa_file=task.qa, max_source_chars=task.max_source_chars),
        name=f"{spec.name}-{task.name}",
        validation_fraction=task.validation_fraction,
        seed=task.seed,
    )
    result = run(store, config)
    return {"dataset_version": result.dataset_version, "examples": result.examples, "train": result.train,
            "validation": result.validation}  # fmt: skip


def train(store: Store, spec: PipelineSpec, inputs: dict[str, Any], ctx: JobContext) -> dict[str, Any]:
    from medfoundry.train.spec import load_spec
    from medfoundry.train.stage import run

    overrides = {**spec.train.overrides, "dataset": inputs["build"]["dataset_version"]}
    result = run(store, load_spec(spec.train.config, overrides))
    if result.state != "succeeded" or result.model_id is None:
        raise ConfigError(
            f"training job {result.job_id} {result.state}: {(result.error or '').strip().splitlines()[-1:]}"
        )
    return {"model": result.model_id, "training_job": result.job_id, "final_loss": result.final_loss}


def evaluate(store: Store, spec: PipelineSpec, inputs: dict[str, Any], ctx: JobContext) -> dict[str, Any]:
    # Not the evaluate stage's ``run``: the pipeline's evaluation puts the suite (if any) and a
    # held-out task benchmark with its base comparison into one scorecard (pipeline/evaluation.py).
    from medfoundry.pipeline.evaluation import evaluate_pipeline_model

    evaluation = evaluate_pipeline_model(
        store, spec, inputs["train"]["model"], inputs["build"]["dataset_version"]
    )
    return {"evaluation": evaluation.id, "passed": evaluation.passed}


def deploy(store: Store, spec: PipelineSpec, inputs: dict[str, Any], ctx: JobContext) -> dict[str, Any]:
    from medfoundry.serve.deployments import find_deployment, undeploy
    from medfoundry.serve.stage import DeployConfig, run

    name = spec.deploy.name or spec.name
    current = find_deployment(store, name, active=True)
    if current is not None and current.model_id == inputs["train"]["model"]:
        return {"deployment": current.name, "deployment_id": current.id, "model": current.model_id}
    if current is not None:
        undeploy(store, name)
    policy = str(spec.deploy.policy) if spec.deploy.policy else None
    info = run(store, DeployConfig(model=inputs["train"]["model"], name=name, policy=policy))
    return {"deployment": info.name, "deployment_id": info.id, "model": info.model_id}


STAGE_FUNCTIONS: dict[str, StageFunction] = {
    "ingest": ingest,
    "deid": deid,
    "build": build,
    "train": train,
    "evaluate": evaluate,
    "deploy": deploy,
}


def output_exists(store: Store, output: dict[str, Any]) -> bool:
    """A cached output is reusable only while what it names still exists."""
    checks = (("dataset_version", DatasetVersion), ("model", Model), ("evaluation", Evaluation))
    with store.sessions() as session:
        for field, table in checks:
            if field in output and session.get(table, output[field]) is None:
                return False
        if "deployment" in output:
            from medfoundry.serve.deployments import find_deployment

            return find_deployment(store, output["deployment"], active=True) is not None
    return True
