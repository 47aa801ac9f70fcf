"""``medfoundry deid``: de-identify datasets and texts, measure recall, scan for residual PHI."""

from __future__ import annotations

import logging
import secrets
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from medfoundry.cli.context import store_session
from medfoundry.cli.output import CLIState, console, emit_json, err_console
from medfoundry.errors import ConfigError, MedfoundryError, PHILeakError

app = typer.Typer(
    help="De-identify (HIPAA Safe Harbor), evaluate recall, scan for residual PHI.", no_args_is_help=True
)
logger = logging.getLogger(__name__)

ConfigOption = typer.Option(
    None, "--config", "-c", help="A policy YAML or a shipped name (default, strict-year-only)."
)
JsonOption = typer.Option(False, "--json", help="Print one JSON document on stdout.")
# Not scored by default in `deid eval`: not HIPAA Safe Harbor identifiers (as deid.evaluate).
DEFAULT_IGNORED = frozenset(
    {
        "TITLE",
        "NRP",
        "ORGANIZATION",
        "DATE.year",
        "AGE.le89",
        "LOCATION.state",
        "LOCATION.country",
        "SEX",
        "PROFESSION",
    }
)


def _config(config: str | None, date_policy: str | None = None):  # type: ignore[no-untyped-def]
    from medfoundry.deid.config import load_config

    loaded = load_config(config)
    if date_policy:
        policy = date_policy.replace("-", "_")
        if policy not in ("shift", "year_only"):
            raise ConfigError(f"--date-policy: '{date_policy}' is not one of shift, year-only")
        loaded = loaded.model_copy(update={"date_policy": policy})
    return loaded


def _counts_table(title: str, counts: dict[str, dict[str, int]]) -> Table:
    table = Table(title=title)
    for column in ("PHI type", "detector", "count"):
        table.add_column(column)
    for type_, detectors in counts.items():
        for detector, count in detectors.items():
            table.add_row(type_, detector, str(count))
    return table


@app.command()
def run(
    dataset: str = typer.Argument(..., help="The raw dataset version: NAME, NAME@N or dsv_..."),
    config: str | None = ConfigOption,
    date_policy: str | None = typer.Option(None, "--date-policy", help="shift (default) or year-only."),
    executor: str = typer.Option("processes", "--executor", help="processes (default), serial or ray."),
    workers: int = typer.Option(0, "--workers", help="Worker processes (0: one per CPU, at most 8)."),
    name: str | None = typer.Option(
        None, "--name", help="Dataset name of the result (default: the source's)."
    ),
    retain_uids: bool = typer.Option(False, "--retain-uids", help="DICOM: keep UIDs (default: keyed remap under 2.25.)."),
    clean_descriptors: bool = typer.Option(
        True, "--clean-descriptors/--remove-descriptors", help="DICOM: free-text descriptors through the text de-identifier, or removed."
    ),
    ocr: bool = typer.Option(False, "--ocr", help="DICOM: blank burned-in text found by OCR (needs tesseract-ocr)."),
    as_json: bool = JsonOption,
) -> None:
    """De-identify a raw dataset version into a new 'deidentified' version, with a report.

    DICOM versions get the PS3.15 Annex E Basic Profile (dates shifted per patient with
    --date-policy shift, removed with year-only).

    Example: medfoundry deid run synthea --executor ray
    """
    from medfoundry.dataset_versions import get_version
    from medfoundry.deid.stage import DeidRunConfig
    from medfoundry.deid.stage import run as run_deid
    from medfoundry.imaging.dicom.store import is_dicom_version

    policy = _config(config, date_policy)
    with store_session() as store:
        if is_dicom_version(get_version(store, dataset)):
            _run_dicom(store, dataset, policy, retain_uids, clean_descriptors, ocr, name, as_json)
            return
        run_config = DeidRunConfig(
            source=dataset, policy=policy, executor=executor, workers=workers, name=name
        )
        result = run_deid(store, run_config)
    if as_json:
        emit_json(result.to_dict())
    else:
        console.print(_counts_table("PHI replaced", result.counts))
        status = (
            "[green]passed[/green]"
            if result.scan["passed"]
            else f"[red]FAILED ({result.scan['hit_count']} hits)[/red]"
        )
        console.print(
            f"{result.dataset} v{result.version} ({result.dataset_version}): {result.patients} patients, {result.notes} notes; residual-PHI scan {status}"
        )
    if not result.scan["passed"]:
        raise typer.Exit(PHILeakError.exit_code)


