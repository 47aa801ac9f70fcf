"""Ingestion throughput and memory: medfoundry's default path vs fhir.resources R4B models.

Generates a Bulk NDJSON export of ``--size-mb`` by replicating the real Synthea export
in ../shared/data/fhir (every UUID re-keyed per copy, so patients stay distinct), with a
few structurally broken lines mixed in. Then, in one run:

1. baseline: parse + validate each line of the first ``--sample-mb`` with the
   ``fhir.resources`` R4B model of its type (no grouping, no storage);
2. medfoundry on the same sample: the full import (parse, check, group per patient,
   decode notes, encrypt, store) in a child process;
3. medfoundry on the whole export in a child process, reporting its peak RSS.

Usage: python benchmarks/ingest_throughput.py [--size-mb 100] [--sample-mb 10]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "fhir" / "bulk-ndjson-10-patients"
UUID = re.compile(rb"[0-9a-f]{8}(-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})")
BAD_EVERY = 10_000  # one broken line (a bad date) per this many lines


def rekey(prefix: bytes) -> Callable[[re.Match[bytes]], bytes]:
    """Replace a UUID's first 8 hex digits: the same UUID maps to the same new one in every file."""

    def replace(match: re.Match[bytes]) -> bytes:
        return prefix + match.group(1)

    return replace


def generate(source: Path, target: Path, size_mb: float) -> tuple[int, int]:
    """Write ``<Type>.000.ndjson`` files totalling ``size_mb``; returns (lines, broken lines)."""
    target.mkdir(parents=True, exist_ok=True)
    files = sorted(source.glob("[A-Z]*.ndjson"))
    originals = {p.name: p.read_bytes().splitlines() for p in files}
    per_copy = sum(p.stat().st_size for p in files)
    copies = max(1, round(size_mb * 1e6 / per_copy))
    lines = broken = 0
    handles = {name: (target / name).open("wb") for name in originals}
    try:
        for copy in range(copies):
            prefix = b"%08x" % copy
            for name, rows in originals.items():
                out = handles[name]
                for row in rows:
                    row = UUID.sub(rekey(prefix), row)
                    lines += 1
                    if lines % BAD_EVERY == 5:  # (5: one lands in the sample) last key wins: an invalid date
                        # both paths must reject
                        row = row[:-1] + b',"recordedDate":"yesterday"}'
                        broken += 1
                    out.write(row + b"\n")
    finally:
        for handle in handles.values():
            handle.close()
    return lines, broken


def sample(export: Path, target: Path, sample_mb: float) -> int:
    """The first lines of each file, proportionally, up to ``sample_mb``."""
    target.mkdir(parents=True, exist_ok=True)
    total = sum(p.stat().st_size for p in export.glob("*.ndjson"))
    fraction = min(1.0, sample_mb * 1e6 / total)
    count = 0
    for path in export.glob("*.ndjson"):
        budget = int(path.stat().st_size * fraction)
        with path.open("rb") as src, (target / path.name).open("wb") as out:
            for line in src:
                if budget <= 0:
                    break
                out.write(line)
                budget -= len(line)
                count += 1
    return count


def baseline_r4b(folder: Path) -> dict[str, float]:
    """fhir.resources R4B: one model_validate_json per line."""
    from fhir.resources.R4B import get_fhir_model_class
    from pydantic import ValidationError

    started = time.perf_counter()
    ok = failed = 0
    for path in sorted(folder.glob("*.ndjson")):
        model = get_fhir_model_class(path.name.split(".")[0])
        with path.open("rb") as handle:
            for line in handle:
                try:
                    model.model_validate_json(line)
                    ok += 1
                except ValidationError:
                    failed += 1
    seconds = time.perf_counter() - started
    return {
        "resources": ok + failed,
        "rejected": failed,
        "seconds": seconds,
        "per_s": (ok + failed) / seconds,
    }


def medfoundry_check(folder: Path) -> dict[str, float]:
    """medfoundry's default read + structural check (the work R4B models would do instead)."""
    from medfoundry.ingest.sources.ndjson import NdjsonSource
    from medfoundry.ingest.validate import check_resource

    started = time.perf_counter()
    ok = failed = 0
    for item in NdjsonSource(folder):
        if item.error is None and not check_resource(item.resource, item.raw):
            ok += 1
        else:
            failed += 1
    seconds = time.perf_counter() - started
    return {
        "resources": ok + failed,
        "rejected": failed,
        "seconds": seconds,
        "per_s": (ok + failed) / seconds,
    }


_CHILD = """
import json, sys, time
from pathlib import Path
from medfoundry.ingest.run import IngestConfig, run
from medfoundry.store.database import Store
from medfoundry.store.home import init_home
from medfoundry.settings import Settings
init_home()
store = Store(Settings())
started = time.perf_counter()
result = run(store, IngestConfig(source=Path(sys.argv[1])))
seconds = time.perf_counter() - started
print(json.dumps({"resources": result.resources_read, "rejected": result.quarantined, "patients": result.patients,
                  "notes": result.notes, "seconds": seconds, "per_s": result.resources_read / seconds}))
"""


def medfoundry_import(folder: Path, home: Path) -> dict[str, float]:
    """The full import in a child process; adds the child's peak RSS (MB)."""
    env = {**os.environ, "MEDFOUNDRY_HOME": str(home)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(folder)], env=env, check=True, capture_output=True, text=True
    )
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    report: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    report["peak_rss_mb"] = max(peak_kb, before) / 1024
    return report


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--size-mb", type=float, default=100, help="size of the generated export (1000 = 1 GB)"
    )
    parser.add_argument(
        "--sample-mb", type=float, default=10, help="slice all paths are timed on (R4B is slow)"
    )
    parser.add_argument("--source", type=Path, default=SHARED, help="a real Bulk export to replicate")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mf-bench-ingest-") as tmp:
        root = Path(tmp)
        lines, broken = generate(args.source, root / "export", args.size_mb)
        size = sum(p.stat().st_size for p in (root / "export").glob("*")) / 1e6
        print(f"generated {size:,.0f} MB, {lines:,} resources ({broken} broken)", flush=True)
        sample(root / "export", root / "sample", args.sample_mb)
        base = baseline_r4b(root / "sample")
        check = medfoundry_check(root / "sample")
        ours = medfoundry_import(root / "sample", root / "home-sample")
        full = medfoundry_import(root / "export", root / "home-full")
    report = {
        "machine": f"{os.cpu_count()}-core CPU, Python {sys.version.split()[0]}",
        "export_mb": round(size),
        "sample": {
            "r4b_models_parse": base,
            "medfoundry_read_and_check": check,
            "medfoundry_full_import": ours,
            "speedup_check_vs_r4b": check["per_s"] / base["per_s"],
            "speedup_full_import_vs_r4b": ours["per_s"] / base["per_s"],
        },
        "speedup_full_export_import_vs_r4b_sample": full["per_s"] / base["per_s"],
        "full_export": full,
        "full_export_broken_lines": broken,
    }
    print(json.dumps(report, indent=2))
    if full["rejected"] != broken:
        sys.exit(f"expected {broken} quarantined lines, got {full['rejected']}")


if __name__ == "__main__":
    main()
