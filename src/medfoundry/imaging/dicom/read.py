"""Reading DICOM Part 10 instances one at a time: parse, decode every frame, describe.

``read_instances`` is a generator: it opens, parses and decodes one file, yields it and
only then moves on, so a folder of any size holds one instance's pixels at a time (the
decoded array is dropped before the instance is yielded; ``pixels()`` decodes again on
demand). A file that cannot be read or decoded is yielded as a ``Problem`` naming the
file, the reason and, for pixel errors, the transfer syntax.
"""

from __future__ import annotations

import io
import os
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from pydicom import dcmread
from pydicom.dataset import Dataset
from pydicom.errors import InvalidDicomError

PREAMBLE = 128
MAGIC = b"DICM"


def is_part10(path: Path) -> bool:
    """A DICOM Part 10 file: 128-byte preamble, then ``DICM``."""
    try:
        with path.open("rb") as handle:
            head = handle.read(PREAMBLE + len(MAGIC))
    except OSError:
        return False
    return head[PREAMBLE:] == MAGIC


def dicom_files(source: Path) -> Iterator[Path]:
    """Part 10 files under ``source`` (a file or a folder, recursively), sorted, lazily per folder."""
    if source.is_file():
        yield source
        return
    for root, dirs, files in os.walk(source):
        dirs.sort()
        for name in sorted(files):
            path = Path(root) / name
            if is_part10(path):
                yield path


def is_dicom_source(source: Path) -> bool:
    """Is ``source`` a Part 10 file, or a folder whose first readable file is one?"""
    if source.is_file():
        return is_part10(source)
    if not source.is_dir():
        return False
    for root, _, files in os.walk(source):
        for name in sorted(files)[:20]:
            if is_part10(Path(root) / name):
                return True
    return False


def _text(ds: Dataset, keyword: str) -> str:
    value = ds.get(keyword, "")
    return "" if value is None else str(value).strip()


def _int(ds: Dataset, keyword: str, default: int = 0) -> int:
    try:
        return int(ds.get(keyword, default) or default)
    except (TypeError, ValueError):
        return default


@dataclass
class DicomInstance:
    """One instance: its header (``dataset``, pixels not decoded) and what the index records.

    ``study_uid``/``series_uid``/``sop_instance_uid`` are the header's own UIDs; ``artifact_id``
    is set for instances read from a store.
    """

    dataset: Dataset
    data: bytes
    source: str
    study_uid: str = ""
    series_uid: str = ""
    sop_instance_uid: str = ""
    sop_class_uid: str = ""
    modality: str = ""
    body_part: str = ""
    view: str = ""
    rows: int = 0
    columns: int = 0
    frames: int = 1
    transfer_syntax: str = ""
    artifact_id: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def size_bytes(self) -> int:
        return len(self.data)

    def pixels(self) -> np.ndarray:
        """The decoded pixel data (frames first for multi-frame), decoded now and not kept."""
        return decode_pixels(self.dataset)


@dataclass(frozen=True)
class Problem:
    """A file that could not be ingested: where and why (no header values)."""

    source: str
    reason: str
    transfer_syntax: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"file": self.source, "reason": self.reason, "transfer_syntax": self.transfer_syntax}


def describe(ds: Dataset, data: bytes, source: str) -> DicomInstance:
    meta = getattr(ds, "file_meta", None)
    syntax = str(getattr(meta, "TransferSyntaxUID", "") or "") if meta is not None else ""
    return DicomInstance(
        dataset=ds,
        data=data,
        source=source,
        study_uid=_text(ds, "StudyInstanceUID"),
        series_uid=_text(ds, "SeriesInstanceUID"),
        sop_instance_uid=_text(ds, "SOPInstanceUID"),
        sop_class_uid=_text(ds, "SOPClassUID"),
        modality=_text(ds, "Modality"),
        body_part=_text(ds, "BodyPartExamined"),
        view=_text(ds, "ViewPosition") or _text(ds, "ImageLaterality") or _text(ds, "Laterality"),
        rows=_int(ds, "Rows"),
        columns=_int(ds, "Columns"),
        frames=_int(ds, "NumberOfFrames", 1) or 1,
        transfer_syntax=syntax,
    )


def parse(data: bytes) -> Dataset:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return dcmread(io.BytesIO(data))


def decode_pixels(ds: Dataset) -> np.ndarray:
    from pydicom.pixels import pixel_array

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pixel_array(ds)


def _syntax_name(ds: Dataset) -> str:
    meta = getattr(ds, "file_meta", None)
    uid = getattr(meta, "TransferSyntaxUID", None) if meta is not None else None
    return f"{uid.name} ({uid})" if uid is not None else "no transfer syntax in the file meta"


def check(data: bytes, source: str) -> DicomInstance | Problem:
    """Parse ``data`` and decode its pixels once (the array is dropped before returning)."""
    try:
        ds = parse(data)
    except (InvalidDicomError, EOFError, ValueError, KeyError, TypeError, OSError, IndexError) as exc:
        return Problem(source, f"not a readable DICOM Part 10 file: {type(exc).__name__}: {exc}")
    missing = [k for k in ("SOPInstanceUID", "StudyInstanceUID", "SeriesInstanceUID") if not _text(ds, k)]
    if missing:
        return Problem(source, f"missing {', '.join(missing)}", _syntax_name(ds))
    if "PixelData" in ds or "FloatPixelData" in ds or "DoubleFloatPixelData" in ds:
        try:
            decoded = decode_pixels(ds)
            del decoded
        except Exception as exc:  # every decoder failure is reported, none stops the import
            syntax = _syntax_name(ds)
            return Problem(
                source, f"pixel data in {syntax} cannot be decoded: {type(exc).__name__}: {exc}", syntax
            )
    return describe(ds, data, source)


def read_instances(paths: Iterable[Path], *, root: Path | None = None) -> Iterator[DicomInstance | Problem]:
    """Each file read, checked and yielded before the next is opened."""
    for path in paths:
        name = str(path.relative_to(root)) if root is not None and root in path.parents else str(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            yield Problem(name, f"cannot read the file: {exc.strerror or exc}")
            continue
        yield check(data, name)
