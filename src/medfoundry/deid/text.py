"""De-identifying one text: find spans, replace each with its operator's output."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from medfoundry.deid.analyzer import Analyzer
from medfoundry.deid.operators import OPERATORS, Context, Operator
from medfoundry.deid.spans import KnownPHI, Span


@dataclass
class TextResult:
    text: str
    spans: list[Span]


class TextDeidentifier:
    """An analyzer plus the operator to use for each PHI type."""

    def __init__(
        self, analyzer: Analyzer, operators: dict[str, str], default_operator: str = "redact"
    ) -> None:
        self.analyzer = analyzer
        self._default: Operator = OPERATORS.get(default_operator)()
        self._operators: dict[str, Operator] = {t: OPERATORS.get(name)() for t, name in operators.items()}

    def operator_for(self, type_: str) -> Operator:
        return self._operators.get(type_, self._default)

    def replace(self, value: str, type_: str, ctx: Context) -> str:
        return self.operator_for(type_).apply(value, type_, ctx)

    def deidentify(
        self, text: str, ctx: Context, *, known: KnownPHI | None = None, counts: Counter[str] | None = None
    ) -> TextResult:
        spans = self.analyzer.analyze(text, known=known)
        pieces: list[str] = []
        last = 0
        for span in spans:
            pieces.append(text[last : span.start])
            pieces.append(self.replace(text[span.start : span.end], span.type, ctx))
            last = span.end
            if counts is not None:
                counts[f"{span.type}\x1f{span.detector}"] += 1
        pieces.append(text[last:])
        return TextResult("".join(pieces), spans)
