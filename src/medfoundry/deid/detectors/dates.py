"""Dates in the common clinical forms, with a time next to them when there is one.

``7/22``, ``07/22/2019``, ``2019-07-22``, ``July 22``, ``22 July 2019``, ``22-Jul-19``,
``Jul 2019``, ``the 22nd``; in Spanish ``12 de marzo de 1980``, ``23-feb-1931``, ``marzo de 2007``.
A year on its own is not a Safe Harbor identifier and is kept.
"""

from __future__ import annotations

import re

from medfoundry.deid.detectors.base import Pattern, PatternDetector, register
from medfoundry.deid.detectors.view import SPACE, Digits, Words

MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
)
_M = rf"(?:{MONTHS})\.?"
_D = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_Y = r"(?:\d{4}|'?\d{2})"
_TIME = r"(?:(?:\s+|[tT]|\s*@\s*|\s+at\s+)(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:\s*[ap]\.?m\.?)?(?:[zZ]|[+-]\d{2}:?\d{2})?)?"

_NUM = r"\d(?<![\d/.-]\d)\d?"  # 1-2 digits not glued to a number before them
_MONTH_GATE = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_AT_MONTH = Words(_MONTH_GATE)  # every month name above begins with one of these
_MONTH_ALONE = r"(?:january|february|april|june|july|august|september|october|november|december)\b"

_WEEKDAYS = (
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|weds|wed|thurs|thur|thu|fri"
)
# After a day of the month: no time, dose, count or fraction ("Monday 8:30", "Fri 2 hours").
_NOT_A_COUNT = (
    r"(?![\d:/.,]\d|\s*(?:am|pm|a\.m|p\.m|hours?|hrs?|horas?|times|veces|x\b|mg|units|days?|d[ií]as|"
    r"weeks?|semanas|%|a\s+las|de\s+la|in\s+a\s+row))\b"
)
_MONTH_DASH_DAY = _NUM + r"-\d\d?(?![\d/-]|\.\d)"
# Words before a month-day written with a dash or a short m/d ("adm: 9-4", "CABG 7-29").
_DATE_WORDS = re.compile(
    r"(?:^|\W)(?:on|since|from|until|till|thru|through|dated|date|dos|seen|adm|admit|admitted|admission|"
    r"d/c|dc|dc'd|discharged|s/p|cabg|given|done|placed|started|stopped|last|due|born|dob|"
    r"expired|died|surgery|procedure|echo|cath|ekg|ct|mri|cxr|visit|appt|appointment|f/u|rtc|colonoscopy|"
    r"admitted to [^\n]{0,36})\b[^\n]{0,12}$"
)

