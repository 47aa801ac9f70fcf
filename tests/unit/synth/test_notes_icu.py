"""The realistic-note generator and the hand-written gold sets built from inline markup."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from medfoundry.cli.main import app
from medfoundry.synth.notes_icu import NOTE_KINDS, generate_notes
from medfoundry.synth.notes_markup import parse_marked, read_marked

DATA = Path(__file__).resolve().parents[2] / "data" / "deid"
HARD_CASE_CLASSES = {
    "clinical_word_as_name", "measurement_as_phi", "care_setting", "hospital_short_name", "town_lowercase",
    "pager_phone", "relative_name", "clinician_credential", "date_shape", "word_surname", "other_identifiers",
}  # fmt: skip


@pytest.fixture(scope="module")
def notes() -> list[dict]:
    return [note.to_dict() for note in generate_notes(300, 1000)]


def test_same_seed_same_notes_other_seed_other_notes(notes: list[dict]) -> None:
    assert [n.to_dict() for n in generate_notes(300, 1000)] == notes
    assert [n.to_dict()["text"] for n in generate_notes(20, 1)] != [n["text"] for n in notes[:20]]


def test_gold_spans_are_exactly_the_phi_substrings(notes: list[dict]) -> None:
    for note in notes:
        previous_end = 0
        for span in note["spans"]:
            value = note["text"][span["start"] : span["end"]]
            assert value and value == value.strip() and "\n" not in value
            assert span["start"] >= previous_end  # sorted, no overlap
            previous_end = span["end"]


def test_every_phi_class_and_style_appears(notes: list[dict]) -> None:
    labels = Counter(f"{s['type']}.{s.get('subtype')}" for n in notes for s in n["spans"])
    for label in ("NAME.patient", "NAME.clinician", "NAME.relative", "LOCATION.hospital", "LOCATION.city",
                  "PHONE.phone", "PHONE.pager", "PHONE.ext", "DATE.None", "DATE.year", "MRN.None", "AGE.None",
                  "ADDRESS.street", "ZIP.None", "EMAIL.None", "ID.account"):  # fmt: skip
        assert labels[label] > 0, label
    assert {n["class"] for n in notes} == set(NOTE_KINDS)
    assert {n["case"] for n in notes} == {"mixed", "upper", "lower"}
    upper = next(n for n in notes if n["case"] == "upper")
    assert upper["text"] == upper["text"].upper()


def test_clinical_traps_appear_outside_gold_spans(notes: list[dict]) -> None:
    def outside(note: dict) -> str:
        text = note["text"]
        for span in note["spans"]:
            text = text[: span["start"]] + " " * (span["end"] - span["start"]) + text[span["end"] :]
        return text.lower()

    free_text = "\n".join(outside(n) for n in notes)
    for trap in (
        "parkinson",
        "foley",
        "apgar",
        "crohn",
        "osh",
        "rehab",
        "mom ",
        "pap ",
        "irr",
        "may ",
        "ward",
    ):
        assert trap in free_text, trap
    for shape in (
        r"\b\d+/10\b",
        r"\b\d{3}x\d{2}\b",
        r"\bpeep ?\d+",
        r"\b\d+cc\b",
        r"\b\d+-\d+\b",
        r"fio2 \d+%",
    ):
        assert re.search(shape, free_text), shape


def test_cli_writes_the_gold_file(tmp_path: Path) -> None:
    out = tmp_path / "notes.jsonl"
    result = CliRunner().invoke(
        app, ["data", "synth-notes", "-n", "5", "--seed", "7", "-o", str(out), "--json"]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 5 and json.loads(result.stdout)["spans"] == sum(len(r["spans"]) for r in rows)
    assert [r["text"] for r in rows] == [n.text for n in generate_notes(5, 7)]


def test_markup_offsets() -> None:
    text, spans = parse_marked("dtr [[NAME.relative|KAREN]] at [[PHONE.phone|212- 476- 8356]], pain 7/10")
    assert text == "dtr KAREN at 212- 476- 8356, pain 7/10"
    assert [(text[s.start : s.end], s.type, s.subtype) for s in spans] == [
        ("KAREN", "NAME", "relative"),
        ("212- 476- 8356", "PHONE", "phone"),
    ]
    with pytest.raises(ValueError, match="markup"):
        parse_marked("broken [[NAME|x")


@pytest.mark.parametrize(("stem", "prefix"), [("hard_cases.report", "hard-report"), ("hard_cases.tune", "hard-tune"),
                                              ("integrity.report", "integrity-report"), ("integrity.tune", "integrity-tune")])  # fmt: skip
def test_committed_jsonl_is_built_from_its_marked_source(stem: str, prefix: str) -> None:
    built = [note.to_dict() for note in read_marked(DATA / f"{stem}.txt", prefix)]
    committed = [
        json.loads(line) for line in (DATA / f"{stem}.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert built == committed


def test_hand_written_sets_are_big_enough_and_cover_every_class() -> None:
    splits = {
        split: list(read_marked(DATA / f"hard_cases.{split}.txt", split)) for split in ("tune", "report")
    }
    assert sum(len(v) for v in splits.values()) >= 300
    for notes in splits.values():
        assert {n.meta["class"] for n in notes} == HARD_CASE_CLASSES
        assert not {n.text for n in notes} & {
            n.text for n in splits["tune" if notes is splits["report"] else "report"]
        }
    integrity = [
        n for split in ("tune", "report") for n in read_marked(DATA / f"integrity.{split}.txt", split)
    ]
    assert len(integrity) >= 200 and all(not n.spans for n in integrity)
