"""Scorecards in the store: the Evaluation row, its artifacts, lineage and audit event."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from medfoundry.audit import lineage
from medfoundry.errors import NotFound
from medfoundry.evaluate.report import render_html, render_png
from medfoundry.evaluate.scorecard_model import Scorecard
from medfoundry.ids import new_id
from medfoundry.store.database import Store
from medfoundry.store.models import Evaluation
from medfoundry.version import code_version


def latest_evaluation(store: Store, model_id: str, suite: str | None = None) -> Evaluation | None:
    """The model's most recent evaluation (on ``suite`` when given); None when it has none."""
    with store.sessions() as session:
        query = select(Evaluation).where(Evaluation.model_id == model_id)
        if suite is not None:
            query = query.where(Evaluation.suite == suite)
        return session.scalars(
            query.order_by(Evaluation.created_at.desc(), Evaluation.id.desc()).limit(1)
        ).first()


def get_evaluation(store: Store, evaluation_id: str) -> Evaluation:
    with store.sessions() as session:
        row = session.get(Evaluation, evaluation_id)
    if row is None:
        raise NotFound(f"no evaluation with id {evaluation_id}", hint="evaluation ids look like evl_...")
    return row


def new_scorecard(model: Any, suite: str, dtype: str, device: str) -> dict[str, Any]:
    return {
        "id": new_id("evaluation"),
        "model": {
            "id": model.id,
            "name": model.name,
            "location": model.location,
            "parent_id": model.parent_id,
        },
        "suite": suite,
        "dtype": dtype,
        "device": device,
        "code_version": code_version(),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "benchmarks": [],
        "gates": [],
        "passed": None,
    }


def save_scorecard(
    store: Store,
    scorecard: dict[str, Any],
    predictions: dict[str, list[dict[str, Any]]],
    data_files: list[str],
    *,
    reports_dir: Path,
    phi: bool = False,
) -> Evaluation:
    """Store predictions, HTML and PNG as artifacts, the Evaluation row, lineage and an audit event."""
    Scorecard.parse(scorecard)  # the typed shape, before anything is written
    evaluation_id = scorecard["id"]
    lines = (
        json.dumps({"benchmark": name, **row}, default=str)
        for name, rows in predictions.items()
        for row in rows
    )
    preds = store.put_artifact(
        ("\n".join(lines) + "\n").encode(),
        kind="eval-predictions",
        name=f"{evaluation_id}-predictions.jsonl",
        phi=phi,
        meta={"evaluation_id": evaluation_id},
    )
    html_text, png_bytes = render_html(scorecard), render_png(scorecard)
    html_art = store.put_artifact(
        html_text.encode(),
        kind="eval-report",
        name=f"{evaluation_id}.html",
        meta={"evaluation_id": evaluation_id},
    )
    png_art = store.put_artifact(
        png_bytes, kind="eval-plot", name=f"{evaluation_id}.png", meta={"evaluation_id": evaluation_id}
    )
    scorecard["artifacts"] = {"predictions": preds.id, "report_html": html_art.id, "report_png": png_art.id}
    scorecard["report_dir"] = str(reports_dir)
    reports_dir.mkdir(parents=True, exist_ok=True)
    (reports_dir / "report.html").write_text(html_text, encoding="utf-8")
    (reports_dir / "report.png").write_bytes(png_bytes)
    (reports_dir / "scorecard.json").write_text(json.dumps(scorecard, indent=2), encoding="utf-8")
    row = Evaluation(
        id=evaluation_id,
        model_id=scorecard["model"]["id"],
        suite=scorecard["suite"],
        passed=scorecard["passed"],
        scorecard=scorecard,
        artifact_id=preds.id,
        code_version=scorecard["code_version"],
    )
    with store.session() as session:
        session.add(row)
    parents = [(scorecard["model"]["id"], "evaluated-model")]
    parents += [(f"source:{path}", "benchmark-data") for path in data_files]
    base_eval = (scorecard.get("base") or {}).get("evaluation_id")
    if base_eval:
        parents.append((base_eval, "base-scorecard"))
    lineage.record(store, evaluation_id, parents)
    for artifact in (preds, html_art, png_art):
        lineage.record(store, artifact.id, [(evaluation_id, "scorecard-of")])
    store.audit.append(
        "evaluation.run",
        "evaluation",
        evaluation_id,
        {
            "model_id": scorecard["model"]["id"],
            "suite": scorecard["suite"],
            "passed": scorecard["passed"],
            "benchmarks": {
                r["benchmark"]: {"n": r["n"], r["headline"]: r["metrics"].get(r["headline"])}
                for r in scorecard["benchmarks"]
            },
        },
    )
    return row


def compare(a: dict[str, Any], b: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows per benchmark and metric with both values and the difference (b - a)."""
    by_a = {r["benchmark"]: r for r in a["benchmarks"]}
    by_b = {r["benchmark"]: r for r in b["benchmarks"]}
    rows = []
    for name in list(dict.fromkeys([*by_a, *by_b])):
        metrics_a = by_a.get(name, {}).get("metrics", {})
        metrics_b = by_b.get(name, {}).get("metrics", {})
        for metric in dict.fromkeys([*metrics_a, *metrics_b]):
            va, vb = metrics_a.get(metric), metrics_b.get(metric)
            rows.append(
                {
                    "benchmark": name,
                    "metric": metric,
                    "a": va,
                    "b": vb,
                    "delta": vb - va if va is not None and vb is not None else None,
                }
            )
    return rows
