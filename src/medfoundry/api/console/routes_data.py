"""Datasets: versions with counts, source, hash; a version's de-identification report and lineage."""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from medfoundry.api.console.web import CurrentUser, render, store_of
from medfoundry.audit import lineage
from medfoundry.dataset_versions import dataset_name, get_version, list_versions
from medfoundry.store.database import Store

router = APIRouter()
logger = logging.getLogger(__name__)
# What of a de-identification report may be shown: counts and settings, never spans or text.
REPORT_FIELDS = ("detectors", "operators", "date_policy", "executor", "patients", "notes")


@router.get("/datasets", response_class=HTMLResponse)
async def datasets(request: Request, user: CurrentUser) -> HTMLResponse:
    versions = await run_in_threadpool(list_versions, store_of(request), limit=500)
    return render(request, "datasets.html", user, nav="datasets", versions=versions)


def safe_report(store: Store, artifact_id: str) -> dict[str, Any] | None:
    """The report's PHI counts per type and detector and its scan totals; no hits, no text."""
    try:
        report = json.loads(store.read_artifact(artifact_id))
    except Exception:  # a missing or unreadable report is shown as missing
        logger.warning("could not read de-identification report %s", artifact_id)
        return None
    counts: dict[str, dict[str, int]] = {
        str(kind): {str(d): int(n) for d, n in by_detector.items()}
        for kind, by_detector in (report.get("counts") or {}).items()
        if isinstance(by_detector, dict)
    }
    detectors = sorted({d for by in counts.values() for d in by})
    scan = report.get("phi_scan") or {}
    return {
        "counts": counts,
        "detector_columns": detectors,
        "totals": {kind: sum(by.values()) for kind, by in counts.items()},
        "scan": {
            "hit_count": scan.get("hit_count"),
            "by_type": scan.get("by_type") or {},
            "characters": scan.get("characters"),
        },
        "settings": {k: report[k] for k in REPORT_FIELDS if k in report},
    }


def _version_page(store: Store, ref: str) -> dict[str, Any]:
    version = get_version(store, ref)
    report_id = (version.meta or {}).get("report_artifact")
    return {
        "version": version,
        "name": dataset_name(store, version),
        "report": safe_report(store, report_id) if report_id else None,
        "scan": (version.meta or {}).get("phi_scan"),
        "tree": lineage.show(store, version.id),
    }


@router.get("/datasets/{ref}", response_class=HTMLResponse)
async def dataset_version(request: Request, user: CurrentUser, ref: str) -> HTMLResponse:
    context = await run_in_threadpool(_version_page, store_of(request), ref)
    return render(request, "dataset.html", user, nav="datasets", **context)
