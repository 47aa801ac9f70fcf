"""What de-identification knows about one patient: known PHI and the date offset."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from typing import Any

from medfoundry.deid.spans import KnownPHI
from medfoundry.ingest.records import PatientRecord

_PEOPLE = ("Patient", "RelatedPerson")


def date_offset(key: bytes, patient_id: str, *, min_days: int, max_days: int) -> int:
    """The patient's secret date shift: a keyed draw from [min_days, max_days], never 0."""
    digest = hmac.new(key, f"date-offset\x1f{patient_id}".encode(), hashlib.sha256).digest()
    span = max_days - min_days + 1
    offset = min_days + int.from_bytes(digest[:8], "big") % span
    return offset or (min_days if min_days != 0 else 1)


def _names(name: dict[str, Any]) -> Iterator[str]:
    if name.get("text"):
        yield name["text"]
    yield from name.get("given") or []
    if name.get("family"):
        yield name["family"]


def _address(address: dict[str, Any]) -> Iterator[str]:
    yield from address.get("line") or []
    for key in ("city", "district", "postalCode", "text"):
        if address.get(key):
            yield address[key]


def known_from_record(record: PatientRecord) -> KnownPHI:
    """Every name, address, phone, email, identifier and date of the patient and relatives."""
    names: list[str] = []
    addresses: list[str] = []
    phones: list[str] = []
    emails: list[str] = []
    identifiers: list[str] = [record.patient_id]
    dates: list[str] = []
    for resource_type in _PEOPLE:
        for person in record.resources.get(resource_type, []):
            people = [person, *(person.get("contact") or [])]
            for who in people:
                names_field = who.get("name")
                for name in (
                    names_field if isinstance(names_field, list) else [names_field] if names_field else []
                ):
                    names.extend(_names(name))
                addrs = who.get("address")
                for address in addrs if isinstance(addrs, list) else [addrs] if addrs else []:
                    addresses.extend(_address(address))
                for telecom in who.get("telecom") or []:
                    target = emails if telecom.get("system") == "email" else phones
                    if telecom.get("value"):
                        target.append(telecom["value"])
            identifiers.extend(i["value"] for i in person.get("identifier") or [] if i.get("value"))
            for key in ("birthDate", "deceasedDateTime"):
                if person.get(key):
                    dates.append(person[key])
            for extension in person.get("extension") or []:
                url = extension.get("url", "")
                if url.endswith("mothersMaidenName") and extension.get("valueString"):
                    names.append(extension["valueString"])
                if url.endswith("birthPlace") and extension.get("valueAddress"):
                    addresses.extend(_address(extension["valueAddress"]))
    return KnownPHI(
        names=tuple(dict.fromkeys(n for n in names if n)),
        addresses=tuple(dict.fromkeys(a for a in addresses if a)),
        phones=tuple(dict.fromkeys(phones)),
        emails=tuple(dict.fromkeys(emails)),
        identifiers=tuple(dict.fromkeys(identifiers)),
        dates=tuple(dict.fromkeys(dates)),
    )
