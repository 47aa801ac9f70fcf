"""Detectors for identifiers with a fixed shape: emails, URLs, IPs, phones, SSNs, ids, ZIPs."""

from __future__ import annotations

import ipaddress
import re
from typing import ClassVar

from medfoundry.deid.detectors.base import PatternDetector, preceding, register
from medfoundry.deid.lexicon import state_abbreviations, state_names


@register
class EmailDetector(PatternDetector):
    name = "email"
    types = ("EMAIL",)
    gate = ("@",)
    patterns = (("EMAIL", r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b"),)


@register
class UrlDetector(PatternDetector):
    name = "url"
    types = ("URL",)
    lowercase = True
    patterns = (
        ("URL", r"\b(?:https?|ftp)://[^\s<>\"')\]]+[^\s<>\"')\].,;:!?]"),
        ("URL", r"\bwww\.[^\s<>\"')\]]+[^\s<>\"')\].,;:!?]"),
        (
            "URL",
            r"(?<![@\w.])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+"
            r"(?:com|org|net|edu|gov|info|biz|io|co|us|uk|de|fr|ca|au|in|health|mil)\b(?![@\w])",
        ),
    )


@register
class IpDetector(PatternDetector):
    name = "ip"
    types = ("IP",)
    patterns = (
        ("IP", r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])"),
        (
            "IP",
            r"(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){2,7}(?::|[0-9A-Fa-f]{1,4})(?:(?::[0-9A-Fa-f]{1,4})*)(?![\w:])",
        ),
    )

    def validate(self, match: re.Match[str], type_: str, text: str) -> str | None:
        try:
            ipaddress.ip_address(match.group(0))
        except ValueError:
            return None
        return type_


@register
class PhoneDetector(PatternDetector):
    name = "phone"
    types = ("PHONE", "FAX")
    lowercase = True
    _ext = r"(?:\s*(?:x|ext\.?|extension)\s*\d{1,5})?"
    patterns = (
        ("PHONE", r"(?<![\d-])(?:\+?1[\s.-]?)?\(\d{3}\)\s*\d{3}[\s.-]?\d{4}(?!\d)" + _ext),
        ("PHONE", r"(?<![\d/-])(?:\+?1[\s.-])?\d{3}([\s.-])\d{3}\1\d{4}(?![\d-])" + _ext),
        ("PHONE", r"(?<![\d/.-])\+?1?\d{10}(?!\d)"),
        ("PHONE", r"(?<![\d/.-])\d{3}-\d{4}(?![\d-])"),
        ("PHONE", r"(?<![\w.])\+(?:[2-9]\d{0,2})[\s.-]?\d{1,4}(?:[\s.-]?\d{2,4}){2,4}(?!\d)"),
    )
    _phone_context = (
        "phone",
        "tel",
        "call",
        "cell",
        "pager",
        "page",
        "fax",
        "mobile",
        "contact",
        "#",
        "number",
    )

    def validate(self, match: re.Match[str], type_: str, text: str) -> str | None:
        before = preceding(text, match.start(), 20)
        raw = match.group(0)
        digits = re.sub(r"\D", "", raw)
        if raw.isdigit() and not any(w in before for w in self._phone_context):
            return None  # a bare 10-digit number is an id, not a phone, without context
        if len(digits) == 7 and not any(w in before for w in self._phone_context) and "-" not in raw:
            return None
        return "FAX" if "fax" in before else type_


@register
class SsnDetector(PatternDetector):
    name = "ssn"
    types = ("SSN",)
    lowercase = True
    patterns = (
        ("SSN", r"(?<![\d-])(?!000|666|9\d\d-?00)\d{3}([- ])\d{2}\1\d{4}(?![\d-])"),
        (
            "SSN",
            r"(?:ssn|social security(?: number| no\.?| #)?)\s*[:#]?\s*(?P<phi>\d{9}|\d{3}[- .]\d{2}[- .]\d{4})\b",
        ),
    )


@register
class IdDetector(PatternDetector):
    """Record, account, plan, license, device and other numbers: context words or shape."""

    name = "id"
    types = ("MRN", "ID")
    lowercase = True
    _mrn = r"(?:mrn|mr\s?#|medical\s+record(?:\s+(?:number|no\.?|#))?|unit\s+(?:no\.?|number)|hospital\s+(?:no\.?|number))"
    _other = (
        r"(?:acct|account|a/c|member(?:\s+id)?|policy|plan|subscriber|insurance\s+id|group|claim|license|lic|"
        r"dl|driver'?s\s+license|passport|npi|dea|vin|serial|device(?:\s+id)?|certificate|cert|badge|"
        r"employee\s+id|patient\s+id|case|ref(?:erence)?|order|accession|specimen|id|iban|card)"
    )
    _tail = r"(?:\s*(?:number|no\.?|num|#|id))?\s*(?:is|:|#|=)?\s*(?P<phi>(?=[a-z0-9-]*\d)[a-z0-9][a-z0-9-]{2,}[a-z0-9])\b"
    patterns = (
        ("MRN", r"\b" + _mrn + _tail),
        ("ID", r"\b" + _other + _tail),
        ("ID", r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b"),
        ("ID", r"(?<![\w.-])(?=[a-z0-9]*\d[a-z0-9]*\d)(?=[a-z0-9]*[a-z])[a-z0-9]{6,}(?![\w-])"),
        ("ID", r"(?<![\w.,/-])\d{7,}(?![\w.,/-]?\d)"),
        ("ID", r"(?<![\w-])(?:\d{4}[- ]){3}\d{1,7}(?![\w-])"),
        ("ID", r"\b[a-z]{2}\d{2}(?:\s?[a-z0-9]{4}){2,7}(?:\s?[a-z0-9]{1,4})?\b"),
    )
    _units = re.compile(
        r"^\d+(?:mg|mcg|ml|kg|mm|cm|g|l|units?|hrs?|h|am|pm|st|nd|rd|th|x|yo)$", re.IGNORECASE
    )

    def validate(self, match: re.Match[str], type_: str, text: str) -> str | None:
        value = match.group("phi") if "phi" in match.re.groupindex and match.group("phi") else match.group(0)
        if self._units.match(value):
            return None
        if "phi" not in match.re.groupindex and value.isalnum() and not value.isdigit():
            # Shape-only alphanumerics: need letters and 4+ digits (e.g. S99940903), not "COVID19".
            if sum(c.isdigit() for c in value) < 4:
                return None
        return type_


@register
class ZipDetector(PatternDetector):
    name = "zip"
    types = ("ZIP",)
    lowercase = True
    patterns = (
        ("ZIP", r"(?<![\d-])\d{5}-\d{4}(?![\d-])"),
        ("ZIP", r"(?:zip(?:\s*code)?|postal\s+code)\s*:?\s*(?P<phi>\d{5})\b"),
        ("ZIP", r"(?<=[A-Za-z.,]\s)(?P<phi>\d{5})(?![\d-])"),
    )
    _state: ClassVar[re.Pattern[str]] = re.compile(r"([A-Za-z][A-Za-z ]*[A-Za-z])\.?,?\s+$")

    def validate(self, match: re.Match[str], type_: str, text: str) -> str | None:
        if match.re.pattern.startswith("(?<=[A-Za-z.,]"):
            state = self._state.search(text[max(0, match.start() - 24) : match.start()])
            if not state:
                return None
            words = state.group(1)
            last = words.split()[-1]
            if last.upper() not in state_abbreviations() and not any(
                words.lower().endswith(s) for s in state_names()
            ):
                return None
        return type_


@register
class AgeDetector(PatternDetector):
    """Ages over 89 (younger ages are not identifiers under Safe Harbor)."""

    name = "age"
    types = ("AGE",)
    lowercase = True
    _age = r"(?P<phi>9\d|1[0-2]\d)"
    patterns = (
        ("AGE", r"\b" + _age + r"(?:\s*|-)(?:years?|yrs?|y\.?o\.?|y/o|yo|year-old|yr-old)\b"),
        ("AGE", r"\b(?:age[ds]?|aged)\s*:?\s*" + _age + r"\b"),
        ("AGE", r"\b" + _age + r"(?:\s*|-)(?:m|f|male|female|man|woman|gentleman|lady)\b(?!\w)"),
        ("AGE", r"\b(?:in\s+(?:his|her|their)\s+)(?P<phi>(?:9|1[0-2])0'?s)\b"),
        ("AGE", r"\b(?P<phi>nonagenarian|centenarian)\b"),
    )
