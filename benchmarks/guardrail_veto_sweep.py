"""How the emergency rule's n-gram settings trade caught emergencies for false escalations,
read out of fold on every tuning file.

    python benchmarks/guardrail_veto_sweep.py [--folds 10] [--fresh dev57 dev59 ...] [--json OUT]

The tuning files (never a report half) are dealt into ``--folds`` folds by file, so one author's
set stays in one fold. For each fold the escalate model is fitted on the other folds and every case
of the fold is checked once, with the model adding every message no rule matched
(``ngram_add_above: 0``) and vetoing nothing, so each case's rule confidences and model probability
are read. The grid of ``ngram_add_above`` / ``ngram_veto_below`` / ``ngram_veto_max_confidence`` is
then worked out from those readings, exactly as ``EmergencyRule.check_input`` decides.

The model is out of fold; the rules are not (they were tuned on these files), so on tuned files the
false escalations a veto could remove are mostly gone already. ``--fresh`` names the files the
rules were not tuned on yet; they are totalled apart and give the honest reading of both sides.

A second table reads the hits of confidence 0.9 to 0.95 by the text around their evidence
(``--window`` characters each side, the rule's ``ngram_local_veto_below``), with and without the
classes ``ngram_veto_exempt`` spares, beside the whole-message veto of the same hits.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from guardrail_tuning_files import DATA, tuning_files  # type: ignore[import-not-found]

from medfoundry.guardrails.emergency import EmergencyConfig
from medfoundry.guardrails.evaluation import evaluate, load_eval_files
from medfoundry.guardrails.ngram import NgramModel
from medfoundry.guardrails.ngram_train import fit, load_examples
from medfoundry.guardrails.pipeline import GuardrailPipeline
from medfoundry.guardrails.policy import Policy
from medfoundry.guardrails.text import Tokens

GRID = [
    (add, veto, ceiling)
    for add in (0.9, 0.95)
    for veto in (0.0, 0.05, 0.1, 0.2)
    for ceiling in (0.9, 0.95, 1.01)
]


@dataclass(frozen=True)
class Reading:
    case: str
    file: str
    expected: str
    confidences: tuple[float, ...]  # the rule's classes (none: no rule matched)
    probability: float
    # per class the rule matched: (class, confidence, the model's highest probability around its evidence)
    local: tuple[tuple[str, float, float], ...] = ()

    def escalates(self, add_above: float, veto_below: float, max_confidence: float, floor: float) -> bool:
        if not self.confidences:
            return self.probability > add_above
        escalating = [c for c in self.confidences if c >= floor]
        if not escalating:
            return False
        if any(c >= max_confidence for c in escalating):
            return True
        return not self.probability < veto_below

    def escalates_locally(
        self, local_below: float | None, floor: float, exempt: frozenset[str], whole_below: float = 0.05
    ) -> bool:
        """As the rule decides: hits under 0.9 by the whole message (below ``whole_below``), hits of
        0.9 to 0.95 by the text around them (below ``local_below``; None: by the whole message too),
        ``exempt`` classes never flagged, 0.95 or more always escalated."""
        if not self.confidences:
            return self.probability > 0.9
        for name, confidence, local in self.local:
            if confidence < floor:
                continue
            if confidence >= 0.95 or name in exempt:
                return True
            if confidence < 0.9 or local_below is None:
                if not self.probability < whole_below:
                    return True
            elif not local < local_below:
                return True
        return False


def readings(folds: int, window: int = 200) -> list[Reading]:
    files = tuning_files(DATA)
    out: list[Reading] = []
    with tempfile.TemporaryDirectory() as tmp:
        for fold in range(folds):
            held = [f for i, f in enumerate(files) if i % folds == fold]
            data = fit(load_examples([f for f in files if f not in held]))
            model = Path(tmp) / f"fold{fold}.json"
            model.write_text(json.dumps(data), encoding="utf-8")
            scorer = NgramModel(data, str(model))
            policy = Policy()
            emergency = {
                "ngram": True,
                "ngram_model": str(model),
                "ngram_add_above": 0.0,
                "ngram_veto_below": 0.0,
                "ngram_local_veto_below": 0.0,
            }
            policy = policy.model_copy(update={"rules": {**policy.rules, "emergency": emergency}})
            for outcome in evaluate(GuardrailPipeline(policy), load_eval_files(held)).outcomes:
                action = next((a for a in outcome.rules if a.get("rule") == "emergency"), {})
                classes = [c for c in action.get("classes", []) if c.get("source") != "ngram"]
                texts = outcome.case.texts
                local = tuple(
                    (
                        c["class"],
                        c["confidence"],
                        max(
                            scorer.score(
                                Tokens.of(
                                    texts[e["message"]][max(0, e["start"] - window) : e["end"] + window]
                                )
                            )
                            for e in c["evidence"]
                        ),
                    )
                    for c in classes
                )
                out.append(
                    Reading(
                        outcome.case.id,
                        Path(outcome.case.source).name,
                        outcome.case.expected,
                        tuple(c["confidence"] for c in classes),
                        action.get("ngram", {}).get("probability", 0.0),
                        local,
                    )
                )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--folds", type=int, default=10)
    parser.add_argument(
        "--fresh", nargs="*", default=[], help="file name prefixes the rules were not tuned on"
    )
    parser.add_argument("--window", type=int, default=200, help="characters each side of a hit's evidence")
    parser.add_argument("--json", type=Path, help="also write every reading here")
    args = parser.parse_args()
    found = readings(args.folds, args.window)
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ for r in found]), encoding="utf-8")
    floor = EmergencyConfig().min_confidence
    groups = {"tuned": [r for r in found if not r.file.startswith(tuple(args.fresh))]}
    if args.fresh:
        groups["fresh"] = [r for r in found if r.file.startswith(tuple(args.fresh))]
    print("| add_above | veto_below | veto_max_confidence | " + _header(groups))
    print("|---|---|---|" + "---|---|" * len(groups))
    for add, veto, ceiling in GRID:
        cells = _cells(
            groups,
            partial(Reading.escalates, add_above=add, veto_below=veto, max_confidence=ceiling, floor=floor),
        )
        print(f"| {add} | {veto} | {ceiling} | {cells}")
    print(f"\n| veto of the 0.9 hits (window {args.window}) | " + _header(groups))
    print("|---|" + "---|---|" * len(groups))
    for label, below, exempt in LOCAL_ROWS:
        print(
            f"| {label} | "
            + _cells(
                groups, partial(Reading.escalates_locally, local_below=below, floor=floor, exempt=exempt)
            )
        )


LOCAL_ROWS: list[tuple[str, float | None, frozenset[str]]] = [
    ("none (0.9 hits never flagged)", 0.0, frozenset()),
    ("whole message below 0.05", None, frozenset()),
    *((f"around the evidence below {v}", v, frozenset()) for v in (0.01, 0.02, 0.03, 0.05)),
    ("around the evidence below 0.02, suicide exempt", 0.02, frozenset({"suicide_self_harm"})),
]


def _header(groups: dict[str, list[Reading]]) -> str:
    return " | ".join(f"{g}: caught | {g}: false esc." for g in groups) + " |"


def _cells(groups: dict[str, list[Reading]], escalates: Callable[[Reading], bool]) -> str:
    """Caught emergencies and false escalations of each group under one setting."""
    cells = []
    for rows in groups.values():
        positives = [r for r in rows if r.expected == "escalate"]
        negatives = [r for r in rows if r.expected == "allow"]
        caught = sum(escalates(r) for r in positives)
        false = sum(escalates(r) for r in negatives)
        cells.append(f"{caught}/{len(positives)} | {false}/{len(negatives)}")
    return " | ".join(cells) + " |"


if __name__ == "__main__":
    main()
