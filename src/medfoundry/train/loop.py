"""The training loop: setup, steps, evaluation, checkpoints, early stopping.

Plain PyTorch around a transformers/PEFT model (a trainer class hierarchy would hide
the resume state). Each optimizer step takes ``gradient_accumulation`` micro-batches;
the loss is normalized by the number of target tokens of the whole step across all
processes, so 2 processes x batch b give the same update as 1 process x batch 2b.
"""

from __future__ import annotations

import contextlib
import logging
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from medfoundry.datasets.chat import ChatData
from medfoundry.errors import InputError
from medfoundry.train import checkpoint, distributed
from medfoundry.train.data import Example, collate, count_targets, count_tokens, epoch_batches, tokenize_all
from medfoundry.train.data import set_chat_template as apply_template
from medfoundry.train.model import (
    CompletionLoss,
    apply_method,
    count_parameters,
    load_base,
    pick_device,
    pick_precision,
)
from medfoundry.train.spec import TrainSpec

logger = logging.getLogger(__name__)
StepCallback = Callable[[dict[str, float]], None]


@dataclass
class TrainRun:
    """What ``train`` returns: the trained model in memory plus the numbers."""

    model: Any
    tokenizer: Any
    progress: checkpoint.Progress
    total_steps: int
    precision: str
    device: str
    world_size: int
    trainable_parameters: int
    total_parameters: int
    train_seconds: float
    stopped_early: bool
    peak_memory_bytes: int
    extra: dict[str, Any] = field(default_factory=dict)


def _steps(spec: TrainSpec, examples: list[Example], start_epoch: int) -> Iterator[tuple[int, list[Any]]]:
    """(epoch, micro-batches of rows) for each optimizer step, forever, from ``start_epoch``."""
    epoch = start_epoch
    while True:
        batches = epoch_batches(
            examples,
            batch_size=spec.batch_size,
            row_length=spec.max_seq_length,
            packing=spec.packing,
            seed=spec.seed,
            epoch=epoch,
        )
        for i in range(0, len(batches), spec.gradient_accumulation):
            yield epoch, batches[i : i + spec.gradient_accumulation]
        epoch += 1


def steps_per_epoch(spec: TrainSpec, examples: list[Example], world: distributed.World) -> int:
    batches = epoch_batches(
        examples, batch_size=spec.batch_size * world.size, row_length=spec.max_seq_length,
        packing=spec.packing, seed=spec.seed, epoch=0,
    )  # fmt: skip
    return max(1, math.ceil(len(batches) / spec.gradient_accumulation))


def _shard(rows: list[Any], world: distributed.World, pad_id: int) -> list[Any]:
    mine = rows[world.rank :: world.size]
    return mine or [[Example([pad_id], [-100])]]  # an idle rank still joins the all-reduce


def peak_memory(device: torch.device) -> int:
    if device.type == "cuda":
        return int(torch.cuda.max_memory_allocated(device))
    import resource

    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * 1024


def evaluate(loss_fn: CompletionLoss, examples: list[Example], spec: TrainSpec, device: torch.device,
             pad_id: int, autocast: Any) -> float:  # fmt: skip
    """Mean target-token loss over the validation examples (no dropout, no gradients)."""
    if not examples:
        return float("nan")
    batches = epoch_batches(examples, batch_size=spec.batch_size, row_length=spec.max_seq_length,
                            packing=spec.packing, seed=spec.seed, epoch=0)  # fmt: skip
    total, targets = 0.0, 0
    loss_fn.eval()
    with torch.no_grad():
        for rows in batches:
            batch = {k: v.to(device) for k, v in collate(rows, pad_id).items()}
            n = count_targets(batch)
            with autocast():
                total += float(loss_fn(**batch, num_targets=torch.tensor(1.0, device=device)))
            targets += n
    loss_fn.train()
    return total / max(targets, 1)


