"""The human-readable cards of an evidence pack (Markdown)."""

from __future__ import annotations

import json
from typing import Any

from medfoundry.store.models import DatasetVersion, Evaluation, Model

LIMITATIONS = (
    "- Outputs must be reviewed by a qualified clinician; the model is not a medical device.\n"
    "- De-identification is automated (HIPAA Safe Harbor rules plus detectors): measured recall is high "
    "but not perfect; see the dataset card's scan result.\n"
    "- Benchmarks measure narrow tasks; performance on your population and workflows must be validated locally.\n"
)


def model_card(model: Model, base: Model | None, evaluations: list[Evaluation], tiny: bool) -> str:
    meta = model.meta or {}
    license_text = str(
        (base.meta if base else {}).get("license") or meta.get("license") or "see the base model's card"
    )
    lines = [
        f"# Model card: {model.name}",
        "",
        f"- Model id: `{model.id}` (source: {model.source}, code version {model.code_version})",
        f"- Base model: {base.name if base else model.location} (`{base.id if base else '-'}`)",
        f"- License: {license_text}",
        f"- Fine-tuning method: {meta.get('method', 'none (base model)')}",
        f"- Training dataset version: `{meta.get('dataset_version', '-')}` sha256 {meta.get('dataset_sha256', '-')}",
        f"- Training spec sha256: {meta.get('spec_sha256', '-')}",
        "",
        "## Intended use",
        "",
        str(meta.get("intended_use") or "Drafting clinical text (for example patient summaries) for review by a "
            "clinician, inside the organisation that trained it. Not for autonomous diagnosis or treatment decisions."),
        "",
        "## Evaluation",
        "",
    ]  # fmt: skip
    if not evaluations:
        lines.append("No evaluation recorded.")
    for evaluation in evaluations:
        verdict = {True: "passed", False: "FAILED", None: "no gates"}[evaluation.passed]
        lines.append(f"- `{evaluation.id}` suite {evaluation.suite}: gates {verdict}")
    lines += ["", "## Limitations", "", LIMITATIONS]
    if tiny:
        lines.append(
            "- **This model is a tiny random-weight stand-in built locally for a demonstration: its outputs are "
            "meaningless.**\n"
        )
    return "\n".join(lines)


def dataset_card(name: str, version: DatasetVersion) -> str:
    scan = (version.meta or {}).get("phi_scan")
    lines = [
        f"# Dataset card: {name} v{version.version}",
        "",
        f"- Version id: `{version.id}` ({version.kind}; PHI: {'yes, encrypted at rest' if version.phi else 'no'})",
        f"- Content sha256: {version.content_hash}",
        f"- Source: {version.source}",
        f"- Created: {version.created_at} by code version {version.code_version}",
        "",
        "## Counts",
        "",
        "```json",
        json.dumps(version.counts, indent=2, sort_keys=True, default=str),
        "```",
    ]
    if scan is not None:
        lines += ["", "## Residual-PHI scan", "", "```json", json.dumps(_scan_summary(scan), indent=2), "```"]
    return "\n".join(lines) + "\n"


def _scan_summary(scan: Any) -> dict[str, Any]:
    if not isinstance(scan, dict):
        return {"result": str(scan)}
    hits = scan.get("hits") or 0
    return {k: v for k, v in scan.items() if k != "hits"} | {
        "hits": hits if isinstance(hits, int) else len(hits)
    }
