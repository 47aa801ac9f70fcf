"""``medfoundry demo``: the whole pipeline, offline, on generated data, in a private home.

Synthetic FHIR (with fake PHI) → ingest → de-identify → patient-summary dataset →
LoRA fine-tuning of a small local model → evaluation with gates → deployment → one
chat completion through the served API with guardrails → evidence pack. Outputs
land under ``./medfoundry-demo/`` (or ``--output``).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml
from rich.markup import escape

from medfoundry.errors import JobError
from medfoundry.pipeline.demo_model import BaseChoice, choose_base_model, download_base_model, human_size
from medfoundry.pipeline.demo_time import estimate_line
from medfoundry.settings import Settings

Log = Callable[[str], None]
TASK = "patient-summary"
DEMO_MESSAGE = (
    "I am the patient John Example, MRN 48213377, phone 617-555-0143. "
    "Since this morning I have crushing chest pain going down my left arm. Can you summarize my record?"
)


@dataclass(frozen=True)
class DemoConfig:
    output: Path
    patients: int = 24
    seed: int = 0
    base_model: str | None = None  # a hub id or directory; otherwise chosen by choose_base_model
    train_steps: int | None = None  # None: the budget's default for the chosen model
    offline: bool = False  # never look at the hub: the tiny stand-in unless --base-model


DemoOptions = DemoConfig  # the older name


@dataclass(frozen=True)
class DemoBudget:
    """How much work the demo does; a real model gets less, to stay within minutes on a laptop CPU."""

    train_steps: int
    learning_rate: float
    max_seq_length: int
    max_source_chars: int
    eval_limit: int
    max_new_tokens: int


STAND_IN_BUDGET = DemoBudget(120, 3e-3, 1024, 1200, 8, 96)
REAL_BUDGET = DemoBudget(20, 1e-3, 1024, 600, 6, 80)


@dataclass
class DemoResult:
    home: str
    steps: list[str] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"home": self.home, "steps": self.steps, "outputs": self.outputs, "details": self.details}


def demo_settings(output: Path) -> Settings:
    return Settings(home=(output / "home").resolve(), database_url=None, key=None)


def run_demo(options: DemoConfig, log: Log | None = None) -> DemoResult:
    from medfoundry.store.database import Store
    from medfoundry.store.home import init_home

    say = log or (lambda _message: None)
    output = options.output.resolve()
    output.mkdir(parents=True, exist_ok=True)
    settings = demo_settings(output)
    # The demo's own home, so the user's ~/.medfoundry is untouched and follow-up commands work.
    os.environ["MEDFOUNDRY_HOME"] = str(settings.resolved_home)
    os.environ.pop("MEDFOUNDRY_DATABASE_URL", None)
    os.environ.pop("MEDFOUNDRY_KEY", None)
    init = init_home(settings)
    result = DemoResult(home=init.home)
    say(f"[bold]home[/bold] {init.home} (key id {init.key_id})")
    store = Store(settings)
    try:
        _run(store, options, output, result, say)
    finally:
        store.close()
    return result


def _run(store: Any, options: DemoConfig, output: Path, result: DemoResult, say: Log) -> None:
    from medfoundry.pipeline.runner import run_pipeline
    from medfoundry.pipeline.spec import load_pipeline_spec
    from medfoundry.synth import SynthOptions, write_bulk_ndjson

    fhir_dir = output / "synthetic-fhir"
    synth = write_bulk_ndjson(fhir_dir, SynthOptions(patients=options.patients, seed=options.seed))
    say(f"[bold]1. data[/bold] generated {synth.patients} synthetic patients with fake PHI: {fhir_dir}")
    choice = choose_base_model(options.base_model, offline=options.offline)
    budget = REAL_BUDGET if choice.real else STAND_IN_BUDGET
    if options.train_steps is not None:
        budget = replace(budget, train_steps=options.train_steps)
    say(f"[bold]   time[/bold] {estimate_line(choice.model, budget)}")
    base = _prepare_base(choice, output, say)
    result.details["base_model"] = {"model": base, "source": choice.source, "reason": choice.reason}
    spec_path = _write_spec(output, fhir_dir, base, options, budget, real=choice.real)
    result.outputs["pipeline spec"] = str(spec_path)
    say(f"[bold]2. pipeline[/bold] {spec_path}")
    stage_log = _stage_logger(say)
    pipeline = run_pipeline(store, load_pipeline_spec(spec_path), on_event=stage_log)
    result.details["pipeline"] = pipeline.to_dict()
    result.steps += [f"{s.stage}:{s.state}" for s in pipeline.stages]
    _report_deid(store, pipeline.output("deid"), say)
    model_id = pipeline.output("train").get("model")
    evaluation = pipeline.output("evaluate")
    if not pipeline.ok:
        failed = next(s for s in pipeline.stages if s.state == "failed")
        say(f"[yellow]the pipeline stopped at {failed.stage}: {failed.error}[/yellow]")
        if failed.stage != "evaluate" or not model_id:
            raise JobError(f"the demo pipeline failed at {failed.stage}: {failed.error}")
        _force_deploy(store, model_id, say, real=choice.real)
    result.details["model"] = model_id
    result.details["evaluation"] = evaluation
    if choice.real and model_id:
        result.details["before_after"] = _before_after(store, str(model_id), say)
    key = _create_key(store)
    result.details["api_key"] = key
    answer = _chat_once(store, key, say)
    result.details["chat"] = answer
    result.steps.append("chat")
    pack = output / "evidence.zip"
    _evidence(store, str(model_id), pack, say)
    result.outputs["evidence pack"] = str(pack)
    result.outputs["home"] = result.home
    reports = store.settings.resolved_home / "reports"
    if reports.exists():
        for report in sorted(reports.glob("*/report.html"))[-1:]:
            result.outputs["evaluation report"] = str(report)
    if not choice.real:
        say(
            f"[yellow]the answers above are noise: the base model was a tiny random-weight stand-in "
            f"({choice.reason}). Run with --base-model HuggingFaceTB/SmolLM2-135M-Instruct on a machine that "
            "reaches the Hugging Face hub for a real summary.[/yellow]"
        )
    say(f"\nsign in to the console with this key: [bold]{key}[/bold]")
    say(f"serve it yourself: MEDFOUNDRY_HOME={result.home} medfoundry serve")


def _prepare_base(choice: BaseChoice, output: Path, say: Log) -> str:
    """The base model's location, downloaded or built as the choice says."""
    if choice.source == "stand-in":
        return str(_tiny_base(output, say, choice.reason))
    assert choice.model is not None
    if choice.source == "hub":
        size = human_size(choice.download_bytes) if choice.download_bytes else "unknown size"
        say(f"[bold]base model[/bold] {choice.model}: downloading {size} from the Hugging Face hub")
        download_base_model(choice)
    elif choice.source == "cache":
        # Everything is local: loading must not wait on a hub that may be unreachable.
        os.environ["HF_HUB_OFFLINE"] = "1"
        say(f"[bold]base model[/bold] {choice.model} ({choice.reason})")
    else:
        say(f"[bold]base model[/bold] {choice.model} (--base-model)")
    return choice.model


