"""Known-PHI matching and the residual-PHI scan other stages call."""

from __future__ import annotations

import json

from medfoundry.deid import KnownPHI, Span, analyze_text
from medfoundry.deid.patient import known_from_record
from medfoundry.deid.scan import ScanResult, scan_texts
from medfoundry.ingest.records import PatientRecord

KNOWN = {
    "name": ["Marta Okafor"],
    "address": ["12 Birchwood Lane", "Emporia"],
    "phone": ["555-201-7788"],
    "identifier": ["MRN4455667", "999-12-3456"],
    "date": ["1961-03-04"],
}


def test_scan_finds_known_values_in_any_form_without_leaking_them() -> None:
    items = [
        ("a", "MARTA came in"),
        ("b", "lives at 12 birchwood lane"),
        ("c", "call (555) 201 7788"),
        ("d", "ssn 999 12 3456, mrn MRN-4455667"),
        ("e", "born 3/4/1961"),
        ("f", "Martabella and Emporiax are different words"),
    ]
    result = scan_texts(items, known=KNOWN)
    assert not result.passed
    assert {h.location for h in result.hits} == {"a", "b", "c", "d", "e"}
    document = result.to_dict()
    text = str(document)
    for value in ("Marta", "Birchwood", "7788", "4455667", "1961"):
        assert value not in text
    assert document["by_type"]["ID"] == 2


def test_scan_passes_clean_text_and_checks_shapes_without_known() -> None:
    assert scan_texts([("x", "Alexandra tolerated PT.")], known=KNOWN).passed
    assert not scan_texts([("x", "ssn 123-45-6789")]).passed
    assert scan_texts([("x", "INR 2.3, BP 120/80")]).passed
    assert isinstance(scan_texts([]), ScanResult)


def test_known_from_record_covers_people_places_numbers(record: PatientRecord) -> None:
    known = known_from_record(record)
    assert "Okafor" in known.names and "Adaeze Nwosu" in known.names
    assert "12 Birchwood Lane" in known.addresses and "Olathe" in known.addresses
    assert "555-201-7788" in known.phones and "marta.okafor@example.com" in known.emails
    assert "MRN4455667" in known.identifiers and record.patient_id in known.identifiers
    assert "1961-03-04" in known.dates


def test_analyze_text_with_known_finds_what_detectors_alone_miss() -> None:
    text = "saw zyx today; zyx's husband too"
    assert analyze_text(text) == []
    spans = analyze_text(text, known=KnownPHI(names=("Zyx",)))
    assert [(s.start, s.end, s.type, s.detector) for s in spans] == [
        (4, 7, "NAME", "known"),
        (15, 18, "NAME", "known"),
    ]
    assert isinstance(spans[0], Span)


def test_a_lineage_digest_of_ten_digits_is_no_phone() -> None:
    """A source's lineage id ends in ten hex characters of a hash; about one in a hundred are all digits
    ("…/synthetic-fhir#7024385618"), and the evidence pack's scan refused them as a phone after "#"."""
    from medfoundry.ingest.sources import lineage_id

    location = next(
        f"/tmp/run-{n}/synthetic-fhir"
        for n in range(10_000)
        if lineage_id("fhir-ndjson", f"/tmp/run-{n}/synthetic-fhir", "x")[-10:].isdigit()
    )
    text = json.dumps({"id": lineage_id("fhir-ndjson", location, "synthetic-fhir")})
    assert scan_texts([("lineage.json", text)]).passed
    assert not scan_texts([("note", "call me at phone # 6175551234")]).passed