def _run_dicom(store, dataset, policy, retain_uids, clean_descriptors, ocr, name, as_json) -> None:  # type: ignore[no-untyped-def]
    from medfoundry.dataset_versions import get_version
    from medfoundry.imaging.dicom.deid_run import run_dicom_deid
    from medfoundry.imaging.dicom.profile import DicomDeidOptions

    options = DicomDeidOptions(retain_uids=retain_uids, clean_descriptors=clean_descriptors, ocr=ocr)
    result = run_dicom_deid(store, get_version(store, dataset), policy, options, name=name)
    if as_json:
        emit_json(result.to_dict())
    else:
        status = "[green]passed[/green]" if result.scan["passed"] else f"[red]FAILED ({result.scan['hit_count']} hits)[/red]"
        console.print(
            f"{result.dataset} v{result.version} ({result.dataset_version}): {result.instances} instances, "
            f"{result.burned_in_risk} at risk of burned-in text; header residual-PHI scan {status}"
        )
        if result.ocr is not None:
            console.print(f"OCR: {result.ocr.get('boxes', 0)} text boxes blanked, {result.ocr.get('residual', 0)} left")
    if not result.scan["passed"]:
        raise typer.Exit(PHILeakError.exit_code)


def _text_key() -> bytes:
    """The project key when there is a home; otherwise a key for this run only."""
    try:
        with store_session() as store:
            if store.key is not None:
                return store.key
    except MedfoundryError:
        pass
    logger.warning("no medfoundry home key: surrogates and date offsets are consistent within this run only")
    return secrets.token_bytes(32)


@app.command()
def text(
    source: Path = typer.Argument(..., help='JSON Lines: {"id", "text", "patient_id"?} per line.'),
    output: Path = typer.Option(..., "-o", "--output", help='Where to write {"id", "text", "spans"} lines.'),
    config: str | None = ConfigOption,
    date_policy: str | None = typer.Option(None, "--date-policy", help="shift (default) or year-only."),
    as_json: bool = JsonOption,
) -> None:
    """De-identify plain texts; spans are offsets into the input text.

    Example: medfoundry deid text notes.jsonl -o notes.deid.jsonl
    """
    from medfoundry.deid.textfile import deidentify_file

    stats = deidentify_file(source, output, _config(config, date_policy), _text_key())
    if as_json:
        emit_json({"output": str(output), **stats.to_dict()})
    elif not CLIState.quiet:
        console.print(f"{stats.texts} texts, {stats.spans} PHI spans → {output}")


