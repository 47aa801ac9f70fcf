"""Small helpers to turn FHIR datatypes into readable text (codes by display)."""

from __future__ import annotations

from typing import Any

_SYSTEMS = {
    "http://snomed.info/sct": "SNOMED",
    "http://loinc.org": "LOINC",
    "http://www.nlm.nih.gov/research/umls/rxnorm": "RxNorm",
    "http://hl7.org/fhir/sid/cvx": "CVX",
    "http://hl7.org/fhir/sid/icd-10-cm": "ICD-10-CM",
    "http://hl7.org/fhir/sid/icd-10": "ICD-10",
}


def coding_text(coding: Any, *, codes: bool = True) -> str:
    if not isinstance(coding, dict):
        return ""
    display = coding.get("display") or coding.get("code") or ""
    system = _SYSTEMS.get(str(coding.get("system")))
    if codes and system and coding.get("code") and coding.get("display"):
        return f"{display} ({system} {coding['code']})"
    return str(display)


def concept_text(concept: Any, *, codes: bool = True) -> str:
    """A CodeableConcept as text, the one way every stage names a concept: the first coding's
    display, else the concept's ``text``, else the first code. With ``codes`` the display
    carries its code ('Appendicitis (SNOMED 74400008)'), as the record renderer shows it;
    without, the bare name, as task targets use it, so prompt and target name it alike."""
    if not isinstance(concept, dict):
        return ""
    for coding in concept.get("coding") or []:
        if isinstance(coding, dict) and coding.get("display"):
            return coding_text(coding, codes=codes)
    if concept.get("text"):
        return str(concept["text"])
    codings = concept.get("coding") or []
    return coding_text(codings[0], codes=codes) if codings else ""


def first_concept(value: Any) -> str:
    if isinstance(value, list):
        return next((text for text in map(concept_text, value) if text), "")
    return concept_text(value)


def quantity_text(quantity: Any) -> str:
    if not isinstance(quantity, dict) or "value" not in quantity:
        return ""
    unit = quantity.get("unit") or quantity.get("code") or ""
    value = quantity["value"]
    shown = f"{value:.6g}" if isinstance(value, float) else str(value)
    return f"{shown} {unit}".strip()


def day(value: Any) -> str:
    """The date part of a FHIR date/dateTime, '' when absent."""
    return value[:10] if isinstance(value, str) else ""


def period_start(resource: dict[str, Any], *names: str) -> str:
    for name in names:
        value = resource.get(name)
        if isinstance(value, dict):
            value = value.get("start")
        if isinstance(value, str):
            return value
    return ""


def human_name(patient: dict[str, Any]) -> str:
    for name in patient.get("name") or []:
        if isinstance(name, dict):
            given = " ".join(str(g) for g in name.get("given") or [])
            return " ".join(part for part in (given, str(name.get("family") or "")) if part) or str(
                name.get("text") or ""
            )
    return ""


def extension_text(resource: dict[str, Any], url_suffix: str) -> str:
    for ext in resource.get("extension") or []:
        if isinstance(ext, dict) and str(ext.get("url", "")).endswith(url_suffix):
            for sub in ext.get("extension") or []:
                if isinstance(sub, dict) and sub.get("url") == "text":
                    return str(sub.get("valueString") or "")
    return ""
