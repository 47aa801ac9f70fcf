"""Realistic ICU, nursing, respiratory, neonatal and discharge notes with gold PHI spans.

Written from scratch with a clinical vocabulary (``notes_vocab``) and surrogate PHI in
real-note shapes (``notes_phi``): telegraphic lines, ALL-CAPS and all-lowercase notes as
well as mixed case, measurements that look like dates or phones, clinicians with
credentials, relatives after relation words, hospital short names, pagers. Deterministic
by seed. Split rule (tests/data/deid/README.md): seeds 0-999 tune, 1000-1999 report.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

from faker import Faker

from medfoundry.synth import notes_vocab as vocab
from medfoundry.synth.notes_markup import GoldNote, GoldSpan, parse_marked
from medfoundry.synth.notes_phi import SurrogatePHI, make_fakers, mark

NOTE_KINDS = ("nursing", "respiratory", "discharge", "neonatal", "event")
CASE_STYLES = ("mixed", "upper", "lower")
TUNE_SEEDS = range(0, 1000)
REPORT_SEEDS = range(1000, 2000)

PhiLine = Callable[[SurrogatePHI, random.Random], str]


def _social(p: SurrogatePHI, rng: random.Random) -> str:
    return rng.choice(
        (
            f"SOCIAL: {p.relative()} at bedside, updated on plan.",
            f"{p.relative()} called at {rng.randint(7, 23)}00, wants update in am.",
            f"{p.relative()} is HCP, aware of DNR/DNI.",
            f"{p.relative()} can be reached at {p.phone()}.",
            f"Family meeting w/ {p.relative()} and {p.relative()} at {rng.randint(9, 16)}00.",
            f"spoke with {p.relative()} by phone re goals of care, # {p.phone()}.",
            f"{p.relative()} visiting, brought glasses; lives in {p.city()}.",
        )
    )


def _team(p: SurrogatePHI, rng: random.Random) -> str:
    return rng.choice(
        (
            f"d/w {p.clinician()}, will give {rng.choice([250, 500, 1000])} cc bolus.",
            f"{p.clinician()} aware of BP {rng.randint(78, 90)}/{rng.randint(38, 50)}.",
            f"seen by {p.clinician()} from {rng.choice(('cards', 'renal', 'GI', 'neuro', 'ID', 'surgery'))}.",
            f"Paged covering MD at {p.pager()} re K {rng.randint(55, 65) / 10:.1f}.",
            f"{rng.choice(('ortho', 'renal fellow', 'resident', 'neuro'))} {p.pager()}, no callback in 20 min.",
            f"call CT tech at {p.extension()} when pt ready.",
            f"plan reviewed with {p.clinician()} on rounds.",
        )
    )


def _places(p: SurrogatePHI, rng: random.Random) -> str:
    return rng.choice(
        (
            f"Transferred from {p.hospital()} for {rng.choice(('CABG eval', 'cath', 'ECMO eval', 'higher level of care'))}.",
            f"followed at {p.hospital()} for {rng.choice(('PTSD and DM', 'CHF', 'HD', 'onc'))}.",
            f"pt lives in {p.city()} with {rng.choice(('wife', 'son', 'dtr', 'husband'))}, independent at baseline.",
            f"Was at {p.hospital()} x {rng.randint(2, 14)} days, then to rehab.",
            f"admitted to {p.hospital()} {p.date()} for PNA.",
            f"PCP at {p.hospital()}, last seen {p.date()}.",
            f"from nursing home in {p.city()}, DNR per MOLST.",
        )
    )


def _dates(p: SurrogatePHI, rng: random.Random) -> str:
    return rng.choice(
        (
            f"last colonoscopy {p.date()}.",
            f"CABG {p.date()} at an OSH.",
            f"admitted {p.date()} with CHF exacerbation.",
            f"MI in {p.year()}, stents since.",
            f"LAST ECHO {p.date()}, EF {rng.randint(15, 65)}%.",
            f"blood cx from {p.date()} + GPC.",
            f"flu shot given {p.date()}.",
        )
    )


PHI_LINES: tuple[PhiLine, ...] = (_social, _team, _places, _dates)


def _header(p: SurrogatePHI, rng: random.Random, kind: str) -> list[str]:
    title = {
        "nursing": rng.choice(("NPN 7a-7p", "Nursing progress note 0700-1900", "MICU NSG NOTE", "npn 7p-7a")),
        "respiratory": rng.choice(("Respiratory Care:", "RESP CARE NOTE", "rt note")),
        "discharge": rng.choice(("DISCHARGE SUMMARY", "Discharge Summary")),
        "neonatal": rng.choice(("NICU NSG NOTE", "Neonatology progress note")),
        "event": rng.choice(("Event note", "EVENT NOTE", "Called to bedside")),
    }[kind]
    lines = [title]
    if rng.random() < 0.6:
        lines.append(f"{p.patient()}  {p.mrn()}  Adm: {p.date()}")
    return lines


def _discharge(p: SurrogatePHI, rng: random.Random) -> list[str]:
    age = p.old_age() if rng.random() < 0.2 else str(rng.randint(24, 89))
    sex = rng.choice(("M", "F", "male", "female"))
    return [
        f"Pt is a {age} yo {sex} with {vocab.history(rng)} admitted {p.date()} from {p.hospital()}.",
        f"Hospital course: {vocab.drips(rng)} {vocab.labs(rng)}",
        f"Discharged to {rng.choice(('rehab', 'home with VNA', 'SNF', 'home', 'LTAC'))} on {p.date()}.",
        f"F/u with {p.clinician()} at {p.hospital()} in {rng.randint(1, 4)} wks, {p.phone()}.",
        f"Pt lives at {p.address()}; {p.account()}.",
        f"Questions: {p.email()}" if rng.random() < 0.3 else vocab.systems(rng),
    ]


def _body(p: SurrogatePHI, rng: random.Random, kind: str) -> list[str]:
    if kind == "discharge":
        return _discharge(p, rng)
    if kind == "respiratory":
        lines = list(dict.fromkeys(vocab.vent(rng) for _ in range(rng.randint(2, 4))))
        lines += [vocab.vitals(rng), vocab.labs(rng)]
        lines.append(_team(p, rng))
    elif kind == "neonatal":
        lines = list(dict.fromkeys(vocab.neonatal(rng) for _ in range(rng.randint(3, 6))))
        visit = (
            f"{rng.choice(('Mom', 'mother', 'dad'))} {_relative_name(p)} in to visit, updated by RN.",
            f"MOC {_relative_name(p)} called, # {p.phone()}.",
        )
        lines.append(rng.choice(visit))
        lines.append(_team(p, rng))
    else:
        lines = list(dict.fromkeys(rng.choice(vocab.CLINICAL_LINES)(rng) for _ in range(rng.randint(6, 12))))
        lines += [rng.choice(PHI_LINES)(p, rng) for _ in range(rng.randint(2, 4))]
        rng.shuffle(lines)
        lines = _run_on(lines, rng)
        lines.append(rng.choice(PLANS))
    return lines


PLANS = (
    "PLAN: CONT TO MONITOR, WEAN PRESSORS AS TOL, F/U AM LABS.",
    "plan: cont current mgmt, ?extubate in am.",
    "A/P: stable, cont abx, OOB in am, update family.",
    "Plan: diurese, K/Mg repletion per scale, PT consult.",
)


def _run_on(lines: list[str], rng: random.Random) -> list[str]:
    """Join some neighbouring lines into one run-on line, as busy notes are written."""
    joined: list[str] = []
    for line in lines:
        if joined and rng.random() < 0.35:
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
    return joined


def _relative_name(p: SurrogatePHI) -> str:
    return mark(p.first(), "NAME.relative")


def _signature(p: SurrogatePHI, rng: random.Random, kind: str) -> str:
    if kind == "respiratory":
        credential = rng.choice(("RRT", "CRT", "rrt", "RRT-NPS"))
        return (
            rng.choice((f"RT: {p.clinician()}", f"{p.clinician()}"))
            if rng.random() < 0.5
            else f"{_clinician_with(p, credential)}"
        )
    return p.clinician()


def _clinician_with(p: SurrogatePHI, credential: str) -> str:
    return f"{mark(f'{p.first()} {p.last()}', 'NAME.clinician')}, {credential}"


def _apply_case(text: str, style: str) -> str:
    """Upper- or lower-case a note without changing any offset (1:1 characters only)."""
    if style == "mixed":
        return text
    change = str.upper if style == "upper" else str.lower
    return "".join(c2 if len(c2 := change(c)) == 1 else c for c in text)


def generate_note(rng: random.Random, note_id: str, fakers: dict[str, Faker] | None = None) -> GoldNote:
    """One note with its gold spans; ``meta`` records its kind and case style."""
    phi = SurrogatePHI(rng, fakers)
    kind = rng.choice(NOTE_KINDS)
    style = rng.choices(CASE_STYLES, weights=(5, 3, 2))[0]
    lines = _header(phi, rng, kind) + _body(phi, rng, kind) + [_signature(phi, rng, kind)]
    text, spans = parse_marked("\n".join(lines))
    text = _apply_case(text, style)
    return GoldNote(
        note_id,
        text,
        tuple(GoldSpan(s.start, s.end, s.type, s.subtype) for s in spans),
        {"class": kind, "case": style},
    )


def generate_notes(count: int, seed: int) -> Iterator[GoldNote]:
    """``count`` notes, the same for the same seed."""
    rng, fakers = random.Random(seed), make_fakers()
    for index in range(count):
        yield generate_note(random.Random(rng.randrange(2**63)), f"synth-{seed}-{index:05d}", fakers)
