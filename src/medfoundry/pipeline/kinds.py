"""Every stage's job kind, in one table: what ``medfoundry worker`` runs and ``jobs submit`` accepts.

The foundation's ``jobs`` package holds the registry and its diagnostics (``noop``,
``audit-verify``) but names no stage; the stages' kinds are listed here, above every stage,
as lazy ``"module:attr"`` targets, so the table imports nothing until a job of that kind runs.
The programs that submit or run jobs (the CLI and the HTTP API) import this module; plugins
add kinds through the ``medfoundry.plugins`` entry-point group.
"""

from __future__ import annotations

from medfoundry.jobs.kinds import job_kinds

STAGE_JOB_KINDS: dict[str, str] = {
    "ingest": "medfoundry.pipeline.stage_jobs:ingest_job",
    "deid": "medfoundry.pipeline.stage_jobs:deid_job",
    "build": "medfoundry.pipeline.stage_jobs:build_job",
    "train": "medfoundry.train.job:train_job",
    "evaluate": "medfoundry.pipeline.stage_jobs:evaluate_job",
    "pipeline-stage": "medfoundry.pipeline.runner:run_stage_job",
}


def register_stage_kinds() -> None:
    """Register the table once per process (idempotent)."""
    for name, target in STAGE_JOB_KINDS.items():
        if name not in job_kinds:
            job_kinds.register(name, target)


register_stage_kinds()
