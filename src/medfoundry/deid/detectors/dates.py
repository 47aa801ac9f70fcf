"""Dates in the common clinical forms, with a time next to them when there is one.

``7/22``, ``07/22/2019``, ``2019-07-22``, ``July 22``, ``22 July 2019``, ``22-Jul-19``,
``Jul 2019``, ``the 22nd``. A year on its own is not a Safe Harbor identifier and is kept.
"""

from __future__ import annotations

import re

from medfoundry.deid.detectors.base import PatternDetector, register

MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
)
_M = rf"(?:{MONTHS})\.?"
_D = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_Y = r"(?:\d{4}|'?\d{2})"
_TIME = r"(?:(?:\s+|T|\s*@\s*|\s+at\s+)(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:\s*[ap]\.?m\.?)?(?:Z|[+-]\d{2}:?\d{2})?)?"

DATE_PATTERNS: tuple[tuple[str, str], ...] = (
    # 2019-07-22, 2019/07/22 (+ time)
    ("DATE", r"(?<![\d/.-])(?:19|20)\d{2}([-/.])(?:0?[1-9]|1[0-2])\1(?:[12]\d|3[01]|0?[1-9])(?![\d/])" + _TIME),
    # 07/22/2019, 7-22-19, 22.07.2019 (+ time)
    ("DATE", r"(?<![\d/.-])(?:[12]\d|3[01]|0?[1-9])([-/.])(?:[12]\d|3[01]|0?[1-9])\1(?:\d{4}|\d{2})(?![\d/.-]?\d)" + _TIME),
    # 7/22, 07/22 (month/day, no year)
    ("DATE", r"(?<![\d/.-])(?:1[0-2]|0?[1-9])/(?:[12]\d|3[01]|0?[1-9])(?![\d/]|\.\d)"),
    # 7/2019 (month/year)
    ("DATE", r"(?<![\d/.-])(?:1[0-2]|0?[1-9])/(?:19|20)\d{2}(?![\d/])"),
    # 22-Jul-19, 22 Jul 2019, 22nd of July, 22 July
    ("DATE", rf"\b{_D}(?:\s+of)?[\s-]+{_M}(?:[\s,-]+{_Y})?\b" + _TIME),
    # July 22, July 22nd, 2019, Jul. 22 2019
    ("DATE", rf"\b{_M}\s+{_D}(?:,?\s+(?:\d{{4}}|'\d{{2}}))?\b" + _TIME),
    # July 2019, Jul '19
    ("DATE", rf"\b{_M},?\s+(?:\d{{4}}|'\d{{2}})\b"),
    # the 22nd
    ("DATE", r"\bthe\s+(?P<phi>(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th))\b"),
    # a month name alone, capitalized (never the modal verb "may")
    ("DATE", r"\b(?:january|february|april|june|july|august|september|october|november|december)\b"),
)


@register
class DateDetector(PatternDetector):
    name = "date"
    types = ("DATE",)
    lowercase = True
    patterns = DATE_PATTERNS

    def validate(self, match: re.Match[str], type_: str, text: str) -> str | None:
        found = match.group(0)
        if match.re.pattern.endswith(r"december)\b"):
            return type_ if text[match.start()].isupper() else None
        if "/" in found and found.count("/") == 1 and found.replace("/", "").isdigit():
            # "1/2" (a fraction or a dose) is too short to be a date without context.
            before = match.string[max(0, match.start() - 12) : match.start()]
            if len(found) <= 3 and not any(w in before for w in ("on", "since", "from", "until", "dated", "date", "seen")):
                return None
        return type_
