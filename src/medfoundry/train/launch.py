"""Distributed entry point: ``torchrun --nproc_per_node N -m medfoundry.train.launch --config F``.

Rank 0 pins the spec, submits and claims the ``train`` job and runs it; the other
ranks train on their shard of every batch and write nothing to the store. Also
works under ``accelerate launch -m medfoundry.train.launch``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from medfoundry.errors import MedfoundryError


def main(argv: list[str] | None = None) -> int:
    # A program of its own (torchrun starts it), so it loads the job-kind table as the CLI does.
    import medfoundry.pipeline.kinds  # noqa: F401
    from medfoundry.jobs import queue
    from medfoundry.store.database import open_store
    from medfoundry.train import distributed
    from medfoundry.train.job import run_training, submit_training
    from medfoundry.train.model import pick_device
    from medfoundry.train.spec import TrainSpec, load_spec, parse_overrides

    parser = argparse.ArgumentParser(prog="medfoundry.train.launch")
    parser.add_argument("--config", type=Path, default=None)
    parser.add_argument("--resume", default=None, help="a job id to resume")
    known, rest = parser.parse_known_args(argv)
    world = distributed.current_world()
    store = open_store()
    try:
        spec = load_spec(known.config, parse_overrides(rest))
        distributed.init(world, distributed.device_for(world, pick_device(spec)))
        job_id = None
        if world.is_main:
            if known.resume:
                from medfoundry.train.job import prepare_resume

                job_id = prepare_resume(store, known.resume).id
            else:
                job_id = submit_training(store, spec).id
        job_id = distributed.broadcast(job_id, world)
        if world.is_main:
            claimed = queue.claim(store, queue.worker_name(), job_id=job_id)
            assert claimed is not None
            finished = queue.run_claimed(store, claimed)
            document = {
                "job_id": job_id,
                "state": finished.state,
                "result": finished.result,
                "error": finished.error,
            }
            sys.stdout.write(json.dumps(document, default=str) + "\n")
            return 0 if finished.state == "succeeded" else 1
        pinned = TrainSpec.model_validate(queue.get(store, job_id).payload["spec"])
        run_training(store, pinned, job_id)
        return 0
    except MedfoundryError as exc:
        sys.stderr.write(f"error: {exc.message}\n" + (f"hint: {exc.hint}\n" if exc.hint else ""))
        return exc.exit_code
    finally:
        store.close()


if __name__ == "__main__":
    sys.exit(main())
