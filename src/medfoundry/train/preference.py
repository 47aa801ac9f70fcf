"""DPO on preference pairs (``preference-jsonl`` dataset versions, e.g. from ``review export``).

A plain loop, no TRL: the policy is the base model with its adapter (or all weights, for
full fine-tuning); the frozen reference is the same base with the adapter disabled. The
reference log-probabilities are computed once, before any update, so a full fine-tune needs
no second copy of the model. Loss: ``-log sigmoid(beta * ((pc - rc) - (pr - rr)))`` with
``p``/``r`` the policy/reference sums of completion-token log-probabilities of the chosen
(``c``) and rejected (``r``) answers (Rafailov et al., 2023).
"""

from __future__ import annotations

import contextlib
import json
import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F

from medfoundry.datasets.chat import check_trainable
from medfoundry.errors import InputError
from medfoundry.store.database import Store
from medfoundry.store.models import DatasetVersion
from medfoundry.train import checkpoint
from medfoundry.train.data import IGNORE, Example, set_chat_template, tokenize_example
from medfoundry.train.loop import StepCallback, TrainRun, peak_memory
from medfoundry.train.model import apply_method, count_parameters, load_base, pick_device, pick_precision
from medfoundry.train.spec import TrainSpec

PREFERENCE_FORMAT = "preference-jsonl"


@dataclass(frozen=True)
class Pair:
    chosen: Example
    rejected: Example


def is_preference(version: DatasetVersion) -> bool:
    return (version.meta or {}).get("format") == PREFERENCE_FORMAT


