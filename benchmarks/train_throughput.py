"""Training throughput: `medfoundry train` vs a plain Hugging Face Trainer + PEFT baseline.

Same model (a SmolLM2-135M-shaped random Llama built locally), same variable-length
chat data, same LoRA and optimizer hyper-parameters, one epoch over the same examples,
so both sides process exactly the same tokens. Each side runs in its own subprocess
(peak memory is per process). Prints one JSON line with tokens/s, peak memory, the
speed-up and, on a GPU, MFU.

    python benchmarks/train_throughput.py --quick                       # CPU, a few minutes
    python benchmarks/train_throughput.py --device cuda --dtype bfloat16  # GPU
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

WORDS = (
    "patient presents with chest pain shortness of breath fever cough nausea history of hypertension "
    "diabetes asthma medication dose daily twice tablet blood pressure heart rate glucose hemoglobin "
    "creatinine assessment plan follow up clinic discharge summary admitted emergency department denies"
).split()
# On CPU, peak RSS under glibc's default malloc includes heap fragmentation that varies
# by hundreds of MB between identical runs. One extra run per side has every allocation
# of 64 KiB or more mapped and unmapped on its own, so its peak RSS follows the memory
# the tensors really hold (slower, so it is not used for tokens/s).
LIVE_MEMORY_ENV = {"MALLOC_MMAP_THRESHOLD_": "65536"}
PEAK_BF16_FLOPS = {"H100": 989e12, "H200": 989e12, "A100": 312e12, "L40S": 362e12, "A10": 125e12}


def conversations(n: int, max_words: int, seed: int) -> list[list[dict[str, str]]]:
    """Variable-length notes (8..max_words words) with short summaries."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        note = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, max_words)))
        summary = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, max(5, max_words // 6))))
        out.append([{"role": "system", "content": "Summarize the clinical note."},
                    {"role": "user", "content": note}, {"role": "assistant", "content": summary}])  # fmt: skip
    return out


def settings(args: argparse.Namespace) -> dict[str, Any]:
    return {"lora_r": 16, "lora_alpha": 32, "lora_dropout": 0.0, "learning_rate": 2e-4, "batch_size": args.batch_size,
            "max_seq_length": args.max_len, "seed": 0}  # fmt: skip


def run_medfoundry(args: argparse.Namespace, model_dir: Path, data: list[Any]) -> dict[str, Any]:
    from medfoundry.datasets.chat import ChatData
    from medfoundry.train.loop import train
    from medfoundry.train.spec import TrainSpec

    precision = "bf16" if args.dtype == "bfloat16" else "fp32"
    spec = TrainSpec(base_model="bench", dataset="bench", method="lora", epochs=1, lr_schedule="constant",
                     packing=True, completion_only=True, precision=precision, device=args.device,
                     checkpoint_interval=None, **settings(args))  # fmt: skip
    with tempfile.TemporaryDirectory() as work:
        run = train(
            spec, base_location=str(model_dir), data=ChatData(data, [], "bench", "-"), work_dir=Path(work)
        )
    return {"tokens": run.progress.tokens, "seconds": run.train_seconds, "steps": run.progress.step,
            "peak_memory_bytes": run.peak_memory_bytes, "final_loss": run.progress.history[-1]["loss"]}  # fmt: skip


def run_baseline(args: argparse.Namespace, model_dir: Path, data: list[Any]) -> dict[str, Any]:
    """The plain recipe: HF Trainer, PEFT LoRA, padding to the longest in each batch."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import (
        AutoModelForCausalLM,
        AutoTokenizer,
        DataCollatorForSeq2Seq,
        Trainer,
        TrainingArguments,
    )

    from medfoundry.train.data import tokenize_all

    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    examples = tokenize_all(tokenizer, data, max_length=args.max_len, completion_only=True)
    rows = [{"input_ids": e.input_ids, "attention_mask": [1] * len(e), "labels": e.labels} for e in examples]
    dtype = torch.bfloat16 if args.dtype == "bfloat16" else torch.float32
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=dtype, attn_implementation="sdpa")
    s = settings(args)
    model = get_peft_model(model, LoraConfig(r=s["lora_r"], lora_alpha=s["lora_alpha"], lora_dropout=0.0,
                                             target_modules="all-linear", task_type="CAUSAL_LM"))  # fmt: skip
    with tempfile.TemporaryDirectory() as out:
        training_args = TrainingArguments(
            output_dir=out, per_device_train_batch_size=args.batch_size, num_train_epochs=1,
            learning_rate=s["learning_rate"], lr_scheduler_type="constant", logging_steps=10_000,
            save_strategy="no", report_to=[], bf16=args.dtype == "bfloat16", use_cpu=args.device == "cpu",
            dataloader_num_workers=0, seed=0, max_grad_norm=1.0, disable_tqdm=True,
        )  # fmt: skip
        collator = DataCollatorForSeq2Seq(tokenizer, padding=True, label_pad_token_id=-100)
        trainer = Trainer(model=model, args=training_args, train_dataset=rows, data_collator=collator)
        if args.device == "cuda":
            torch.cuda.reset_peak_memory_stats()
        started = time.perf_counter()
        output = trainer.train()
        seconds = time.perf_counter() - started
    from medfoundry.train.loop import peak_memory

    return {"tokens": sum(len(e) for e in examples), "seconds": seconds, "steps": output.global_step,
            "peak_memory_bytes": peak_memory(torch.device(args.device)), "final_loss": output.training_loss}  # fmt: skip


def model_flops_per_token(model_dir: Path, mean_len: float) -> float:
    """6N plus attention (12·layers·hidden·context), the PaLM 'model FLOPs' convention."""
    config = json.loads((model_dir / "config.json").read_text())
    d, layers, ff, vocab = (
        config["hidden_size"],
        config["num_hidden_layers"],
        config["intermediate_size"],
        config["vocab_size"],
    )
    kv = d * config["num_key_value_heads"] // config["num_attention_heads"]
    params = layers * (2 * d * d + 2 * d * kv + 3 * d * ff) + vocab * d
    return 6 * params + 12 * layers * d * mean_len


def side(args: argparse.Namespace) -> None:
    import torch

    torch.manual_seed(0)
    model_dir = Path(args.model_dir)
    data = conversations(args.examples, args.max_words, seed=1)
    result = (
        run_medfoundry(args, model_dir, data)
        if args.side == "medfoundry"
        else run_baseline(args, model_dir, data)
    )
    result["tokens_per_s"] = result["tokens"] / result["seconds"]
    sys.stdout.write("RESULT " + json.dumps(result) + "\n")


def run_side(
    name: str, args: argparse.Namespace, model_dir: Path, env: dict[str, str] | None = None
) -> dict[str, Any]:
    command = [sys.executable, __file__, "--side", name, "--model-dir", str(model_dir), "--device", args.device,
               "--dtype", args.dtype, "--examples", str(args.examples), "--batch-size", str(args.batch_size),
               "--max-len", str(args.max_len), "--max-words", str(args.max_words)]  # fmt: skip
    done = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})}
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"{name} failed:\n{done.stderr[-4000:]}")
    return dict(json.loads(lines[-1][len("RESULT ") :]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--dtype", default="float32", choices=["float32", "bfloat16"])
    parser.add_argument("--quick", action="store_true", help="fewer, shorter examples (CPU: a few minutes)")
    parser.add_argument("--examples", type=int, default=None)
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--max-len", type=int, default=None, help="max tokens per example (and packed row)")
    parser.add_argument("--shape", default="smollm2-135m")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per side, alternating; the fastest is kept"
    )
    parser.add_argument(
        "--no-live-memory", action="store_true", help="CPU: skip the extra live-memory run per side"
    )
    parser.add_argument("--side", choices=["medfoundry", "baseline"], help=argparse.SUPPRESS)
    parser.add_argument("--model-dir", help=argparse.SUPPRESS)
    parser.add_argument("--max-words", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    gpu = args.device == "cuda"
    args.examples = args.examples or (48 if args.quick else (2048 if gpu else 256))
    args.batch_size = args.batch_size or (4 if args.quick else (16 if gpu else 4))
    args.max_len = args.max_len or (256 if args.quick else (1024 if gpu else 512))
    args.max_words = args.max_words or int(args.max_len * 0.8)
    if args.side:
        side(args)
        return
    from medfoundry.catalog.tiny import build_tiny_model

    with tempfile.TemporaryDirectory() as tmp:
        model_dir = build_tiny_model(Path(tmp) / "model", shape=args.shape)
        results: dict[str, dict[str, Any]] = {}
        peaks: dict[str, int] = {}
        for repeat in range(args.repeat):  # alternate the order; keep each side's fastest run
            order = ("baseline", "medfoundry") if repeat % 2 == 0 else ("medfoundry", "baseline")
            for name in order:
                result = run_side(name, args, model_dir)
                peaks[name] = max(peaks.get(name, 0), result["peak_memory_bytes"])
                if name not in results or result["tokens_per_s"] > results[name]["tokens_per_s"]:
                    results[name] = result
        for name in results:
            results[name]["peak_memory_bytes"] = peaks[name]  # the highest of its runs
        if not gpu and not args.no_live_memory:
            for name in results:  # see LIVE_MEMORY_ENV
                results[name]["live_peak_memory_bytes"] = run_side(name, args, model_dir, LIVE_MEMORY_ENV)[
                    "peak_memory_bytes"
                ]
        mean_len = results["baseline"]["tokens"] / args.examples
        flops = model_flops_per_token(model_dir, mean_len)
    report: dict[str, Any] = {
        "benchmark": "train_throughput", "shape": args.shape, "device": args.device, "dtype": args.dtype,
        "examples": args.examples, "repeat": args.repeat, "batch_size": args.batch_size, "max_len": args.max_len,
        "mean_example_tokens": round(mean_len, 1), **{f"{k}": v for k, v in results.items()},
        "speedup_tokens_per_s": results["medfoundry"]["tokens_per_s"] / results["baseline"]["tokens_per_s"],
        "memory_ratio": results["medfoundry"]["peak_memory_bytes"] / results["baseline"]["peak_memory_bytes"],
    }  # fmt: skip
    if "live_peak_memory_bytes" in results["baseline"]:
        report["live_memory_ratio"] = (
            results["medfoundry"]["live_peak_memory_bytes"] / results["baseline"]["live_peak_memory_bytes"]
        )
    if gpu:
        import torch

        name = torch.cuda.get_device_name()
        peak = next((v for k, v in PEAK_BF16_FLOPS.items() if k in name), None)
        report["gpu"] = name
        for side_name in ("baseline", "medfoundry"):
            tps = results[side_name]["tokens_per_s"]
            report[side_name]["mfu"] = tps * flops / peak if peak and args.dtype == "bfloat16" else None
    sys.stdout.write(json.dumps(report) + "\n")


if __name__ == "__main__":
    main()
