"""Reviewed outputs → a new dataset version: chat (SFT) examples or preference pairs (DPO).

chat: approved outputs as they are, edited outputs as corrected. preference: one pair per
correction, the reviewer's text chosen and the model's original rejected (edits, and
rejections that came with a corrected text). Every text is PHI-scanned like any dataset;
a hit refuses the export and stores nothing. The version's lineage names each review task,
deployment and model it came from.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import select

from medfoundry.datasets.chat import SPLITS, phi_scan
from medfoundry.datasets.versions import create_version
from medfoundry.errors import InputError, PHILeakError
from medfoundry.review.tasks import decisions, edited_text, task_content
from medfoundry.store.database import Store
from medfoundry.store.models import DatasetVersion, ReviewTask

ExportFormat = Literal["chat", "preference"]
PREFERENCE_FORMAT = "preference-jsonl"


@dataclass(frozen=True)
class ExportResult:
    version: DatasetVersion
    examples: int
    tasks: list[str]
    skipped: int

    def to_dict(self) -> dict[str, Any]:
        v = self.version
        return {"dataset_version": v.id, "version": v.version, "format": v.meta.get("format"),
                "examples": self.examples, "tasks": len(self.tasks), "skipped": self.skipped,
                "content_hash": v.content_hash, "phi_scan": v.meta.get("phi_scan", {}).get("passed")}  # fmt: skip


def _split(key: str, fraction: float, seed: int) -> str:
    digest = hashlib.sha256(f"{seed}:{key}".encode()).digest()
    return "validation" if int.from_bytes(digest[:8], "big") / 2**64 < fraction else "train"


def _correction(store: Store, task: ReviewTask) -> str | None:
    """The reviewer's text for a task: the final edit, or the correction given with a rejection."""
    if task.status == "edited" and task.final_artifact_id:
        return store.read_artifact(task.final_artifact_id).decode("utf-8")
    texts = [edited_text(store, d) for d in decisions(store, task.id) if d.edit_artifact_id]
    return texts[-1] if texts else None


def _row(store: Store, task: ReviewTask, fmt: ExportFormat) -> dict[str, Any] | None:
    content = task_content(store, task)
    prompt = [{"role": m["role"], "content": m["content"]} for m in content["messages"]]
    original, correction = str(content["output"]), _correction(store, task)
    if fmt == "chat":
        if task.status == "rejected":
            return None  # a rejected output is never a training target
        target = correction if task.status == "edited" and correction else original
        return {"messages": [*prompt, {"role": "assistant", "content": target}], "review_task": task.id}
    if correction is None or correction == original:
        return None
    return {"prompt": prompt, "chosen": correction, "rejected": original, "review_task": task.id}


def _texts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows shaped for the dataset PHI scan: every text as a message."""
    out = []
    for row in rows:
        messages = list(row.get("messages") or row["prompt"])
        if "chosen" in row:
            messages += [{"role": "assistant", "content": row["chosen"]}, {"role": "assistant", "content": row["rejected"]}]
        out.append({"messages": messages})
    return out


def select_tasks(store: Store, statuses: list[str], deployment: str | None) -> list[ReviewTask]:
    query = select(ReviewTask).where(ReviewTask.status.in_(statuses)).order_by(ReviewTask.created_at, ReviewTask.id)
    if deployment:
        query = query.where(ReviewTask.deployment_name == deployment)
    with store.sessions() as session:
        return list(session.scalars(query))


def export_reviews(
    store: Store,
    *,
    name: str,
    approved: bool = False,
    edited: bool = False,
    rejected: bool = False,
    fmt: ExportFormat = "chat",
    deployment: str | None = None,
    validation_fraction: float = 0.1,
    seed: int = 0,
    actor: str = "system",
) -> ExportResult:
    statuses = [s for s, on in (("approved", approved), ("edited", edited), ("rejected", rejected)) if on]
    if not statuses:
        raise InputError("choose what to export: --approved, --edited and/or --rejected")
    if fmt not in ("chat", "preference"):
        raise InputError(f"--format must be chat or preference, not '{fmt}'")
    tasks = select_tasks(store, statuses, deployment)
    rows, used = [], []
    for task in tasks:
        row = _row(store, task, fmt)
        if row is not None:
            rows.append({**row, "split": _split(task.id, validation_fraction, seed)})
            used.append(task)
    if not rows:
        what = "corrections (edits, or rejections with a corrected text)" if fmt == "preference" else "reviewed outputs"
        raise InputError(
            f"no {what} among the {len(tasks)} {'/'.join(statuses)} task(s)" + (f" of '{deployment}'" if deployment else ""),
            hint="review more tasks first ('medfoundry review list --status pending')",
        )
    if all(r["split"] == "validation" for r in rows):
        rows[0]["split"] = "train"
    scan = phi_scan(_texts(rows))
    if not scan.get("passed"):
        store.audit.append("review.export_refused", "dataset", name,
                           {"hits": scan.get("hit_count", 0), "by_type": scan.get("by_type", {})}, actor=actor)  # fmt: skip
        raise PHILeakError(
            f"the PHI scan found {scan.get('hit_count', 0)} possible identifiers ({scan.get('by_type')}) in the "
            "reviewed texts; nothing was exported",
            hint="edit the affected outputs to remove the identifiers, or export fewer tasks (--deployment)",
        )
    body = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows).encode()
    data_format = PREFERENCE_FORMAT if fmt == "preference" else "chat-jsonl"
    artifact = store.put_artifact(body, kind=f"dataset-{data_format}", name=f"{name}.jsonl", meta={"examples": len(rows)})
    counts = {split: sum(r["split"] == split for r in rows) for split in SPLITS}
    deployments = sorted({t.deployment_id for t in used if t.deployment_id})
    models = sorted({t.model_id for t in used if t.model_id})
    parents = ([(t.id, "reviewed-in") for t in used] + [(d, "served-by") for d in deployments]
               + [(m, "generated-by") for m in models])  # fmt: skip
    version = create_version(
        store, dataset_name=name, kind="task", artifact=artifact,
        source=f"review-export:{fmt}:{'+'.join(statuses)}", counts={"examples": len(rows), **counts}, parents=parents,
        meta={"format": data_format, "split": {**counts, "fraction": validation_fraction, "seed": seed, "field": "split"},
              "phi_scan": scan, "review": {"statuses": statuses, "tasks": len(used), "deployments": deployments,
                                           "models": models}},
    )  # fmt: skip
    store.audit.append("review.export", "dataset_version", version.id,
                       {"format": fmt, "statuses": statuses, "examples": len(rows), "tasks": len(used)}, actor=actor)  # fmt: skip
    return ExportResult(version, len(rows), [t.id for t in used], len(tasks) - len(used))
