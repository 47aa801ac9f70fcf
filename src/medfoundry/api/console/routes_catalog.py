"""Catalog (curated + registered models, filtered) and a model's page with lineage, scorecards, evidence."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, Response
from sqlalchemy import select
from starlette.background import BackgroundTask

from medfoundry.api.console.web import CurrentUser, render, store_of
from medfoundry.api.errors import medfoundry_error_status
from medfoundry.audit import lineage
from medfoundry.catalog.curated import catalog_entry, load_catalog, parse_size, search
from medfoundry.catalog.resolve import get_model
from medfoundry.errors import MedfoundryError
from medfoundry.evidence.pack import build_evidence_pack
from medfoundry.store.database import Store
from medfoundry.store.models import Deployment, Evaluation, Model

router = APIRouter()


def _filters() -> dict[str, list[str]]:
    entries = load_catalog()
    return {
        "task": sorted({t for e in entries for t in e.tasks}),
        "modality": sorted({e.modality for e in entries}),
        "license": sorted({e.license for e in entries if e.license}),
    }


def registered_models(store: Store) -> list[Model]:
    with store.sessions() as session:
        return list(session.scalars(select(Model).order_by(Model.created_at.desc())))


@router.get("/catalog", response_class=HTMLResponse)
async def catalog(
    request: Request,
    user: CurrentUser,
    q: str = "",
    task: str = "",
    modality: str = "",
    license: str = "",
    max_params: str = "",
) -> HTMLResponse:
    error = ""
    try:
        limit = parse_size(max_params) if max_params.strip() else None
        entries = search(q or None, task=task or None, modality=modality or None, license=license or None,
                         max_params=limit)  # fmt: skip
    except MedfoundryError as exc:
        error, entries = exc.message, []
    models = await run_in_threadpool(registered_models, store_of(request))
    chosen = {"q": q, "task": task, "modality": modality, "license": license, "max_params": max_params}
    return render(request, "catalog.html", user, nav="catalog", entries=entries, models=models,
                  filters=_filters(), chosen=chosen, error=error)  # fmt: skip


def _model_page(store: Store, model_id: str) -> dict[str, Any]:
    model = get_model(store, model_id)
    with store.sessions() as session:
        evaluations = list(
            session.scalars(
                select(Evaluation)
                .where(Evaluation.model_id == model.id)
                .order_by(Evaluation.created_at.desc())
            )
        )
        deployments = list(session.scalars(select(Deployment).where(Deployment.model_id == model.id)))
    parent = get_model(store, model.parent_id) if model.parent_id else None
    tree = lineage.show(store, model.id)
    entry = catalog_entry(model.location) or catalog_entry(model.name)
    return {"model": model, "parent": parent, "tree": tree, "evaluations": evaluations,
            "deployments": deployments, "entry": entry}  # fmt: skip


@router.get("/models/{model_id}", response_class=HTMLResponse)
async def model_page(request: Request, user: CurrentUser, model_id: str) -> HTMLResponse:
    context = await run_in_threadpool(_model_page, store_of(request), model_id)
    return render(request, "model.html", user, nav="catalog", **context)


@router.get("/models/{model_id}/evidence.zip", response_model=None)
async def evidence(request: Request, user: CurrentUser, model_id: str) -> Response:
    """Build the model's evidence pack (audited by the evidence stage) and send it, or say why not."""
    folder = Path(tempfile.mkdtemp(prefix="medfoundry-evidence-"))
    output = folder / f"evidence-{model_id}.zip"

    def cleanup() -> None:
        output.unlink(missing_ok=True)
        folder.rmdir()

    try:
        await run_in_threadpool(build_evidence_pack, store_of(request), model_id, output)
    except MedfoundryError as exc:
        cleanup()
        return render(request, "error.html", user, status_code=medfoundry_error_status(exc), nav="catalog",
                      title="The evidence pack was not written", error=exc)  # fmt: skip

    return FileResponse(output, media_type="application/zip", filename=output.name,
                        background=BackgroundTask(cleanup))  # fmt: skip
