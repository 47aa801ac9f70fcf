"""The review loop over HTTP on a tiny model: held and flagged responses, scopes, decisions, release."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from medfoundry.api import create_app
from medfoundry.guardrails.policy import Policy
from medfoundry.review_policy import ReviewPolicy
from medfoundry.store.database import Store
from tests.unit.api.conftest import make_config
from tests.unit.serve.helpers import deploy_tiny, new_key


@pytest.fixture
def client(store: Store, tiny_model_dir: Path) -> Iterator[TestClient]:
    deploy_tiny(store, tiny_model_dir, "held", Policy(name="held", review=ReviewPolicy(always=True)))
    deploy_tiny(store, tiny_model_dir, "flagged", Policy(name="flagged", review=ReviewPolicy(always=True, mode="flag")))
    deploy_tiny(store, tiny_model_dir, "plain", Policy(name="plain"))
    with TestClient(create_app(store, config=make_config())) as test_client:
        yield test_client


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def chat(client: TestClient, key: str, model: str, **extra: object) -> dict:
    body = {"model": model, "messages": [{"role": "user", "content": "How do I use my asthma inhaler?"}],
            "max_tokens": 6, "temperature": 0, **extra}  # fmt: skip
    response = client.post("/v1/chat/completions", json=body, headers=bearer(key))
    assert response.status_code == 200, response.text
    return response.json()


def test_held_response_withholds_content_until_a_reviewer_edits_it(client: TestClient, store: Store) -> None:
    invoke, reviewer, viewer = (new_key(store, scope=s) for s in ("invoke", "reviewer", "viewer"))
    body = chat(client, invoke, "held")
    review = body["medfoundry"]["review"]
    assert review["status"] == "pending" and review["mode"] == "hold" and review["id"].startswith("rvt_")
    assert body["choices"][0]["message"]["content"] == ""
    task_id = review["id"]
    pending = client.get(f"/v1/review/responses/{task_id}", headers=bearer(invoke)).json()
    assert pending["status"] == "pending" and pending["content"] is None

    # scopes: an invoke key cannot review, a viewer can list but neither read content nor approve
    assert client.get(f"/v1/review/tasks/{task_id}", headers=bearer(invoke)).status_code == 403
    assert client.post(f"/v1/review/tasks/{task_id}/approve", headers=bearer(invoke)).status_code == 403
    listed = client.get("/v1/review/tasks?status=pending", headers=bearer(viewer))
    assert listed.status_code == 200 and [t["id"] for t in listed.json()["data"]] == [task_id]
    assert "content" not in listed.json()["data"][0]
    assert client.get(f"/v1/review/tasks/{task_id}", headers=bearer(viewer)).status_code == 403
    assert client.post(f"/v1/review/tasks/{task_id}/approve", headers=bearer(viewer)).status_code == 403
    assert client.post("/v1/chat/completions", headers=bearer(reviewer), json={
        "model": "held", "messages": [{"role": "user", "content": "hi"}]}).status_code == 403  # fmt: skip

    detail = client.get(f"/v1/review/tasks/{task_id}", headers=bearer(reviewer)).json()
    assert detail["content"]["messages"][0]["content"] == "How do I use my asthma inhaler?"
    original = detail["content"]["output"]
    edited = client.post(f"/v1/review/tasks/{task_id}/edit", headers=bearer(reviewer),
                         json={"text": "Shake it, breathe out, then inhale slowly with one puff."})  # fmt: skip
    assert edited.status_code == 200 and edited.json()["status"] == "edited"
    again = client.post(f"/v1/review/tasks/{task_id}/approve", headers=bearer(new_key(store, scope="admin")))
    assert again.status_code == 409  # decided: nobody decides it twice
    released = client.get(f"/v1/review/responses/{task_id}", headers=bearer(invoke)).json()
    assert released == {"id": task_id, "status": "edited", "request_id": pending["request_id"],
                        "content": "Shake it, breathe out, then inhale slowly with one puff."}  # fmt: skip
    after = client.get(f"/v1/review/tasks/{task_id}", headers=bearer(reviewer)).json()
    assert after["content"]["output"] == original  # the original is kept
    assert after["decisions"][0]["edit_distance"] > 0


def test_rejected_held_response_is_never_released(client: TestClient, store: Store) -> None:
    invoke, reviewer = new_key(store, scope="invoke"), new_key(store, scope="reviewer")
    task_id = chat(client, invoke, "held")["medfoundry"]["review"]["id"]
    bad = client.post(f"/v1/review/tasks/{task_id}/reject", headers=bearer(reviewer), json={"reason": "boring"})
    assert bad.status_code == 422 and "taxonomy" in bad.json()["error"]["message"]
    ok = client.post(f"/v1/review/tasks/{task_id}/reject", headers=bearer(reviewer),
                     json={"reason": "hallucination", "text": "Please ask your care team."})  # fmt: skip
    assert ok.json()["status"] == "rejected"
    outcome = client.get(f"/v1/review/responses/{task_id}", headers=bearer(invoke)).json()
    assert outcome["status"] == "rejected" and outcome["content"] is None
    stats = client.get("/v1/review/stats", headers=bearer(new_key(store, scope="viewer"))).json()
    assert stats["rejections_by_reason"] == {"hallucination": 1} and stats["overall"]["rejection_rate"] == 1.0


def test_flagged_response_is_released_and_plain_deployment_not_routed(client: TestClient, store: Store) -> None:
    invoke = new_key(store, scope="invoke")
    flagged = chat(client, invoke, "flagged")
    assert flagged["medfoundry"]["review"]["mode"] == "flag"
    task = client.get(f"/v1/review/tasks/{flagged['medfoundry']['review']['id']}",
                      headers=bearer(new_key(store, scope="reviewer"))).json()  # fmt: skip
    assert flagged["choices"][0]["message"]["content"] == task["content"]["output"]
    assert "review" not in chat(client, invoke, "plain")["medfoundry"]


def test_held_stream_sends_no_content_chunks(client: TestClient, store: Store) -> None:
    invoke = new_key(store, scope="invoke")
    body = {"model": "held", "messages": [{"role": "user", "content": "Tell me about eczema."}], "max_tokens": 6,
            "stream": True}  # fmt: skip
    with client.stream("POST", "/v1/chat/completions", json=body, headers=bearer(invoke)) as response:
        text = "".join(response.iter_text())
    import json

    chunks = [json.loads(line[6:]) for line in text.splitlines() if line.startswith("data: {")]
    assert all(c["choices"][0]["delta"].get("content", "") == "" for c in chunks)
    assert chunks[-1]["medfoundry"]["review"]["status"] == "pending"


def test_claim_next_and_export_over_http(client: TestClient, store: Store) -> None:
    invoke, reviewer = new_key(store, scope="invoke"), new_key(store, scope="reviewer")
    ids = {chat(client, invoke, "held")["medfoundry"]["review"]["id"] for _ in range(2)}
    first = client.post("/v1/review/next", headers=bearer(reviewer)).json()["task"]
    assert first["id"] in ids and first["claimed_by"].startswith("api_key:")
    other = new_key(store, scope="reviewer")
    assert client.post(f"/v1/review/tasks/{first['id']}/claim", headers=bearer(other)).status_code == 409
    client.post(f"/v1/review/tasks/{first['id']}/edit", headers=bearer(reviewer), json={"text": "Use the spacer."})
    exported = client.post("/v1/review/export", headers=bearer(reviewer),
                           json={"name": "held-fixes", "edited": True, "format": "preference"})  # fmt: skip
    assert exported.status_code == 200, exported.text
    assert exported.json()["examples"] == 1 and exported.json()["format"] == "preference-jsonl"


def test_import_a_dataset_batch_over_http(client: TestClient, store: Store, tmp_path: Path) -> None:
    import json

    from medfoundry.datasets.chat import register_chat_jsonl

    drafts = tmp_path / "drafts.jsonl"
    drafts.write_text("".join(json.dumps({"messages": [{"role": "user", "content": f"Explain {t}."},
                                                       {"role": "assistant", "content": f"{t} is common."}]}) + "\n"
                              for t in ("gout", "acne", "eczema")))  # fmt: skip
    version = register_chat_jsonl(store, drafts, name="drafts")
    reviewer, invoke = new_key(store, scope="reviewer"), new_key(store, scope="invoke")
    body = {"dataset": "drafts", "limit": 2, "reviewers": 2}
    assert client.post("/v1/review/import", json=body, headers=bearer(invoke)).status_code == 403
    assert client.post("/v1/review/import", json={"dataset": str(drafts)}, headers=bearer(reviewer)).status_code == 422
    imported = client.post("/v1/review/import", json=body, headers=bearer(reviewer))
    assert imported.status_code == 200, imported.text
    assert imported.json()["created"] == 2 and imported.json()["source"] == version.id
    listed = client.get("/v1/review/tasks?source=dataset", headers=bearer(reviewer)).json()["data"]
    assert len(listed) == 2 and all(t["reviewers_required"] == 2 for t in listed)


def test_the_completions_route_is_held_too(client: TestClient, store: Store) -> None:
    invoke = new_key(store, scope="invoke")
    body = {"model": "held", "prompt": "Summarize: mild eczema on both hands.", "max_tokens": 6}
    held = client.post("/v1/completions", json=body, headers=bearer(invoke)).json()
    assert held["choices"][0]["text"] == "" and held["medfoundry"]["review"]["status"] == "pending"
    many = client.post("/v1/completions", json={**body, "prompt": ["a", "b"]}, headers=bearer(invoke))
    assert many.status_code == 400 and "one prompt per request" in many.json()["error"]["message"]
    with client.stream("POST", "/v1/completions", json={**body, "stream": True}, headers=bearer(invoke)) as response:
        text = "".join(response.iter_text())
    assert '"review"' in text and all('"text": ""' in line for line in text.splitlines() if line.startswith("data: {"))
    plain = client.post("/v1/completions", json={**body, "model": "plain", "prompt": ["a", "b"]}, headers=bearer(invoke))
    assert plain.status_code == 200 and "review" not in plain.json()["medfoundry"]


def test_console_playground_shows_the_hold(client: TestClient, store: Store) -> None:
    from tests.unit.console.test_console_http import sign_in

    csrf = sign_in(client, new_key(store, scope="admin"))
    turn = client.post("/console/playground", data={"deployment": "held", "message": "Is my rash contagious?", "max_tokens": "8"},
                       headers={"X-CSRF-Token": csrf})  # fmt: skip
    assert turn.status_code == 200 and "Held for human review" in turn.text
    task_id = re_task.search(turn.text).group(0)  # type: ignore[union-attr]
    assert client.get(f"/console/review/{task_id}").status_code == 200


re_task = __import__("re").compile(r"rvt_[0-9a-z]+")


def test_a_reviewer_key_limited_to_a_deployment_sees_only_its_tasks(client: TestClient, store: Store) -> None:
    invoke = new_key(store, scope="invoke")
    held = chat(client, invoke, "held")["medfoundry"]["review"]["id"]
    flagged = chat(client, invoke, "flagged")["medfoundry"]["review"]["id"]
    limited = new_key(store, scope="reviewer", deployment="flagged")
    listed = client.get("/v1/review/tasks?status=", headers=bearer(limited)).json()["data"]
    assert [t["id"] for t in listed] == [flagged]
    assert client.get("/v1/review/tasks?deployment=held", headers=bearer(limited)).status_code == 403
    assert client.get(f"/v1/review/tasks/{held}", headers=bearer(limited)).status_code == 403
    assert client.post(f"/v1/review/tasks/{held}/approve", headers=bearer(limited)).status_code == 403
    assert client.post("/v1/review/next", headers=bearer(limited)).json()["task"]["id"] == flagged
    assert client.post(f"/v1/review/tasks/{flagged}/approve", headers=bearer(limited)).json()["status"] == "approved"
