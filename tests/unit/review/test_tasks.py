"""Review tasks on SQLite and PostgreSQL: encryption, claiming once, decisions, release, stats, gate."""

from __future__ import annotations

import json
import threading

import pytest

from medfoundry.errors import InputError
from medfoundry.evaluate.review_gate import acceptance_gate
from medfoundry.review.stats import review_stats
from medfoundry.review.tasks import (
    ReviewConflict,
    claim,
    claim_next,
    decide,
    get_task,
    list_tasks,
    released_output,
    task_content,
    task_detail,
)
from medfoundry.review_policy import HumanReviewGate
from medfoundry.store.database import Store
from tests.unit.review.helpers import make_task


def test_task_text_is_encrypted_and_never_in_audit(store: Store) -> None:
    task = make_task(store, 1)
    content = task_content(store, task)
    output = content["output"]
    artifact = store.get_artifact(task.content_artifact_id)
    assert artifact.encrypted and artifact.phi
    raw = (store.settings.artifacts_dir / artifact.relpath).read_bytes()
    assert output.encode() not in raw
    decide(store, task.id, "alice", "edited", edited=output + " Call us if it gets worse.")
    audit = "".join(json.dumps(e.details) for e in store.audit.iter_events())
    assert output not in audit and "Call us" not in audit and content["messages"][0]["content"] not in audit
    assert "review.edited" in {e.action for e in store.audit.iter_events()}


