"""The byte-level path gives the same de-identified header as the pydicom path."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pydicom.dataset import Dataset

from medfoundry.deid.config import DeidConfig
from medfoundry.imaging.dicom.deid_run import deidentifier_from
from medfoundry.imaging.dicom.dicomweb import to_part10
from medfoundry.imaging.dicom.fastpath import Unsupported, deidentify_bytes, deidentify_part10
from medfoundry.imaging.dicom.known import known_identifiers, scan_header
from medfoundry.imaging.dicom.profile import DicomDeidOptions
from medfoundry.imaging.dicom.read import parse
from tests.unit.imaging.dicom.synthetic import fake_study, pydicom_test_files

KEY = b"\x09" * 32
IGNORED_META = {0x00020000, 0x00020012, 0x00020013}  # group length, implementation UID and name


def _flat(ds: Dataset) -> dict[Any, Any]:
    out: dict[Any, Any] = {}
    for number, elem in enumerate(ds.iterall()):
        if elem.tag.element == 0:
            continue
        value = len(elem.value) if elem.VR == "SQ" else str(elem.value)
        out[(elem.tag, number if elem.VR == "SQ" else None)] = (elem.VR, value)
    out.update({e.tag: str(e.value) for e in ds.file_meta if e.tag not in IGNORED_META})
    return out


def _slow(data: bytes, options: DicomDeidOptions) -> bytes:
    ds = parse(data)
    deidentifier_from(KEY, DeidConfig(), options).deidentify(ds)
    return to_part10(ds)


def _inputs() -> list[tuple[str, bytes]]:
    found = [(p.name, p.read_bytes()) for p in pydicom_test_files()]
    for ds in fake_study(11).instances:
        buffer = io.BytesIO()
        ds.save_as(buffer, enforce_file_format=True)
        found.append((f"fake-{ds.InstanceNumber}", buffer.getvalue()))
    return found


@pytest.mark.parametrize(
    "options",
    [DicomDeidOptions(), DicomDeidOptions(retain_uids=True, retain_dates=False, clean_descriptors=False)],
)
@pytest.mark.slow
def test_fast_and_pydicom_paths_agree(options: DicomDeidOptions) -> None:
    owner = deidentifier_from(KEY, DeidConfig(), options)
    compared = 0
    for name, data in _inputs():
        try:
            fast = deidentify_part10(data, owner)
        except Unsupported:
            continue
        except Exception:
            continue  # malformed on purpose (pydicom's own error tests); deidentify_bytes falls back
        try:
            slow = _slow(data, options)
        except Exception:
            continue
        fast_ds, slow_ds = parse(fast), parse(slow)
        assert _flat(fast_ds) == _flat(slow_ds), name
        assert scan_header(fast_ds, known_identifiers(parse(data))).passed, name
        compared += 1
    assert compared > 55


def test_other_encodings_fall_back_to_pydicom() -> None:
    big_endian = next(p for p in pydicom_test_files() if p.name == "MR_small_bigendian.dcm").read_bytes()
    owner = deidentifier_from(KEY, DeidConfig(), DicomDeidOptions())
    with pytest.raises(Unsupported):
        deidentify_part10(big_endian, owner)
    out = parse(deidentify_bytes(big_endian, owner))
    assert out.PatientIdentityRemoved == "YES"
    assert scan_header(out, known_identifiers(parse(big_endian))).passed
