"""Browser-test fixtures: real stages on a tiny local model, a real server, Debian's Chromium.

Once per session: the stages run on generated data and a tiny model (see ``data.py``),
then ``medfoundry serve`` and ``medfoundry worker`` start against that home. Tests drive the console in headless Chromium through Playwright.
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
from typing import Any

import pytest

from tests.browser.data import build_platform_data

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path(os.environ.get("MEDFOUNDRY_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip
SHOTS = Path(__file__).parents[2] / "docs" / "console"
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"


@dataclass
class Platform:
    url: str
    home: Path
    data: dict[str, Any]

    @property
    def admin_key(self) -> str:
        return str(self.data["admin"])

    @property
    def viewer_key(self) -> str:
        return str(self.data["viewer"])


def _start(env: dict[str, str], *args: str, log: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "medfoundry", *args], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=log.open("w"))  # fmt: skip


def _platform_data(tmp: Path) -> dict[str, Any]:
    """Build the data; ``MEDFOUNDRY_BROWSER_CACHE=DIR`` reuses (a copy of) one built before, for local reruns."""
    cache = os.environ.get("MEDFOUNDRY_BROWSER_CACHE")
    if not cache:
        return build_platform_data(tmp)
    cached = Path(cache)
    if not (cached / "data.json").exists():
        cached.mkdir(parents=True, exist_ok=True)
        (cached / "data.json").write_text(json.dumps(build_platform_data(cached)))
    shutil.rmtree(tmp)
    shutil.copytree(cached, tmp)
    data: dict[str, Any] = json.loads((tmp / "data.json").read_text())
    data["env"]["MEDFOUNDRY_HOME"] = str(tmp / "home")
    return data


@pytest.fixture(scope="session")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium")
    tmp = tmp_path_factory.mktemp("console")
    data = _platform_data(tmp)
    env = data["env"]
    server = _start(env, "serve", "--port", "0", "--max-tokens-limit", "256", log=tmp / "serve.log")
    # A short heartbeat so that a cancel reaches the running job within a second or two.
    worker_env = {**env, "MEDFOUNDRY_HEARTBEAT_INTERVAL_S": "1"}
    worker = _start(worker_env, "worker", "--poll", "0.5", log=tmp / "worker.log")
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        match = re.search(r"http://[\d.]+:\d+", line)
        if not match:
            pytest.fail(f"medfoundry serve did not start: {line!r} {(tmp / 'serve.log').read_text()[-2000:]}")
        yield Platform(match.group(0), tmp / "home", data)
    finally:
        for proc in (worker, server):
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


# Module scope: Playwright's sync API keeps an event loop running on this thread while it is
# open, which would break later tests that call asyncio.run().
@pytest.fixture(scope="module")
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


__all__ = ["Platform", "axe_violations", "screenshot", "sign_in", "wait_until"]
