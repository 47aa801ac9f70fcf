"""Generated benchmark files in the official formats (DDI-2013 is not shared: its license is NC)."""

from __future__ import annotations

import json
from pathlib import Path

DDI_XML = """<?xml version="1.0" encoding="UTF-8"?>
<document id="DDI-DrugBank.d1">
  <sentence id="DDI-DrugBank.d1.s0" text="Aspirin may increase the anticoagulant effect of warfarin.">
    <entity id="DDI-DrugBank.d1.s0.e0" charOffset="0-6" type="drug" text="Aspirin"/>
    <entity id="DDI-DrugBank.d1.s0.e1" charOffset="49-56" type="drug" text="warfarin"/>
    <pair id="DDI-DrugBank.d1.s0.p0" e1="DDI-DrugBank.d1.s0.e0" e2="DDI-DrugBank.d1.s0.e1" ddi="true" type="effect"/>
  </sentence>
  <sentence id="DDI-DrugBank.d1.s1" text="Ketoconazole inhibits the metabolism of cyclosporine; avoid use with grapefruit juice.">
    <entity id="DDI-DrugBank.d1.s1.e0" charOffset="0-11" type="drug" text="Ketoconazole"/>
    <entity id="DDI-DrugBank.d1.s1.e1" charOffset="40-51" type="drug" text="cyclosporine"/>
    <entity id="DDI-DrugBank.d1.s1.e2" charOffset="69-78;80-84" type="drug_n" text="grapefruit juice"/>
    <pair id="DDI-DrugBank.d1.s1.p0" e1="DDI-DrugBank.d1.s1.e0" e2="DDI-DrugBank.d1.s1.e1" ddi="true" type="mechanism"/>
    <pair id="DDI-DrugBank.d1.s1.p1" e1="DDI-DrugBank.d1.s1.e0" e2="DDI-DrugBank.d1.s1.e2" ddi="false"/>
    <pair id="DDI-DrugBank.d1.s1.p2" e1="DDI-DrugBank.d1.s1.e1" e2="DDI-DrugBank.d1.s1.e2" ddi="true" type="advise"/>
  </sentence>
  <sentence id="DDI-DrugBank.d1.s2" text="No drugs here.">
  </sentence>
</document>
"""


def write_ddi(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "DDI-DrugBank-test.xml"
    path.write_text(DDI_XML, encoding="utf-8")
    return path


def write_custom(path: Path) -> Path:
    rows = [
        {
            "id": "q1",
            "question": "First-line drug for anaphylaxis?",
            "choices": ["epinephrine", "aspirin"],
            "answer": "A",
        },
        {
            "id": "q2",
            "question": "Which is an antibiotic?",
            "choices": {"A": "amoxicillin", "B": "insulin", "C": "heparin"},
            "answer": "amoxicillin",
        },
        {
            "id": "q3",
            "question": "Who must be called for a code blue?",
            "answer": "rapid response team",
            "rubric": ["rapid response", "team"],
        },
        {"id": "q4", "question": "Normal adult resting heart rate upper limit?", "answer": "100"},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def write_medqa(path: Path, n: int = 6) -> Path:
    rows = []
    for i in range(n):
        rows.append(
            {
                "question": f"A {30 + i}-year-old patient presents with fever and cough. Most likely diagnosis?",
                "answer": "pneumonia",
                "options": {"A": "asthma", "B": "pneumonia", "C": "diabetes", "D": "hypertension"},
                "meta_info": "step1",
                "answer_idx": "ABCD"[i % 4],
                "metamap_phrases": ["fever"],
            }
        )
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path