def _before_after(store: Any, model_id: str, say: Log) -> dict[str, Any]:
    """The base and fine-tuned scores side by side, and one held-out summary from each."""
    from sqlalchemy import select

    from medfoundry.store.models import Evaluation

    with store.session() as session:
        row = session.scalars(
            select(Evaluation).where(Evaluation.model_id == model_id).order_by(Evaluation.created_at.desc())
        ).first()
        scorecard = dict(row.scorecard) if row else {}
    tuned = {b["benchmark"]: b for b in scorecard.get("benchmarks", [])}.get(TASK)
    base = (scorecard.get("base") or {}).get("benchmarks", {}).get(TASK)
    if not tuned or not base:
        say("[yellow]   no base-model comparison was recorded[/yellow]")
        return {}
    say(f"[bold]   before / after[/bold] on {tuned['n']} held-out patients the model never saw")
    say(f"   {'metric':26} {'base':>10} {'fine-tuned':>10}")
    for metric in ("rouge_l", "unsupported_claim_rate"):
        say(f"   {metric:26} {base['metrics'][metric]:>10.3f} {tuned['metrics'][metric]:>10.3f}")
    sample = _sample_predictions(store, scorecard)
    if sample:
        say(f"   sample summary before fine-tuning: {escape(repr(sample['before'][:400]))}")
        say(f"   sample summary after fine-tuning:  {escape(repr(sample['after'][:400]))}")
    return {
        "base": {m: base["metrics"][m] for m in ("rouge_l", "unsupported_claim_rate")},
        "fine_tuned": {m: tuned["metrics"][m] for m in ("rouge_l", "unsupported_claim_rate")},
        "gates_passed": scorecard.get("passed"),
        "sample": sample,
    }


def _sample_predictions(store: Any, scorecard: dict[str, Any]) -> dict[str, str] | None:
    import json

    artifact = scorecard.get("artifacts", {}).get("predictions")
    if not artifact:
        return None
    rows = [json.loads(line) for line in store.read_artifact(artifact).decode().splitlines() if line]
    after = {r["id"]: r["prediction"] for r in rows if r["benchmark"] == TASK}
    for row in rows:
        if row["benchmark"] == f"{TASK}@base" and row["id"] in after:
            return {"id": row["id"], "before": row["prediction"], "after": after[row["id"]]}
    return None


def _tiny_base(output: Path, say: Log, reason: str) -> Path:
    from medfoundry.catalog.tiny import build_tiny_model

    directory = output / "models" / "tiny-llama"
    if not (directory / "config.json").exists():
        build_tiny_model(directory, shape="tiny", seed=0)
    say(
        f"[yellow]base model: a tiny random-weight stand-in ({reason}), so its answers are noise and its "
        "gates fail; pass --base-model HF_ID or a directory, or let the demo reach the hub, for a real "
        "model.[/yellow]"
    )
    return directory


