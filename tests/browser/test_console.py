"""The web console in headless Chromium, on data made by the real stages (see conftest.py)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import Any

from tests.browser.conftest import Platform, axe_violations, screenshot, sign_in, wait_until

EMERGENCY = "Since this morning I have crushing chest pain going down my left arm. What should I do?"


def test_sign_in_refuses_a_bad_key_and_sets_a_strict_http_only_cookie(page: Any, platform: Platform) -> None:
    page.goto(f"{platform.url}/")
    assert page.url.endswith("/console/sign-in")
    page.get_by_test_id("api-key").fill("mf-not-a-key")
    page.get_by_test_id("sign-in").click()
    assert "not valid" in page.get_by_test_id("sign-in-error").inner_text()
    screenshot(page, "sign-in")
    sign_in(page, platform, platform.admin_key)
    cookie = next(c for c in page.context.cookies() if c["name"] == "mf_console")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert page.get_by_test_id("scope").inner_text() == "admin"


def test_every_page_renders_without_wcag_violations(page: Any, platform: Platform) -> None:
    sign_in(page, platform, platform.admin_key)
    data = platform.data
    pages = {
        "home": ("/console/", "home-title"),
        "catalog": ("/console/catalog", "catalog-table"),
        "model": (f"/console/models/{data['trained']}", "lineage"),
        "datasets": ("/console/datasets", "datasets-table"),
        "dataset-deid": (f"/console/datasets/{data['deid']}", "deid-report"),
        "jobs": ("/console/jobs", "jobs-table"),
        "job-new": ("/console/jobs-new", "cli-command"),
        "evaluations": ("/console/evaluations", "evaluations-table"),
        "deployments": ("/console/deployments", "deployments-table"),
        "audit": ("/console/audit", "audit-table"),
        "playground": ("/console/playground", "chat-form"),
    }
    for name, (path, testid) in pages.items():
        page.goto(platform.url + path)
        page.get_by_test_id(testid).first.wait_for()
        assert axe_violations(page) == [], name
        if name not in ("home",):
            screenshot(page, name)
    page.goto(f"{platform.url}/console/evaluations")
    page.get_by_test_id("evaluation-row").first.locator("a").first.click()
    page.get_by_test_id("score-chart").wait_for()
    assert axe_violations(page) == []
    screenshot(page, "evaluation")


def test_catalog_filters_and_model_page(page: Any, platform: Platform) -> None:
    sign_in(page, platform, platform.admin_key)
    page.goto(f"{platform.url}/console/catalog")
    everything = page.get_by_test_id("catalog-row").count()
    page.get_by_test_id("filter-modality").select_option("image")
    page.get_by_test_id("apply-filters").click()
    page.wait_for_url(re.compile(r"modality=image"))
    filtered = page.get_by_test_id("catalog-row").count()
    assert 0 < filtered < everything
    page.goto(f"{platform.url}/console/catalog")
    page.get_by_test_id("model-row").filter(has_text="lora").locator("a").first.click()
    assert platform.data["base"] in page.get_by_test_id("lineage").inner_text()  # the parent in the graph
    assert page.get_by_test_id("model-scorecards").get_by_test_id("gate-fail").count() >= 1


def test_evidence_pack_download(page: Any, platform: Platform) -> None:
    sign_in(page, platform, platform.admin_key)
    page.goto(f"{platform.url}/console/models/{platform.data['trained']}")
    href = page.get_by_test_id("evidence-download").get_attribute("href")
    response = page.request.get(platform.url + str(href))
    if response.status == 200:  # the evidence stage wrote the pack
        with zipfile.ZipFile(io.BytesIO(response.body())) as pack:
            assert "model_card.md" in pack.namelist()
    else:  # the evidence stage refused it (its PHI scan): the console shows why, as a page
        assert response.status == 422 and "PHI scan" in response.text()


def test_dataset_shows_counts_hash_and_deid_report_without_phi(page: Any, platform: Platform) -> None:
    sign_in(page, platform, platform.admin_key)
    page.goto(f"{platform.url}/console/datasets")
    assert page.get_by_test_id("dataset-row").count() >= 3
    page.goto(f"{platform.url}/console/datasets/{platform.data['deid']}")
    assert re.fullmatch(r"[0-9a-f]{64}", page.get_by_test_id("content-hash").inner_text())
    assert "patients" in page.get_by_test_id("counts").inner_text()
    assert page.get_by_test_id("deid-row").count() >= 3
    assert page.get_by_test_id("scan-result").inner_text() in ("clean", "failed")
    report = page.get_by_test_id("deid-report").inner_text()
    assert "NAME" in report and "start" not in report  # counts per type, no spans
    assert platform.data["raw"] in page.get_by_test_id("lineage").inner_text()


# Words of a table header that the browser broke across lines (each word is one text range).
SPLIT_HEADER_WORDS = """() => [...document.querySelectorAll('thead th')].flatMap(th => {
  const node = th.firstChild; if (!node || node.nodeType !== 3) return [];
  const out = []; let start = 0;
  for (const word of node.textContent.split(' ')) {
    const range = document.createRange(); range.setStart(node, start); range.setEnd(node, start + word.length);
    if (word && range.getClientRects().length > 1) out.push(word);
    start += word.length + 1;
  }
  return out;
})"""


def test_dataset_counts_are_a_table_and_headers_never_split_a_word(page: Any, platform: Platform) -> None:
    sign_in(page, platform, platform.admin_key)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 844})
        page.goto(f"{platform.url}/console/datasets")
        assert page.evaluate(SPLIT_HEADER_WORDS) == [], width
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1, width
        counts = page.get_by_test_id("dataset-counts").first
        assert counts.locator("table.counts th").count() >= 1
        assert "{" not in counts.inner_text() and "'" not in counts.inner_text()


def test_start_a_job_watch_its_live_chart_and_cancel_it(page: Any, platform: Platform) -> None:
    sign_in(page, platform, platform.admin_key)
    page.goto(f"{platform.url}/console/jobs-new")
    page.get_by_test_id("field-base-model").select_option(platform.data["base"])
    page.get_by_test_id("field-dataset").select_option(platform.data["dataset"])
    page.get_by_test_id("field-max-steps").fill("2000")
    page.get_by_test_id("field-name").fill("console-live")
    page.wait_for_function(
        "document.querySelector('[data-testid=cli-command]')?.textContent.includes('--max-steps 2000')"
    )
    command = page.get_by_test_id("cli-command").inner_text()
    assert command.startswith("medfoundry train --queue") and platform.data["dataset"] in command
    assert "max_steps: 2000" in page.get_by_test_id("spec-yaml").inner_text()
    page.get_by_test_id("submit-job").click()
    page.wait_for_url(re.compile(r"/console/jobs/job_"))
    chart = page.get_by_test_id("loss-chart")
    points = lambda: int(chart.get_attribute("data-points") or 0)  # noqa: E731
    first = wait_until(lambda: points() >= 2, timeout=120)
    assert first, "the live chart got no points"
    seen = points()
    assert wait_until(lambda: points() > seen, timeout=60), "the chart did not update"
    assert page.get_by_test_id("job-state").inner_text() == "running"
    assert re.match(r"\d", page.get_by_test_id("job-tps").inner_text())
    assert page.get_by_test_id("job-eta").inner_text().endswith("s")
    screenshot(page, "job-live")
    page.get_by_test_id("cancel-job").click()
    page.goto(page.url)
    assert wait_until(lambda: _reload_state(page) == "cancelled", timeout=60)


def _reload_state(page: Any) -> str:
    page.reload()
    return str(page.get_by_test_id("job-state").inner_text())


def test_compare_two_evaluations(page: Any, platform: Platform) -> None:
    sign_in(page, platform, platform.admin_key)
    page.goto(f"{platform.url}/console/compare")
    options = page.get_by_test_id("compare-a").locator("option").all()
    ids = [o.get_attribute("value") for o in options if o.get_attribute("value")]
    assert len(ids) >= 2
    page.get_by_test_id("compare-a").select_option(ids[0])
    page.get_by_test_id("compare-b").select_option(ids[1])
    page.get_by_test_id("compare-submit").click()
    rows = page.get_by_test_id("compare-row")
    rows.first.wait_for()
    assert "medqa" in rows.first.inner_text()
    assert axe_violations(page) == []
    screenshot(page, "compare")


def test_deploy_is_gate_checked_and_undeploy(page: Any, platform: Platform) -> None:
    sign_in(page, platform, platform.admin_key)
    page.goto(f"{platform.url}/console/deployments")
    page.get_by_test_id("deploy-model").select_option(platform.data["trained"])
    page.get_by_test_id("deploy-name").fill("console-fail")
    page.get_by_test_id("deploy-submit").click()
    assert "did not pass its gates" in page.get_by_test_id("deploy-refused").inner_text()
    screenshot(page, "deploy-refused")
    page.get_by_test_id("deploy-model").select_option(platform.data["base"])
    page.get_by_test_id("deploy-name").fill("console-pass")
    page.get_by_test_id("deploy-submit").click()
    assert "console-pass" in page.get_by_test_id("deploy-ok").inner_text()
    assert page.locator("[data-testid=deployment-row][data-name=console-fail]").count() == 0
    page.get_by_test_id("undeploy-console-pass").click()
    assert "console-pass" in page.get_by_test_id("undeploy-ok").inner_text()


def test_playground_shows_guardrails_and_escalation(page: Any, platform: Platform) -> None:
    sign_in(page, platform, platform.admin_key)
    page.goto(f"{platform.url}/console/playground")
    page.get_by_test_id("chat-deployment").select_option("playground")
    page.get_by_test_id("chat-message").fill(EMERGENCY)
    page.get_by_test_id("chat-send").click()
    turn = page.get_by_test_id("chat-turn").first
    turn.wait_for(timeout=120_000)
    assert turn.get_by_test_id("chat-escalation").is_visible()
    assert "emergency" in turn.get_by_test_id("chat-guardrails").inner_text()
    screenshot(page, "playground")
    page.goto(f"{platform.url}/console/audit?action=serve.escalation")
    assert page.get_by_test_id("audit-row").count() >= 1


def test_audit_filters_and_chain_verification(page: Any, platform: Platform) -> None:
    sign_in(page, platform, platform.admin_key)
    page.goto(f"{platform.url}/console/audit")
    page.get_by_test_id("filter-action").fill("console.sign_in")
    page.get_by_test_id("audit-filter").click()
    rows = page.get_by_test_id("audit-row")
    rows.first.wait_for()
    assert all("console.sign_in" in text for text in rows.all_inner_texts())
    page.get_by_test_id("verify-chain").click()
    assert "Chain intact" in page.get_by_test_id("verify-result").inner_text()
    screenshot(page, "audit-verified")


def test_viewer_may_browse_but_not_start_deploy_or_chat(page: Any, platform: Platform) -> None:
    sign_in(page, platform, platform.viewer_key)
    assert page.get_by_test_id("scope").inner_text() == "viewer"
    page.goto(f"{platform.url}/console/jobs")
    assert page.get_by_test_id("new-job").count() == 0
    page.goto(f"{platform.url}/console/deployments")
    assert page.get_by_test_id("deploy-form").count() == 0
    page.goto(f"{platform.url}/console/playground")
    assert page.get_by_test_id("playground-forbidden").is_visible()
    headers = json.loads(page.evaluate("document.body.getAttribute('hx-headers')"))
    refused = page.request.post(f"{platform.url}/console/deployments", form={"model": platform.data["base"]},
                                headers=headers)  # fmt: skip
    assert refused.status == 403
    job = page.request.post(f"{platform.url}/console/jobs-new", headers=headers,
                            form={"base_model": platform.data["base"], "dataset": platform.data["dataset"]})  # fmt: skip
    assert job.status == 403
    page.goto(f"{platform.url}/console/audit")
    page.get_by_test_id("verify-chain").click()  # reviewers may verify the chain
    assert "Chain intact" in page.get_by_test_id("verify-result").inner_text()
    page.get_by_test_id("sign-out").click()
    page.wait_for_url(re.compile(r"/console/sign-in"))
    page.goto(f"{platform.url}/console/jobs")
    assert page.url.endswith("/console/sign-in")


def test_forms_without_a_csrf_token_are_refused(page: Any, platform: Platform) -> None:
    sign_in(page, platform, platform.admin_key)
    response = page.request.post(f"{platform.url}/console/deployments", form={"model": platform.data["base"]})
    assert response.status == 403
    wrong = page.request.post(f"{platform.url}/console/audit/verify", headers={"X-CSRF-Token": "forged"})
    assert wrong.status == 403


def test_narrow_window_has_no_horizontal_scroll(page: Any, platform: Platform) -> None:
    sign_in(page, platform, platform.admin_key)
    page.set_viewport_size({"width": 390, "height": 844})
    for path in (
        "/console/",
        "/console/jobs",
        "/console/deployments",
        "/console/evaluations",
        "/console/audit",
    ):
        page.goto(platform.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, path
        assert page.get_by_test_id("nav-jobs").is_visible()
    page.goto(f"{platform.url}/console/deployments")
    screenshot(page, "narrow-deployments")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
