"""``medfoundry deid run`` for a DICOM dataset version: Annex E header de-identification,
optional OCR blanking of burned-in text, a residual scan of every output header against the
identifiers of its source header, then a ``deidentified`` version with a report.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from medfoundry.dataset_versions import dataset_name
from medfoundry.deid.config import DeidConfig
from medfoundry.deid.scan import ScanResult
from medfoundry.errors import InputError, StoreError
from medfoundry.imaging.dicom.burned_in import burned_in_risk
from medfoundry.imaging.dicom.deidentify import DicomDeidentifier, InstanceReport
from medfoundry.imaging.dicom.dicomweb import to_part10
from medfoundry.imaging.dicom.fastpath import deidentify_bytes
from medfoundry.imaging.dicom.known import known_identifiers, scan_header
from medfoundry.imaging.dicom.ocr import blank_burned_in_text, require_ocr
from medfoundry.imaging.dicom.profile import DicomDeidOptions
from medfoundry.imaging.dicom.read import describe, parse
from medfoundry.imaging.dicom.store import iter_instances
from medfoundry.imaging.dicom.writer import VersionWriter
from medfoundry.store.database import Store
from medfoundry.store.models import DatasetVersion


@dataclass
class DicomDeidResult:
    dataset_version: str
    dataset: str
    version: int
    source_version: str
    instances: int = 0
    actions: dict[str, int] = field(default_factory=dict)
    burned_in_risk: int = 0
    ocr: dict[str, int] | None = None
    scan: dict[str, Any] = field(default_factory=dict)
    report_artifact: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def deidentifier_from(key: bytes, config: DeidConfig, options: DicomDeidOptions) -> DicomDeidentifier:
    """The DICOM de-identifier for a text de-id policy (its date policy and shift range) and options."""
    from medfoundry.deid.textfile import deidentifier_for

    if config.date_policy == "year_only":
        options = options.model_copy(update={"retain_dates": False})
    text = deidentifier_for(config) if options.clean_descriptors else None
    return DicomDeidentifier(
        key, options, text=text, shift_range=(config.shift_min_days, config.shift_max_days)
    )


def run_dicom_deid(
    store: Store,
    version: DatasetVersion,
    config: DeidConfig,
    options: DicomDeidOptions,
    *,
    name: str | None = None,
) -> DicomDeidResult:
    if store.key is None:
        raise StoreError(
            "de-identification needs the project key", hint="run 'medfoundry init' or set MEDFOUNDRY_KEY"
        )
    if version.kind != "raw":
        raise InputError(
            f"dataset version {version.id} is '{version.kind}', not 'raw'",
            hint="de-identify what ingest produced",
        )
    deidentifier = deidentifier_from(store.key, config, options)
    if options.ocr:
        require_ocr()
    writer = VersionWriter(store, phi=False, uid_key=None)
    actions: Counter[str] = Counter()
    ocr_totals: Counter[str] = Counter()
    scan = ScanResult()
    at_risk = 0
    for instance in iter_instances(store, version.id):
        ds = instance.dataset
        known = known_identifiers(ds)
        if options.ocr:
            outcome_header = deidentifier.deidentify(ds)
            ocr = blank_burned_in_text(ds)
            ocr_totals.update(frames=ocr.frames, boxes=ocr.boxes, residual=ocr.residual)
            deidentifier.mark(ds, pixels_cleaned=True)
            data = to_part10(ds)
        else:
            outcome_header = InstanceReport(burned_in_risk=tuple(burned_in_risk(ds)))
            data = deidentify_bytes(instance.data, deidentifier, outcome_header.actions)
        actions.update(outcome_header.actions)
        at_risk += bool(outcome_header.burned_in_risk)
        output = parse(data)
        result = scan_header(output, known, name=f"instance {len(writer.rows) + 1}")
        scan.merge(result)
        writer.add(describe(output, data, instance.source), phi=not result.passed)
    source_name = dataset_name(store, version)
    report_doc = {
        "instances": len(writer.rows), "options": options.model_dump(), "date_policy": config.date_policy,
        "actions": dict(sorted(actions.items())), "burned_in_risk": at_risk,
        "ocr": dict(ocr_totals) if options.ocr else None, "phi_scan": scan.to_dict(max_hits=200),
        "profile": "DICOM PS3.15 Table E.1-1 Basic Application Level Confidentiality Profile",
    }  # fmt: skip
    report = store.put_artifact(
        json.dumps(report_doc, indent=2, sort_keys=True).encode(),
        kind="deid-report",
        name="dicom-deid-report.json",
    )
    scan_summary = {"passed": scan.passed, "hits": len(scan.hits)}
    created = writer.finish(
        name=name or source_name, kind="deidentified", source=f"deid:{version.id}",
        parents=[(version.id, "source"), (report.id, "report")],
        meta={"source_kind": "dicom-deid", "source_version": version.id, "phi_scan": scan_summary,
              "report_artifact": report.id, "options": options.model_dump(), "date_policy": config.date_policy},
    )  # fmt: skip
    store.audit.append(
        "deid.run", "dataset_version", created.id,
        {"source": version.id, "instances": len(writer.rows), "phi_scan": scan_summary, "kind": "dicom"},
    )  # fmt: skip
    return DicomDeidResult(
        created.id, name or source_name, created.version, version.id, len(writer.rows),
        dict(sorted(actions.items())), at_risk, dict(ocr_totals) if options.ocr else None,
        scan.to_dict(max_hits=50), report.id,
    )  # fmt: skip
