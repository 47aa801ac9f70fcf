"""Coded clinical content the generator draws from (SNOMED CT, RxNorm, LOINC)."""

from __future__ import annotations

from dataclasses import dataclass

SNOMED = "http://snomed.info/sct"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
LOINC = "http://loinc.org"
ESI_SYSTEM = "https://medfoundry.dev/fhir/CodeSystem/emergency-severity-index"


@dataclass(frozen=True)
class Problem:
    code: str
    display: str
    medication: tuple[str, str, str] | None  # RxNorm code, display, dosage text


PROBLEMS = (
    Problem(
        "38341003", "Hypertension", ("314076", "lisinopril 10 MG Oral Tablet", "1 tablet by mouth daily")
    ),
    Problem(
        "44054006",
        "Diabetes mellitus type 2",
        ("860975", "metformin 500 MG Extended Release Oral Tablet", "1 tablet by mouth twice daily"),
    ),
    Problem(
        "195967001",
        "Asthma",
        ("895994", "fluticasone propionate 0.044 MG/ACTUAT Inhaler", "2 puffs twice daily"),
    ),
    Problem(
        "55822004",
        "Hyperlipidemia",
        ("259255", "atorvastatin 80 MG Oral Tablet", "1 tablet by mouth at bedtime"),
    ),
    Problem(
        "49436004",
        "Atrial fibrillation",
        ("855332", "warfarin sodium 5 MG Oral Tablet", "1 tablet by mouth daily, adjust to INR"),
    ),
    Problem(
        "13645005",
        "Chronic obstructive lung disease",
        ("745679", "albuterol 0.09 MG/ACTUAT Inhaler", "2 puffs every 4 hours as needed"),
    ),
    Problem(
        "35489007",
        "Depressive disorder",
        ("312938", "sertraline 100 MG Oral Tablet", "1 tablet by mouth daily"),
    ),
    Problem("69896004", "Rheumatoid arthritis", None),
)


@dataclass(frozen=True)
class Complaint:
    text: str
    snomed: str
    severity: int  # the ESI level when vitals are normal


COMPLAINTS = (
    Complaint("chest pain", "29857009", 2),
    Complaint("shortness of breath", "267036007", 2),
    Complaint("abdominal pain", "21522001", 3),
    Complaint("fever", "386661006", 4),
    Complaint("cough", "49727002", 5),
    Complaint("ankle sprain", "44465007", 5),
    Complaint("headache", "25064002", 4),
    Complaint("laceration of hand", "312608009", 4),
)

VITALS = {
    "heart_rate": ("8867-4", "Heart rate", "/min"),
    "systolic": ("8480-6", "Systolic blood pressure", "mm[Hg]"),
    "diastolic": ("8462-4", "Diastolic blood pressure", "mm[Hg]"),
    "resp_rate": ("9279-1", "Respiratory rate", "/min"),
    "temperature": ("8310-5", "Body temperature", "Cel"),
    "spo2": ("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry", "%"),
}

ESI_DISPLAY = {
    1: "ESI 1 - resuscitation",
    2: "ESI 2 - emergent",
    3: "ESI 3 - urgent",
    4: "ESI 4 - less urgent",
    5: "ESI 5 - non-urgent",
}

NOTE_TYPES = {
    "progress": ("11506-3", "Progress note"),
    "ed": ("34111-5", "Emergency department note"),
    "discharge": ("18842-5", "Discharge summary"),
}
