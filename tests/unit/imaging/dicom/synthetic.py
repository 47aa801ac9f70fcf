"""Generated DICOM studies with fake PHI (Faker, at test time) and the identifiers they hold."""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pydicom
from faker import Faker
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import CTImageStorage, ExplicitVRLittleEndian, generate_uid

from medfoundry.deid.spans import KnownPHI
from tests.cli_inprocess import CliRun, cli_runner

__all__ = ["CliRun", "cli_runner"]


def pydicom_test_files() -> list[Path]:
    """Every .dcm that ships inside the pydicom wheel (no download)."""
    root = Path(os.path.dirname(pydicom.data.__file__)) / "test_files"
    return [Path(p) for p in sorted(glob.glob(str(root / "**" / "*.dcm"), recursive=True))]


@dataclass
class FakeStudy:
    instances: list[Dataset]
    known: KnownPHI
    series: int


def _instance(
    fake: Faker,
    person: dict[str, str],
    study_uid: str,
    series_uid: str,
    number: int,
    first_of_series: str = "",
) -> Dataset:
    frame_uid, source_uid = generate_uid(), generate_uid()
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = CTImageStorage
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.SOPClassUID = CTImageStorage
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID, ds.SeriesInstanceUID = study_uid, series_uid
    ds.FrameOfReferenceUID = frame_uid
    ds.PatientName = person["name"]
    ds.PatientID = person["mrn"]
    ds.PatientBirthDate = person["birth"]
    ds.PatientAddress = person["address"]
    ds.PatientTelephoneNumbers = person["phone"]
    ds.OtherPatientIDs = person["ssn"]
    ds.PatientSex = "F"
    ds.AccessionNumber = person["accession"]
    ds.InstitutionName = person["institution"]
    ds.ReferringPhysicianName = person["doctor"]
    ds.StudyDate = ds.SeriesDate = ds.ContentDate = "20240315"
    ds.StudyTime = "101500"
    ds.StudyDescription = f"CT chest for {person['name'].replace('^', ' ')}"
    ds.SeriesDescription = f"axial {number}"
    ds.ImageComments = (
        f"Patient {person['name'].replace('^', ' ')} MRN {person['mrn']} called {person['phone']}"
    )
    ds.Modality, ds.BodyPartExamined, ds.ViewPosition = "CT", "CHEST", ""
    ds.InstanceNumber = number
    request = Dataset()
    request.RequestedProcedureID = person["accession"]
    ds.RequestAttributesSequence = Sequence([request])
    item = Dataset()  # a kept sequence: cleaned recursively (the name inside is a stress test)
    item.PatientName = person["name"]
    item.ReferencedSOPInstanceUID = first_of_series or ds.SOPInstanceUID
    item.ReferencedSOPClassUID = CTImageStorage
    ds.ReferencedImageSequence = Sequence([item])
    ref = Dataset()
    ref.ReferencedSOPClassUID = CTImageStorage
    ref.ReferencedSOPInstanceUID = source_uid
    ds.SourceImageSequence = Sequence([ref])
    ds.add_new(0x00090010, "LO", "ACME PRIVATE")
    ds.add_new(0x00091001, "LO", person["name"])
    ds.add_new(0x00091002, "LO", person["mrn"])
    ds.Rows = ds.Columns = 8
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
    ds.PixelData = (np.arange(64, dtype=np.uint16) * (number + 1)).tobytes()
    return ds


def fake_study(seed: int, *, series: int = 2, per_series: int = 2) -> FakeStudy:
    fake = Faker()
    fake.seed_instance(seed)
    person = {
        "name": f"{fake.last_name()}^{fake.first_name()}",
        "mrn": f"MRN{fake.numerify('#######')}",
        "birth": fake.date_of_birth(minimum_age=20, maximum_age=90).strftime("%Y%m%d"),
        "address": fake.street_address() + " " + fake.city(),
        "phone": fake.numerify("(###) ###-####"),
        "ssn": fake.ssn(),
        "accession": fake.numerify("ACC#######"),
        "institution": f"{fake.last_name()} Memorial Hospital",
        "doctor": f"{fake.last_name()}^{fake.first_name()}",
    }
    study_uid = generate_uid()
    instances = []
    for s in range(series):
        series_uid = generate_uid()
        first = _instance(fake, person, study_uid, series_uid, s * per_series + 1)
        instances.append(first)
        instances += [
            _instance(fake, person, study_uid, series_uid, s * per_series + i + 1, str(first.SOPInstanceUID))
            for i in range(1, per_series)
        ]
    family, given = person["name"].split("^")
    doctor_family, doctor_given = person["doctor"].split("^")
    known = KnownPHI(
        names=(family, given, doctor_family, doctor_given),
        addresses=(person["address"], person["institution"]),
        phones=(person["phone"],),
        identifiers=(person["mrn"], person["ssn"], person["accession"], person["birth"]),
        dates=(f"{person['birth'][:4]}-{person['birth'][4:6]}-{person['birth'][6:]}",),
    )
    return FakeStudy(instances, known, series)


def write_study(study: FakeStudy, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, ds in enumerate(study.instances, start=1):
        path = folder / f"img{number:04d}.dcm"
        ds.save_as(path, enforce_file_format=True)
        paths.append(path)
    return paths


