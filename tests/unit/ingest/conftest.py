"""Small generated FHIR inputs for the ingestion tests."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import orjson
import pytest

NPI = "http://hl7.org/fhir/sid/us-npi"


def note_b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def patient(pid: str, given: str = "Ada") -> dict[str, Any]:
    return {
        "resourceType": "Patient",
        "id": pid,
        "name": [{"given": [given], "family": "Testperson"}],
        "gender": "female",
        "birthDate": "1970-05-01",
        "identifier": [{"system": "urn:mrn", "value": f"MRN-{pid}"}],
    }


def encounter(eid: str, pid: str, start: str, npi: str = "111") -> dict[str, Any]:
    return {
        "resourceType": "Encounter",
        "id": eid,
        "status": "finished",
        "class": {"code": "AMB"},
        "type": [
            {"coding": [{"system": "http://snomed.info/sct", "code": "185349003", "display": "Check up"}]}
        ],
        "subject": {"reference": f"Patient/{pid}"},
        "participant": [
            {"individual": {"reference": f"Practitioner?identifier={NPI}|{npi}", "display": "Dr. X"}}
        ],
        "period": {"start": start, "end": start},
    }


def condition(cid: str, pid: str, onset: str, display: str = "Hypertension") -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "id": cid,
        "clinicalStatus": {"coding": [{"code": "active"}]},
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "38341003", "display": display}]},
        "subject": {"reference": f"Patient/{pid}"},
        "onsetDateTime": onset,
    }


def document(
    did: str, pid: str, text: str, content_type: str = "text/plain; charset=utf-8"
) -> dict[str, Any]:
    return {
        "resourceType": "DocumentReference",
        "id": did,
        "status": "current",
        "type": {
            "coding": [
                {"system": "http://loinc.org", "code": "34117-2", "display": "History and physical note"}
            ]
        },
        "subject": {"reference": f"Patient/{pid}"},
        "date": "2020-01-02T10:00:00Z",
        "content": [{"attachment": {"contentType": content_type, "data": note_b64(text)}}],
    }


def practitioner(npi: str) -> dict[str, Any]:
    return {
        "resourceType": "Practitioner",
        "id": f"pr-{npi}",
        "identifier": [{"system": NPI, "value": npi}],
        "name": [{"family": "Doctor"}],
    }


def write_ndjson(folder: Path, rtype: str, lines: list[Any]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{rtype}.000.ndjson"
    path.write_bytes(b"".join((x if isinstance(x, bytes) else orjson.dumps(x)) + b"\n" for x in lines))
    return path


@pytest.fixture
def small_export(tmp_path: Path) -> Path:
    """A Bulk export folder of two patients, with conditional references and notes."""
    folder = tmp_path / "export"
    write_ndjson(folder, "Patient", [patient("p1"), patient("p2", "Bea")])
    write_ndjson(
        folder,
        "Encounter",
        [encounter("e1", "p1", "2020-01-02T10:00:00Z"), encounter("e2", "p2", "2021-03-04T10:00:00Z", "222")],
    )
    write_ndjson(
        folder, "Condition", [condition("c1", "p1", "2019-06-01"), condition("c2", "p2", "2021-03-04")]
    )
    write_ndjson(
        folder, "DocumentReference", [document("d1", "p1", "Ada has a cough."), document("d2", "p2", "Bea.")]
    )
    write_ndjson(folder, "Practitioner", [practitioner("111"), practitioner("222")])
    (folder / "log.ndjson").write_text('{"eventId": "kickoff"}\n')
    return folder
