"""The offline demo: runs each stage that exists on generated data in a private home.

It grows with the pipeline; each step prints what it did and where its output is.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medfoundry.audit import lineage
from medfoundry.settings import Settings
from medfoundry.store.database import Store
from medfoundry.store.home import init_home

Log = Callable[[str], None]


@dataclass(frozen=True)
class DemoOptions:
    output: Path


@dataclass
class DemoResult:
    home: str
    steps: list[str] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)
    audit_ok: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"home": self.home, "steps": self.steps, "outputs": self.outputs, "audit_ok": self.audit_ok}


def demo_settings(output: Path) -> Settings:
    home = (output / "home").resolve()
    return Settings(home=home, database_url=None, key=None)


def run_demo(options: DemoOptions, log: Log | None = None) -> DemoResult:
    say = log or (lambda _message: None)
    output = options.output.resolve()
    output.mkdir(parents=True, exist_ok=True)
    settings = demo_settings(output)
    os.environ["MEDFOUNDRY_HOME"] = str(settings.resolved_home)  # so printed follow-up commands work
    os.environ.pop("MEDFOUNDRY_DATABASE_URL", None)
    init = init_home(settings)
    result = DemoResult(home=init.home)
    say(f"[bold]1. home[/bold] {init.home} (database {init.database}, key id {init.key_id})")
    result.steps.append("init")
    store = Store(settings)
    try:
        _store_and_trace(store, output, result, say)
        verified = store.audit.verify()
        result.audit_ok = verified.ok
        say(f"[bold]3. audit[/bold] chain of {verified.events} events verified: {verified.ok}")
        result.steps.append("audit-verify")
        audit_path = output / "audit.jsonl"
        with audit_path.open("w", encoding="utf-8") as handle:
            import json

            for event in store.audit.iter_events():
                handle.write(json.dumps(event.to_dict(), sort_keys=True) + "\n")
        result.outputs["audit log"] = str(audit_path)
    finally:
        store.close()
    return result


def _store_and_trace(store: Store, output: Path, result: DemoResult, say: Log) -> None:
    payload = b"synthetic demo record: no real patient data\n" * 64
    artifact = store.put_artifact(payload, kind="demo-record", name="demo-record.txt", phi=True)
    lineage.record(store, artifact.id, [("source:medfoundry-demo-generator", "generated-by")])
    store.audit.append("artifact.put", "artifact", artifact.id, {"sha256": artifact.sha256, "phi": True})
    round_trip = store.read_artifact(artifact.id) == payload
    say(
        f"[bold]2. artifact store[/bold] stored {artifact.id} encrypted at rest "
        f"(AES-256-GCM), round-trip intact: {round_trip}"
    )
    result.steps.append("artifact-roundtrip")
    result.outputs["artifact"] = artifact.id
