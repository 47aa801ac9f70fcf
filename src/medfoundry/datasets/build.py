"""``medfoundry data build``: de-identified records + a task template → a task dataset version.

The output is chat JSONL (one example a line, with its split) in the shape training
reads. Splits are by patient, so no patient's data sits on both sides. The examples
are PHI-scanned before anything is stored; a failing scan stores nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from medfoundry.dataset_versions import create_version, dataset_name, get_version
from medfoundry.datasets.templates import Example, TaskConfig, task_templates
from medfoundry.errors import InputError, PHILeakError
from medfoundry.ingest.records import PatientRecord, load_records
from medfoundry.stage import OnEvent, emit
from medfoundry.store.database import Store
from medfoundry.store.models import DatasetVersion

ScanFn = Callable[[Iterator[tuple[str, str]]], dict[str, Any]]


@dataclass(frozen=True)
class BuildResult:
    dataset_version: str
    name: str
    task: str
    examples: int
    train: int
    validation: int
    patients: int
    content_hash: str
    phi_scan_passed: bool

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def patient_split(patient_id: str, fraction: float, seed: int) -> str:
    digest = hashlib.sha256(f"{seed}:{patient_id}".encode()).digest()
    return "validation" if int.from_bytes(digest[:8], "big") / 2**64 < fraction else "train"


def _ensure_both_splits(rows: list[dict[str, Any]], fraction: float) -> None:
    """With two or more patients and a fraction > 0, each side gets at least one patient."""
    patients = sorted({row["patient_id"] for row in rows})
    held = {row["patient_id"] for row in rows if row["split"] == "validation"}
    if held == set(patients) or (fraction > 0 and not held and len(patients) > 1):
        moved = patients[0] if held == set(patients) else patients[-1]
        target = "train" if held == set(patients) else "validation"
        for row in rows:
            if row["patient_id"] == moved:
                row["split"] = target


def _check_source(version: DatasetVersion) -> None:
    if version.kind != "deidentified":
        raise PHILeakError(
            f"dataset version {version.id} is a {version.kind} version; task datasets are built from "
            "de-identified records only",
            hint=f"run 'medfoundry deid run {version.id}' first and build from its output",
        )
    if version.phi:
        raise PHILeakError(
            f"dataset version {version.id} still holds PHI: its residual-PHI scan failed",
            hint=f"see 'medfoundry deid scan {version.id}', strengthen the policy and rerun 'medfoundry deid run'",
        )
    if (version.meta or {}).get("phi_scan", {}).get("passed") is not True:
        raise PHILeakError(
            f"dataset version {version.id} has no passing residual-PHI scan",
            hint=f"run 'medfoundry deid scan {version.id}' and fix what it finds",
        )


def _default_scan(items: Iterator[tuple[str, str]]) -> dict[str, Any]:
    from medfoundry.deid.scan import scan_texts

    return dict(scan_texts(items).to_dict())


def read_records(store: Store, version: DatasetVersion) -> Iterator[PatientRecord]:
    if version.artifact_id is None:
        raise InputError(f"dataset version {version.id} has no data artifact")
    return load_records(store.open_artifact(version.artifact_id))


def build_task_dataset(
    store: Store,
    source_ref: str,
    task: str,
    *,
    options: TaskConfig | None = None,
    name: str | None = None,
    validation_fraction: float = 0.2,
    seed: int = 0,
    scan: ScanFn = _default_scan,
) -> BuildResult:
    source = get_version(store, source_ref)
    _check_source(source)
    template = task_templates.get(task)()  # type: ignore[operator]
    examples: list[Example] = list(template.examples(read_records(store, source), options or TaskConfig()))
    if not examples:
        raise InputError(
            f"the {task} template made no examples from {source.id}",
            hint="check that the records hold what the task needs (e.g. labelled ED encounters for ed-triage)",
        )
    rows = [e.to_row(patient_split(e.patient_id or e.id, validation_fraction, seed)) for e in examples]
    _ensure_both_splits(rows, validation_fraction)
    report = scan(
        (f"{row['id']}.messages[{i}]", m["content"]) for row in rows for i, m in enumerate(row["messages"])
    )
    if not report.get("passed"):
        store.audit.append(
            "dataset.phi_refused",
            "dataset_version",
            source.id,
            {"task": task, "hits": len(report.get("hits", []))},
        )
        raise PHILeakError(
            f"the {task} examples built from {source.id} failed the PHI scan "
            f"({len(report.get('hits', []))} possible identifiers); nothing was stored",
            hint="strengthen the de-identification policy and rerun 'medfoundry deid run'",
        )
    body = b"".join(json.dumps(row, ensure_ascii=False, sort_keys=True).encode() + b"\n" for row in rows)
    splits = Counter(row["split"] for row in rows)
    target = name or f"{dataset_name(store, source)}-{task}"
    artifact = store.put_artifact(
        body, kind="dataset-chat-jsonl", name=f"{target}.jsonl", meta={"task": task}
    )
    version = create_version(
        store,
        dataset_name=target,
        kind="task",
        artifact=artifact,
        source=f"task:{task} from {source.id}",
        counts={"examples": len(rows), "train": splits["train"], "validation": splits["validation"]},
        parents=[(source.id, "built-from"), (f"template:{task}", "template")],
        meta={
            "format": "chat-jsonl",
            "task": task,
            "split": {"train": splits["train"], "validation": splits["validation"], "fraction": validation_fraction,
                      "seed": seed, "field": "split", "by": "patient"},
            "phi_scan": report,
        },
    )  # fmt: skip
    return BuildResult(
        dataset_version=version.id,
        name=target,
        task=task,
        examples=len(rows),
        train=splits["train"],
        validation=splits["validation"],
        patients=len({row["patient_id"] for row in rows}),
        content_hash=version.content_hash,
        phi_scan_passed=True,
    )


class BuildConfig(BaseModel):
    """What ``data build`` and the pipeline's build stage ask for."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    source: str = Field(description="The de-identified dataset version: NAME, NAME@N or an id.")
    task: str = Field(description="A task template (patient-summary, note-drafting, ed-triage, ...).")
    options: TaskConfig = Field(default_factory=TaskConfig, description="Files and limits the template needs.")
    name: str | None = Field(None, description="The task dataset's name (default: SOURCE-TASK).")
    validation_fraction: float = Field(0.2, description="Share of patients held out for validation.")
    seed: int = Field(0, description="Seed of the patient split.")


def run(store: Store, config: BuildConfig, on_event: OnEvent | None = None) -> BuildResult:
    """The build stage: de-identified records in, a PHI-scanned task dataset version out."""
    result = build_task_dataset(
        store,
        config.source,
        config.task,
        options=config.options,
        name=config.name,
        validation_fraction=config.validation_fraction,
        seed=config.seed,
    )
    emit(on_event, "build", result.examples, result.examples, "examples")
    return result
