"""Serving load benchmark: dynamic batching vs one-request-at-a-time, guardrail overhead, red team.

Runs alone, offline, on loopback: builds a small random-weight model, deploys it in a
temporary home, serves it twice with uvicorn (``max_batch_size=1``: the baseline; and
``max_batch_size=32``), and drives both with 1, 8 and 32 concurrent HTTP clients.
Bounded: at most ``--requests`` requests and ``--time-limit`` seconds per level.

    python benchmarks/serve_load.py [--shape small] [--max-tokens 32] [--json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
ROOT = Path(__file__).resolve().parents[1]
PROMPTS = [
    "What is a normal adult resting heart rate?",
    "How should I store my insulin pens?",
    "What are common side effects of metformin?",
    "How long does a cold usually last?",
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def prepare(home: Path, shape: str) -> tuple[Any, str]:
    os.environ["MEDFOUNDRY_HOME"] = str(home)
    from medfoundry.catalog.resolve import resolve_model
    from medfoundry.catalog.tiny import build_tiny_model
    from medfoundry.guardrails.policy import load_policy
    from medfoundry.ids import new_id
    from medfoundry.serve.deployments import deploy
    from medfoundry.serve.keys import create_key
    from medfoundry.store.database import Store
    from medfoundry.store.home import init_home
    from medfoundry.store.models import Evaluation

    init_home()
    store = Store()
    model = resolve_model(store, str(build_tiny_model(home / "model", shape=shape)))
    with store.session() as session:
        session.add(
            Evaluation(
                id=new_id("evaluation"),
                model_id=model.id,
                suite="bench",
                passed=True,
                scorecard={},
                code_version="bench",
            )
        )
    deploy(store, model.id, name="bench", policy=load_policy(ROOT / "configs/guardrails/default.yaml"))
    return store, create_key(store)[1]


class Server:
    """uvicorn in a background thread on a free loopback port."""

    def __init__(self, store: Any, max_batch_size: int, threads: int | None, wait_ms: float = 5) -> None:
        import uvicorn

        from medfoundry.api import ServeConfig, create_app
        from medfoundry.serve.backends import BackendConfig

        config = ServeConfig(
            rate_limit_per_minute=0,
            max_tokens_limit=512,
            engine=BackendConfig(
                max_batch_size=max_batch_size, batch_wait_ms=wait_ms, dtype="float32", threads=threads
            ),
        )
        self.app = create_app(store, config=config)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(self.app, log_level="warning", access_log=False))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


async def load(
    url: str, key: str, concurrency: int, total: int, max_tokens: int, limit_s: float
) -> dict[str, Any]:
    latencies: list[float] = []
    tokens = 0
    issued = 0
    headers = {"Authorization": f"Bearer {key}"}
    start = time.perf_counter()

    async def client_loop(client: httpx.AsyncClient) -> None:
        nonlocal tokens, issued
        while issued < total and time.perf_counter() - start < limit_s:
            issued += 1
            body = {
                "model": "bench",
                "max_tokens": max_tokens,
                "temperature": 0,
                "messages": [{"role": "user", "content": PROMPTS[issued % len(PROMPTS)]}],
            }
            t0 = time.perf_counter()
            response = await client.post(f"{url}/v1/chat/completions", json=body, headers=headers)
            response.raise_for_status()
            latencies.append(time.perf_counter() - t0)
            tokens += response.json()["usage"]["completion_tokens"]

    async with httpx.AsyncClient(timeout=300, limits=httpx.Limits(max_connections=concurrency + 4)) as client:
        await asyncio.gather(*(client_loop(client) for _ in range(concurrency)))
    wall = time.perf_counter() - start
    return {
        "concurrency": concurrency,
        "requests": len(latencies),
        "completion_tokens": tokens,
        "tokens_per_s": round(tokens / wall, 1),
        "p50_ms": round(percentile(latencies, 0.5) * 1000, 1),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "wall_s": round(wall, 2),
    }


def serving(store: Any, key: str, args: argparse.Namespace) -> dict[str, Any]:
    """Both servers run side by side; each level runs on the baseline, then at once on the batched one."""
    results: dict[str, Any] = {"one_at_a_time": [], "batched": []}
    with (
        Server(store, 1, args.threads) as base,
        Server(store, 32, args.threads, args.batch_wait_ms) as batched,
    ):
        for server in (base, batched):
            asyncio.run(load(server.url, key, 2, 4, args.max_tokens, 30))  # warm-up
        for c in (1, 8, 32):
            total = max(args.requests, 2 * c)
            for label, server in (("one_at_a_time", base), ("batched", batched)):
                results[label].append(
                    asyncio.run(load(server.url, key, c, total, args.max_tokens, args.time_limit))
                )
    baseline = {r["concurrency"]: r for r in results["one_at_a_time"]}
    results["speedup_vs_one_at_a_time"] = {
        str(r["concurrency"]): round(r["tokens_per_s"] / baseline[r["concurrency"]]["tokens_per_s"], 2)
        for r in results["batched"]
    }
    return results


def guardrail_overhead(iterations: int) -> dict[str, Any]:
    from medfoundry.guardrails import GuardrailPipeline, load_policy
    from medfoundry.guardrails.base import InputContext

    pipeline = GuardrailPipeline(load_policy(ROOT / "configs/guardrails/default.yaml"))
    sentence = "I have had a mild headache for two days and I wonder whether hydration or sleep could help. "
    message = (sentence * (4096 // len(sentence) + 1))[:4096]
    answer = "Drink water regularly, keep a steady sleep schedule and see your clinician if it persists. " * 3
    timings: dict[str, list[float]] = {"input": [], "output": [], "total": []}
    for rule in pipeline.rules:  # each input rule alone, to show where the time goes
        timings[f"rule_{rule.name}"] = []
        for _ in range(max(10, iterations // 4)):
            ctx = InputContext([message], "patient", [message])
            t0 = time.perf_counter()
            rule.check_input(ctx)
            timings[f"rule_{rule.name}"].append(time.perf_counter() - t0)
    for _ in range(iterations):
        t0 = time.perf_counter()
        verdict = pipeline.check_input([message])
        t1 = time.perf_counter()
        pipeline.check_output(verdict, answer)
        t2 = time.perf_counter()
        timings["input"].append(t1 - t0)
        timings["output"].append(t2 - t1)
        timings["total"].append(t2 - t0)
    return {
        "message_bytes": len(message.encode()),
        "iterations": iterations,
        **{f"{k}_p50_ms": round(statistics.median(v) * 1000, 2) for k, v in timings.items()},
        **{f"{k}_p99_ms": round(percentile(v, 0.99) * 1000, 2) for k, v in timings.items()},
    }


def red_team() -> dict[str, Any]:
    from medfoundry.guardrails import GuardrailPipeline, load_policy
    from medfoundry.guardrails.redteam import load_cases, score

    cases = load_cases(ROOT / "tests/redteam/cases.yaml")
    out = {}
    for name in ("patient-facing", "default"):
        report = score(
            GuardrailPipeline(load_policy(ROOT / f"configs/guardrails/{name}.yaml")), cases
        ).to_dict()
        out[name] = {k: report[k] for k in ("cases", "attacks", "benign", "catch_rate", "false_block_rate")}
        out[name]["missed"] = [m["id"] for m in report["misses"]]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shape", default="small", help="tiny-model shape (tiny, small, smollm2-135m)")
    parser.add_argument("--max-tokens", type=int, default=32)
    parser.add_argument("--requests", type=int, default=32, help="requests per level (at least 2x clients)")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per level")
    parser.add_argument(
        "--batch-wait-ms", type=float, default=25.0, help="batching window of the batched server"
    )
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads for both servers")
    parser.add_argument("--guardrail-iterations", type=int, default=300)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    import torch

    with tempfile.TemporaryDirectory() as tmp:
        store, key = prepare(Path(tmp) / "home", args.shape)
        results = {
            "machine": f"{os.cpu_count()} CPU cores, torch {torch.__version__}, "
            f"cuda={torch.cuda.is_available()}",
            "model": f"random-weight Llama, shape={args.shape}",
            "max_tokens": args.max_tokens,
            "torch_threads": args.threads or torch.get_num_threads(),
            "batch_wait_ms": args.batch_wait_ms,
            "serving": serving(store, key, args),
            "guardrails_4kb": guardrail_overhead(args.guardrail_iterations),
            "red_team": red_team(),
        }
        store.close()
    text = json.dumps(results, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")


if __name__ == "__main__":
    main()
