"""Evaluations: scorecards as bar charts against thresholds and the base model, predictions, compare."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from medfoundry.api.console.evals_view import chart_rows, predictions_page
from medfoundry.api.console.web import CurrentUser, render, store_of
from medfoundry.evaluate.compare import compare_refs
from medfoundry.evaluate.scorecard import get_evaluation
from medfoundry.store.database import Store
from medfoundry.store.models import Artifact, Evaluation

router = APIRouter()


def _all(store: Store) -> list[Evaluation]:
    with store.sessions() as session:
        return list(session.scalars(select(Evaluation).order_by(Evaluation.created_at.desc())))


@router.get("/evaluations", response_class=HTMLResponse)
async def evaluations(request: Request, user: CurrentUser) -> HTMLResponse:
    rows = await run_in_threadpool(_all, store_of(request))
    return render(request, "evaluations.html", user, nav="evaluations", evaluations=rows)


def _detail(store: Store, evaluation_id: str, page: int, may_see_phi: bool) -> dict[str, Any]:
    evaluation = get_evaluation(store, evaluation_id)
    phi = False
    if evaluation.artifact_id:
        with store.sessions() as session:
            artifact = session.get(Artifact, evaluation.artifact_id)
        phi = bool(artifact and artifact.phi)
    hidden = phi and not may_see_phi
    preds = None if hidden else predictions_page(store, evaluation, page)
    return {"evaluation": evaluation, "sc": evaluation.scorecard, "rows": chart_rows(evaluation.scorecard),
            "preds": preds, "preds_hidden": hidden}  # fmt: skip


@router.get("/evaluations/{evaluation_id}", response_class=HTMLResponse)
async def evaluation_page(
    request: Request, user: CurrentUser, evaluation_id: str, page: int = 0
) -> HTMLResponse:
    context = await run_in_threadpool(
        _detail, store_of(request), evaluation_id, max(page, 0), user.can("admin")
    )
    template = "_predictions.html" if request.headers.get("hx-request") else "evaluation.html"
    return render(request, template, user, nav="evaluations", **context)


@router.get("/compare", response_class=HTMLResponse)
async def compare(request: Request, user: CurrentUser, a: str = "", b: str = "") -> HTMLResponse:
    store = store_of(request)
    options = await run_in_threadpool(_all, store)
    result = None
    if a and b:
        if a == b:
            raise HTTPException(400, "Choose two different evaluations to compare.")
        result = await run_in_threadpool(compare_refs, store, a, b)
    return render(request, "compare.html", user, nav="evaluations", options=options, a=a, b=b, result=result)
