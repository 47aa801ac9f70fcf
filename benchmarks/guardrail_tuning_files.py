"""The guardrail tuning files the benchmarks may read: every tests/data/guardrails YAML file but the report
halves and the held-out rounds listed in held_out.txt (as scripts/train-guardrail-models.sh leaves them out)."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "guardrails"


def held_out(data: Path = DATA) -> frozenset[str]:
    listing = data / "held_out.txt"
    if not listing.is_file():
        return frozenset()
    lines = (line.strip() for line in listing.read_text(encoding="utf-8").splitlines())
    return frozenset(line for line in lines if line and not line.startswith("#"))


def tuning_files(data: Path = DATA) -> list[Path]:
    skipped = held_out(data)
    return sorted(p for p in data.glob("*.yaml") if ".report." not in p.name and p.name not in skipped)
