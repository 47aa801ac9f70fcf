"""De-identifying one DICOM header with the PS3.15 Annex E Basic Profile and its options.

Every element is visited, file meta and sequence items included. Private elements are
removed. A listed element gets its table action (after options); an element the table
does not list gets a safety-net action by VR: person names emptied, UIDs remapped, dates
shifted (or emptied without the dates option), sequences cleaned recursively, and any
other text searched for this instance's own identifiers, which are replaced.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset
from pydicom.multival import MultiValue
from pydicom.sequence import Sequence

from medfoundry.deid.detectors.known import matcher_for
from medfoundry.deid.operators import Context, pseudonym
from medfoundry.deid.patient import date_offset
from medfoundry.deid.spans import KnownPHI
from medfoundry.deid.text import TextDeidentifier
from medfoundry.imaging.dicom.burned_in import burned_in_risk
from medfoundry.imaging.dicom.dates import shift_multi
from medfoundry.imaging.dicom.known import known_identifiers
from medfoundry.imaging.dicom.profile import DicomDeidOptions, Profile, basic_profile
from medfoundry.imaging.dicom.uids import remap_uid

PIXEL_DATA = 0x7FE00010
TEXT_CACHE_SIZE = 4096
PATIENT_ID = 0x00100020
FREE_TEXT_VRS = frozenset({"LO", "LT", "SH", "ST", "UT", "UC"})
MAX_LENGTH = {"SH": 16, "LO": 64, "ST": 1024, "LT": 10240, "UC": 1 << 20, "UT": 1 << 20}
DUMMY = {"PN": "ANONYMIZED", "LO": "ANONYMIZED", "SH": "ANONYMIZED", "LT": "ANONYMIZED",
         "ST": "ANONYMIZED", "UT": "ANONYMIZED", "UC": "ANONYMIZED", "CS": "ANONYMIZED",
         "DA": "19000101", "DT": "19000101000000", "TM": "000000", "AS": "000Y", "DS": "0", "IS": "0"}  # fmt: skip
METHOD_CODES = {  # DICOM PS3.16 CID 7050 De-identification Method
    "basic": ("113100", "Basic Application Confidentiality Profile"),
    "pixels": ("113101", "Clean Pixel Data Option"),
    "descriptors": ("113105", "Clean Descriptors Option"),
    "dates": ("113107", "Retain Longitudinal Temporal Information Modified Dates Option"),
    "uids": ("113110", "Retain UIDs Option"),
}


def unlisted_action(vr: str, options: DicomDeidOptions) -> str:
    """The safety net for attributes Table E.1-1 does not list, by VR.

    S is not a table action: the text keeps its value minus this instance's own identifiers.
    """
    if vr == "SQ":
        return "K"
    if vr == "PN":
        return "Z"
    if vr == "UI":
        return "K" if options.retain_uids else "U"
    if vr in ("DA", "DT"):
        return "C" if options.retain_dates else "Z"
    if vr in FREE_TEXT_VRS or vr == "UN":
        return "S"
    return "K"


@dataclass
class InstanceReport:
    """What happened to one instance (counts only: no values)."""

    actions: Counter[str] = field(default_factory=Counter)
    burned_in_risk: tuple[str, ...] = ()
    ocr_boxes: int = 0
    ocr_residual: int = 0


class DicomDeidentifier:
    """Applies the profile with ``options``; UIDs, pseudonyms and date offsets are keyed with ``key``."""

    def __init__(
        self,
        key: bytes,
        options: DicomDeidOptions | None = None,
        *,
        text: TextDeidentifier | None = None,
        shift_range: tuple[int, int] = (-365, -30),
        profile: Profile | None = None,
    ) -> None:
        self.key = key
        self.options = options or DicomDeidOptions()
        self.text = text
        self.shift_range = shift_range
        self.profile = profile or basic_profile()
        # descriptors repeat across a series' instances: the text engine runs once per
        # (patient, identifiers, value); the engine is deterministic for those inputs
        self.text_cache: dict[tuple[str, int, KnownPHI, str, str], str] = {}

    def patient_of(self, ds: Dataset) -> str:
        """The id the date offset and the pseudonymous PatientID are keyed on."""
        return str(ds.get("PatientID", "") or "").strip() or str(ds.get("PatientName", "") or "").strip()

    def deidentify(self, ds: Dataset) -> InstanceReport:
        """Change ``ds`` in place; returns what was done."""
        report = InstanceReport(burned_in_risk=tuple(burned_in_risk(ds)))
        patient = self.patient_of(ds)
        offset = date_offset(self.key, patient, min_days=self.shift_range[0], max_days=self.shift_range[1])
        walk = _Walk(self, known_identifiers(ds), patient, offset, report.actions)
        if getattr(ds, "file_meta", None) is not None:
            walk.clean(ds.file_meta)
        walk.clean(ds)
        if getattr(ds, "preamble", None):
            ds.preamble = b"\x00" * 128
        self.mark(ds)
        return report

    def mark(self, ds: Dataset, *, pixels_cleaned: bool = False) -> None:
        """PatientIdentityRemoved, the method and its codes, and what happened to dates."""
        used = ["basic"] + [o for o in ("descriptors", "dates", "uids") if self.options.retains(o)]
        if pixels_cleaned:
            used.append("pixels")
        ds.PatientIdentityRemoved = "YES"
        ds.DeidentificationMethod = ["PS3.15 E.1-1 Basic Profile", "medfoundry"]
        items = []
        for name in used:
            code = Dataset()
            code.CodeValue, code.CodeMeaning = METHOD_CODES[name]
            code.CodingSchemeDesignator = "DCM"
            items.append(code)
        ds.DeidentificationMethodCodeSequence = Sequence(items)
        ds.LongitudinalTemporalInformationModified = "MODIFIED" if self.options.retain_dates else "REMOVED"


class _Walk:
    def __init__(
        self, owner: DicomDeidentifier, known: KnownPHI, patient: str, offset: int, counts: Counter[str]
    ) -> None:
        self.owner = owner
        self.options = owner.options
        self.known = known
        self.matcher = None if known.is_empty() else matcher_for(known)
        self.patient = patient
        self.offset = offset
        self.counts = counts
        self._context: Context | None = None

    def clean(self, ds: Dataset) -> None:
        for tag in list(ds.keys()):
            if tag == PIXEL_DATA:
                continue
            if tag.is_private:
                del ds[tag]
                self.counts["private"] += 1
                continue
            elem = ds[tag]
            rule = self.owner.profile.rule_for(int(tag))
            action = rule.effective(self.options) if rule else unlisted_action(elem.VR, self.options)
            self.counts[action] += 1
            self._apply(ds, elem, action)

    def _apply(self, ds: Dataset, elem: DataElement, action: str) -> None:
        vr = elem.VR
        if action == "X":
            del ds[elem.tag]
        elif vr == "SQ":
            if action == "Z":
                elem.value = Sequence()
            else:  # K, D, C: the items are cleaned with the same rules
                for item in elem.value or []:
                    self.clean(item)
        elif action == "U":
            elem.value = self._map(elem.value, lambda uid: remap_uid(self.owner.key, uid))
        elif action == "Z":
            elem.value = self._zero(elem)
        elif action == "D":
            elem.value = self._shifted(elem) if vr in ("DA", "DT") else DUMMY.get(vr, self._zero(elem))
        elif action == "C":
            elem.value = self._clean_value(elem)
        elif action == "S":
            elem.value = self._scrubbed(elem)

    def _map(self, value: Any, change: Any) -> Any:
        if isinstance(value, list | MultiValue):
            return [change(str(v)) for v in value]
        return None if value is None else change(str(value))

    def _zero(self, elem: DataElement) -> Any:
        if elem.tag == PATIENT_ID and self.patient:
            return pseudonym(self.owner.key, self.patient, length=32)
        return "" if elem.VR in DUMMY or elem.VR in ("UI", "AE", "UR") else None

    def _shifted(self, elem: DataElement) -> Any:
        if not self.options.retain_dates:
            return DUMMY[elem.VR]
        if elem.value in (None, ""):
            return elem.value
        raw = (
            "\\".join(map(str, elem.value)) if isinstance(elem.value, list | MultiValue) else str(elem.value)
        )
        shifted = shift_multi(raw, self.offset, elem.VR)
        return "" if shifted is None else shifted

    def _clean_value(self, elem: DataElement) -> Any:
        vr = elem.VR
        if vr in ("DA", "DT"):
            return self._shifted(elem)
        if vr == "TM":
            return elem.value  # times keep their clock value; the date carries the shift
        if vr in FREE_TEXT_VRS or vr == "PN":
            return self._map(elem.value, lambda text: self._clean_text(text, vr))
        return self._zero(elem)

    def _clean_text(self, text: str, vr: str) -> str:
        engine = self.owner.text
        if engine is None:
            return ""
        cache = self.owner.text_cache
        key = (self.patient, self.offset, self.known, vr, text)
        cached = cache.get(key)
        if cached is None:
            if len(cache) >= TEXT_CACHE_SIZE:
                cache.clear()
            cached = cache[key] = self._clean_text_now(text, vr)
        return cached

    def _clean_text_now(self, text: str, vr: str) -> str:
        engine = self.owner.text
        assert engine is not None
        if self._context is None:
            self._context = Context(
                key=self.owner.key,
                patient_id=self.patient,
                date_offset_days=self.offset,
                date_policy="shift" if self.options.retain_dates else "year_only",
            )
        cleaned = engine.deidentify(text, self._context, known=self.known).text
        return self._scrub_text(cleaned)[: MAX_LENGTH.get(vr, 64)]

    def _scrubbed(self, elem: DataElement) -> Any:
        if self.matcher is None or elem.value in (None, ""):
            return elem.value
        if elem.VR == "UN" or isinstance(elem.value, bytes):
            text = bytes(elem.value).decode("latin-1", "replace")
            return elem.value if text == self._scrub_text(text) else b""
        return self._map(elem.value, self._scrub_text)

    def _scrub_text(self, text: str) -> str:
        if self.matcher is None:
            return text
        spans = sorted(self.matcher.find(text), key=lambda s: s.start, reverse=True)
        for span in spans:
            text = text[: span.start] + f"[{span.type}]" + text[span.end :]
        return text