DATE_PATTERNS: tuple[Pattern, ...] = (
    # 2019-07-22, 2019/07/22 (+ time)
    Pattern(
        "DATE",
        r"(?:19|20)(?<![\d/.-]\d\d)\d{2}([-/.])(?:0?[1-9]|1[0-2])\1(?:[12]\d|3[01]|0?[1-9])(?![\d/])" + _TIME,
        starts=Digits(4, 4, "-/."),
    ),
    # 07/22/2019, 7-22-19, 22.07.2019 (+ time)
    Pattern(
        "DATE", _NUM + r"([-/.])\d\d?\1(?:\d{4}|\d{2})(?![\d/.-]?\d)" + _TIME, starts=Digits(1, 2, "-/.")
    ),
    # 7/22, 07/22 (month/day, no year)
    Pattern("DATE", _NUM + r"/\d\d?(?![\d/]|\.\d)", starts=Digits(1, 2, "/")),
    # 7-29 (month-day, no year): only after a date word (see ``DateDetector.validate``)
    Pattern("DATE", _MONTH_DASH_DAY, starts=Digits(1, 2, "-")),
    # 7/2019 (month/year)
    Pattern("DATE", _NUM + r"/(?:19|20)\d{2}(?![\d/])", starts=Digits(1, 2, "/")),
    # 22-Jul-19, 22 Jul 2019, 22nd of July, 22 July
    Pattern(
        "DATE",
        r"\d(?<![\w]\d)\d?(?:st|nd|rd|th)?(?:\s+of)?[\s-]+" + _M + rf"(?:[\s,-]+{_Y})?\b" + _TIME,
        gate=_MONTH_GATE,
        starts=Digits(1, 2, SPACE + "-snrt"),
    ),
    # July 22, July 22nd, 2019, Jul. 22 2019
    Pattern(
        "DATE",
        rf"{_M}\s+{_D}(?:,?\s+(?:\d{{4}}|'\d{{2}}))?\b" + _TIME,
        boundary=True,
        gate=_MONTH_GATE,
        starts=_AT_MONTH,
    ),
    # July 2019, Jul '19, september of 2008
    Pattern(
        "DATE",
        rf"{_M},?\s+(?:of\s+)?(?:\d{{4}}|'\d{{2}})\b",
        boundary=True,
        gate=_MONTH_GATE,
        starts=_AT_MONTH,
    ),
    # summer of 2010, winter 1998
    Pattern(
        "DATE",
        r"(?:spring|summer|fall|autumn|winter)\s+(?:of\s+)?(?:19|20)\d{2}\b",
        boundary=True,
        gate=("spring", "summer", "fall", "autumn", "winter"),
    ),
    # the 22nd
    Pattern("DATE", r"the\s+(?P<phi>(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th))\b", boundary=True),
    # May after a word that makes it a month ("IN MAY", "since may"), never the modal verb
    Pattern(
        "DATE",
        r"(?:in|since|until|by|early|late|mid|next|last|this|during|end of|beginning of)\s+(?P<phi>may)\b",
        boundary=True,
        gate=("may",),
    ),
    # a month name alone, capitalized (never the modal verb "may")
    Pattern("DATE", _MONTH_ALONE, boundary=True, gate=_MONTH_GATE, starts=_AT_MONTH),
    # a weekday and a day of the month: "Tuesday the 15th", "Thurs 12", "Fri, 3rd" (not "sat"/"sun")
    Pattern(
        "DATE",
        r"(?:" + _WEEKDAYS + r")\.?,?\s+(?:the\s+)?" + _D + _NOT_A_COUNT,
        boundary=True,
        starts=Words(("mon", "tue", "wed", "thu", "fri", "saturday", "sunday")),
    ),
)


# Spanish month names (RAE: written lowercase) and their usual short forms.
MESES = "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre"
_MES_CORTO = "ene|feb|mar|abr|may|jun|jul|ago|sept|sep|set|oct|nov|dic"
_MES_GATE = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "set", "oct", "nov", "dic")
_AT_MES = Words(tuple(MESES.split("|")))
DIAS = "lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo"
_DIA_GATE = ("lunes", "martes", "miercoles", "miércoles", "jueves", "viernes", "sabado", "sábado", "domingo")
_DE_YEAR = r"(?:\s+de(?:l)?\s+|[\s/,-]+)(?:19|20)\d{2}(?!\d)"

SPANISH_DATE_PATTERNS: tuple[Pattern, ...] = (
    # 12 de marzo de 1980, 3 de abril, 1º de mayo del 2003
    Pattern(
        "DATE",
        r"\d(?<![\w]\d)\d?(?:º|°|o)?\s+de\s+(?:" + MESES + r")\b(?:" + _DE_YEAR + r")?",
        gate=_MES_GATE,
        starts=Digits(1, 2, SPACE + "º°o"),
    ),
    # 23-febrero-1931, 23/feb/1931, 23-ene-19
    Pattern(
        "DATE",
        r"\d(?<![\w]\d)\d?([-/.])(?:" + MESES + "|" + _MES_CORTO + r")\.?\1(?:\d{4}|\d{2})(?!\d)",
        gate=_MES_GATE,
        starts=Digits(1, 2, "-/."),
    ),
    # el miércoles 9, martes 15: a weekday and a day of the month
    Pattern(
        "DATE",
        r"(?:" + DIAS + r")\s+(?:[12]\d|3[01]|0?[1-9])" + _NOT_A_COUNT,
        boundary=True,
        gate=_DIA_GATE,
        starts=Words(_DIA_GATE),
    ),
    # marzo de 2007, enero del 2003, enero 2001
    Pattern(
        "DATE",
        r"(?:" + MESES + r")" + _DE_YEAR,
        boundary=True,
        gate=_MES_GATE,
        starts=_AT_MES,
    ),
)


