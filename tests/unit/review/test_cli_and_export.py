"""The ``medfoundry review`` verbs in process (JSON everywhere), and the export formats."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from medfoundry.cli.main import app
from medfoundry.datasets.chat import check_trainable
from medfoundry.errors import InputError, PHILeakError
from medfoundry.review.export import PREFERENCE_FORMAT, export_reviews
from medfoundry.review.tasks import ReviewConflict, decide, task_content
from medfoundry.store.database import Store
from medfoundry.store.models import LineageEdge
from tests.unit.review.helpers import make_task


def run(*args: str) -> Any:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout) if "--json" in args else result.output


def fails(*args: str) -> BaseException:
    """The user error a verb raises (main() turns it into one line and the exit code)."""
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code != 0 and result.exception is not None
    return result.exception


def test_review_verbs_from_the_cli(store: Store) -> None:
    a, b, c = (make_task(store, seed) for seed in (1, 2, 3))
    listed = run("review", "list", "--status", "pending", "--json")["tasks"]
    assert {t["id"] for t in listed} == {a.id, b.id, c.id} and all("content" not in t for t in listed)
    shown = run("review", "show", a.id, "--json")
    assert shown["content"]["output"] == task_content(store, a)["output"] and shown["decisions"] == []
    assert run("review", "approve", a.id, "--reviewer", "dr-a", "--json")["status"] == "approved"
    edited = run("review", "edit", b.id, "--text", "Rest and drink water.", "--json")
    assert edited["status"] == "edited"
    assert run("review", "reject", c.id, "--reason", "omission", "--json")["status"] == "rejected"
    assert isinstance(fails("review", "approve", c.id), ReviewConflict)  # decided once, never twice
    stats = run("review", "stats", "--json")
    assert stats["overall"]["reviewed"] == 3 and stats["rejections_by_reason"] == {"omission": 1}
    out = run("review", "export", "--approved", "--edited", "-o", "fixes", "--json")
    assert out["examples"] == 2 and out["format"] == "chat-jsonl"
    assert "choose what to export" in str(fails("review", "export", "-o", "fixes"))


def test_a_bad_rejection_reason_names_the_taxonomy(store: Store) -> None:
    task = make_task(store, 9)
    error = fails("review", "reject", task.id, "--reason", "boring")
    assert isinstance(error, InputError) and "hallucination" in (error.hint or "")
    assert isinstance(fails("review", "edit", task.id), InputError)  # no corrected text


def test_chat_export_uses_corrections_and_skips_rejections(store: Store) -> None:
    approved, edited, rejected = (make_task(store, s, model_id="mdl_m") for s in (1, 2, 3))
    decide(store, approved.id, "r", "approved")
    decide(store, edited.id, "r", "edited", edited="Rest and follow up with your clinic.")
    decide(store, rejected.id, "r", "rejected", reason="unsafe", edited="Please call your clinic.")
    result = export_reviews(store, name="sft", approved=True, edited=True, rejected=True)
    rows = [json.loads(x) for x in store.read_artifact(result.version.artifact_id or "").decode().splitlines()]
    by_task = {r["review_task"]: r for r in rows}
    assert set(by_task) == {approved.id, edited.id}  # a rejected output is never a training target
    assert by_task[edited.id]["messages"][-1] == {"role": "assistant", "content": "Rest and follow up with your clinic."}
    assert by_task[approved.id]["messages"][-1]["content"] == task_content(store, approved)["output"]
    check_trainable(result.version)  # a task version with a clean PHI scan
    with store.sessions() as session:
        edges = session.scalars(select(LineageEdge).where(LineageEdge.child_id == result.version.id))
        parents = {e.parent_id: e.relation for e in edges}
    assert parents[approved.id] == "reviewed-in" and parents["mdl_m"] == "generated-by"
    assert parents[f"dep_{2}"] == "served-by" and rejected.id not in parents


def test_preference_export_pairs_corrections_with_originals(store: Store) -> None:
    edited, rejected, plain_reject = (make_task(store, s) for s in (4, 5, 6))
    decide(store, edited.id, "r", "edited", edited="Avoid triggers and rest.")
    decide(store, rejected.id, "r", "rejected", reason="hallucination", edited="Ask your care team.")
    decide(store, plain_reject.id, "r", "rejected", reason="style")
    result = export_reviews(store, name="prefs", edited=True, rejected=True, fmt="preference")
    assert result.version.meta["format"] == PREFERENCE_FORMAT and result.skipped == 1
    rows = {json.loads(x)["review_task"]: json.loads(x) for x in
            store.read_artifact(result.version.artifact_id or "").decode().splitlines()}  # fmt: skip
    assert rows[edited.id]["chosen"] == "Avoid triggers and rest."
    assert rows[edited.id]["rejected"] == task_content(store, edited)["output"]
    assert rows[rejected.id]["chosen"] == "Ask your care team." and plain_reject.id not in rows
    assert rows[edited.id]["prompt"][0]["role"] == "user"


def test_export_refuses_phi_and_stores_nothing(store: Store) -> None:
    task = make_task(store, 7)
    decide(store, task.id, "r", "edited", edited="Call me at 617-555-0199 or mail j.doe@example.org.")
    with pytest.raises(PHILeakError):
        export_reviews(store, name="leaky", edited=True)
    assert "review.export_refused" in {e.action for e in store.audit.iter_events()}
    with pytest.raises(InputError, match="no reviewed outputs"):
        export_reviews(store, name="empty", approved=True)
