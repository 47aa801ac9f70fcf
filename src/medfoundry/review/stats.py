"""Quality numbers: acceptance, rejection and edit rates, edit distance, per deployment, reason and day."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from medfoundry.review.quality import cohens_kappa
from medfoundry.store.database import Store
from medfoundry.store.models import ReviewDecision, ReviewTask


@dataclass
class Tally:
    reviewed: int = 0
    approved: int = 0
    edited: int = 0
    rejected: int = 0
    edit_distances: list[int] = field(default_factory=list)
    edit_ratios: list[float] = field(default_factory=list)

    def add(self, verdict: str, distance: int, ratio: float) -> None:
        self.reviewed += 1
        setattr(self, verdict, getattr(self, verdict) + 1)
        if verdict == "edited":
            self.edit_distances.append(distance)
            self.edit_ratios.append(ratio)

    def to_dict(self) -> dict[str, Any]:
        n = self.reviewed
        return {
            "reviewed": n, "approved": self.approved, "edited": self.edited, "rejected": self.rejected,
            "acceptance_rate": self.approved / n if n else None, "rejection_rate": self.rejected / n if n else None,
            "edit_rate": self.edited / n if n else None,
            "mean_edit_distance": sum(self.edit_distances) / len(self.edit_distances) if self.edit_distances else None,
            "mean_edit_ratio": sum(self.edit_ratios) / len(self.edit_ratios) if self.edit_ratios else None,
        }  # fmt: skip


def _day(value: datetime | None) -> str:
    return value.date().isoformat() if value else "-"


def review_stats(store: Store, *, deployment: str | None = None, model_id: str | None = None) -> dict[str, Any]:
    """Final verdicts of decided tasks, overall, per deployment and per day; rejections per reason;
    and the two-reviewer agreement (Cohen's kappa over approve/edit/reject)."""
    query = select(ReviewTask).where(ReviewTask.status != "pending")
    if deployment:
        query = query.where(ReviewTask.deployment_name == deployment)
    if model_id:
        query = query.where(ReviewTask.model_id == model_id)
    with store.sessions() as session:
        tasks = list(session.scalars(query.order_by(ReviewTask.decided_at)))
        ids = [t.id for t in tasks]
        rows = list(session.scalars(select(ReviewDecision).where(ReviewDecision.task_id.in_(ids)))) if ids else []
        waiting = select(func.count()).select_from(ReviewTask).where(ReviewTask.status == "pending")
        if deployment:
            waiting = waiting.where(ReviewTask.deployment_name == deployment)
        if model_id:
            waiting = waiting.where(ReviewTask.model_id == model_id)
        pending = int(session.scalar(waiting) or 0)
    by_task: dict[str, list[ReviewDecision]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: r.id):
        by_task[row.task_id].append(row)
    overall = Tally()
    per_dep: defaultdict[str, Tally] = defaultdict(Tally)
    per_day: defaultdict[str, Tally] = defaultdict(Tally)
    reasons: Counter[str] = Counter()
    reasons_by_day: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for task in tasks:
        made = by_task.get(task.id, [])
        distance = max((d.edit_distance for d in made), default=0)
        ratio = max((d.edit_ratio for d in made), default=0.0)
        for tally in (overall, per_dep[task.deployment_name or f"({task.source})"], per_day[_day(task.decided_at)]):
            tally.add(task.status, distance, ratio)
        rejected_for = [d.reason for d in made if d.verdict == "rejected" and d.reason]
        reasons.update(rejected_for)
        reasons_by_day[_day(task.decided_at)].update(rejected_for)
    pairs = [(made[0].verdict, made[1].verdict) for made in by_task.values() if len(made) >= 2]
    return {
        "pending": pending,
        "overall": overall.to_dict(),
        "by_deployment": {k: v.to_dict() for k, v in sorted(per_dep.items())},
        "by_day": {k: v.to_dict() for k, v in sorted(per_day.items())},
        "rejections_by_reason": dict(reasons.most_common()),
        "rejections_by_reason_by_day": {day: dict(c.most_common()) for day, c in sorted(reasons_by_day.items())},
        "agreement": {"double_reviewed": len(pairs), "kappa": cohens_kappa(pairs),
                      "percent_agreement": sum(a == b for a, b in pairs) / len(pairs) if pairs else None},
    }  # fmt: skip
