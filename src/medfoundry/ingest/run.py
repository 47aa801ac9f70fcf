"""The ingestion stage's entry point: ``run(store, config) -> IngestResult``.

Reads a source a unit at a time, checks each resource, quarantines what fails
(with file, line and JSON path), spills the rest to an on-disk per-patient index,
then streams one record per patient into an encrypted artifact. The dataset
version is created last, so an interrupted import leaves none behind.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from medfoundry.audit import lineage
from medfoundry.dataset_versions import create_version
from medfoundry.errors import ConfigError
from medfoundry.ingest.assemble import Assembler
from medfoundry.ingest.config import IngestConfig, IngestResult, make_config
from medfoundry.ingest.consume import Consumer, TypeCounts
from medfoundry.ingest.records import PatientRecord, dump_records
from medfoundry.ingest.sources import Source
from medfoundry.ingest.spill import Spill
from medfoundry.stage import OnEvent, StageEvent
from medfoundry.store.artifacts import staged_file
from medfoundry.store.database import Store

logger = logging.getLogger(__name__)


def open_source(config: IngestConfig) -> Source:
    from medfoundry.ingest.sources.bundle import BundleSource
    from medfoundry.ingest.sources.files import detect_format
    from medfoundry.ingest.sources.ndjson import NdjsonSource
    from medfoundry.ingest.sources.notes_files import NotesSource
    from medfoundry.ingest.sources.server import ServerSource

    if (config.source is None) == (config.fhir_url is None):
        raise ConfigError("give either SOURCE (a file or folder) or --fhir-url, not both or neither")
    if config.fhir_url is not None:
        token = config.token.get_secret_value() if config.token else None
        return ServerSource(config.fhir_url, token=token, page_size=config.page_size)
    assert config.source is not None
    fmt = detect_format(config.source) if config.format == "auto" else config.format
    if fmt == "bundle":
        return BundleSource(config.source)
    if fmt == "ndjson":
        return NdjsonSource(config.source)
    return NotesSource(config.source, fmt, config.columns)


def default_name(config: IngestConfig) -> str:
    if config.name:
        return config.name
    if config.fhir_url:
        base = re.sub(r"^https?://", "", config.fhir_url).split("/")[0]
        return "fhir-" + re.sub(r"[^A-Za-z0-9]+", "-", base).strip("-")
    assert config.source is not None
    path = config.source.resolve()
    # a folder's name; for a file its folder's (bundle file names often hold patient names)
    return re.sub(r"[^A-Za-z0-9._-]+", "-", (path if path.is_dir() else path.parent).name) or "ingest"


def run(store: Store, config: IngestConfig, on_event: OnEvent | None = None) -> IngestResult:
    """Import one source as a new ``raw`` dataset version and return its summary. Events count
    bytes read of the source's size (None when unknown), with ``values["resources"]``."""
    source = open_source(config)
    name = default_name(config)
    with staged_file(".jsonl") as (quarantine_path, quarantine_handle):
        with _spilled(source, quarantine_handle, config.strict, on_event) as (consumer, assembler):
            records = store.put_artifact(
                dump_records(assembler.records()),
                kind="patient-records",
                name=f"{name}.records.jsonl",
                phi=True,
                meta={"format": "medfoundry.patient-records/v1", "source_kind": source.kind},
            )
        quarantine = _store_quarantine(store, consumer, quarantine_path, name, source)
    counts = consumer.counts
    stats = assembler.stats
    summary = {
        "patients": stats.patients,
        "resources_read": counts.read,
        "resources_kept": counts.kept,
        "quarantined": counts.quarantined,
        "notes": stats.notes,
        "notes_decoded": stats.notes_decoded,
        "unresolved_references": stats.unresolved_references,
        "by_type": counts.by_type(),
    }
    version = create_version(
        store,
        dataset_name=name,
        kind="raw",
        artifact=records,
        source=source.describe(),
        counts=summary,
        parents=[(source.lineage_id(), "source")],
        meta={"source_kind": source.kind, "strict": config.strict, "quarantine": quarantine},
    )
    store.audit.append(
        "ingest.import",
        "dataset_version",
        version.id,
        {
            "dataset": name,
            "source_kind": source.kind,
            "sha256": records.sha256,
            "strict": config.strict,
            **{k: v for k, v in summary.items() if k != "by_type"},
            "quarantine_artifact": quarantine["artifact"] if quarantine else None,
        },
    )
    return IngestResult(
        dataset_version=version.id,
        dataset=name,
        version=version.version,
        patients=stats.patients,
        resources_read=counts.read,
        resources_kept=counts.kept,
        quarantined=counts.quarantined,
        notes=stats.notes,
        notes_decoded=stats.notes_decoded,
        sha256=records.sha256,
        source=source.describe(),
        by_type=counts.by_type(),
        quarantine=quarantine,
        unresolved_references=stats.unresolved_references,
    )


def _event(read: int, done_bytes: int, total_bytes: int | None) -> StageEvent:
    return StageEvent("ingest", done_bytes, total_bytes, "bytes", {"resources": read})


@contextmanager
def _spilled(
    source: Source, quarantine: IO[bytes], strict: bool, on_event: OnEvent | None
) -> Iterator[tuple[Consumer, Assembler]]:
    """Read the whole source into a temporary per-patient index; yield what assembles records."""
    with tempfile.TemporaryDirectory(prefix="medfoundry-ingest-") as tmp:
        spill = Spill(Path(tmp) / "spill.sqlite")
        try:
            consumer = Consumer(spill, quarantine, strict=strict)
            consumer.consume(source, on_event, _event)
            yield consumer, Assembler(spill)
        finally:
            spill.close()


def read_records(config: IngestConfig) -> Iterator[PatientRecord]:
    """The records an import would store, without a store (refused input is dropped)."""
    with (
        open(os.devnull, "wb") as sink,
        _spilled(open_source(config), sink, config.strict, None) as (_, assembler),
    ):
        yield from assembler.records()


def _store_quarantine(
    store: Store, consumer: Consumer, staged: Path, name: str, source: Source
) -> dict[str, Any] | None:
    consumer.quarantine_handle.flush()
    if consumer.quarantine.count == 0:
        return None
    artifact = store.put_artifact(
        staged,
        kind="quarantine",
        name=f"{name}.quarantine.jsonl",
        phi=True,
        meta={"count": consumer.quarantine.count},
    )
    lineage.record(store, artifact.id, [(source.lineage_id(), "source")])
    return {
        "artifact": artifact.id,
        "path": str(store.settings.artifacts_dir / artifact.relpath),
        **consumer.quarantine.summary(),
    }


__all__ = [
    "IngestConfig",
    "IngestResult",
    "TypeCounts",
    "make_config",
    "open_source",
    "read_records",
    "run",
]
