"""Surrogate PHI in the shapes real notes use, each returned as gold markup.

Values come from Faker (several locales) and from the invented lists below, never from
the US Census / SSA lists the detectors use, so recall here is not inflated by a shared
word list. Every method returns a marked string: ``[[TYPE.subtype|value]]`` (see
``medfoundry.synth.notes_markup``) with the surrounding words (titles, credentials,
relation words) outside the span.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from faker import Faker

LOCALES = (
    "en_US",
    "en_US",
    "en_US",
    "en_GB",
    "en_IE",
    "en_CA",
    "en_AU",
    "es_MX",
    "it_IT",
    "pl_PL",
    "fr_FR",
    "pt_BR",
    "de_DE",
)

# Invented place-name parts; towns are built from them (or from a Faker surname).
TOWN_PREFIXES = ("north ", "south ", "east ", "west ", "new ", "port ", "fort ", "mount ", "lake ", "")
TOWN_ROOTS = ("ash", "birch", "cedar", "elm", "fair", "glen", "green", "hollis", "king", "lin", "marl", "oak",
              "pine", "red", "rock", "spring", "stone", "wal", "west", "wood", "brook", "clay", "dun", "fox")  # fmt: skip
TOWN_SUFFIXES = ("field", "ford", "haven", "ton", "ville", "dale", "wood", "bury", "port", "ridge", "brook", "boro", " falls", " heights", " center")  # fmt: skip
HOSPITAL_PATTERNS = ("{town} General Hospital", "{town} Memorial Hospital", "{town} Medical Center", "{town} Regional",
                     "{town} Community Hospital", "St. {saint}'s", "St. {saint}'s Hospital", "{town} General",
                     "{town} Memorial", "{town} VA")  # fmt: skip
SAINTS = ("Jerome", "Agatha", "Brendan", "Cecilia", "Ignatius", "Monica", "Benedict", "Clare", "Ambrose", "Lucy", "Dymphna", "Casimir")  # fmt: skip
NAMED_HOSPITALS = ("Holy Cross", "Good Samaritan", "Mercy", "Sacred Heart", "Harbor", "Bayside", "Riverbend", "Lakeview",
                   "Kensington Memorial", "Hillcrest", "Northgate", "Sunnyvale Med Ctr", "Providence")  # fmt: skip
HOSPITAL_ABBREVIATIONS = ("GH", "VAMC", "UH", "MMC", "SJH", "BMC", "CMC", "RGH", "NGH", "SVH")
STATES = ("MA", "NH", "RI", "CT", "NY", "ME", "VT", "ohio", "florida", "mass", "jersey")
STREET_KINDS = ("St", "Street", "Rd", "Road", "Ave", "Lane", "Dr", "Way", "Terrace", "Ct")
RELATIONS = ("son", "wife", "dtr", "daughter", "sister", "husband", "friend", "brother", "mother", "niece",
             "nephew", "girlfriend", "boyfriend", "neighbor", "HCP", "grandson", "granddaughter", "father")  # fmt: skip
CREDENTIALS = ("RN", "RRT", "CRT", "NP", "PA", "MD", "PA-C", "DPT", "RN, BSN", "SN", "LPN")
# Surnames that are also words or eponyms: a name only by context (Dr. May, Dr. Alzheimer).
WORD_SURNAMES = ("May", "Ward", "Hope", "Rose", "Gray", "Frank", "Hill", "Stone", "Wells", "Bell", "Graves", "Foley",
                 "Parkinson", "Alzheimer", "Harbor", "Mark", "Bill", "Young", "Love", "King")  # fmt: skip
WORD_FIRST_NAMES = (
    "May",
    "Hope",
    "Rose",
    "Joy",
    "Bill",
    "Mark",
    "Frank",
    "Faith",
    "Grace",
    "Will",
    "Sunny",
    "Dawn",
)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")  # fmt: skip


def _ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def make_fakers() -> dict[str, Faker]:
    """One Faker per locale; ``SurrogatePHI`` reseeds them for each note."""
    return {locale: Faker(locale) for locale in dict.fromkeys(LOCALES)}


def mark(value: str, label: str) -> str:
    return f"[[{label}|{value}]]"


class SurrogatePHI:
    """Draws surrogate identifiers for one note (seeded by the caller's ``rng``)."""

    def __init__(self, rng: random.Random, fakers: dict[str, Faker] | None = None) -> None:
        self.rng = rng
        self._fakers = fakers if fakers is not None else make_fakers()
        for faker in self._fakers.values():
            faker.seed_instance(rng.randrange(2**32))

    def _faker(self) -> Faker:
        return self._fakers[self.rng.choice(LOCALES)]

    def first(self) -> str:
        if self.rng.random() < 0.06:
            return self.rng.choice(WORD_FIRST_NAMES)
        return str(self._faker().first_name()).split()[0]

    def last(self) -> str:
        if self.rng.random() < 0.06:
            return self.rng.choice(WORD_SURNAMES)
        name = str(self._faker().last_name())
        return name if self.rng.random() > 0.08 else f"{name}-{self._faker().last_name()}"

    def _case(self, value: str, lower: float = 0.15, upper: float = 0.1) -> str:
        draw = self.rng.random()
        return value.lower() if draw < lower else value.upper() if draw < lower + upper else value

    # Names -----------------------------------------------------------------------------
    def patient(self) -> str:
        first, last = self.first(), self.last()
        form = self.rng.choice(("{l}, {f}", "{f} {l}", "{F}. {l}", "{l}"))
        value = form.format(f=first, l=last, F=first[0])
        if form == "{l}":
            return f"{self.rng.choice(('Mr.', 'Ms.', 'Mrs.', 'MR', 'MS'))} {mark(self._case(value), 'NAME.patient')}"
        return mark(self._case(value), "NAME.patient")

    def clinician(self) -> str:
        rng, first, last = self.rng, self.first(), self.last()
        middle = chr(rng.randint(65, 90))
        credential = rng.choice(CREDENTIALS)
        forms = (
            ("Dr. ", f"{last}", ""),
            ("dr. ", f"{first} {last}".lower(), ""),
            ("DR. ", f"{last}".upper(), ""),
            ("Dr ", f"{first} {last}", ""),
            ("", f"{first} {middle}. {last}".upper(), f", {credential}"),
            ("", f"{first[0]}. {last}".lower(), f" {credential.lower()}"),
            ("", f"{first} {last}", f", {credential}"),
            ("", f"{first[0]}.{last}", f",{credential}"),
            ("", f"{first} {last}".upper(), f" {credential}"),
            (
                f"{rng.choice(('NP', 'PA', 'RN', 'covering resident', 'attending', 'house officer'))} ",
                f"{first} {last}",
                "",
            ),
        )
        before, value, after = rng.choice(forms)
        return f"{before}{mark(value, 'NAME.clinician')}{after}"

    def relative(self) -> str:
        relation = self._case(self.rng.choice(RELATIONS), lower=0.4, upper=0.3)
        name = self.first() if self.rng.random() < 0.75 else f"{self.first()} {self.last()}"
        form = self.rng.choice(("{r} {n}", "{r} {n}", "{r} ({n})", "{r}, {n},"))
        return form.format(r=relation, n=mark(self._case(name, lower=0.3, upper=0.15), "NAME.relative"))

    # Places ----------------------------------------------------------------------------
    def town(self) -> str:
        rng = self.rng
        if rng.random() < 0.3:
            base = f"{self.last()}{rng.choice(('ville', 'ton', 'field', 'burg'))}"
        else:
            base = rng.choice(TOWN_PREFIXES) + rng.choice(TOWN_ROOTS) + rng.choice(TOWN_SUFFIXES)
        return base.title() if rng.random() < 0.5 else base.lower()

    def city(self) -> str:
        town = mark(self.town(), "LOCATION.city")
        if self.rng.random() < 0.2:
            return f"{town}, {mark(self.rng.choice(STATES), 'LOCATION.state')}"
        return town

    def hospital(self) -> str:
        rng = self.rng
        draw = rng.random()
        if draw < 0.3:
            value = rng.choice(HOSPITAL_ABBREVIATIONS)
        elif draw < 0.55:
            value = rng.choice(NAMED_HOSPITALS)
        else:
            value = rng.choice(HOSPITAL_PATTERNS).format(town=self.town().title(), saint=rng.choice(SAINTS))
        return mark(self._case(value, lower=0.2, upper=0.2), "LOCATION.hospital")

    def address(self) -> str:
        rng = self.rng
        street = f"{rng.randint(1, 9999)} {self._faker().last_name()} {rng.choice(STREET_KINDS)}"
        zip_code = f"{rng.randint(1000, 99999):05d}"
        return f"{mark(street, 'ADDRESS.street')}, {mark(self.town().title(), 'LOCATION.city')} {mark(zip_code, 'ZIP')}"

    # Numbers ---------------------------------------------------------------------------
    def phone(self) -> str:
        rng = self.rng
        area, exchange, line = rng.randint(201, 989), rng.randint(201, 989), rng.randint(0, 9999)
        form = rng.choice(
            (
                "{a}-{e}-{l}",
                "({a}) {e}-{l}",
                "{a}- {e}- {l}",
                "{a} {e} {l}",
                "{a}.{e}.{l}",
                "({a}){e}-{l}",
                "1-{a}-{e}-{l}",
            )
        )
        return mark(form.format(a=area, e=exchange, l=f"{line:04d}"), "PHONE.phone")

    def pager(self) -> str:
        rng = self.rng
        digits = (
            str(rng.randint(1000, 99999))
            if rng.random() < 0.8
            else f"{rng.randint(1, 9)}-{rng.randint(1000, 9999)}"
        )
        word = rng.choice(("Pager #", "pager ", "PG ", "pg ", "beeper ", "p#", "PGR ", "pgr #"))
        return f"{word}{mark(digits, 'PHONE.pager')}"

    def extension(self) -> str:
        return f"{self.rng.choice(('ext ', 'ext. ', 'x', 'X '))}{mark(str(self.rng.randint(1000, 9999)), 'PHONE.ext')}"

    def mrn(self) -> str:
        rng = self.rng
        value = rng.choice(
            (
                f"{rng.randint(0, 99999999):08d}",
                f"{rng.randint(10, 99)}-{rng.randint(10, 99)}-{rng.randint(100, 999)}",
                f"{rng.randint(1000000, 9999999)}",
            )
        )
        return f"{rng.choice(('MRN ', 'MRN: ', 'MR# ', 'Unit No: '))}{mark(value, 'MRN')}"

    def account(self) -> str:
        return f"acct # {mark(str(self.rng.randint(10**9, 10**10 - 1)), 'ID.account')}"

    def email(self) -> str:
        value = f"{self.first().lower()}.{self.last().lower().replace(' ', '')}{self.rng.randint(1, 99)}@{self.rng.choice(('examplemail.com', 'mailbox.example.org', 'inbox.example.net'))}"
        return mark(value, "EMAIL")

    def old_age(self) -> str:
        return mark(str(self.rng.randint(90, 104)), "AGE")

    # Dates -----------------------------------------------------------------------------
    def when(self) -> date:
        return date(1985, 1, 1) + timedelta(days=self.rng.randint(0, 16000))

    def date(self) -> str:
        rng, d = self.rng, self.when()
        forms = (
            f"{d.month}/{d.day}",
            f"{d.month}/{d.day}/{d.year % 100:02d}",
            f"{d.month}/{d.year % 100:02d}",
            f"{d.month:02d}/{d.day:02d}/{d.year}",
            f"{MONTHS[d.month - 1]} {_ordinal(d.day)}",
            f"{MONTHS[d.month - 1][:3].upper()} {d.year}",
            f"{MONTHS[d.month - 1].lower()} of {d.year}",
            f"{d.month}-{d.day}",
            d.isoformat(),
            f"{MONTHS[d.month - 1][:3]} {d.day}",
        )
        return mark(rng.choice(forms), "DATE")

    def year(self) -> str:
        year = self.when().year
        return mark(f"'{year % 100:02d}" if self.rng.random() < 0.5 else str(year), "DATE.year")
