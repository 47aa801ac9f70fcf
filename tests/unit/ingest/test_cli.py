from __future__ import annotations

import json
from pathlib import Path

import pytest

from medfoundry.cli.main import main
from medfoundry.store.home import init_home
from tests.unit.ingest.conftest import condition, write_ndjson


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    import sys

    argv = sys.argv
    sys.argv = ["medfoundry", *args]
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    finally:
        sys.argv = argv
    out, err = capsys.readouterr()
    return code, out, err


def test_ingest_json_prints_the_documented_keys(
    small_export: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    init_home()
    code, out, _ = cli(capsys, "data", "ingest", str(small_export), "--name", "ward", "--json")
    assert code == 0
    document = json.loads(out)
    keys = ["dataset_version", "patients", "resources_read", "resources_kept", "quarantined", "notes"]
    assert list(document)[:6] == keys
    assert [document[k] for k in keys[1:]] == [2, 10, 10, 0, 2]

    code, out, _ = cli(capsys, "data", "list", "--json")
    assert code == 0
    (listed,) = json.loads(out)["versions"]
    assert listed["id"] == document["dataset_version"] and listed["kind"] == "raw" and listed["phi"] is True

    code, out, _ = cli(capsys, "data", "show", "ward@1", "--json")
    shown = json.loads(out)
    assert shown["counts"]["patients"] == 2 and shown["source"].startswith("FHIR Bulk Data NDJSON")


def test_ingest_reports_quarantine_on_a_terminal_summary(
    small_export: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    init_home()
    write_ndjson(small_export, "Condition", [condition("c1", "p1", "2019"), b"{oops"])
    code, out, _ = cli(capsys, "data", "ingest", str(small_export), "--format", "ndjson")
    assert code == 0
    flat = " ".join(out.split())
    assert "1 quarantined" in flat and "quarantine: art_" in flat


def test_user_errors_are_one_line_with_a_hint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    init_home()
    code, _, err = cli(capsys, "data", "ingest", str(tmp_path / "missing"))
    assert code == 5
    assert "no such file or folder" in err and "hint:" in err and "Traceback" not in err
    code, _, err = cli(capsys, "data", "ingest")
    assert code == 2 and "either SOURCE" in err
    (tmp_path / "empty").mkdir()
    code, _, err = cli(capsys, "data", "ingest", str(tmp_path / "empty"), "--format", "bundle")
    assert code == 5 and "no .json files" in err
    code, _, err = cli(capsys, "data", "ingest", str(tmp_path), "--format", "xml")
    assert code == 2 and "--format:" in err
    code, _, err = cli(capsys, "data", "show", "nothing-here")
    assert code == 3


def test_every_data_verb_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    for verb in ("ingest", "list", "show"):
        code, out, _ = cli(capsys, "data", verb, "--help")
        assert code == 0 and "Usage" in out
    code, out, _ = cli(capsys, "data", "ingest", "--help")
    for flag in (
        "--fhir-url",
        "--token",
        "--format",
        "--strict",
        "--text-column",
        "--patient-column",
        "--date-column",
    ):
        assert flag in out
