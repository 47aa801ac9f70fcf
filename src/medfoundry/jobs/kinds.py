"""The registry of job kinds. A kind is a callable ``(ctx: JobContext) -> dict``.

The two built-in kinds are diagnostics an operator uses to check a worker fleet. The
stages' kinds (``train``, ``pipeline-stage``, ...) are one table in
``medfoundry.pipeline.kinds``, above every stage, which the CLI and the API import.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Protocol

from medfoundry.registry import Registry

if TYPE_CHECKING:
    from medfoundry.jobs.queue import JobContext


class JobKind(Protocol):
    def __call__(self, ctx: JobContext) -> dict[str, Any]: ...


job_kinds: Registry[JobKind] = Registry("job kind")


def noop(ctx: JobContext) -> dict[str, Any]:
    """Sleep ``seconds`` (default 0) while heartbeating; proves a worker runs jobs."""
    seconds = float(ctx.payload.get("seconds", 0))
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ctx.check_cancelled()
        ctx.report_progress({"remaining_s": round(deadline - time.monotonic(), 2)})
        time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))
    ctx.store.audit.append("job.noop.ran", "job", ctx.job_id, {"worker": ctx.worker, "attempt": ctx.attempt})
    return {"slept_s": seconds, "worker": ctx.worker}


def audit_verify(ctx: JobContext) -> dict[str, Any]:
    """Verify the audit chain as a scheduled job."""
    return ctx.store.audit.verify().to_dict()


job_kinds.register("noop", noop)
job_kinds.register("audit-verify", audit_verify)
