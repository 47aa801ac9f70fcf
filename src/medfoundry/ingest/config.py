"""The ingestion stage's typed edges: its configuration, progress and result."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, SecretStr, ValidationError

from medfoundry.errors import ConfigError
from medfoundry.ingest.sources.notes_files import NoteColumns


class IngestConfig(BaseModel):
    """What to import and how; the CLI flags map one to one onto these fields."""

    source: Path | None = Field(None, description="a file or folder (bundles, NDJSON, notes)")
    fhir_url: str | None = Field(None, description="a FHIR server's base URL")
    token: SecretStr | None = Field(None, description="bearer token for the FHIR server")
    format: Literal["auto", "bundle", "ndjson", "jsonl", "csv"] = "auto"
    name: str | None = Field(None, description="dataset name (default: from the source)")
    strict: bool = Field(False, description="also validate with the fhir.resources R4B models")
    columns: NoteColumns = Field(default_factory=NoteColumns)
    page_size: int = Field(100, ge=1, le=1000, description="FHIR search page size (_count)")


def make_config(**fields: Any) -> IngestConfig:
    """Validate options into an ``IngestConfig``; every bad option is named as its CLI flag."""
    try:
        return IngestConfig.model_validate(fields)
    except ValidationError as exc:
        problems = [
            f"--{'-'.join(str(p) for p in err['loc']).replace('_', '-')}: {err['msg']}"
            for err in exc.errors(include_input=False, include_url=False)
        ]
        raise ConfigError(problems) from None


@dataclass
class IngestResult:
    dataset_version: str
    dataset: str
    version: int
    patients: int
    resources_read: int
    resources_kept: int
    quarantined: int
    notes: int
    notes_decoded: int
    sha256: str
    source: str
    by_type: dict[str, dict[str, int]] = field(default_factory=dict)
    quarantine: dict[str, Any] | None = None
    unresolved_references: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
