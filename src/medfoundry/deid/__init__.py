"""De-identification: PHI detectors, operators, structured FHIR rules, scans and reports.

The two functions other stages call:

- ``analyze_text(text, known=None) -> list[Span]``: the PHI spans of a text;
- ``medfoundry.deid.scan.scan_texts(items, known=None) -> ScanResult``: the residual-PHI check.
"""

from medfoundry.deid.analyzer import Analyzer, analyze_text
from medfoundry.deid.spans import PHI_TYPES, KnownPHI, Span

__all__ = ["PHI_TYPES", "Analyzer", "KnownPHI", "Span", "analyze_text"]