def _write_spec(
    output: Path, fhir_dir: Path, base: str, options: DemoConfig, budget: DemoBudget, *, real: bool
) -> Path:
    gates = output / "gates.yaml"
    if real:
        gates.write_text(
            "# Gates the demo model must pass before it may be deployed: the fine-tuned model may not\n"
            "# score below its base model on the held-out patients (ROUGE-L, the headline metric).\n"
            "max_drop_vs_base: 0.0\n"
        )
    else:
        gates.write_text(
            "# Gates the demo model must pass before it may be deployed.\n"
            "absolute:\n  - patient-summary.rouge_l >= 0.30\n  - patient-summary.unsupported_claim_rate <= 0.50\n"
        )
    spec = {
        "name": "demo",
        "source": {"path": str(fhir_dir), "name": "demo-fhir"},
        "deid": {"executor": "serial"},
        "task": {"name": TASK, "validation_fraction": 0.2, "max_source_chars": budget.max_source_chars},
        "train": {"overrides": {
            "base_model": base, "method": "lora", "max_steps": budget.train_steps, "batch_size": 4,
            "learning_rate": budget.learning_rate, "max_seq_length": budget.max_seq_length, "lora_r": 16,
            "lora_alpha": 32, "name": "demo-summary", "seed": options.seed}},
        "evaluate": {"task_eval": True, "task_eval_limit": budget.eval_limit, "max_new_tokens": budget.max_new_tokens,
                     "gates": str(gates), "compare_base": real},
        "deploy": {"name": "demo-summary"},
    }  # fmt: skip
    path = output / "pipeline.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    return path


def _stage_logger(say: Log) -> Callable[[Any], None]:
    def log(run: Any) -> None:
        if run.state in ("succeeded", "cached", "failed"):
            detail = ", ".join(f"{k}={v}" for k, v in run.output.items()) or run.error or ""
            say(f"   {run.stage:9} {run.state:9} {detail}")

    return log


def _report_deid(store: Any, output: dict[str, Any], say: Log) -> None:
    if output.get("report_artifact"):
        import json

        report = json.loads(store.read_artifact(output["report_artifact"]))
        counts = {
            kind: sum(by_detector.values()) for kind, by_detector in (report.get("counts") or {}).items()
        }
        say(f"   PHI removed by type: {counts}")
        say(f"   residual-PHI scan passed: {output.get('scan_passed')}")


def _force_deploy(store: Any, model_id: str, say: Log, *, real: bool) -> None:
    from medfoundry.serve.deployments import deploy, find_deployment, undeploy

    current = find_deployment(store, "demo-summary", active=True)
    if current is not None and current.model_id == model_id:
        say("[yellow]the demo model is already deployed (gate overridden on an earlier run)[/yellow]")
        return
    if current is not None:
        undeploy(store, "demo-summary")
    reason = (
        "demo: the fine-tuned model scored below its base on this short run; deployed to show the serving path"
        if real
        else "demo: tiny random-weight stand-in model; deployed to show the serving path"
    )
    deploy(store, model_id, name="demo-summary", force=True, reason=reason)
    say(f"[yellow]gate overridden for the demo (audited as deployment.gate_override): {reason}[/yellow]")


def _create_key(store: Any) -> str:
    from medfoundry.serve.keys import create_key

    _row, secret = create_key(store, scope="admin", name="demo")
    return secret


@contextmanager
def _served(store: Any) -> Iterator[str]:
    import socket

    import uvicorn

    from medfoundry.api import ServeConfig, create_app

    app = create_app(store, config=ServeConfig())
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def _chat_once(store: Any, key: str, say: Log) -> dict[str, Any]:
    import httpx

    with _served(store) as url:
        response = httpx.post(
            f"{url}/v1/chat/completions",
            headers={"Authorization": f"Bearer {key}"},
            json={
                "model": "demo-summary",
                "messages": [{"role": "user", "content": DEMO_MESSAGE}],
                "max_tokens": 48,
            },
            timeout=120,
        )
    body = response.json()
    if response.status_code != 200:
        raise JobError(f"the served model answered {response.status_code}: {body}")
    guard = body.get("medfoundry", {})
    say(f"[bold]3. served[/bold] POST /v1/chat/completions → {response.status_code}")
    say(f"   answer: {escape(repr(body['choices'][0]['message']['content'][:200]))}")
    for action in guard.get("guardrails", []):
        say(f"   guardrail: {action.get('rule')} → {action.get('action')}")
    say(f"   escalation to emergency services: {guard.get('escalation')}")
    return {"status": response.status_code, "medfoundry": guard}


def _evidence(store: Any, model_id: str, pack: Path, say: Log) -> None:
    from medfoundry.evidence import build_evidence_pack, verify_evidence_pack

    built = build_evidence_pack(store, model_id, pack)
    report = verify_evidence_pack(pack)
    say(
        f"[bold]4. evidence[/bold] {pack}: {built.files} files, {built.audit_events} audit events; verified: {report.ok}"
    )
