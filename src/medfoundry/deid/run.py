"""``medfoundry deid run``: a raw dataset version in, a de-identified version out.

Writes three artifacts — the de-identified records (JSONL), the report (counts per
PHI type and detector, scan summary; no PHI) and the per-patient date offsets
(secret: encrypted, phi=True) — then the dataset version with lineage to its source.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import orjson

from medfoundry.dataset_versions import create_version, dataset_name, get_version
from medfoundry.deid.config import DeidConfig
from medfoundry.deid.executors import EXECUTORS
from medfoundry.deid.records import Job, RecordOutput
from medfoundry.deid.scan import ScanResult
from medfoundry.deid.scan_sources import artifact_of
from medfoundry.errors import InputError, StoreError
from medfoundry.ingest.records import load_records
from medfoundry.store.artifacts import staged_file
from medfoundry.store.database import Store

logger = logging.getLogger(__name__)


@dataclass
class DeidResult:
    dataset_version: str
    dataset: str
    version: int
    source_version: str
    patients: int = 0
    notes: int = 0
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    scan: dict[str, Any] = field(default_factory=dict)
    report_artifact: str = ""

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def _by_type(counts: Counter[str]) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = {}
    for key, count in sorted(counts.items()):
        type_, _, detector = key.partition("\x1f")
        table.setdefault(type_, {})[detector] = count
    return table


def run(
    store: Store,
    source: str,
    config: DeidConfig | None = None,
    *,
    executor: str = "processes",
    workers: int = 0,
    name: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> DeidResult:
    """De-identify the records of dataset version ``source`` (``NAME``, ``NAME@N`` or an id)."""
    config = config or DeidConfig()
    if store.key is None:
        raise StoreError(
            "de-identification needs the project key (pseudonyms are keyed with it)",
            hint="run 'medfoundry init' or set MEDFOUNDRY_KEY",
        )
    version = get_version(store, source)
    if version.kind != "raw":
        raise InputError(
            f"dataset version {version.id} is '{version.kind}', not 'raw'",
            hint="de-identify the version that ingest produced",
        )
    source_name = dataset_name(store, version)
    job = Job(config.model_dump_json(), store.key, config.reference_date or date.today().isoformat())
    records = load_records(store.open_artifact(artifact_of(version)))
    counts: Counter[str] = Counter()
    scan = ScanResult()
    offsets: dict[str, int] = {}
    patients = notes = 0

    def lines() -> Iterator[bytes]:
        nonlocal patients, notes
        for output in EXECUTORS.get(executor)(records, job, workers):
            patients += 1
            notes += len(output.record["notes"])
            _collect(output, counts, scan, offsets)
            if progress:
                progress(patients)
            yield orjson.dumps(output.record, option=orjson.OPT_SORT_KEYS) + b"\n"

    with staged_file(".jsonl") as (path, handle):
        for line in lines():
            handle.write(line)
        handle.flush()
        scan_summary = {"passed": scan.passed, "hits": len(scan.hits)}
        data = store.put_artifact(
            path,
            kind="records",
            name=f"{name or source_name}.deid.jsonl",
            phi=not scan.passed,
            meta={"patients": patients, "notes": notes},
        )
    secret = store.put_artifact(
        orjson.dumps(offsets, option=orjson.OPT_SORT_KEYS),
        kind="deid-date-offsets",
        name="date-offsets.json",
        phi=True,
    )
    report = _report(config, executor, patients, notes, counts, scan)
    report_artifact = store.put_artifact(
        json.dumps(report, indent=2, sort_keys=True).encode(), kind="deid-report", name="deid-report.json"
    )
    created = create_version(
        store,
        dataset_name=name or source_name,
        kind="deidentified",
        artifact=data,
        source=f"deid:{version.id}",
        counts={"patients": patients, "notes": notes},
        parents=[(version.id, "source"), (report_artifact.id, "report"), (secret.id, "date_offsets")],
        meta={
            "phi_scan": scan_summary,
            "source_version": version.id,
            "report_artifact": report_artifact.id,
            "date_policy": config.date_policy,
            "executor": executor,
        },
    )
    store.audit.append(
        "deid.run",
        "dataset_version",
        created.id,
        {
            "source": version.id,
            "patients": patients,
            "notes": notes,
            "phi_scan": scan_summary,
            "executor": executor,
        },
    )
    return DeidResult(
        created.id,
        name or source_name,
        created.version,
        version.id,
        patients,
        notes,
        report["counts"],
        scan.to_dict(max_hits=50),
        report_artifact.id,
    )


def _collect(output: RecordOutput, counts: Counter[str], scan: ScanResult, offsets: dict[str, int]) -> None:
    counts.update(output.counts)
    scan.merge(output.scan)
    offsets[output.record["patient_id"]] = output.offset_days


def _report(
    config: DeidConfig, executor: str, patients: int, notes: int, counts: Counter[str], scan: ScanResult
) -> dict[str, Any]:
    return {
        "patients": patients,
        "notes": notes,
        "date_policy": config.date_policy,
        "executor": executor,
        "detectors": config.detector_names(),
        "operators": config.operators,
        "counts": _by_type(counts),
        "phi_scan": scan.to_dict(max_hits=200),
    }
