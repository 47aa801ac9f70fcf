"""The data the browser tests browse: made by the real stages on tiny local models.

Synthetic FHIR → ``data ingest`` → ``deid run`` (a de-identified version with its report
and residual scan) → a small PHI-free chat dataset version → ``train`` (a LoRA job) →
``eval run`` twice (a failing and a passing gate) → ``deploy`` → API keys.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

TOPICS = ["asthma", "type 2 diabetes", "hypertension", "migraine", "anemia", "otitis media", "gout", "eczema"]
MEDQA_ROWS = [
    {"question": "Which organ pumps blood through the body?", "answer_idx": "A",
     "options": {"A": "heart", "B": "liver", "C": "kidney", "D": "skin"}},
    {"question": "Which vitamin deficiency causes scurvy?", "answer_idx": "C",
     "options": {"A": "vitamin A", "B": "vitamin D", "C": "vitamin C", "D": "vitamin K"}},
    {"question": "Insulin is made by which organ?", "answer_idx": "B",
     "options": {"A": "spleen", "B": "pancreas", "C": "stomach", "D": "lung"}},
]  # fmt: skip


def cli(env: dict[str, str], *args: str, ok: tuple[int, ...] = (0,)) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-m", "medfoundry", *args], env=env, capture_output=True, text=True,
                          timeout=600, check=False)  # fmt: skip
    if done.returncode not in ok:
        pytest.fail(f"medfoundry {' '.join(args)} exited {done.returncode}: {done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout) if "--json" in args else {}
    return result


def chat_dataset(env: dict[str, str], deid_version: str) -> str:
    """A tiny PHI-free chat dataset version (kind task), derived from the de-identified version."""
    from medfoundry.datasets.versions import create_version
    from medfoundry.settings import Settings
    from medfoundry.store.database import Store

    rows = [{"messages": [{"role": "user", "content": f"Explain {t} in one sentence for a patient."},
                          {"role": "assistant", "content": f"{t.capitalize()} is a common condition; your care "
                                                           "team will explain the treatment plan."}]}
            for t in TOPICS * 3]  # fmt: skip
    body = "".join(json.dumps(r) + "\n" for r in rows).encode()
    store = Store(Settings(home=Path(env["MEDFOUNDRY_HOME"]), database_url=None, key=None))
    try:
        artifact = store.put_artifact(body, kind="dataset", name="patient-explanations.jsonl")
        version = create_version(store, dataset_name="patient-explanations", kind="task", artifact=artifact,
                                 source=f"browser-test template over {deid_version}", counts={"examples": len(rows)},
                                 parents=[(deid_version, "derived-from")], meta={"phi_scan": {"passed": True, "hits": 0}})  # fmt: skip
        return version.id
    finally:
        store.close()


def evaluate(env: dict[str, str], tmp: Path, model: str, rule: str, tag: str) -> dict[str, Any]:
    data = tmp / "medqa"
    data.mkdir(exist_ok=True)
    (data / "test.jsonl").write_text("".join(json.dumps(row) + "\n" for row in MEDQA_ROWS))
    gates = tmp / f"gates-{tag}.yaml"
    gates.write_text(f"absolute:\n  - {rule}\n")
    return cli(env, "eval", "run", model, "--benchmark", "medqa", "--data", str(data), "--gates", str(gates),
               "--json", ok=(0, 1, 2, 3, 10, 11, 12, 13, 14, 15, 16))  # fmt: skip


def build_platform_data(tmp: Path) -> dict[str, Any]:
    from medfoundry.catalog.tiny import build_tiny_model

    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDFOUNDRY_")}
    env["MEDFOUNDRY_HOME"] = str(tmp / "home")
    cli(env, "init", ok=(0, 1, 2))
    build_tiny_model(tmp / "tiny-base", shape="tiny", seed=0)
    base = cli(env, "models", "add", str(tmp / "tiny-base"), "--json")["id"]
    cli(env, "data", "synth", "--output", str(tmp / "fhir"), "--patients", "4")
    raw = cli(env, "data", "ingest", str(tmp / "fhir"), "--name", "clinic-fhir", "--json")
    deid = cli(env, "deid", "run", raw["id"], "--executor", "serial", "--json")
    dataset = chat_dataset(env, deid["id"])
    train = cli(env, "train", "--base-model", base, "--dataset", dataset, "--max-steps", "3", "--batch-size", "2",
                "--max-seq-length", "128", "--checkpoint-interval", "50", "--json")  # fmt: skip
    trained = train.get("model") or (train.get("result") or {}).get("model")
    evaluate(env, tmp, str(trained), "medqa.acc >= 1.5", "fail")
    evaluate(env, tmp, base, "medqa.acc >= 0", "pass")
    cli(env, "deploy", base, "--name", "playground", "--json")
    admin = cli(env, "keys", "create", "--scope", "admin", "--name", "console-admin", "--json")["key"]
    viewer = cli(env, "keys", "create", "--scope", "viewer", "--name", "reviewer", "--json")["key"]
    return {"env": env, "base": base, "trained": trained, "raw": raw["id"], "deid": deid["id"],
            "dataset": dataset, "admin": admin, "viewer": viewer}  # fmt: skip
