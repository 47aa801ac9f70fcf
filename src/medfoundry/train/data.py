"""Chat examples → token ids, completion-only labels, packed rows and micro-batches.

Packing concatenates whole examples into rows of ``max_seq_length`` tokens. Position
ids restart at 0 for every example, and no attention mask is passed, so transformers
builds a block-diagonal causal mask from the position ids (and flash-attention uses
its varlen kernel): no token attends across an example boundary. The first label of
each example is never predicted from the previous example's last token.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import torch

from medfoundry.catalog.tiny import CHAT_TEMPLATE
from medfoundry.errors import ConfigError

IGNORE = -100
BUILTIN_TEMPLATES = {"chatml": CHAT_TEMPLATE}


@dataclass(frozen=True)
class Example:
    input_ids: list[int]
    labels: list[int]

    def __len__(self) -> int:
        return len(self.input_ids)


def set_chat_template(tokenizer: Any, template: str | None) -> None:
    if template:
        tokenizer.chat_template = BUILTIN_TEMPLATES.get(template, template)
    if not getattr(tokenizer, "chat_template", None):
        raise ConfigError(
            "chat_template: the tokenizer has no chat template",
            hint="set chat_template: chatml (or a Jinja template) in the training spec",
        )


def _render(tokenizer: Any, messages: list[dict[str, str]], generation_prompt: bool) -> str:
    text = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=generation_prompt)
    return str(text)


def completion_spans(tokenizer: Any, messages: list[dict[str, str]]) -> tuple[str, list[tuple[int, int]]]:
    """The rendered conversation and the character spans of every assistant turn."""
    spans = []
    for index, message in enumerate(messages):
        if message["role"] != "assistant":
            continue
        start = len(_render(tokenizer, messages[:index], True)) if index else 0
        end = len(_render(tokenizer, messages[: index + 1], False))
        spans.append((start, end))
    return _render(tokenizer, messages, False), spans


def tokenize_example(
    tokenizer: Any, messages: list[dict[str, str]], *, max_length: int, completion_only: bool
) -> Example:
    text, spans = completion_spans(tokenizer, messages)
    encoded = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
    ids = list(encoded["input_ids"])[:max_length]
    offsets = list(encoded["offset_mapping"])[:max_length]
    if not completion_only:
        return Example(ids, list(ids))
    labels = [
        token if any(start <= begin < end for start, end in spans) else IGNORE
        for token, (begin, _) in zip(ids, offsets, strict=True)
    ]
    return Example(ids, labels)


def tokenize_all(
    tokenizer: Any, conversations: Sequence[list[dict[str, str]]], *, max_length: int, completion_only: bool
) -> list[Example]:
    examples = [
        tokenize_example(tokenizer, messages, max_length=max_length, completion_only=completion_only)
        for messages in conversations
    ]
    return [example for example in examples if any(label != IGNORE for label in example.labels[1:])]


def pack(examples: Sequence[Example], row_length: int) -> list[list[Example]]:
    """Best-fit-decreasing packing: each row holds whole examples, at most ``row_length`` tokens.

    Rows come out nearly full (little padding) and in a deterministic order for a given input.
    """
    order = sorted(range(len(examples)), key=lambda i: -len(examples[i]))  # stable: ties keep input order
    rows: list[list[Example]] = []
    free: list[tuple[int, int]] = []  # (room left, row index), sorted
    for i in order:
        example = examples[i]
        slot = bisect.bisect_left(free, (len(example), -1))
        if slot < len(free):
            room, row = free.pop(slot)
        else:
            room, row = row_length, len(rows)
            rows.append([])
        rows[row].append(example)
        bisect.insort(free, (room - len(example), row))
    return rows


def collate(rows: Sequence[Sequence[Example]], pad_id: int) -> dict[str, torch.Tensor]:
    """Rows of examples → input_ids, labels (shifted targets), position_ids, padded right.

    ``labels`` are already shifted: ``labels[t]`` is the target for the logits at ``t``,
    and the last position of each example predicts nothing.
    """
    width = max(sum(len(example) for example in row) for row in rows)
    input_ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
    targets = torch.full((len(rows), width), IGNORE, dtype=torch.long)
    positions = torch.zeros((len(rows), width), dtype=torch.long)
    for r, row in enumerate(rows):
        cursor = 0
        for example in row:
            n = len(example)
            input_ids[r, cursor : cursor + n] = torch.tensor(example.input_ids)
            targets[r, cursor : cursor + n - 1] = torch.tensor(example.labels[1:])
            positions[r, cursor : cursor + n] = torch.arange(n)
            cursor += n
        positions[r, cursor:] = torch.arange(width - cursor)  # padding: its own "example"
    return {"input_ids": input_ids, "labels": targets, "position_ids": positions}


def epoch_batches(
    examples: Sequence[Example], *, batch_size: int, row_length: int, packing: bool, seed: int, epoch: int
) -> list[list[list[Example]]]:
    """The micro-batches of one epoch, in a shuffled order fixed by (seed, epoch)."""
    generator = torch.Generator().manual_seed(seed * 1_000_003 + epoch)
    order = torch.randperm(len(examples), generator=generator).tolist()
    shuffled = [examples[i] for i in order]
    if packing:
        packed = pack(shuffled, row_length)
        rows = [packed[i] for i in torch.randperm(len(packed), generator=generator).tolist()]
    else:
        rows = [[example] for example in shuffled]
    return [rows[i : i + batch_size] for i in range(0, len(rows), batch_size)]


def count_targets(batch: dict[str, torch.Tensor]) -> int:
    return int((batch["labels"] != IGNORE).sum())


def count_tokens(rows: Sequence[Sequence[Example]]) -> int:
    return sum(len(example) for row in rows for example in row)
