"""Bulk Data NDJSON: a folder as ``$export`` writes it (``<Type>.NNN.ndjson``), or one file.

Read a line at a time: memory does not grow with the export.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import orjson

from medfoundry.ingest.problems import Where
from medfoundry.ingest.sources import Incoming, json_error, lineage_id
from medfoundry.ingest.sources.files import bulk_files

logger = logging.getLogger(__name__)


class NdjsonSource:
    kind = "fhir-ndjson"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.files, self.skipped = bulk_files(path)
        for skipped in self.skipped:
            logger.info("skipping %s: not a <ResourceType>.ndjson data file", skipped.name)
        self.total_bytes: int | None = sum(p.stat().st_size for p in self.files)

    def describe(self) -> str:
        return f"FHIR Bulk Data NDJSON at {self.path} ({len(self.files)} files)"

    def lineage_id(self) -> str:
        return lineage_id(self.kind, str(self.path.resolve()), self.path.resolve().name)

    def __iter__(self) -> Iterator[Incoming]:
        done = 0
        for file in self.files:
            name = str(file)
            with file.open("rb") as handle:
                for number, line in enumerate(handle, start=1):
                    done += len(line)
                    if not line.strip():
                        continue
                    try:
                        resource = orjson.loads(line)
                    except orjson.JSONDecodeError as exc:
                        yield Incoming(Where(name, number), raw=line, error=json_error(exc), done_bytes=done)
                        continue
                    yield Incoming(Where(name, number), resource=resource, raw=line, done_bytes=done)
