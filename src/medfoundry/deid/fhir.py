"""Safe Harbor rules for structured FHIR resources, one rule per kind of element.

- names (HumanName) → surrogate names; organization and location names → surrogates;
  ``text.div`` narratives → removed;
- addresses: street, city, district → surrogates/removed, ZIP → 3 digits (``000`` for
  sparse areas), state and country kept, geolocation removed;
- telecom → the PHONE/EMAIL operator; identifiers, ids and references → keyed pseudonyms;
- every date → shifted by the patient's offset, or cut to the year (year-only policy);
  a birth date of someone 90 or older → removed (Safe Harbor's "90 or older");
- extensions carrying PHI (mother's maiden name, birthplace, geolocation) → removed;
- attachments: the data is removed (notes carry their de-identified text);
- free-text fields and ``Reference.display`` → the text de-identifier.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from typing import Any

from medfoundry.deid.operators import Context, pseudonym
from medfoundry.deid.spans import KnownPHI
from medfoundry.deid.text import TextDeidentifier
from medfoundry.deid.zip3 import safe_zip

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?)?)?$")
_FREE_TEXT = frozenset(
    {"text", "comment", "description", "valueString", "patientInstruction", "display", "title", "summary"}
)
_DROP_EXTENSIONS = ("mothersMaidenName", "birthPlace", "geolocation", "patient-birthTime")
_PEOPLE = frozenset({"Patient", "RelatedPerson", "Practitioner", "Person"})
_PLACES = frozenset({"Organization", "Location", "HealthcareService", "InsurancePlan"})
AGE_LIMIT = 90


def _is_terminology(parent: dict[str, Any], key: str) -> bool:
    """A Coding's display or a CodeableConcept's text: medical vocabulary, kept as is."""
    if key == "display":
        return "reference" not in parent and ("code" in parent or "system" in parent)
    return key == "text" and "coding" in parent


class ResourceDeidentifier:
    """De-identifies one patient's resources in place of a copy; counts what it changed."""

    def __init__(
        self, text: TextDeidentifier, ctx: Context, known: KnownPHI | None, *, reference_date: date
    ) -> None:
        self.text = text
        self.ctx = ctx
        self.known = known
        self.reference_date = reference_date
        self.counts: Counter[str] = Counter()

    def pseudo(self, value: str) -> str:
        return pseudonym(self.ctx.key, value, length=32)

    def resource(self, resource: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = self.node(resource, resource.get("resourceType", ""), "")
        out.pop("text", None) if isinstance(resource.get("text"), dict) else None
        if "id" in out:
            out["id"] = self.pseudo(str(resource["id"]))
        if out.get("resourceType") in _PEOPLE and resource.get("birthDate"):
            self._birth_date(resource, out)
        return out

    def node(self, value: Any, resource_type: str, key: str) -> Any:
        if isinstance(value, dict):
            return self._dict(value, resource_type, key)
        if isinstance(value, list):
            return [self.node(item, resource_type, key) for item in value]
        if isinstance(value, str):
            if key in ("name", "alias") and resource_type in _PLACES:
                self.counts["LOCATION\x1fstructured"] += 1
                return self.text.replace(value, "LOCATION", self.ctx)
            return self._string(value, key)
        return value

    def _dict(self, value: dict[str, Any], resource_type: str, key: str) -> dict[str, Any]:
        if key == "name" and (
            "family" in value or "given" in value or ("text" in value and resource_type in _PEOPLE)
        ):
            return self._human_name(value)
        if key == "address" or "postalCode" in value or "line" in value:
            return self._address(value)
        if key == "telecom" or (
            "system" in value and value.get("system") in ("phone", "fax", "email", "url", "sms")
        ):
            return self._telecom(value)
        if key == "identifier" and "value" in value:
            self.counts["ID\x1fstructured"] += 1
            return {
                **{k: self.node(v, resource_type, k) for k, v in value.items() if k != "value"},
                "value": self.pseudo(str(value["value"])),
            }
        if key == "attachment":
            return self._attachment(value)
        out: dict[str, Any] = {}
        for child_key, child in value.items():
            if child_key == "extension" and isinstance(child, list):
                child = [e for e in child if not any(d in str(e.get("url", "")) for d in _DROP_EXTENSIONS)]
                self.counts["EXTENSION\x1fstructured"] += len(value["extension"]) - len(child)
            if child_key == "reference" and isinstance(child, str):
                out[child_key] = self._reference(child)
            elif child_key == "div":
                self.counts["NARRATIVE\x1fstructured"] += 1
            elif _is_terminology(value, child_key):
                out[child_key] = child
            else:
                out[child_key] = self.node(child, resource_type, child_key)
        return out

    def _string(self, value: str, key: str) -> str:
        if _DATE.match(value) and key not in ("id", "code", "version", "system", "value"):
            self.counts["DATE\x1fstructured"] += 1
            return self.text.replace(value, "DATE", self.ctx) if "-" in value else value
        if key in _FREE_TEXT:
            return self.text.deidentify(value, self.ctx, known=self.known, counts=self.counts).text
        return value

    def _human_name(self, name: dict[str, Any]) -> dict[str, Any]:
        self.counts["NAME\x1fstructured"] += 1
        out = {k: v for k, v in name.items() if k in ("use", "period")}
        for field in ("family", "text"):
            if name.get(field):
                out[field] = self.text.replace(name[field], "NAME", self.ctx)
        if name.get("given"):
            out["given"] = [self.text.replace(g, "NAME", self.ctx) for g in name["given"]]
        for field in ("prefix", "suffix"):
            if name.get(field):
                out[field] = name[field]
        if "period" in out:
            out["period"] = self.node(out["period"], "", "period")
        return out

    def _address(self, address: dict[str, Any]) -> dict[str, Any]:
        self.counts["ADDRESS\x1fstructured"] += 1
        out = {k: v for k, v in address.items() if k in ("use", "type", "state", "country")}
        if address.get("line"):
            out["line"] = [self.text.replace(line, "ADDRESS", self.ctx) for line in address["line"]]
        if address.get("city"):
            out["city"] = self.text.replace(address["city"], "LOCATION", self.ctx)
        if address.get("postalCode"):
            out["postalCode"] = safe_zip(address["postalCode"])
        return out

    def _telecom(self, telecom: dict[str, Any]) -> dict[str, Any]:
        out = {k: v for k, v in telecom.items() if k != "value"}
        if telecom.get("value"):
            type_ = {"email": "EMAIL", "url": "URL", "fax": "FAX"}.get(str(telecom.get("system")), "PHONE")
            self.counts[f"{type_}\x1fstructured"] += 1
            out["value"] = self.text.replace(str(telecom["value"]), type_, self.ctx)
        return out

    def _attachment(self, attachment: dict[str, Any]) -> dict[str, Any]:
        out = {k: v for k, v in attachment.items() if k in ("contentType", "language", "title")}
        if "data" in attachment or "url" in attachment:
            self.counts["ATTACHMENT\x1fstructured"] += 1
        if out.get("title"):
            out["title"] = self.text.deidentify(out["title"], self.ctx, known=self.known).text
        return out

    def _reference(self, reference: str) -> str:
        if reference.startswith("#"):
            return reference
        if reference.startswith("urn:uuid:"):
            return "urn:uuid:" + self.pseudo(reference[9:])
        if "?" in reference:
            resource_type, _, query = reference.partition("?")
            return f"{resource_type}?identifier={self.pseudo(query)}"
        resource_type, _, ident = reference.rpartition("/")
        return f"{resource_type}/{self.pseudo(ident)}" if resource_type else self.pseudo(reference)

    def _birth_date(self, original: dict[str, Any], out: dict[str, Any]) -> None:
        try:
            born = date.fromisoformat(str(original["birthDate"])[:10])
        except ValueError:
            return
        end = self.reference_date
        if original.get("deceasedDateTime"):
            try:
                end = date.fromisoformat(str(original["deceasedDateTime"])[:10])
            except ValueError:
                pass
        age = end.year - born.year - ((end.month, end.day) < (born.month, born.day))
        if age >= AGE_LIMIT:
            out.pop("birthDate", None)
            out.setdefault("extension", []).append(
                {
                    "url": "https://medfoundry.dev/fhir/StructureDefinition/deid-age",
                    "valueString": "90 or older",
                }
            )
            self.counts["AGE\x1fstructured"] += 1
