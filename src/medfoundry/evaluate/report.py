"""The scorecard as an HTML report and a PNG: a bar chart per benchmark vs thresholds and the base."""

from __future__ import annotations

import html
import io
from pathlib import Path
from typing import Any

from medfoundry.evaluate.gates import parse_rule

MODEL_COLOR, BASE_COLOR, GATE_COLOR = "#2b6cb0", "#a0aec0", "#c53030"


def _chartable(result: dict[str, Any]) -> list[str]:
    return [
        m for m, v in result["metrics"].items() if v is not None and 0.0 <= v <= 1.0 and m != "invalid_codes"
    ]


def _thresholds(scorecard: dict[str, Any], benchmark: str) -> tuple[dict[str, float], dict[str, float]]:
    """Absolute gate thresholds and base-model floors for ``benchmark``, by metric."""
    absolute: dict[str, float] = {}
    for text in (scorecard.get("gates_spec") or {}).get("absolute", []):
        rule = parse_rule(text)
        if rule.benchmark == benchmark:
            absolute.setdefault(rule.metric, rule.threshold)
    floors = {
        g["metric"]: g["threshold"]
        for g in scorecard.get("gates") or []
        if g["benchmark"] == benchmark and g["threshold"] is not None and "base model" in g["gate"]
    }
    return absolute, floors


def _draw(ax: Any, scorecard: dict[str, Any], result: dict[str, Any]) -> None:
    metrics = _chartable(result)
    base = ((scorecard.get("base") or {}).get("benchmarks") or {}).get(result["benchmark"])
    xs = range(len(metrics))
    width = 0.38 if base else 0.6
    values = [result["metrics"][m] for m in metrics]
    errors = [
        [v - (result["ci95"].get(m) or [v, v])[0] for m, v in zip(metrics, values, strict=True)],
        [(result["ci95"].get(m) or [v, v])[1] - v for m, v in zip(metrics, values, strict=True)],
    ]
    offset = -width / 2 if base else 0.0
    bars = ax.bar(
        [x + offset for x in xs], values, width, yerr=errors, color=MODEL_COLOR, label="model", capsize=3
    )
    ax.bar_label(bars, fmt="%.2f", fontsize=7, padding=2)
    if base:
        base_values = [base["metrics"].get(m) or 0.0 for m in metrics]
        base_bars = ax.bar(
            [x + width / 2 for x in xs], base_values, width, color=BASE_COLOR, label="base model"
        )
        ax.bar_label(base_bars, fmt="%.2f", fontsize=7, padding=2)
    absolute, floors = _thresholds(scorecard, result["benchmark"])
    for x, metric in enumerate(metrics):
        if metric in absolute:
            ax.hlines(
                absolute[metric],
                x - 0.45,
                x + 0.45,
                colors=GATE_COLOR,
                linestyles="dashed",
                label="gate" if metric == next(m for m in metrics if m in absolute) else None,
            )
        if metric in floors:
            ax.hlines(
                floors[metric],
                x - 0.45,
                x + 0.45,
                colors="#4a5568",
                linestyles="dotted",
                label="base floor" if metric == next(m for m in metrics if m in floors) else None,
            )
    ax.set_xticks(list(xs), metrics)
    ax.set_ylim(0, 1.2)
    ax.set_title(f"{result['benchmark']} (n={result['n']})")
    ax.legend(fontsize=7, loc="upper right")


def figure(scorecard: dict[str, Any], results: list[dict[str, Any]] | None = None) -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    results = results if results is not None else scorecard["benchmarks"]
    cols = min(3, max(1, len(results)))
    rows = (len(results) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.4 * rows), squeeze=False)
    for ax, result in zip(axes.flat, results, strict=False):
        _draw(ax, scorecard, result)
    for ax in list(axes.flat)[len(results) :]:
        ax.axis("off")
    verdict = {True: "PASSED", False: "FAILED", None: "no gates"}[scorecard.get("passed")]
    fig.suptitle(f"{scorecard['model']['name']} on {scorecard['suite']}: {verdict}")
    fig.tight_layout()
    return fig


def render_png(scorecard: dict[str, Any]) -> bytes:
    import matplotlib.pyplot as plt

    fig = figure(scorecard)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    return buffer.getvalue()


def _svg(scorecard: dict[str, Any], result: dict[str, Any]) -> str:
    import matplotlib.pyplot as plt

    fig = figure(scorecard, [result])
    fig.suptitle("")
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg")
    plt.close(fig)
    svg = buffer.getvalue()
    return svg[svg.find("<svg") :]


def render_html(scorecard: dict[str, Any]) -> str:
    esc = html.escape
    verdict = {True: "PASSED", False: "FAILED", None: "no gates"}[scorecard.get("passed")]
    rows = "".join(
        f"<tr><td>{esc(r['benchmark'])}</td><td>{r['n']}</td><td>{esc(m)}</td><td>{v:.4f}</td>"
        f"<td>{esc(_ci(r, m))}</td></tr>"
        for r in scorecard["benchmarks"]
        for m, v in r["metrics"].items()
        if v is not None
    )
    gates = "".join(
        f"<tr class='{'pass' if g['passed'] else 'fail'}'><td>{esc(g['gate'])}</td><td>{esc(g['benchmark'])}</td>"
        f"<td>{'pass' if g['passed'] else 'FAIL'}</td><td>{esc(g['reason'])}</td></tr>"
        for g in scorecard.get("gates") or []
    )
    charts = "".join(
        f"<figure>{_svg(scorecard, r)}</figure>" for r in scorecard["benchmarks"] if _chartable(r)
    )
    model = scorecard["model"]
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>medfoundry scorecard {esc(scorecard.get("id", ""))}</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:1200px}} table{{border-collapse:collapse;margin:1em 0}}
td,th{{border:1px solid #ccc;padding:4px 8px}} .fail{{background:#fed7d7}} .pass{{background:#c6f6d5}}
figure{{display:inline-block;margin:0}} figure svg{{width:380px;height:auto}}</style></head><body>
<h1>Scorecard: {esc(model["name"])} <small>({esc(model["id"])})</small></h1>
<p>Suite <b>{esc(scorecard["suite"])}</b> &middot; verdict <b>{verdict}</b> &middot; dtype {esc(scorecard["dtype"])}
&middot; code {esc(scorecard["code_version"])} &middot; {esc(scorecard["created_at"])}</p>
{"<p><b>Note:</b> " + esc(scorecard["note"]) + "</p>" if scorecard.get("note") else ""}
<h2>Charts</h2><p>Blue: this model (95% bootstrap interval); grey: the base model; red dashes: gate thresholds; dotted: the lowest score the base-model gate allows.</p>
{charts}
<h2>Metrics</h2><table><tr><th>benchmark</th><th>n</th><th>metric</th><th>value</th><th>95% CI</th></tr>{rows}</table>
<h2>Gates</h2><table><tr><th>gate</th><th>benchmark</th><th>result</th><th>detail</th></tr>{gates}</table>
</body></html>
"""


def _ci(result: dict[str, Any], metric: str) -> str:
    low_high = result.get("ci95", {}).get(metric)
    return f"[{low_high[0]:.3f}, {low_high[1]:.3f}]" if low_high and low_high[0] is not None else ""


def write_reports(scorecard: dict[str, Any], directory: Path) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    html_path, png_path = directory / "report.html", directory / "report.png"
    html_path.write_text(render_html(scorecard), encoding="utf-8")
    png_path.write_bytes(render_png(scorecard))
    return html_path, png_path
