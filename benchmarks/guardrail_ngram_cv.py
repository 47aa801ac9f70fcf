"""Leave-one-author-out check of the n-gram model joined to the emergency rules.

Each tuning set by one author (a group below) is held out in turn: the model is fitted on
every other group, and the default policy is measured on the held-out group twice, rules
only and rules with the model. The held-out groups the rules were not fitted on yet
(``--fresh``) give the honest estimate; on groups the rules were already fitted to, the
rules-only column is flattering and the model's column shows only what it costs.

    python benchmarks/guardrail_ngram_cv.py [--fresh dev10 dev11 ...]

Report halves are never read (the trainer refuses them).
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from guardrail_tuning_files import DATA  # type: ignore[import-not-found]

from medfoundry.guardrails.evaluation import evaluate, load_eval_files
from medfoundry.guardrails.ngram_train import fit, load_examples
from medfoundry.guardrails.pipeline import GuardrailPipeline
from medfoundry.guardrails.policy import Policy

GROUPS: dict[str, list[str]] = {
    "tune": ["emergency.tune.yaml", "benign.tune.yaml", "paraphrases.tune.yaml"],
    "dev2": ["dev2.en.yaml", "dev2.es.yaml"],
    "dev3-9": [f"dev{i}.en.yaml" for i in range(3, 10)],
    "dev10": ["dev10.en.yaml"],
    "dev11": ["dev11.en.yaml"],
    "dev12": ["dev12.es.yaml"],
    "dev13": ["dev13.en.yaml"],
    "dev17": ["dev17.en.yaml"],
    "dev18": ["dev18.es.yaml"],
    "dev19": ["dev19.en.yaml"],
    "dev16": ["dev16.yaml"],
    "dev21": ["dev21.en.yaml"],
    "dev22": ["dev22.en.yaml"],
    "dev23": ["dev23.en.yaml"],
    "dev24": ["dev24.es.yaml"],
    "dev26": ["dev26.yaml"],
    "dev28": ["dev28.en.yaml"],
    "dev30": ["dev30.yaml"],
    "dev31": ["dev31.yaml"],
}

# always in training, never held out: denied-topic and injection tuning cases (negatives)
TRAIN_ONLY = [
    "denied_topics.tune.yaml",
    "injection.tune.yaml",
    "dev2.denied.yaml",
    "dev2.injection.yaml",
    "dev14.policy.yaml",
    "dev15.policy.yaml",
    "dev20.routine.yaml",
    "dev25.policy.yaml",
    "dev27.policy.yaml",
    "dev29.policy.yaml",
    "dev32.policy.yaml",
]


def _policy(model: Path | None, **thresholds: float) -> Policy:
    policy = Policy()
    emergency: dict[str, object] = {"ngram": model is not None}
    if model is not None:
        emergency["ngram_model"] = str(model)
        emergency.update(thresholds)
    return policy.model_copy(update={"rules": {**policy.rules, "emergency": emergency}})


def _counts(pipeline: GuardrailPipeline, files: list[Path]) -> tuple[int, int, int, int]:
    report = evaluate(pipeline, [c for c in load_eval_files(files) if c.section == "emergency"])
    outcomes = report.section("emergency")
    positives = [o for o in outcomes if o.case.positive]
    negatives = [o for o in outcomes if not o.case.positive]
    caught = sum(o.correct for o in positives)
    false = sum(not o.correct for o in negatives)
    return caught, len(positives), false, len(negatives)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fresh", nargs="*", default=[], help="groups the rules were not fitted on yet")
    parser.add_argument(
        "--sweep",
        action="store_true",
        help="only the fresh groups, under several ngram_add_above / ngram_veto_below / ngram_veto_max_confidence",
    )
    args = parser.parse_args()
    if args.sweep:
        sweep(args.fresh)
        return

    totals = {"rules": [0, 0, 0, 0], "rules+model": [0, 0, 0, 0]}
    print(
        "| held-out group | rules: caught | rules: false esc. | rules+model: caught | rules+model: false esc. |"
    )
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for held, names in GROUPS.items():
            train = [DATA / n for group, files in GROUPS.items() if group != held for n in files]
            train += [DATA / n for n in TRAIN_ONLY]
            model = Path(tmp) / f"without-{held}.json"
            model.write_text(json.dumps(fit(load_examples(train))), encoding="utf-8")
            files = [DATA / n for n in names]
            rules = _counts(GuardrailPipeline(_policy(None)), files)
            both = _counts(GuardrailPipeline(_policy(model)), files)
            mark = " (fresh)" if held in args.fresh else ""
            print(
                f"| {held}{mark} | {rules[0]}/{rules[1]} | {rules[2]}/{rules[3]} | {both[0]}/{both[1]} | {both[2]}/{both[3]} |"
            )
            if held in args.fresh:
                for key, got in (("rules", rules), ("rules+model", both)):
                    totals[key] = [a + b for a, b in zip(totals[key], got, strict=True)]
    if args.fresh:
        for key, (k, n, f, m) in totals.items():
            print(
                f"fresh groups, {key}: sensitivity {k}/{n} = {k / n:.3f}, false escalation {f}/{m} = {f / m:.3f}"
            )


SWEEP = [
    {"ngram_add_above": a, "ngram_veto_below": v, "ngram_veto_max_confidence": c}
    for a in (0.8, 0.9, 0.95)
    for v in (0.05, 0.1, 0.2, 0.3)
    for c in (0.9, 0.95, 1.0)
]


def sweep(fresh: list[str]) -> None:
    """Totals over the fresh groups for each threshold setting (each group's model fitted without it)."""
    totals = {i: [0, 0, 0, 0] for i in range(len(SWEEP))}
    with tempfile.TemporaryDirectory() as tmp:
        for held in fresh:
            train = [DATA / n for group, files in GROUPS.items() if group != held for n in files]
            train += [DATA / n for n in TRAIN_ONLY]
            model = Path(tmp) / f"without-{held}.json"
            model.write_text(json.dumps(fit(load_examples(train))), encoding="utf-8")
            files = [DATA / n for n in GROUPS[held]]
            for i, thresholds in enumerate(SWEEP):
                got = _counts(GuardrailPipeline(_policy(model, **thresholds)), files)
                totals[i] = [a + b for a, b in zip(totals[i], got, strict=True)]
    print("| add_above | veto_below | veto_max_confidence | caught | false esc. |")
    print("|---|---|---|---|---|")
    for i, thresholds in enumerate(SWEEP):
        k, n, f, m = totals[i]
        a, v, c = thresholds.values()
        print(f"| {a} | {v} | {c} | {k}/{n} = {k / n:.3f} | {f}/{m} = {f / m:.3f} |")


if __name__ == "__main__":
    main()
