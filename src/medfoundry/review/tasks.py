"""Review tasks: create, list, claim exactly once, decide (approve, edit, reject), release.

A task's text (the prompt, the model's output, the de-identified source record, an edit)
is stored as encrypted PHI artifacts; rows and audit events carry ids, hashes, counts and
reason codes only. Claiming and deciding are conditional updates
(``... WHERE status = 'pending' AND (claimed_by IS NULL OR ...)``) in one write
transaction, so two reviewers never both take, or both decide, the same task.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from medfoundry.errors import InputError, MedfoundryError, NotFound
from medfoundry.ids import new_id
from medfoundry.review.quality import edit_distance, edit_ratio
from medfoundry.review_policy import DEFAULT_REASONS
from medfoundry.store.database import Store
from medfoundry.store.db import write_transaction
from medfoundry.store.models import ReviewDecision, ReviewTask

VERDICTS = ("approved", "edited", "rejected")
STATUSES = ("pending", *VERDICTS)
SOURCES = ("serve", "evaluation", "dataset")
CLAIM_TIMEOUT_S = 15 * 60
_SEVERITY = {"approved": 0, "edited": 1, "rejected": 2}


class ReviewConflict(MedfoundryError):
    """Another reviewer holds the task, or it was already decided."""

    exit_code = 4
    http_status = 409


@dataclass(frozen=True)
class NewTask:
    """What a task is made of; the texts go to an encrypted artifact."""

    source: str
    source_ref: str
    messages: list[dict[str, str]]
    output: str
    source_record: str | None = None
    deployment_id: str | None = None
    deployment_name: str | None = None
    model_id: str | None = None
    mode: str = "hold"
    reasons: tuple[str, ...] = ()
    reviewers: int = 1
    taxonomy: tuple[str, ...] = DEFAULT_REASONS


def now() -> datetime:
    return datetime.now(UTC)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def create_task(store: Store, new: NewTask, *, actor: str = "system") -> ReviewTask:
    if new.source not in SOURCES:
        raise InputError(f"review task source must be one of {', '.join(SOURCES)}, not '{new.source}'")
    body = {"messages": new.messages, "output": new.output, "source_record": new.source_record}
    artifact = store.put_artifact(
        json.dumps(body, ensure_ascii=False).encode(), kind="review-task", name=f"review-{new.source}", phi=True
    )
    task = ReviewTask(
        id=new_id("review_task"), source=new.source, source_ref=new.source_ref[:128],
        deployment_id=new.deployment_id, deployment_name=new.deployment_name, model_id=new.model_id,
        mode=new.mode, routed_by={"reasons": list(new.reasons), "taxonomy": list(new.taxonomy)},
        status="pending", reviewers_required=new.reviewers, reviews_done=0,
        content_artifact_id=artifact.id, output_sha256=sha256_text(new.output),
    )  # fmt: skip
    with store.session() as session:
        session.add(task)
    store.audit.append(
        "review.create", "review_task", task.id,
        {"source": new.source, "deployment": new.deployment_name, "model_id": new.model_id, "mode": new.mode,
         "reasons": list(new.reasons), "output_sha256": task.output_sha256, "content_artifact_id": artifact.id},
        actor=actor,
    )  # fmt: skip
    return task


def get_task(store: Store, task_id: str) -> ReviewTask:
    with store.sessions() as session:
        task = session.get(ReviewTask, task_id)
    if task is None:
        raise NotFound(f"no review task with id {task_id}", hint="list them with 'medfoundry review list'")
    return task


def list_tasks(
    store: Store,
    *,
    status: str | None = None,
    deployment: str | None = None,
    source: str | None = None,
    reason: str | None = None,
    limit: int = 100,
) -> list[ReviewTask]:
    """Newest first; ``reason`` filters by a routing reason or a rejection reason."""
    if status and status not in STATUSES:
        raise InputError(f"status must be one of {', '.join(STATUSES)}, not '{status}'")
    query = select(ReviewTask).order_by(ReviewTask.created_at.desc(), ReviewTask.id.desc())
    if status:
        query = query.where(ReviewTask.status == status)
    if deployment:
        query = query.where(ReviewTask.deployment_name == deployment)
    if source:
        query = query.where(ReviewTask.source == source)
    with store.sessions() as session:
        tasks = list(session.scalars(query.limit(limit if not reason else limit * 20)))
        if reason:
            rejected_for = set(
                session.scalars(select(ReviewDecision.task_id).where(ReviewDecision.reason == reason))
            )
            tasks = [t for t in tasks if reason in t.routed_by.get("reasons", []) or t.id in rejected_for]
    return tasks[:limit]


def decisions(store: Store, task_id: str) -> list[ReviewDecision]:
    with store.sessions() as session:
        query = select(ReviewDecision).where(ReviewDecision.task_id == task_id).order_by(ReviewDecision.id)
        return list(session.scalars(query))


def task_content(store: Store, task: ReviewTask) -> dict[str, Any]:
    """The decrypted prompt messages, model output and source record of ``task``."""
    content: dict[str, Any] = json.loads(store.read_artifact(task.content_artifact_id))
    return content


def edited_text(store: Store, decision: ReviewDecision) -> str | None:
    if decision.edit_artifact_id is None:
        return None
    return store.read_artifact(decision.edit_artifact_id).decode("utf-8")


def _claimable(reviewer: str, stale_before: datetime) -> Any:
    return and_(
        ReviewTask.status == "pending",
        or_(ReviewTask.claimed_by.is_(None), ReviewTask.claimed_by == reviewer, ReviewTask.claimed_at < stale_before),
    )


def _already_reviewed(store: Store, task_id: str, reviewer: str) -> bool:
    with store.sessions() as session:
        query = select(ReviewDecision.id).where(ReviewDecision.task_id == task_id, ReviewDecision.reviewer == reviewer)
        return session.scalar(query) is not None


def claim(store: Store, task_id: str, reviewer: str) -> ReviewTask:
    """Take ``task_id`` for ``reviewer``; ReviewConflict when someone else holds it or it is decided."""
    task = get_task(store, task_id)
    if _already_reviewed(store, task_id, reviewer):
        raise ReviewConflict(f"you already reviewed task {task_id}", hint="a second reviewer must decide it")
    stale_before = now() - timedelta(seconds=CLAIM_TIMEOUT_S)
    with write_transaction(store.engine) as conn:
        claimed = conn.execute(
            update(ReviewTask).where(ReviewTask.id == task_id, _claimable(reviewer, stale_before))
            .values(claimed_by=reviewer, claimed_at=now())
        ).rowcount  # fmt: skip
    if claimed != 1:
        task = get_task(store, task_id)
        held = f"is {task.status}" if task.status != "pending" else "is being reviewed by someone else"
        raise ReviewConflict(f"review task {task_id} {held}", hint="take another task from the queue")
    store.audit.append("review.claim", "review_task", task_id, {}, actor=reviewer)
    return get_task(store, task_id)


def claim_next(store: Store, reviewer: str, *, deployment: str | None = None) -> ReviewTask | None:
    """Claim the oldest pending task this reviewer has not reviewed yet; None when the queue is empty."""
    stale_before = now() - timedelta(seconds=CLAIM_TIMEOUT_S)
    for _ in range(20):
        with store.sessions() as session:
            mine = select(ReviewDecision.task_id).where(ReviewDecision.reviewer == reviewer)
            query = select(ReviewTask.id).where(_claimable(reviewer, stale_before), ReviewTask.id.not_in(mine))
            if deployment:
                query = query.where(ReviewTask.deployment_name == deployment)
            candidate = session.scalar(query.order_by(ReviewTask.created_at, ReviewTask.id).limit(1))
        if candidate is None:
            return None
        try:
            return claim(store, candidate, reviewer)
        except ReviewConflict:
            continue
    return None


def _check_verdict(task: ReviewTask, original: str, verdict: str, reason: str | None, edited: str | None) -> None:
    if verdict not in VERDICTS:
        raise InputError(f"verdict must be one of {', '.join(VERDICTS)}, not '{verdict}'")
    taxonomy = task.routed_by.get("taxonomy") or list(DEFAULT_REASONS)
    if verdict == "rejected" and reason not in taxonomy:
        raise InputError(
            f"a rejection needs a reason from the taxonomy, got {reason!r}", hint=f"use one of: {', '.join(taxonomy)}"
        )
    if verdict == "edited":
        if edited is None or not edited.strip():
            raise InputError("an edit needs the corrected text", hint="pass the corrected output (--text or --file)")
        if edited == original:
            raise InputError("the edited text equals the model's output", hint="approve it instead")
    if verdict == "approved" and (edited is not None or reason is not None):
        raise InputError("an approval takes no edited text and no reason")


def decide(
    store: Store,
    task_id: str,
    reviewer: str,
    verdict: str,
    *,
    reason: str | None = None,
    edited: str | None = None,
) -> ReviewTask:
    """Record ``reviewer``'s verdict; the task is final once it has all the reviews it needs.

    The original output is never changed: an edit is a separate encrypted artifact. A
    rejection may carry a corrected text (used for preference pairs) but is never released.
    """
    task = get_task(store, task_id)
    if task.status != "pending":
        raise ReviewConflict(f"review task {task_id} is already {task.status}", hint="take another task from the queue")
    original = str(task_content(store, task)["output"])
    if verdict == "rejected" and edited is not None and (edited == original or not edited.strip()):
        edited = None  # a rejection whose text was left as it was carries no correction
    _check_verdict(task, original, verdict, reason, edited)
    if _already_reviewed(store, task_id, reviewer):
        raise ReviewConflict(f"you already reviewed task {task_id}")
    edit_artifact = None
    distance, ratio = 0, 0.0
    if edited is not None:
        edit_artifact = store.put_artifact(edited.encode("utf-8"), kind="review-edit", name=f"edit-{task_id}", phi=True)
        distance, ratio = edit_distance(original, edited), edit_ratio(original, edited)
    stale_before = now() - timedelta(seconds=CLAIM_TIMEOUT_S)
    try:
        with write_transaction(store.engine) as conn:
            taken = conn.execute(
                update(ReviewTask).where(ReviewTask.id == task_id, _claimable(reviewer, stale_before))
                .values(claimed_by=None, claimed_at=None, reviews_done=ReviewTask.reviews_done + 1)
            ).rowcount  # fmt: skip
            if taken != 1:
                raise ReviewConflict(
                    f"review task {task_id} is decided or held by another reviewer", hint="reload the queue"
                )
            conn.execute(
                insert(ReviewDecision).values(
                    task_id=task_id, reviewer=reviewer, verdict=verdict, reason=reason,
                    edit_artifact_id=edit_artifact.id if edit_artifact else None,
                    edit_distance=distance, edit_ratio=ratio, created_at=now(),
                )
            )  # fmt: skip
            _finalize(conn, task_id)
    except IntegrityError:
        raise ReviewConflict(f"you already reviewed task {task_id}") from None
    done = get_task(store, task_id)
    details = {"verdict": verdict, "reason": reason, "edit_distance": distance, "edit_ratio": round(ratio, 4),
               "status": done.status, "edit_artifact_id": edit_artifact.id if edit_artifact else None}  # fmt: skip
    store.audit.append(f"review.{verdict}", "review_task", task_id, details, actor=reviewer)
    return done


def _finalize(conn: Any, task_id: str) -> None:
    row = conn.execute(select(ReviewTask.reviews_done, ReviewTask.reviewers_required).where(ReviewTask.id == task_id)).one()
    if row.reviews_done < row.reviewers_required:
        return
    verdicts = conn.execute(
        select(ReviewDecision.verdict, ReviewDecision.edit_artifact_id)
        .where(ReviewDecision.task_id == task_id).order_by(ReviewDecision.id)
    ).all()  # fmt: skip
    final = max((v.verdict for v in verdicts), key=lambda v: _SEVERITY[v])
    edits = [v.edit_artifact_id for v in verdicts if v.verdict == "edited" and v.edit_artifact_id]
    final_artifact = edits[-1] if final == "edited" and edits else None
    conn.execute(
        update(ReviewTask).where(ReviewTask.id == task_id)
        .values(status=final, decided_at=now(), final_artifact_id=final_artifact)
    )  # fmt: skip


def released_output(store: Store, task: ReviewTask) -> str | None:
    """The text a held response may release: the approved or edited output; None while pending or rejected."""
    if task.status == "approved":
        return str(task_content(store, task)["output"])
    if task.status == "edited" and task.final_artifact_id:
        return store.read_artifact(task.final_artifact_id).decode("utf-8")
    return None


def task_summary(task: ReviewTask) -> dict[str, Any]:
    """A task's metadata (no text): what lists and audit-safe views show."""
    return {
        "id": task.id, "status": task.status, "source": task.source, "source_ref": task.source_ref,
        "deployment": task.deployment_name, "deployment_id": task.deployment_id, "model_id": task.model_id,
        "mode": task.mode, "routed_by": task.routed_by.get("reasons", []), "reviewers_required": task.reviewers_required,
        "reviews_done": task.reviews_done, "claimed_by": task.claimed_by, "output_sha256": task.output_sha256,
        "created_at": task.created_at.isoformat() if task.created_at else None,
        "decided_at": task.decided_at.isoformat() if task.decided_at else None,
    }  # fmt: skip


def task_detail(store: Store, task: ReviewTask) -> dict[str, Any]:
    """Metadata, decrypted content, decisions (with edits and diffs) and the releasable text."""
    content = task_content(store, task)
    out = task_summary(task)
    out["taxonomy"] = task.routed_by.get("taxonomy") or list(DEFAULT_REASONS)
    out["content"] = content
    out["decisions"] = [
        {"reviewer": d.reviewer, "verdict": d.verdict, "reason": d.reason, "edited": edited_text(store, d),
         "edit_distance": d.edit_distance, "edit_ratio": d.edit_ratio, "created_at": d.created_at.isoformat()}
        for d in decisions(store, task.id)
    ]  # fmt: skip
    out["released_output"] = released_output(store, task)
    return out
