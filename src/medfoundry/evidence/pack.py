"""``medfoundry evidence MODEL -o pack.zip``: everything a reviewer needs about one model.

Contents: model card; a card (and the de-identification report) per dataset version
in its lineage; the training spec, metrics and curves; scorecards with gate
decisions; the lineage graph; the audit events about any of these objects with a
hash-chain proof; and ``manifest.json`` with the sha256 of every file. PHI
artifacts are never included (only their hashes), and the pack is PHI-scanned
before it is written.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from medfoundry import __version__
from medfoundry.audit import lineage
from medfoundry.catalog.resolve import get_model, resolve_model
from medfoundry.catalog.tiny import is_tiny_stand_in
from medfoundry.dataset_versions import dataset_name
from medfoundry.errors import PHILeakError
from medfoundry.evidence import cards
from medfoundry.evidence.chain import chain_proof
from medfoundry.store.database import Store
from medfoundry.store.models import Artifact, DatasetVersion, Evaluation, LineageEdge

MAX_INCLUDED_BYTES = 20 * 1024 * 1024
# Reports, specs, metrics and charts go into the pack; data (even de-identified records or
# training examples) and weights are listed with their hashes only.
INCLUDED_KINDS = frozenset(
    {"deid-report", "train-spec", "train-metrics", "loss-curve", "adapter-config", "model-config",
     "eval-report", "eval-plot"}
)  # fmt: skip


@dataclass(frozen=True)
class EvidenceResult:
    path: str
    model_id: str
    files: int
    audit_events: int
    chain_head: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class _Pack:
    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def add(self, name: str, content: bytes | str) -> None:
        self.files[name] = content.encode("utf-8") if isinstance(content, str) else content

    def add_json(self, name: str, document: Any) -> None:
        self.add(name, json.dumps(document, indent=2, sort_keys=True, default=str) + "\n")


def _descendants(store: Store, object_id: str) -> list[str]:
    with store.sessions() as session:
        return list(session.scalars(select(LineageEdge.child_id).where(LineageEdge.parent_id == object_id)))


def _includable(artifact: Artifact) -> bool:
    return not artifact.phi and artifact.size <= MAX_INCLUDED_BYTES and artifact.kind in INCLUDED_KINDS


def _add_artifact(
    store: Store, pack: _Pack, folder: str, artifact: Artifact, listing: list[dict[str, Any]]
) -> None:
    entry = {"id": artifact.id, "kind": artifact.kind, "name": artifact.name, "sha256": artifact.sha256,
             "size": artifact.size, "phi": artifact.phi, "included": _includable(artifact)}  # fmt: skip
    listing.append(entry)
    if entry["included"]:
        pack.add(f"{folder}/{artifact.id}-{artifact.name}", store.read_artifact(artifact.id))


def build_evidence_pack(store: Store, model_ref: str, output: Path) -> EvidenceResult:
    model = resolve_model(store, model_ref, register=False)
    tree = lineage.show(store, model.id)
    pack = _Pack()
    with store.sessions() as session:
        evaluations = list(
            session.scalars(
                select(Evaluation).where(Evaluation.model_id == model.id).order_by(Evaluation.created_at)
            )
        )
    ids = tree.ids() | {e.id for e in evaluations}
    base = get_model(store, model.parent_id) if model.parent_id else None
    tiny = is_tiny_stand_in(Path(model.location)) or bool(base and is_tiny_stand_in(Path(base.location)))
    pack.add("model_card.md", cards.model_card(model, base, evaluations, tiny))
    pack.add_json("lineage.json", tree.to_dict())
    listing: list[dict[str, Any]] = []
    with store.sessions() as session:
        for object_id in sorted(tree.ids()):
            version = session.get(DatasetVersion, object_id)
            if version is not None:
                _add_dataset(store, pack, version, listing)
            artifact = session.get(Artifact, object_id)
            if artifact is not None:
                _add_artifact(store, pack, "artifacts", artifact, listing)
    for evaluation in evaluations:
        pack.add_json(f"evaluation/{evaluation.id}-scorecard.json",
                      {"id": evaluation.id, "suite": evaluation.suite, "passed": evaluation.passed,
                       "scorecard": evaluation.scorecard})  # fmt: skip
        for child in _descendants(store, evaluation.id):
            if child.startswith("art_"):
                _add_artifact(store, pack, "evaluation", store.get_artifact(child), listing)
                ids.add(child)
    pack.add_json("artifacts.json", listing)
    events, links = chain_proof(store.audit, ids)
    head = store.audit.verify()
    pack.add("audit/events.jsonl", "".join(json.dumps(e, sort_keys=True) + "\n" for e in events))
    pack.add("audit/chain.jsonl", "".join(json.dumps(link, sort_keys=True) + "\n" for link in links))
    _scan(pack)
    head_hash = links[-1]["hash"] if links else head.head_hash
    manifest: dict[str, Any] = {
        "format": "medfoundry.evidence/v1",
        "model_id": model.id,
        "created_at": datetime.now(UTC).isoformat(),
        "medfoundry_version": __version__,
        "audit": {"chain_ok": head.ok, "head_hash": head_hash,
                  "head_seq": links[-1]["seq"] if links else None, "events": len(events)},
        "files": {name: hashlib.sha256(body).hexdigest() for name, body in sorted(pack.files.items())},
    }  # fmt: skip
    _write_zip(output, pack, manifest)
    store.audit.append(
        "evidence.export", "model", model.id, {"files": len(pack.files), "sha256": _sha(output)}
    )
    return EvidenceResult(
        str(output), model.id, len(pack.files) + 1, len(events), manifest["audit"]["head_hash"]
    )


def _add_dataset(store: Store, pack: _Pack, version: DatasetVersion, listing: list[dict[str, Any]]) -> None:
    name = dataset_name(store, version)
    pack.add(f"datasets/{version.id}.md", cards.dataset_card(name, version))
    pack.add_json(f"datasets/{version.id}.json",
                  {"id": version.id, "dataset": name, "version": version.version, "kind": version.kind,
                   "content_hash": version.content_hash, "phi": version.phi, "source": version.source,
                   "counts": version.counts, "meta": version.meta, "code_version": version.code_version})  # fmt: skip
    for child in _descendants(store, version.id):
        if child.startswith("art_"):
            _add_artifact(store, pack, "datasets", store.get_artifact(child), listing)


# Plots and rendered charts are drawn from numbers by medfoundry itself; their coordinate
# data trips the phone-shape detector, and they carry no record text.
_CHART_SUFFIXES = (".png", ".svg", ".html")


def _scannable(name: str) -> bool:
    return not name.endswith(_CHART_SUFFIXES)


def _scan(pack: _Pack) -> None:
    from medfoundry.deid.scan import scan_texts

    texts = ((name, body.decode("utf-8", "replace")) for name, body in pack.files.items() if _scannable(name))
    report = scan_texts(texts)
    if not report.passed:
        raise PHILeakError(
            f"the evidence pack failed its PHI scan ({len(report.hits)} possible identifiers in "
            f"{', '.join(sorted({h.location for h in report.hits})[:5])}); nothing was written",
            hint="find which artifact carries identifiers and rebuild it from de-identified data",
        )


def _write_zip(output: Path, pack: _Pack, manifest: dict[str, Any]) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, body in sorted(pack.files.items()):
            archive.writestr(name, body)
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    tmp = output.with_name(f".{output.name}.partial")
    tmp.write_bytes(buffer.getvalue())
    tmp.replace(output)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
