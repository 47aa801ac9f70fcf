"""Plain views of jobs for the pages: progress, ETA, the loss curve, the step log, the CLI equivalent."""

from __future__ import annotations

import json
import shlex
from datetime import UTC, datetime
from typing import Any

from medfoundry.jobs import queue
from medfoundry.store.database import Store
from medfoundry.store.models import Job
from medfoundry.train.spec import TrainSpec

FORM_FIELDS = ("base_model", "dataset", "method", "name", "max_steps", "learning_rate", "lora_r", "batch_size",
               "max_seq_length")  # fmt: skip


def _aware(value: datetime | None) -> datetime | None:
    return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)


def job_view(store: Store, job_id: str) -> dict[str, Any]:
    """Everything the job page shows, computed from the job row and its metrics."""
    job = queue.get(store, job_id)
    rows = queue.metrics(store, job_id)
    steps: dict[int, dict[str, float]] = {}
    for row in rows:
        steps.setdefault(row.step, {})[row.name] = row.value
    ordered = sorted(steps.items())
    loss = [[step, values["loss"]] for step, values in ordered if "loss" in values]
    progress = job.progress or {}
    step = int(progress.get("step") or (ordered[-1][0] if ordered else 0))
    total = int(progress.get("total_steps") or 0)
    return {
        "job": job,
        "state": queue.display_state(job, store.settings.job_stale_after_s),
        "step": step,
        "total": total,
        "percent": round(100 * step / total) if total else None,
        "loss": progress.get("loss"),
        "tokens_per_s": progress.get("tokens_per_s"),
        "eta_s": _eta(job, step, total),
        "points": json.dumps(loss),
        "log": [_log_line(s, v) for s, v in ordered[-30:]],
        "terminal": job.state in queue.TERMINAL_STATES,
        "spec": (job.payload or {}).get("spec") or {},
    }


def _eta(job: Job, step: int, total: int) -> float | None:
    started = _aware(job.started_at)
    if job.state != "running" or not started or step <= 0 or total <= step:
        return None
    elapsed = (datetime.now(UTC) - started).total_seconds()
    return round(elapsed / step * (total - step), 1)


def _log_line(step: int, values: dict[str, float]) -> str:
    shown = " ".join(f"{k}={v:.4g}" for k, v in sorted(values.items()) if k not in ("epoch", "tokens"))
    return f"step {step}: {shown}"


def form_values(form: dict[str, str]) -> dict[str, Any]:
    """The non-empty form fields, as the training spec's values."""
    values: dict[str, Any] = {}
    for name in FORM_FIELDS:
        raw = (form.get(name) or "").strip()
        if raw:
            values[name] = raw
    return values


def cli_command(spec: TrainSpec, values: dict[str, Any]) -> str:
    """The ``medfoundry train --queue`` command that submits the same job."""
    parts = ["medfoundry", "train", "--queue"]
    for name in values:
        parts += [f"--{name.replace('_', '-')}", str(getattr(spec, name))]
    return shlex.join(parts)
