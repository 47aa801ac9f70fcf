"""Lineage: which artifacts, data, models and code each object came from.

Edges point from a child to its parents. Parents that are not rows of the store
(a source file, a hub model id) are recorded as ``external`` nodes whose id is
``"<kind>:<description>"``, e.g. ``source:fhir-ndjson/Patient.000.ndjson``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from medfoundry.errors import NotFound
from medfoundry.ids import object_type_of
from medfoundry.store.database import Store
from medfoundry.store.models import (
    Artifact,
    Dataset,
    DatasetVersion,
    Deployment,
    Evaluation,
    Job,
    LineageEdge,
    Model,
)

_TABLES: dict[str, Any] = {
    "artifact": Artifact,
    "model": Model,
    "dataset_version": DatasetVersion,
    "job": Job,
    "evaluation": Evaluation,
    "deployment": Deployment,
}


@dataclass
class LineageNode:
    id: str
    type: str
    label: str
    code_version: str | None
    relation: str | None = None
    parents: list[LineageNode] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "label": self.label,
            "code_version": self.code_version,
            "relation": self.relation,
            "parents": [parent.to_dict() for parent in self.parents],
        }

    def ids(self) -> set[str]:
        found = {self.id}
        for parent in self.parents:
            found |= parent.ids()
        return found


def node_type(object_id: str) -> str:
    return object_type_of(object_id) or "external"


def record(store: Store, child_id: str, parents: list[tuple[str, str]]) -> None:
    """Record ``child_id``'s parents as (parent_id, relation) pairs; repeats are ignored."""
    with store.session() as session:
        existing = {
            (edge.parent_id, edge.relation)
            for edge in session.scalars(select(LineageEdge).where(LineageEdge.child_id == child_id))
        }
        for parent_id, relation in parents:
            if (parent_id, relation) in existing:
                continue
            existing.add((parent_id, relation))
            session.add(
                LineageEdge(
                    child_type=node_type(child_id),
                    child_id=child_id,
                    parent_type=node_type(parent_id),
                    parent_id=parent_id,
                    relation=relation,
                )
            )


def _describe(session: Session, object_id: str) -> tuple[str, str | None]:
    object_type = node_type(object_id)
    table = _TABLES.get(object_type)
    if table is None:
        return object_id.split(":", 1)[-1], None
    row = session.get(table, object_id)
    if row is None:
        raise NotFound(f"no {object_type.replace('_', ' ')} with id {object_id}")
    if isinstance(row, Artifact):
        return f"{row.kind} '{row.name}' sha256:{row.sha256[:12]}", row.code_version
    if isinstance(row, Model):
        return f"model '{row.name}' ({row.source})", row.code_version
    if isinstance(row, DatasetVersion):
        dataset = session.get(Dataset, row.dataset_id)
        name = dataset.name if dataset else row.dataset_id
        return (
            f"dataset '{name}' v{row.version} ({row.kind}) sha256:{row.content_hash[:12]}",
            row.code_version,
        )
    if isinstance(row, Job):
        return f"{row.kind} job ({row.state})", None
    if isinstance(row, Evaluation):
        return f"evaluation '{row.suite}'", row.code_version
    if isinstance(row, Deployment):
        return f"deployment '{row.name}' ({row.state})", None
    return object_id, None


def show(store: Store, object_id: str, *, max_depth: int = 32) -> LineageNode:
    """The object and its ancestors as a tree (shared ancestors appear under each child)."""
    if node_type(object_id) == "external":
        raise NotFound(
            f"'{object_id}' is not a medfoundry object id",
            hint="ids look like dsv_..., mdl_..., art_..., evl_..., job_..., dep_...",
        )
    with store.sessions() as session:
        return _build(session, object_id, None, max_depth, frozenset())


def _build(
    session: Session, object_id: str, relation: str | None, depth: int, seen: frozenset[str]
) -> LineageNode:
    label, code = _describe(session, object_id)
    node = LineageNode(object_id, node_type(object_id), label, code, relation)
    if depth == 0 or object_id in seen:
        return node
    edges = session.scalars(
        select(LineageEdge).where(LineageEdge.child_id == object_id).order_by(LineageEdge.id)
    ).all()
    for edge in edges:
        node.parents.append(_build(session, edge.parent_id, edge.relation, depth - 1, seen | {object_id}))
    return node
