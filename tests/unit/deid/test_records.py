"""Structured Safe Harbor rules and notes together, on one generated patient."""

from __future__ import annotations

import json
from datetime import date, timedelta

from medfoundry.deid.config import DeidConfig
from medfoundry.deid.operators import pseudonym
from medfoundry.deid.patient import date_offset
from medfoundry.deid.records import Job, deidentify_record
from tests.unit.deid.conftest import make_record

KEY = b"s" * 32


def job(**config: object) -> Job:
    return Job(DeidConfig(**config).model_dump_json(), KEY, "2026-01-01")  # type: ignore[arg-type]


def test_structured_identifiers_are_gone_and_scan_is_clean() -> None:
    record = make_record()
    out = deidentify_record(record, job())
    blob = json.dumps(out.record)
    for value in (
        "Okafor",
        "Marta",
        "Birchwood",
        "Emporia",
        "66801",
        "555-201-7788",
        "marta.okafor",
        "MRN4455667",
        "999-12-3456",
        "pat-0001",
        "Adaeze",
        "Olathe",
        "ST BRENDAN",
        "hensley",
        "bm90ZQ",
    ):
        assert value.lower() not in blob.lower(), value
    assert out.scan.passed, out.scan.to_dict()
    patient = out.record["resources"]["Patient"][0]
    assert patient["address"][0]["postalCode"] == "668" and patient["address"][0]["state"] == "KS"
    assert "text" not in patient and all(
        "maiden" not in e["url"] and "birthPlace" not in e["url"] for e in patient.get("extension", [])
    )
    assert patient["name"][0]["prefix"] == ["Mrs."]
    assert out.record["patient_id"] == pseudonym(KEY, "pat-0001", length=32) == patient["id"]
    encounter = out.record["resources"]["Encounter"][0]
    assert encounter["subject"]["reference"] == f"Patient/{patient['id']}"
    assert encounter["type"][0]["coding"][0]["display"] == "Encounter for check up"


def test_dates_shift_by_one_offset_in_fields_and_notes() -> None:
    record = make_record()
    config = DeidConfig()
    offset = date_offset(
        KEY, record.patient_id, min_days=config.shift_min_days, max_days=config.shift_max_days
    )
    assert config.shift_min_days <= offset <= config.shift_max_days
    out = deidentify_record(record, job())
    expected = date(2019, 7, 22) + timedelta(days=offset)
    assert (
        out.record["resources"]["Patient"][0]["birthDate"]
        == (date(1961, 3, 4) + timedelta(days=offset)).isoformat()
    )
    assert out.record["resources"]["Encounter"][0]["period"]["start"].startswith(expected.isoformat())
    note = out.record["notes"][0]
    assert note["date"].startswith(expected.isoformat())
    assert note["text"].startswith(expected.strftime("%m/%d/%Y"))
    follow_up = date(2019, 8, 5) + timedelta(days=offset)
    assert f"{follow_up.month}/{follow_up.day}/{follow_up.year}" in note["text"]
    assert "AFIB on warfarin, INR 2.3, O2 2L q2h" in note["text"]


def test_surrogates_are_consistent_across_fields_and_notes() -> None:
    out = deidentify_record(make_record(), job())
    patient = out.record["resources"]["Patient"][0]
    family, given = patient["name"][0]["family"], patient["name"][0]["given"][0]
    first, second = out.record["notes"][0]["text"], out.record["notes"][1]["text"]
    assert f"{given} {family}" in first and f"Mr. {family}" in first
    assert second.startswith(given.upper())
    assert deidentify_record(make_record(), job()).record == out.record


def test_year_only_policy_and_ages_over_89() -> None:
    old = make_record(birth="1920-05-01")
    out = deidentify_record(old, job(date_policy="year_only"))
    patient = out.record["resources"]["Patient"][0]
    assert "birthDate" not in patient
    assert any(e.get("valueString") == "90 or older" for e in patient["extension"])
    assert out.record["resources"]["Encounter"][0]["period"]["start"] == "2019"
    assert out.record["notes"][0]["text"].startswith("2019 pt")
    assert out.record["notes"][0]["date"] == "2019"
