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


@dataclass
class _Session:
    """Everything set up once and used by every step: the model, optimizer, data and place."""

    spec: TrainSpec
    world: distributed.World
    device: torch.device
    precision: Any
    tokenizer: Any
    pad_id: int
    train_examples: list[Example]
    eval_examples: list[Example]
    model: Any
    loss_fn: CompletionLoss
    runner: Any
    params: list[torch.nn.Parameter]
    optimizer: torch.optim.Optimizer
    scheduler: Any
    total_steps: int
    ckpt_dir: Path
    progress: checkpoint.Progress
    trainable: int
    total: int

    def autocast(self) -> Any:
        if self.precision.autocast is None:
            return contextlib.nullcontext()
        return torch.autocast(device_type=self.device.type, dtype=self.precision.autocast)

    def eval_loss(self) -> float:
        return evaluate(self.loss_fn, self.eval_examples, self.spec, self.device, self.pad_id, self.autocast)


def _tokenized(spec: TrainSpec, tokenizer: Any, data: ChatData) -> tuple[list[Example], list[Example]]:
    length, only = spec.max_seq_length, spec.completion_only
    train_examples = tokenize_all(tokenizer, data.train, max_length=length, completion_only=only)
    eval_examples = tokenize_all(tokenizer, data.validation, max_length=length, completion_only=only)
    if not train_examples:
        raise InputError(
            f"none of the {len(data.train)} training examples has an answer token within max_seq_length="
            f"{length}: each was cut before its assistant reply",
            hint="raise max_seq_length, or build the dataset with shorter prompts (data build --max-source-chars)",
        )
    return train_examples, eval_examples


def _setup(spec: TrainSpec, base_location: str, data: ChatData, work_dir: Path) -> _Session:
    """Device, tokenizer, data, model, optimizer and schedule; resumes from the newest checkpoint."""
    from transformers import AutoTokenizer, get_scheduler

    world = distributed.current_world()
    device = distributed.device_for(world, pick_device(spec))
    distributed.init(world, device)
    precision = pick_precision(spec, device)
    torch.manual_seed(spec.seed)
    tokenizer = AutoTokenizer.from_pretrained(base_location)
    apply_template(tokenizer, spec.chat_template)
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    train_examples, eval_examples = _tokenized(spec, tokenizer, data)
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
    progress = checkpoint.resume(ckpt_dir, model=model, optimizer=optimizer, scheduler=scheduler)
    return _Session(spec, world, device, precision, tokenizer, pad_id, train_examples, eval_examples, model,
                    loss_fn, runner, params, optimizer, scheduler, total_steps, ckpt_dir, progress, trainable,
                    total)  # fmt: skip


def _step(s: _Session, epoch: int, micro: list[Any]) -> dict[str, float]:
    """One optimizer step over ``gradient_accumulation`` micro-batches; returns its metrics."""
    step_start = time.perf_counter()
    world, device, pad_id = s.world, s.device, s.pad_id
    collated = [collate(_shard(rows, world, pad_id), pad_id) for rows in micro]
    global_targets = sum(count_targets(collate(rows, pad_id)) for rows in micro)
    denominator = torch.tensor(max(global_targets, 1) / world.size, device=device)
    step_loss = 0.0
    for index, batch in enumerate(collated):
        batch = {k: v.to(device, non_blocking=True) for k, v in batch.items()}
        last = index == len(collated) - 1
        sync = contextlib.nullcontext() if last or not world.distributed else s.runner.no_sync()
        with sync:
            with s.autocast():
                loss = s.runner(**batch, num_targets=denominator)
            loss.backward()
        step_loss += float(loss.detach())
    grad_norm = (torch.nn.utils.clip_grad_norm_(s.params, s.spec.max_grad_norm)
                 if s.spec.max_grad_norm else torch.tensor(0.0))  # fmt: skip
    lr = s.scheduler.get_last_lr()[0]
    s.optimizer.step()
    s.scheduler.step()
    s.optimizer.zero_grad(set_to_none=True)
    tokens = sum(count_tokens(rows) for rows in micro)
    progress = s.progress
    progress.step += 1
    progress.epoch = epoch
    progress.tokens += tokens
    loss_value = distributed.all_sum(step_loss, world, device) / world.size
    elapsed = time.perf_counter() - step_start
    progress.history.append({"step": progress.step, "loss": loss_value, "lr": lr})
    return {"loss": loss_value, "lr": lr, "grad_norm": float(grad_norm), "tokens": float(tokens),
            "tokens_per_s": tokens / max(elapsed, 1e-9), "epoch": float(epoch), "step": float(progress.step),
            "total_steps": float(s.total_steps)}  # fmt: skip


def _eval_and_should_stop(s: _Session, on_eval: StepCallback | None) -> bool:
    """Validation loss now; True when it has not improved for ``early_stopping_patience`` evals."""
    progress = s.progress
    eval_loss = s.eval_loss()
    progress.eval_history.append({"step": progress.step, "eval_loss": eval_loss})
    if progress.best_eval_loss is None or eval_loss < progress.best_eval_loss:
        progress.best_eval_loss, progress.evals_without_improvement = eval_loss, 0
    else:
        progress.evals_without_improvement += 1
    if s.world.is_main and on_eval:
        on_eval({"step": float(progress.step), "eval_loss": eval_loss})
    patience = s.spec.early_stopping_patience
    return bool(patience and progress.evals_without_improvement >= patience)


def _checkpoint(s: _Session, on_checkpoint: Callable[[], None] | None) -> None:
    if s.world.is_main:
        if on_checkpoint:
            on_checkpoint()  # metrics up to a checkpoint are at least as durable as it
        checkpoint.save(s.ckpt_dir, model=s.model, optimizer=s.optimizer, scheduler=s.scheduler,
                        progress=s.progress, keep=s.spec.keep_checkpoints)  # fmt: skip
    distributed.barrier(s.world)


def _due(step: int, interval: int | None) -> bool:
    return interval is not None and interval > 0 and step % interval == 0


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
    s = _setup(spec, base_location, data, work_dir)
    stream = _steps(spec.model_copy(update={"batch_size": spec.batch_size * s.world.size}), s.train_examples, 0)
    for _ in range(s.progress.step):  # the data order is a function of (seed, epoch): skip what was done
        next(stream)
    stopped_early = False
    started = time.perf_counter()
    if s.device.type == "cuda":
        torch.cuda.reset_peak_memory_stats(s.device)
    while s.progress.step < s.total_steps:
        if check_stop:
            check_stop()
        epoch, micro = next(stream)
        metrics = _step(s, epoch, micro)
        step = s.progress.step
        if s.world.is_main and on_step and (_due(step, spec.log_interval) or step == s.total_steps):
            on_step(metrics)
        if _due(step, spec.eval_interval):
            stopped_early = _eval_and_should_stop(s, on_eval)
        if _due(step, spec.checkpoint_interval) and step < s.total_steps:
            _checkpoint(s, on_checkpoint)
        if stopped_early:
            logger.info("early stopping at step %d", step)
            break
    return TrainRun(
        model=s.model, tokenizer=s.tokenizer, progress=s.progress, total_steps=s.total_steps,
        precision=s.precision.name, device=str(s.device), world_size=s.world.size,
        trainable_parameters=s.trainable, total_parameters=s.total, train_seconds=time.perf_counter() - started,
        stopped_early=stopped_early, peak_memory_bytes=peak_memory(s.device),
        extra={"train_examples": len(s.train_examples), "validation_examples": len(s.eval_examples),
               "eval_loss": s.eval_loss() if s.eval_examples else None},
    )  # fmt: skip
