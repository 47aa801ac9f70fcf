"""``medfoundry images``: embed, search, classify, adapters, OOD detectors, drift, evaluation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import typer

from medfoundry.cli.context import store_session
from medfoundry.cli.output import console, emit_json, print_table
from medfoundry.errors import InputError

app = typer.Typer(
    help="Medical images: embeddings, search, zero-shot labels, adapters, OOD, drift.", no_args_is_help=True
)
adapter_app = typer.Typer(help="Classifiers trained on frozen image embeddings.", no_args_is_help=True)
ood_app = typer.Typer(help="Out-of-distribution detectors on embeddings.", no_args_is_help=True)
app.add_typer(adapter_app, name="adapter")
app.add_typer(ood_app, name="ood")
JSON_OPTION = typer.Option(False, "--json", help="Print one JSON document on stdout.")
MODEL = typer.Option(..., "--model", "-m", help="A CLIP/SigLIP model: directory, registered name or id.")


def _load(store: Any, model_ref: str, device: str | None = None) -> tuple[Any, Any]:
    from medfoundry.catalog.resolve import resolve_model
    from medfoundry.imaging.models import load_image_text_model

    row = resolve_model(store, model_ref)
    if row.meta.get("availability") == "azure-only":
        raise InputError(
            f"{row.name} has no downloadable weights (Azure AI Foundry only)",
            hint="call its Azure endpoint, or use an open model such as a local CLIP/SigLIP directory",
        )
    return row, load_image_text_model(row.location, device=device)


@app.command("tiny")
def tiny(
    out: Path = typer.Argument(..., help="Folder to write the model to."),
    family: str = typer.Option("clip", "--family", help="clip or siglip."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Build a tiny random-weight CLIP or SigLIP model locally (for trying the commands; outputs mean nothing).

    Example: medfoundry images tiny ./tiny-clip
    """
    from medfoundry.imaging.models import build_tiny_clip, build_tiny_siglip

    builders = {"clip": build_tiny_clip, "siglip": build_tiny_siglip}
    if family not in builders:
        raise InputError(f"--family: '{family}' is not one of clip, siglip")
    folder = builders[family](out)
    if as_json:
        emit_json({"model": str(folder), "family": family})
    else:
        console.print(f"tiny {family} model written to {folder} (random weights: its outputs mean nothing)")


