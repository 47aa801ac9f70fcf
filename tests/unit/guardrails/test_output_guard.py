"""Streaming output guard: nothing unchecked is released, PHI split across pieces is caught."""

from __future__ import annotations

import pytest

from medfoundry.guardrails import GuardrailPipeline
from medfoundry.guardrails.base import GuardrailFailed
from medfoundry.guardrails.policy import policy_from_dict

LEAK = "The note says that John Smith can be reached at 555-123-4567 and lives in Boston, MA 02110. " * 3


def pipeline() -> GuardrailPipeline:
    return GuardrailPipeline(policy_from_dict({"rules": {"phi": {"input": "off"}}}))


@pytest.mark.parametrize("piece", [1, 3, 7, 50])
def test_phi_split_across_stream_pieces_is_never_released(piece: int) -> None:
    p = pipeline()
    guard = p.output_guard(p.check_input(["summarize the note"]))
    released = [guard.feed(LEAK[i : i + piece]) for i in range(0, len(LEAK), piece)]
    released.append(guard.finish())
    text = "".join(released)
    assert "John" not in text and "Smith" not in text and "4567" not in text
    assert text.count("[NAME]") == 3
    assert guard.actions[0].details["types"]["NAME"] == 3


def test_streamed_and_whole_outputs_agree() -> None:
    p = pipeline()
    verdict = p.check_input(["summarize"])
    whole, _ = p.check_output(verdict, LEAK)
    guard = p.output_guard(verdict)
    streamed = "".join(guard.feed(word + " ") for word in LEAK.split(" ")) + guard.finish()
    assert streamed.rstrip() == whole.rstrip()


def test_guard_holds_back_only_a_short_tail() -> None:
    p = pipeline()
    guard = p.output_guard(p.check_input(["hi"]))
    text = "Drink plenty of water and rest. " * 20
    released = guard.feed(text)
    assert 0 < len(text) - len(released) <= 100


def test_output_guard_fails_closed() -> None:
    p = GuardrailPipeline(policy_from_dict({"rules": {"phi": {"input": "off"}}}))
    verdict = p.check_input(["hi"])
    p.rules[0].detector = lambda text: 1 / 0  # type: ignore[attr-defined]
    guard = p.output_guard(verdict)
    with pytest.raises(GuardrailFailed):
        guard.feed("x " * 200)
