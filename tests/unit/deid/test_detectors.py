"""Table tests for every detector: what it must find, and what it must leave alone."""

from __future__ import annotations

import pytest

from medfoundry.deid import analyze_text
from medfoundry.deid.detectors import DEFAULT_DETECTORS, DETECTORS


def found(detector: str, text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.type) for s in DETECTORS.get(detector)().find(text)]


POSITIVE = [
    ("email", "write to jane.doe@example.org today", "jane.doe@example.org", "EMAIL"),
    ("url", "see https://portal.example.com/x?id=3.", "https://portal.example.com/x?id=3", "URL"),
    ("url", "visit www.example.org for info", "www.example.org", "URL"),
    ("url", "domain stmarys.org hosts it", "stmarys.org", "URL"),
    ("ip", "from 192.168.10.24 at login", "192.168.10.24", "IP"),
    ("ip", "v6 2001:db8::8a2e:370:7334 seen", "2001:db8::8a2e:370:7334", "IP"),
    ("phone", "call (617) 555-1234 now", "(617) 555-1234", "PHONE"),
    ("phone", "call 617-555-1234 x204", "617-555-1234 x204", "PHONE"),
    ("phone", "pager 555-1234", "555-1234", "PHONE"),
    ("phone", "fax 617.555.9999", "617.555.9999", "FAX"),
    ("phone", "call 1-800-555-1234", "1-800-555-1234", "PHONE"),
    ("phone", "mobile 0490 75 40 81", "0490 75 40 81", "PHONE"),
    ("phone", "tel +41 (0)96 471 07 95", "+41 (0)96 471 07 95", "PHONE"),
    ("ssn", "SSN 123-45-6789 on file", "123-45-6789", "SSN"),
    ("ssn", "social security number: 123456789", "123456789", "SSN"),
    ("id", "MRN: 00123456", "00123456", "MRN"),
    ("id", "medical record number 7788123", "7788123", "MRN"),
    ("id", "acct# A1234567 closed", "A1234567", "ID"),
    ("id", "license no. S99940903", "S99940903", "ID"),
    ("id", "passport X53631011X", "X53631011X", "ID"),
    ("id", "device serial SN-88213-XQ", "SN-88213-XQ", "ID"),
    ("id", "ref 78eb1ea7-7e46-5eba-a5d7-108eba5d294b", "78eb1ea7-7e46-5eba-a5d7-108eba5d294b", "ID"),
    ("zip", "Emporia, KS 66801", "66801", "ZIP"),
    ("zip", "zip code 02115", "02115", "ZIP"),
    ("zip", "Boston MA 02115-4321", "02115-4321", "ZIP"),
    ("age", "a 93 yo woman", "93", "AGE"),
    ("age", "aged 101, alert", "101", "AGE"),
    ("age", "92-year-old man", "92", "AGE"),
    ("date", "seen 7/22 for f/u", "7/22", "DATE"),
    ("date", "on 07/22/2019", "07/22/2019", "DATE"),
    ("date", "on July 22 at clinic", "July 22", "DATE"),
    ("date", "on 22-Jul-19 labs", "22-Jul-19", "DATE"),
    ("date", "dated 2019-07-22", "2019-07-22", "DATE"),
    ("date", "since the 22nd of", "22nd", "DATE"),
    ("date", "at 2019-07-22T10:22:16-05:00 arrived", "2019-07-22T10:22:16-05:00", "DATE"),
    ("date", "on 07/22/2019 14:30 vitals", "07/22/2019 14:30", "DATE"),
    ("date", "in Jul 2019", "Jul 2019", "DATE"),
    ("address", "lives at 633 Abernathy Landing now", "633 Abernathy Landing", "ADDRESS"),
    ("address", "at 12 N. Main St. Apt 4 today", "12 N. Main St. Apt 4", "ADDRESS"),
    ("facility", "transferred to St Brendan Hospital today", "St Brendan Hospital", "LOCATION"),
    ("facility", "pt at st brendan hosp", "st brendan hosp", "LOCATION"),
    ("facility", "from NEWMAN REGIONAL HEALTH", "NEWMAN REGIONAL HEALTH", "LOCATION"),
    ("city", "moved to Springfield last year", "Springfield", "LOCATION"),
    ("name", "Seen by Dr. Okafor today", "Okafor", "NAME"),
    ("name", "pt seen by dr okafor, wife marta at bedside", "okafor", "NAME"),
    ("name", "Patient John Smith arrived", "John Smith", "NAME"),
    ("name", "signed Sarah Jones, MD", "Sarah Jones", "NAME"),
    ("name", "PT SEEN BY DR OKAFOR", "OKAFOR", "NAME"),
    ("name", "Sumiko254 Larue605 is a 60 year-old", "Sumiko254 Larue605", "NAME"),
]


@pytest.mark.parametrize(("detector", "text", "value", "type_"), POSITIVE)
def test_detector_finds(detector: str, text: str, value: str, type_: str) -> None:
    assert (value, type_) in found(detector, text)


NEGATIVE = [
    ("phone", "BP 120/80, HR 72, 2 tabs 325 mg"),
    ("phone", "on 01.02.2019, wbc 10.2 11.5 12.8, INR 2.3 2.1 2.0"),
    ("ssn", "dose 1 - 2 tabs, 3 times"),
    ("id", "HbA1c 7.2, COVID19 negative, B12 low, q12h"),
    ("id", "gave 1000 mg"),
    ("date", "take 1/2 tab; BP 120/80; may be discharged; 5.5 mg"),
    ("zip", "platelets 15000 and 22000 after"),
    ("age", "a 45 yo man, aged 60"),
    ("ip", "version 1.2.3 of the tool"),
    ("address", "take 2 tablets by mouth three times a day"),
    ("facility", "went to the hospital; mental health"),
    ("name", "Patient identifies as heterosexual and has full-time employment."),
    ("name", "AFIB on warfarin, INR 2.3, O2 2L q2h, PT/INR, Lasix and Coumadin given."),
    ("name", "I'm sure they're fine, don't worry."),
    ("city", "Mobile phone and Independence of the patient"),
]


@pytest.mark.parametrize(("detector", "text"), NEGATIVE)
def test_detector_leaves_alone(detector: str, text: str) -> None:
    assert found(detector, text) == []


MEDICAL_WORDS = [
    "AFIB",
    "PT",
    "INR",
    "O2",
    "q2h",
    "warfarin",
    "Lasix",
    "Coumadin",
    "Zofran",
    "metoprolol",
    "CHF",
    "COPD",
    "SOB",
    "PRN",
    "bid",
    "NPO",
]


@pytest.mark.parametrize("word", MEDICAL_WORDS)
def test_medical_words_are_not_phi(word: str) -> None:
    for text in (
        f"{word} noted.",
        f"Pt on {word} since admission.",
        f"pt on {word.lower()} since admission",
        f"PT ON {word.upper()} SINCE ADMISSION",
    ):
        assert analyze_text(text) == [], text


def test_every_default_detector_is_registered() -> None:
    for name in DEFAULT_DETECTORS:
        assert name in DETECTORS
    assert "hf" in DETECTORS
