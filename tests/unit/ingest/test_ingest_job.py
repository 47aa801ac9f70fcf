"""The stage job kinds: a worker runs ingest from a JSON payload exactly as the CLI does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from medfoundry.dataset_versions import get_version
from medfoundry.jobs import queue
from medfoundry.jobs.kinds import job_kinds
from medfoundry.store.database import Store


def test_every_stage_has_a_job_kind_in_the_one_table() -> None:
    assert {"ingest", "deid", "build", "train", "evaluate", "pipeline-stage"} <= set(job_kinds.names())


def test_an_ingest_job_takes_its_config_as_payload(store: Store, small_export: Path) -> None:
    progress: list[dict[str, Any]] = []
    job = queue.run_foreground(store, "ingest", {"source": str(small_export)}, on_progress=progress.append)
    assert job.state == "succeeded", job.error
    result = job.result or {}
    version = get_version(store, result["dataset_version"])
    assert version.kind == "raw" and result["patients"] == 2
    assert progress and progress[-1]["unit"] == "bytes" and progress[-1]["resources"] >= 2


def test_a_bad_payload_fails_the_job_naming_the_field(store: Store) -> None:
    job = queue.run_foreground(store, "build", {"task": "patient-summary"})
    assert job.state == "failed" and "source" in (job.error or "")
