"""Browser-test fixtures: real stages on a tiny local model, a real server, Debian's Chromium.

Once per session: ``medfoundry demo`` (synthetic FHIR → ingest → de-identify → dataset →
LoRA → evaluation → deployment → evidence) in a temp dir, two more real evaluations with a
failing and a passing gate, a viewer key, then ``medfoundry serve`` and ``medfoundry worker``
against the demo's home. Tests drive the console in headless Chromium through Playwright.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path(os.environ.get("MEDFOUNDRY_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip
SHOTS = Path(__file__).parents[2] / "docs" / "console"
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
MEDQA_ROWS = [
    {"question": "Which organ pumps blood through the body?", "answer_idx": "A",
     "options": {"A": "heart", "B": "liver", "C": "kidney", "D": "skin"}},
    {"question": "Which vitamin deficiency causes scurvy?", "answer_idx": "C",
     "options": {"A": "vitamin A", "B": "vitamin D", "C": "vitamin C", "D": "vitamin K"}},
    {"question": "Insulin is made by which organ?", "answer_idx": "B",
     "options": {"A": "spleen", "B": "pancreas", "C": "stomach", "D": "lung"}},
]  # fmt: skip


@dataclass
class Platform:
    url: str
    home: Path
    admin_key: str
    viewer_key: str
    demo: dict
    base_model: str
    passing_model: str
    failing_model: str
    env: dict[str, str]


def _cli(env: dict[str, str], *args: str, timeout: float = 600) -> dict:
    done = subprocess.run([sys.executable, "-m", "medfoundry", *args], env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)  # fmt: skip
    if done.returncode not in (0, 12, 13, 14, 15) or not done.stdout.strip():
        pytest.fail(f"medfoundry {' '.join(args)} failed ({done.returncode}): {done.stderr[-3000:]}")
    return json.loads(done.stdout)


def _evaluate(env: dict[str, str], tmp: Path, model: str, rule: str, tag: str) -> dict:
    data = tmp / "medqa"
    data.mkdir(exist_ok=True)
    (data / "test.jsonl").write_text("".join(json.dumps(row) + "\n" for row in MEDQA_ROWS))
    gates = tmp / f"gates-{tag}.yaml"
    gates.write_text(f"absolute:\n  - {rule}\n")
    return _cli(env, "eval", "run", model, "--benchmark", "medqa", "--data", str(data), "--gates", str(gates),
                "--json")  # fmt: skip


def _start(env: dict[str, str], *args: str, log: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "medfoundry", *args], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=log.open("w"))  # fmt: skip


@pytest.fixture(scope="session")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium")
    tmp = tmp_path_factory.mktemp("console")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDFOUNDRY_")}
    env["MEDFOUNDRY_HOME"] = str(tmp / "demo" / "home")
    demo = _cli(env, "demo", "--patients", "6", "--train-steps", "4", "--output", str(tmp / "demo"), "--json")
    trained = demo["details"]["model"]
    base = demo["details"]["pipeline"]["stages"][0] if False else None  # noqa: F841 (kept simple)
    models = _cli(env, "models", "list", "--json")
    rows = models.get("models", models) if isinstance(models, dict) else models
    base_id = next(m["id"] for m in rows if m["id"] != trained and "tiny" in (m.get("name") or "") + (m.get("location") or ""))
    _evaluate(env, tmp, trained, "medqa.acc >= 1.5", "fail")
    _evaluate(env, tmp, base_id, "medqa.acc >= 0", "pass")
    viewer = _cli(env, "keys", "create", "--scope", "viewer", "--name", "reviewer", "--json")["key"]
    server = _start(env, "serve", "--port", "0", "--max-tokens-limit", "256", log=tmp / "serve.log")
    worker = _start(env, "worker", "--poll", "0.5", log=tmp / "worker.log")
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        match = re.search(r"http://[\d.]+:\d+", line)
        if not match:
            pytest.fail(f"medfoundry serve did not start: {line!r} {(tmp / 'serve.log').read_text()[-2000:]}")
        yield Platform(match.group(0), tmp / "demo" / "home", demo["details"]["api_key"], viewer, demo, base_id,
                       base_id, trained, env)  # fmt: skip
    finally:
        for proc in (worker, server):
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture(scope="session")
def browser(platform: Platform) -> Iterator[object]:
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: object, platform: Platform) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)  # type: ignore[attr-defined]
    context.set_default_timeout(30_000)
    pg = context.new_page()
    yield pg
    context.close()


def sign_in(page: object, platform: Platform, key: str) -> None:
    page.goto(f"{platform.url}/console/sign-in")  # type: ignore[attr-defined]
    page.get_by_test_id("api-key").fill(key)  # type: ignore[attr-defined]
    page.get_by_test_id("sign-in").click()  # type: ignore[attr-defined]
    page.get_by_test_id("home-title").wait_for()  # type: ignore[attr-defined]


def axe_violations(page: object) -> list[dict]:
    """WCAG 2.0/2.1 A and AA violations axe-core finds on the current page."""
    page.add_script_tag(path=str(AXE))  # type: ignore[attr-defined]
    result = page.evaluate(  # type: ignore[attr-defined]
        "async () => (await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))"
    )
    return list(result)


def screenshot(page: object, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)  # type: ignore[attr-defined]


def wait_until(condition, timeout: float = 60.0, interval: float = 0.25):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    return condition()


__all__ = ["Platform", "axe_violations", "screenshot", "shutil", "sign_in", "wait_until"]
