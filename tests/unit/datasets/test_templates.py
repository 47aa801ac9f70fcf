from __future__ import annotations

from pathlib import Path

import pytest

from medfoundry.datasets.templates import TaskConfig, task_templates
from medfoundry.datasets.templates.metrics import faithfulness, rouge_l, token_f1
from medfoundry.datasets.templates.triage import parse_esi
from medfoundry.datasets.templates.trials import parse_statuses
from medfoundry.errors import ConfigError, InputError
from medfoundry.ingest.records import PatientRecord


def _examples(name: str, records: list[PatientRecord], **options: object) -> list:  # type: ignore[type-arg]
    return list(task_templates.get(name)().examples(records, TaskConfig(**options)))  # type: ignore[operator, arg-type]


def test_all_templates_are_registered() -> None:
    assert task_templates.names() == [
        "clinical-qa",
        "ed-triage",
        "note-drafting",
        "patient-summary",
        "trial-matching",
    ]


def test_patient_summary_on_shared_records(shared_records: list[PatientRecord]) -> None:
    examples = _examples("patient-summary", shared_records)
    assert len(examples) == len(shared_records) == 13
    template = task_templates.get("patient-summary")()  # type: ignore[operator]
    for example in examples:
        assert [m["role"] for m in example.messages] == ["system", "user", "assistant"]
        assert "# Patient summary" in example.messages[1]["content"]
        assert example.reference.startswith("Active problems:")
    # the reference itself is fully faithful and scores perfectly against itself
    perfect = template.score([e.reference for e in examples], examples)
    assert perfect["rouge_l"] == 1.0 and perfect["unsupported_claim_rate"] == 0.0
    # a drug taken from another patient's record is an unsupported claim
    other_drug = next(t for e in examples for t in e.meta["terms"] if t not in examples[0].source)
    swapped = template.score(
        [examples[0].reference + f" Also on {other_drug}."] + [e.reference for e in examples[1:]], examples
    )
    assert swapped["unsupported_claim_rate"] > 0


def test_note_drafting_has_standard_sections(shared_records: list[PatientRecord]) -> None:
    examples = _examples("note-drafting", shared_records[:3], max_examples_per_patient=2)
    assert len(examples) == 6
    template = task_templates.get("note-drafting")()  # type: ignore[operator]
    assert template.score([e.reference for e in examples], examples)["sections_present"] == 1.0
    assert template.score(["no sections here"] * 6, examples)["sections_present"] == 0.0
    assert any("HPI:" in e.reference for e in examples)


def test_ed_triage_uses_labelled_encounters(
    synth_records: list[PatientRecord], shared_records: list[PatientRecord]
) -> None:
    examples = _examples("ed-triage", synth_records)
    assert examples and {e.meta["label"] for e in examples} <= set("12345")
    template = task_templates.get("ed-triage")()  # type: ignore[operator]
    perfect = template.score([e.reference for e in examples], examples)
    assert perfect["accuracy"] == 1.0 and perfect["under_triage_rate"] == 0.0
    under = template.score(["ESI 5: fine"] * len(examples), examples)
    assert under["under_triage_rate"] == sum(e.meta["label"] != "5" for e in examples) / len(examples)
    assert _examples("ed-triage", shared_records) == []  # Synthea's export carries no ESI labels


