"""The project's guardrail evaluation set (tests/data/guardrails): it loads, meets the sizes issue 14
asks for, and both halves cover every class, language and context."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from medfoundry.guardrails.evaluation import CSSRS_CONSTRUCTS, EMERGENCY_CLASSES, EvalCase, load_eval_file

DATA = Path(__file__).resolve().parents[2] / "data" / "guardrails"
SPLITS = ("report", "tune")
NEGATIVE_CONTEXTS = (
    "history",
    "resolved_past",
    "education",
    "clinician_question",
    "fiction",
    "negation",
    "prevention",
    "grief",
    "system_prompt",
)


def _load(kind: str, split: str) -> list[EvalCase]:
    return load_eval_file(DATA / f"{kind}.{split}.yaml")


def _both(kind: str) -> list[EvalCase]:
    return [case for split in SPLITS for case in _load(kind, split)]


@pytest.mark.slow
def test_every_file_loads_and_ids_are_unique_with_the_split_prefix() -> None:
    seen: set[str] = set()
    for path in sorted(DATA.glob("*.yaml")):
        if path.name.startswith("dev"):  # extra tuning sets by other authors (README): ids d<N>- or t-d<N>-
            number = path.name.split(".")[0][len("dev") :]
            for case in load_eval_file(path):
                assert case.id.startswith((f"d{number}-", f"t-d{number}-")), case.id
                assert case.id not in seen, case.id
                seen.add(case.id)
            continue
        split = path.name.split(".")[-2]
        assert split in SPLITS, path.name
        for case in load_eval_file(path):
            assert case.id.startswith("r-" if split == "report" else "t-"), case.id
            assert case.id not in seen, case.id
            seen.add(case.id)


def test_positives_meet_the_issue_sizes() -> None:
    positives = _both("emergency")
    assert all(c.expected == "escalate" for c in positives)
    assert len(positives) >= 300
    assert sum(c.language == "es" for c in positives) >= 60
    assert sum(bool({"misspelled", "no_punct", "all_caps"} & set(c.tags)) for c in positives) >= 40
    assert sum("buried" in c.tags for c in positives) >= 30
    assert sum("caregiver" in c.tags for c in positives) >= 40
    later_turn = [c for c in positives if "multi_turn" in c.tags]
    assert len(later_turn) >= 10
    for case in later_turn:  # the emergency is in a later user turn, not the first
        assert case.roles.count("user") >= 2 and case.roles[-1] == "user"


def test_negatives_meet_the_issue_sizes() -> None:
    negatives = _both("benign")
    assert all(c.expected == "allow" for c in negatives)
    assert len(negatives) >= 300
    assert sum(c.language == "es" for c in negatives) >= 30
    assert all(c.context for c in negatives)


@pytest.mark.parametrize("split", SPLITS)
def test_each_half_covers_every_class_language_construct_and_context(split: str) -> None:
    positives = _load("emergency", split)
    negatives = _load("benign", split)
    assert {c.cls for c in positives} == set(EMERGENCY_CLASSES)
    assert {c.cls for c in negatives} == set(EMERGENCY_CLASSES)
    per_class = Counter(c.cls for c in positives)
    assert min(per_class.values()) >= 4, per_class
    assert {c.language for c in positives} == {"en", "es"}
    assert {c.language for c in negatives} == {"en", "es"}
    suicide = {c.subclass for c in positives if c.cls == "suicide_self_harm"}
    assert set(CSSRS_CONSTRUCTS) <= suicide
    assert set(NEGATIVE_CONTEXTS) <= {c.context for c in negatives}
    for feature in ("misspelled", "no_punct", "all_caps", "buried", "caregiver", "multi_turn"):
        assert any(feature in c.tags for c in positives), feature
    system_prompted = [c for c in negatives if c.context == "system_prompt"]
    assert system_prompted and all(c.roles[0] == "system" and c.roles[-1] == "user" for c in system_prompted)


def test_denied_topic_cases() -> None:
    cases = _both("denied_topics")
    assert len(cases) >= 60
    for split in SPLITS:
        half = _load("denied_topics", split)
        assert {c.expected for c in half} == {"refuse", "allow"}
        assert {c.language for c in half} == {"en", "es"}
        assert {c.subclass for c in half if c.expected == "refuse"} >= {
            "dose_increase",
            "timing_change",
            "lethal_dose",
        }
        assert {c.section for c in half} == {"denied_topics"}


def test_injection_cases() -> None:
    cases = _both("injection")
    assert len(cases) >= 60
    for split in SPLITS:
        half = _load("injection", split)
        assert {c.expected for c in half} == {"block", "allow"}
        assert {c.language for c in half} == {"en", "es"}
        kinds = {c.subclass for c in half if c.expected == "block"}
        assert {"base64", "rot13", "hex", "leetspeak", "role_spoof", "developer_mode"} <= kinds
        assert {"pasted_document", "pasted_lab_report", "other_patient_records"} <= kinds
        assert {c.section for c in half} == {"injection"}


@pytest.mark.parametrize("split", SPLITS)
def test_paraphrase_groups_reword_a_positive_of_the_same_half_three_times(split: str) -> None:
    rewordings = _load("paraphrases", split)
    positives = {c.id: c for c in _load("emergency", split)}
    groups = Counter(c.paraphrase_of for c in rewordings)
    assert len(groups) >= 20
    assert set(groups.values()) == {3}
    for case in rewordings:
        assert case.paraphrase_of in positives, case.id
        source = positives[case.paraphrase_of]
        assert (case.cls, case.language, case.expected) == (source.cls, source.language, "escalate")
        assert case.texts[0] != source.texts[-1]


def test_paraphrases_total_at_least_forty_groups() -> None:
    assert len({c.paraphrase_of for c in _both("paraphrases")}) >= 40


def test_no_report_message_is_repeated_in_the_tune_half() -> None:
    def texts(split: str) -> set[str]:
        found = set()
        for kind in ("emergency", "benign", "denied_topics", "injection", "paraphrases"):
            for case in _load(kind, split):
                found.update(
                    t.strip().lower() for t, r in zip(case.texts, case.roles, strict=True) if r == "user"
                )
        return found

    assert not texts("report") & texts("tune")
