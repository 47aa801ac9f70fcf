"""``--executor ray``: Ray Data gives byte-identical output to the serial run."""

from __future__ import annotations

import pytest

from medfoundry.deid.config import DeidConfig
from medfoundry.deid.executors import ray_data, serial
from medfoundry.deid.records import Job
from tests.unit.deid.conftest import make_record


@pytest.mark.slow
def test_ray_matches_serial() -> None:
    ray = pytest.importorskip("ray")
    records = [make_record(f"pat-{i}", birth=f"19{40 + i}-0{i + 1}-1{i}") for i in range(4)]
    job = Job(DeidConfig().model_dump_json(), b"r" * 32, "2026-01-01")
    expected = [o.record for o in serial(records, job)]
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        got = [o.record for o in ray_data(records, job, 2)]
    finally:
        ray.shutdown()
    assert got == expected
