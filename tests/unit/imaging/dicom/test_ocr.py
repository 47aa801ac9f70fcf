"""Burned-in text: risk flags from the header, and the OCR pass on RGB multi-frame pixels."""

from __future__ import annotations

import os

import numpy as np
import pydicom
import pytest
from faker import Faker
from PIL import Image, ImageDraw, ImageFont
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, UltrasoundMultiFrameImageStorage, generate_uid

from medfoundry.imaging.dicom.burned_in import burned_in_risk
from medfoundry.imaging.dicom.ocr import blank_burned_in_text, ocr_available, text_boxes
from medfoundry.imaging.dicom.read import decode_pixels


def _frame_with_text(text: str) -> np.ndarray:
    image = Image.new("RGB", (320, 96), (0, 0, 0))
    ImageDraw.Draw(image).text((12, 24), text, fill=(255, 255, 255), font=ImageFont.load_default(size=36))
    return np.asarray(image).copy()


def _ultrasound(frames: list[np.ndarray]) -> Dataset:
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SOPClassUID, ds.SOPInstanceUID = UltrasoundMultiFrameImageStorage, generate_uid()
    ds.Modality, ds.BurnedInAnnotation = "US", "YES"
    ds.set_pixel_data(np.stack(frames), "RGB", 8)
    return ds


def test_risk_flags_name_their_reason() -> None:
    ds = Dataset()
    ds.Modality, ds.BurnedInAnnotation, ds.SOPClassUID = "US", "YES", UltrasoundMultiFrameImageStorage
    assert list(burned_in_risk(ds)) == ["BurnedInAnnotation=YES", "modality US", "ultrasound SOP class"]
    ct = Dataset()
    ct.Modality, ct.SOPClassUID = "CT", "1.2.840.10008.5.1.4.1.1.2"
    assert list(burned_in_risk(ct)) == []


def _need_tesseract() -> None:
    """Skip on a developer machine without tesseract; fail in CI, which installs it (.ci/run)."""
    if not ocr_available():
        message = "tesseract-ocr is not installed (apt-get install tesseract-ocr)"
        if os.environ.get("CI"):
            pytest.fail(message + ": CI installs it (.ci/run)")
        pytest.skip(message)


@pytest.mark.slow
def test_text_is_blanked_on_every_frame_of_rgb_multiframe() -> None:
    _need_tesseract()
    fake = Faker()
    fake.seed_instance(5)
    words = [fake.last_name().upper() for _ in range(2)]
    ds = _ultrasound([_frame_with_text(words[0]), _frame_with_text(words[1])])
    assert all(text_boxes(frame) for frame in decode_pixels(ds))  # OCR reads the text before
    outcome = blank_burned_in_text(ds)
    assert outcome.frames == 2 and outcome.boxes >= 2 and outcome.residual == 0
    after = decode_pixels(ds)
    assert after.shape == (2, 96, 320, 3)
    assert all(not text_boxes(frame) for frame in after)
    assert int(after.max()) == 0  # the only bright pixels were the text
    assert ds.BurnedInAnnotation == "NO"


@pytest.mark.slow
def test_deid_run_with_ocr_from_the_cli(store, tmp_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from tests.unit.imaging.dicom.synthetic import cli_runner

    _need_tesseract()
    run = cli_runner(monkeypatch, capsys)
    fake = Faker()
    fake.seed_instance(8)
    ds = _ultrasound([_frame_with_text(fake.last_name().upper())])
    ds.StudyInstanceUID, ds.SeriesInstanceUID = generate_uid(), generate_uid()
    ds.file_meta.MediaStorageSOPClassUID, ds.file_meta.MediaStorageSOPInstanceUID = (
        ds.SOPClassUID,
        ds.SOPInstanceUID,
    )
    (tmp_path / "us").mkdir()
    ds.save_as(tmp_path / "us" / "1.dcm", enforce_file_format=True)
    assert run("data", "ingest", str(tmp_path / "us"), "--name", "us").code == 0
    plain = run("deid", "run", "us@1", "--json")
    assert plain.code == 0 and plain.json()["burned_in_risk"] == 1
    warned = run("data", "export", "us@2", "-o", str(tmp_path / "plain"), "--json")
    assert warned.json()["burned_in_risk"] == 1 and "--ocr" in warned.stderr
    done = run("deid", "run", "us@1", "--ocr", "--json")
    assert done.code == 0, done.stderr
    assert done.json()["burned_in_risk"] == 1
    assert done.json()["ocr"]["boxes"] >= 1 and done.json()["ocr"]["residual"] == 0
    exported_ocr = run("data", "export", "us@3", "-o", str(tmp_path / "out"), "--json")
    assert exported_ocr.code == 0 and exported_ocr.json()["burned_in_risk"] == 0
    exported = pydicom.dcmread(next((tmp_path / "out").rglob("*.dcm")))
    assert int(exported.pixel_array.max()) == 0
    assert {item.CodeValue for item in exported.DeidentificationMethodCodeSequence} >= {"113100", "113101"}


def test_ocr_without_tesseract_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from medfoundry.imaging.dicom import ocr

    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    with pytest.raises(ocr.TesseractMissing) as missing:
        ocr.require_ocr()
    assert "apt-get install tesseract-ocr" in (missing.value.hint or "")
