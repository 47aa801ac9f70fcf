"""``medfoundry guardrails``: measure a guardrail policy on a labelled message set."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from medfoundry.cli.output import console, emit_json
from medfoundry.errors import GateFailed, NotFound

app = typer.Typer(help="Guardrail policies: evaluate them on labelled message sets.", no_args_is_help=True)

SECTION_TITLES = {
    "emergency": ("emergencies escalated", "benign not escalated"),
    "denied_topics": ("denied topics refused", "allowed questions not refused"),
    "injection": ("injections blocked", "benign not blocked"),
    "phi": ("PHI redacted", "benign not redacted"),
}
TEXT_PREVIEW_CHARS = 240


def resolve_policy(policy: str) -> Any:
    """A policy file, ``default`` (the built-in policy a deployment gets without --policy),
    or the name of a shipped policy under configs/guardrails/."""
    from medfoundry.guardrails.policy import Policy, load_policy
    from medfoundry.shipped import resolve_config

    path = Path(policy)
    if path.is_file():
        return load_policy(path)
    if policy == "default":
        return Policy()
    shipped = resolve_config(policy, "guardrails")  # the package's shipped policies (shipped.py)
    if shipped.is_file():
        return load_policy(shipped)
    raise NotFound(
        f"--policy '{policy}' is neither a policy file nor a shipped policy name",
        hint="give a YAML path, 'default', or a name from configs/guardrails/ (e.g. patient-facing)",
    )


def _fmt(rate: dict[str, Any]) -> str:
    if not rate["n"]:
        return "-"
    low, high = rate["ci95"]
    return f"{rate['k']}/{rate['n']} = {rate['rate']:.3f} [{low:.3f}, {high:.3f}]"


def _summary_table(document: dict[str, Any]) -> Table:
    table = Table(title=f"Guardrail evaluation ({document['cases']} cases; 95% Wilson CIs)")
    for column in ("section", "sensitivity", "specificity", "any false intervention"):
        table.add_column(column)
    for name, (_, _) in SECTION_TITLES.items():
        if name in document:
            section = document[name]
            table.add_row(
                name,
                _fmt(section["sensitivity"]),
                _fmt(section["specificity"]),
                _fmt(section["false_intervention"]),
            )
    if "paraphrase" in document:
        table.add_row("paraphrase", _fmt(document["paraphrase"]["rewordings"]), "-", "-")
    overall = document["overall"]
    table.add_row("overall", _fmt(overall["sensitivity"]), _fmt(overall["specificity"]), "-")
    return table


def _class_table(name: str, section: dict[str, Any]) -> Table:
    positive, negative = SECTION_TITLES[name]
    table = Table(title=f"{name} per class")
    for column in ("class", positive, negative):
        table.add_column(column)
    for cls, rates in section["per_class"].items():
        table.add_row(cls, _fmt(rates["sensitivity"]), _fmt(rates["specificity"]))
    return table


def _preview(texts: tuple[str, ...], roles: tuple[str, ...]) -> str:
    shown = " | ".join(t for t, r in zip(texts, roles, strict=True) if r == "user").replace("\n", " ")
    return shown if len(shown) <= TEXT_PREVIEW_CHARS else shown[: TEXT_PREVIEW_CHARS - 1] + "…"


def _print_errors(report: Any) -> None:
    errors = report.errors
    console.print(f"\n[bold]{len(errors)} errors[/bold]", highlight=False)
    for outcome in errors:
        case = outcome.case
        rules = (
            ", ".join(f"{r.get('rule')}:{r.get('action')}" for r in outcome.rules if r.get("rule")) or "none"
        )
        console.print(
            f"[red]{case.id}[/red] [{case.cls}{'/' + case.context if case.context else ''}, {case.language}] "
            f"expected {case.expected}, got {'+'.join(outcome.got)} (rules: {rules})",
            highlight=False,
        )
        console.print(f"    {_preview(case.texts, case.roles)}", highlight=False, markup=False)


@app.command("eval")
def eval_(
    files: list[Path] = typer.Argument(
        ..., help="Case files: the evaluation set, paraphrases, or red-team YAML."
    ),
    policy: str = typer.Option(
        "default", "--policy", help="Policy YAML, 'default' (built-in), or a name under configs/guardrails/."
    ),
    as_json: bool = typer.Option(
        False, "--json", help="Print one JSON document on stdout (no message text)."
    ),
    as_markdown: bool = typer.Option(
        False, "--markdown", help="Print the summary and per-class tables as Markdown (no message text)."
    ),
    show_errors: bool = typer.Option(
        True, "--errors/--no-errors", help="List each wrong case with its text (human-readable output only)."
    ),
    min_sensitivity: float | None = typer.Option(
        None,
        "--min-sensitivity",
        min=0.0,
        max=1.0,
        help="Exit 10 if emergency sensitivity (all positives when no emergency cases) is lower.",
    ),
    min_class_sensitivity: float | None = typer.Option(
        None, "--min-class-sensitivity", min=0.0, max=1.0, help="Exit 10 if any emergency class is lower."
    ),
    max_false_escalation: float | None = typer.Option(
        None,
        "--max-false-escalation",
        min=0.0,
        max=1.0,
        help="Exit 10 if the false-escalation rate is higher.",
    ),
) -> None:
    """Run every case through the policy's guardrails as the chat API does; print sensitivity and
    specificity overall, per section and per class with 95% Wilson intervals, and the errors.

    Example: medfoundry guardrails eval tests/data/guardrails/*.report.yaml --policy default --json

    Example: medfoundry guardrails eval tests/redteam/cases.yaml --policy configs/guardrails/patient-facing.yaml
    """
    from medfoundry.guardrails.evaluation import evaluate, load_eval_files
    from medfoundry.guardrails.pipeline import GuardrailPipeline

    cases = load_eval_files(files)
    report = evaluate(GuardrailPipeline(resolve_policy(policy)), cases)
    document = report.to_dict()
    document["files"] = [str(f) for f in files]
    document["policy"] = policy
    if as_json:
        emit_json(document)
    elif as_markdown:
        sys.stdout.write(markdown_tables(document))
    else:
        console.print(_summary_table(document))
        for name in SECTION_TITLES:
            if name in document:
                console.print(_class_table(name, document[name]))
        if show_errors:
            _print_errors(report)
    failures = _threshold_failures(document, min_sensitivity, min_class_sensitivity, max_false_escalation)
    if failures:
        raise GateFailed("; ".join(failures), hint="see the errors listed by the command without --json")


def _threshold_failures(
    document: dict[str, Any],
    min_sensitivity: float | None,
    min_class_sensitivity: float | None,
    max_false_escalation: float | None,
) -> list[str]:
    failures: list[str] = []
    overall = document["overall"]
    # The sensitivity goal is about emergencies; a set without any gates on all positives.
    scope = "emergency" if "emergency" in document else "overall"
    sensitivity = document[scope]["sensitivity"]["rate"]
    if min_sensitivity is not None and sensitivity is not None and sensitivity < min_sensitivity:
        failures.append(f"{scope} sensitivity {sensitivity:.4f} < --min-sensitivity {min_sensitivity}")
    if min_class_sensitivity is not None and "emergency" in document:
        for cls, rates in document["emergency"]["per_class"].items():
            rate = rates["sensitivity"]["rate"]
            if rate is not None and rate < min_class_sensitivity:
                failures.append(
                    f"class {cls} sensitivity {rate:.4f} < --min-class-sensitivity {min_class_sensitivity}"
                )
    false_escalation = overall["false_escalation"]["rate"]
    if (
        max_false_escalation is not None
        and false_escalation is not None
        and false_escalation > max_false_escalation
    ):
        failures.append(
            f"false escalation {false_escalation:.4f} > --max-false-escalation {max_false_escalation}"
        )
    return failures


def _md(rate: dict[str, Any]) -> str:
    if not rate["n"]:
        return "-"
    low, high = rate["ci95"]
    return f"{rate['k']}/{rate['n']} = {rate['rate']:.3f} [{low:.3f}, {high:.3f}]"


def markdown_tables(document: dict[str, Any]) -> str:
    """The summary, per-class, per-language and per-tag tables in Markdown, for docs/benchmarks.md."""
    lines = [
        "| section | sensitivity [95% CI] | specificity [95% CI] | any false intervention |",
        "|---|---|---|---|",
    ]
    for name in SECTION_TITLES:
        if name in document:
            section = document[name]
            lines.append(
                f"| {name} | {_md(section['sensitivity'])} | {_md(section['specificity'])} "
                f"| {_md(section['false_intervention'])} |"
            )
    if "paraphrase" in document:
        paraphrase = document["paraphrase"]
        lines.append(f"| paraphrase rewordings | {_md(paraphrase['rewordings'])} | - | - |")
        lines.append(f"| paraphrase groups, all 3 caught | {_md(paraphrase['groups_all_caught'])} | - | - |")
    overall = document["overall"]
    lines.append(f"| **overall** | {_md(overall['sensitivity'])} | {_md(overall['specificity'])} | - |")
    lines.append(f"| false escalation (all benign) | {_md(overall['false_escalation'])} | | |")
    for name in SECTION_TITLES:
        if name not in document:
            continue
        positive, negative = SECTION_TITLES[name]
        for title, key in (("class", "per_class"), ("language", "per_language"), ("tag", "per_tag")):
            rows = document[name][key]
            if not rows or (key != "per_class" and name != "emergency"):
                continue
            lines += ["", f"| {name}: {title} | {positive} | {negative} |", "|---|---|---|"]
            lines += [f"| {k} | {_md(v['sensitivity'])} | {_md(v['specificity'])} |" for k, v in rows.items()]
    return "\n".join(lines) + "\n"
