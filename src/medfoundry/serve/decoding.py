"""One batched ``generate`` call whose tokens are streamed back to each request."""

from __future__ import annotations

from typing import Any

from medfoundry.serve.batching import Pending
from medfoundry.serve.types import Delta


class RowState:
    """Incremental detokenization, stop strings and limits for one request in a batch."""

    def __init__(self, item: Pending, tokenizer: Any, eos_ids: set[int]) -> None:
        self.item = item
        self.tokenizer = tokenizer
        self.eos_ids = eos_ids
        self.tokens: list[int] = []
        self.sent = ""
        self.done = False

    def push(self, token_id: int) -> None:
        if self.done:
            return
        if self.item.cancelled.is_set():
            self.done = True
            return
        if token_id in self.eos_ids:
            self.finish("stop")
            return
        self.tokens.append(token_id)
        text = self.tokenizer.decode(self.tokens, skip_special_tokens=True)
        for stop in self.item.params.stop:
            at = text.find(stop, max(0, len(self.sent) - len(stop)))
            if at >= 0:
                self._send(text[:at])
                self.finish("stop")
                return
        if not text.endswith("\ufffd"):  # wait for the rest of a multi-byte character
            self._send(text)
        if len(self.tokens) >= self.item.params.max_tokens:
            self.finish("length")

    def _send(self, text: str) -> None:
        if len(text) > len(self.sent) and text.startswith(self.sent):
            self.item.emit(Delta(text[len(self.sent) :], len(self.tokens)))
            self.sent = text

    def finish(self, reason: str) -> None:
        if not self.done:
            self.done = True
            self.item.emit(Delta("", len(self.tokens), reason))


class _Streamer:
    """transformers streamer: the first ``put`` is the prompt, then one token per row per step."""

    def __init__(self, rows: list[RowState]) -> None:
        self.rows = rows
        self.prompt_seen = False

    def put(self, value: Any) -> None:
        if not self.prompt_seen:
            self.prompt_seen = True
            return
        for row, token in zip(self.rows, value.reshape(-1).tolist(), strict=True):
            row.push(int(token))

    def end(self) -> None:
        pass


def run_generation(model: Any, tokenizer: Any, items: list[Pending], *, device: str) -> None:
    import torch
    from transformers import StoppingCriteria, StoppingCriteriaList

    class RowsDone(StoppingCriteria):
        def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
            return torch.tensor([row.done for row in rows], dtype=torch.bool, device=input_ids.device)

    eos = model.generation_config.eos_token_id
    eos_ids = set(eos if isinstance(eos, list) else [eos] if eos is not None else [])
    if tokenizer.eos_token_id is not None:
        eos_ids.add(tokenizer.eos_token_id)
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else min(eos_ids, default=0)
    rows = [RowState(item, tokenizer, eos_ids) for item in items]
    width = max(len(item.prompt_ids) for item in items)
    input_ids = torch.full((len(items), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(items), width), dtype=torch.long)
    for i, item in enumerate(items):
        input_ids[i, width - len(item.prompt_ids) :] = torch.tensor(item.prompt_ids)
        mask[i, width - len(item.prompt_ids) :] = 1
    params = items[0].params
    sampling: dict[str, Any] = {"do_sample": params.do_sample}
    if params.do_sample:
        sampling.update(temperature=params.temperature, top_p=params.top_p)
        if params.seed is not None:
            torch.manual_seed(params.seed)
    with torch.inference_mode():
        model.generate(
            input_ids=input_ids.to(device),
            attention_mask=mask.to(device),
            max_new_tokens=max(item.params.max_tokens for item in items),
            pad_token_id=pad_id,
            eos_token_id=sorted(eos_ids) or None,
            streamer=_Streamer(rows),
            stopping_criteria=StoppingCriteriaList([RowsDone()]),
            **sampling,
        )
    for row in rows:
        row.finish("length" if len(row.tokens) >= row.item.params.max_tokens else "stop")
