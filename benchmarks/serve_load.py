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
import multiprocessing
import os
import random
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
    deploy(store, model.id, name="bench", policy=load_policy("configs/guardrails/default.yaml"))
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


def run_load(
    url: str, key: str, concurrency: int, total: int, max_tokens: int, limit_s: float
) -> dict[str, Any]:
    return asyncio.run(load(url, key, concurrency, total, max_tokens, limit_s))


def batch_counts(server: Server) -> tuple[int, int]:
    """(batches, requests in them) so far, over the server's batch workers."""
    groups = server.app.state.medfoundry.runtime.backend.groups.values()
    return sum(g.worker.batches for g in groups), sum(g.worker.batched_requests for g in groups)


def serving(store: Any, key: str, args: argparse.Namespace) -> dict[str, Any]:
    """Both servers run side by side; each level runs on the baseline, then at once on the batched one.

    The clients run in a child process, so their HTTP and JSON work does not take the
    servers' interpreter lock (they would otherwise slow the server they measure)."""
    results: dict[str, Any] = {"one_at_a_time": [], "batched": []}
    with (
        Server(store, 1, args.threads) as base,
        Server(store, 32, args.threads, args.batch_wait_ms) as batched,
        multiprocessing.get_context("spawn").Pool(1) as clients,
    ):
        for server in (base, batched):
            clients.apply(run_load, (server.url, key, 2, 4, args.max_tokens, 30))  # warm-up
        for c in (1, 8, 32):
            total = max(args.requests, 2 * c)
            for label, server in (("one_at_a_time", base), ("batched", batched)):
                before = batch_counts(server)
                result = clients.apply(
                    run_load, (server.url, key, c, total, args.max_tokens, args.time_limit)
                )
                batches, requests = (
                    now - then for now, then in zip(batch_counts(server), before, strict=True)
                )
                result["mean_batch_size"] = round(requests / max(batches, 1), 2)
                results[label].append(result)
    baseline = {r["concurrency"]: r for r in results["one_at_a_time"]}
    results["speedup_vs_one_at_a_time"] = {
        str(r["concurrency"]): round(r["tokens_per_s"] / baseline[r["concurrency"]]["tokens_per_s"], 2)
        for r in results["batched"]
    }
    return results


# Sentences a patient might write (numbers, doses, readings; no identifiers), and a few
# identifiers (fake) for the message that exercises redaction.
PATIENT_SENTENCES = (
    "I have had a mild headache for two days and I wonder whether hydration or sleep could help.",
    "My blood pressure this morning was 142/91 and yesterday evening it was 138/88.",
    "I take metformin 500 mg twice a day and lisinopril 10 mg once in the morning.",
    "Last night my temperature was 38.2 C, today it is 37.6 C after ibuprofen 400 mg.",
    "The cough started about 10 days ago and gets worse when I lie down at night.",
    "Is it safe to take acetaminophen with my current medications, and how far apart?",
    "My fasting glucose readings this week were 131, 126, 140 and 118 mg/dL.",
    "I walk about 30 minutes a day but my knees ache after climbing 2 flights of stairs.",
    "My doctor mentioned an A1c of 7.4% at the last visit; what does that number mean?",
    "I have been sleeping 5 or 6 hours a night and feel tired most afternoons.",
    "The rash on my forearm is about 3 cm wide, red, itchy and not painful.",
    "Should I keep taking vitamin D 1000 IU during the winter months?",
    "My inhaler is albuterol and I use it 2 or 3 times a week when I exercise outdoors.",
    "I had a flu shot in October and wonder whether I need a COVID booster as well.",
    "After dinner I often get heartburn that lasts about an hour.",
    "What foods should I avoid with high cholesterol, my LDL was 162?",
)
PHI_SENTENCES = (
    "My name is Jordan Whitfield and my MRN is 48213907.",
    "You can reach me at 555-014-2277 or jordan.whitfield@example.org.",
    "I was seen at Lakeview Clinic on 03/14/2025 by Dr. Imogen Castellano.",
)


def patient_message(size: int, *, with_phi: bool, seed: int = 0) -> str:
    """A varied patient message of ``size`` characters (the sentences shuffled, the last one cut)."""
    rng = random.Random(seed)
    pieces: list[str] = list(PHI_SENTENCES) if with_phi else []
    while sum(len(p) + 1 for p in pieces) < size:
        pieces.append(rng.choice(PATIENT_SENTENCES))
    rng.shuffle(pieces)
    return " ".join(pieces)[:size]


def fresh(text: str) -> str:
    """An equal string that is a new object, as each request's text is (no per-object caches)."""
    return (text + " ")[:-1]


def guardrail_overhead(iterations: int) -> dict[str, Any]:
    """Added latency of the default policy on 4 KB messages: input checks + output scan."""
    from medfoundry.deid.lexicon import warm
    from medfoundry.guardrails import GuardrailPipeline, load_policy
    from medfoundry.guardrails.base import InputContext

    warm()  # what `medfoundry serve` does at startup
    pipeline = GuardrailPipeline(load_policy("configs/guardrails/default.yaml"))
    answer = "Drink water regularly, keep a steady sleep schedule and see your clinician if it persists. " * 3
    results: dict[str, Any] = {"iterations": iterations}
    for label, message in (
        ("benign", patient_message(4096, with_phi=False)),
        ("with_phi", patient_message(4096, with_phi=True)),
    ):
        timings: dict[str, list[float]] = {"input": [], "output": [], "total": []}
        for rule in pipeline.rules:  # each input rule alone, to show where the time goes
            timings[f"rule_{rule.name}"] = []
            for _ in range(max(10, iterations // 4)):
                text = fresh(message)
                ctx = InputContext([text], "patient", [text])
                t0 = time.perf_counter()
                rule.check_input(ctx)
                timings[f"rule_{rule.name}"].append(time.perf_counter() - t0)
        for _ in range(iterations):
            text, reply = fresh(message), fresh(answer)
            t0 = time.perf_counter()
            verdict = pipeline.check_input([text])
            t1 = time.perf_counter()
            pipeline.check_output(verdict, reply)
            t2 = time.perf_counter()
            timings["input"].append(t1 - t0)
            timings["output"].append(t2 - t1)
            timings["total"].append(t2 - t0)
        results[label] = {
            "message_bytes": len(message.encode()),
            "input_actions": [a.to_dict() for a in verdict.actions],
            **{f"{k}_p50_ms": round(statistics.median(v) * 1000, 2) for k, v in timings.items()},
            **{f"{k}_p99_ms": round(percentile(v, 0.99) * 1000, 2) for k, v in timings.items()},
        }
    return results


def red_team() -> dict[str, Any]:
    from medfoundry.guardrails import GuardrailPipeline, load_policy
    from medfoundry.guardrails.redteam import load_cases, score

    cases = load_cases(ROOT / "tests/redteam/cases.yaml")
    out = {}
    for name in ("patient-facing", "default"):
        report = score(
            GuardrailPipeline(load_policy(f"configs/guardrails/{name}.yaml")), cases
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
    parser.add_argument(
        "--guardrails-only", action="store_true", help="only the guardrail overhead and the red team"
    )
    args = parser.parse_args()
    if args.guardrails_only:
        report = {"guardrails_4kb": guardrail_overhead(args.guardrail_iterations), "red_team": red_team()}
        print(json.dumps(report, indent=2))
        return
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
