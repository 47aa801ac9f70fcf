"""Detectors for identifiers with a fixed shape: emails, URLs, IPs, phones, SSNs, ids, ZIPs."""

from __future__ import annotations

import ipaddress
import re
import string
from collections.abc import Iterator
from typing import ClassVar

from medfoundry.deid import lexicon
from medfoundry.deid.detectors.base import Pattern, PatternDetector, preceding, register
from medfoundry.deid.detectors.view import LETTERS, SPACE, Digits, TextView, Words
from medfoundry.deid.lexicon import state_abbreviations, state_names


@register
class EmailDetector(PatternDetector):
    name = "email"
    types = ("EMAIL",)
    gate = ("@",)
    patterns = (("EMAIL", r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b"),)
    _local = frozenset(string.ascii_letters + string.digits + "._%+-")

    def matches(
        self, spec: Pattern, pattern: re.Pattern[str], subject: str, view: TextView
    ) -> Iterator[re.Match[str]]:
        if not view.fast:
            return super().matches(spec, pattern, subject, view)
        return self._at_signs(pattern, subject)

    def _at_signs(self, pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
        """``pattern.finditer(text)`` from the "@"s: a match is the whole run of local-part
        characters before an "@" (what is left of it after the last match), then the domain."""
        end = 0
        at = text.find("@")
        while at >= 0:
            start = at
            while start > end and text[start - 1] in self._local:
                start -= 1
            if start < at and (match := pattern.match(text, start)):
                end = match.end()
                yield match
                at = text.find("@", end)
            else:
                at = text.find("@", at + 1)


@register
class UrlDetector(PatternDetector):
    name = "url"
    types = ("URL",)
    lowercase = True
    _tlds = (
        "com",
        "org",
        "net",
        "edu",
        "gov",
        "info",
        "biz",
        "io",
        "co",
        "us",
        "uk",
        "de",
        "fr",
        "ca",
        "au",
        "in",
        "health",
        "mil",
    )
    _dot_tld = r"\.(?:" + "|".join(_tlds) + ")"
    _domain = (
        r"[a-z0-9](?<![@\w.][a-z0-9])(?:[a-z0-9-]{0,61}[a-z0-9])?\.(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*"
        r"(?:" + "|".join(_tlds) + r")\b(?![@\w])"
    )
    patterns = (
        Pattern("URL", r"(?:https?|ftp)://[^\s<>\"')\]]+[^\s<>\"')\].,;:!?]", gate=("://",)),
        Pattern("URL", r"www\.[^\s<>\"')\]]+[^\s<>\"')\].,;:!?]", boundary=True, gate=("www.",)),
        Pattern("URL", _domain, precheck=_dot_tld),
    )
    _host_chars = frozenset(string.ascii_lowercase + string.digits + ".-")

    def matches(
        self, spec: Pattern, pattern: re.Pattern[str], subject: str, view: TextView
    ) -> Iterator[re.Match[str]]:
        if not (view.fast and spec.regex == self._domain):
            return super().matches(spec, pattern, subject, view)
        return self._domains(pattern, subject)

    def _domains(self, pattern: re.Pattern[str], subject: str) -> Iterator[re.Match[str]]:
        """A domain is a run of host characters with a ".tld" in it: search only those runs."""
        end = 0
        for dot in self._prechecks[self._dot_tld].finditer(subject):
            if dot.start() < end:
                continue  # in the run just searched
            start = end = dot.start()
            while start and subject[start - 1] in self._host_chars:
                start -= 1
            while end < len(subject) and subject[end] in self._host_chars:
                end += 1
            # One character past the run, so that the pattern's closing lookahead sees it.
            yield from pattern.finditer(subject, start, end + 1)


@register
class IpDetector(PatternDetector):
    name = "ip"
    types = ("IP",)
    patterns = (
        Pattern("IP", r"\d(?<![\d.]\d)\d{0,2}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?![\d.])", starts=Digits(1, 3, ".")),
        Pattern(
            "IP",
            r"[0-9A-Fa-f](?<![\w:][0-9A-Fa-f])[0-9A-Fa-f]{0,3}:(?:[0-9A-Fa-f]{0,4}:){1,6}[0-9A-Fa-f]{0,4}(?![\w:])",
            gate=(":",),
        ),
    )

    def validate(self, match: re.Match[str], type_: str, text: str) -> str | None:
        try:
            ipaddress.ip_address(match.group(0))
        except ValueError:
            return None
        return type_


_DATE_SHAPE = re.compile(r"^\d{1,4}([./-])\d{1,2}\1\d{1,4}$")


_AREA_CODE = Digits(3, 3, SPACE + ".-")


def _country_code_starts(subject: str, view: TextView) -> list[int]:
    """Where ``+1 ddd ddd dddd`` can start: the "1" (and a "+" before it) and a separator
    just before a run of 3 digits."""
    found = []
    for start in view.starts(_AREA_CODE):
        if start >= 2 and subject[start - 2] == "1" and subject[start - 1] in SPACE + ".-":
            if start >= 3 and subject[start - 3] == "+":
                found.append(start - 3)
            found.append(start - 2)
    return found


_ID_CONTEXT = re.compile(
    r"\b(?:acct|account|mrn|mr|member|policy|claim|unit no|id)\b\W*(?:no\.?|number|#)?\W*$"
)
# Pagers and beepers: "Pager #54321", "PG 33445", "beeper 83554", "pgr: 4410".
_PAGER = (
    r"(?:pager|beeper|pgr|pg|bpr|beep|p(?=\s?#|\s\d{5}(?!\d))|paged(?:\s+at)?|page(?:\s+at)?)\s*(?:#|no\.?|number|num)?\s*[:=]?\s*#?\s*"
    r"(?P<phi>\d{4,6}|\d{3}[-.\s]\d{4}|\d-\d{4})(?![\d/.-]?\d)"
)
# Phones written with spaces around the separators: "212- 476- 8356", "617 .555 .1234".
_SPACED_PHONE = r"\d(?<![\d/-]\d)\d{2}\s?[-.]\s?\d{3}\s?[-.]\s?\d{4}(?![\d-])"
# Spanish numbers (Plan Nacional de Numeración Telefónica, Real Decreto 2296/2004): nine digits, 6-7
# mobile and 8-9 fixed, written in threes ("913 368 000") or, for two-digit provinces, 2-3-2-2
# ("91 336 80 00"). Lab values are written in the same groups ("plaquetas 250 000"), so only after a
# phone word.
_SPANISH_PHONE_3 = r"[6-9](?<![\d/.,-][6-9])\d{2}([ .])\d{3}\1\d{3}(?![\d/]|[.,]\d)"
_SPANISH_PHONE_2 = r"[89](?<![\d/.,-][89])\d([ .])\d{3}\1\d{2}\1\d{2}(?![\d/]|[.,]\d)"
# An extension on its own: "ext 4567", "extension 21045".
_EXTENSION = r"(?:ext\.?|extension)\s*#?\s*(?P<phi>\d{3,5})(?![\d,.]?\d)"
_X_EXTENSION = r"x\s?#?\s?(?P<phi>\d{4,5})(?![\d,.]?\d)"


@register
class PhoneDetector(PatternDetector):
    name = "phone"
    types = ("PHONE", "FAX")
    lowercase = True
    _ext = r"(?:\s*(?:x|ext\.?|extension)\s*\d{1,5})?"
    _country_code = r"(?:\+1|1)[\s.-]\d{3}([\s.-])\d{3}\1\d{4}(?![\d-])" + _ext
    patterns = (
        Pattern("PHONE", r"\((?<![\d-]\()\d{3}\)\s*\d{3}[\s.-]?\d{4}(?!\d)" + _ext),
        Pattern("PHONE", r"(?:\+1|1)[\s.-]?\(\d{3}\)\s*\d{3}[\s.-]?\d{4}(?!\d)" + _ext, gate=("(",)),
        Pattern(
            "PHONE",
            r"\d(?<![\d/-]\d)\d{2}([\s.-])\d{3}\1\d{4}(?![\d-])" + _ext,
            starts=Digits(3, 3, SPACE + ".-"),
        ),
        Pattern("PHONE", _country_code, starts=_country_code_starts),
        Pattern("PHONE", r"\d(?<![\d/.-]\d)\d{9}(?!\d)", starts=Digits(10, 10)),
        Pattern("PHONE", r"\+1\d{10}(?!\d)", gate=("+",)),
        Pattern("PHONE", r"\d(?<![\d/.-]\d)\d{2}-\d{4}(?![\d-])", starts=Digits(3, 3, "-")),
        Pattern(
            "PHONE",
            r"\+(?<![\w.]\+)(?:[2-9]\d{0,2})[\s.-]?(?:\(0\)\s?)?\d{1,4}(?:[\s.-]?\d{2,4}){2,4}(?!\d)",
            gate=("+",),
        ),
        # International and European shapes: 0490 75 40 81, 03.93.92.16.85, 60-56-85-91, (37) 788-063
        Pattern("PHONE", r"0(?<![\d.,/-]0)\d{1,4}(?:[ .-]\d{2,4}){2,4}(?![\d/]|\.\d)"),
        Pattern(
            "PHONE",
            r"\d(?<![\d.,/-]\d)\d([-.])\d{2}\1\d{2}\1\d{2}(?:\1\d{2})?(?![\d/]|\.\d)",
            starts=Digits(2, 2, "-."),
        ),
        Pattern("PHONE", r"\((?<![\w-]\()\d{2,3}\)\s?\d{3,4}[-\s]\d{3,4}(?!\d)", gate=("(",)),
        Pattern(
            "PHONE",
            _PAGER,
            boundary=True,
            precheck=r"p[a-z]{0,5}\s?(?:[#:]|no|num)?\s?#?\s?\d{4}|p[a-z]{0,4}\s?#?\s?\d-\d{4}",
            # its \d{4} begins a run of 4+ digits, at most 13 characters after the "p"
            precheck_near=(Digits(4), 16, 4),
        ),
        Pattern("PHONE", _SPACED_PHONE, starts=Digits(3, 3, SPACE + ".-")),
        Pattern("PHONE", _SPANISH_PHONE_3, starts=Digits(3, 3, " .", first="6789")),
        Pattern("PHONE", _SPANISH_PHONE_2, starts=Digits(2, 2, " .", first="89")),
        Pattern("PHONE", _EXTENSION, boundary=True, gate=("ext",)),
        Pattern("PHONE", _X_EXTENSION, boundary=True, precheck=r"x\s?#?\s?\d{4}"),
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
        "móvil",
        "movil",
        "celular",
        "llamar",
        "número",
    )

    def validate(self, match: re.Match[str], type_: str, text: str) -> str | None:
        if match.re.pattern in (_PAGER, _EXTENSION, _X_EXTENSION):
            return type_
        before = preceding(text, match.start(), 20)
        if match.re.pattern in (_SPANISH_PHONE_3, _SPANISH_PHONE_2):
            # "el número de móvil de su esposa es el 633 349 565": the phone word a clause before
            wider = preceding(text, match.start(), 40)
            return type_ if any(w in wider for w in self._phone_context) else None
        raw = match.group(0)
        digits = re.sub(r"\D", "", raw)
        if raw.isdigit() and not any(w in before for w in self._phone_context):
            return None  # a bare 10-digit number is an id, not a phone, without context
        if (
            raw.isdigit()
            and match.start() >= 2
            and text[match.start() - 1] == "#"
            and text[match.start() - 2].isalnum()
        ):
            return None  # "synthetic-fhir#7024385618": a fragment or digest glued to a name, not "phone #"
        if raw.isdigit() and _ID_CONTEXT.search(before):
            return None  # "acct # 1507811619": the id detector reports it
        if len(digits) == 7 and not any(w in before for w in self._phone_context) and "-" not in raw:
            return None
        if len(digits) < 7 or len(digits) > 14 or _DATE_SHAPE.match(raw):
            return None
        return "FAX" if "fax" in before else type_


@register
class SsnDetector(PatternDetector):
    name = "ssn"
    types = ("SSN",)
    lowercase = True
    patterns = (
        Pattern("SSN", r"\d(?<![\d-]\d)\d{2}([- ])\d{2}\1\d{4}(?![\d-])", starts=Digits(3, 3, "- ")),
        Pattern(
            "SSN",
            r"(?:ssn|social security(?: number| no\.?| #)?)\s*[:#]?\s*(?P<phi>\d{9}|\d{3}[- .]\d{2}[- .]\d{4})\b",
            gate=("ssn", "social"),
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
        r"(?:acct|account|a/c|member(?:\s+id)?|policy|plan|subscriber|insurance(?:\s+id)?|medrec|med\s+rec|group|claim|license|lic|"
        r"dl|driver'?s\s+license|passport|npi|dea|vin|serial|device(?:\s+id)?|certificate|cert|badge|"
        r"employee\s+id|patient\s+id|case|ref(?:erence)?|order|accession|specimen|id|iban|card)"
    )
    _tail = r"(?:\s*(?:number|no\.?|num|#|id))?\s*(?:is|:|#|=)?\s*#?\s*(?P<phi>(?=[a-z0-9-]*\d)[a-z0-9][a-z0-9-]{2,}[a-z0-9])\b"
    _shape = r"[a-z0-9](?<![\w.-][a-z0-9])[a-z0-9]{5,}(?![\w-])"
    # Words that begin every alternative of ``_mrn`` and of ``_other``.
    _at_mrn = Words(("mr", "medical", "unit", "hospital"))
    _at_other = Words(
        tuple(
            "acc a/c member policy plan subscriber insurance medrec med group claim lic dl driver passport npi dea vin "
            "serial device cert badge employee patient case ref order specimen id iban card".split()
        )
    )
    # Spanish labels: "número de expediente 0051937", "su expediente es el 448-2019-77",
    # "número de miembro UHC 914 227 305", "afiliado: A-4471", "póliza 88213".
    _es_tail = (
        r"(?:\s+(?:es|era))?(?:\s+(?:el|la))?\s*(?:n[uú]mero|num\.?|no\.?|#|:)?\s*#?\s*"
        r"(?P<phi>(?:[a-z]{2,5}\s(?=\d))?(?=[a-z0-9-]*\d)[a-z0-9][a-z0-9-]*[a-z0-9](?:\s\d[\d-]*\d){0,4})\b"
    )
    # Spanish record and card labels: NHC (número de historia clínica), CIPA (código de identificación
    # personal autonómico), NASS/NUSS (Seguridad Social affiliation), NUHSA, and a physician's
    # license, "Nº Col." (número de colegiado, Ley 44/2003 de ordenación de las profesiones sanitarias)
    _es_mrn = r"(?:expediente|historia\s+cl[ií]nica|nhc|n\.h\.c\.?)"
    _es_other = (
        r"(?:miembro|afiliad[oa]|afiliaci[oó]n|p[oó]liza|asegurad[oa]|derechohabiente|nss|cipa|nass|nuss|nuhsa|"
        r"(?:n[º°]|n\.[º°]|n[uú]m\.?)\s?col(?:egiad[oa])?\b\.?|colegiad[oa])"
    )
    patterns = (
        Pattern("MRN", _es_mrn + _es_tail, boundary=True, gate=("expediente", "historia cl", "nhc", "n.h.c")),
        Pattern(
            "ID",
            _es_other + _es_tail,
            boundary=True,
            gate=(
                "miembro",
                "afilia",
                "liza",
                "asegurad",
                "derechohab",
                "nss",
                "cipa",
                "nass",
                "nuss",
                "nuhsa",
                "col",
            ),
        ),
        Pattern("MRN", _mrn + _tail, boundary=True, starts=_at_mrn),
        Pattern("ID", _other + _tail, boundary=True, starts=_at_other),
        Pattern(
            "ID",
            r"[0-9a-f](?<![\w-][0-9a-f])[0-9a-f]{7}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b",
            precheck=r"-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-",  # starts with "-", so it scans fast
        ),
        Pattern(
            "ID",
            _shape,
            precheck=r"\d{4}[a-z]|[a-z]\d{4}",
            fast_precheck=(Digits(4, then=LETTERS), Digits(4, lead=1)),
        ),
        Pattern("ID", r"\d(?<![\w.,/-]\d)\d{6,}(?![\w.,/-]?\d)", starts=Digits(7)),
        Pattern("ID", r"\d(?<![\w-]\d)\d{3}[- ](?:\d{4}[- ]){2}\d{1,7}(?![\w-])", starts=Digits(4, 4, "- ")),
        Pattern(
            "ID",
            r"[a-z](?<![\w][a-z])[a-z]\d{2}(?:\s?[a-z0-9]{4}){2,7}(?:\s?[a-z0-9]{1,4})?\b",
            starts=Digits(2, lead=2),
        ),
    )
    _units = re.compile(
        r"^\d+(?:mg|mcg|ml|kg|mm|cm|g|l|units?|hrs?|h|am|pm|st|nd|rd|th|x|yo)$", re.IGNORECASE
    )

    def validate(self, match: re.Match[str], type_: str, text: str) -> str | None:
        value = match.group("phi") if "phi" in match.re.groupindex and match.group("phi") else match.group(0)
        if self._units.match(value):
            return None
        if match.re.pattern == self._shape:
            # Shape only: letters and 4+ digits (S99940903, X53631011X), not "covid19" or "hba1c".
            digits = sum(c.isdigit() for c in value)
            if digits < 4 or digits == len(value):
                return None
        return type_


@register
class ZipDetector(PatternDetector):
    name = "zip"
    types = ("ZIP",)
    lowercase = True
    _after_state = r"\d(?<=[a-z.,]\s\d)\d{4}(?![\d-])"
    # A Spanish address line: the postal code before the town ("08022 Barcelona", "46017 Valencia")
    _before_city = r"\d(?<![\w/.,-]\d)\d{4}(?= [^\W\d_])"
    patterns = (
        Pattern("ZIP", r"\d(?<![\d-]\d)\d{4}-\d{4}(?![\d-])", starts=Digits(5, 5, "-")),
        Pattern("ZIP", r"(?:zip(?:\s*code)?|postal\s+code)\s*:?\s*(?P<phi>\d{5})\b", gate=("zip", "postal")),
        # Spanish "CP: 28035", "C.P. 41001", "código postal 08022", "E-41013" (Correos, código postal)
        Pattern(
            "ZIP",
            r"(?:c\.?\s?p\.?|c[oó]digo\s+postal)\s*:?\s*(?P<phi>(?:e-)?\d{5})(?![\d,.]?\d)",
            boundary=True,
            gate=("cp", "c.p", "c. p", "postal"),
        ),
        Pattern("ZIP", _before_city, starts=Digits(5, 5, " ")),
        Pattern("ZIP", _after_state, starts=Digits(5, 5)),
    )
    _state: ClassVar[re.Pattern[str]] = re.compile(r"([A-Za-z][A-Za-z ]*[A-Za-z])\.?,?\s+$")

    def validate(self, match: re.Match[str], type_: str, text: str) -> str | None:
        if match.re.pattern == self._before_city:
            town = re.match(r" ([^\W\d_][^\W\d_]+(?: [^\W\d_]+)?)", text[match.end() : match.end() + 40])
            if town is None or not town.group(1)[:1].isupper():
                return None
            words = town.group(1).split()
            if not any(" ".join(words[:n]).lower() in lexicon.cities() for n in (2, 1)):
                return None
            return type_
        if match.re.pattern == self._after_state:
            state = self._state.search(text[max(0, match.start() - 24) : match.start()])
            if not state:
                return None
            words = state.group(1)
            last = words.split()[-1]
            # ", Laredo, 78046": a capitalized city and a comma before the ZIP count as a state does
            city = (
                last[:1].isupper()
                and last.lower() in lexicon.cities()
                and state.group(0).rstrip().endswith(",")
            )
            if (
                not city
                and last.upper() not in state_abbreviations()
                and not any(words.lower().endswith(s) for s in state_names())
            ):
                return None
        return type_


_NOT_AGE_AFTER = r"(?![\d.,%/:]\d|\s*(?:%|kg|lb|mg|cm|f\b|c\b|degrees|am\b|pm\b|min|bpm|over|/|percent))"
_AGE_VERB = (
    r"(?:turned|turns|turning|cumple|cumpli[oó]|cumplir[aá]|(?:he|she|i)['\u2019](?:s|m)|i\s+am)"
    r"\s+(?:now\s+|almost\s+|already\s+|ya\s+)?(?P<phi>9\d|10\d)" + _NOT_AGE_AFTER + r"\b"
)
_NAMED_AGE = r"(?P<who>[a-z]{3,})\s+is\s+(?:now\s+)?(?P<phi>9\d|1[01]\d)" + _NOT_AGE_AFTER + r"\b"
_MEASURED = re.compile(
    r"(?i:sugar|glucose|bs|bg|reading|temp|fever|sat|o2|oxygen|pressure|bp|pulse|heart rate|hr|weight|score|level|"
    r"az[uú]car|glucosa|presi[oó]n|temperatura|oxigenaci[oó]n|pulso)\b"
)
# Relatives and people whose "is 9x" is an age ("my grandmother is 94").
_AGE_PEOPLE = frozenset(
    "mom mother dad father grandma grandpa grandmother grandfather granny nana aunt uncle husband wife".split()
)


@register
class AgeDetector(PatternDetector):
    """Ages over 89 (younger ages are not identifiers under Safe Harbor)."""

    name = "age"
    types = ("AGE",)
    lowercase = True
    _age = r"(?P<phi>9\d|1[0-2]\d)"
    # Not inside a longer number (``boundary`` drops those anyway): a whole run of 2-3 digits.
    _lone_age = r"(?<!\d)" + _age
    patterns = (
        Pattern(
            "AGE",
            _lone_age + r"(?:\s*|-)(?:years?|yrs?|y\.?o\.?|y/o|yo|year-old|yr-old)\b",
            boundary=True,
            starts=Digits(2, 3, SPACE + "-y", first="19"),
        ),
        Pattern("AGE", r"age[ds]?\s*:?\s*" + _age + r"\b", boundary=True, starts=Words(("age",))),
        Pattern(
            "AGE",
            _lone_age + r"(?:\s*|-)(?:m|f|male|female|man|woman|gentleman|lady)\b",
            boundary=True,
            starts=Digits(2, 3, SPACE + "-fglmw", first="19"),
        ),
        Pattern(
            "AGE", r"in\s+(?:his|her|their)\s+(?P<phi>(?:9|1[0-2])0'?s)\b", boundary=True, gate=("0s", "0's")
        ),
        Pattern("AGE", r"(?:nonagenarian|centenarian)\b", boundary=True, gate=("genarian",)),
        # "she is 97, lives with dtr"
        Pattern(
            "AGE",
            r"(?:he|she|pt|patient)\s+(?:is|was)\s+(?:now\s+)?(?P<phi>9\d|1[01]\d)(?![\d.%/]|\s*(?:%|kg|lb|mg|cm|f\b|c\b))\b",
            boundary=True,
            precheck=r"(?:is|was) (?:now )?(?:9\d|1[01]\d)\b",
            precheck_near=(Digits(2, 3, first="19"), 8, 4),  # "was now " before the age's digits
        ),
        # "turned 100", "He's 90", "I'm 92", "cumplió 95": an age verb before an age over 89
        Pattern(
            "AGE",
            _AGE_VERB,
            boundary=True,
            precheck=r"(?:turn\w*|cumpl\w*|['\u2019][sm]|i am)\s+(?:now\s+|almost\s+|already\s+|ya\s+)?(?:9\d|10\d)\b",
            precheck_near=(Digits(2, 3, first="19"), 28, 4),  # "cumpliría already " before the digits
        ),
        # "Ruth Ellingson is 97 and ...", "Grandma is 93.": a name or a relative, then "is"
        Pattern(
            "AGE",
            _NAMED_AGE,
            boundary=True,
            precheck=r" is (?:9\d|1[01]\d)\b",
            precheck_near=(Digits(2, 3, first="19"), 4, 4),
        ),
        # "tiene 95 años", "tengo 90 anos", "mi abuela de 97 años"
        Pattern(
            "AGE",
            _age + r"\s+(?:años|anos|añitos)\b",
            boundary=True,
            gate=("años", "anos", "añitos"),
            starts=Digits(2, 3, SPACE, first="19"),
        ),
    )

    def validate(self, match: re.Match[str], type_: str, text: str) -> str | None:
        if match.re.pattern not in (_NAMED_AGE, _AGE_VERB):
            return type_
        if _MEASURED.search(text, max(0, match.start() - 60), match.start()):
            return None  # "his sugar went low ... now he's 102": a reading, not an age
        if match.re.pattern == _AGE_VERB:
            return type_
        word = match.group("who")
        original = text[match.start("who") : match.end("who")]
        if word in _AGE_PEOPLE:
            return type_
        # A capitalized name or a rare word: "Ellingson is 97", "Quaranti is 96", not "Glucose is 95".
        rare = max(lexicon.zipf(word), lexicon.zipf_es(word))
        named = (lexicon.is_name_word(word) and rare < 3.5) or (rare < 2.5 and not lexicon.is_clinical(word))
        return type_ if original[:1].isupper() and named else None
