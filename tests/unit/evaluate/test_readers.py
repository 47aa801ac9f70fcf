"""Readers accept the official files unchanged and say file:line when something is wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medfoundry.errors import InputError
from medfoundry.evaluate.benchmarks import BENCHMARKS, load_docs
from medfoundry.evaluate.readers_extra import iob_entities, mark_pair, read_ddi

from .fixtures import write_custom, write_ddi


def test_shared_samples_read_in_file_order(shared_data: Path) -> None:
    bench = shared_data / "bench"
    medqa = load_docs(BENCHMARKS.get("medqa"), bench / "medqa")
    first = json.loads((bench / "medqa" / "medqa_usmle_4options_sample.jsonl").read_text().splitlines()[0])
    assert medqa[0]["question"] == first["question"]
    assert medqa[0]["options"][medqa[0]["gold"]] == first["options"][first["answer_idx"]]
    medmcqa = load_docs(BENCHMARKS.get("medmcqa"), bench / "medmcqa")
    assert medmcqa[0]["gold"] == 0 and len(medmcqa[0]["options"]) == 4
    pubmedqa = load_docs(BENCHMARKS.get("pubmedqa"), bench / "pubmedqa")
    truth = json.loads((bench / "pubmedqa" / "test_ground_truth_sample.json").read_text())
    assert [d["id"] for d in pubmedqa] == [
        p for p in json.loads((bench / "pubmedqa" / "pqal_test_sample.json").read_text()) if p in truth
    ]
    assert all(["yes", "no", "maybe"][d["gold"]] == truth[d["id"]] for d in pubmedqa)
    chem = load_docs(BENCHMARKS.get("ner-bc5cdr-chem"), bench / "ner" / "BC5CDR-chem-IOB")
    assert len(chem) == 60 and "dobutamine" in chem[0]["entities"]
    ncbi = load_docs(BENCHMARKS.get("ner-ncbi-disease"), bench / "ner" / "NCBI-disease-IOB")
    assert len(ncbi) == 60 and any(d["entities"] for d in ncbi)
    icd = load_docs(BENCHMARKS.get("icd10"), bench / "icd10" / "codiesp_sample")
    assert len(icd) == 10 and "s22.49xa" in icd[0]["codes"] and icd[0]["text"]


def test_limit_takes_the_first_items(shared_data: Path) -> None:
    docs = load_docs(BENCHMARKS.get("medqa"), shared_data / "bench" / "medqa", limit=3)
    assert [d["id"] for d in docs] == [
        d["id"] for d in load_docs(BENCHMARKS.get("medqa"), shared_data / "bench" / "medqa")[:3]
    ]


def test_hub_layout_of_medqa_is_read_too(tmp_path: Path) -> None:
    path = tmp_path / "hf.jsonl"
    path.write_text(
        json.dumps(
            {"sent1": "Q?", "ending0": "a", "ending1": "b", "ending2": "c", "ending3": "d", "label": 2}
        )
        + "\n"
    )
    (doc,) = load_docs(BENCHMARKS.get("medqa"), path)
    assert doc["options"] == ["a", "b", "c", "d"] and doc["gold"] == 2


def test_medmcqa_original_one_based_cop(tmp_path: Path) -> None:
    rows = [{"question": "q", "opa": "a", "opb": "b", "opc": "c", "opd": "d", "cop": c} for c in (1, 4, 2)]
    path = tmp_path / "dev.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert [d["gold"] for d in load_docs(BENCHMARKS.get("medmcqa"), path)] == [0, 3, 1]


@pytest.mark.parametrize(
    "content,needle",
    [
        ('{"question": "q", "options": {"A": "a"}}\n{not json\n', "bad.jsonl:1"),
        ('{"question": "q"}\n', "missing field 'options'"),
        (
            '{"question": "q", "options": {"A":"a","B":"b","C":"c","D":"d"}, "answer_idx": "E"}\n',
            "answer_idx",
        ),
    ],
)
def test_bad_medqa_rows_name_file_line_field(tmp_path: Path, content: str, needle: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(content)
    with pytest.raises(InputError, match=needle.replace("(", r"\(")):
        load_docs(BENCHMARKS.get("medqa"), path)


def test_missing_data_path_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        load_docs(BENCHMARKS.get("medqa"), tmp_path / "nope")


@pytest.mark.parametrize(
    "tags,expected",
    [
        (["B-Chemical", "I-Chemical", "O", "B-Chemical"], ["a b", "d"]),
        (["B-Disease", "I-Disease", "O", "B-Chemical"], ["d"]),
        (["O", "I-Chemical", "O", "O"], []),
        (["B", "I", "O", "B"], ["a b", "d"]),
    ],
)
def test_iob_entities(tags: list[str], expected: list[str]) -> None:
    assert iob_entities(["a", "b", "c", "d"], tags, "Chemical") == expected


def test_ddi_2013_xml(tmp_path: Path) -> None:
    docs = read_ddi(write_ddi(tmp_path))
    assert [d["label"] for d in docs] == ["effect", "mechanism", "none", "advise"]
    assert docs[0]["text"] == "[e1]Aspirin[/e1] may increase the anticoagulant effect of [e2]warfarin[/e2]."
    assert "[e2]grapefruit juice[/e2]" in docs[2]["text"]  # discontinuous offsets 69-78;80-84


def test_mark_pair_orders_spans() -> None:
    assert mark_pair("ab cd", (3, 5), (0, 2)) == "[e2]ab[/e2] [e1]cd[/e1]"


def test_ddi_true_without_type_is_rejected(tmp_path: Path) -> None:
    path = write_ddi(tmp_path)
    path.write_text(path.read_text().replace(' type="effect"', ""))
    with pytest.raises(InputError, match="ddi=true"):
        read_ddi(path)


def test_custom_jsonl(tmp_path: Path) -> None:
    docs = load_docs(BENCHMARKS.get("custom"), write_custom(tmp_path / "mine.jsonl"))
    assert [d.get("gold") for d in docs] == [0, 0, None, None]
    assert docs[2]["rubric"] == ["rapid response", "team"]
