"""Where the per-record work runs: in this process, across processes, or on Ray.

Each executor maps ``deidentify_record`` over the records and yields the outputs in
input order, so the written artifact is byte-identical whichever one ran.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import orjson

from medfoundry.deid import lexicon
from medfoundry.deid.records import Job, RecordOutput, deidentify_record
from medfoundry.errors import DependencyMissing
from medfoundry.ingest.records import PatientRecord
from medfoundry.registry import Registry

logger = logging.getLogger(__name__)

Executor = Callable[[Iterable[PatientRecord], Job, int], Iterator[RecordOutput]]
EXECUTORS: Registry[Executor] = Registry("de-identification executor")


def _work(job: Job, record_json: bytes) -> RecordOutput:
    return deidentify_record(PatientRecord.from_dict(orjson.loads(record_json)), job)


def serial(records: Iterable[PatientRecord], job: Job, workers: int = 1) -> Iterator[RecordOutput]:
    for record in records:
        yield deidentify_record(record, job)


def processes(records: Iterable[PatientRecord], job: Job, workers: int = 0) -> Iterator[RecordOutput]:
    """A process pool; records travel as JSON bytes, results come back in order."""
    count = workers or min(os.cpu_count() or 1, 8)
    if count <= 1:
        yield from serial(records, job)
        return
    payloads = (orjson.dumps(r.to_dict()) for r in records)
    with ProcessPoolExecutor(max_workers=count, initializer=lexicon.warm) as pool:
        yield from pool.map(functools.partial(_work, job), payloads, chunksize=1)


def ray_data(records: Iterable[PatientRecord], job: Job, workers: int = 0) -> Iterator[RecordOutput]:
    """Ray Data: the same function over a dataset of records, order preserved."""
    try:
        import ray
        import ray.data
    except ImportError as exc:
        raise DependencyMissing("ray", extra="ray", feature="--executor ray") from exc
    import pickle

    if not ray.is_initialized():
        ray.init(num_cpus=workers or None, include_dashboard=False, log_to_driver=False)
    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True
    items = [{"record": orjson.dumps(r.to_dict())} for r in records]
    if not items:
        return

    def apply(row: dict[str, Any]) -> dict[str, Any]:
        return {"output": pickle.dumps(_work(job, row["record"]))}

    dataset = ray.data.from_items(items, override_num_blocks=min(len(items), max(workers, 2) * 4)).map(apply)
    for row in dataset.iter_rows():
        yield pickle.loads(row["output"])


EXECUTORS.register("serial", serial)
EXECUTORS.register("processes", processes)
EXECUTORS.register("ray", ray_data)
