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


# Fast path on the serialized resource: one regex search finds any date-like key whose
# value is not a valid FHIR date, or a reference that is not a non-empty string. Only a
# resource that looks wrong here is walked element by element to name the JSON path.
_DATE_KEY_PATTERN = (
    rb'"(?:birthDate|date|issued|recordedDate|authoredOn|start|end|lastUpdated|recorded|[A-Za-z]*DateTime)"'
)
_SUSPICIOUS = re.compile(
    _DATE_KEY_PATTERN
    + rb'\s*:\s*(?!"'
    + _DATE.pattern.strip("^$").encode("ascii")
    + rb'")|"reference"\s*:\s*(?!"[^"])'
)


def _looks_wrong(raw: bytes) -> bool:
    return _SUSPICIOUS.search(raw) is not None


def check_resource(resource: Any, raw: bytes | None = None) -> list[tuple[str, str]]:
    """Problems as (JSON path, reason); an empty list means the resource is kept.

    ``raw`` is the resource's JSON text when the caller has it: then the element walk
    runs only when a quick scan of the text finds something suspicious.
    """
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
    if raw is None or _looks_wrong(raw):
        _walk(resource, "$", problems)
    return problems


def _walk(node: Any, path: str, problems: list[tuple[str, str]]) -> None:
    """Check references and dates everywhere; paths are only built for problems."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(node, ())]
    while stack:
        current, parts = stack.pop()
        if isinstance(current, dict):
            for key, value in current.items():
                if key == "reference":
                    if not isinstance(value, str) or not value:
                        problems.append(
                            (_path(path, (*parts, key)), "a reference must be a non-empty string")
                        )
                elif key in _DATE_KEYS or key.endswith("DateTime"):
                    if not isinstance(value, str) or not _DATE.match(value):
                        problems.append((_path(path, (*parts, key)), "not a valid FHIR date/dateTime"))
                elif isinstance(value, (dict, list)):
                    stack.append((value, (*parts, key)))
        else:
            for index, item in enumerate(current):
                if isinstance(item, (dict, list)):
                    stack.append((item, (*parts, index)))
    problems.sort(key=lambda problem: problem[0])


def _path(root: str, parts: tuple[str | int, ...]) -> str:
    return root + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)