_MONTH_SLASH = re.compile(r"\d{1,2}/\d{1,2}")


@register
class DateDetector(PatternDetector):
    name = "date"
    types = ("DATE",)
    lowercase = True
    patterns = DATE_PATTERNS + SPANISH_DATE_PATTERNS

    def validate(self, match: re.Match[str], type_: str, text: str) -> str | None:
        found = match.group(0)
        if match.re.pattern == _MONTH_ALONE:
            return type_ if text[match.start()].isupper() else None
        numbers = re.findall(r"\d+", found.split(":")[0].split("T")[0])
        if _MONTH_SLASH.fullmatch(found):
            # No year: month first as US notes write it ("7/6"), or month/2-digit year ("8/87").
            # "15/5" (a ratio) is neither.
            month, other = int(numbers[0]), int(numbers[1])
            if not 1 <= month <= 12 or other == 0:
                return None
            if other > 31:
                return type_ if len(numbers[1]) == 2 else None
        elif found[:1].isdigit() and not _plausible_numbers(numbers, found):
            return None
        if match.re.pattern == _MONTH_DASH_DAY:
            month, day = (int(n) for n in numbers[:2])
            before = match.string[max(0, match.start() - 52) : match.start()]
            return type_ if 1 <= month <= 12 and 1 <= day <= 31 and _DATE_WORDS.search(before) else None
        if "/" in found and found.count("/") == 1 and found.replace("/", "").isdigit():
            # "1/2" (a fraction or a dose) is too short to be a date without context.
            before = match.string[max(0, match.start() - 12) : match.start()]
            if (
                len(found) <= 3
                and not any(
                    w in before
                    for w in (
                        *(
                            "on",
                            "since",
                            "from",
                            "until",
                            "dated",
                            "date",
                            "seen",
                            "adm",
                            "admit",
                            "d/c",
                            "dc",
                        ),
                        *("s/p", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "last"),
                    )
                )
                and not _DATE_WORDS.search(match.string[max(0, match.start() - 52) : match.start()])
            ):
                return None
        return type_


def _plausible_numbers(numbers: list[str], found: str) -> bool:
    """Day and month in range (either order for D/M/Y vs M/D/Y)."""
    values = [int(n) for n in numbers]
    if not values or len(numbers[0]) == 4:
        return True
    if any(c.isalpha() for c in found):  # a month name: the first number is the day
        return 1 <= values[0] <= 31
    if len(values) >= 2 and len(numbers[1]) == 4:  # month/year
        return 1 <= values[0] <= 12
    if not any(c.isalpha() for c in found) and len(values) >= 2:
        a, b = values[0], values[1]
        return 1 <= a <= 31 and 1 <= b <= 31 and (a <= 12 or b <= 12)
    return 1 <= values[0] <= 31


_YEAR = r"(?:19|20)(?<![\w/.-]\d\d)\d{2}(?![\w/-]|\.\d)"
_SHORT_YEAR = r"'(?<![\w']')\d{2}(?![\w'])"


@register
class YearDetector(PatternDetector):
    """Bare years (1992, '92): not identifiers under Safe Harbor, so only on request
    (``remove_years: true`` in the policy adds this detector)."""

    name = "year"
    types = ("DATE",)
    patterns = (
        Pattern("DATE", _YEAR, starts=Digits(4, 4)),
        Pattern("DATE", _SHORT_YEAR, gate=("'",)),
    )
