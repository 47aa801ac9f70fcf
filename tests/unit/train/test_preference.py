"""DPO on preference pairs: the loss, and a few steps on the tiny model that move the margin the right way."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import torch

from medfoundry.review.export import PREFERENCE_FORMAT as EXPORTED_FORMAT
from medfoundry.train.preference import PREFERENCE_FORMAT, dpo_loss, train_preference
from medfoundry.train.spec import TrainSpec


def test_dpo_loss_by_hand() -> None:
    policy = torch.tensor([[-1.0, -3.0]])
    reference = torch.tensor([[-2.0, -2.0]])
    loss, margin = dpo_loss(policy, reference, beta=0.5)
    # margin = 0.5 * ((-1 + 2) - (-3 + 2)) = 1.0; loss = -log(sigmoid(1)) = log(1 + e^-1)
    assert float(margin[0]) == pytest.approx(1.0)
    assert float(loss) == pytest.approx(math.log1p(math.exp(-1.0)))
    same, zero = dpo_loss(reference, reference, beta=0.1)
    assert float(same) == pytest.approx(math.log(2)) and float(zero[0]) == 0.0
    assert PREFERENCE_FORMAT == EXPORTED_FORMAT


def test_a_few_dpo_steps_on_the_tiny_model_prefer_the_chosen_answers(tiny_model_dir: Path, tmp_path: Path) -> None:
    rows = [{"prompt": [{"role": "user", "content": f"Advice for {t}?"}],
             "chosen": f"Ask your care team about {t}.", "rejected": f"Ignore the {t}, it is nothing."}
            for t in ("asthma", "gout", "eczema", "acne")]  # fmt: skip
    rows.append({**rows[0], "prompt": [{"role": "user", "content": "Advice for rosacea?"}], "split": "validation"})
    spec = TrainSpec(base_model="x", dataset="y", max_steps=4, batch_size=4, learning_rate=5e-3,
                     max_seq_length=64, precision="fp32", lora_r=4, dpo_beta=0.5, warmup_steps=0,
                     checkpoint_interval=None, lr_schedule="constant")  # fmt: skip
    seen: list[dict[str, float]] = []
    run = train_preference(spec, base_location=str(tiny_model_dir), rows=rows, work_dir=tmp_path, on_step=seen.append)
    assert run.progress.step == 4 and run.extra["objective"] == "dpo"
    assert seen[0]["loss"] == pytest.approx(math.log(2), abs=1e-4)  # policy == reference before any update
    assert seen[-1]["loss"] < seen[0]["loss"] and seen[-1]["reward_margin"] > 0
    assert run.extra["train_examples"] == 4 and run.extra["validation_examples"] == 1
    assert run.extra["eval_loss"] is not None and 0.0 <= run.extra["eval_reward_accuracy"] <= 1.0
    assert run.model.peft_config  # a LoRA adapter was trained; the base weights are the frozen reference
