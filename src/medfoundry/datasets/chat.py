"""Chat JSONL datasets for fine-tuning: validate, PHI-scan, split, register, read back.

A line is ``{"messages": [{"role": ..., "content": ...}, ...]}``; after registration
each line also carries ``"split": "train" | "validation"`` and the version's
``meta["split"]`` holds the counts. A version is trainable only when it is a
``task`` version, not PHI, and its ``meta["phi_scan"]["passed"]`` is True.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medfoundry.dataset_versions import create_version, get_version
from medfoundry.errors import InputError, NotFound, PHILeakError
from medfoundry.jsonl import parse_line
from medfoundry.store.database import Store
from medfoundry.store.models import DatasetVersion

logger = logging.getLogger(__name__)
ROLES = ("system", "user", "assistant", "tool")
SPLITS = ("train", "validation")


@dataclass(frozen=True)
class ChatData:
    train: list[list[dict[str, str]]]
    validation: list[list[dict[str, str]]]
    version_id: str
    content_hash: str


def _check_line(raw: str, where: str) -> dict[str, Any]:
    row = parse_line(raw, where)
    messages = row.get("messages") if isinstance(row, dict) else None
    if not isinstance(messages, list) or not messages:
        raise InputError(f"{where}: field 'messages' must be a non-empty list of {{role, content}} objects")
    for index, message in enumerate(messages):
        if not isinstance(message, dict) or not isinstance(message.get("content"), str):
            raise InputError(f"{where}: messages[{index}].content must be a string")
        if message.get("role") not in ROLES:
            raise InputError(f"{where}: messages[{index}].role must be one of {', '.join(ROLES)}")
    if not any(message["role"] == "assistant" for message in messages):
        raise InputError(f"{where}: no assistant message, so there is nothing to learn from this example")
    if row.get("split") not in (None, *SPLITS):
        raise InputError(f"{where}: field 'split' must be 'train' or 'validation'")
    return row


def read_chat_jsonl(path: Path) -> list[dict[str, Any]]:
    """Every example in a chat JSONL file; errors name the file and line."""
    if not path.exists():
        raise InputError(f"dataset file {path} does not exist")
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            if raw.strip():
                rows.append(_check_line(raw, f"{path}:{number}"))
    if not rows:
        raise InputError(f"{path} has no examples")
    return rows


def _in_validation(messages: list[dict[str, str]], fraction: float, seed: int) -> bool:
    digest = hashlib.sha256(f"{seed}:{json.dumps(messages, sort_keys=True)}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < fraction


def assign_splits(rows: list[dict[str, Any]], fraction: float, seed: int) -> list[dict[str, Any]]:
    """Keep given splits; hash-assign the rest (stable under reordering), at least one train."""
    out = []
    for row in rows:
        split = row.get("split") or (
            "validation" if _in_validation(row["messages"], fraction, seed) else "train"
        )
        out.append({"messages": row["messages"], "split": split})
    if out and all(row["split"] == "validation" for row in out):
        out[0]["split"] = "train"
    return out


def phi_scan(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Scan every message with the de-identification stage's scanner."""
    try:
        from medfoundry.deid.scan import scan_texts
    except ImportError:
        raise PHILeakError(
            "cannot register a training dataset: the PHI scanner (medfoundry.deid.scan) is not available",
            hint="install the complete medfoundry package; training data must pass a PHI scan",
        ) from None
    items = (
        (f"line{line}.messages[{index}]", message["content"])
        for line, row in enumerate(rows, start=1)
        for index, message in enumerate(row["messages"])
    )
    return dict(scan_texts(items).to_dict())


def register_chat_jsonl(
    store: Store,
    path: Path,
    *,
    name: str | None = None,
    validation_fraction: float = 0.1,
    seed: int = 0,
) -> DatasetVersion:
    """Validate, PHI-scan, split and store ``path`` as a ``task`` dataset version.

    A file whose scan finds PHI is refused and nothing is stored.
    """
    rows = assign_splits(read_chat_jsonl(path), validation_fraction, seed)
    scan = phi_scan(rows)
    if not scan.get("passed"):
        store.audit.append(
            "dataset.phi_refused",
            "file",
            path.name,
            {"hits": scan.get("hit_count", 0), "by_type": scan.get("by_type", {})},
        )
        raise PHILeakError(
            f"{path}: the PHI scan found {scan.get('hit_count', 0)} possible identifiers ({scan.get('by_type')}); not registered",
            hint="de-identify the data first ('medfoundry deid ...'), then register the result",
        )
    body = "".join(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n" for row in rows).encode()
    counts = {split: sum(row["split"] == split for row in rows) for split in SPLITS}
    same = _same_content(store, name or path.stem, hashlib.sha256(body).hexdigest())
    if same is not None:
        return same
    artifact = store.put_artifact(
        body, kind="dataset-chat-jsonl", name=path.name, phi=False, meta={"examples": len(rows)}
    )
    return create_version(
        store,
        dataset_name=name or path.stem,
        kind="task",
        artifact=artifact,
        source=f"chat-jsonl:{path.name}",
        counts={"examples": len(rows), **counts},
        parents=[(f"file:{path.name}", "imported-from")],
        meta={
            "format": "chat-jsonl",
            "split": {**counts, "fraction": validation_fraction, "seed": seed, "field": "split"},
            "phi_scan": scan,
        },
    )


def _same_content(store: Store, dataset_name: str, sha256: str) -> DatasetVersion | None:
    """The existing version of ``dataset_name`` with exactly this content, if any."""
    try:
        latest = get_version(store, dataset_name)
    except NotFound:
        return None
    return latest if latest.content_hash == sha256 and latest.kind == "task" else None


def check_trainable(version: DatasetVersion) -> None:
    """Refuse raw, PHI or unscanned versions."""
    scan = (version.meta or {}).get("phi_scan") or {}
    if version.kind != "task" or version.phi:
        raise PHILeakError(
            f"dataset version {version.id} is a {version.kind} version"
            + (" holding PHI" if version.phi else "")
            + "; training takes de-identified task datasets only",
            hint="build a task dataset from de-identified records, or register a chat JSONL",
        )
    if scan.get("passed") is not True:
        raise PHILeakError(
            f"dataset version {version.id} has no clean PHI scan (phi_scan.passed is {scan.get('passed')!r})",
            hint="rebuild it from de-identified records so that its PHI scan passes",
        )


def resolve_training_data(store: Store, ref: str, *, validation_split: float, seed: int) -> DatasetVersion:
    """A dataset version ref, or a chat JSONL path registered on first use."""
    path = Path(ref).expanduser()
    if ref.endswith(".jsonl") or path.is_file():
        version = register_chat_jsonl(store, path, validation_fraction=validation_split, seed=seed)
    else:
        version = get_version(store, ref)
    check_trainable(version)
    return version


def load_chat_data(store: Store, version: DatasetVersion, *, validation_split: float, seed: int) -> ChatData:
    """The version's examples split into train and validation."""
    check_trainable(version)
    if version.artifact_id is None:
        raise InputError(f"dataset version {version.id} has no data artifact")
    lines = store.read_artifact(version.artifact_id).decode("utf-8").splitlines()
    rows = [_check_line(raw, f"{version.id}:{number}") for number, raw in enumerate(lines, 1) if raw.strip()]
    rows = assign_splits(rows, validation_split, seed)
    return ChatData(
        train=[row["messages"] for row in rows if row["split"] == "train"],
        validation=[row["messages"] for row in rows if row["split"] == "validation"],
        version_id=version.id,
        content_hash=version.content_hash,
    )
