"""Free-text clinical notes that mention the patient's (fake) PHI the way real notes do."""

from __future__ import annotations

import base64
import random
from datetime import date, datetime
from typing import Any

from faker import Faker

from medfoundry.synth import vocab


def _age(birth: str, on: date) -> int:
    born = date.fromisoformat(birth)
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _date_forms(rng: random.Random, when: datetime) -> str:
    return rng.choice(
        [
            when.strftime("%m/%d/%Y"),
            f"{when.month}/{when.day}",
            when.strftime("%B %d, %Y").replace(" 0", " "),
            when.strftime("%d-%b-%y"),
            when.date().isoformat(),
        ]
    )


def write_note(
    fake: Faker,
    rng: random.Random,
    kind: str,
    *,
    patient: dict[str, Any],
    clinician: str,
    facility: str,
    when: datetime,
    problems: list[vocab.Problem],
    complaint: vocab.Complaint | None,
    vitals: dict[str, float],
    esi: int | None,
) -> str:
    name = patient["name"][0]
    given, family = name["given"][0], name["family"]
    mrn = patient["identifier"][0]["value"]
    phone = patient["telecom"][0]["value"]
    address = patient["address"][0]
    relative = patient["contact"][0]["name"]["given"][0]
    age = _age(patient["birthDate"], when.date())
    age_text = f"{age}-year-old" if rng.random() < 0.7 else f"{age} yo"
    history = ", ".join(p.display.lower() for p in problems)
    meds = "; ".join(f"{p.medication[1]} {p.medication[2]}" for p in problems if p.medication) or "none"
    vitals_text = (
        f"BP {vitals['systolic']:.0f}/{vitals['diastolic']:.0f}, HR {vitals['heart_rate']:.0f}, "
        f"RR {vitals['resp_rate']:.0f}, T {vitals['temperature']:.1f} C, SpO2 {vitals['spo2']:.0f}% on RA"
    )
    header = (
        f"{facility}\nPatient: {family}, {given}   MRN: {mrn}   DOB: {patient['birthDate']}\n"
        f"Date of service: {_date_forms(rng, when)}   Attending: Dr. {clinician}\n\n"
    )
    if kind == "ed" and complaint is not None:
        body = (
            f"CHIEF COMPLAINT: {complaint.text}.\n\n"
            f"HPI: {given} {family} is a {age_text} {patient['gender']} with a history of {history} who presents "
            f"with {complaint.text} since {_date_forms(rng, when)}. {relative} (spouse) at bedside, "
            f"reachable at {patient['contact'][0]['telecom'][0]['value']}.\n\n"
            f"TRIAGE VITALS: {vitals_text}. Triage acuity ESI {esi}.\n\n"
            f"MEDICATIONS: {meds}.\n\n"
            f"ASSESSMENT AND PLAN: {complaint.text} in a patient with {history}. Workup per protocol; "
            f"discussed with Dr. {clinician}. Follow up with PCP; patient can be reached at {phone}.\n"
        )
    else:
        body = (
            f"SUBJECTIVE: {'Mr.' if patient['gender'] == 'male' else 'Ms.'} {family} ({age_text}) returns for follow-up of {history}. "
            f"Lives at {address['line'][0]}, {address['city']}, {address['state']} {address['postalCode']} "
            f"with {relative}. Reports adherence to medications.\n\n"
            f"OBJECTIVE: {vitals_text}.\n\n"
            f"MEDICATIONS: {meds}.\n\n"
            f"ASSESSMENT AND PLAN: {history} stable. Continue current regimen. "
            f"Return in {rng.choice([4, 6, 8, 12])} weeks. Seen by Dr. {clinician}.\n"
        )
    return header + body


def document_reference(
    resource_id: str,
    subject: dict[str, str],
    encounter: dict[str, Any],
    when: datetime,
    loinc: str,
    title: str,
    clinician: dict[str, Any],
    text: str,
) -> dict[str, Any]:
    return {
        "resourceType": "DocumentReference",
        "id": resource_id,
        "status": "current",
        "type": {"coding": [{"system": vocab.LOINC, "code": loinc, "display": title}], "text": title},
        "subject": subject,
        "date": when.isoformat(),
        "author": [encounter["participant"][0]["individual"]],
        "description": title,
        "content": [
            {
                "attachment": {
                    "contentType": "text/plain; charset=utf-8",
                    "data": base64.b64encode(text.encode("utf-8")).decode("ascii"),
                    "title": title,
                }
            }
        ],
        "context": {
            "encounter": [{"reference": f"Encounter/{encounter['id']}"}],
            "period": encounter["period"],
        },
    }
