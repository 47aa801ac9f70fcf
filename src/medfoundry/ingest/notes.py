"""Clinical notes from DocumentReference and DiagnosticReport attachments.

Base64 ``text/plain`` (any charset) is decoded; other content types are listed with
``text=None`` so later stages know a note exists that was not decoded.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from typing import Any

from medfoundry.ingest.records import Note
from medfoundry.ingest.text import concept_text


def _charset(content_type: str) -> str:
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset" and value:
            return value.strip('"')
    return "utf-8"


def decode_attachment(attachment: dict[str, Any]) -> tuple[str, str | None]:
    """(content type, decoded text or None) for one FHIR Attachment."""
    content_type = str(attachment.get("contentType") or "application/octet-stream")
    if content_type.split(";")[0].strip().lower() != "text/plain":
        return content_type, None
    data = attachment.get("data")
    if not isinstance(data, str):
        return content_type, None
    try:
        raw = base64.b64decode(data, validate=False)
        return content_type, raw.decode(_charset(content_type), errors="replace")
    except (binascii.Error, LookupError, ValueError):
        return content_type, None


def _title(concept: Any) -> str | None:
    return concept_text(concept, codes=False) or None


def notes_from_resource(resource: dict[str, Any], patient_id: str) -> Iterator[Note]:
    """The notes one resource carries (none for resource types without attachments)."""
    rtype = resource.get("resourceType")
    rid = resource.get("id", "")
    if rtype == "DocumentReference":
        attachments = [
            (f"content[{i}]", c.get("attachment")) for i, c in enumerate(resource.get("content") or [])
        ]
        date = resource.get("date")
        title = _title(resource.get("type"))
    elif rtype == "DiagnosticReport":
        attachments = [(f"presentedForm[{i}]", a) for i, a in enumerate(resource.get("presentedForm") or [])]
        date = resource.get("effectiveDateTime") or resource.get("issued")
        title = _title(resource.get("code"))
    else:
        return
    for where, attachment in attachments:
        if not isinstance(attachment, dict):
            continue
        content_type, text = decode_attachment(attachment)
        yield Note(
            id=f"{rtype}/{rid}#{where}",
            patient_id=patient_id,
            text=text,
            content_type=content_type,
            date=date if isinstance(date, str) else None,
            title=attachment.get("title") or title,
            source=f"{rtype}/{rid}#{where}",
        )
