"""DICOM header de-identification throughput: medfoundry vs dicognito, same files, one run.

Both sides get the same Part 10 files as bytes in memory and produce Part 10 bytes
(dicognito: ``dcmread`` → ``Anonymizer.anonymize`` → ``save_as``; medfoundry:
``deidentify_bytes`` with the Annex E Basic Profile). The files are every ``.dcm`` that
ships with pydicom that both tools process, plus generated studies with fake PHI.
Rounds alternate between the tools so that machine noise hits both alike.

    python benchmarks/dicom_deid.py --rounds 5
"""

from __future__ import annotations

import argparse
import io
import platform
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def corpus(generated_studies: int) -> list[bytes]:
    from tests.unit.imaging.dicom.synthetic import fake_study, pydicom_test_files

    files = [p.read_bytes() for p in pydicom_test_files()]
    for seed in range(generated_studies):
        for ds in fake_study(seed, series=2, per_series=5).instances:
            buffer = io.BytesIO()
            ds.save_as(buffer, enforce_file_format=True)
            files.append(buffer.getvalue())
    return files


def dicognito_side() -> Callable[[bytes], bytes]:
    import pydicom
    from dicognito.anonymizer import Anonymizer

    anonymizer = Anonymizer()

    def run(data: bytes) -> bytes:
        ds = pydicom.dcmread(io.BytesIO(data))
        anonymizer.anonymize(ds)
        out = io.BytesIO()
        ds.save_as(out)
        return out.getvalue()

    return run


def medfoundry_side(clean_descriptors: bool) -> Callable[[bytes], bytes]:
    from medfoundry.deid.config import DeidConfig
    from medfoundry.deid.detectors.known import matcher_for
    from medfoundry.imaging.dicom.deid_run import deidentifier_from
    from medfoundry.imaging.dicom.fastpath import deidentify_bytes
    from medfoundry.imaging.dicom.profile import DicomDeidOptions

    matcher_for.cache_clear()  # compiled identifier patterns are rebuilt every round
    owner = deidentifier_from(
        b"\x05" * 32, DeidConfig(), DicomDeidOptions(clean_descriptors=clean_descriptors)
    )
    return lambda data: deidentify_bytes(data, owner)


def usable(files: list[bytes], sides: dict[str, Callable[[bytes], bytes]]) -> list[bytes]:
    """The files every side processes without an error (the others are counted, per side)."""
    kept = []
    refused: dict[str, int] = {}
    for data in files:
        failed = False
        for name, run in sides.items():
            try:
                run(data)
            except Exception:
                refused[name] = refused.get(name, 0) + 1
                failed = True
        if not failed:
            kept.append(data)
    print(f"# files refused (left out for both): {refused or 'none'}")
    return kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--generated-studies", type=int, default=10, help="fake-PHI studies of 10 instances")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    import logging

    logging.getLogger("pydicom").setLevel(logging.ERROR)
    # a fresh instance of each tool every round: no state (caches, UID maps) carries over
    factories: dict[str, Callable[[], Callable[[bytes], bytes]]] = {
        "dicognito": dicognito_side,
        "medfoundry (Basic Profile)": lambda: medfoundry_side(clean_descriptors=False),
        "medfoundry (+ Clean Descriptors)": lambda: medfoundry_side(clean_descriptors=True),
    }
    everything = corpus(args.generated_studies)
    files = usable(everything, {name: make() for name, make in factories.items()})
    times: dict[str, list[float]] = {name: [] for name in factories}
    for _ in range(args.rounds):
        for name, make in factories.items():
            run = make()
            start = time.perf_counter()
            for data in files:
                run(data)
            times[name].append(time.perf_counter() - start)
    baseline = len(files) / statistics.median(times["dicognito"])
    print(f"# {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.processor() or platform.machine()}, "
          f"Python {platform.python_version()}, {len(files)} of {len(everything)} files, {args.rounds} rounds")  # fmt: skip
    print("| tool | files/s (median round) | vs dicognito |")
    print("|---|---|---|")
    for name, samples in times.items():
        rate = len(files) / statistics.median(samples)
        print(f"| {name} | {rate:,.0f} | {rate / baseline:.2f}x |")


if __name__ == "__main__":
    main()
