"""Header de-identification: every pydicom test file and generated studies with fake PHI."""

from __future__ import annotations

import io
from datetime import date

import pydicom
import pytest
from pydicom.dataset import Dataset

from medfoundry.deid.config import DeidConfig
from medfoundry.deid.patient import date_offset
from medfoundry.imaging.dicom.deid_run import deidentifier_from
from medfoundry.imaging.dicom.deidentify import DicomDeidentifier
from medfoundry.imaging.dicom.dicomweb import to_part10
from medfoundry.imaging.dicom.known import known_identifiers, scan_header, walk_strings
from medfoundry.imaging.dicom.profile import DicomDeidOptions, basic_profile
from medfoundry.imaging.dicom.read import parse
from tests.unit.imaging.dicom.synthetic import fake_study, pydicom_test_files

KEY = b"\x07" * 32


def _round_trip(ds: Dataset) -> Dataset:
    """Written and read back; a header without SOP UIDs cannot be a Part 10 file and is checked as is."""
    if "SOPClassUID" not in ds or "SOPInstanceUID" not in ds:
        return ds
    return parse(to_part10(ds))


def _readable_test_files() -> list[tuple[str, Dataset]]:
    found = []
    for path in pydicom_test_files():
        try:
            found.append((path.name, pydicom.dcmread(path)))
        except Exception:
            continue
    return found


@pytest.fixture(scope="module")
def deidentifier() -> DicomDeidentifier:
    return deidentifier_from(KEY, DeidConfig(), DicomDeidOptions())


def test_the_table_loads_with_its_options() -> None:
    profile = basic_profile()
    assert len(profile) > 300
    assert profile.rule_for(0x00100010).action == "Z"  # Patient's Name
    assert profile.rule_for(0x0020000D).action == "U"  # Study Instance UID
    assert profile.rule_for(0x60024000).action == "X"  # Overlay Comments, repeating group
    retain = DicomDeidOptions(retain_uids=True)
    assert profile.rule_for(0x0020000D).effective(retain) == "K"
    assert profile.rule_for(0x00080020).effective(DicomDeidOptions()) == "C"  # Study Date shifted
    assert profile.rule_for(0x00080020).effective(DicomDeidOptions(retain_dates=False)) == "Z"


def test_every_pydicom_test_file_leaves_no_identifier(deidentifier: DicomDeidentifier) -> None:
    files = _readable_test_files()
    assert len(files) > 70
    checked_with_names = 0
    for name, ds in files:
        known = known_identifiers(ds)
        checked_with_names += bool(known.names)
        deidentifier.deidentify(ds)
        out = _round_trip(ds)
        assert scan_header(out, known).passed, name
        assert out.PatientIdentityRemoved == "YES", name
        assert out.DeidentificationMethodCodeSequence[0].CodeValue == "113100", name
        assert not any(elem.tag.is_private for elem in out.iterall()), name
        assert all(vr != "PN" or text in ("", "ANONYMIZED") for _, vr, text in walk_strings(out)), name
    assert checked_with_names > 40  # the scan had real names to look for


def test_generated_studies_with_fake_phi(deidentifier: DicomDeidentifier) -> None:
    for seed in range(5):
        study = fake_study(seed)
        structure = {(str(d.SeriesInstanceUID), str(d.SOPInstanceUID)) for d in study.instances}
        outputs = []
        for ds in study.instances:
            deidentifier.deidentify(ds)
            outputs.append(_round_trip(ds))
        for out in outputs:
            assert scan_header(out, study.known).passed, [
                h.to_dict() for h in scan_header(out, study.known).hits
            ]
            assert str(out.StudyInstanceUID).startswith("2.25.")
            assert out.file_meta.MediaStorageSOPInstanceUID == out.SOPInstanceUID
            assert "RequestAttributesSequence" not in out
            assert out.ReferencedImageSequence[0].PatientName == ""
        # UID linkage: one study, the same series/instance structure, all UIDs remapped
        assert len({str(o.StudyInstanceUID) for o in outputs}) == 1
        remapped = {(str(o.SeriesInstanceUID), str(o.SOPInstanceUID)) for o in outputs}
        assert len(remapped) == len(structure)
        assert len({s for s, _ in remapped}) == study.series
        assert not remapped & structure
        # references inside sequences follow the remap: each points at its series' first instance
        sops = {str(o.SOPInstanceUID) for o in outputs}
        assert all(str(o.ReferencedImageSequence[0].ReferencedSOPInstanceUID) in sops for o in outputs)


def test_remap_is_consistent_across_runs_and_keys() -> None:
    study = fake_study(1)
    original = str(study.instances[0].StudyInstanceUID)
    first = DicomDeidentifier(KEY)
    second = DicomDeidentifier(KEY)
    other = DicomDeidentifier(b"\x08" * 32)
    a, b, c = (Dataset(), Dataset(), Dataset())
    for ds, engine in ((a, first), (b, second), (c, other)):
        ds.StudyInstanceUID = original
        ds.PatientID = "P1"
        engine.deidentify(ds)
    assert a.StudyInstanceUID == b.StudyInstanceUID != c.StudyInstanceUID
    assert len(a.StudyInstanceUID) <= 64


def test_dates_shift_by_the_fhir_patient_offset() -> None:
    ds = Dataset()
    ds.PatientID = "patient-42"
    ds.StudyDate = "20240315"
    ds.AcquisitionDateTime = "20240315101500.25"
    DicomDeidentifier(KEY, shift_range=(-365, -30)).deidentify(ds)
    offset = date_offset(KEY, "patient-42", min_days=-365, max_days=-30)
    expected = date.fromordinal(date(2024, 3, 15).toordinal() + offset).strftime("%Y%m%d")
    assert ds.StudyDate == expected
    assert ds.AcquisitionDateTime == expected + "101500.25"
    assert ds.LongitudinalTemporalInformationModified == "MODIFIED"


def test_options_retain_uids_and_remove_descriptors() -> None:
    study = fake_study(2)
    ds = study.instances[0]
    uid = str(ds.StudyInstanceUID)
    DicomDeidentifier(
        KEY, DicomDeidOptions(retain_uids=True, clean_descriptors=False, retain_dates=False)
    ).deidentify(ds)
    assert ds.StudyInstanceUID == uid
    assert "StudyDescription" not in ds and "ImageComments" not in ds
    assert ds.StudyDate == "" and ds.LongitudinalTemporalInformationModified == "REMOVED"
    codes = {item.CodeValue for item in ds.DeidentificationMethodCodeSequence}
    assert codes == {"113100", "113110"}


def test_clean_descriptors_keeps_the_clinical_words(deidentifier: DicomDeidentifier) -> None:
    study = fake_study(3)
    ds = study.instances[0]
    deidentifier.deidentify(ds)
    assert "CT chest for" in str(ds.StudyDescription)
    assert scan_header(ds, study.known).passed


def test_file_meta_and_preamble_are_cleaned(deidentifier: DicomDeidentifier) -> None:
    ds = fake_study(4).instances[0]
    buffer = io.BytesIO()
    ds.preamble = b"II*\x00" + b"\x01" * 124
    ds.save_as(buffer, enforce_file_format=True)
    loaded = pydicom.dcmread(io.BytesIO(buffer.getvalue()))
    deidentifier.deidentify(loaded)
    assert loaded.preamble == b"\x00" * 128
    assert loaded.file_meta.MediaStorageSOPInstanceUID.startswith("2.25.")
