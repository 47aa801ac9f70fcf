"""The loss curve of a run, as a PNG and as a self-contained HTML page."""

from __future__ import annotations

import html
import io
from pathlib import Path


def loss_curve(
    history: list[dict[str, float]], eval_history: list[dict[str, float]], out_dir: Path, title: str
) -> tuple[Path, Path]:
    """Write ``loss_curve.png`` and ``loss_curve.html`` (inline SVG, a table) into ``out_dir``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(7, 4), dpi=110)
    axis.plot([h["step"] for h in history], [h["loss"] for h in history], label="train loss", linewidth=1.2)
    if eval_history:
        axis.plot([h["step"] for h in eval_history], [h["eval_loss"] for h in eval_history], "o-",
                  label="validation loss")  # fmt: skip
    axis.set_xlabel("optimizer step")
    axis.set_ylabel("loss (nats/token)")
    axis.set_title(title)
    axis.grid(alpha=0.3)
    axis.legend()
    figure.tight_layout()
    png = out_dir / "loss_curve.png"
    figure.savefig(png)
    svg = io.StringIO()
    figure.savefig(svg, format="svg")
    plt.close(figure)
    rows = "".join(f"<tr><td>{int(h['step'])}</td><td>{h['loss']:.5f}</td><td>{h['lr']:.3g}</td></tr>"
                   for h in history)  # fmt: skip
    page = out_dir / "loss_curve.html"
    page.write_text(
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title></head><body>"
        f"<h1>{html.escape(title)}</h1>{svg.getvalue().split('?>', 1)[-1]}"
        "<table><thead><tr><th>step</th><th>loss</th><th>lr</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></body></html>"
    )
    return png, page
