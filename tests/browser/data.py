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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from medfoundry.catalog.tiny import build_tiny_model
from medfoundry.dataset_versions import create_version, list_versions
from medfoundry.serve.keys import create_key
from medfoundry.settings import Settings
from medfoundry.store.database import Store
from medfoundry.store.home import init_home
from medfoundry.store.models import Model

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


def open_store(env: dict[str, str]) -> Store:
    return Store(Settings(home=Path(env["MEDFOUNDRY_HOME"]), database_url=None, key=None))


def newest(env: dict[str, str], kind: str) -> str:
    store = open_store(env)
    try:
        return next(v.id for _, v in list_versions(store) if v.kind == kind)
    finally:
        store.close()


def chat_dataset(env: dict[str, str], deid_version: str) -> str:
    """A tiny PHI-free chat dataset version (kind task), derived from the de-identified version."""
    rows = [{"messages": [{"role": "user", "content": f"Explain {t} in one sentence for a patient."},
                          {"role": "assistant", "content": f"{t.capitalize()} is a common condition; your care "
                                                           "team will explain the treatment plan."}]}
            for t in TOPICS * 3]  # fmt: skip
    body = "".join(json.dumps(r) + "\n" for r in rows).encode()
    store = open_store(env)
    try:
        artifact = store.put_artifact(body, kind="dataset", name="patient-explanations.jsonl")
        version = create_version(store, dataset_name="patient-explanations", kind="task", artifact=artifact,
                                 source=f"browser-test template over {deid_version}", counts={"examples": len(rows)},
                                 parents=[(deid_version, "derived-from")], meta={"phi_scan": {"passed": True, "hits": 0}})  # fmt: skip
        return version.id
    finally:
        store.close()


def evaluate(env: dict[str, str], tmp: Path, model: str, rule: str, tag: str) -> dict[str, Any]:
    data = tmp / f"medqa-{tag}"
    data.mkdir(exist_ok=True)
    (data / "test.jsonl").write_text("".join(json.dumps(row) + "\n" for row in MEDQA_ROWS))
    gates = tmp / f"gates-{tag}.yaml"
    gates.write_text(f"absolute:\n  - {rule}\n")
    return cli(env, "eval", "run", model, "--benchmark", "medqa", "--data", str(data), "--gates", str(gates),
               "--json", ok=(0, 1, 2, 3, 10, 11, 12, 13, 14, 15, 16))  # fmt: skip


def deidentified(env: dict[str, str], tmp: Path) -> tuple[str, str]:
    """Synthetic FHIR → ingest → de-identify; the raw and the de-identified version ids."""
    cli(env, "data", "synth", "--output", str(tmp / "fhir"), "--patients", "4")
    cli(env, "data", "ingest", str(tmp / "fhir"), "--name", "clinic-fhir", "--json")
    raw = newest(env, "raw")
    # The de-identified version is written even when its residual scan finds hits (non-zero exit).
    cli(env, "deid", "run", raw, "--executor", "serial", "--json", ok=tuple(range(20)))
    return raw, newest(env, "deidentified")


def trained_and_evaluated(env: dict[str, str], tmp: Path, base: str, dataset: str) -> str:
    """LoRA-train ``base`` for a few steps, then evaluate the result with a gate it cannot pass."""
    cli(env, "train", "--base-model", base, "--dataset", dataset, "--max-steps", "3", "--batch-size", "2",
        "--max-seq-length", "128", "--json")  # fmt: skip
    store = open_store(env)
    with store.sessions() as session:
        trained = str(session.query(Model.id).filter(Model.parent_id == base).scalar())
    store.close()
    evaluate(env, tmp, trained, "medqa.acc >= 1.5", "fail")
    return trained


def build_platform_data(tmp: Path) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDFOUNDRY_")}
    env["MEDFOUNDRY_HOME"] = str(tmp / "home")
    init_home(Settings(home=Path(env["MEDFOUNDRY_HOME"]), database_url=None, key=None))
    with ThreadPoolExecutor(2) as pool:  # independent chains side by side
        records = pool.submit(deidentified, env, tmp)
        build_tiny_model(tmp / "tiny-base", shape="tiny", seed=0)
        base = cli(env, "models", "add", str(tmp / "tiny-base"), "--json")["id"]
        raw, deid = records.result()
        dataset = chat_dataset(env, deid)
        passing = pool.submit(evaluate, env, tmp, base, "medqa.acc >= 0", "pass")
        trained = trained_and_evaluated(env, tmp, base, dataset)
        passing.result()
    cli(env, "deploy", base, "--name", "playground", "--json")
    review_policy = tmp / "review-policy.yaml"  # every response held for a clinician (tests/browser/test_review.py)
    review_policy.write_text("name: reviewed\nreview:\n  always: true\n  mode: hold\n")
    cli(env, "deploy", base, "--name", "reviewed", "--policy", str(review_policy), "--json")
    store = open_store(env)
    admin = create_key(store, scope="admin", name="console-admin")[1]
    viewer = create_key(store, scope="viewer", name="reviewer")[1]
    clinician = create_key(store, scope="reviewer", name="clinician")[1]
    invoke = create_key(store, scope="invoke", name="ehr-client")[1]
    store.close()
    return {"env": env, "base": base, "trained": trained, "raw": raw, "deid": deid,
            "dataset": dataset, "admin": admin, "viewer": viewer, "clinician": clinician, "invoke": invoke}  # fmt: skip
