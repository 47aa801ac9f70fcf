"""``/v1/review/...``: the human-review queue over HTTP (for an EHR inbox or any other client).

Scopes: ``viewer`` lists tasks (metadata only) and quality numbers; ``reviewer`` (or admin)
reads task content and decides; ``invoke`` may only fetch the released text of a held response
of its own deployment — never a pending or rejected one. A key made with ``--deployment``
sees, decides and exports only that deployment's tasks.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from medfoundry.api.auth import InvokeKey, check_deployment_access, require
from medfoundry.api.errors import ERROR_RESPONSES, APIError
from medfoundry.api.state import get_state
from medfoundry.review import imports
from medfoundry.review import tasks as review
from medfoundry.review.export import export_reviews
from medfoundry.review.stats import review_stats
from medfoundry.store.models import ApiKey

router = APIRouter(prefix="/v1/review", tags=["review"], responses=ERROR_RESPONSES)
ViewerKey = Annotated[ApiKey, Depends(require("viewer"))]
ReviewerKey = Annotated[ApiKey, Depends(require("reviewer"))]


def actor(key: ApiKey) -> str:
    return f"api_key:{key.id}"


class EditBody(BaseModel):
    text: str = Field(min_length=1, description="The corrected output; the original is kept.")


class RejectBody(BaseModel):
    reason: str = Field(description="A code from the task's taxonomy, e.g. hallucination.")
    text: str | None = Field(None, description="Optional corrected output (used for preference pairs, never released).")


class ImportBody(BaseModel):
    evaluation: str | None = Field(None, description="An evaluation id: one task per generated answer.")
    dataset: str | None = Field(None, description="A task dataset version (id, NAME or NAME@N).")
    limit: int | None = Field(None, ge=1)
    reviewers: int = Field(1, ge=1, le=2)


class ExportBody(BaseModel):
    name: str = Field(min_length=1, description="The dataset to add a version to.")
    approved: bool = False
    edited: bool = False
    rejected: bool = False
    format: Literal["chat", "preference"] = "chat"
    deployment: str | None = None


def scoped(key: ApiKey, deployment: str | None) -> str | None:
    """The deployment a request may see: a key limited to one deployment sees only its tasks."""
    if key.deployment and deployment and deployment != key.deployment:
        check_deployment_access(key, deployment)
    return key.deployment or deployment


def task_for(request: Request, key: ApiKey, task_id: str) -> review.ReviewTask:
    task = review.get_task(get_state(request).store, task_id)
    if key.deployment and task.deployment_name != key.deployment:
        raise APIError(403, f"This API key is limited to the deployment '{key.deployment}'.", code="forbidden")
    return task


@router.get("/tasks")
async def list_tasks(
    request: Request,
    key: ViewerKey,
    status: str | None = None,
    deployment: str | None = None,
    source: str | None = None,
    reason: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    store, deployment = get_state(request).store, scoped(key, deployment)
    rows = await run_in_threadpool(
        review.list_tasks, store, status=status, deployment=deployment, source=source, reason=reason, limit=limit
    )
    return {"object": "list", "data": [review.task_summary(t) for t in rows]}


@router.get("/tasks/{task_id}")
async def show_task(request: Request, task_id: str, key: ReviewerKey) -> dict[str, Any]:
    store = get_state(request).store

    def detail() -> dict[str, Any]:
        found = task_for(request, key, task_id)
        store.audit.append("review.view", "review_task", task_id, {}, actor=actor(key))
        return review.task_detail(store, found)

    return await run_in_threadpool(detail)


@router.post("/tasks/{task_id}/claim")
async def claim_task(request: Request, task_id: str, key: ReviewerKey) -> dict[str, Any]:
    await run_in_threadpool(task_for, request, key, task_id)
    task = await run_in_threadpool(review.claim, get_state(request).store, task_id, actor(key))
    return review.task_summary(task)


@router.post("/next")
async def claim_next(request: Request, key: ReviewerKey, deployment: str | None = None) -> dict[str, Any]:
    store, deployment = get_state(request).store, scoped(key, deployment)
    task = await run_in_threadpool(lambda: review.claim_next(store, actor(key), deployment=deployment))
    return {"task": review.task_summary(task) if task else None}


async def _decide(request: Request, key: ApiKey, task_id: str, verdict: str, **extra: Any) -> dict[str, Any]:
    await run_in_threadpool(task_for, request, key, task_id)
    store = get_state(request).store
    task = await run_in_threadpool(lambda: review.decide(store, task_id, actor(key), verdict, **extra))
    return review.task_summary(task)


@router.post("/tasks/{task_id}/approve")
async def approve(request: Request, task_id: str, key: ReviewerKey) -> dict[str, Any]:
    return await _decide(request, key, task_id, "approved")


@router.post("/tasks/{task_id}/edit")
async def edit(request: Request, task_id: str, body: EditBody, key: ReviewerKey) -> dict[str, Any]:
    return await _decide(request, key, task_id, "edited", edited=body.text)


@router.post("/tasks/{task_id}/reject")
async def reject(request: Request, task_id: str, body: RejectBody, key: ReviewerKey) -> dict[str, Any]:
    return await _decide(request, key, task_id, "rejected", reason=body.reason, edited=body.text)


@router.get("/stats")
async def stats(request: Request, key: ViewerKey, deployment: str | None = None) -> dict[str, Any]:
    deployment = scoped(key, deployment)
    return await run_in_threadpool(lambda: review_stats(get_state(request).store, deployment=deployment))


@router.post("/export")
async def export(request: Request, body: ExportBody, key: ReviewerKey) -> dict[str, Any]:
    store, deployment = get_state(request).store, scoped(key, body.deployment)
    result = await run_in_threadpool(
        lambda: export_reviews(store, name=body.name, approved=body.approved, edited=body.edited,
                               rejected=body.rejected, fmt=body.format, deployment=deployment, actor=actor(key))
    )  # fmt: skip
    return result.to_dict()


@router.post("/import")
async def import_batch(request: Request, body: ImportBody, key: ReviewerKey) -> dict[str, Any]:
    """A batch for reviewers from an evaluation's per-item answers or a task dataset version."""
    if (body.evaluation is None) == (body.dataset is None):
        raise APIError(422, "Give exactly one of evaluation or dataset.", param="evaluation")
    if key.deployment:
        raise APIError(403, "A key limited to one deployment cannot import batches.", code="forbidden")
    store = get_state(request).store
    if body.evaluation:
        evaluation = body.evaluation
        result = await run_in_threadpool(lambda: imports.from_evaluation(
            store, evaluation, limit=body.limit, reviewers=body.reviewers, actor=actor(key)))  # fmt: skip
    else:
        dataset = str(body.dataset)
        if dataset.endswith(".jsonl") or "/" in dataset:
            raise APIError(422, "dataset must be a registered dataset version, not a file path.", param="dataset")
        result = await run_in_threadpool(lambda: imports.from_dataset(
            store, dataset, limit=body.limit, reviewers=body.reviewers, actor=actor(key)))  # fmt: skip
    return result.to_dict()


@router.get("/responses/{task_id}")
async def released_response(request: Request, task_id: str, key: InvokeKey) -> dict[str, Any]:
    """A held response's outcome for the client that sent it: the text once approved or edited."""
    store = get_state(request).store
    task = await run_in_threadpool(review.get_task, store, task_id)
    if task.source != "serve":
        raise APIError(404, f"{task_id} is not a served response.", code="not_found")
    check_deployment_access(key, task.deployment_name or "")
    content = await run_in_threadpool(review.released_output, store, task)
    return {"id": task.id, "status": task.status, "content": content, "request_id": task.source_ref}
