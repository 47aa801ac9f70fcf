"""Writing a DICOM dataset version: instance artifacts, then the version, then its index rows.

Instances are stored (encrypted when PHI) as they come; the index rows wait in memory
(a few hundred bytes each) and the dataset version is created last, so an interrupted
run leaves no version behind — only unreferenced artifacts, as other stages do.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import orjson

from medfoundry.dataset_versions import create_version
from medfoundry.imaging.dicom.burned_in import burned_in_risk
from medfoundry.imaging.dicom.read import DicomInstance, Problem
from medfoundry.imaging.dicom.tables import ImagingInstance, ImagingSeries, ImagingStudy
from medfoundry.imaging.dicom.uids import remap_uid
from medfoundry.store.database import Store
from medfoundry.store.models import DatasetVersion


@dataclass
class VersionWriter:
    """Collects instances of one new version; ``uid_key`` set means index UIDs are remapped."""

    store: Store
    phi: bool
    uid_key: bytes | None
    rows: list[ImagingInstance] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)

    def _uid(self, uid: str) -> str:
        return remap_uid(self.uid_key, uid) if self.uid_key is not None else uid

    def add(self, instance: DicomInstance, *, phi: bool | None = None) -> bool:
        """Store one instance (encrypted if ``phi``, default the writer's); a repeated SOP Instance UID
        is refused as a problem."""
        sop = self._uid(instance.sop_instance_uid)
        if sop in self.seen:
            self.problems.append(
                Problem(instance.source, "duplicate SOP Instance UID (an earlier file has it)")
            )
            return False
        self.seen.add(sop)
        artifact = self.store.put_artifact(
            instance.data,
            kind="dicom-instance",
            name=f"instance-{len(self.rows) + 1:06d}.dcm",
            phi=self.phi if phi is None else phi,
            meta={"transfer_syntax": instance.transfer_syntax, "modality": instance.modality},
        )
        self.rows.append(
            ImagingInstance(
                study_uid=self._uid(instance.study_uid),
                series_uid=self._uid(instance.series_uid),
                sop_instance_uid=sop,
                sop_class_uid=instance.sop_class_uid,
                modality=instance.modality[:16],
                body_part=instance.body_part[:64],
                view=instance.view[:64],
                rows=instance.rows,
                columns=instance.columns,
                frames=instance.frames,
                transfer_syntax=instance.transfer_syntax,
                size_bytes=instance.size_bytes,
                artifact_id=artifact.id,
                burned_in_risk="; ".join(burned_in_risk(instance.dataset))[:255],
                ordinal=len(self.rows),
            )
        )
        return True

    def counts(self) -> dict[str, Any]:
        return {
            "studies": len({r.study_uid for r in self.rows}),
            "series": len({r.series_uid for r in self.rows}),
            "instances": len(self.rows),
            "size_bytes": sum(r.size_bytes for r in self.rows),
            "quarantined": len(self.problems),
            "by_modality": dict(sorted(Counter(r.modality or "?" for r in self.rows).items())),
            "burned_in_risk": sum(1 for r in self.rows if r.burned_in_risk),
        }

    def _manifest(self) -> bytes:
        keys = ("study_uid", "series_uid", "sop_instance_uid", "sop_class_uid", "modality", "body_part",
                "view", "rows", "columns", "frames", "transfer_syntax", "size_bytes", "artifact_id")  # fmt: skip
        return b"".join(
            orjson.dumps({k: getattr(r, k) for k in keys}, option=orjson.OPT_SORT_KEYS) + b"\n"
            for r in self.rows
        )

    def quarantine_artifact(self, name: str) -> dict[str, Any] | None:
        if not self.problems:
            return None
        body = b"".join(orjson.dumps(p.to_dict()) + b"\n" for p in self.problems)
        artifact = self.store.put_artifact(
            body,
            kind="quarantine",
            name=f"{name}.quarantine.jsonl",
            phi=True,
            meta={"count": len(self.problems)},
        )
        return {"artifact": artifact.id, "count": len(self.problems)}

    def finish(
        self, *, name: str, kind: str, source: str, parents: list[tuple[str, str]], meta: dict[str, Any]
    ) -> DatasetVersion:
        manifest = self.store.put_artifact(
            self._manifest(),
            kind="dicom-manifest",
            name=f"{name}.dicom-manifest.jsonl",
            phi=self.phi,
            meta={"format": "medfoundry.dicom-manifest/v1", "instances": len(self.rows)},
        )
        version = create_version(
            self.store, dataset_name=name, kind=kind, artifact=manifest, source=source,
            counts=self.counts(), parents=parents, meta=meta,
        )  # fmt: skip
        self._index(version.id)
        return version

    def _index(self, version_id: str) -> None:
        series: dict[str, list[ImagingInstance]] = defaultdict(list)
        for row in self.rows:
            row.dataset_version_id = version_id
            series[row.series_uid].append(row)
        studies: dict[str, list[list[ImagingInstance]]] = defaultdict(list)
        for members in series.values():
            studies[members[0].study_uid].append(members)
        with self.store.session() as session:
            session.add_all(self.rows)
            for series_uid, members in series.items():
                first = members[0]
                session.add(ImagingSeries(
                    dataset_version_id=version_id, study_uid=first.study_uid, series_uid=series_uid,
                    modality=first.modality, body_part=first.body_part, instance_count=len(members),
                    size_bytes=sum(m.size_bytes for m in members),
                ))  # fmt: skip
            for study_uid, groups in studies.items():
                session.add(ImagingStudy(
                    dataset_version_id=version_id, study_uid=study_uid,
                    modalities="\\".join(sorted({g[0].modality for g in groups if g[0].modality}))[:128],
                    series_count=len(groups), instance_count=sum(len(g) for g in groups),
                    size_bytes=sum(m.size_bytes for g in groups for m in g),
                ))  # fmt: skip
