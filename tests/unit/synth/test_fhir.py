from __future__ import annotations

import base64
import json
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from medfoundry.synth import SynthOptions, write_bulk_ndjson


def _load(directory: Path) -> dict[str, list[dict[str, Any]]]:
    resources: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for file in sorted(directory.glob("*.ndjson")):
        for line in file.read_text().splitlines():
            resource = json.loads(line)
            resources[resource["resourceType"]].append(resource)
    return resources


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    write_bulk_ndjson(out, SynthOptions(patients=12, seed=7))
    return out


def test_same_seed_same_bytes_other_seed_other_bytes(export: Path, tmp_path: Path) -> None:
    write_bulk_ndjson(tmp_path / "again", SynthOptions(patients=12, seed=7))
    write_bulk_ndjson(tmp_path / "other", SynthOptions(patients=12, seed=8))
    for file in export.glob("*.ndjson"):
        assert (tmp_path / "again" / file.name).read_bytes() == file.read_bytes()
    assert (tmp_path / "other" / "Patient.000.ndjson").read_bytes() != (
        export / "Patient.000.ndjson"
    ).read_bytes()


def test_every_resource_is_valid_fhir_r4(export: Path) -> None:
    from fhir.resources.R4B import get_fhir_model_class

    for kind, items in _load(export).items():
        model = get_fhir_model_class(kind)
        for resource in items:
            model.model_validate(resource)


def test_references_resolve(export: Path) -> None:
    resources = _load(export)
    patients = {p["id"] for p in resources["Patient"]}
    npis = {p["identifier"][0]["value"] for p in resources["Practitioner"]}
    for encounter in resources["Encounter"]:
        assert encounter["subject"]["reference"].removeprefix("Patient/") in patients
        conditional = encounter["participant"][0]["individual"]["reference"]
        assert conditional.startswith("Practitioner?identifier=") and conditional.rsplit("|", 1)[1] in npis


def test_notes_mention_their_patients_phi(export: Path) -> None:
    resources = _load(export)
    patients = {p["id"]: p for p in resources["Patient"]}
    assert len(resources["DocumentReference"]) == len(resources["Encounter"])
    for document in resources["DocumentReference"]:
        patient = patients[document["subject"]["reference"].removeprefix("Patient/")]
        text = base64.b64decode(document["content"][0]["attachment"]["data"]).decode()
        assert patient["name"][0]["family"] in text
        assert patient["identifier"][0]["value"] in text  # the MRN


def test_population_covers_the_safe_harbor_edge_cases(export: Path) -> None:
    resources = _load(export)
    ages = [
        (date(2026, 6, 30) - date.fromisoformat(p["birthDate"])).days // 365 for p in resources["Patient"]
    ]
    assert min(ages) >= 18
    emergencies = [e for e in resources["Encounter"] if e["class"]["code"] == "EMER"]
    assert emergencies and all(e["priority"]["coding"][0]["code"] in "12345" for e in emergencies)