def test_trial_matching_labels_from_structured_data(
    synth_records: list[PatientRecord], tmp_path: Path
) -> None:
    criteria = tmp_path / "trial.yaml"
    criteria.write_text(
        "trial: DEMO-001\ncriteria:\n"
        "  - {id: I1, kind: inclusion, text: 'Adults 18 to 120', rule: {age: {min: 18, max: 120}}}\n"
        "  - {id: I2, kind: inclusion, text: 'Type 2 diabetes', rule: {condition: '44054006'}}\n"
        "  - {id: E1, kind: exclusion, text: 'On warfarin', rule: {medication: warfarin}}\n"
        "  - {id: E2, kind: exclusion, text: 'Pregnant'}\n"
    )
    examples = _examples("trial-matching", synth_records, criteria_file=criteria)
    assert len(examples) == len(synth_records)
    for example in examples:
        labels = example.meta["labels"]
        assert labels["i1"] == "eligible" and labels["e2"] == "unknown"
        assert example.meta["overall"] in ("not eligible", "unknown")
        assert parse_statuses(example.reference)["overall"] == example.meta["overall"]
    diabetic = [e for e in examples if e.meta["labels"]["i2"] == "eligible"]
    assert 0 < len(diabetic) < len(examples)
    template = task_templates.get("trial-matching")()  # type: ignore[operator]
    assert template.score([e.reference for e in examples], examples) == {
        "criterion_accuracy": 1.0,
        "overall_accuracy": 1.0,
    }


def test_trial_criteria_errors_name_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "trial.yaml"
    bad.write_text("trial: X\ncriteria:\n  - {id: I1, kind: maybe, text: t}\n")
    with pytest.raises(ConfigError, match=r"criteria\.0\.kind"):
        _examples("trial-matching", [], criteria_file=bad)
    with pytest.raises(ConfigError, match="needs a criteria file"):
        _examples("trial-matching", [])


def test_clinical_qa_from_jsonl(tmp_path: Path) -> None:
    qa = tmp_path / "qa.jsonl"
    qa.write_text('{"question": "First-line drug for type 2 diabetes?", "answer": "Metformin"}\n\n'
                  '{"id": "q2", "question": "Normal adult resting heart rate?", "answer": "60 to 100 beats per minute", "context": "Vitals reference"}\n')  # fmt: skip
    examples = _examples("clinical-qa", [], qa_file=qa)
    assert [e.id for e in examples] == ["qa:1", "q2"] and "Context:" in examples[1].messages[1]["content"]
    template = task_templates.get("clinical-qa")()  # type: ignore[operator]
    assert template.score(["metformin.", "60-100 per minute"], examples)["exact_match"] == 0.5
    qa.write_text('{"question": "q"}\n')
    with pytest.raises(InputError, match=r"qa.jsonl:1: needs string fields"):
        _examples("clinical-qa", [], qa_file=qa)


@pytest.mark.parametrize(
    "prediction,reference,expected",
    [("the cat sat", "the cat sat", 1.0), ("", "x", 0.0), ("a b c d", "a c", 2 * (2 / 4 * 1) / (2 / 4 + 1))],
)
def test_rouge_l(prediction: str, reference: str, expected: float) -> None:
    assert rouge_l(prediction, reference) == pytest.approx(expected)


def test_token_f1_and_faithfulness_numbers() -> None:
    assert token_f1("metformin 500 mg", "metformin 500 mg daily") == pytest.approx(2 * 1 * 0.75 / 1.75)
    check = faithfulness(
        "HbA1c 7.2 on metformin, BP 150", "HbA1c 7.2 on metformin", ["metformin", "warfarin"]
    )
    assert check.claims == 3 and check.unsupported_terms == ("150",)


def test_esi_parser() -> None:
    assert (
        parse_esi("ESI 2: chest pain") == "2" and parse_esi("esi-4") == "4" and parse_esi("level two") is None
    )


def test_clip_keeps_the_summary_and_the_latest_entries() -> None:
    from medfoundry.datasets.templates.base import clip

    text = "# Patient summary\n- Active problems: asthma\n## Timeline\n" + "".join(
        f"### 2020-01-{day:02d}\n- entry {day}\n" for day in range(1, 29)
    )
    clipped = clip(text, 150)
    assert clipped.startswith("# Patient summary\n- Active problems: asthma\n## Timeline")
    assert "entry 28" in clipped and "entry 1\n" not in clipped and "earlier entries omitted" in clipped
    assert clip("short", 150) == "short"