@app.command("embed")
def embed(
    source: str = typer.Argument(..., help="A folder of PNG/JPEG/DICOM files, or a DICOM dataset version."),
    model: str = MODEL,
    out: Path | None = typer.Option(None, "--out", "-o", help="Index folder to write (replaced atomically)."),
    name: str | None = typer.Option(
        None, "--name", help="Or: an index name in the home (searchable over HTTP)."
    ),
    batch_size: int = typer.Option(16, "--batch-size", min=1, help="Images embedded together."),
    device: str | None = typer.Option(None, "--device", help="torch device, e.g. cuda (default cpu)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Embed every image of SOURCE and write an embedding index.

    Example: medfoundry images embed ./scans --model ./tiny-clip -o ./scans.index
    """
    from medfoundry.imaging.embed import embed_source

    with store_session() as store:
        from medfoundry.imaging.vector_index import named_index_dir

        if (out is None) == (name is None):
            raise InputError("give exactly one of --out DIR or --name NAME")
        out = out if out is not None else named_index_dir(store.settings.resolved_home, str(name))
        row, loaded = _load(store, model, device)
        result = embed_source(loaded, source, out, model_ref=row.id, store=store, batch_size=batch_size)
        store.audit.append(
            "images.embed", "model", row.id,
            {"index": str(result.folder), "count": result.count, "dim": result.dim, "skipped": len(result.skipped)},
        )  # fmt: skip
    if as_json:
        emit_json(result.to_dict())
        return
    console.print(f"embedded {result.count} images ({result.dim}-d) into {result.folder}")
    for skipped in result.skipped:
        console.print(f"  skipped {skipped.id}: {skipped.reason}")


def _query_rows(index: Any, image: Path | None, text: str | None, model: str | None) -> np.ndarray:
    from medfoundry.imaging.models import load_image_text_model
    from medfoundry.imaging.preprocess import load_image

    if (image is None) == (text is None):
        raise InputError('give exactly one of --image FILE or --text "..."')
    location = model or index.meta.get("model_location")
    if not location:
        raise InputError(f"{index.folder}/index.json does not name its model", hint="pass --model")
    loaded = load_image_text_model(str(location))
    return loaded.embed_images([load_image(image)]) if image is not None else loaded.embed_texts([str(text)])


@app.command("search")
def search(
    index: str = typer.Option(..., "--index", "-i", help="An index folder or name from 'images embed'."),
    image: Path | None = typer.Option(None, "--image", help="Find images like this file."),
    text: str | None = typer.Option(None, "--text", help="Find images matching this description."),
    k: int = typer.Option(10, "-k", min=1, help="How many results."),
    backend: str = typer.Option(
        "auto", "--backend", help="auto, exact, faiss-flat, hnsw, or pgvector (the configured PostgreSQL)."
    ),
    model: str | None = typer.Option(None, "--model", "-m", help="Override the model recorded in the index."),
    as_json: bool = JSON_OPTION,
) -> None:
    """The k nearest images of an index to an image or a text.

    Example: medfoundry images search -i ./scans.index --text "chest x-ray with effusion" -k 10
    """
    from medfoundry.imaging.vector_index import locate_index, read_index

    with store_session() as store:
        folder = locate_index(store.settings.resolved_home, index)
        stored = read_index(folder, backend=backend, store=store if backend == "pgvector" else None)
        hits = stored.search(_query_rows(stored, image, text, model), k)[0]
    if as_json:
        emit_json({"index": str(folder), "backend": stored.index.name, "k": k, "results": hits})
        return
    print_table(f"top {k} of {len(stored.items)}", ["rank", "score", "id"],
                [(str(h["rank"]), f"{h['score']:.4f}", h["id"]) for h in hits])  # fmt: skip


@app.command("classify")
def classify(
    images: list[Path] = typer.Argument(..., help="Image or DICOM files."),
    model: str = MODEL,
    label: list[str] = typer.Option([], "--label", "-l", help="A candidate label (repeat); zero-shot."),
    template: list[str] = typer.Option(
        [], "--template", help="Prompt template with {label} (repeat to ensemble)."
    ),
    multilabel: bool = typer.Option(False, "--multilabel", help="An independent sigmoid per label."),
    adapter: Path | None = typer.Option(
        None, "--adapter", help="Use a trained adapter instead of zero-shot."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Zero-shot (or adapter) labels for each image, with its OOD flag when a detector is stored.

    Example: medfoundry images classify scan.dcm --model ./tiny-clip -l pneumonia -l "no finding"
    """
    from medfoundry.imaging.adapters import Adapter
    from medfoundry.imaging.models import OOD_DIRNAME, zero_shot
    from medfoundry.imaging.ood import OODDetector
    from medfoundry.imaging.preprocess import load_image

    with store_session() as store:
        row, loaded = _load(store, model)
    rows = loaded.embed_images([load_image(path) for path in images])
    trained = Adapter.load(adapter) if adapter else None
    if trained is not None:
        labels, probabilities, detector = trained.labels, trained.probabilities(rows), trained.ood
    else:
        if not label:
            raise InputError("give --label at least twice (or --adapter DIR)")
        labels = label
        probabilities = zero_shot(
            loaded, rows, label, templates=tuple(template or ["{label}"]), multilabel=multilabel
        )
        ood_dir = Path(row.location, OOD_DIRNAME)
        detector = OODDetector.load(ood_dir) if (ood_dir / "ood.json").exists() else None
    flags = detector.flags(rows) if detector else [None] * len(images)
    results: list[dict[str, Any]] = []
    for path, probs, flag in zip(images, probabilities, flags, strict=True):
        scores = {lab: round(float(p), 6) for lab, p in zip(labels, probs, strict=True)}
        results.append(
            {"image": str(path), "labels": scores, "top": labels[int(probs.argmax())], "ood": flag}
        )
    if as_json:
        emit_json({"model": row.id, "results": results})
        return
    rows_out = []
    for result in results:
        scores_text = ", ".join(f"{k}={v:.3f}" for k, v in result["labels"].items())
        ood = result["ood"]
        flag_text = "-" if ood is None else ("OUT" if ood["out_of_distribution"] else "in")
        rows_out.append((result["image"], result["top"], scores_text, flag_text))
    print_table("labels", ["image", "top", "scores", "ood"], rows_out)


@adapter_app.command("train")
def adapter_train(
    data: Path = typer.Argument(..., help="Class folders (data/<label>/*.png) or a CSV with image,label."),
    model: str = MODEL,
    out: Path = typer.Option(..., "--out", "-o", help="Adapter folder to write."),
    kind: str = typer.Option("logistic", "--kind", help="logistic or mlp."),
    test_fraction: float = typer.Option(
        0.25, "--test-fraction", min=0.05, max=0.9, help="Held out for AUROC."
    ),
    gate: list[str] = typer.Option([], "--gate", help="e.g. 'adapter.auroc >= 0.8' (repeat)."),
    seed: int = typer.Option(0, "--seed"),
    as_json: bool = JSON_OPTION,
) -> None:
    """Train a classifier on frozen embeddings, evaluate it on a held-out split, apply gates.

    Example: medfoundry images adapter train ./labelled --model ./tiny-clip -o ./adapter --gate "adapter.auroc >= 0.8"
    """
    from medfoundry.errors import GateFailed
    from medfoundry.evaluate.gates import check_rules, evaluate_gates
    from medfoundry.evaluate.spec import GatesSpec
    from medfoundry.imaging.adapters import classification_metrics, stratified_split, train_adapter
    from medfoundry.imaging.benchmark import iter_labelled, read_labelled
    from medfoundry.imaging.embed import embed_items
    from medfoundry.imaging.ood import OODDetector

    spec = GatesSpec(absolute=gate)
    check_rules(spec, "--gate")
    with store_session() as store:
        row, loaded = _load(store, model)
        skipped: list[Any] = []
        vectors, items = embed_items(loaded, iter_labelled(read_labelled(data), skipped))
        labels = [item["label"] for item in items]
        train_rows, test_rows = stratified_split(labels, test_fraction, seed)
        if not len(test_rows):
            raise InputError(f"{data}: too few images per label to hold any out")
        adapter = train_adapter(vectors[train_rows], [labels[i] for i in train_rows], kind=kind, seed=seed)
        test_labels = [labels[i] for i in test_rows]
        metrics = classification_metrics(
            adapter.probabilities(vectors[test_rows]), test_labels, adapter.labels
        )
        results = evaluate_gates(spec, {"adapter": {"metrics": metrics, "headline": "auroc"}}, None)
        passed = all(g.passed for g in results)
        detector = OODDetector.fit(vectors[train_rows]).calibrate(vectors[test_rows])
        adapter.ood = detector
        adapter.meta = {
            "base_model_id": row.id, "base_model_location": row.location, "metrics": metrics,
            "n_train": len(train_rows), "n_test": len(test_rows), "gates": [g.to_dict() for g in results],
            "passed": passed if results else None, "seed": seed, "data": str(data),
        }  # fmt: skip
        adapter.save(out)
        store.audit.append("images.adapter.train", "model", row.id,
                           {"adapter": str(out), "kind": kind, "metrics": metrics, "passed": adapter.meta["passed"]})  # fmt: skip
    document = {"adapter": str(out), "kind": kind, "labels": adapter.labels, **adapter.meta,
                "ood_threshold": detector.threshold, "skipped": len(skipped)}  # fmt: skip
    if as_json:
        emit_json(document)
    else:
        console.print(f"adapter written to {out}: " + ", ".join(f"{k}={v:.4f}" for k, v in metrics.items()))
        for g in results:
            console.print(f"  gate {g.gate}: {'PASS' if g.passed else 'FAIL'} ({g.reason})")
    if results and not passed:
        failed = "; ".join(g.gate for g in results if not g.passed)
        raise GateFailed(
            f"the adapter failed its gates: {failed}",
            hint="see metrics above; more data or --kind mlp may help",
        )


@ood_app.command("fit")
def ood_fit(
    index: Path = typer.Option(..., "--index", "-i", help="In-distribution embeddings (an index folder)."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Folder for the detector."),
    model: str | None = typer.Option(
        None, "--model", "-m", help="Store it with this model (served deployments apply it)."
    ),
    method: str = typer.Option("mahalanobis", "--method", help="mahalanobis (Ledoit-Wolf) or knn."),
    percentile: float = typer.Option(
        95.0, "--percentile", help="Threshold: this percentile of held-out scores."
    ),
    holdout_fraction: float = typer.Option(0.2, "--holdout-fraction", min=0.05, max=0.9),
    seed: int = typer.Option(0, "--seed"),
    as_json: bool = JSON_OPTION,
) -> None:
    """Fit an OOD detector on an index and set its threshold on a held-out part of it.

    Example: medfoundry images ood fit -i ./scans.index --model ./tiny-clip --method mahalanobis
    """
    from medfoundry.imaging.models import OOD_DIRNAME
    from medfoundry.imaging.ood import OODDetector
    from medfoundry.imaging.vector_index import read_index

    if (out is None) == (model is None):
        raise InputError("give exactly one of --out DIR or --model M")
    stored = read_index(index, backend="exact")
    order = np.random.default_rng(seed).permutation(len(stored.vectors))
    cut = max(1, round(len(order) * holdout_fraction))
    detector = OODDetector.fit(stored.vectors[order[cut:]], method=method).calibrate(
        stored.vectors[order[:cut]], percentile
    )
    with store_session() as store:
        target = out
        if model is not None:
            from medfoundry.catalog.resolve import resolve_model

            row = resolve_model(store, model)
            if not Path(row.location).is_dir():
                raise InputError(f"model {row.name} is not a local directory", hint="use --out DIR instead")
            target = Path(row.location) / OOD_DIRNAME
        assert target is not None
        detector.save(target)
        store.audit.append("images.ood.fit", "index", str(index),
                           {"detector": str(target), "method": method, "threshold": detector.threshold})  # fmt: skip
    document = {"detector": str(target), "method": method, "threshold": detector.threshold, "percentile": percentile,
                "n_train": len(order) - cut, "n_holdout": cut}  # fmt: skip
    if as_json:
        emit_json(document)
    else:
        console.print(f"{method} detector written to {target}; threshold {detector.threshold:.4f} "
                      f"(the {percentile:g}th percentile of {cut} held-out scores)")  # fmt: skip


@app.command("drift")
def drift(
    reference: Path = typer.Option(..., "--reference", help="Index folder of the reference window."),
    production: Path = typer.Option(..., "--production", help="Index folder of the production window."),
    permutations: int = typer.Option(200, "--permutations", min=10),
    components: int = typer.Option(32, "--components", min=1, help="PCA components for the KS tests."),
    alpha: float = typer.Option(0.05, "--alpha"),
    plot: Path | None = typer.Option(
        None, "--plot", help="Write a PNG of the windows on the first two components."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Did the image distribution move? MMD permutation test and KS on PCA components.

    Example: medfoundry images drift --reference ./jan.index --production ./feb.index --plot drift.png
    """
    from medfoundry.imaging.drift import drift_plot, drift_report, projection, record_drift
    from medfoundry.imaging.vector_index import read_index

    ref, prod = read_index(reference, backend="exact"), read_index(production, backend="exact")
    report = drift_report(
        ref.vectors, prod.vectors, permutations=permutations, components=components, alpha=alpha
    )
    if plot is not None:
        drift_plot(ref.vectors, prod.vectors, plot)
    points = projection(ref.vectors, prod.vectors)
    with store_session() as store:  # the console's Imaging page shows recorded reports
        artifact_id = record_drift(store, report, points, str(reference), str(production))
    if as_json:
        emit_json({**report.to_dict(), "plot": str(plot) if plot else None, "artifact_id": artifact_id})
        return
    verdict = "DRIFT" if report.drift else "no drift detected"
    console.print(f"{verdict}: MMD² {report.mmd2:.5f} (p={report.mmd_p_value:.4f}), KS on {report.components} "
                  f"PCA components p={report.ks_p_value:.4f} (Bonferroni), alpha {alpha}")  # fmt: skip


@app.command("eval")
def evaluate(
    data: Path = typer.Argument(..., help="Class folders or a CSV with image,label."),
    model: str = MODEL,
    adapter: Path | None = typer.Option(None, "--adapter", help="Score this adapter instead of zero-shot."),
    template: list[str] = typer.Option([], "--template", help="Zero-shot prompt template with {label}."),
    gate: list[str] = typer.Option([], "--gate", help="e.g. 'images.auroc >= 0.8' (repeat)."),
    name: str = typer.Option("images", "--name", help="Benchmark name in the scorecard and gates."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Score an image model on labelled images and store the scorecard (deploy gates read it).

    Example: medfoundry images eval ./labelled --model ./tiny-clip --gate "images.auroc >= 0.8"
    """
    from medfoundry.errors import GateFailed
    from medfoundry.imaging.benchmark import run_image_evaluation

    with store_session() as store:
        card = run_image_evaluation(store, model, data, gates=gate, adapter_dir=adapter,
                                    templates=tuple(template or ["{label}"]), name=name)  # fmt: skip
    if as_json:
        emit_json(card)
    else:
        entry = card["benchmarks"][0]
        console.print(f"evaluation {card['evaluation_id']}: {name} n={entry['n']} "
                      + ", ".join(f"{k}={v:.4f}" for k, v in entry["metrics"].items()))  # fmt: skip
        for g in card["gates"]:
            console.print(f"  gate {g['gate']}: {'PASS' if g['passed'] else 'FAIL'} ({g['reason']})")
    if card["passed"] is False:
        raise GateFailed(
            f"evaluation {card['evaluation_id']} failed its gates", hint=f"see {card['report_dir']}"
        )
