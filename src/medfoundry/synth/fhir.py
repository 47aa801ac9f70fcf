"""A seeded generator of FHIR R4 Bulk NDJSON: patients with fake PHI and notes citing it.

Deterministic per seed (the same seed writes the same bytes). References use Bulk
export conventions: ``Patient/<id>`` within the export and conditional references
(``Practitioner?identifier=system|value``) for clinicians and facilities, as
Synthea writes them. Nothing here is real: names, numbers and places come from Faker.
"""

from __future__ import annotations

import random
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import orjson
from faker import Faker

from medfoundry.synth import notes, vocab

NPI_SYSTEM = "http://hl7.org/fhir/sid/us-npi"
ORG_SYSTEM = "https://medfoundry.dev/fhir/sid/organization"
MRN_SYSTEM = "https://medfoundry.dev/fhir/sid/mrn"
SSN_SYSTEM = "http://hl7.org/fhir/sid/us-ssn"
LOCAL_TZ = timezone(timedelta(hours=-5))  # FHIR dateTimes with a time need an offset
RESOURCE_ORDER = (
    "Organization",
    "Practitioner",
    "Patient",
    "Encounter",
    "Condition",
    "MedicationRequest",
    "Observation",
    "DocumentReference",
)


@dataclass(frozen=True)
class SynthOptions:
    patients: int = 10
    seed: int = 0
    encounters: tuple[int, int] = (3, 6)
    today: date = date(2026, 6, 30)  # fixed, so output does not depend on the clock


@dataclass
class SynthSummary:
    directory: str
    patients: int
    counts: dict[str, int] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "directory": self.directory,
            "patients": self.patients,
            "counts": self.counts,
            "files": self.files,
        }


class _Ids:
    def __init__(self, rng: random.Random) -> None:
        self._rng = rng

    def __call__(self) -> str:
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))


def _coding(system: str, code: str, display: str) -> dict[str, Any]:
    return {"coding": [{"system": system, "code": code, "display": display}], "text": display}


def _ref(resource_type: str, system: str, value: str, display: str) -> dict[str, str]:
    return {"reference": f"{resource_type}?identifier={system}|{value}", "display": display}


class _World:
    """Facilities and clinicians shared by all patients."""

    def __init__(self, fake: Faker, rng: random.Random, new_id: _Ids) -> None:
        self.organizations = [self._organization(fake, rng, new_id) for _ in range(3)]
        self.practitioners = [self._practitioner(fake, rng, new_id) for _ in range(6)]

    @staticmethod
    def _organization(fake: Faker, rng: random.Random, new_id: _Ids) -> dict[str, Any]:
        name = f"{fake.city()} {rng.choice(['General Hospital', 'Medical Center', 'Community Clinic'])}"
        return {
            "resourceType": "Organization",
            "id": new_id(),
            "identifier": [{"system": ORG_SYSTEM, "value": new_id()}],
            "active": True,
            "name": name,
            "address": [
                {
                    "line": [fake.street_address()],
                    "city": fake.city(),
                    "state": "MA",
                    "postalCode": fake.zipcode(),
                }
            ],
            "telecom": [{"system": "phone", "value": fake.numerify("(###) ###-####")}],
        }

    @staticmethod
    def _practitioner(fake: Faker, rng: random.Random, new_id: _Ids) -> dict[str, Any]:
        return {
            "resourceType": "Practitioner",
            "id": new_id(),
            "identifier": [{"system": NPI_SYSTEM, "value": f"99999{rng.randint(10000, 99999)}"}],
            "active": True,
            "name": [{"family": fake.last_name(), "given": [fake.first_name()], "prefix": ["Dr."]}],
            "gender": rng.choice(["male", "female"]),
        }


def practitioner_name(practitioner: dict[str, Any]) -> str:
    name = practitioner["name"][0]
    return f"{name['given'][0]} {name['family']}"


def generate_patients(options: SynthOptions) -> Iterator[dict[str, Any]]:
    """Yield every resource: shared organizations and clinicians first, then each patient's."""
    rng = random.Random(options.seed)
    fake = Faker("en_US")
    fake.seed_instance(options.seed)
    new_id = _Ids(rng)
    world = _World(fake, rng, new_id)
    yield from world.organizations
    yield from world.practitioners
    for _ in range(options.patients):
        yield from _patient_resources(fake, rng, new_id, world, options)