@app.command("eval")
def evaluate(
    gold: list[Path] = typer.Argument(
        ..., help="Gold PHI spans: one or more files or folders, each a corpus."
    ),
    fmt: str = typer.Option(
        "auto", "--format", help="auto (by path), spans-jsonl, presidio-json, brat (a folder) or asq-phi."
    ),
    config: str | None = ConfigOption,
    ignore_types: str = typer.Option(
        ",".join(sorted(DEFAULT_IGNORED)),
        "--ignore-types",
        help="Gold types or TYPE.subtype labels not scored (comma-separated); default: not Safe Harbor PHI.",
    ),
    show_missed: int = typer.Option(
        20, "--show-missed", help="Print this many missed spans with context (terminal only)."
    ),
    top_tokens: int = typer.Option(
        20,
        "--top-tokens",
        min=0,
        help="How many top false-positive/false-negative tokens to report (0: none).",
    ),
    as_json: bool = JsonOption,
) -> None:
    """Recall and precision per PHI type with 95% CIs, per corpus; clinical text changed; top errors.

    Span level (any overlap) and token level. Texts with no gold span are the integrity
    set: their de-identified output must equal the input byte for byte. The top
    false-negative tokens come from gold PHI (digits shown as 9): keep reports of real
    notes on the secure machine, or use --top-tokens 0.

    Example: medfoundry deid eval tests/data/deid/hard_cases.report.jsonl tests/data/deid/integrity.report.jsonl
    """
    from medfoundry.deid.evaluate import GOLD_FORMATS
    from medfoundry.deid.evaluate import evaluate as run_eval
    from medfoundry.deid.operators import Context
    from medfoundry.deid.patient import date_offset
    from medfoundry.deid.textfile import deidentifier_for

    if fmt != "auto" and fmt not in GOLD_FORMATS:
        raise ConfigError(f"--format: '{fmt}' is not one of auto, {', '.join(GOLD_FORMATS)}")
    ignore = frozenset(t.strip() for t in ignore_types.split(",") if t.strip())
    policy = _config(config)
    engine = deidentifier_for(policy)
    key = b"medfoundry deid eval: surrogates only"  # nothing is written; the key only has to be fixed

    def context_for(text_id: str) -> Context:
        offset = date_offset(key, text_id, min_days=policy.shift_min_days, max_days=policy.shift_max_days)
        return Context(key=key, patient_id=text_id, date_offset_days=offset, date_policy=policy.date_policy)

    documents = []
    for path in gold:
        result = run_eval(
            path,
            _gold_format(path, fmt),
            engine.analyzer,
            ignore=ignore,
            deidentifier=engine,
            context_for=context_for,
        )
        _print_missed(result.missed, show_missed)
        documents.append(result.to_dict(top_tokens))
    if as_json:
        emit_json(documents[0] if len(documents) == 1 else {"corpora": {d["corpus"]: d for d in documents}})
        return
    for document in documents:
        _print_eval(document)


def _gold_format(path: Path, fmt: str) -> str:
    """The gold format for a path: the --format given, or guessed from the file or folder."""
    if fmt != "auto":
        return fmt
    if path.is_dir():
        return "brat"
    if path.suffix == ".json":
        return "presidio-json"
    if path.suffix == ".txt" and path.exists():
        with path.open(encoding="utf-8") as handle:
            if handle.read(200).lstrip().startswith("===QUERY==="):
                return "asq-phi"
    return "spans-jsonl"


def _print_missed(missed: list[dict[str, str]], limit: int) -> None:
    if not limit or not missed:
        return
    err_console.print(
        f"[bold]missed spans[/bold] (first {min(limit, len(missed))} of {len(missed)}; raw text, terminal only):"
    )
    for item in missed[:limit]:
        err_console.print(
            f"  {item['type']:<16} {item['value']!r:<30} …{item['context']!r}…", highlight=False, markup=False
        )


def _ci(low_high: list[float]) -> str:
    return f"[{low_high[0]:.3f}, {low_high[1]:.3f}]"


