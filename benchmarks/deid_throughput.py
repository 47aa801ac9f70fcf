"""Throughput and recall of ``deid text`` vs Presidio's AnalyzerEngine (pattern recognizers).

Same notes, same run, one process each: MB/s and notes/s, and each one's span recall and
precision on the same gold spans:

- the 1,215 Synthea notes of ``../shared/data/fhir/bulk-ndjson-10-patients``, whose gold
  spans are every occurrence of the patient's name parts (known from the Patient resource;
  neither tool is given them; only NAME/PERSON predictions are scored there);
- presidio-research's ``synth_dataset_v2.json`` (its PHI types; TITLE, NRP, ORGANIZATION
  are not HIPAA identifiers and are not scored).

Presidio runs its predefined recognizers with ``NoOpNlpEngine`` (no spaCy model: offline),
so it has no PERSON/LOCATION recognizer; it only analyzes, while medfoundry also replaces.

    python benchmarks/deid_throughput.py [--limit 400] [--json]
"""

from __future__ import annotations

import argparse
import base64
import json
import logging
import platform
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from medfoundry.deid.analyzer import Analyzer
from medfoundry.deid.config import DeidConfig
from medfoundry.deid.evaluate import NOT_PHI, EvalResult, GoldText, read_gold, score
from medfoundry.deid.operators import Context
from medfoundry.deid.spans import Span
from medfoundry.deid.textfile import deidentifier_for

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def synthea_gold(limit: int) -> list[GoldText]:
    folder = SHARED / "fhir" / "bulk-ndjson-10-patients"
    names: dict[str, list[str]] = {}
    for line in (folder / "Patient.000.ndjson").read_text().splitlines():
        patient = json.loads(line)
        parts = [p for n in patient.get("name", []) for p in [*n.get("given", []), n.get("family", "")] if p]
        names[patient["id"]] = parts
    gold: list[GoldText] = []
    for line in (folder / "DocumentReference.000.ndjson").read_text().splitlines():
        document = json.loads(line)
        patient_id = document["subject"]["reference"].split("/")[-1]
        text = base64.b64decode(document["content"][0]["attachment"]["data"]).decode()
        pattern = re.compile(
            r"(?<!\w)(?:"
            + "|".join(re.escape(p) for p in sorted(set(names[patient_id]), key=len, reverse=True))
            + r")(?!\w)"
        )
        gold.append(
            GoldText(document["id"], text, [(m.start(), m.end(), "NAME") for m in pattern.finditer(text)])
        )
        if len(gold) >= limit:
            break
    return gold


def presidio_engine() -> Any:
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NoOpNlpEngine

    nlp = NoOpNlpEngine(models=[{"lang_code": "en", "model_name": "none"}])
    nlp.load()
    registry = RecognizerRegistry()
    registry.load_predefined_recognizers(nlp_engine=nlp)
    return AnalyzerEngine(registry=registry, nlp_engine=nlp, supported_languages=["en"])


def timed(texts: list[str], run: Callable[[str], Any], repeat: int) -> tuple[float, list[Any]]:
    best = float("inf")
    outputs: list[Any] = []
    for _ in range(repeat):
        start = time.perf_counter()
        outputs = [run(text) for text in texts]
        best = min(best, time.perf_counter() - start)
    return best, outputs


def scores(gold: list[GoldText], predicted: list[list[Span]]) -> dict[str, float]:
    result = EvalResult()
    for item, spans in zip(gold, predicted, strict=True):
        score(item, spans, result, NOT_PHI)
    span = result.span.scores()
    return {"recall": span["recall"], "precision": span["precision"]}


def measure(
    name: str,
    gold: list[GoldText],
    tools: dict[str, Callable[[str], list[Span]]],
    repeat: int,
    *,
    only: set[str] | None = None,
) -> dict[str, Any]:
    """Time each tool on the texts; score its spans (of the ``only`` types, if given)."""
    texts = [g.text for g in gold]
    size = sum(len(t.encode()) for t in texts)
    rows: dict[str, Any] = {"corpus": name, "texts": len(texts), "megabytes": round(size / 1e6, 3)}
    for tool, run in tools.items():
        for text in texts[:50]:  # warm caches (word lists, Faker) before timing
            run(text)
        seconds, spans = timed(texts, run, repeat)
        if only:
            spans = [[s for s in found if s.type in only] for found in spans]
        rows[tool] = {
            "MB_per_s": round(size / 1e6 / seconds, 3),
            "texts_per_s": round(len(texts) / seconds, 1),
            **scores(gold, spans),
        }
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, default=400, help="Synthea notes to use (max 1215)")
    parser.add_argument("--repeat", type=int, default=2, help="timed passes; the best is kept")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args()
    logging.disable(logging.WARNING)

    engine = deidentifier_for(DeidConfig())
    analyzer: Analyzer = engine.analyzer
    ctx = Context(key=b"benchmark-key-not-secret-32bytes", patient_id="bench", date_offset_days=-100)
    presidio = presidio_engine()

    def ours_deid(text: str) -> list[Span]:  # what `deid text` does: find and replace
        return engine.deidentify(text, ctx).spans

    def ours_analyze(text: str) -> list[Span]:
        return analyzer.analyze(text)

    def presidio_analyze(text: str) -> list[Span]:
        found = presidio.analyze(text, language="en")
        return [
            Span(r.start, r.end, "NAME" if r.entity_type == "PERSON" else r.entity_type, "presidio")
            for r in found
        ]

    tools = {
        "medfoundry_deid_text": ours_deid,
        "medfoundry_analyze": ours_analyze,
        "presidio_analyze": presidio_analyze,
    }
    results = [
        measure(
            "synthea-notes (gold: patient names)", synthea_gold(args.limit), tools, args.repeat, only={"NAME"}
        ),
        measure(
            "presidio-synth-v2",
            list(read_gold(SHARED / "deid" / "synth_dataset_v2.json", "presidio-json")),
            tools,
            args.repeat,
        ),
    ]
    for row in results:
        row["speedup_deid_text_vs_presidio"] = round(
            row["medfoundry_deid_text"]["MB_per_s"] / row["presidio_analyze"]["MB_per_s"], 2
        )
    document = {
        "machine": f"{platform.machine()} {platform.processor() or ''} python {platform.python_version()}".strip(),
        "results": results,
    }
    if args.json:
        json.dump(document, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return
    for row in results:
        sys.stdout.write(f"\n{row['corpus']}: {row['texts']} texts, {row['megabytes']} MB\n")
        for tool in tools:
            r = row[tool]
            sys.stdout.write(
                f"  {tool:<22} {r['MB_per_s']:>8.3f} MB/s {r['texts_per_s']:>9.1f} texts/s  recall {r['recall']:.3f}  precision {r['precision']:.3f}\n"
            )
        sys.stdout.write(f"  deid text vs presidio: {row['speedup_deid_text_vs_presidio']}x\n")


if __name__ == "__main__":
    main()