def test_concurrent_reviewers_never_both_claim_one_task(any_store: Store) -> None:
    task = make_task(any_store, 2)
    results: dict[str, str] = {}
    barrier = threading.Barrier(4)

    def attempt(name: str) -> None:
        barrier.wait()
        try:
            claim(any_store, task.id, name)
            results[name] = "claimed"
        except ReviewConflict:
            results[name] = "conflict"

    threads = [threading.Thread(target=attempt, args=(f"r{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results.values()) == ["claimed", "conflict", "conflict", "conflict"]
    winner = next(n for n, r in results.items() if r == "claimed")
    assert get_task(any_store, task.id).claimed_by == winner
    loser = next(n for n, r in results.items() if r == "conflict")
    with pytest.raises(ReviewConflict):
        decide(any_store, task.id, loser, "approved")
    assert decide(any_store, task.id, winner, "approved").status == "approved"


def test_concurrent_claim_next_hands_out_distinct_tasks(any_store: Store) -> None:
    ids = {make_task(any_store, i).id for i in range(6)}
    got: list[str] = []
    lock = threading.Lock()

    def work(name: str) -> None:
        while (task := claim_next(any_store, name)) is not None:
            with lock:
                got.append(task.id)
            decide(any_store, task.id, name, "approved")

    threads = [threading.Thread(target=work, args=(f"r{i}",)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(got) == sorted(ids)  # every task once, none twice


def test_edit_keeps_the_original_and_reject_is_never_released(store: Store) -> None:
    edited, rejected, approved = make_task(store, 3), make_task(store, 4), make_task(store, 5)
    original = task_content(store, edited)["output"]
    assert released_output(store, get_task(store, edited.id)) is None  # pending: held
    decide(store, edited.id, "alice", "edited", edited="Rest, and follow up with your clinic.")
    decide(store, rejected.id, "alice", "rejected", reason="hallucination", edited="A corrected answer.")
    decide(store, approved.id, "alice", "approved")
    assert task_content(store, get_task(store, edited.id))["output"] == original
    assert released_output(store, get_task(store, edited.id)) == "Rest, and follow up with your clinic."
    assert released_output(store, get_task(store, rejected.id)) is None
    assert released_output(store, get_task(store, approved.id)) == task_content(store, approved)["output"]
    detail = task_detail(store, get_task(store, edited.id))
    assert detail["decisions"][0]["edit_distance"] > 0 and detail["content"]["output"] == original


def test_bad_decisions_say_what_to_do(store: Store) -> None:
    task = make_task(store, 6)
    with pytest.raises(InputError, match="taxonomy"):
        decide(store, task.id, "a", "rejected", reason="boring")
    with pytest.raises(InputError, match=r"equals the model.s output"):
        decide(store, task.id, "a", "edited", edited=task_content(store, task)["output"])
    with pytest.raises(InputError, match="corrected text"):
        decide(store, task.id, "a", "edited", edited="  ")
    decide(store, task.id, "a", "approved")
    with pytest.raises(ReviewConflict):
        decide(store, task.id, "b", "approved")


def test_two_reviewer_mode_and_kappa(store: Store) -> None:
    verdicts = [("approved", "approved"), ("approved", "rejected"), ("rejected", "rejected"), ("approved", "approved")]
    for seed, (first, second) in enumerate(verdicts):
        task = make_task(store, 10 + seed, reviewers=2)
        reason = {"reason": "omission"}
        decide(store, task.id, "alice", first, **(reason if first == "rejected" else {}))
        assert get_task(store, task.id).status == "pending"  # needs its second review
        with pytest.raises(ReviewConflict):
            claim(store, task.id, "alice")  # the same reviewer cannot review twice
        final = decide(store, task.id, "bob", second, **(reason if second == "rejected" else {}))
        assert final.status == ("rejected" if "rejected" in (first, second) else "approved")
    numbers = review_stats(store)
    # A: approve 3 reject 1; B: approve 2 reject 2; observed 3/4; expected .75*.5 + .25*.5 = .5
    assert numbers["agreement"]["double_reviewed"] == 4
    assert numbers["agreement"]["kappa"] == pytest.approx((0.75 - 0.5) / 0.5)
    assert numbers["rejections_by_reason"] == {"omission": 3}
    assert numbers["overall"]["rejection_rate"] == pytest.approx(0.5)


def test_list_filters_by_status_deployment_and_reason(store: Store) -> None:
    a, b = make_task(store, 20, deployment="triage"), make_task(store, 21, deployment="notes")
    decide(store, b.id, "alice", "rejected", reason="style")
    assert [t.id for t in list_tasks(store, status="pending")] == [a.id]
    assert [t.id for t in list_tasks(store, deployment="notes")] == [b.id]
    assert [t.id for t in list_tasks(store, reason="style")] == [b.id]
    assert review_stats(store)["pending"] == 1 and review_stats(store, deployment="notes")["pending"] == 0
    with pytest.raises(InputError):
        list_tasks(store, status="done")


def test_acceptance_gate_needs_enough_items_and_rate(store: Store) -> None:
    gate = HumanReviewGate(min_acceptance=0.7, min_items=4)
    for seed in range(3):
        decide(store, make_task(store, 30 + seed, model_id="mdl_x").id, "alice", "approved")
    short = acceptance_gate(store, "mdl_x", gate)
    assert not short.passed and "only 3 reviewed" in short.reason
    decide(store, make_task(store, 40, model_id="mdl_x").id, "alice", "rejected", reason="unsafe")
    assert acceptance_gate(store, "mdl_x", gate).passed  # 3/4 = 0.75
    decide(store, make_task(store, 41, model_id="mdl_x").id, "alice", "edited", edited="Something else entirely.")
    strict = acceptance_gate(store, "mdl_x", gate)
    assert not strict.passed and strict.value == pytest.approx(3 / 5)
    lenient = HumanReviewGate(min_acceptance=0.7, min_items=4, count_edits_as_accepted=True)
    lenient = acceptance_gate(store, "mdl_x", lenient)
    assert lenient.passed and lenient.value == pytest.approx(4 / 5)


def test_an_abandoned_claim_expires(store: Store) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from medfoundry.review.tasks import CLAIM_TIMEOUT_S, now
    from medfoundry.store.models import ReviewTask

    task = make_task(store, 50)
    claim(store, task.id, "alice")
    with pytest.raises(ReviewConflict):
        claim(store, task.id, "bob")
    with store.session() as session:  # alice left without deciding
        old = now() - timedelta(seconds=CLAIM_TIMEOUT_S + 60)
        session.execute(update(ReviewTask).where(ReviewTask.id == task.id).values(claimed_at=old))
    assert claim(store, task.id, "bob").claimed_by == "bob"
    with pytest.raises(ReviewConflict):
        decide(store, task.id, "alice", "approved")
