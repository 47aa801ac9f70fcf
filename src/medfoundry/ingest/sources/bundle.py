"""FHIR R4 Bundles (transaction, batch, collection, searchset), one JSON file each.

``urn:uuid:`` (and full-URL) references are resolved inside each bundle. A bundle is
read whole (a file at a time), so memory follows the largest bundle, not the export.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from medfoundry.ingest.problems import Where
from medfoundry.ingest.references import rewrite_references
from medfoundry.ingest.sources import Incoming, json_error, lineage_id
from medfoundry.ingest.sources.files import list_files

BUNDLE_TYPES = ("transaction", "batch", "collection", "searchset", "document", "message", "history")
_FULL_URL = re.compile(rb'"fullUrl"\s*:')


class BundleSource:
    kind = "fhir-bundle"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.files = list_files(path, (".json",))
        self.total_bytes: int | None = sum(p.stat().st_size for p in self.files)

    def describe(self) -> str:
        return f"FHIR R4 bundles at {self.path} ({len(self.files)} files)"

    def lineage_id(self) -> str:
        return lineage_id(self.kind, str(self.path.resolve()), self.path.resolve().name)

    def __iter__(self) -> Iterator[Incoming]:
        done = 0
        for file in self.files:
            raw = file.read_bytes()
            done += len(raw)
            yield from _bundle_items(str(file), raw, done)


def _entry_lines(raw: bytes, entries: int) -> list[int]:
    """1-based line of each entry (by its fullUrl), or all 1 when that cannot be told."""
    starts = [m.start() for m in _FULL_URL.finditer(raw)]
    if len(starts) != entries:
        return [1] * entries
    lines, line, last = [], 1, 0
    for pos in starts:
        line += raw.count(b"\n", last, pos)
        last = pos
        lines.append(line)
    return lines


def _bundle_items(file: str, raw: bytes, done: int) -> Iterator[Incoming]:
    try:
        bundle = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        yield Incoming(Where(file, exc.lineno), raw=raw, error=json_error(exc), done_bytes=done)
        return
    problem = _bundle_problem(bundle)
    if problem is not None:
        path, reason = problem
        yield Incoming(Where(file, 1, path), resource=bundle, raw=raw, error=reason, done_bytes=done)
        return
    entries: list[Any] = bundle.get("entry") or []
    local = _local_ids(entries)
    lines = _entry_lines(raw, len(entries))
    for index, entry in enumerate(entries):
        where = Where(file, lines[index], f"$.entry[{index}].resource")
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if isinstance(resource, dict) and resource.get("resourceType") == "OperationOutcome":
            continue  # a searchset's messages, not clinical content
        if isinstance(resource, dict):
            rewrite_references(resource, local.get)
        yield Incoming(where, resource=resource, done_bytes=done)


def _bundle_problem(bundle: Any) -> tuple[str, str] | None:
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        return "$.resourceType", "not a FHIR Bundle (use --format ndjson for Bulk Data files)"
    if bundle.get("type") not in BUNDLE_TYPES:
        return "$.type", f"unsupported Bundle.type (expected one of {', '.join(BUNDLE_TYPES)})"
    if not isinstance(bundle.get("entry", []), list):
        return "$.entry", "Bundle.entry must be a list"
    return None


def _local_ids(entries: list[Any]) -> dict[str, str]:
    """fullUrl -> ``Type/id``; resources without an id take their urn:uuid's uuid."""
    local: dict[str, str] = {}
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("resource"), dict):
            continue
        resource, full_url = entry["resource"], entry.get("fullUrl")
        rtype = resource.get("resourceType")
        if not isinstance(full_url, str) or not isinstance(rtype, str):
            continue
        if "id" not in resource and full_url.startswith("urn:uuid:"):
            resource["id"] = full_url.removeprefix("urn:uuid:")
        if isinstance(resource.get("id"), str):
            local[full_url] = f"{rtype}/{resource['id']}"
    return local
