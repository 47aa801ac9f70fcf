"""Shift a date string by a number of days, keeping its written form.

A date is read as components (month, day, year) with their positions, shifted as a
calendar date, and each component written back in place in its original style
(zero padding, month name or abbreviation, letter case, 2- or 4-digit year, ordinal
suffix). Missing parts are filled for the arithmetic only (``7/22`` shifts within a
leap year; ``the 22nd`` within a 31-day month) and are not added to the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH_WORD = re.compile(r"[A-Za-z]+")
_NUMBER = re.compile(r"'?\d+(?:st|nd|rd|th)?", re.IGNORECASE)
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(.*)$")
_NUMERIC = re.compile(r"^(\d{1,4})([-/.])(\d{1,4})(?:\2(\d{2,4}))?")
_TIME_ONLY = re.compile(r"^[\d:.]+(?:\s*[ap]\.?m\.?)?$", re.IGNORECASE)


@dataclass
class _Part:
    kind: str  # "year", "month", "day"
    start: int
    end: int
    text: str


def _month_index(word: str) -> int | None:
    lower = word.lower().rstrip(".")
    if len(lower) < 3:
        return None
    for i, name in enumerate(MONTHS):
        if name.startswith(lower) or (lower == "sept" and i == 8):
            return i + 1
    return None


def _parts(value: str) -> list[_Part]:
    """Find the year, month and day components of a date string."""
    iso = re.match(r"^(\d{4})-(\d{2})(?:-(\d{2}))?", value)
    if iso:
        kinds = ("year", "month", "day")
        return [
            _Part(k, iso.start(i + 1), iso.end(i + 1), iso.group(i + 1))
            for i, k in enumerate(kinds)
            if iso.group(i + 1)
        ]
    numeric = _NUMERIC.match(value)
    if numeric:
        a, sep, b, c = numeric.group(1), numeric.group(2), numeric.group(3), numeric.group(4)
        spans = [(numeric.start(1), numeric.end(1)), (numeric.start(3), numeric.end(3))]
        if c is None:
            pair = (
                ("year", "month")
                if len(a) == 4
                else ("month", "year")
                if len(b) == 4 or (len(b) == 2 and int(b) > 31)  # 8/87: month and 2-digit year
                else ("month", "day")
            )
            return [_Part(k, s, e, value[s:e]) for k, (s, e) in zip(pair, spans, strict=True)]
        spans.append((numeric.start(4), numeric.end(4)))
        if len(a) == 4:
            kinds3 = ("year", "month", "day")
        elif sep == ".":
            kinds3 = ("day", "month", "year")
        else:
            kinds3 = ("month", "day", "year")
        return [_Part(k, s, e, value[s:e]) for k, (s, e) in zip(kinds3, spans, strict=True)]
    parts: list[_Part] = []
    for word in _MONTH_WORD.finditer(value):
        if _month_index(word.group(0)):
            parts.append(_Part("month", word.start(), word.end(), word.group(0)))
            break
    numbers = [m for m in _NUMBER.finditer(value) if not _in_time(value, m.start())]
    for m in numbers:
        digits = m.group(0).strip("'").rstrip("stndrhSTNDRH")
        have = {p.kind for p in parts}
        if (len(digits) == 4 or m.group(0).startswith("'")) and "year" not in have:
            parts.append(_Part("year", m.start(), m.end(), m.group(0)))
        elif "day" not in have and digits.isdigit() and 1 <= int(digits) <= 31:
            parts.append(_Part("day", m.start(), m.end(), m.group(0)))
        elif "year" not in have and len(digits) == 2:
            parts.append(_Part("year", m.start(), m.end(), m.group(0)))
    return parts


def _in_time(value: str, pos: int) -> bool:
    """Is ``pos`` inside a clock time (``10:22``)?"""
    before = value[max(0, pos - 3) : pos]
    after = value[pos : pos + 4]
    return ":" in before or bool(re.match(r"\d{1,2}:", after))


def _full_year(text: str) -> int:
    digits = int(text.strip("'"))
    if len(text.strip("'")) == 4:
        return digits
    return 2000 + digits if digits <= 30 else 1900 + digits


def _render(part: _Part, new: date) -> str:
    if part.kind == "year":
        if len(part.text.strip("'")) == 4:
            return f"{new.year:04d}"
        return ("'" if part.text.startswith("'") else "") + f"{new.year % 100:02d}"
    if part.kind == "month":
        if part.text.isdigit():
            return f"{new.month:0{len(part.text)}d}" if part.text.startswith("0") else str(new.month)
        name = MONTHS[new.month - 1]
        word = part.text.rstrip(".")
        abbreviated = word.lower() not in MONTHS
        rendered = (
            ("sept" if word.lower() == "sept" and new.month == 9 else name[:3]) if abbreviated else name
        )
        rendered = (
            rendered.upper() if word.isupper() else rendered.capitalize() if word[0].isupper() else rendered
        )
        return rendered + ("." if part.text.endswith(".") else "")
    digits = part.text.rstrip("stndrhSTNDRH")
    suffix = part.text[len(digits) :]
    day = f"{new.day:02d}" if digits.startswith("0") and len(digits) == 2 else str(new.day)
    if suffix:
        ordinal = "th" if 10 <= new.day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(new.day % 10, "th")
        suffix = ordinal.upper() if suffix.isupper() else ordinal
    return day + suffix


def shift_date(value: str, days: int) -> str | None:
    """``value`` shifted by ``days``, in the same form; None when it is not a readable date."""
    parts = _parts(value)
    kinds = {p.kind: p for p in parts}
    if not parts or ("month" not in kinds and "day" not in kinds and "year" not in kinds):
        return None
    try:
        year = _full_year(kinds["year"].text) if "year" in kinds else 2000
        month = _month_of(kinds["month"]) if "month" in kinds else 1
        day = (
            int(kinds["day"].text.rstrip("stndrhSTNDRH"))
            if "day" in kinds
            else (15 if "month" in kinds else 1)
        )
        if "month" not in kinds and "day" in kinds:
            month = 1  # "the 22nd": shift within a 31-day month
        original = date(year, month, day)
    except (ValueError, KeyError):
        return None
    if "day" not in kinds and "month" not in kinds:
        new = date(year + round(days / 365.25), 7, 1)
    else:
        new = original + timedelta(days=days)
    out = value
    for part in sorted(parts, key=lambda p: p.start, reverse=True):
        out = out[: part.start] + _render(part, new) + out[part.end :]
    return out


def _month_of(part: _Part) -> int:
    if part.text.isdigit():
        return int(part.text)
    index = _month_index(part.text)
    if index is None:
        raise ValueError(part.text)
    return index


def year_of(value: str) -> str | None:
    """The 4-digit year of a date string, if it has one (the year-only policy keeps it)."""
    for part in _parts(value):
        if part.kind == "year":
            return f"{_full_year(part.text):04d}"
    return None
