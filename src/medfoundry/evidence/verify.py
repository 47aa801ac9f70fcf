"""``medfoundry evidence verify pack.zip``: every file's hash and the audit proof."""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from medfoundry.errors import InputError
from medfoundry.evidence.chain import check_proof


@dataclass
class VerifyReport:
    ok: bool
    files_checked: int
    audit_events: int
    head_hash: str | None
    problems: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _jsonl(archive: zipfile.ZipFile, name: str) -> list[dict[str, Any]]:
    if name not in archive.namelist():
        return []
    return [json.loads(line) for line in archive.read(name).decode().splitlines() if line.strip()]


def verify_evidence_pack(path: Path) -> VerifyReport:
    try:
        archive = zipfile.ZipFile(path)
    except (FileNotFoundError, zipfile.BadZipFile) as exc:
        raise InputError(f"{path} is not a readable evidence pack: {exc}") from None
    with archive:
        if "manifest.json" not in archive.namelist():
            raise InputError(f"{path} has no manifest.json; it is not a medfoundry evidence pack")
        manifest = json.loads(archive.read("manifest.json"))
        listed: dict[str, str] = manifest.get("files", {})
        problems = []
        present = set(archive.namelist()) - {"manifest.json"}
        for name in sorted(present - listed.keys()):
            problems.append(f"{name} is in the pack but not in the manifest")
        for name, digest in sorted(listed.items()):
            if name not in present:
                problems.append(f"{name} is listed in the manifest but missing")
            elif hashlib.sha256(archive.read(name)).hexdigest() != digest:
                problems.append(f"{name} does not match its sha256 in the manifest")
        events = _jsonl(archive, "audit/events.jsonl")
        links = _jsonl(archive, "audit/chain.jsonl")
        head = manifest.get("audit", {}).get("head_hash")
        problems += check_proof(events, links, head)
    return VerifyReport(not problems, len(listed), len(events), head, problems)
