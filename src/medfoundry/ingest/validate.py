"""The fast structural check every resource passes before it is kept.

It checks what breaks later stages (shape, resource type, ids, references, dates,
the few elements R4 requires) and names other FHIR versions; it never reports a
field's value, only its JSON path. ``--strict`` adds full R4B model validation.
"""

from __future__ import annotations

import re
from typing import Any

from medfoundry.ingest.fhir_versions import R4_TYPES, other_version

_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
_DATE = re.compile(
    r"^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)"
    r"(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])"
    r"(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]{1,9})?"
    r"(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?$"
)
_DATE_KEYS = frozenset(
    {"birthDate", "date", "issued", "recordedDate", "authoredOn", "start", "end", "lastUpdated", "recorded"}
)

# Elements R4 requires (cardinality 1..*) on the resources a patient record holds.
REQUIRED: dict[str, tuple[str, ...]] = {
    "Encounter": ("status", "class"),
    "Condition": ("subject",),
    "Observation": ("status", "code"),
    "Procedure": ("status", "subject"),
    "MedicationRequest": ("status", "intent", "subject"),
    "Immunization": ("status", "vaccineCode", "patient"),
    "AllergyIntolerance": ("patient",),
    "DiagnosticReport": ("status", "code"),
    "DocumentReference": ("status", "content"),
    "CarePlan": ("status", "intent", "subject"),
    "Goal": ("lifecycleStatus", "description", "subject"),
    "Claim": ("status", "type", "use", "patient", "created", "provider", "priority", "insurance"),
    "ExplanationOfBenefit": ("status", "type", "use", "patient", "created", "insurer", "provider"),
    "ImagingStudy": ("status", "subject"),
}


def check_resource(resource: Any) -> list[tuple[str, str]]:
    """Problems as (JSON path, reason); an empty list means the resource is kept."""
    if not isinstance(resource, dict):
        return [("$", f"expected a JSON object (a FHIR resource), found {type(resource).__name__}")]
    rtype = resource.get("resourceType")
    if not isinstance(rtype, str) or not rtype:
        return [("$.resourceType", "missing: every FHIR resource needs a resourceType")]
    version = other_version(resource)
    if version is not None:
        name, field = version
        return [(f"$.{field}", f"{rtype} content is FHIR {name}, not R4: export it as FHIR R4")]
    if rtype not in R4_TYPES:
        return [("$.resourceType", f"'{rtype}' is not a FHIR R4 resource type")]
    problems: list[tuple[str, str]] = []
    rid = resource.get("id")
    if rid is not None and not (isinstance(rid, str) and _ID.match(rid)):
        problems.append(("$.id", "not a valid FHIR id (1-64 of A-Z a-z 0-9 - .)"))
    for name in REQUIRED.get(rtype, ()):
        if resource.get(name) in (None, "", [], {}):
            problems.append((f"$.{name}", f"missing: {rtype}.{name} is required in FHIR R4"))
    _walk(resource, "$", problems)
    return problems


def _walk(node: Any, path: str, problems: list[tuple[str, str]]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            child = f"{path}.{key}"
            if key == "reference":
                if not isinstance(value, str) or not value:
                    problems.append((child, "a reference must be a non-empty string"))
            elif key in _DATE_KEYS or key.endswith("DateTime"):
                if not isinstance(value, str) or not _DATE.match(value):
                    problems.append((child, "not a valid FHIR date/dateTime"))
            elif isinstance(value, (dict, list)):
                _walk(value, child, problems)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            if isinstance(item, (dict, list)):
                _walk(item, f"{path}[{index}]", problems)
