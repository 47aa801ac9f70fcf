from __future__ import annotations

import base64

from medfoundry.ingest.notes import decode_attachment, notes_from_resource
from medfoundry.ingest.references import (
    conditional_key,
    identifier_keys,
    patient_reference,
    rewrite_references,
)
from tests.unit.ingest.conftest import NPI, document, encounter, practitioner


def test_conditional_reference_matches_identifier_key() -> None:
    ref = encounter("e", "p", "2020")["participant"][0]["individual"]["reference"]
    assert conditional_key(ref) in set(identifier_keys(practitioner("111")))
    assert conditional_key(f"Practitioner?identifier={NPI}|999") not in set(
        identifier_keys(practitioner("111"))
    )


def test_rewrite_counts_unresolved() -> None:
    resource = encounter("e", "p", "2020")
    resource["serviceProvider"] = {"reference": "urn:uuid:missing"}
    unresolved = rewrite_references(
        resource, {"Practitioner?identifier=" + NPI + "|111": "Practitioner/pr-111"}.get
    )
    assert resource["participant"][0]["individual"]["reference"] == "Practitioner/pr-111"
    assert resource["subject"]["reference"] == "Patient/p"  # plain references are left alone
    assert unresolved == 1


def test_patient_reference() -> None:
    assert patient_reference({"resourceType": "Patient", "id": "p"}) == "Patient/p"
    assert patient_reference(encounter("e", "p9", "2020")) == "Patient/p9"
    assert (
        patient_reference({"resourceType": "Immunization", "patient": {"reference": "Patient/x"}})
        == "Patient/x"
    )
    assert patient_reference(practitioner("1")) is None


def test_text_plain_notes_are_decoded_with_their_charset() -> None:
    data = base64.b64encode("Fièvre".encode("latin-1")).decode()
    assert decode_attachment({"contentType": "text/plain; charset=ISO-8859-1", "data": data}) == (
        "text/plain; charset=ISO-8859-1",
        "Fièvre",
    )


def test_other_content_types_are_listed_not_decoded() -> None:
    notes = list(notes_from_resource(document("d", "p", "x", content_type="application/pdf"), "p"))
    assert len(notes) == 1
    assert notes[0].text is None and notes[0].content_type == "application/pdf"


def test_diagnostic_report_presented_form() -> None:
    report = {
        "resourceType": "DiagnosticReport",
        "id": "r1",
        "status": "final",
        "code": {"text": "Chest X-ray"},
        "effectiveDateTime": "2020-01-01",
        "presentedForm": [
            {"contentType": "text/plain", "data": base64.b64encode(b"No acute findings.").decode()}
        ],
    }
    (note,) = notes_from_resource(report, "p")
    assert note.text == "No acute findings."
    assert note.title == "Chest X-ray"
    assert note.source == "DiagnosticReport/r1#presentedForm[0]"
