"""Gold readers: spans-jsonl with subtypes, BRAT folders (MEDDOCAN) and ASQ-PHI blocks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medfoundry.deid.gold_readers import read_gold
from medfoundry.errors import InputError

DATA = Path(__file__).resolve().parents[2] / "data" / "deid"


def test_spans_jsonl_keeps_subtype_and_class(tmp_path: Path) -> None:
    gold = tmp_path / "g.jsonl"
    row = {"id": "x", "text": "dtr KAREN is HCP", "spans": [{"start": 4, "end": 9, "type": "NAME", "subtype": "relative"}], "class": "relative_name"}  # fmt: skip
    gold.write_text(json.dumps(row) + "\n")
    (text,) = read_gold(gold, "spans-jsonl")
    assert text.spans == [(4, 9, "NAME.relative")] and text.group == "relative_name"


def test_spans_jsonl_bad_line_names_file_and_line(tmp_path: Path) -> None:
    gold = tmp_path / "g.jsonl"
    gold.write_text('{"id": 1, "text": "ok", "spans": []}\n{"id": 2, "spans": []}\n')
    with pytest.raises(InputError, match=r"g\.jsonl:2"):
        list(read_gold(gold, "spans-jsonl"))


def test_brat_folder_maps_labels_and_ages(tmp_path: Path) -> None:
    text = "Paciente: Lucia Ferrer, 93 años, varón de 45 años, Calle Falsa 12, Murcia."
    (tmp_path / "doc1.txt").write_text(text, encoding="utf-8")
    ann = [
        "T1\tNOMBRE_SUJETO_ASISTENCIA 10 22\tLucia Ferrer",
        "T2\tEDAD_SUJETO_ASISTENCIA 24 31\t93 años",
        "T3\tSEXO_SUJETO_ASISTENCIA 33 38\tvarón",
        "T4\tEDAD_SUJETO_ASISTENCIA 42 49\t45 años",
        "T5\tCALLE 51 65\tCalle Falsa 12",
        "T6\tTERRITORIO 67 73\tMurcia",
        "#1\tAnnotatorNotes T1\ta note line, skipped",
    ]
    (tmp_path / "doc1.ann").write_text("\n".join(ann) + "\n", encoding="utf-8")
    (doc,) = read_gold(tmp_path, "brat")
    labels = {doc.text[s:e]: label for s, e, label in doc.spans}
    assert labels == {
        "Lucia Ferrer": "NAME.patient",
        "93 años": "AGE",
        "varón": "SEX",
        "45 años": "AGE.le89",
        "Calle Falsa 12": "ADDRESS.street",
        "Murcia": "LOCATION.territory",
    }


def test_brat_needs_the_ann_file(tmp_path: Path) -> None:
    (tmp_path / "lonely.txt").write_text("texto")
    with pytest.raises(InputError, match=r"lonely\.ann"):
        list(read_gold(tmp_path, "brat"))


def test_asq_phi_marks_every_occurrence_and_keeps_phi_free_queries(tmp_path: Path) -> None:
    source = tmp_path / "q.txt"
    source.write_text(
        "===QUERY===\nDose for Anna S. at Elm Clinic? Anna S. is 70.\n===PHI_TAGS===\n"
        '{"identifier_type": "NAME", "value": "Anna S."}\n'
        '{"identifier_type": "GEOGRAPHIC_LOCATION", "value": "Elm Clinic"}\n\n'
        "===QUERY===\nACE inhibitor in CKD stage 3?\n===PHI_TAGS===\n\n"
    )
    first, second = read_gold(source, "asq-phi")
    assert [(first.text[s:e], label) for s, e, label in first.spans] == [
        ("Anna S.", "NAME"),
        ("Elm Clinic", "LOCATION"),
        ("Anna S.", "NAME"),
    ]
    assert second.spans == [] and second.group == "no_phi" and first.group == "phi"


@pytest.mark.parametrize("split", ["tune", "report"])
def test_committed_meddocan_spans_match_their_annotated_text(split: str) -> None:
    folder = DATA / "meddocan" / split
    texts = list(read_gold(folder, "brat"))
    assert len(texts) == 75
    for doc in texts:
        values = [
            line.split("\t")[2]
            for line in (folder / f"{doc.id}.ann").read_text().splitlines()
            if line.startswith("T")
        ]
        assert sorted(doc.text[s:e] for s, e, _ in doc.spans) == sorted(values)


@pytest.mark.parametrize(("split", "queries", "phi_free"), [("tune", 526, 112), ("report", 525, 107)])
def test_committed_asq_phi_split(split: str, queries: int, phi_free: int) -> None:
    texts = list(read_gold(DATA / "asq_phi" / f"queries.{split}.txt", "asq-phi"))
    assert len(texts) == queries and sum(1 for t in texts if not t.spans) == phi_free
