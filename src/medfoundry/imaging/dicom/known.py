"""The identifiers one DICOM header reveals, and a scan of a header for them.

``known_identifiers`` reads a raw header (every person name, the patient's ids, birth
date, address and phones, anywhere, sequences included); ``scan_header`` lists every
string value of a header (sequences and file meta included) with its location, and
searches them with the same matcher as the FHIR residual-PHI scan.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from pydicom.dataset import Dataset
from pydicom.multival import MultiValue

from medfoundry.deid.scan import ScanResult, scan_texts
from medfoundry.deid.spans import KnownPHI

TEXT_VRS = frozenset(
    {"AE", "AS", "CS", "DA", "DS", "DT", "IS", "LO", "LT", "PN", "SH", "ST", "TM", "UC", "UR", "UT"}
)
_ID_KEYWORDS = (
    "PatientID", "OtherPatientIDs", "AccessionNumber", "MedicalRecordLocator", "AdmissionID",
    "IssuerOfPatientID", "ServiceEpisodeID", "PerformedProcedureStepID", "RequestedProcedureID",
    "PlacerOrderNumberImagingServiceRequest", "FillerOrderNumberImagingServiceRequest",
    "InsurancePlanIdentification", "DeviceSerialNumber",
)  # fmt: skip
_ADDRESS_KEYWORDS = ("PatientAddress", "InstitutionAddress", "ReferringPhysicianAddress", "PersonAddress")
_PLACE_KEYWORDS = ("InstitutionName", "InstitutionalDepartmentName", "StationName", "RegionOfResidence")
_PHONE_KEYWORDS = ("PatientTelephoneNumbers", "ReferringPhysicianTelephoneNumbers", "PersonTelephoneNumbers")
_DATE_KEYWORDS = ("PatientBirthDate",)
_MIN_ID_LENGTH = 3
_MIN_NAME_LETTERS = 3


def _values(value: object) -> list[str]:
    items = value if isinstance(value, list | MultiValue) else [value]
    return [str(v).strip() for v in items if v is not None and str(v).strip()]


def walk_strings(ds: Dataset, where: str = "") -> Iterator[tuple[str, str, str]]:
    """``(location, VR, text)`` for every string value, recursing into sequences and file meta."""
    meta = getattr(ds, "file_meta", None)
    if meta is not None and not where:
        yield from walk_strings(meta, "meta")
    for elem in ds:
        location = f"{where}/{elem.tag.group:04X}{elem.tag.element:04X}"
        if elem.VR == "SQ":
            for index, item in enumerate(elem.value or []):
                yield from walk_strings(item, f"{location}[{index}]")
        elif elem.VR in TEXT_VRS or elem.VR == "UN" or (elem.VR == "OB" and elem.tag.is_private):
            raw = elem.value
            if isinstance(raw, bytes):
                raw = raw.decode("latin-1", "replace")
            for text in _values(raw):
                yield location, elem.VR, text


def _iso(da: str) -> str:
    return f"{da[:4]}-{da[4:6]}-{da[6:8]}" if len(da) == 8 and da.isdigit() else da


def _name_parts(person_names: Iterable[str]) -> Iterator[str]:
    for text in person_names:
        for part in text.replace("=", "^").split("^"):
            # parts of under 3 letters ("MR1", "Jr") would match codes such as the modality
            if len(part.strip().rstrip("0123456789")) >= _MIN_NAME_LETTERS:
                yield part.strip()


def known_from(person_names: Iterable[str], values_of: Callable[[str], list[str]]) -> KnownPHI:
    """The identifiers, from every person name and the values of top-level keywords."""

    def top(keywords: tuple[str, ...]) -> list[str]:
        return [v for k in keywords for v in values_of(k)]

    ids = [v for v in top(_ID_KEYWORDS) if len(v) >= _MIN_ID_LENGTH]
    dates = top(_DATE_KEYWORDS)
    return KnownPHI(
        names=tuple(dict.fromkeys(_name_parts(person_names))),
        addresses=tuple(dict.fromkeys(top(_ADDRESS_KEYWORDS) + top(_PLACE_KEYWORDS))),
        phones=tuple(dict.fromkeys(top(_PHONE_KEYWORDS))),
        identifiers=tuple(dict.fromkeys(ids + [d for d in dates if len(d) == 8])),
        dates=tuple(dict.fromkeys(_iso(d) for d in dates)),
    )


def known_identifiers(ds: Dataset) -> KnownPHI:
    """What a de-identified copy of ``ds`` must not contain."""
    names = (text for _, vr, text in walk_strings(ds) if vr == "PN")
    return known_from(names, lambda keyword: _values(ds.get(keyword)))


def scan_header(ds: Dataset, known: KnownPHI, name: str = "") -> ScanResult:
    """Every string value of ``ds`` searched for ``known`` identifiers (locations name tags, not values)."""
    return scan_texts(((f"{name}{where}", text) for where, _, text in walk_strings(ds)), known=known)
