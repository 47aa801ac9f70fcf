"""The safety_classifier backend against a real local OpenAI-compatible HTTP server.

The server (written here, on a random port) answers /v1/chat/completions with whatever the
test sets: a verdict, garbage, an error status, or nothing for longer than the timeout.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from medfoundry.guardrails import GuardrailPipeline
from medfoundry.guardrails.base import GuardrailFailed
from medfoundry.guardrails.classifier import ClassifierError, parse_verdict
from medfoundry.guardrails.policy import policy_from_dict


@dataclass
class Stub:
    url: str
    answer: str = '{"emergency": false, "class": null, "confidence": 0.9}'
    status: int = 200
    delay_s: float = 0.0
    requests: list[dict[str, Any]] = field(default_factory=list)


@pytest.fixture
def stub() -> Iterator[Stub]:
    state = Stub(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state.requests.append(
                {"path": self.path, "body": body, "auth": self.headers.get("Authorization")}
            )
            time.sleep(state.delay_s)
            payload = json.dumps(
                {"choices": [{"index": 0, "message": {"role": "assistant", "content": state.answer}}]}
            ).encode()
            try:
                self.send_response(state.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    yield state
    server.shutdown()
    server.server_close()


def pipeline(stub: Stub, **options: Any) -> GuardrailPipeline:
    classifier = {"url": stub.url, "model": "triage-small", "timeout_s": 0.5, **options}
    return GuardrailPipeline(
        policy_from_dict(
            {"audience": "patient", "rules": {"phi": {}, "emergency": {}, "safety_classifier": classifier}}
        )
    )


def actions(verdict: Any) -> list[tuple[str, str]]:
    return [(a.rule, a.action) for a in verdict.actions if a.rule != "phi"]


def test_a_verdict_adds_an_escalation_the_rules_missed(stub: Stub, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIAGE_KEY", "k-test")
    stub.answer = 'Sure! {"emergency": true, "class": "suicide_self_harm", "confidence": 0.8}'
    verdict = pipeline(stub, api_key_env="TRIAGE_KEY").check_input(
        ["You are a helpful assistant.", "everything feels pointless lately"], ["system", "user"]
    )
    assert verdict.escalation
    assert actions(verdict) == [("safety_classifier", "escalate")]
    assert verdict.actions[-1].details == {
        "class": "suicide_self_harm",
        "resource": "crisis",
        "confidence": 0.8,
    }
    assert "988" in verdict.notices[0]
    (request,) = stub.requests
    assert request["path"] == "/v1/chat/completions" and request["auth"] == "Bearer k-test"
    sent = request["body"]["messages"]
    assert sent[0]["role"] == "system" and "JSON" in sent[0]["content"]  # the fixed rubric
    assert [m["content"] for m in sent[1:]] == ["everything feels pointless lately"]  # user turns only


def test_a_no_answer_never_removes_a_rule_hit(stub: Stub) -> None:
    stub.answer = '{"emergency": false, "class": null, "confidence": 0.99}'
    verdict = pipeline(stub).check_input(["my husband is not breathing"])
    assert verdict.escalation
    assert actions(verdict) == [("emergency", "escalate")]


def test_below_min_confidence_adds_nothing(stub: Stub) -> None:
    stub.answer = '{"emergency": true, "class": "cardiac", "confidence": 0.3}'
    verdict = pipeline(stub).check_input(["what foods are high in fibre?"])
    assert not verdict.escalation and actions(verdict) == []


@pytest.mark.parametrize(
    ("answer", "status", "delay_s"),
    [
        ("I think this person is fine.", 200, 0.0),  # not JSON
        ('{"emergency": "maybe"}', 200, 0.0),  # not the rubric
        ('{"emergency": true, "class": "alien_abduction", "confidence": 1}', 200, 0.0),
        ('{"emergency": true, "class": "cardiac", "confidence": 7}', 200, 0.0),
        ('{"emergency": false}', 500, 0.0),  # server error
        ('{"emergency": false}', 200, 2.0),  # slower than timeout_s
    ],
    ids=["prose", "not-rubric", "unknown-class", "bad-confidence", "http-500", "timeout"],
)
def test_fails_closed(stub: Stub, answer: str, status: int, delay_s: float) -> None:
    stub.answer, stub.status, stub.delay_s = answer, status, delay_s
    verdict = pipeline(stub).check_input(["what foods are high in fibre?"])
    assert verdict.escalation
    assert actions(verdict) == [("safety_classifier", "escalate")]
    assert verdict.actions[-1].details["class"] == "classifier_unavailable"
    assert "911" in verdict.notices[0]
    with pytest.raises(GuardrailFailed, match="safety classifier gave no verdict"):
        pipeline(stub, on_error="fail").check_input(["what foods are high in fibre?"])


def test_unreachable_server_and_missing_key_fail_closed(stub: Stub) -> None:
    dead = Stub(url="http://127.0.0.1:9/v1")
    assert pipeline(dead).check_input(["hello"]).escalation
    with pytest.raises(GuardrailFailed):
        pipeline(stub, api_key_env="MEDFOUNDRY_TEST_UNSET_KEY", on_error="fail").check_input(["hello"])
    assert stub.requests == []  # no key, no request


def test_parse_verdict() -> None:
    assert parse_verdict('```json\n{"emergency": true, "class": "stroke", "confidence": 0.7}\n```') == (
        True,
        "stroke",
        0.7,
    )
    with pytest.raises(ClassifierError):
        parse_verdict("")
