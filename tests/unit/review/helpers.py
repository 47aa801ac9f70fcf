"""Generated review tasks (synthetic, PHI-free texts) for the review tests."""

from __future__ import annotations

import random

from medfoundry.review.tasks import NewTask, create_task
from medfoundry.store.database import Store
from medfoundry.store.models import ReviewTask

CONDITIONS = ["asthma", "gout", "eczema", "migraine", "anemia", "hypertension"]
ADVICE = ["rest", "drink water", "take the prescribed inhaler", "avoid triggers", "follow up with your clinic"]


def make_task(store: Store, seed: int = 0, *, reviewers: int = 1, deployment: str | None = "triage",
              model_id: str | None = None) -> ReviewTask:  # fmt: skip
    rng = random.Random(seed)
    condition = rng.choice(CONDITIONS)
    prompt = [{"role": "user", "content": f"How should I manage my {condition} this week?"}]
    output = f"For {condition}, {rng.choice(ADVICE)} and {rng.choice(ADVICE)}."
    new = NewTask(source="serve", source_ref=f"req-{seed}", messages=prompt, output=output,
                  deployment_id=f"dep_{seed}" if deployment else None, deployment_name=deployment,
                  model_id=model_id, reasons=("always",), reviewers=reviewers)  # fmt: skip
    return create_task(store, new)
