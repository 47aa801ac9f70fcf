"""Generated patient records for the de-identification tests (no shared data needed)."""

from __future__ import annotations

import pytest

from medfoundry.ingest.records import Note, PatientRecord


def make_record(
    patient_id: str = "pat-0001", *, birth: str = "1961-03-04", deceased: str | None = None
) -> PatientRecord:
    patient = {
        "resourceType": "Patient",
        "id": patient_id,
        "text": {"status": "generated", "div": "<div>Marta Okafor, 12 Birchwood Lane</div>"},
        "identifier": [
            {"system": "http://hospital.example/mrn", "value": "MRN4455667"},
            {"system": "http://hl7.org/fhir/sid/us-ssn", "value": "999-12-3456"},
        ],
        "name": [{"use": "official", "family": "Okafor", "given": ["Marta"], "prefix": ["Mrs."]}],
        "telecom": [
            {"system": "phone", "value": "555-201-7788"},
            {"system": "email", "value": "marta.okafor@example.com"},
        ],
        "gender": "female",
        "birthDate": birth,
        "address": [
            {
                "line": ["12 Birchwood Lane"],
                "city": "Emporia",
                "state": "KS",
                "postalCode": "66801",
                "extension": [
                    {"url": "http://hl7.org/fhir/StructureDefinition/geolocation", "valueDecimal": 1.0}
                ],
            }
        ],
        "extension": [
            {
                "url": "http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName",
                "valueString": "Adaeze Nwosu",
            },
            {
                "url": "http://hl7.org/fhir/StructureDefinition/patient-birthPlace",
                "valueAddress": {"city": "Olathe", "state": "KS"},
            },
        ],
    }
    if deceased:
        patient["deceasedDateTime"] = deceased
    encounter = {
        "resourceType": "Encounter",
        "id": "enc-1",
        "subject": {"reference": f"Patient/{patient_id}", "display": "Mrs. Marta Okafor"},
        "period": {"start": "2019-07-22T10:00:00-05:00", "end": "2019-07-22T11:00:00-05:00"},
        "type": [
            {
                "coding": [
                    {
                        "system": "http://snomed.info/sct",
                        "code": "185349003",
                        "display": "Encounter for check up",
                    }
                ],
                "text": "Encounter for check up",
            }
        ],
        "serviceProvider": {
            "reference": "Organization?identifier=https://example.org|org-9",
            "display": "ST BRENDAN HOSPITAL",
        },
    }
    document = {
        "resourceType": "DocumentReference",
        "id": "doc-1",
        "subject": {"reference": f"Patient/{patient_id}"},
        "date": "2019-07-22T10:30:00-05:00",
        "content": [{"attachment": {"contentType": "text/plain", "data": "bm90ZQ=="}}],
    }
    record = PatientRecord(patient_id=patient_id)
    for resource in (patient, encounter, document):
        record.add(resource)
    record.notes = [
        Note(
            id="doc-1",
            patient_id=patient_id,
            text=(
                "07/22/2019 pt Marta Okafor seen by dr hensley at st brendan hosp, wife of Mr. Okafor. "
                "Lives at 12 Birchwood Lane, Emporia, KS 66801. Call 555-201-7788. MRN 4455667. "
                "AFIB on warfarin, INR 2.3, O2 2L q2h. Follow up 8/5/2019."
            ),
            date="2019-07-22T10:30:00-05:00",
            source="DocumentReference/doc-1#content[0]",
        ),
        Note(
            id="doc-2",
            patient_id=patient_id,
            text="MARTA tolerated PT today. Seen again July 29, 2019.",
            date="2019-07-29",
            source="DocumentReference/doc-2#content[0]",
        ),
    ]
    return record


@pytest.fixture
def record() -> PatientRecord:
    return make_record()
