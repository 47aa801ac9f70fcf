"""References: which patient a resource belongs to, and rewriting references.

Bundles use ``urn:uuid:`` references resolved inside the bundle; Synthea's Bulk
exports use conditional references (``Practitioner?identifier=system|value``)
resolved by identifier. Both become plain ``Type/id`` references in a record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

PATIENT_LINKS = ("subject", "patient", "beneficiary")

# Resources that are not about one patient: kept once, attached to the records
# that reference them, and the targets of conditional references.
SHARED_TYPES = frozenset(
    {
        "Practitioner",
        "PractitionerRole",
        "Organization",
        "Location",
        "Medication",
        "Substance",
        "HealthcareService",
        "Endpoint",
        "InsurancePlan",
        "Group",
    }
)


def iter_references(node: Any) -> Iterator[dict[str, Any]]:
    """Every Reference object (a dict with a string ``reference``) inside ``node``."""
    if isinstance(node, dict):
        if isinstance(node.get("reference"), str):
            yield node
        for value in node.values():
            if isinstance(value, (dict, list)):
                yield from iter_references(value)
    elif isinstance(node, list):
        for item in node:
            if isinstance(item, (dict, list)):
                yield from iter_references(item)


def rewrite_references(resource: dict[str, Any], resolve: Callable[[str], str | None]) -> int:
    """Replace each reference ``resolve`` knows; returns how many it could not resolve."""
    unresolved = 0
    for ref in iter_references(resource):
        target = ref["reference"]
        if not is_indirect(target):
            continue
        resolved = resolve(target)
        if resolved is None:
            unresolved += 1
        else:
            ref["reference"] = resolved
    return unresolved


def is_indirect(reference: str) -> bool:
    return reference.startswith("urn:uuid:") or "?" in reference


def patient_reference(resource: dict[str, Any]) -> str | None:
    """``Patient/<id>`` (or a conditional Patient reference) this resource is about."""
    if resource.get("resourceType") == "Patient":
        rid = resource.get("id")
        return f"Patient/{rid}" if isinstance(rid, str) else None
    for name in PATIENT_LINKS:
        link = resource.get(name)
        if isinstance(link, dict):
            target = link.get("reference")
            if isinstance(target, str) and target.startswith("Patient"):
                return target
    return None


def identifier_keys(resource: dict[str, Any]) -> Iterator[str]:
    """Keys under which a conditional reference can find this resource."""
    rtype = resource.get("resourceType")
    for ident in resource.get("identifier") or []:
        if isinstance(ident, dict) and isinstance(ident.get("value"), str):
            yield f"{rtype}?identifier={ident.get('system') or ''}|{ident['value']}"


def conditional_key(reference: str) -> str | None:
    """Normalise ``Type?identifier=system|value`` to the key ``identifier_keys`` yields."""
    rtype, _, query = reference.partition("?")
    for part in query.split("&"):
        name, _, value = part.partition("=")
        if name == "identifier" and "|" in value:
            return f"{rtype}?identifier={value}"
        if name == "identifier":
            return f"{rtype}?identifier=|{value}"
    return None
