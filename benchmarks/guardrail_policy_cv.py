"""Leave-one-author-out check of the denied-topic (``refuse``) and injection (``block``)
n-gram models joined to their rules.

Each policy tuning set by one author is held out in turn: both models are fitted on every
other tuning file (the emergency sets stay in as negatives), and the held-out set is run
through the default policy rules only and rules with the models under several thresholds.
Most of these sets were fitted on by the rules already, so the rules-only column is
flattering; the gain of the model column over it is what the model adds, and its false
refusals and blocks are what it costs.

    python benchmarks/guardrail_policy_cv.py [--quick]

Report halves are never read (the trainer refuses them).
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

from guardrail_tuning_files import DATA, tuning_files  # type: ignore[import-not-found]

from medfoundry.guardrails.evaluation import EvalCase, evaluate, load_eval_files
from medfoundry.guardrails.ngram_train import fit, load_examples
from medfoundry.guardrails.pipeline import GuardrailPipeline
from medfoundry.guardrails.policy import Policy

TUNING = tuning_files(DATA)

DENIED: list[dict[str, Any]] = [
    {"ngram": False},
    *(
        {"ngram_refuse_above": a, "ngram_needs_drug": g, "ngram_veto_below": v}
        for a in (0.9, 0.95, 0.98)
        for g in (True, False)
        for v in (0.0, 0.01, 0.05)
    ),
]
INJECTION: list[dict[str, Any]] = [
    {"ngram": False},
    *(
        {"ngram_block_above": a, "ngram_flagged_above": min(a, f)}
        for a in (0.9, 0.95, 0.98, 0.99, 1.0)
        for f in (0.5, 0.8, 0.9, 0.95, 0.99)
    ),
]


def _policy(denied: dict[str, Any], injection: dict[str, Any]) -> Policy:
    policy = Policy()
    rules = dict(policy.rules)
    rules["denied_topic"] = {**(rules.get("denied_topic") or {}), **denied}
    rules["injection"] = {**(rules.get("injection") or {}), **injection}
    return policy.model_copy(update={"rules": rules})


def _counts(pipeline: GuardrailPipeline, cases: list[EvalCase], decision: str) -> list[int]:
    """[caught, positives, false, negatives] for one decision over every case of the set."""
    outcomes = evaluate(pipeline, cases).outcomes
    positives = [o for o in outcomes if o.case.expected == decision]
    negatives = [o for o in outcomes if o.case.expected != decision and decision not in o.case.accept]
    return [
        sum(decision in o.got for o in positives),
        len(positives),
        sum(decision in o.got for o in negatives),
        len(negatives),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="the shipped thresholds only")
    args = parser.parse_args()
    denied_variants = DENIED if not args.quick else [*DENIED[:1], {}]
    injection_variants = INJECTION if not args.quick else [*INJECTION[:1], {}]
    held_out = [
        p for p in TUNING if any(c.section in ("denied_topics", "injection") for c in load_eval_files([p]))
    ]
    totals: dict[tuple[str, int], list[int]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for held in held_out:
            train = [p for p in TUNING if p != held]
            models = {}
            for target in ("refuse", "block"):
                models[target] = Path(tmp) / f"{target}-without-{held.stem}.json"
                models[target].write_text(
                    json.dumps(fit(load_examples(train, target), target=target)), encoding="utf-8"
                )
            cases = load_eval_files([held])
            for section, decision, variants, key, model in (
                ("denied_topics", "refuse", denied_variants, "denied", models["refuse"]),
                ("injection", "block", injection_variants, "injection", models["block"]),
            ):
                if not any(c.section == section for c in cases):
                    continue
                for i, variant in enumerate(variants):
                    settings = (
                        {**variant, "ngram_model": str(model)} if variant.get("ngram", True) else variant
                    )
                    denied = settings if key == "denied" else {"ngram": False}
                    injection = settings if key == "injection" else {"ngram": False}
                    got = _counts(GuardrailPipeline(_policy(denied, injection)), cases, decision)
                    totals[(key, i)] = [
                        a + b for a, b in zip(totals.get((key, i), [0, 0, 0, 0]), got, strict=True)
                    ]
            print(f"held out {held.name}", flush=True)
    for key, variants in (("denied", denied_variants), ("injection", injection_variants)):
        print(f"\n{key}: | setting | caught | false |\n|---|---|---|")
        for i, variant in enumerate(variants):
            k, n, f, m = totals[(key, i)]
            name = (
                "rules only"
                if variant.get("ngram") is False
                else (json.dumps(variant) if variant else "shipped")
            )
            print(f"| {name} | {k}/{n} = {k / n:.3f} | {f}/{m} = {f / m:.4f} |")


if __name__ == "__main__":
    main()
