"""Questions/s of medfoundry's log-likelihood scorer vs lm-evaluation-harness, same model, same items.

Both score MedQA, MedMCQA and PubMedQA items from the official-format files with the
harness's prompts, on one SmolLM2-135M-shaped model built locally (random weights: the
speed is real, the accuracy means nothing). The harness side is its own ``HFLM`` model
class fed ``loglikelihood`` requests exactly as its tasks build them (its task/dataset
plumbing is left out, which only flatters it). Per-item answers must be identical.

    python benchmarks/eval_throughput.py                      # CPU, 10 items per benchmark
    python benchmarks/eval_throughput.py --device cuda --limit 200
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from medfoundry.evaluate.engine import ChoiceRequest, LoglikScorer  # noqa: E402
from medfoundry.evaluate.prompts import PROMPTS  # noqa: E402
from medfoundry.evaluate.readers import READERS  # noqa: E402

BENCHMARKS = {  # name: (reader, data folder, choices)
    "medqa": ("medqa", "medqa", ["A", "B", "C", "D"]),
    "medmcqa": ("medmcqa", "medmcqa", ["A", "B", "C", "D"]),
    "pubmedqa": ("pubmedqa", "pubmedqa", ["yes", "no", "maybe"]),
}


def build_items(data_dir: Path, limit: int, repeat: int) -> list[tuple[str, ChoiceRequest]]:
    items = []
    for name, (reader, folder, choices) in BENCHMARKS.items():
        pattern = "*.json" if reader == "pubmedqa" else "*.jsonl"
        docs = READERS.get(reader)(data_dir / folder, pattern)[:limit]  # type: ignore[call-arg]
        for r in range(repeat):  # repeats are made distinct: the harness scores identical requests once
            for doc in docs:
                varied = (
                    doc
                    if r == 0
                    else {
                        **doc,
                        "question": f"({r}) {doc.get('question', '')}",
                        "QUESTION": f"({r}) {doc.get('QUESTION', '')}",
                    }
                )
                items.append(
                    (name, ChoiceRequest(PROMPTS.get(name)(varied), tuple(" " + c for c in choices)))
                )
    return items


def run_medfoundry(
    model: Any, tokenizer: Any, items: list[tuple[str, ChoiceRequest]], batch_size: int
) -> list[list[float]]:
    scorer = LoglikScorer(model, tokenizer, batch_size=batch_size)
    return scorer.score([r for _, r in items])


def run_harness(
    model: Any, tokenizer: Any, items: list[tuple[str, ChoiceRequest]], batch_size: int, device: str
) -> list[list[float]]:
    from lm_eval.api.instance import Instance
    from lm_eval.models.huggingface import HFLM

    lm = HFLM(pretrained=model, tokenizer=tokenizer, batch_size=batch_size, device=device)
    instances = [
        Instance("loglikelihood", doc={}, arguments=(r.context, c), idx=j, metadata=(name, i, 1))
        for i, (name, r) in enumerate(items)
        for j, c in enumerate(r.continuations)
    ]
    flat = lm.loglikelihood(instances, disable_tqdm=True)
    out, k = [], 0
    for _, r in items:
        out.append([flat[k + j][0] for j in range(len(r.continuations))])
        k += len(r.continuations)
    return out


def argmax(scores: list[float]) -> int:
    return max(range(len(scores)), key=lambda i: (scores[i], -i))


def timed(fn: Any, *args: Any, sync: Any, rounds: int = 1) -> tuple[Any, float]:
    """The result and the best wall time of ``rounds`` runs (later rounds run warm)."""
    best = float("inf")
    for _ in range(rounds):
        sync()
        start = time.perf_counter()
        result = fn(*args)
        sync()
        best = min(best, time.perf_counter() - start)
    return result, best


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared" / "data" / "bench")
    parser.add_argument("--model-dir", type=Path, default=Path("/tmp/medfoundry-bench/smollm2-135m"))
    parser.add_argument("--limit", type=int, default=10, help="items per benchmark (first N in file order)")
    parser.add_argument("--repeat", type=int, default=1, help="score the items this many times (longer runs)")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--dtype", default="auto", help="auto = the model's own (float32 here)")
    parser.add_argument("--batch-size", type=int, default=8, help="medfoundry's batch size")
    parser.add_argument("--harness-batch-sizes", default="1,8", help="the harness's batch sizes to run")
    parser.add_argument("--rounds", type=int, default=1, help="time each side this many times, keep the best")
    parser.add_argument("--json-out", type=Path)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from medfoundry.catalog.tiny import build_tiny_model

    if not (args.model_dir / "config.json").exists():
        build_tiny_model(args.model_dir, shape="smollm2-135m")
    dtype = "auto" if args.dtype == "auto" else getattr(torch, args.dtype)
    model = AutoModelForCausalLM.from_pretrained(args.model_dir, dtype=dtype).to(args.device).eval()
    tokenizer = AutoTokenizer.from_pretrained(args.model_dir)
    items = build_items(args.data_dir, args.limit, args.repeat)
    sync = torch.cuda.synchronize if args.device.startswith("cuda") else (lambda: None)
    warm = items[:2]
    sizes = [int(b) for b in args.harness_batch_sizes.split(",")]
    contenders: dict[str, Any] = {
        "medfoundry": lambda: run_medfoundry(model, tokenizer, items, args.batch_size)
    }
    for b in sizes:
        contenders[f"harness@{b}"] = lambda b=b: run_harness(model, tokenizer, items, b, args.device)
    run_medfoundry(model, tokenizer, warm, args.batch_size)
    for b in sizes:
        run_harness(model, tokenizer, warm, b, args.device)
    best = dict.fromkeys(contenders, float("inf"))
    scores: dict[str, list[list[float]]] = {}
    for _ in range(args.rounds):  # interleaved, so clocks and caches favour no side
        for name, fn in contenders.items():
            scores[name], seconds = timed(fn, sync=sync, rounds=1)
            best[name] = min(best[name], seconds)
    ours, ours_s = scores["medfoundry"], best["medfoundry"]
    ours_pred = [argmax(s) for s in ours]
    report: dict[str, Any] = {
        "machine": f"{platform.machine()} {os.cpu_count()} CPUs"
        + (f", {torch.cuda.get_device_name()}" if args.device.startswith("cuda") else ""),
        "device": args.device,
        "rounds": args.rounds,
        "dtype": str(model.dtype).replace("torch.", ""),
        "items": len(items),
        "per_benchmark": {name: sum(1 for n, _ in items if n == name) for name in BENCHMARKS},
        "medfoundry": {
            "batch_size": args.batch_size,
            "seconds": round(ours_s, 3),
            "questions_per_s": round(len(items) / ours_s, 3),
        },
        "harness": [],
    }
    for b in sizes:
        theirs, theirs_s = scores[f"harness@{b}"], best[f"harness@{b}"]
        max_diff = max(
            abs(x - y) for p, q in zip(ours, theirs, strict=True) for x, y in zip(p, q, strict=True)
        )
        report["harness"].append(
            {
                "batch_size": b,
                "seconds": round(theirs_s, 3),
                "questions_per_s": round(len(items) / theirs_s, 3),
                "speedup": round(theirs_s / ours_s, 2),
                "identical_answers": ours_pred == [argmax(s) for s in theirs],
                "max_abs_loglikelihood_diff": max_diff,
            }
        )
    print(json.dumps(report, indent=2))
    if args.json_out:
        args.json_out.write_text(json.dumps(report, indent=2))
    if not all(h["identical_answers"] for h in report["harness"]):
        sys.exit("per-item answers differ between medfoundry and the harness")


if __name__ == "__main__":
    main()