def train(
    spec: TrainSpec,
    *,
    base_location: str,
    data: ChatData,
    work_dir: Path,
    on_step: StepCallback | None = None,
    on_eval: StepCallback | None = None,
    check_stop: Callable[[], None] | None = None,
    on_checkpoint: Callable[[], None] | None = None,
) -> TrainRun:
    """Train ``base_location`` on ``data``; resumes from the newest checkpoint in ``work_dir``."""
    from transformers import AutoTokenizer, get_scheduler

    world = distributed.current_world()
    device = distributed.device_for(world, pick_device(spec))
    distributed.init(world, device)
    precision = pick_precision(spec, device)
    torch.manual_seed(spec.seed)
    tokenizer = AutoTokenizer.from_pretrained(base_location)
    apply_template(tokenizer, spec.chat_template)
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    length, only = spec.max_seq_length, spec.completion_only
    train_examples = tokenize_all(tokenizer, data.train, max_length=length, completion_only=only)
    eval_examples = tokenize_all(tokenizer, data.validation, max_length=length, completion_only=only)
    if not train_examples:
        raise InputError(
            f"none of the {len(data.train)} training examples has an answer token within max_seq_length="
            f"{length}: each was cut before its assistant reply",
            hint="raise max_seq_length, or build the dataset with shorter prompts (data build --max-source-chars)",
        )
    model = apply_method(spec, load_base(spec, base_location, device, precision))
    trainable, total = count_parameters(model)
    loss_fn = CompletionLoss(model)
    runner = distributed.wrap(loss_fn, world, device)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=spec.learning_rate, weight_decay=spec.weight_decay,
                                  foreach=device.type == "cuda")  # fmt: skip
    per_epoch = steps_per_epoch(spec, train_examples, world)
    total_steps = spec.max_steps or max(1, math.ceil(spec.epochs * per_epoch))
    scheduler = get_scheduler(spec.lr_schedule, optimizer, num_warmup_steps=spec.warmup_steps,
                              num_training_steps=total_steps)  # fmt: skip
    ckpt_dir = work_dir / "checkpoints"
    progress = checkpoint.Progress()
    found = checkpoint.latest(ckpt_dir)
    if found is not None:
        progress = checkpoint.load(found, model=model, optimizer=optimizer, scheduler=scheduler)
        logger.info("resumed from %s at step %d", found.name, progress.step)

    def autocast() -> Any:
        if precision.autocast is None:
            return contextlib.nullcontext()
        return torch.autocast(device_type=device.type, dtype=precision.autocast)

    stream = _steps(spec.model_copy(update={"batch_size": spec.batch_size * world.size}), train_examples, 0)
    for _ in range(progress.step):  # the data order is a function of (seed, epoch): skip what was done
        next(stream)
    stopped_early = False
    started = time.perf_counter()
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats(device)
    while progress.step < total_steps:
        if check_stop:
            check_stop()
        step_start = time.perf_counter()
        epoch, micro = next(stream)
        collated = [collate(_shard(rows, world, pad_id), pad_id) for rows in micro]
        global_targets = sum(count_targets(collate(rows, pad_id)) for rows in micro)
        denominator = torch.tensor(max(global_targets, 1) / world.size, device=device)
        step_loss = 0.0
        for index, batch in enumerate(collated):
            batch = {k: v.to(device, non_blocking=True) for k, v in batch.items()}
            last = index == len(collated) - 1
            sync = contextlib.nullcontext() if last or not world.distributed else runner.no_sync()  # type: ignore[operator]
            with sync:
                with autocast():
                    loss = runner(**batch, num_targets=denominator)
                loss.backward()
            step_loss += float(loss.detach())
        grad_norm = (torch.nn.utils.clip_grad_norm_(params, spec.max_grad_norm)
                     if spec.max_grad_norm else torch.tensor(0.0))  # fmt: skip
        lr = scheduler.get_last_lr()[0]
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad(set_to_none=True)
        tokens = sum(count_tokens(rows) for rows in micro)
        progress.step += 1
        progress.epoch = epoch
        progress.tokens += tokens
        loss_value = distributed.all_sum(step_loss, world, device) / world.size
        elapsed = time.perf_counter() - step_start
        metrics = {"loss": loss_value, "lr": lr, "grad_norm": float(grad_norm), "tokens": float(tokens),
                   "tokens_per_s": tokens / max(elapsed, 1e-9), "epoch": float(epoch), "step": float(progress.step),
                   "total_steps": float(total_steps)}  # fmt: skip
        progress.history.append({"step": progress.step, "loss": loss_value, "lr": lr})
        if (
            world.is_main
            and on_step
            and (progress.step % spec.log_interval == 0 or progress.step == total_steps)
        ):
            on_step(metrics)
        if spec.eval_interval and progress.step % spec.eval_interval == 0:
            eval_loss = evaluate(loss_fn, eval_examples, spec, device, pad_id, autocast)
            progress.eval_history.append({"step": progress.step, "eval_loss": eval_loss})
            if progress.best_eval_loss is None or eval_loss < progress.best_eval_loss:
                progress.best_eval_loss, progress.evals_without_improvement = eval_loss, 0
            else:
                progress.evals_without_improvement += 1
            if world.is_main and on_eval:
                on_eval({"step": float(progress.step), "eval_loss": eval_loss})
            patience = spec.early_stopping_patience
            stopped_early = bool(patience and progress.evals_without_improvement >= patience)
        if (
            spec.checkpoint_interval
            and progress.step % spec.checkpoint_interval == 0
            and progress.step < total_steps
        ):
            if world.is_main:
                if on_checkpoint:
                    on_checkpoint()  # metrics up to a checkpoint are at least as durable as it
                checkpoint.save(ckpt_dir, model=model, optimizer=optimizer, scheduler=scheduler,
                                progress=progress, keep=spec.keep_checkpoints)  # fmt: skip
            distributed.barrier(world)
        if stopped_early:
            logger.info("early stopping at step %d", progress.step)
            break
    return TrainRun(
        model=model, tokenizer=tokenizer, progress=progress, total_steps=total_steps, precision=precision.name,
        device=str(device), world_size=world.size, trainable_parameters=trainable, total_parameters=total,
        train_seconds=time.perf_counter() - started, stopped_early=stopped_early,
        peak_memory_bytes=peak_memory(device),
        extra={"train_examples": len(train_examples), "validation_examples": len(eval_examples),
               "eval_loss": evaluate(loss_fn, eval_examples, spec, device, pad_id, autocast)
               if eval_examples else None},
    )  # fmt: skip
