"""Anonymization operators, one small class each: redact, surrogate, shift, hash.

An operator turns one PHI value into its replacement, given the patient's context
(the project key, the patient's date offset, the date policy). Surrogates are keyed
on (patient, type, value), so the same original gives the same surrogate in every
note and field of that patient, in any process, on any machine with the same key.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

from medfoundry.deid import lexicon
from medfoundry.deid.dateshift import shift_date, year_of
from medfoundry.deid.zip3 import safe_zip
from medfoundry.registry import Registry


@dataclass
class Context:
    """What an operator needs to know about the patient whose text it is changing."""

    key: bytes
    patient_id: str = ""
    date_offset_days: int = 0
    date_policy: str = "shift"  # or "year_only"
    cache: dict[tuple[str, str], str] = field(default_factory=dict)
    # Lower-cased words of the patient's real identifiers: a surrogate must never be one of
    # them, or the fake would re-introduce a real name or place (and fail the residual scan).
    avoid: frozenset[str] = frozenset()

    def collides(self, surrogate: str) -> bool:
        words = re.findall(r"[a-z0-9']+", surrogate.lower())
        return surrogate.lower() in self.avoid or any(w in self.avoid for w in words if len(w) > 2)

    def digest(self, *parts: str) -> bytes:
        message = "\x1f".join(parts).encode()
        return hmac.new(self.key, message, hashlib.sha256).digest()


MAX_DRAWS = 16


def _draw(ctx: Context, make: Callable[[list[str]], str]) -> str:
    """A surrogate that is none of the patient's real identifiers (redrawn, keyed, on collision)."""
    value = make([])
    for attempt in range(1, MAX_DRAWS):
        if not ctx.collides(value):
            break
        value = make([str(attempt)])
    return value


class Operator:
    name: ClassVar[str] = ""

    def apply(self, value: str, type_: str, ctx: Context) -> str:
        raise NotImplementedError


OPERATORS: Registry[type[Operator]] = Registry("de-identification operator")


def _register(cls: type[Operator]) -> type[Operator]:
    OPERATORS.register(cls.name, cls)
    return cls


def pseudonym(key: bytes, value: str, *, kind: str = "id", length: int = 16) -> str:
    """A keyed, stable pseudonym for an identifier (HMAC-SHA256 with the project key)."""
    return hmac.new(key, f"{kind}\x1f{value}".encode(), hashlib.sha256).hexdigest()[:length]


@_register
class Redact(Operator):
    """``[NAME]``, ``[DATE]``, …"""

    name = "redact"

    def apply(self, value: str, type_: str, ctx: Context) -> str:
        return f"[{type_}]"


@_register
class Hash(Operator):
    """``[NAME-3fa4c2d1]``: the same value gives the same tag across the whole project."""

    name = "hash"

    def apply(self, value: str, type_: str, ctx: Context) -> str:
        return f"[{type_}-{pseudonym(ctx.key, value.lower(), kind=type_, length=8)}]"


@_register
class Shift(Operator):
    """Dates moved by the patient's offset in their own format (or cut to the year)."""

    name = "shift"

    def apply(self, value: str, type_: str, ctx: Context) -> str:
        if ctx.date_policy == "year_only":
            return year_of(value) or f"[{type_}]"
        shifted = shift_date(value, ctx.date_offset_days)
        return shifted if shifted is not None else f"[{type_}]"


def _match_case(original: str, fake: str) -> str:
    if original.isupper() and len(original) > 1:
        return fake.upper()
    if original.islower():
        return fake.lower()
    return fake


@_register
class Surrogate(Operator):
    """Realistic fake values (Faker, seeded by a keyed hash of the original)."""

    name = "surrogate"
    _faker: ClassVar[object | None] = None

    @classmethod
    def faker(cls):  # type: ignore[no-untyped-def]
        if cls._faker is None:
            from faker import Faker

            cls._faker = Faker("en_US")
        return cls._faker

    def apply(self, value: str, type_: str, ctx: Context) -> str:
        if type_ == "DATE":
            return Shift().apply(value, type_, ctx)
        if type_ == "NAME":
            return self._name(value, ctx)
        if type_ == "AGE":
            return "90+"
        if type_ == "ZIP":
            return safe_zip(value)
        normalized = re.sub(r"\W+", " ", value.lower()).strip()
        cached = ctx.cache.get((type_, normalized))
        if cached is None:
            cached = ctx.cache[(type_, normalized)] = _draw(
                ctx, lambda extra: self._fake(type_, ctx.digest(ctx.patient_id, type_, normalized, *extra))
            )
        return _match_case(value, cached)

    def _name(self, value: str, ctx: Context) -> str:
        """Each word of a name maps on its own, so 'Marta' and 'Marta Diaz' stay consistent."""

        def one(match: re.Match[str]) -> str:
            word = match.group(0)
            base = word.rstrip("0123456789").lower()
            if len(base) == 1:
                return word
            kind = "first" if base in lexicon.first_names() else "last"
            cached = ctx.cache.get(("NAME", base))
            if cached is None:
                fake = self.faker()

                def make(extra: list[str]) -> str:
                    seed = ctx.digest(ctx.patient_id, "NAME", base, *extra)
                    fake.seed_instance(int.from_bytes(seed[:8], "big"))  # type: ignore[attr-defined]
                    return str(fake.first_name() if kind == "first" else fake.last_name())  # type: ignore[attr-defined]

                cached = ctx.cache[("NAME", base)] = _draw(ctx, make)
            return _match_case(word, cached)

        return re.sub(r"[A-Za-z][A-Za-z'\u2019-]*\d*", one, value)

    def _fake(self, type_: str, seed: bytes) -> str:
        fake = self.faker()
        fake.seed_instance(int.from_bytes(seed[:8], "big"))  # type: ignore[attr-defined]
        makers = {
            "LOCATION": lambda: fake.city(),  # type: ignore[attr-defined]
            "ADDRESS": lambda: fake.street_address(),  # type: ignore[attr-defined]
            "PHONE": lambda: f"555-01{seed[8] % 100:02d}",
            "FAX": lambda: f"555-01{seed[8] % 100:02d}",
            "EMAIL": lambda: f"user{seed.hex()[:6]}@example.org",
            "URL": lambda: f"https://example.org/{seed.hex()[:8]}",
            "IP": lambda: f"192.0.2.{seed[8] % 254 + 1}",
        }
        maker = makers.get(type_)
        return maker() if maker else f"{type_}-{seed.hex()[:10]}"
