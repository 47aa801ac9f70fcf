"""Scorecards as chart rows (value, base, threshold), and a page of per-item predictions."""

from __future__ import annotations

import json
from typing import Any

from medfoundry.store.database import Store
from medfoundry.store.models import Evaluation

PAGE_SIZE = 20


def _num(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def chart_rows(scorecard: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per benchmark metric: its value, the base model's, and the gate threshold if any."""
    base = (scorecard.get("base") or {}).get("benchmarks") or {}
    gates = {(g.get("benchmark"), g.get("metric")): g for g in scorecard.get("gates") or []}
    rows = []
    for bench in scorecard.get("benchmarks") or []:
        name = bench.get("benchmark")
        base_metrics = (base.get(name) or {}).get("metrics") or {}
        for metric, raw in (bench.get("metrics") or {}).items():
            value = _num(raw)
            if value is None:
                continue
            gate = gates.get((name, metric))
            rows.append({"benchmark": name, "metric": metric, "value": value,
                         "base": _num(base_metrics.get(metric)),
                         "threshold": _num(gate.get("threshold")) if gate else None,
                         "passed": gate.get("passed") if gate else None})  # fmt: skip
    scale = max(
        [1.0] + [abs(v) for r in rows for v in (r["value"], r["base"], r["threshold"]) if v is not None]
    )
    for row in rows:
        for key in ("value", "base", "threshold"):
            row[f"{key}_pct"] = None if row[key] is None else round(100 * max(row[key], 0.0) / scale, 1)
    return rows


def predictions_page(store: Store, evaluation: Evaluation, page: int) -> dict[str, Any]:
    """Rows ``page*PAGE_SIZE ...`` of the predictions artifact, with its columns."""
    if not evaluation.artifact_id:
        return {"rows": [], "columns": [], "page": 0, "more": False, "total": 0}
    lines = [
        line for line in store.read_artifact(evaluation.artifact_id).decode().splitlines() if line.strip()
    ]
    start = page * PAGE_SIZE
    rows = [json.loads(line) for line in lines[start : start + PAGE_SIZE]]
    columns = list(dict.fromkeys(k for row in rows for k in row))[:8]
    shown = [{c: _short(row.get(c)) for c in columns} for row in rows]
    return {"rows": shown, "columns": columns, "page": page, "more": start + PAGE_SIZE < len(lines),
            "total": len(lines)}  # fmt: skip


def _short(value: Any, limit: int = 240) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"
