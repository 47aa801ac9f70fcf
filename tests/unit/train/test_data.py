"""Completion-only labels and packing without cross-contamination."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from medfoundry.train.data import IGNORE, collate, epoch_batches, pack, tokenize_all, tokenize_example
from medfoundry.train.model import CompletionLoss
from tests.unit.train.helpers import conversations


@pytest.fixture(scope="module")
def tokenizer(tiny_model_dir: Path):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(tiny_model_dir)


def _model(tiny_model_dir: Path, attn: str):
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(
        tiny_model_dir, attn_implementation=attn, dtype=torch.float32
    )
    return model.eval()


def test_only_assistant_tokens_carry_labels(tokenizer) -> None:
    messages = conversations(1, seed=4)[0]
    example = tokenize_example(tokenizer, messages, max_length=512, completion_only=True)
    labelled = [token for token in example.labels if token != IGNORE]
    text = tokenizer.decode(labelled)
    assert text.startswith(messages[-1]["content"])
    assert "<|im_end|>" in text  # the model learns to stop
    assert messages[1]["content"] not in text and "Summarize" not in text
    full = tokenize_example(tokenizer, messages, max_length=512, completion_only=False)
    assert full.labels == full.input_ids


def test_every_assistant_turn_is_trained_in_multi_turn(tokenizer) -> None:
    messages = [
        {"role": "user", "content": "fever"},
        {"role": "assistant", "content": "how long"},
        {"role": "user", "content": "two days"},
        {"role": "assistant", "content": "see a doctor"},
    ]
    example = tokenize_example(tokenizer, messages, max_length=512, completion_only=True)
    text = tokenizer.decode([t for t in example.labels if t != IGNORE])
    assert "how long" in text and "see a doctor" in text and "fever" not in text and "two days" not in text


def test_packing_resets_positions_and_never_predicts_across_examples(tokenizer) -> None:
    examples = tokenize_all(tokenizer, conversations(6, seed=1), max_length=128, completion_only=True)
    rows = pack(examples, 400)
    assert sum(len(row) for row in rows) == len(examples)
    assert all(sum(len(e) for e in row) <= 400 for row in rows)
    batch = collate(rows[:1], pad_id=tokenizer.pad_token_id)
    cursor = 0
    for example in rows[0]:
        n = len(example)
        assert batch["position_ids"][0, cursor : cursor + n].tolist() == list(range(n))
        assert batch["labels"][0, cursor + n - 1] == IGNORE  # the last token predicts nothing
        cursor += n


def test_epoch_order_is_a_function_of_seed_and_epoch(tokenizer) -> None:
    examples = tokenize_all(tokenizer, conversations(20, seed=2), max_length=128, completion_only=True)
    kwargs = {"batch_size": 2, "row_length": 256, "packing": True, "seed": 7}
    assert epoch_batches(examples, epoch=0, **kwargs) == epoch_batches(examples, epoch=0, **kwargs)
    assert epoch_batches(examples, epoch=0, **kwargs) != epoch_batches(examples, epoch=1, **kwargs)


@pytest.mark.parametrize("attn", ["sdpa", "eager"])
def test_packed_logits_equal_unpacked_logits(tiny_model_dir: Path, tokenizer, attn: str) -> None:
    """No attention across example boundaries: each example's logits are the same alone or packed."""
    model = _model(tiny_model_dir, attn)
    examples = tokenize_all(tokenizer, conversations(3, seed=5), max_length=128, completion_only=True)
    packed = collate([examples], pad_id=tokenizer.pad_token_id)
    with torch.no_grad():
        packed_logits = model(
            input_ids=packed["input_ids"], position_ids=packed["position_ids"], use_cache=False
        ).logits[0]
        cursor = 0
        for example in examples:
            alone = model(input_ids=torch.tensor([example.input_ids])).logits[0]
            n = len(example)
            torch.testing.assert_close(packed_logits[cursor : cursor + n], alone, atol=1e-5, rtol=1e-4)
            cursor += n


def test_packed_loss_equals_unpacked_loss(tiny_model_dir: Path, tokenizer) -> None:
    model = _model(tiny_model_dir, "sdpa")
    loss_fn = CompletionLoss(model)
    examples = tokenize_all(tokenizer, conversations(5, seed=6), max_length=128, completion_only=True)
    packed = collate([examples], pad_id=tokenizer.pad_token_id)
    padded = collate([[e] for e in examples], pad_id=tokenizer.pad_token_id)
    assert (packed["labels"] != IGNORE).sum() == (padded["labels"] != IGNORE).sum()
    one = torch.tensor(1.0)
    with torch.no_grad():
        torch.testing.assert_close(loss_fn(**packed, num_targets=one), loss_fn(**padded, num_targets=one),
                                   atol=1e-4, rtol=1e-5)  # fmt: skip


def test_loss_matches_transformers_reference(tiny_model_dir: Path, tokenizer) -> None:
    """The selective-head loss equals the model's own shifted cross-entropy."""
    model = _model(tiny_model_dir, "sdpa")
    example = tokenize_all(tokenizer, conversations(1, seed=8), max_length=128, completion_only=True)[0]
    batch = collate([[example]], pad_id=tokenizer.pad_token_id)
    targets = int((batch["labels"] != IGNORE).sum())
    with torch.no_grad():
        ours = CompletionLoss(model)(**batch, num_targets=torch.tensor(float(targets)))
        reference = model(
            input_ids=torch.tensor([example.input_ids]), labels=torch.tensor([example.labels])
        ).loss
    torch.testing.assert_close(ours, reference, atol=1e-5, rtol=1e-5)
