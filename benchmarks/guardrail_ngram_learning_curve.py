"""Would more authored messages lift the emergency n-gram model? A learning curve on held-out rounds.

The model is fitted on every tuning file except the held-out ones, and on random 75%, 50% and
25% of those files (whole files: one author's set stays together), and the default policy is
measured on the held-out files with each model. A curve that is flat at the top says more
messages of the same kind would not help.

    python benchmarks/guardrail_ngram_learning_curve.py --held dev77.yaml dev79.yaml dev80.yaml \\
        --exclude dev78.policy.yaml dev81.policy.yaml [--seeds 2]

Report halves are never read (the trainer refuses them).
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
from pathlib import Path

from guardrail_ngram_cv import DATA, _counts, _policy  # type: ignore[import-not-found]
from guardrail_tuning_files import tuning_files  # type: ignore[import-not-found]

from medfoundry.guardrails.ngram_train import fit, load_examples
from medfoundry.guardrails.pipeline import GuardrailPipeline

FRACTIONS = (1.0, 0.75, 0.5, 0.25)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--held", nargs="+", required=True, help="held-out emergency files (names in tests/data/guardrails)"
    )
    parser.add_argument(
        "--exclude", nargs="*", default=[], help="files kept out of training as well (the round's policy set)"
    )
    parser.add_argument("--seeds", type=int, default=2, help="random draws per fraction below 1")
    args = parser.parse_args()
    left_out = set(args.held) | set(args.exclude)
    pool = [p for p in tuning_files(DATA) if p.name not in left_out]
    held = [DATA / name for name in args.held]
    caught, n, false, m = _counts(GuardrailPipeline(_policy(None)), held)
    print(f"training pool: {len(pool)} files; held out: {', '.join(args.held)}")
    print("| training files | messages | caught | false escalations |")
    print("|---|---|---|---|")
    print(f"| none (rules only) | 0 | {caught}/{n} | {false}/{m} |")
    with tempfile.TemporaryDirectory() as tmp:
        for fraction in FRACTIONS:
            for seed in range(1 if fraction == 1.0 else args.seeds):
                files = (
                    pool if fraction == 1.0 else random.Random(seed).sample(pool, round(fraction * len(pool)))
                )
                examples = load_examples(files)
                model = Path(tmp) / f"model-{fraction}-{seed}.json"
                model.write_text(json.dumps(fit(examples)), encoding="utf-8")
                caught, n, false, m = _counts(GuardrailPipeline(_policy(model)), held)
                print(
                    f"| {len(files)} ({fraction:.0%}, draw {seed}) | {len(examples)} | {caught}/{n} | {false}/{m} |"
                )


if __name__ == "__main__":
    main()
