"""The human-review flow in headless Chromium: held responses → the queue → approve, edit, reject → quality."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

from tests.browser.conftest import Platform, axe_violations, screenshot, sign_in

QUESTIONS = ["How should I take my asthma inhaler?", "What can help with gout pain at night?",
             "Is it fine to skip my eczema cream?"]  # fmt: skip
CORRECTED = "Keep using the cream twice a day; your care team can adjust it at your next visit."


def api(platform: Platform, method: str, path: str, key: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    request = urllib.request.Request(
        platform.url + path, method=method, data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=120) as response:
        result: dict[str, Any] = json.loads(response.read())
        return result


def held_responses(platform: Platform) -> list[str]:
    """Chat with the deployment whose policy holds every response; the content is withheld."""
    ids = []
    for question in QUESTIONS:
        body = api(platform, "POST", "/v1/chat/completions", platform.data["invoke"],
                   {"model": "reviewed", "messages": [{"role": "user", "content": question}], "max_tokens": 12})  # fmt: skip
        review = body["medfoundry"]["review"]
        assert review["status"] == "pending" and body["choices"][0]["message"]["content"] == ""
        ids.append(review["id"])
    return ids


def test_reviewer_approves_edits_and_rejects_held_responses(page: Any, platform: Platform) -> None:
    tasks = held_responses(platform)
    sign_in(page, platform, platform.data["clinician"])
    assert page.get_by_test_id("scope").inner_text() == "reviewer"
    page.get_by_test_id("nav-review").click()
    page.get_by_test_id("review-table").wait_for()
    assert {row.get_attribute("data-id") for row in page.get_by_test_id("review-row").all()} >= set(tasks)
    assert axe_violations(page) == []
    screenshot(page, "review-queue")

    # 1st: the keyboard — "n" claims the oldest pending task, "a" approves it
    page.keyboard.press("n")
    page.get_by_test_id("decide-form").wait_for()
    assert page.url.endswith(tasks[0])
    assert QUESTIONS[0] in page.get_by_test_id("prompt").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "review-task")
    page.keyboard.press("a")
    page.get_by_test_id("decided").wait_for()
    assert "approved" in page.get_by_test_id("decided").inner_text()

    # 2nd: "e" focuses the output, the reviewer rewrites it, Ctrl+Enter saves the edit
    page.get_by_test_id("review-next").click()
    page.get_by_test_id("decide-form").wait_for()
    page.keyboard.press("e")
    assert page.evaluate("document.activeElement.id") == "edited"
    page.get_by_test_id("edited").fill(CORRECTED)
    page.keyboard.press("Control+Enter")
    page.get_by_test_id("decided").wait_for()
    page.goto(f"{platform.url}/console/review/{tasks[1]}")
    assert page.get_by_test_id("task-status").inner_text() == "edited"
    insertions = " ".join(page.get_by_test_id("diff").locator("ins").all_inner_texts())
    assert "care team" in insertions  # the reviewer's words, marked as added to the model's original
    assert page.get_by_test_id("released").is_visible()
    assert axe_violations(page) == []
    screenshot(page, "review-diff")

    # 3rd: reject with a reason from the taxonomy
    page.goto(f"{platform.url}/console/review/{tasks[2]}")
    page.get_by_test_id("reason").select_option("hallucination")
    page.get_by_test_id("reject").click()
    page.get_by_test_id("decided").wait_for()

    # the EHR client gets the edited text, nothing for the rejected response
    edited = api(platform, "GET", f"/v1/review/responses/{tasks[1]}", platform.data["invoke"])
    assert edited["status"] == "edited" and edited["content"] == CORRECTED
    rejected = api(platform, "GET", f"/v1/review/responses/{tasks[2]}", platform.data["invoke"])
    assert rejected["status"] == "rejected" and rejected["content"] is None

    page.get_by_test_id("quality-link").click()
    page.get_by_test_id("quality-title").wait_for()
    page.wait_for_function("document.getElementById('review-chart').dataset.drawn >= '1'")
    assert int(page.get_by_test_id("q-reviewed").inner_text()) >= 3
    assert "hallucination" in page.get_by_test_id("quality-by-reason").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "review-quality")


def test_viewer_sees_the_queue_but_cannot_review(page: Any, platform: Platform) -> None:
    sign_in(page, platform, platform.viewer_key)
    page.goto(f"{platform.url}/console/review?status=")
    assert page.get_by_test_id("not-reviewer").is_visible() and page.get_by_test_id("review-next").count() == 0
    some = page.get_by_test_id("review-row").first.get_attribute("data-id")
    if some:
        assert page.request.get(f"{platform.url}/console/review/{some}").status == 403
    headers = json.loads(page.evaluate("document.body.getAttribute('hx-headers')"))
    refused = page.request.post(f"{platform.url}/console/review/next", headers=headers)
    assert refused.status == 403