def _patient(fake: Faker, rng: random.Random, new_id: _Ids, options: SynthOptions) -> dict[str, Any]:
    gender = rng.choice(["male", "female"])
    given = fake.first_name_male() if gender == "male" else fake.first_name_female()
    age_days = rng.randint(18 * 365, 94 * 365)  # some patients are over 89
    spouse = fake.first_name_female() if gender == "male" else fake.first_name_male()
    family = fake.last_name()
    return {
        "resourceType": "Patient",
        "id": new_id(),
        "identifier": [
            {
                "type": _coding(
                    "http://terminology.hl7.org/CodeSystem/v2-0203", "MR", "Medical Record Number"
                ),
                "system": MRN_SYSTEM,
                "value": fake.bothify("MRN-########"),
            },
            {
                "type": _coding(
                    "http://terminology.hl7.org/CodeSystem/v2-0203", "SS", "Social Security Number"
                ),
                "system": SSN_SYSTEM,
                "value": fake.numerify("999-##-####"),
            },
        ],
        "name": [{"use": "official", "family": family, "given": [given]}],
        "telecom": [
            {"system": "phone", "value": fake.numerify("(###) ###-####"), "use": "home"},
            {"system": "email", "value": f"{given}.{family}@{fake.free_email_domain()}".lower()},
        ],
        "gender": gender,
        "birthDate": (options.today - timedelta(days=age_days)).isoformat(),
        "address": [
            {
                "line": [fake.street_address()],
                "city": fake.city(),
                "state": fake.state_abbr(),
                "postalCode": fake.zipcode(),
                "country": "US",
            }
        ],
        "maritalStatus": _coding("http://terminology.hl7.org/CodeSystem/v3-MaritalStatus", "M", "Married"),
        "contact": [
            {
                "relationship": [
                    _coding("http://terminology.hl7.org/CodeSystem/v2-0131", "N", "Next-of-Kin")
                ],
                "name": {"family": family, "given": [spouse]},
                "telecom": [{"system": "phone", "value": fake.numerify("(###) ###-####")}],
            }
        ],
        "extension": [
            {
                "url": "http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName",
                "valueString": fake.last_name(),
            },
            {
                "url": "http://hl7.org/fhir/StructureDefinition/patient-birthPlace",
                "valueAddress": {"city": fake.city(), "state": fake.state_abbr(), "country": "US"},
            },
        ],
    }


def _patient_resources(
    fake: Faker, rng: random.Random, new_id: _Ids, world: _World, options: SynthOptions
) -> Iterator[dict[str, Any]]:
    patient = _patient(fake, rng, new_id, options)
    yield patient
    subject = {"reference": f"Patient/{patient['id']}"}
    problems = rng.sample(vocab.PROBLEMS, rng.randint(1, 3))
    first_visit = options.today - timedelta(days=rng.randint(200, 1500))
    for problem in problems:
        yield {
            "resourceType": "Condition",
            "id": new_id(),
            "clinicalStatus": _coding(
                "http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "Active"
            ),
            "code": _coding(vocab.SNOMED, problem.code, problem.display),
            "subject": subject,
            "onsetDateTime": (first_visit - timedelta(days=rng.randint(30, 2000))).isoformat(),
        }
    visit_day = first_visit
    for index in range(rng.randint(*options.encounters)):
        visit_day += timedelta(days=rng.randint(20, 120))
        emergency = index > 0 and rng.random() < 0.4
        yield from _encounter(fake, rng, new_id, world, patient, problems, visit_day, emergency)


