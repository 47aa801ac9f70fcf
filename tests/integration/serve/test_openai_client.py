"""End to end: the CLI deploys and serves a tiny model; the official openai client calls it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from medfoundry.catalog.resolve import resolve_model
from medfoundry.store.database import Store
from tests.unit.serve.helpers import POLICIES, add_evaluation

CLI = [sys.executable, "-m", "medfoundry"]


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120, env=os.environ.copy())


@pytest.fixture
def server(store: Store, tiny_model_dir: Path) -> Iterator[tuple[str, str]]:
    model = resolve_model(store, str(tiny_model_dir))
    refused = cli("deploy", model.id, "--name", "triage", "--json")
    assert refused.returncode == 10 and "gate" in refused.stderr.lower() and not refused.stdout
    add_evaluation(store, model.id, passed=True)
    deployed = cli(
        "deploy", model.id, "--name", "triage", "--policy", str(POLICIES / "patient-facing.yaml"), "--json"
    )
    assert deployed.returncode == 0, deployed.stderr
    assert json.loads(deployed.stdout)["name"] == "triage"
    listed = json.loads(cli("deployments", "list", "--json").stdout)
    assert [d["name"] for d in listed["deployments"]] == ["triage"]
    created = cli("keys", "create", "--scope", "invoke", "--deployment", "triage", "--json")
    key = json.loads(created.stdout)
    assert set(key) == {"id", "key"}
    proc = subprocess.Popen(
        [*CLI, "serve", "--host", "127.0.0.1", "--port", "0", "--max-tokens-limit", "64"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert "http://127.0.0.1:" in line, proc.stderr.read() if proc.poll() is not None else line
        url = line.strip().rsplit(" ", 1)[-1]
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(f"{url}/health", timeout=5)
                if health.status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server never answered /health"
            time.sleep(0.2)
        assert health.json() == {"status": "ok", "deployments": ["triage"]}
        yield url, key["key"]
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.mark.slow
def test_openai_client_plain_and_streamed(server: tuple[str, str], store: Store) -> None:
    from openai import AuthenticationError, OpenAI

    url, key = server
    client = OpenAI(base_url=f"{url}/v1", api_key=key, max_retries=0)
    assert [m.id for m in client.models.list().data] == ["triage"]
    plain = client.chat.completions.create(
        model="triage",
        messages=[{"role": "user", "content": "What is a normal blood pressure?"}],
        max_tokens=12,
    )
    assert plain.choices[0].message.role == "assistant"
    assert plain.usage is not None and plain.usage.completion_tokens <= 12
    report = plain.model_extra["medfoundry"]  # type: ignore[index]
    assert report["escalation"] is False
    assert all(g["where"] == "output" for g in report["guardrails"])  # random text may look like PHI

    stream = client.chat.completions.create(
        model="triage",
        messages=[{"role": "user", "content": "my face is drooping and my speech is slurred"}],
        max_tokens=12,
        stream=True,
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert "911" in text
    final = chunks[-1]
    assert final.choices[0].finish_reason in ("stop", "length")
    assert final.model_extra["medfoundry"]["escalation"] is True  # type: ignore[index]

    completion = client.completions.create(model="triage", prompt="glucose", max_tokens=4)
    assert completion.choices[0].finish_reason in ("stop", "length")

    with pytest.raises(AuthenticationError):
        OpenAI(base_url=f"{url}/v1", api_key="mf-wrong", max_retries=0).models.list()
    calls = store.audit.tail(10, action="serve.call")
    assert [e.details["route"] for e in calls[-3:]] == ["chat", "chat", "completions"]
    assert calls[-2].details["stream"] is True and calls[-2].details["escalation"] is True
