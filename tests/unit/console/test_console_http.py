"""The console over HTTP without a browser: sessions, CSRF, scopes, and the views' pure parts."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from medfoundry.api import create_app
from medfoundry.api.console.evals_view import chart_rows
from medfoundry.api.console.jobs_view import cli_command, form_values
from medfoundry.api.console.routes_data import safe_report
from medfoundry.serve.keys import create_key, scope_allows
from medfoundry.store.database import Store
from medfoundry.train.spec import build_spec


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(store), base_url="http://127.0.0.1") as test_client:
        yield test_client


def sign_in(client: TestClient, secret: str) -> str:
    page = client.get("/console/sign-in")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    response = client.post("/console/sign-in", data={"api_key": secret, "csrf_token": token.group(1)})
    assert response.status_code == 200, response.text
    csrf = re.search(r'"X-CSRF-Token": "([^"]+)"', response.text)
    assert csrf
    return csrf.group(1)


def test_pages_need_a_session_and_sign_in_sets_a_strict_cookie(client: TestClient, store: Store) -> None:
    assert client.get("/console/jobs", follow_redirects=False).headers["location"] == "/console/sign-in"
    _, secret = create_key(store, scope="admin")
    page = client.get("/console/sign-in")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    response = client.post(
        "/console/sign-in", data={"api_key": secret, "csrf_token": token}, follow_redirects=False
    )
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    for path in ("/console/", "/console/catalog", "/console/datasets", "/console/jobs", "/console/evaluations",
                 "/console/deployments", "/console/audit", "/console/playground", "/console/compare"):  # fmt: skip
        assert client.get(path).status_code == 200, path
    assert any(e.action == "console.sign_in" for e in store.audit.iter_events())


def test_bad_key_and_missing_login_token_are_refused(client: TestClient, store: Store) -> None:
    _, secret = create_key(store, scope="admin")
    assert client.post("/console/sign-in", data={"api_key": secret, "csrf_token": "x"}).status_code == 401
    page = client.get("/console/sign-in")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    refused = client.post("/console/sign-in", data={"api_key": "mf-nope", "csrf_token": token})
    assert refused.status_code == 401 and "not valid" in refused.text


def test_csrf_token_is_required_on_posts(client: TestClient, store: Store) -> None:
    csrf = sign_in(client, create_key(store, scope="admin")[1])
    assert client.post("/console/audit/verify").status_code == 403
    assert client.post("/console/audit/verify", headers={"X-CSRF-Token": "forged"}).status_code == 403
    verified = client.post("/console/audit/verify", headers={"X-CSRF-Token": csrf})
    assert verified.status_code == 200 and "Chain intact" in verified.text


def test_viewer_cannot_deploy_start_jobs_or_invoke(client: TestClient, store: Store) -> None:
    csrf = sign_in(client, create_key(store, scope="viewer")[1])
    headers = {"X-CSRF-Token": csrf}
    assert client.post("/console/deployments", data={"model": "x"}, headers=headers).status_code == 403
    assert client.post("/console/jobs-new", data={"base_model": "x"}, headers=headers).status_code == 403
    assert client.get("/console/jobs-new").status_code == 403
    chat = client.post("/console/playground", data={"deployment": "d", "message": "hi"}, headers=headers)
    assert chat.status_code == 403
    assert not scope_allows("viewer", "invoke")


def test_revoked_key_ends_the_session(client: TestClient, store: Store) -> None:
    from medfoundry.serve.keys import revoke_key

    row, secret = create_key(store, scope="admin")
    sign_in(client, secret)
    revoke_key(store, row.id)
    assert client.get("/console/jobs", follow_redirects=False).status_code == 303


def test_safe_report_keeps_counts_and_drops_hits(store: Store) -> None:
    report = {"counts": {"NAME": {"name": 3, "known": 1}}, "detectors": ["name"], "patients": 2,
              "phi_scan": {"hit_count": 1, "by_type": {"NAME": 1}, "characters": 99,
                           "hits": [{"location": "patient:abc/Patient.name", "start": 0, "end": 4}]}}  # fmt: skip
    artifact = store.put_artifact(json.dumps(report).encode(), kind="deid-report", name="report.json")
    shown = safe_report(store, artifact.id)
    assert shown is not None
    assert shown["totals"] == {"NAME": 4} and shown["scan"]["hit_count"] == 1
    assert "hits" not in json.dumps(shown) and "patient:abc" not in json.dumps(shown)


def test_chart_rows_scale_values_base_and_thresholds() -> None:
    scorecard = {"benchmarks": [{"benchmark": "medqa", "metrics": {"acc": 0.5, "note": "text"}}],
                 "base": {"benchmarks": {"medqa": {"metrics": {"acc": 0.25}}}},
                 "gates": [{"benchmark": "medqa", "metric": "acc", "threshold": 0.6, "passed": False}]}  # fmt: skip
    (row,) = chart_rows(scorecard)
    assert (row["value_pct"], row["base_pct"], row["threshold_pct"], row["passed"]) == (
        50.0,
        25.0,
        60.0,
        False,
    )


def test_cli_command_matches_the_form() -> None:
    values = form_values(
        {"base_model": "mdl_1", "dataset": "data.jsonl", "max_steps": "5", "name": " ", "x": "1"}
    )
    command = cli_command(build_spec(values), values)
    assert command == "medfoundry train --queue --base-model mdl_1 --dataset data.jsonl --max-steps 5"
