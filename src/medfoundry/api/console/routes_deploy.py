"""Deployments: status, model, guardrail policy, request metrics; deploy (gate-checked) and undeploy."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from medfoundry.api.console.routes_catalog import registered_models
from medfoundry.api.console.web import CurrentUser, FormUser, User, render, require_scope, store_of
from medfoundry.api.metrics import Metrics
from medfoundry.api.state import get_state
from medfoundry.errors import MedfoundryError
from medfoundry.serve import deployments as deploys
from medfoundry.serve.stage import DeployConfig
from medfoundry.serve.stage import run as run_deploy
from medfoundry.shipped import shipped_dir

router = APIRouter()
POLICY_DIR = shipped_dir("guardrails")


def request_metrics(metrics: Metrics) -> dict[str, dict[str, float]]:
    """Per deployment: requests, errors, tokens, mean latency and guardrail actions, since start."""
    out: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for family in metrics.registry.collect():
        for sample in family.samples:
            name, labels, value = sample.name, sample.labels, sample.value
            dep = labels.get("deployment")
            if not dep:
                continue
            if name == "medfoundry_requests_total":
                out[dep]["requests"] += value
                out[dep]["errors"] += value if not labels.get("status", "").startswith("2") else 0
            elif name == "medfoundry_tokens_total":
                out[dep]["tokens"] += value
            elif name == "medfoundry_request_latency_seconds_sum":
                out[dep]["latency_sum"] += value
            elif name == "medfoundry_guardrail_actions_total":
                out[dep]["guardrail_actions"] += value
    for values in out.values():
        values["mean_latency_ms"] = round(1000 * values["latency_sum"] / values["requests"], 1) if values[
            "requests"] else 0.0  # fmt: skip
    return {k: dict(v) for k, v in out.items()}


def policy_files() -> list[str]:
    return sorted(p.name for p in POLICY_DIR.glob("*.yaml")) if POLICY_DIR.is_dir() else []


async def _page(request: Request, user: User, status_code: int = 200, **extra: Any) -> HTMLResponse:
    state = get_state(request)
    rows = await run_in_threadpool(deploys.list_deployments, state.store, include_inactive=True)
    models = await run_in_threadpool(registered_models, state.store)
    return render(request, "deployments.html", user, status_code=status_code, nav="deployments",
                  deployments=rows, served=set(state.runtime.deployments), metrics=request_metrics(state.metrics),
                  models=models, policies=policy_files(), **extra)  # fmt: skip


@router.get("/deployments", response_class=HTMLResponse)
async def deployments(request: Request, user: CurrentUser) -> HTMLResponse:
    return await _page(request, user)


@router.post("/deployments", response_model=None)
async def deploy(
    request: Request,
    user: FormUser,
    model: Annotated[str, Form()],
    name: Annotated[str, Form()] = "",
    policy: Annotated[str, Form()] = "",
) -> Response:
    """Deploy through the serving stage's gate check; a failed gate is shown, not overridden."""
    require_scope(user, "deploy", "deploy models")
    store = store_of(request)
    try:
        policy_file = str(POLICY_DIR / Path(policy).name) if policy else None
        config = DeployConfig(model=model, name=name.strip() or None, policy=policy_file)
        row = await run_in_threadpool(run_deploy, store, config)
    except MedfoundryError as exc:
        refused = {"message": exc.message, "hint": exc.hint, "kind": type(exc).__name__}
        return await _page(request, user, status_code=409, refused=refused)
    await run_in_threadpool(store.audit.append, "console.deploy", "deployment", row.id, {"name": row.name},
                            actor=user.actor)  # fmt: skip
    return RedirectResponse(f"/console/deployments?deployed={row.name}", status_code=303)


@router.post("/deployments/{name}/undeploy", response_model=None)
async def undeploy(request: Request, user: FormUser, name: str) -> Response:
    require_scope(user, "deploy", "undeploy models")
    store = store_of(request)
    try:
        row = await run_in_threadpool(deploys.undeploy, store, name)
    except MedfoundryError as exc:
        return await _page(request, user, status_code=404, refused={"message": exc.message, "hint": exc.hint})
    await run_in_threadpool(store.audit.append, "console.undeploy", "deployment", row.id, {"name": name},
                            actor=user.actor)  # fmt: skip
    return RedirectResponse(f"/console/deployments?undeployed={name}", status_code=303)
