"""Embedding a DICOM dataset version goes through imaging.dicom.store.iter_instances (imaging-dicom's).

Until that module is installed, a small stand-in with its documented shape (``dataset``,
``data``, ``source``, ``modality``...) checks how this side reads instances.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pydicom
import pytest

from medfoundry.errors import InputError
from medfoundry.imaging.embed import embed_source
from tests.unit.imaging.conftest import PYDICOM_FILES


@dataclass
class Instance:
    dataset: pydicom.Dataset
    data: bytes
    source: str
    modality: str = ""
    body_part: str = ""
    view: str = ""


def stand_in(store: object, dataset_version: str) -> Iterator[Instance]:
    for ordinal, name in enumerate(["CT_small.dcm", "MR_small.dcm"]):
        data = (PYDICOM_FILES / name).read_bytes()
        dataset = pydicom.dcmread(PYDICOM_FILES / name)
        yield Instance(dataset, data, f"dsv_test#{ordinal}", str(dataset.get("Modality", "")))


@pytest.fixture
def dicom_store_module(monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        import medfoundry.imaging.dicom.store  # noqa: F401
    except ImportError:
        module = types.ModuleType("medfoundry.imaging.dicom.store")
        module.iter_instances = stand_in  # type: ignore[attr-defined]
        monkeypatch.setitem(
            sys.modules, "medfoundry.imaging.dicom", types.ModuleType("medfoundry.imaging.dicom")
        )
        monkeypatch.setitem(sys.modules, "medfoundry.imaging.dicom.store", module)
    else:
        monkeypatch.setattr("medfoundry.imaging.dicom.store.iter_instances", stand_in)


def test_a_dataset_version_is_embedded_without_header_uids(
    dicom_store_module: None, tiny_clip, tmp_path: Path
) -> None:
    result = embed_source(tiny_clip, "ct@1", tmp_path / "index", model_ref="m", store=object())
    assert result.count == 2 and not result.skipped
    items = (tmp_path / "index" / "items.jsonl").read_text()
    assert '"id": "dsv_test#0"' in items and '"modality": "CT"' in items
    uid = pydicom.dcmread(PYDICOM_FILES / "CT_small.dcm").SOPInstanceUID
    assert uid not in items


def test_a_name_that_is_neither_folder_nor_version_is_explained(tiny_clip, tmp_path: Path) -> None:
    (tmp_path / "x.png").write_bytes(b"")
    with pytest.raises(InputError, match="is a file"):
        embed_source(tiny_clip, str(tmp_path / "x.png"), tmp_path / "index", model_ref="m", store=object())
    assert not (tmp_path / "index").exists()
