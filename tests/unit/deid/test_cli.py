"""The ``medfoundry deid`` verbs as a user runs them (help, text, eval, scan)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from medfoundry.cli.main import app

runner = CliRunner()


@pytest.mark.parametrize("verb", ["run", "text", "eval", "scan"])
def test_every_verb_has_help(verb: str) -> None:
    result = runner.invoke(app, ["deid", verb, "--help"])
    assert result.exit_code == 0 and "Example" in result.output


def test_text_writes_spans_into_the_input_text(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    lines = [
        {
            "id": "a",
            "text": "pt seen by dr okafor 3/14, wife marta at bedside. Call 555-810-7203.",
            "patient_id": "p1",
        },
        {"id": "b", "text": "Marta called 3/20 about Dr. Okafor's plan. AFIB, INR 2.3.", "patient_id": "p1"},
        {"id": "c", "text": "No PHI here: lungs clear."},
    ]
    source.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["deid", "text", str(source), "-o", str(out), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["texts"] == 3
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["a", "b", "c"]
    for row, line in zip(rows, lines, strict=True):
        assert set(row) == {"id", "text", "spans"}
        for span in row["spans"]:
            assert set(span) == {"start", "end", "type", "detector"}
            assert line["text"][span["start"] : span["end"]].strip()
    assert {lines[0]["text"][s["start"] : s["end"]] for s in rows[0]["spans"]} >= {
        "okafor",
        "marta",
        "3/14",
        "555-810-7203",
    }
    assert "okafor" not in rows[0]["text"].lower() and "marta" not in rows[1]["text"].lower()
    surrogate = rows[1]["text"].split()[0]
    assert surrogate.lower() in rows[0]["text"].lower()  # the same patient's Marta, the same surrogate
    assert rows[2]["text"] == lines[2]["text"] and rows[2]["spans"] == []


def test_text_reports_the_bad_line(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": 1, "text": "ok"}\n{"id": 2}\n')
    result = runner.invoke(app, ["deid", "text", str(source), "-o", str(tmp_path / "o.jsonl")])
    assert result.exit_code != 0
    assert isinstance(result.exception, Exception) and "in.jsonl:2" in str(result.exception)


def test_scan_file_exit_codes(tmp_path: Path) -> None:
    known = tmp_path / "known.json"
    known.write_text(json.dumps({"name": ["Marta Okafor"], "phone": ["555-201-7788"]}))
    clean = tmp_path / "clean.jsonl"
    clean.write_text(json.dumps({"messages": [{"role": "user", "content": "Alexandra is better."}]}) + "\n")
    leaky = tmp_path / "leaky.jsonl"
    leaky.write_text(
        json.dumps({"messages": [{"role": "user", "content": "okafor called 555 201 7788"}]}) + "\n"
    )
    ok = runner.invoke(app, ["deid", "scan", str(clean), "--known", str(known), "--json"])
    assert ok.exit_code == 0 and json.loads(ok.stdout)["passed"] is True
    bad = runner.invoke(app, ["deid", "scan", str(leaky), "--known", str(known), "--json"])
    assert bad.exit_code == 9
    document = json.loads(bad.stdout)
    assert document["hit_count"] == 2 and "okafor" not in bad.stdout.lower()
    assert document["hits"][0]["location"].startswith("leaky.jsonl:1.messages[0].content")


def test_eval_json(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        json.dumps(
            {
                "id": "a",
                "text": "Seen by Dr. Okafor on 7/22.",
                "spans": [{"start": 12, "end": 18, "type": "NAME"}, {"start": 22, "end": 26, "type": "DATE"}],
            }
        )
        + "\n"
    )
    result = runner.invoke(
        app, ["deid", "eval", str(gold), "--format", "spans-jsonl", "--json", "--show-missed", "0"]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["span"]["recall"] == 1.0 and set(document["span_recall_by_type"]) == {"NAME", "DATE"}
