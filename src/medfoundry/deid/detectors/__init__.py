"""PHI detectors: each a small class registered by name in ``DETECTORS``."""

from medfoundry.deid.detectors import dates, locations, names, patterns, safe
from medfoundry.deid.detectors.base import DETECTORS, Detector, PatternDetector, register

# The optional Hugging Face token-classification detector loads transformers lazily.
DETECTORS.register("hf", "medfoundry.deid.detectors.hf:HFDetector")

DEFAULT_DETECTORS = (
    "email",
    "url",
    "ip",
    "phone",
    "ssn",
    "id",
    "zip",
    "age",
    "date",
    "address",
    "facility",
    "city",
    "place",
    "name",
)

__all__ = [
    "DEFAULT_DETECTORS",
    "DETECTORS",
    "Detector",
    "PatternDetector",
    "dates",
    "locations",
    "names",
    "patterns",
    "register",
    "safe",
]
