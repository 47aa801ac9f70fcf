"""Imaging benchmarks: labelled images (class folders or a CSV) scored zero-shot or with an adapter.

Data layouts:
- a folder with one sub-folder per label (``data/pneumonia/*.png``, ``data/normal/*.dcm``);
- a CSV with ``image`` and ``label`` columns (paths relative to the CSV).

Results go into the same scorecards as text benchmarks (an Evaluation row with gates),
so ``medfoundry deploy`` gates an image model like any other.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from medfoundry.errors import InputError
from medfoundry.imaging.adapters import Adapter, classification_metrics
from medfoundry.imaging.models import DEFAULT_TEMPLATES, ImageTextModel, zero_shot
from medfoundry.imaging.preprocess import Skipped, list_folder, load_image


@dataclass(frozen=True)
class LabelledImage:
    id: str
    path: Path
    label: str


def read_labelled(source: Path) -> list[LabelledImage]:
    """Labelled images from class folders or a CSV (``image``, ``label``)."""
    source = Path(source)
    if source.is_file() and source.suffix.lower() == ".csv":
        return _read_csv(source)
    if not source.is_dir():
        raise InputError(f"{source} is neither a folder of class folders nor a CSV file")
    rows = []
    for item in list_folder(source):
        parts = item.id.split("/")
        if len(parts) < 2:
            raise InputError(
                f"{item.path}: images must sit in one folder per label (e.g. {source}/normal/x.png)"
            )
        rows.append(LabelledImage(item.id, item.path, parts[0]))
    if not rows:
        raise InputError(f"{source} holds no images")
    return rows


def _read_csv(path: Path) -> list[LabelledImage]:
    rows = []
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = {"image", "label"} - set(reader.fieldnames or [])
        if missing:
            raise InputError(
                f"{path}: the header lacks the column(s) {', '.join(sorted(missing))}",
                hint="columns: image,label",
            )
        for line, row in enumerate(reader, start=2):
            if not row["image"] or not row["label"]:
                raise InputError(f"{path}:{line}: image and label must both be filled")
            image = (path.parent / row["image"]).resolve()
            if not image.exists():
                raise InputError(f"{path}:{line}: {row['image']} does not exist")
            rows.append(LabelledImage(row["image"], image, row["label"].strip()))
    if not rows:
        raise InputError(f"{path} has no rows")
    return rows


def iter_labelled(rows: list[LabelledImage], skipped: list[Skipped]) -> Iterator[tuple[dict[str, Any], Any]]:
    for row in rows:
        try:
            yield {"id": row.id, "label": row.label}, load_image(row.path)
        except InputError as exc:
            skipped.append(Skipped(row.id, exc.message))


def score_benchmark(
    model: ImageTextModel,
    rows: np.ndarray,
    truth: list[str],
    *,
    name: str,
    adapter: Adapter | None = None,
    templates: tuple[str, ...] = DEFAULT_TEMPLATES,
    data: str = "",
    started: float | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A scorecard benchmark entry and per-item predictions (ids and labels only)."""
    started = started if started is not None else time.perf_counter()
    if adapter is not None:
        labels, mode = adapter.labels, f"adapter-{adapter.kind}"
        probabilities = adapter.probabilities(rows)
    else:
        labels, mode = sorted(set(truth)), "zero-shot"
        probabilities = zero_shot(model, rows, labels, templates=templates)
    metrics = classification_metrics(probabilities, truth, labels)
    predictions = [
        {"label": label, "predicted": labels[int(p.argmax())], "probability": round(float(p.max()), 6)}
        for label, p in zip(truth, probabilities, strict=True)
    ]
    seconds = time.perf_counter() - started
    entry = {
        "benchmark": name,
        "n": len(truth),
        "headline": "auroc" if "auroc" in metrics else "accuracy",
        "metrics": metrics,
        "stderr": {},
        "ci95": {},
        "mode": mode,
        "data": data,
        "seconds": round(seconds, 3),
        "items_per_s": round(len(truth) / seconds, 3) if seconds else None,
    }
    return entry, predictions


def run_image_evaluation(
    store: Any,
    model_ref: str,
    data: Path,
    *,
    gates: list[str] | None = None,
    adapter_dir: Path | None = None,
    templates: tuple[str, ...] = DEFAULT_TEMPLATES,
    name: str = "images",
) -> dict[str, Any]:
    """Score ``model_ref`` on labelled images and store the scorecard (an Evaluation row with gates)."""
    from medfoundry.catalog.resolve import resolve_model
    from medfoundry.evaluate.gates import evaluate_gates
    from medfoundry.evaluate.scorecard import new_scorecard, save_scorecard
    from medfoundry.evaluate.spec import GatesSpec
    from medfoundry.imaging.embed import embed_items
    from medfoundry.imaging.models import load_image_text_model

    spec = GatesSpec(absolute=list(gates or []))
    from medfoundry.evaluate.gates import check_rules

    check_rules(spec, "--gate")
    model_row = resolve_model(store, model_ref)
    model = load_image_text_model(model_row.location)
    adapter = Adapter.load(adapter_dir) if adapter_dir else None
    rows_in = read_labelled(data)
    skipped: list[Skipped] = []
    started = time.perf_counter()
    vectors, items = embed_items(model, iter_labelled(rows_in, skipped))
    if not items:
        raise InputError(f"{data}: no readable images")
    entry, predictions = score_benchmark(
        model, vectors, [item["label"] for item in items], name=name, adapter=adapter,
        templates=templates, data=str(data), started=started,
    )  # fmt: skip
    for prediction, item in zip(predictions, items, strict=True):
        prediction["id"] = item["id"]
    scorecard = new_scorecard(model_row, f"images:{name}", "float32", "cpu")
    scorecard["benchmarks"].append(entry)
    scorecard["options"] = {
        "templates": list(templates),
        "adapter": str(adapter_dir) if adapter_dir else None,
    }
    scorecard["skipped"] = [{"id": s.id, "reason": s.reason} for s in skipped]
    if Path(model_row.location, "MEDFOUNDRY_TINY_MODEL").exists():
        scorecard["note"] = "this is a random-weight tiny stand-in model: its scores mean nothing"
    if spec.absolute:
        results = evaluate_gates(spec, {name: entry}, None)
        scorecard["gates_spec"] = spec.model_dump()
        scorecard["gates"] = [g.to_dict() for g in results]
        scorecard["passed"] = all(g.passed for g in results)
    evaluation = save_scorecard(
        store, scorecard, {name: predictions}, [str(data)],
        reports_dir=store.settings.resolved_home / "reports" / scorecard["id"],
    )  # fmt: skip
    return {"evaluation_id": evaluation.id, **scorecard}
