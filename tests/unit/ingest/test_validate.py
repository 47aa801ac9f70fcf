from __future__ import annotations

from typing import Any

import pytest

from medfoundry.ingest.validate import check_resource
from tests.unit.ingest.conftest import condition, encounter, patient

VALID: list[dict[str, Any]] = [
    patient("p1"),
    encounter("e1", "p1", "2020-01-02T10:00:00Z"),
    condition("c", "p1", "2019"),
]


@pytest.mark.parametrize("resource", VALID, ids=lambda r: r["resourceType"])
def test_valid_r4_resources_pass(resource: dict[str, Any]) -> None:
    assert check_resource(resource) == []


CASES = [
    ("not an object", ["Patient"], "$", "expected a JSON object"),
    ("no resourceType", {"id": "x"}, "$.resourceType", "missing"),
    ("unknown type", {"resourceType": "Patinet"}, "$.resourceType", "not a FHIR R4 resource type"),
    ("bad id", {**patient("p"), "id": "has space"}, "$.id", "not a valid FHIR id"),
    ("bad birthDate", {**patient("p"), "birthDate": "1970-13-01"}, "$.birthDate", "not a valid FHIR date"),
    ("number date", {**condition("c", "p", "2019"), "onsetDateTime": 2019}, "$.onsetDateTime", "date"),
    ("missing status", {k: v for k, v in encounter("e", "p", "2020").items() if k != "status"}, "$.status", "required"),
    ("reference not string", {**condition("c", "p", "2019"), "subject": {"reference": 5}}, "$.subject.reference", "reference"),
    ("nested path", {**encounter("e", "p", "2020"), "period": {"start": "yesterday"}}, "$.period.start", "date"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "resource", "path", "reason"), CASES, ids=[c[0] for c in CASES])
def test_structural_problems_name_the_json_path(name: str, resource: Any, path: str, reason: str) -> None:
    problems = check_resource(resource)
    assert problems, name
    assert problems[0][0] == path
    assert reason in problems[0][1]


def test_problem_messages_never_quote_values() -> None:
    secret = "1970-13-01"
    problems = check_resource({**patient("p"), "birthDate": secret})
    assert all(secret not in reason for _, reason in problems)


VERSIONS = [
    ("R5-only type", {"resourceType": "DeviceUsage", "id": "x"}, "R5"),
    ("R5 Encounter.class list", {**encounter("e", "p", "2020"), "class": [{"coding": []}]}, "R5"),
    ("R5 CodeableReference medication", {"resourceType": "MedicationRequest", "medication": {"concept": {}}}, "R5"),
    ("DSTU2 MedicationOrder", {"resourceType": "MedicationOrder", "id": "x"}, "DSTU2"),
    ("DSTU2 Condition.patient", {"resourceType": "Condition", "patient": {"reference": "Patient/p"}}, "DSTU2"),
    ("STU3 string verificationStatus", {**condition("c", "p", "2019"), "verificationStatus": "confirmed"}, "STU3"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "resource", "version"), VERSIONS, ids=[c[0] for c in VERSIONS])
def test_other_fhir_versions_are_named(name: str, resource: dict[str, Any], version: str) -> None:
    problems = check_resource(resource)
    assert len(problems) == 1
    assert f"FHIR {version}" in problems[0][1] or version in problems[0][1]
    assert "not R4" in problems[0][1]


def test_strict_uses_r4b_models() -> None:
    pytest.importorskip("fhir.resources")
    from medfoundry.ingest.strict import check_strict

    assert check_strict(patient("p1")) == []
    problems = check_strict({**patient("p1"), "gender": 5})
    assert problems and problems[0][0] == "$.gender"
    assert "R4B validation" in problems[0][1]
    assert "5" not in problems[0][1]


@pytest.mark.parametrize(("name", "resource", "path", "reason"), CASES, ids=[c[0] for c in CASES])
def test_fast_text_scan_finds_what_the_element_walk_finds(
    name: str, resource: Any, path: str, reason: str
) -> None:
    import orjson

    assert check_resource(resource, orjson.dumps(resource)) == check_resource(resource)


def test_fast_text_scan_skips_the_walk_for_clean_resources() -> None:
    import orjson

    for resource in VALID:
        assert check_resource(resource, orjson.dumps(resource)) == []
