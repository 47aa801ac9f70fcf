"""The console's review pages over HTTP: scopes, decisions with CSRF, the diff, quality numbers."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from medfoundry.api import create_app
from medfoundry.api.console.review_view import chart_series, word_diff
from medfoundry.review.tasks import get_task, task_content
from medfoundry.serve.keys import create_key
from medfoundry.store.database import Store
from tests.unit.console.test_console_http import sign_in
from tests.unit.review.helpers import make_task


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(store), base_url="http://127.0.0.1") as test_client:
        yield test_client


def test_word_diff_marks_removed_and_added_words() -> None:
    pieces = word_diff("rest and drink water", "rest and call your clinic")
    changed = [(p.kind, p.text.strip()) for p in pieces if p.kind != "same"]
    assert changed == [("removed", "drink water"), ("added", "call your clinic")]
    assert "".join(p.text for p in pieces if p.kind != "removed") == "rest and call your clinic"
    series = chart_series({"2026-12-01": {"rejection_rate": 0.5, "edit_rate": 0.25, "mean_edit_distance": 3.0}})
    assert series["rejection"] == [50.0] and series["distance"] == [3.0] and len(series["x"]) == 1


def test_viewer_lists_but_cannot_read_or_decide(client: TestClient, store: Store) -> None:
    task = make_task(store, 1)
    csrf = sign_in(client, create_key(store, scope="viewer")[1])
    queue = client.get("/console/review")
    assert queue.status_code == 200 and task.id in queue.text and "needs a reviewer key" in queue.text
    assert client.get(f"/console/review/{task.id}").status_code == 403
    decided = client.post(f"/console/review/{task.id}/decide", data={"verdict": "approved"}, headers={"X-CSRF-Token": csrf})
    assert decided.status_code == 403 and get_task(store, task.id).status == "pending"


def test_invoke_key_cannot_review(client: TestClient, store: Store) -> None:
    task = make_task(store, 2)
    csrf = sign_in(client, create_key(store, scope="invoke")[1])
    assert client.get(f"/console/review/{task.id}").status_code == 403
    assert client.post("/console/review/next", headers={"X-CSRF-Token": csrf}).status_code == 403


def test_reviewer_edits_sees_the_diff_and_the_original_is_kept(client: TestClient, store: Store) -> None:
    task = make_task(store, 3)
    original = task_content(store, task)["output"]
    csrf = sign_in(client, create_key(store, scope="reviewer")[1])
    nxt = client.post("/console/review/next", headers={"X-CSRF-Token": csrf}, follow_redirects=False)
    assert nxt.headers["location"] == f"/console/review/{task.id}"
    page = client.get(f"/console/review/{task.id}")
    assert page.status_code == 200 and original in page.text and 'data-testid="decide-form"' in page.text
    no_csrf = client.post(f"/console/review/{task.id}/decide", data={"verdict": "edited", "edited": "Rest."})
    assert no_csrf.status_code == 403
    bad = client.post(f"/console/review/{task.id}/decide", headers={"X-CSRF-Token": csrf},
                      data={"verdict": "rejected", "reason": ""})  # fmt: skip
    assert bad.status_code == 422 and "taxonomy" in bad.text
    done = client.post(f"/console/review/{task.id}/decide", headers={"X-CSRF-Token": csrf},
                       data={"verdict": "edited", "edited": original + " Call your clinic if it worsens."})  # fmt: skip
    assert done.status_code == 200 and "edited" in done.text  # redirected to the queue
    page = client.get(f"/console/review/{task.id}").text
    assert re.search(r"<ins>\s*Call your clinic if it worsens\.\s*</ins>", page) and "<del>" not in page
    assert task_content(store, get_task(store, task.id))["output"] == original
    quality = client.get("/console/review-quality")
    assert quality.status_code == 200 and 'data-testid="q-reviewed">1<' in quality.text


def test_a_task_held_by_another_reviewer_shows_no_form(client: TestClient, store: Store) -> None:
    from medfoundry.review.tasks import claim

    task = make_task(store, 4)
    claim(store, task.id, "api_key:someone-else")
    csrf = sign_in(client, create_key(store, scope="admin")[1])
    page = client.get(f"/console/review/{task.id}")
    assert "held-by-other" in page.text and "decide-form" not in page.text
    refused = client.post(f"/console/review/{task.id}/decide", headers={"X-CSRF-Token": csrf}, data={"verdict": "approved"})
    assert refused.status_code == 409 and get_task(store, task.id).status == "pending"
