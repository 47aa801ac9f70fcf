"""Burned-in text: which instances are at risk, from the header alone.

The header cannot prove an image is free of burned-in text, so these are flags for
review or for the OCR pass (``medfoundry.imaging.dicom.ocr``), not a verdict.
"""

from __future__ import annotations

from collections.abc import Iterator

from pydicom.dataset import Dataset

# Modalities whose images commonly carry burned-in annotations (ultrasound, secondary
# capture, other, angiography, endoscopy, general microscopy, slide microscopy, photographs, documents).
RISKY_MODALITIES = frozenset({"US", "SC", "OT", "XA", "ES", "GM", "SM", "XC", "DOC", "IVUS"})
SECONDARY_CAPTURE_PREFIX = "1.2.840.10008.5.1.4.1.1.7"  # every Secondary Capture SOP class
ULTRASOUND_PREFIXES = ("1.2.840.10008.5.1.4.1.1.6.", "1.2.840.10008.5.1.4.1.1.3.")


def burned_in_risk(ds: Dataset) -> Iterator[str]:
    """Reasons (no values) why ``ds`` may show identifying text in its pixels."""
    if str(ds.get("BurnedInAnnotation", "") or "").upper() == "YES":
        yield "BurnedInAnnotation=YES"
    if str(ds.get("RecognizableVisualFeatures", "") or "").upper() == "YES":
        yield "RecognizableVisualFeatures=YES"
    modality = str(ds.get("Modality", "") or "").upper()
    if modality in RISKY_MODALITIES:
        yield f"modality {modality}"
    sop_class = str(ds.get("SOPClassUID", "") or "")
    if sop_class.startswith(SECONDARY_CAPTURE_PREFIX):
        yield "secondary capture SOP class"
    elif sop_class.startswith(ULTRASOUND_PREFIXES):
        yield "ultrasound SOP class"