def read_pairs(store: Store, version: DatasetVersion) -> list[dict[str, Any]]:
    check_trainable(version)
    if version.artifact_id is None:
        raise InputError(f"dataset version {version.id} has no data artifact")
    rows = []
    for number, line in enumerate(store.read_artifact(version.artifact_id).decode().splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        if not (isinstance(row.get("prompt"), list) and isinstance(row.get("chosen"), str)
                and isinstance(row.get("rejected"), str)):  # fmt: skip
            raise InputError(f"{version.id}:{number}: a preference row needs prompt (messages), chosen and rejected")
        rows.append(row)
    return rows


def tokenize_pairs(tokenizer: Any, rows: list[dict[str, Any]], max_length: int) -> list[Pair]:
    pairs = []
    for row in rows:
        both = [
            tokenize_example(tokenizer, [*row["prompt"], {"role": "assistant", "content": row[side]}],
                             max_length=max_length, completion_only=True)
            for side in ("chosen", "rejected")
        ]  # fmt: skip
        if all(any(label != IGNORE for label in e.labels[1:]) for e in both):
            pairs.append(Pair(*both))
    return pairs


def _batch(examples: list[Example], pad_id: int, device: torch.device) -> dict[str, torch.Tensor]:
    width = max(len(e) for e in examples)
    ids = torch.full((len(examples), width), pad_id, dtype=torch.long)
    labels = torch.full((len(examples), width), IGNORE, dtype=torch.long)
    mask = torch.zeros((len(examples), width), dtype=torch.long)
    for row, e in enumerate(examples):
        ids[row, : len(e)] = torch.tensor(e.input_ids)
        labels[row, : len(e) - 1] = torch.tensor(e.labels[1:])  # labels[t]: the target of logits[t]
        mask[row, : len(e)] = 1
    return {"input_ids": ids.to(device), "labels": labels.to(device), "attention_mask": mask.to(device)}


def sequence_logps(model: Any, examples: list[Example], pad_id: int, device: torch.device) -> torch.Tensor:
    """Sum of log-probabilities of each example's completion tokens."""
    batch = _batch(examples, pad_id, device)
    logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits.float()
    targets = batch["labels"]
    picked = torch.gather(logits.log_softmax(-1), 2, targets.clamp(min=0).unsqueeze(-1)).squeeze(-1)
    return (picked * (targets != IGNORE)).sum(-1)


def dpo_loss(policy: torch.Tensor, reference: torch.Tensor, beta: float) -> tuple[torch.Tensor, torch.Tensor]:
    """``policy``/``reference``: (n, 2) log-probs of (chosen, rejected). Returns loss and reward margins."""
    margins = beta * ((policy[:, 0] - reference[:, 0]) - (policy[:, 1] - reference[:, 1]))
    return -F.logsigmoid(margins).mean(), margins.detach()


def _reference(model: Any, pairs: list[Pair], spec: TrainSpec, pad_id: int, device: torch.device) -> torch.Tensor:
    disable = model.disable_adapter() if hasattr(model, "disable_adapter") else contextlib.nullcontext()
    out = []
    model.eval()
    with torch.no_grad(), disable:
        for i in range(0, len(pairs), spec.batch_size):
            chunk = pairs[i : i + spec.batch_size]
            logps = sequence_logps(model, [p.chosen for p in chunk] + [p.rejected for p in chunk], pad_id, device)
            out.append(torch.stack([logps[: len(chunk)], logps[len(chunk) :]], dim=1))
    model.train()
    return torch.cat(out)


def _held_out(model: Any, pairs: list[Pair], spec: TrainSpec, pad_id: int,
              device: torch.device) -> tuple[float | None, float | None]:  # fmt: skip
    """DPO loss and reward accuracy on the validation pairs (None without any)."""
    if not pairs:
        return None, None
    reference = _reference(model, pairs, spec, pad_id, device)
    policy = []
    model.eval()
    with torch.no_grad():
        for i in range(0, len(pairs), spec.batch_size):
            chunk = pairs[i : i + spec.batch_size]
            logps = sequence_logps(model, [p.chosen for p in chunk] + [p.rejected for p in chunk], pad_id, device)
            policy.append(torch.stack([logps[: len(chunk)], logps[len(chunk) :]], dim=1))
    model.train()
    loss, margins = dpo_loss(torch.cat(policy), reference, spec.dpo_beta)
    return float(loss), float((margins > 0).float().mean())


def train_preference(
    spec: TrainSpec,
    *,
    base_location: str,
    rows: list[dict[str, Any]],
    work_dir: Path,
    on_step: StepCallback | None = None,
    check_stop: Any = None,
) -> TrainRun:
    """DPO-train ``base_location`` on preference ``rows``; resumes from ``work_dir``'s checkpoints."""
    from transformers import AutoTokenizer, get_scheduler

    device = pick_device(spec)
    precision = pick_precision(spec, device)
    torch.manual_seed(spec.seed)
    tokenizer = AutoTokenizer.from_pretrained(base_location)
    set_chat_template(tokenizer, spec.chat_template)
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    pairs = tokenize_pairs(tokenizer, [r for r in rows if r.get("split") != "validation"], spec.max_seq_length)
    held_out = tokenize_pairs(tokenizer, [r for r in rows if r.get("split") == "validation"], spec.max_seq_length)
    if not pairs:
        raise InputError(
            f"none of the {len(rows)} preference pairs has answer tokens within max_seq_length={spec.max_seq_length}",
            hint="raise max_seq_length",
        )
    model = apply_method(spec, load_base(spec, base_location, device, precision))
    trainable, total = count_parameters(model)
    reference = _reference(model, pairs, spec, pad_id, device)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=spec.learning_rate, weight_decay=spec.weight_decay)
    per_epoch = math.ceil(len(pairs) / spec.batch_size)
    total_steps = spec.max_steps or max(1, math.ceil(spec.epochs * per_epoch))
    scheduler = get_scheduler(spec.lr_schedule, optimizer, num_warmup_steps=spec.warmup_steps,
                              num_training_steps=total_steps)  # fmt: skip
    ckpt_dir = work_dir / "checkpoints"
    progress = checkpoint.resume(ckpt_dir, model=model, optimizer=optimizer, scheduler=scheduler)
    started = time.perf_counter()
    margins = torch.zeros(0)
    while progress.step < total_steps:
        if check_stop:
            check_stop()
        step_start = time.perf_counter()
        epoch, offset = divmod(progress.step, per_epoch)
        order = torch.randperm(len(pairs), generator=torch.Generator().manual_seed(spec.seed * 1_000_003 + epoch))
        index = order[offset * spec.batch_size : (offset + 1) * spec.batch_size].tolist()
        chunk = [pairs[i] for i in index]
        logps = sequence_logps(model, [p.chosen for p in chunk] + [p.rejected for p in chunk], pad_id, device)
        policy = torch.stack([logps[: len(chunk)], logps[len(chunk) :]], dim=1)
        loss, margins = dpo_loss(policy, reference[index], spec.dpo_beta)
        loss.backward()
        grad_norm = torch.nn.utils.clip_grad_norm_(params, spec.max_grad_norm) if spec.max_grad_norm else torch.tensor(0.0)
        lr = scheduler.get_last_lr()[0]
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad(set_to_none=True)
        tokens = sum(len(p.chosen) + len(p.rejected) for p in chunk)
        progress.step += 1
        progress.epoch = epoch
        progress.tokens += tokens
        progress.history.append({"step": progress.step, "loss": float(loss), "lr": lr})
        if on_step and (progress.step % spec.log_interval == 0 or progress.step == total_steps):
            on_step({"loss": float(loss), "lr": lr, "grad_norm": float(grad_norm), "tokens": float(tokens),
                     "tokens_per_s": tokens / max(time.perf_counter() - step_start, 1e-9),
                     "reward_accuracy": float((margins > 0).float().mean()), "reward_margin": float(margins.mean()),
                     "epoch": float(epoch), "step": float(progress.step), "total_steps": float(total_steps)})  # fmt: skip
        if spec.checkpoint_interval and progress.step % spec.checkpoint_interval == 0 and progress.step < total_steps:
            checkpoint.save(ckpt_dir, model=model, optimizer=optimizer, scheduler=scheduler, progress=progress,
                            keep=spec.keep_checkpoints)  # fmt: skip
    eval_loss, eval_accuracy = _held_out(model, held_out, spec, pad_id, device)
    return TrainRun(
        model=model, tokenizer=tokenizer, progress=progress, total_steps=total_steps, precision=precision.name,
        device=str(device), world_size=1, trainable_parameters=trainable, total_parameters=total,
        train_seconds=time.perf_counter() - started, stopped_early=False, peak_memory_bytes=peak_memory(device),
        extra={"train_examples": len(pairs), "validation_examples": len(held_out), "eval_loss": eval_loss,
               "eval_reward_accuracy": eval_accuracy, "objective": "dpo",
               "final_reward_margin": float(margins.mean()) if len(margins) else None},
    )  # fmt: skip
