"""ZIP codes under Safe Harbor: the first three digits, or ``000`` for sparse areas.

The 3-digit ZIP areas with 20,000 or fewer people are in ``data/zip3_restricted.txt``
(HHS, "Guidance Regarding Methods for De-identification of PHI", section on the
geographic identifier, from the 2000 US Census; update it from newer Census data).
"""

from __future__ import annotations

import functools
import re
from importlib import resources


@functools.cache
def restricted_prefixes() -> frozenset[str]:
    text = resources.files("medfoundry.deid").joinpath("data/zip3_restricted.txt").read_text()
    return frozenset(line.split("#")[0].strip() for line in text.splitlines() if line.split("#")[0].strip())


def safe_zip(value: str) -> str:
    """``66801`` → ``668``; a restricted area's ZIP → ``000``; anything else → ``000``."""
    digits = re.sub(r"\D", "", value)
    if len(digits) < 5:
        return "000"
    prefix = digits[:3]
    return "000" if prefix in restricted_prefixes() else prefix
