"""Guardrail input overhead of two checkouts side by side, in thread CPU time and wall time.

    python benchmarks/guardrail_cpu_ab.py BASELINE_CHECKOUT [CANDIDATE_CHECKOUT] [--batches 30] [--n 100]
        [--policy benchmarks/guardrail_rules_only.yaml]

Each checkout runs in its own worker process (its ``src`` first on the import path, its own
``configs/guardrails/default.yaml``, or ``--policy``: the issue's p99 goal is for the rules alone,
``benchmarks/guardrail_rules_only.yaml``); the workers take turns in ABBA order, so slow spells of a shared
machine fall on both. Each batch times ``n`` input checks of the default policy per 4 KB message
(``serve_load.patient_message``: benign, and with identifiers) and ``n / 4`` runs of each input rule
alone. Thread CPU time (``time.thread_time_ns``) leaves out the time the process waits to be scheduled,
which dominates wall-clock tails on a loaded machine. The candidate defaults to this checkout.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def worker(policy: str) -> None:
    """Read a count per line on stdin; answer each with one JSON line of timings (ms)."""
    sys.path.insert(0, str(Path.cwd() / "benchmarks"))
    from serve_load import fresh, patient_message  # type: ignore[import-not-found]

    from medfoundry.deid.lexicon import warm
    from medfoundry.guardrails import GuardrailPipeline, load_policy
    from medfoundry.guardrails.base import InputContext

    warm()
    pipeline = GuardrailPipeline(load_policy(policy))
    messages = {
        "benign": patient_message(4096, with_phi=False),
        "with_phi": patient_message(4096, with_phi=True),
    }
    for message in messages.values():
        for _ in range(20):
            pipeline.check_input([fresh(message)])
    print("ready", flush=True)
    cpu = time.thread_time_ns
    for line in sys.stdin:
        n = int(line)
        out: dict[str, list[float]] = {}
        for label, message in messages.items():
            for rule in pipeline.rules:
                walls, cpus = [], []
                for _ in range(max(1, n // 4)):
                    text = fresh(message)
                    ctx = InputContext([text], "patient", [text])
                    c0, t0 = cpu(), time.perf_counter()
                    rule.check_input(ctx)
                    walls.append((time.perf_counter() - t0) * 1e3)
                    cpus.append((cpu() - c0) / 1e6)
                out[f"{label}/rule_{rule.name}"], out[f"cpu {label}/rule_{rule.name}"] = walls, cpus
            walls, cpus = [], []
            for _ in range(n):
                text = fresh(message)
                c0, t0 = cpu(), time.perf_counter()
                pipeline.check_input([text])
                walls.append((time.perf_counter() - t0) * 1e3)
                cpus.append((cpu() - c0) / 1e6)
            out[f"{label}/input"], out[f"cpu {label}/input"] = walls, cpus
        print(json.dumps(out), flush=True)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def start_worker(checkout: Path, policy: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(checkout / "src"))
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "guardrail_cpu_ab.py"), "--worker", "--policy", policy],
        cwd=checkout,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    if proc.stdout.readline().strip() != "ready":
        raise SystemExit(f"the worker for {checkout} did not start; run it alone to see why")
    return proc


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("baseline", nargs="?", type=Path)
    parser.add_argument("candidate", nargs="?", type=Path, default=HERE.parent)
    parser.add_argument("--batches", type=int, default=30)
    parser.add_argument("--n", type=int, default=100, help="input checks per message per batch")
    parser.add_argument("--json", type=Path, help="also write every sample here")
    parser.add_argument(
        "--policy",
        default="configs/guardrails/default.yaml",
        help="the policy both checkouts run (a path, or a shipped policy under configs/guardrails/)",
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.policy)
        return
    if args.baseline is None:
        parser.error("name the baseline checkout (a git worktree of another commit)")
    checkouts = {"baseline": args.baseline.resolve(), "candidate": args.candidate.resolve()}
    policy = str(Path(args.policy).resolve()) if Path(args.policy).is_file() else args.policy
    workers = {name: start_worker(path, policy) for name, path in checkouts.items()}
    samples: dict[str, dict[str, list[float]]] = {name: {} for name in workers}
    loads = []
    order = list(workers)
    for batch in range(args.batches):
        for name in order if batch % 2 == 0 else order[::-1]:
            proc = workers[name]
            assert proc.stdin is not None and proc.stdout is not None
            proc.stdin.write(f"{args.n}\n")
            proc.stdin.flush()
            for key, values in json.loads(proc.stdout.readline()).items():
                samples[name].setdefault(key, []).extend(values)
        loads.append(os.getloadavg()[0])
    for proc in workers.values():
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait()
    print(f"baseline {checkouts['baseline']}  candidate {checkouts['candidate']}  policy {args.policy}")
    print(f"load average (1 min) over the batches: {min(loads):.2f}-{max(loads):.2f}")
    print(f"{'ms':30s} {'baseline p50':>12s} {'p99':>6s} | {'candidate p50':>13s} {'p99':>6s}  p50 change")
    base, cand = samples["baseline"], samples["candidate"]
    for key in sorted(base, key=lambda k: (not k.startswith("cpu"), k)):
        a, b = base[key], cand[key]
        change = 100 * (percentile(b, 0.5) / percentile(a, 0.5) - 1)
        print(
            f"{key:30s} {percentile(a, 0.5):12.3f} {percentile(a, 0.99):6.2f} | "
            f"{percentile(b, 0.5):13.3f} {percentile(b, 0.99):6.2f}  {change:+6.1f}%"
        )
    if args.json:
        args.json.write_text(
            json.dumps(
                {"checkouts": {k: str(v) for k, v in checkouts.items()}, "loads": loads, "samples": samples}
            )
        )


if __name__ == "__main__":
    main()
