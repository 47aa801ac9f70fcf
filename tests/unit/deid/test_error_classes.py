"""One table per error class seen on real ICU nursing notes (issue 13), each with text that
must be detected and clinical text that must come out of ``deid text`` byte for byte.

The examples are generic (written for these tests; names and numbers are made up, phones
use 555 numbers where the shape allows).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from medfoundry.cli.main import app
from medfoundry.deid import analyze_text
from medfoundry.deid.config import DeidConfig
from medfoundry.deid.operators import Context
from medfoundry.deid.textfile import deidentifier_for

# (text, the PHI in it, its type)
MUST_DETECT: dict[str, list[tuple[str, str, str]]] = {
    "clinical_words_as_names": [
        ("Seen by Dr. Alzheimer.", "Alzheimer", "NAME"),
        ("DR WARD AWARE OF K 3.1", "WARD", "NAME"),
        ("d/w Dr. Foley re: plan", "Foley", "NAME"),
        ("Mrs. May at bedside", "May", "NAME"),
    ],
    "measurements_as_phi": [
        ("seen in clinic on 7/6, pain 7/10", "7/6", "DATE"),
        ("BP 120/80 on 3/14/2019", "3/14/2019", "DATE"),
        ("Vent 600x12, call 617-555-0199 with questions", "617-555-0199", "PHONE"),
    ],
    "care_settings_as_places": [
        ("transferred from Holy Cross to OSH", "Holy Cross", "LOCATION"),
        ("PT LIVES IN WORCESTER, MA", "WORCESTER", "LOCATION"),
    ],
    "missed_hospitals_and_towns": [
        ("transferred from GH for cath", "GH", "LOCATION"),
        ("followed at VAMC for CHF", "VAMC", "LOCATION"),
        ("was at Holy Cross last month", "Holy Cross", "LOCATION"),
        ("lives in framingham with wife", "framingham", "LOCATION"),
        ("followed at Harbor for dialysis", "Harbor", "LOCATION"),
        ("PT FROM SPRINGFIELD", "SPRINGFIELD", "LOCATION"),
        ("F/u at NGH in 2 wks", "NGH", "LOCATION"),
        ("PCP at St. Benedict's, last seen 2019", "St. Benedict's", "LOCATION"),
        ("F/U AT CLAYDALE GENERAL IN 4 WKS", "CLAYDALE GENERAL", "LOCATION"),
        ("lives at 12 Pine Way, East Reddale 35149", "East Reddale", "LOCATION"),
    ],
    "missed_pagers_and_phones": [
        ("Pager #54321 for questions", "54321", "PHONE"),
        ("PG 33445 IF HR < 50", "33445", "PHONE"),
        ("beeper 83554", "83554", "PHONE"),
        ("call 212- 555- 0143 re: labs", "212- 555- 0143", "PHONE"),
        ("covering NP ext 4567", "4567", "PHONE"),
        ("paged covering md at p#1-3280 re k 6.0", "1-3280", "PHONE"),
        ("call CT tech at x 6213 when ready", "6213", "PHONE"),
    ],
    "missed_relatives": [
        ("son john called for update", "john", "NAME"),
        ("WIFE MARY AT BEDSIDE", "MARY", "NAME"),
        ("dtr susan updated by phone", "susan", "NAME"),
        ("spoke with sister ann re: code status", "ann", "NAME"),
        ("HUSBAND, GEORGE, AT BEDSIDE", "GEORGE", "NAME"),
        ("Family meeting w/ dtr (luigina) today", "luigina", "NAME"),
        ("SOCIAL: HCP CAPUCINE at bedside", "CAPUCINE", "NAME"),
    ],
    "missed_clinicians": [
        ("DAN A. FORMAN-LYONS, RRT", "DAN A. FORMAN-LYONS", "NAME"),
        ("suctioned by q. lander rrt", "q. lander", "NAME"),
        ("dr. john bowman aware", "john bowman", "NAME"),
        ("K. OKAFOR RN", "K. OKAFOR", "NAME"),
        ("J. SMITH, PT", "J. SMITH", "NAME"),
        ("d/w t. okafor pa-c re: plan", "t. okafor", "NAME"),
        ("SEEN BY ATTENDING ABIGAIL ROGERS", "ABIGAIL", "NAME"),
        ("Pt resting comfortably.\nVSS, afebrile.\nJ. Bowman", "J. Bowman", "NAME"),
        ("t. sloan  MRN: 4154340  Adm: 4/12", "t. sloan", "NAME"),
        ("OKAFOR, MARTA AT BEDSIDE", "OKAFOR", "NAME"),
    ],
    "missed_dates": [
        ("CABG 8/87", "8/87", "DATE"),
        ("s/p MVR 9/2/92", "9/2/92", "DATE"),
        ("extubated on 7/6", "7/6", "DATE"),
        ("admitted Jan 3", "Jan 3", "DATE"),
        ("ADM: 9-29", "9-29", "DATE"),
        ("CABG september of 1987 at an OSH", "september of 1987", "DATE"),
        ("WILL RETURN TO CLINIC IN MAY FOR STAPLE REMOVAL", "MAY", "DATE"),
    ],
}

# PHI-free clinical text: no span, and ``deid text`` leaves it byte-identical.
MUST_KEEP: dict[str, list[str]] = {
    "clinical_words_as_names": [
        "Hx of Parkinson disease and Crohn disease.",
        "Apgar 8/9.",
        "CO 5.2 PAP 45/20 MVR OCC PVC MDS MOM IRR VEA HYPERKALEMIA",
        "FOLEY DRAINING CLEAR YELLOW URINE. LIMA TO LAD.",
        "Pt with Alzheimer dementia, Hodgkin lymphoma in remission.",
        "MOM GIVEN. PAP 40/18. CI 2.4.",
        "Babinski reflex negative, Murphy's sign negative.",
        "SON WILL CALL IN AM.",
        "DR NOTIFIED OF K 3.1, REPLETED.",
        "Swan-Ganz catheter in place, wedge 14.",
        "GCS 15. NIHSS 4. APACHE 22. RASS -2.",
        "husband too tired to stay",
        "Norepi 0.15 mcg/kg/min, Brugada pattern on ECG, Heimlich valve on L chest tube.",
        "Framingham risk score 20%, per ADA guidelines.",
        "pt MAY have clears this evening",
        "Babinski neg, Kernig neg.",
    ],
    "measurements_as_phi": [
        "Pain 7/10.",
        "pain score 3/10 after dilaudid",
        "Vent settings 600x12, peep10, FiO2 40%, PS 10/5.",
        "1500cc out via foley.",
        "Sp02 97-100 on 2L O2 via NC.",
        "70 AV paced, BP 110/60.",
        "PS 15/5, RSBI 85.",
        "UO 500-1000 cc per shift.",
        "K 3.5, Na 140, Cr 1.2 -> 1.6.",
        "ABG 7.35/40/90/24.",
        "NSR 80s, occ PVCs, T 99.1, RR 18-22.",
        "A&Ox3, MAE x4, turned q2h.",
        "Propofol 20 mcg/kg/min, fentanyl 50 mcg/hr.",
        "2/4 bottles positive, strength 5/5.",
        "sats 88-92% on 4 lpm via nasal cannula",
        "15/5",
        "pain 4/10 at rest, 7/10 with turning",
        "Ratio 15/5 on BiPAP, FiO2 40%.",
        "VS: BP 150/52 HR 62 ST RR 22 T 100.9 SpO2 96%.",
        "Pain 4/10 chest wall, medicated with tylenol.",
        "GA 40 6/7 WKS, BW 2326 G.",
    ],
    "care_settings_as_places": [
        "PT TRANSFERRED FROM OSH TO REHAB.",
        "HOME HEALTH TO FOLLOW. HOSPITAL COURSE UNREMARKABLE.",
        "ICA STENOSIS ON US.",
        "transferred to floor, then to rehab.",
        "Came in via EMS from home.",
        "Pt from home, lives alone.",
    ],
    "missed_pagers_and_phones": [
        "pg 2 of 3",
        "HR 123-130s",
        "Sp02 97-100",
        "UO 30-50cc/hr",
    ],
    "missed_relatives": [
        "son at bedside, updated.",
        "WIFE AWARE OF PLAN.",
        "dtr called and was updated.",
    ],
    "missed_clinicians": [
        "CHEST PT DONE.",
        "SEEN BY PT.",
        "RT AWARE.",
        "suctioned by RRT for thick secretions.",
        "Plan:\nContinue current care",
        "Will monitor.\nK 3.1, repleted.\nWill follow.",
    ],
    "missed_dates": [
        "ratio 15/5",
        "BP 98/60",
        "Apgar 8/9",
        "Pain 7/10",
    ],
}


def _detect_cases() -> list[tuple[str, str, str, str]]:
    return [(cls, *case) for cls, cases in MUST_DETECT.items() for case in cases]


def _keep_cases() -> list[tuple[str, str]]:
    return [(cls, text) for cls, texts in MUST_KEEP.items() for text in texts]


@pytest.mark.parametrize(("error_class", "text", "phi", "type_"), _detect_cases())
def test_must_detect(error_class: str, text: str, phi: str, type_: str) -> None:
    start = text.index(phi)
    spans = analyze_text(text)
    covering = [s for s in spans if s.start <= start and s.end >= start + len(phi)]
    assert covering, f"{error_class}: {phi!r} not found in {text!r}; spans: {spans}"
    assert covering[0].type == type_, f"{error_class}: {phi!r} found as {covering[0].type}, not {type_}"


@pytest.mark.parametrize(("error_class", "text"), _keep_cases())
def test_must_keep(error_class: str, text: str) -> None:
    spans = analyze_text(text)
    assert spans == [], f"{error_class}: {[text[s.start : s.end] for s in spans]} taken for PHI in {text!r}"
    engine = deidentifier_for(DeidConfig())
    ctx = Context(key=b"k" * 32, patient_id="p", date_offset_days=-40, date_policy="shift")
    assert engine.deidentify(text, ctx).text == text


def test_must_keep_texts_come_out_of_deid_text_byte_identical(tmp_path: Path) -> None:
    texts = [text for texts in MUST_KEEP.values() for text in texts]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(texts)))
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["deid", "text", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    changed = [(texts[row["id"]], row["text"]) for row in rows if row["text"] != texts[row["id"]]]
    assert changed == []


def test_a_date_next_to_a_measurement_is_still_shifted(tmp_path: Path) -> None:
    text = "Pain 7/10 on 3/14/2019, PS 10/5"
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": 1, "text": text}) + "\n")
    out = tmp_path / "out.jsonl"
    assert CliRunner().invoke(app, ["deid", "text", str(source), "-o", str(out)]).exit_code == 0
    result = json.loads(out.read_text())["text"]
    assert result.startswith("Pain 7/10 on ") and result.endswith(", PS 10/5")
    assert "3/14/2019" not in result