def _print_eval(document: dict[str, Any]) -> None:
    table = Table(title=f"{document['corpus']}: {document['texts']} texts")
    for column in ("type", "gold", "recall", "95% CI", "predicted", "precision", "95% CI", "token recall"):
        table.add_column(column)
    for type_, row in document["span_by_type"].items():
        token = document["token_recall_by_type"].get(type_, {})
        table.add_row(
            type_, str(row["gold"]), f"{row['recall']:.3f}", _ci(row["recall_ci95"]), str(row["predicted"]),
            f"{row['precision']:.3f}", _ci(row["precision_ci95"]), f"{token.get('recall', 0):.3f}" if token else "-",
        )  # fmt: skip
    console.print(table)
    if document["span_recall_by_subtype"]:
        sub = Table(title="recall by subtype")
        for column in ("label", "gold", "recall", "95% CI"):
            sub.add_column(column)
        for label, row in document["span_recall_by_subtype"].items():
            sub.add_row(label, str(row["gold"]), f"{row['recall']:.3f}", _ci(row["recall_ci95"]))
        console.print(sub)
    if document["span_by_class"]:
        classes = Table(title="by class")
        for column in ("class", "texts", "gold", "recall", "predicted", "precision"):
            classes.add_column(column)
        for name, row in document["span_by_class"].items():
            classes.add_row(name, str(row["texts"]), str(row["gold"]), f"{row['recall']:.3f}",
                            str(row["predicted"]), f"{row['precision']:.3f}")  # fmt: skip
        console.print(classes)
    overall = document["span_overall"]
    console.print(
        f"span: recall {overall['recall']:.4f} {_ci(overall['recall_ci95'])}  "
        f"precision {overall['precision']:.4f} {_ci(overall['precision_ci95'])}",
        highlight=False,
    )
    token = document["token"]
    console.print(
        f"token: recall {token['recall']:.4f}  precision {token['precision']:.4f}  F1 {token['f1']:.4f}"
    )
    changed = document["clinical_text_changed"]
    console.print(
        f"clinical text changed: {changed['changed']} of {changed['phi_free_texts']} PHI-free texts",
        highlight=False,
    )
    for example in changed["examples"][:10]:
        values = ", ".join(f"{c['value']!r} ({c['type']})" for c in example["changed"])
        console.print(f"  {example['id']}: {values}", highlight=False, markup=False)
    for key, title in (
        ("top_false_positive_tokens", "false positives"),
        ("top_false_negative_tokens", "false negatives"),
    ):
        if document[key]:
            listed = ", ".join(f"{t['token']} x{t['count']}" for t in document[key])
            console.print(f"top {title}: {listed}", highlight=False, markup=False)


@app.command()
def scan(
    target: str = typer.Argument(..., help="A dataset version (NAME, NAME@N, dsv_...) or a JSONL file."),
    known: Path | None = typer.Option(
        None, "--known", help='For a file: JSON {"name": [...], "phone": [...], ...}.'
    ),
    as_json: bool = JsonOption,
) -> None:
    """Look for every known identifier in every text field; exits non-zero on any hit.

    Example: medfoundry deid scan synthea@2
    """
    import json

    from medfoundry.deid.scan_sources import scan_dataset, scan_path
    from medfoundry.deid.spans import KnownPHI

    path = Path(target)
    if path.exists():
        known_phi = KnownPHI.from_mapping(json.loads(known.read_text())) if known else None
        result = _scan_dicom_path(path, known_phi) or scan_path(path, known=known_phi)
    else:
        with store_session() as store:
            result = _scan_dicom_version(store, target) or scan_dataset(store, target)
    if as_json:
        emit_json(result.to_dict())
    else:
        verdict = (
            "[green]clean[/green]" if result.passed else f"[red]{len(result.hits)} residual identifiers[/red]"
        )
        console.print(f"scanned {result.texts} text fields ({result.characters} characters): {verdict}")
        for hit in result.hits[:50]:
            console.print(f"  {hit.type:<8} {hit.detector:<8} {hit.location}", highlight=False)
    if not result.passed:
        raise typer.Exit(PHILeakError.exit_code)


def _scan_dicom_path(path: Path, known):  # type: ignore[no-untyped-def]
    """DICOM headers of a Part 10 file or folder; None when the path is not DICOM."""
    from medfoundry.imaging.dicom.read import is_dicom_source
    from medfoundry.imaging.dicom.scan import scan_dicom_path

    return scan_dicom_path(path, known) if is_dicom_source(path) else None


def _scan_dicom_version(store, ref: str):  # type: ignore[no-untyped-def]
    """Every header of a DICOM dataset version against its source headers; None when not DICOM."""
    from medfoundry.dataset_versions import get_version
    from medfoundry.imaging.dicom.scan import scan_dicom_version
    from medfoundry.imaging.dicom.store import is_dicom_version

    version = get_version(store, ref)
    return scan_dicom_version(store, version) if is_dicom_version(version) else None
