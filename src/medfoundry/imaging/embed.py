"""Embedding a folder of images (or a DICOM dataset version) into an index folder.

Images are read, embedded and dropped in batches, so memory holds at most one batch of
pixels. Items are named by their path relative to the folder (or the de-identified
instance id) and the SHA-256 of the file's bytes; no header values are copied.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from medfoundry.errors import InputError, NotFound
from medfoundry.imaging.models import ImageTextModel
from medfoundry.imaging.preprocess import Skipped, dicom_image, iter_folder
from medfoundry.imaging.vector_index import write_index

logger = logging.getLogger(__name__)
Progress = Callable[[int], None]


@dataclass
class EmbedResult:
    folder: Path
    count: int
    dim: int
    skipped: list[Skipped] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": str(self.folder),
            "count": self.count,
            "dim": self.dim,
            "skipped": [{"id": s.id, "reason": s.reason} for s in self.skipped],
        }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def iter_dataset_version(
    store: Any, version: str, skipped: list[Skipped]
) -> Iterator[tuple[dict[str, Any], Any]]:
    """Instances of a DICOM dataset version, through ``imaging.dicom.store.iter_instances``.

    Each item is named by the instance's place in the version (``dsv_...#N``), never by a
    header UID; modality, body part and view are kept for filtering.
    """
    try:
        from medfoundry.imaging.dicom.store import iter_instances
    except ImportError:
        raise InputError(
            f"'{version}' is not a folder, and this installation cannot read DICOM dataset versions",
            hint="pass a folder of PNG/JPEG/DICOM files",
        ) from None
    for instance in iter_instances(store, version):
        item: dict[str, Any] = {"id": str(instance.source), "dicom": True}
        if instance.data:
            item["sha256"] = hashlib.sha256(instance.data).hexdigest()
        for name in ("modality", "body_part", "view"):
            if getattr(instance, name, ""):
                item[name] = getattr(instance, name)
        try:
            image = dicom_image(instance.dataset)
        except InputError as exc:
            skipped.append(Skipped(item["id"], exc.message))
            continue
        yield item, image


def iter_source(
    source: str, skipped: list[Skipped], store: Any = None
) -> Iterator[tuple[dict[str, Any], Any]]:
    """(item, PIL image) pairs from a folder, or from a dataset version in the store."""
    path = Path(source).expanduser()
    if path.is_dir():
        for item, image in iter_folder(path, skipped):
            yield {"id": item.id, "sha256": _sha256(item.path), "dicom": item.is_dicom}, image
        return
    if path.exists():
        raise InputError(f"{source} is a file; give a folder of images or a dataset version")
    if store is None:
        raise NotFound(
            f"{source} is neither a folder nor a dataset version",
            hint="give a folder of PNG/JPEG/DICOM files",
        )
    yield from iter_dataset_version(store, source, skipped)


def embed_items(
    model: ImageTextModel,
    pairs: Iterator[tuple[dict[str, Any], Any]],
    *,
    batch_size: int = 16,
    progress: Progress | None = None,
) -> tuple[np.ndarray, list[dict[str, Any]]]:
    rows: list[np.ndarray] = []
    items: list[dict[str, Any]] = []
    batch: list[tuple[dict[str, Any], Any]] = []

    def flush() -> None:
        rows.append(model.embed_images([image for _, image in batch]))
        items.extend(item for item, _ in batch)
        if progress:
            progress(len(batch))
        batch.clear()

    for pair in pairs:
        batch.append(pair)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    return (np.concatenate(rows) if rows else np.zeros((0, model.dim), np.float32)), items


def embed_source(
    model: ImageTextModel,
    source: str,
    out: Path,
    *,
    model_ref: str,
    store: Any = None,
    batch_size: int = 16,
    progress: Progress | None = None,
) -> EmbedResult:
    skipped: list[Skipped] = []
    vectors, items = embed_items(
        model, iter_source(source, skipped, store), batch_size=batch_size, progress=progress
    )
    if not items:
        reasons = "; ".join(f"{s.id}: {s.reason}" for s in skipped[:3])
        raise InputError(f"{source}: no readable images" + (f" ({reasons})" if reasons else ""))
    meta = {
        "model": model_ref,
        "model_location": model.location,
        "model_kind": model.kind,
        "dim": int(vectors.shape[1]),
        "source": source,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "skipped": len(skipped),
    }
    write_index(out, vectors, items, meta)
    return EmbedResult(Path(out), len(items), int(vectors.shape[1]), skipped)