def _encounter(
    fake: Faker,
    rng: random.Random,
    new_id: _Ids,
    world: _World,
    patient: dict[str, Any],
    problems: list[vocab.Problem],
    day: date,
    emergency: bool,
) -> Iterator[dict[str, Any]]:
    start = datetime(
        day.year, day.month, day.day, rng.randint(7, 20), rng.choice([0, 15, 30, 45]), tzinfo=LOCAL_TZ
    )
    clinician = rng.choice(world.practitioners)
    facility = rng.choice(world.organizations)
    subject = {"reference": f"Patient/{patient['id']}"}
    complaint = rng.choice(vocab.COMPLAINTS) if emergency else None
    vitals = _vitals(rng, complaint)
    esi = _esi(complaint, vitals) if complaint else None
    encounter: dict[str, Any] = {
        "resourceType": "Encounter",
        "id": new_id(),
        "status": "finished",
        "class": {
            "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
            "code": "EMER" if emergency else "AMB",
            "display": "emergency" if emergency else "ambulatory",
        },
        "type": [
            _coding(
                vocab.SNOMED,
                "50849002" if emergency else "185349003",
                "Emergency room admission" if emergency else "Encounter for check up",
            )
        ],
        "subject": subject,
        "participant": [
            {
                "individual": _ref(
                    "Practitioner",
                    NPI_SYSTEM,
                    clinician["identifier"][0]["value"],
                    f"Dr. {practitioner_name(clinician)}",
                )
            }
        ],
        "period": {
            "start": start.isoformat(),
            "end": (start + timedelta(hours=rng.randint(1, 5))).isoformat(),
        },
        "serviceProvider": _ref(
            "Organization", ORG_SYSTEM, facility["identifier"][0]["value"], facility["name"]
        ),
    }
    if complaint and esi:
        encounter["reasonCode"] = [_coding(vocab.SNOMED, complaint.snomed, complaint.text)]
        encounter["priority"] = _coding(vocab.ESI_SYSTEM, str(esi), vocab.ESI_DISPLAY[esi])
    yield encounter
    context = {"encounter": [{"reference": f"Encounter/{encounter['id']}"}]}
    for name, value in vitals.items():
        code, display, unit = vocab.VITALS[name]
        yield {
            "resourceType": "Observation",
            "id": new_id(),
            "status": "final",
            "category": [
                _coding(
                    "http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs", "Vital signs"
                )
            ],
            "code": _coding(vocab.LOINC, code, display),
            "subject": subject,
            "encounter": context["encounter"][0],
            "effectiveDateTime": start.isoformat(),
            "valueQuantity": {
                "value": value,
                "unit": unit,
                "system": "http://unitsofmeasure.org",
                "code": unit,
            },
        }
    for problem in problems:
        if problem.medication and rng.random() < 0.6:
            rx_code, rx_display, dosage = problem.medication
            yield {
                "resourceType": "MedicationRequest",
                "id": new_id(),
                "status": "active",
                "intent": "order",
                "medicationCodeableConcept": _coding(vocab.RXNORM, rx_code, rx_display),
                "subject": subject,
                "encounter": context["encounter"][0],
                "authoredOn": start.isoformat(),
                "requester": encounter["participant"][0]["individual"],
                "reasonReference": [],
                "dosageInstruction": [{"text": dosage}],
            }
    note_kind = "ed" if emergency else "progress"
    text = notes.write_note(
        fake,
        rng,
        note_kind,
        patient=patient,
        clinician=practitioner_name(clinician),
        facility=facility["name"],
        when=start,
        problems=problems,
        complaint=complaint,
        vitals=vitals,
        esi=esi,
    )
    loinc, title = vocab.NOTE_TYPES[note_kind]
    yield notes.document_reference(new_id(), subject, encounter, start, loinc, title, clinician, text)


def _vitals(rng: random.Random, complaint: vocab.Complaint | None) -> dict[str, float]:
    unstable = complaint is not None and complaint.severity <= 2 and rng.random() < 0.5
    return {
        "heart_rate": float(rng.randint(115, 140) if unstable else rng.randint(60, 95)),
        "systolic": float(rng.randint(85, 95) if unstable else rng.randint(105, 140)),
        "diastolic": float(rng.randint(50, 60) if unstable else rng.randint(65, 90)),
        "resp_rate": float(rng.randint(24, 32) if unstable else rng.randint(12, 18)),
        "temperature": round(
            rng.uniform(38.3, 39.5) if complaint and complaint.text == "fever" else rng.uniform(36.4, 37.3), 1
        ),
        "spo2": float(rng.randint(86, 91) if unstable else rng.randint(95, 100)),
    }


def _esi(complaint: vocab.Complaint, vitals: dict[str, float]) -> int:
    """ESI from the complaint and danger-zone vitals (a simplified version of the ESI algorithm)."""
    danger = vitals["heart_rate"] > 100 or vitals["resp_rate"] > 20 or vitals["spo2"] < 92
    if danger and vitals["systolic"] < 90:
        return 1
    if danger:
        return min(complaint.severity, 2)
    return complaint.severity


def write_bulk_ndjson(out_dir: Path, options: SynthOptions) -> SynthSummary:
    """Write ``<Type>.000.ndjson`` files as a Bulk ``$export`` would."""
    out_dir.mkdir(parents=True, exist_ok=True)
    handles: dict[str, Any] = {}
    counts: Counter[str] = Counter()
    try:
        for resource in generate_patients(options):
            kind = resource["resourceType"]
            if kind not in handles:
                handles[kind] = (out_dir / f"{kind}.000.ndjson").open("wb")
            handles[kind].write(orjson.dumps(resource) + b"\n")
            counts[kind] += 1
    finally:
        for handle in handles.values():
            handle.close()
    files = sorted(f"{kind}.000.ndjson" for kind in handles)
    ordered = {kind: counts[kind] for kind in RESOURCE_ORDER if kind in counts}
    return SynthSummary(str(out_dir), options.patients, ordered, files)
