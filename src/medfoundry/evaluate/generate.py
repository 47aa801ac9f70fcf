"""Greedy, batched generation for the generative benchmarks and for chat models."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from medfoundry.evaluate.engine import Progress

logger = logging.getLogger(__name__)


def is_chat_model(tokenizer: Any) -> bool:
    return bool(getattr(tokenizer, "chat_template", None))


def render(tokenizer: Any, prompt: str, *, chat: bool) -> str:
    """The prompt as the model sees it: through its chat template when it has one and ``chat``."""
    if chat and is_chat_model(tokenizer):
        return str(
            tokenizer.apply_chat_template(
                [{"role": "user", "content": prompt}], tokenize=False, add_generation_prompt=True
            )
        )
    return prompt


def generate(
    model: Any,
    tokenizer: Any,
    prompts: Sequence[str],
    *,
    max_new_tokens: int = 64,
    stop: Sequence[str] = ("\n",),
    batch_size: int = 8,
    progress: Progress | None = None,
) -> list[str]:
    """Greedy continuations of ``prompts`` (left-padded batches, longest first), cut at ``stop``."""
    import torch

    order = sorted(range(len(prompts)), key=lambda i: -len(prompts[i]))
    outputs: list[str] = [""] * len(prompts)
    device = next(model.parameters()).device
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    old_side = tokenizer.padding_side
    tokenizer.padding_side = "left"
    try:
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            encoded = tokenizer([prompts[i] for i in chunk], return_tensors="pt", padding=True)
            with torch.inference_mode():
                generated = model.generate(
                    input_ids=encoded["input_ids"].to(device),
                    attention_mask=encoded["attention_mask"].to(device),
                    max_new_tokens=max_new_tokens,
                    do_sample=False,
                    pad_token_id=pad_id,
                )
            new_tokens = generated[:, encoded["input_ids"].shape[1] :]
            for i, row in zip(chunk, new_tokens, strict=True):
                outputs[i] = cut_at_stop(tokenizer.decode(row, skip_special_tokens=True), stop)
            if progress:
                progress(len(chunk))
    finally:
        tokenizer.padding_side = old_side
    return outputs


def cut_at_stop(text: str, stop: Sequence[str]) -> str:
    stripped = text.lstrip()
    cut = len(stripped)
    for marker in stop:
        found = stripped.find(marker)
        if found >= 0:
            cut = min(cut, found)
    return stripped[:cut].strip()
