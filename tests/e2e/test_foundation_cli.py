"""The foundation's commands, run as a user runs them."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from tests.e2e.conftest import CLI


def _no_traceback(text: str) -> None:
    assert "Traceback" not in text


def test_init_doctor_and_version(cli: CLI) -> None:
    first = cli("init", "--json")
    assert first.code == 0, first.stderr
    info = first.json()
    assert info["key_created"] and info["audit_events"] == 1
    assert os.stat(info["key_file"]).st_mode & 0o777 == 0o600
    again = cli("init", "--json").json()
    assert not again["key_created"] and again["audit_events"] == 1

    doctor = cli("doctor", "--json")
    checks = {c["name"]: c["status"] for c in doctor.json()["checks"]}
    assert checks["database"] == "OK" and checks["schema"] == "OK" and checks["key"] == "OK"
    assert doctor.code == 0
    assert cli("version", "--json").json()["medfoundry"]


def test_commands_before_init_say_what_to_do(cli: CLI) -> None:
    result = cli("audit", "tail")
    assert result.code != 0
    assert "no medfoundry home" in result.stderr and "medfoundry init" in result.stderr
    _no_traceback(result.stderr)
    doctor = cli("doctor")
    assert doctor.code == 1 and "FAIL" in doctor.stdout


def test_doctor_flags_a_readable_key_file(cli: CLI) -> None:
    key_file = Path(cli("init", "--json").json()["key_file"])
    key_file.chmod(0o644)
    doctor = cli("doctor", "--json")
    key = next(c for c in doctor.json()["checks"] if c["name"] == "key")
    assert doctor.code == 1 and key["status"] == "FAIL" and "chmod 600" in key["fix"]


def test_unreachable_database_is_one_clear_line(cli: CLI) -> None:
    result = cli("init", env={"MEDFOUNDRY_DATABASE_URL": "postgresql://nobody:x@127.0.0.1:1/none"})
    assert result.code != 0
    assert "cannot reach the database" in result.stderr and "x@" not in result.stderr  # password hidden
    _no_traceback(result.stderr)


def test_not_found_errors_and_debug_traceback(cli: CLI) -> None:
    cli("init")
    missing = cli("lineage", "show", "art_missing")
    assert missing.code == 3 and "no artifact with id art_missing" in missing.stderr
    _no_traceback(missing.stderr)
    debug = cli("--debug", "lineage", "show", "art_missing")
    assert "Traceback" in debug.stderr


def test_audit_verify_detects_tampering_from_the_cli(cli: CLI) -> None:
    home = Path(cli("init", "--json").json()["home"])
    submitted = cli("jobs", "submit", "noop", "--json").json()
    assert cli("worker", "--drain").code == 0
    assert cli("audit", "verify", "--json").json()["ok"]
    with sqlite3.connect(home / "medfoundry.db") as db:
        db.execute("UPDATE audit_events SET details = '{}' WHERE seq = 2")
    broken = cli("audit", "verify")
    assert broken.code == 8 and "broken at event 2" in broken.stderr
    _no_traceback(broken.stderr)
    events = cli("audit", "tail", "--object", submitted["id"], "--json").json()["events"]
    assert [e["action"] for e in events] == ["job.submit", "job.noop.ran", "job.succeeded"]


def test_audit_export_jsonl(cli: CLI, tmp_path: Path) -> None:
    cli("init")
    out = tmp_path / "audit.jsonl"
    assert cli("audit", "export", "--jsonl", "-o", str(out)).code == 0
    lines = out.read_text().splitlines()
    assert len(lines) == 1 and '"action": "home.init"' in lines[0]


def test_artifacts_and_lineage_from_the_cli(cli: CLI, tmp_path: Path) -> None:
    cli("init")
    source = tmp_path / "notes.txt"
    source.write_text("synthetic note text\n")
    added = cli("artifacts", "add", str(source), "--phi", "--json").json()
    assert added["encrypted"]
    tree = cli("lineage", "show", added["id"], "--json").json()
    assert tree["parents"][0]["id"] == "source:notes.txt"
    out = tmp_path / "back.txt"
    assert cli("artifacts", "export", added["id"], "-o", str(out)).code == 0
    assert out.read_text() == "synthetic note text\n"
    missing = cli("artifacts", "add", str(tmp_path / "nope.txt"))
    assert missing.code == 5 and "is not a file" in missing.stderr


def test_bad_payload_is_a_config_error(cli: CLI) -> None:
    cli("init")
    result = cli("jobs", "submit", "noop", "--payload", "{not json")
    assert result.code == 2 and "--payload is not valid JSON" in result.stderr
    unknown = cli("jobs", "submit", "nop")
    assert unknown.code == 3 and "did you mean 'noop'" in unknown.stderr


def test_usage_errors_are_click_style_not_internal(cli: CLI) -> None:
    unknown_option = cli("init", "--no-such-flag")
    assert unknown_option.code == 2 and "No such option" in unknown_option.stderr
    assert "internal error" not in unknown_option.stderr
    unknown_command = cli("nosuch")
    assert unknown_command.code == 2 and "No such command" in unknown_command.stderr
