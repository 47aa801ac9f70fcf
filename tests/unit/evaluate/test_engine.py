"""Shared-prefix scoring gives the same log-likelihoods as one full forward per choice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from medfoundry.evaluate.engine import ChoiceRequest, LoglikScorer, encode_pair

REQUESTS = [
    ChoiceRequest("Question: which drug treats fever?\nA. aspirin\nB. insulin\nAnswer:", (" A", " B", " C")),
    ChoiceRequest("Is it true? Answer:", (" yes", " no", " maybe")),
    ChoiceRequest(
        "Sentence: [e1] and [e2] interact.\nAnswer:", (" none", " effect", " mechanism of dose", " int")
    ),
    ChoiceRequest("Pick one ", ("10 mg daily", "10 mL twice", "chest pain")),  # trailing space moves
    ChoiceRequest(
        "A much longer context about a patient with chest pain and fever, " * 3 + "Answer:", (" A", " B")
    ),
]


@pytest.fixture(scope="module")
def lm(tiny_model_dir: Path) -> tuple[Any, Any]:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    return AutoModelForCausalLM.from_pretrained(tiny_model_dir).eval(), AutoTokenizer.from_pretrained(
        tiny_model_dir
    )


def full_forward(model: Any, tokenizer: Any, request: ChoiceRequest) -> list[float]:
    """The harness's computation, one forward per choice, no batching, no cache."""
    import torch

    scores = []
    for continuation in request.continuations:
        context_enc, continuation_enc = encode_pair(tokenizer, request.context, continuation)
        with torch.no_grad():
            logits = model(torch.tensor([(context_enc + continuation_enc)[:-1]])).logits
        logprobs = torch.log_softmax(logits, dim=-1)[0]
        start = len(context_enc) - 1
        scores.append(sum(float(logprobs[start + k, tok]) for k, tok in enumerate(continuation_enc)))
    return scores


@pytest.mark.parametrize("batch_size", [1, 3])
def test_matches_one_forward_per_choice(lm: tuple[Any, Any], batch_size: int) -> None:
    model, tokenizer = lm
    seen: list[int] = []
    got = LoglikScorer(model, tokenizer, batch_size=batch_size).score(REQUESTS, progress=seen.append)
    assert sum(seen) == len(REQUESTS)
    for request, scores in zip(REQUESTS, got, strict=True):
        assert scores == pytest.approx(full_forward(model, tokenizer, request), abs=1e-4)


def test_single_token_choices_need_one_forward_per_question(lm: tuple[Any, Any]) -> None:
    model, tokenizer = lm
    calls: list[tuple[int, ...]] = []
    handle = model.register_forward_hook(
        lambda _m, _args, kwargs, _out: calls.append(tuple(kwargs["input_ids"].shape)), with_kwargs=True
    )
    try:
        similar = [
            ChoiceRequest(f"Question: patient {n} has fever and cough?\nAnswer:", (" yes", " no", " maybe"))
            for n in (10, 20, 30)
        ]
        LoglikScorer(model, tokenizer, batch_size=8).score(similar)
    finally:
        handle.remove()
    assert calls == [(3, calls[0][1])]  # three questions, nine single-token choices: one batched forward


def test_encode_pair_moves_trailing_space() -> None:
    class Whitespace:
        bos_token = None

        def encode(self, text: str) -> list[int]:
            return [len(w) for w in text.split(" ")]

    context, continuation = encode_pair(Whitespace(), "ab cd ", "efg")
    assert context == [2, 2] and continuation == [3]


def test_identical_requests_are_scored_once(lm: tuple[Any, Any]) -> None:
    model, tokenizer = lm
    calls: list[int] = []
    handle = model.register_forward_hook(lambda *_: calls.append(1))
    try:
        seen: list[int] = []
        scores = LoglikScorer(model, tokenizer, batch_size=1).score(
            [REQUESTS[0], REQUESTS[1], REQUESTS[0]], seen.append
        )
    finally:
        handle.remove()
    assert scores[0] == scores[2] and len(calls) == 2 and sum(seen) == 3
