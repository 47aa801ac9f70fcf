"""Street addresses, facilities (``… Hospital``, ``St Brendan hosp``) and US cities."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator

import yaml

from medfoundry.deid import lexicon
from medfoundry.deid.detectors.base import Detector, matches_at, register
from medfoundry.deid.detectors.names import RELATIONS
from medfoundry.deid.detectors.spanish_forms import closed_class_words
from medfoundry.deid.detectors.view import LETTERS, SPACE, Digits, TextView, Words, text_view
from medfoundry.deid.spans import Span

FACILITY_HEADS = (
    r"hospital|hosp|medical\s+center|med\s+ctr|medical\s+centre|health\s+center|health\s+system|"
    r"healthcare|health\s+care|clinic|infirmary|hospice|nursing\s+home|nursing\s+facility|"
    r"rehabilitation\s+center|rehab\s+center|rehab|memorial|medical\s+group|physicians|"
    r"regional\s+health|health|urgent\s+care|surgery\s+center|cancer\s+center|institute"
)
_HEAD_WORDS = frozenset(head.split("\\s+")[0] for head in FACILITY_HEADS.split("|"))
_AT_HEAD = Words(tuple(sorted(_HEAD_WORDS)))  # every head begins with one of its first words
# Words that may sit inside a facility name even though they are common words.
FACILITY_WORDS = frozenset(
    """st saint mt mount general regional memorial community university county city state valley
    medical childrens children's mercy sacred heart good samaritan baptist methodist presbyterian
    lutheran catholic veterans va north south east west central new united family""".split()
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019&.-]*")
_FUNCTION_WORDS = frozenset("to from at in of on for and or the a an by with via".split())
# A place's proper name never opens with a possessive ("near my work", "to his job"); "our" is left
# out because hospital names open with it ("at Our Lady of Lourdes").
_POSSESSIVES = frozenset("my your his her their its".split())
# Nor with a demonstrative or a quantifier ("at this clinic", "to each of", "in both eyes"); "all" is
# left out ("All Saints").
_DEMONSTRATIVES = frozenset("this that these those each both every some any another other".split())
_NEVER_OPENS_A_PLACE = _FUNCTION_WORDS | _POSSESSIVES | _DEMONSTRATIVES


@functools.cache
def _location_context() -> dict[str, object]:
    data: dict[str, object] = yaml.safe_load(lexicon.data_text("en/location_context.yaml"))
    return data


@functools.cache
def _facility_names_words() -> frozenset[str]:
    names = _location_context()["facility_names"]
    assert isinstance(names, list)
    return frozenset(w.strip(".'") for name in names for w in str(name).lower().split())


@functools.cache
def not_places() -> frozenset[str]:
    """Care settings and clinical words never reported as a place alone (OSH, REHAB, LIMA)."""
    words = _location_context()["not_places"]
    assert isinstance(words, list)
    return frozenset(str(w).lower() for w in words) | care_settings()


@functools.cache
def care_settings() -> frozenset[str]:
    """Care settings, units and facility types (``data/en/care_settings.txt``): OSH, SNF, MICU, L&D."""
    found = set()
    for line in lexicon.data_text("en/care_settings.txt").splitlines():
        entry = " ".join(line.lower().split())
        if entry and not entry.startswith("#"):
            found.add(entry)
    return frozenset(found)


_CARE_WORDS = re.compile(r"[^\W_]+(?:[&'\u2019-][^\W_]+)*")
_CARE_FILLERS = frozenset({"the", "a", "an", "to", "at", "from", "in", "of", "and", "&"})


def is_care_setting(value: str) -> bool:
    """A LOCATION candidate that only names a care setting ("OSH", "LTACH", "acute rehab", "L&D").

    A named facility has words of its own ("Kensington Memorial Hospital") and is no care setting."""
    if value.strip().upper() in lexicon.state_abbreviations():
        return False  # "Portland, OR", "Nashua, NH": a state, though OR and NH are care settings too
    folded = " ".join(value.lower().replace("\u2019", "'").split()).strip(" .,;:")
    settings = care_settings()
    if folded in settings:
        return True
    words = [w for w in _CARE_WORDS.findall(folded) if w not in _CARE_FILLERS]
    return bool(words) and all(w in settings for w in words)


@functools.cache
def _address_pattern() -> re.Pattern[str]:
    suffixes = "|".join(sorted((re.escape(s) for s in lexicon.street_suffixes()), key=len, reverse=True))
    return re.compile(
        r"\d(?<![\w]\d)\d{0,5}[A-Za-z]?\s+(?:[NSEW]\.?\s+|(?:North|South|East|West)\s+)?"
        r"(?:[A-Za-z0-9'.-]+\s+){1,3}?(?:" + suffixes + r")\b\.?"  # a street name: "1 dr office" is none
        r"(?:,?\s*(?:apt|apartment|suite|ste|unit|#|room|rm)\.?\s*#?\s*[A-Za-z0-9-]+)?",
        re.IGNORECASE,
    )


# Spanish street types, written before the street's name ("Calle Mayor, 5", "Avda. de la Paz 12",
# "C/ Sauceda 3"): Faker's es_ES and es_MX street prefixes (MIT) and their usual postal abbreviations
# (vocabulary, not PHI). Words that are as often something else ("vía", "acceso", "cuesta", "ronda",
# a first name too) are left out.
_VIA_WORDS = (
    r"(?:calle|avenida|avda|plaza|pza|plazuela|paseo|rambla|glorieta|urbanizaci[oó]n|callej[oó]n|alameda|"
    r"pasaje|camino|carretera|ctra|traves[ií]a|r[uú]a|carrer|calzada|bulevar|privada|prolongaci[oó]n|"
    r"perif[eé]rico|cerrada|andador|apartado[ \t]+de[ \t]+correos)\b\.?"
    r"|(?:cl|av|pz|urb|crta|apdo)\.|c/(?!o\b|[ \t]*\d)|p[º°]\.?"  # short forms: with their dot ("AV block" is none)
)
# street types that are rarely anything else: their street name may be written in lowercase
_PLAIN_VIAS = r"(?:calle|avenida|avda|carrer|r[uú]a|carretera|ctra|apartado[ \t]+de[ \t]+correos)\b\.?|c/(?!o\b|[ \t]*\d)"
_JOINERS = r"(?:(?:de|del|la|las|los|el|da|do|dos|das|y|d')[ \t]+)*"
_CAP_WORD = r"[A-ZÁÉÍÓÚÑÜ][\w'.-]*(?!/)"  # not the S of "S/N" (no number)
_HOUSE = (
    r"(?:,?[ \t]*(?:n[º°o]\.?[ \t]*)?\d{1,5}[A-Za-z]?\b(?:[ \t]*[-,][ \t]*\d{1,3}[º°ª]?[ \t]*[A-Za-z]?\b)?"
    r"|,?[ \t]*(?i:s/n|sn)\b)"
)
_SPANISH_STREET = re.compile(
    r"(?<![\w/])(?:"
    # a street type, then a capitalized name (with de/la/...), then maybe the number
    r"(?i:"
    + _VIA_WORDS
    + r")[ \t]*"
    + _JOINERS
    + _CAP_WORD
    + r"(?:[ \t]+"
    + _JOINERS
    + _CAP_WORD
    + r"){0,4}"
    + _HOUSE
    + r"?"
    # or a plain street type, a name in any case and a house number ("avenida de concha espina 16")
    r"|(?i:"
    + _PLAIN_VIAS
    + r")[ \t]*[^\W\d_](?:[\w'.-]*[ \t]+){0,3}?[\w'.-]+"
    + _HOUSE
    # or a post-office box: "Apartado de Correos 20134", "Apdo. 123"
    + r"|(?i:apartado[ \t]+de[ \t]+correos|apdo\.?)[ \t]*\d{1,6}\b)"
)
_VIA_GATE = (
    "calle",
    "c/",
    "cl.",
    "av",
    "pza",
    "pz.",
    "plaz",
    "paseo",
    "pº",
    "p°",
    "rambla",
    "glorieta",
    "urb",
    "callej",
    "alameda",
    "pasaje",
    "camino",
    "carret",
    "ctra",
    "crta",
    "traves",
    "rua",
    "rúa",
    "carrer",
    "calzada",
    "bulevar",
    "privada",
    "prolongaci",
    "perif",
    "cerrada",
    "andador",
    "apartado",
    "apdo",
)
# ASCII text: the letter run of each street type, and what to look for where it occurs ("c" -> "c/")
_VIA_ANCHORS = {
    **{
        w: w
        for w in (
            "calle avenida avda plaza pza plazuela paseo rambla glorieta urbanizacion callejon alameda pasaje camino "
            "carretera ctra travesia rua carrer calzada bulevar privada prolongacion periferico cerrada andador "
            "apartado"
        ).split()
    },
    **{w: w + "." for w in ("cl", "av", "pz", "urb", "crta", "apdo")},
    "c": "c/",
}

# A number followed by a unit is a quantity, not a house number ("6 hour drive", "18 month well visit"):
# doses and counts, and the units of time and of US customary length and weight, singular and plural.
_UNITS = frozenset(
    "mg mcg ml l g kg mm cm times x tabs tab tablets caps puffs units hours hrs days weeks min "
    "second seconds sec secs minute minutes mins hour hr day week wk wks month months mo mos year years yr yrs "
    "inch inches in foot feet ft yard yards yd mile miles mi ounce ounces oz pound pounds lb lbs".split()
)
_HOUSE_NUMBER = Digits(1, 6, LETTERS + SPACE)


_UNIT_PART = re.compile(r",?\s*(?:apt|apartment|suite|ste|unit|#|room|rm)\b", re.IGNORECASE)


def _clinical_not_name(word: str) -> bool:
    lower = word.lower().strip(".,")
    if len(lower) < 2 or lower in lexicon.street_suffixes() or lexicon.is_name_word(lower):
        return False
    return lexicon.is_clinical(lower)


@register
class AddressDetector(Detector):
    name = "address"
    types = ("ADDRESS",)

    def find(self, text: str) -> Iterator[Span]:
        view = text_view(text)
        yield from self._spanish(view, text)
        if not view.fast:
            matches = _address_pattern().finditer(text)
        elif view.words.isdisjoint(lexicon.street_suffixes()):
            return  # the pattern ends in a street suffix, a word of its own
        else:
            matches = matches_at(_address_pattern(), text, self._starts(view))
        for match in matches:
            words = match.group(0).split()[1:-1]
            if words and words[0].lower().strip(".") in _UNITS:
                continue
            if words and all(w.lower() in _FUNCTION_WORDS for w in words):
                continue  # "he's 13 and way too", "58 at rest": a street's name is no function word
            measurement = match.start() and text[match.start() - 1] in "/.-"  # "pain 4/10 chest wall"
            street = _UNIT_PART.split(match.group(0), maxsplit=1)[0]  # the part before "Apt 4"
            if measurement or "\n" in street or any(_clinical_not_name(w) for w in words[:-1]):
                continue  # "pain 4/10 chest wall", "hr 62 st": a measurement, not a street
            if any(w[:1].islower() for w in words[:-1]) and not text.islower():
                continue
            yield Span(match.start(), match.end(), "ADDRESS", self.name)

    @staticmethod
    def _spanish(view: TextView, text: str) -> Iterator[Span]:
        """Spanish addresses, street type first: "Calle Cuba, 1, 3 B", "C/ Maiquez, 9 - 4º F"."""
        if view.fast:
            anchors = tuple(sorted(_VIA_ANCHORS[w] for w in view.words & _VIA_ANCHORS.keys()))
            if not anchors:
                return
            matches = matches_at(_SPANISH_STREET, text, view.starts(Words(anchors)))
        elif any(word in view.lower for word in _VIA_GATE):
            matches = _SPANISH_STREET.finditer(text)
        else:
            return
        for match in matches:
            yield Span(match.start(), match.end(), "ADDRESS", "address")

    @staticmethod
    def _starts(view: TextView) -> list[int]:
        """House numbers with a street suffix at most five words on: the pattern's only starts."""
        suffixes = view.starts(Words(tuple(sorted(view.words & lexicon.street_suffixes()))))
        found = []
        for start in view.starts(_HOUSE_NUMBER):
            at = bisect.bisect_right(suffixes, start)
            if at < len(suffixes) and len(view.lower[start : suffixes[at]].split(None, 5)) <= 5:
                found.append(start)
        return found


# Spanish facility heads, written first ("Clínica Médica Las Lomas", "Instituto Universitario de
# Oftalmobiología Aplicada": a research or care institute, as MEDDOCAN's INSTITUCION); the name after them is
# capitalized words joined by de/del/la/las/los/y and numbers ("Hospital General de Zona 27").
_ES_HEADS = (
    r"Cl[ií]nica|Hospital|Centro[ \t]+(?:de[ \t]+Salud|M[eé]dico|de[ \t]+Especialidades)|"
    r"Sanatorio|Consultorio|Policl[ií]nica|Unidad[ \t]+de[ \t]+Medicina[ \t]+Familiar|Dispensario|Instituto"
)
_ES_LINKS = frozenset("de del la las los y el".split())
# Words of a facility's kind, not its name: "Hospital General" alone names no place.
_ES_GENERIC = frozenset(
    "general universitario universitaria regional municipal central privado privada medica médica medico médico "
    "infantil materno pediatrico pediátrico clinico clínico civil dia día".split()
)
# A facility name does not end in a street type, a title or an initial ("... Carlos Haya Avda", "... Dr").
_ES_NOT_NAME_END = re.compile(r"(?:" + _VIA_WORDS + r"|av|dr|dra|doctor|doctora|\w)\.?")
_ES_FACILITY = re.compile(
    r"(?:" + _ES_HEADS + r")(?P<name>(?:[ \t]+(?:de|del|la|las|los|y|el)(?=[ \t]+[A-ZÁÉÍÓÚÑ]))*"
    r"(?:[ \t]+(?:[A-ZÁÉÍÓÚÑ][\w'-]*|\d{1,3}(?!\d))(?:[ \t]+(?:de|del|la|las|los|y)(?=[ \t]+[A-ZÁÉÍÓÚÑ\d]))*){1,5})"
)
# Capitalized heads only (the gate is checked on the text as written).
_ES_HEAD_GATE = (
    "Clinica",
    "Clínica",
    "Hospital",
    "Centro",
    "Sanatorio",
    "Consultorio",
    "Policl",
    "Unidad",
    "Dispensario",
    "Instituto",
)


@register
class FacilityDetector(Detector):
    name = "facility"
    types = ("LOCATION",)
    _head = re.compile(r"(?:" + FACILITY_HEADS + r")\b")

    def find(self, text: str) -> Iterator[Span]:
        view = text_view(text)
        if view.has_any(_ES_HEAD_GATE, text):
            yield from self._spanish(text)
        if not view.fast:
            lowered = view.lower if view.lower_keeps_length else text
            matches = self._head.finditer(lowered)
        elif view.words.isdisjoint(_HEAD_WORDS):
            return  # every match kept below begins with one of these as a whole word
        else:
            lowered = view.lower
            matches = matches_at(self._head, lowered, view.starts(_AT_HEAD))
        for match in matches:
            if match.start() and lowered[match.start() - 1].isalnum():
                continue
            start = self._walk_back(text, match.start())
            if start is not None:
                yield Span(start, match.end(), "LOCATION", self.name)

    @staticmethod
    def _spanish(text: str) -> Iterator[Span]:
        """Spanish facility names, head first and capitalized: "Clinica Medica Las Lomas",
        "Hospital General de Zona 27", "Centro de Salud San Rafael", "Sanatorio Allende"."""
        for match in _ES_FACILITY.finditer(text):
            if match.start() and text[match.start() - 1].isalnum():
                continue
            words = [
                w for w in re.finditer(r"\S+", match.group("name")) if w.group().lower() not in _ES_LINKS
            ]
            while words and _ES_NOT_NAME_END.fullmatch(words[-1].group().lower()):
                words.pop()  # "Hospital Ramón y Cajal Ctra. de Colmenar": the address that follows
            if words and any(w.group()[:1].isupper() and w.group().lower() not in _ES_GENERIC for w in words):
                yield Span(match.start(), match.start("name") + words[-1].end(), "LOCATION", "facility")

    def _walk_back(self, text: str, head_start: int) -> int | None:
        window = text[max(0, head_start - 60) : head_start]
        offset = head_start - len(window)
        words = list(_WORD.finditer(window))
        start: int | None = None
        proper = False
        for word in reversed(words[-4:]):
            gap = window[word.end() : (start - offset) if start is not None else len(window)]
            if gap.strip(" .") or "\n" in gap:
                break
            token = word.group(0).rstrip(".")
            lower = token.lower()
            if lower in FACILITY_WORDS:
                start = offset + word.start()
                continue
            if lower in _FUNCTION_WORDS or (
                lexicon.is_clinical(lower) and lower not in _facility_names_words()
            ):
                break  # "FROM OSH TO REHAB", "HOME HEALTH": care settings, not places
            if token in ("del", "de") or lower in _DEMONSTRATIVES:
                break  # "la cuenta del hospital" (the hospital bill), "this clinic": no facility's name
            if (
                lower in _POSSESSIVES
                or _relative_possessive(lower)
                or (token.islower() and lower in closed_class_words())
            ):
                # "my son's health class", "my moms rehab facility", "llevarlo a otro hospital": a relative's
                # or any hospital, no facility's name
                break
            capitalized = token[:1].isupper() and not token.isupper()
            if lexicon.is_common(lower) and not (capitalized and lexicon.is_name_word(lower)):
                break
            start, proper = offset + word.start(), True
        return start if proper else None


@register
class CityDetector(Detector):
    """Cities from GeoNames; a city that is also a common word needs ``, ST`` after it."""

    name = "city"
    types = ("LOCATION",)
    # Starts with a character class (fast to scan for); the lookbehind then rejects mid-word.
    _capitalized = re.compile(r"[A-Z](?<![^\W\d_][A-Z])[^\W\d_]+(?:[ -][A-Z][^\W\d_]+){0,2}")

    def find(self, text: str) -> Iterator[Span]:
        cities = lexicon.cities()
        # In ASCII text a candidate's lowercase first word is that of the city it names.
        first_words = _city_first_words() if text_view(text).fast else None
        for match in self._capitalized.finditer(text):
            words = match.group(0).split()
            if first_words is not None and words[0].lower() not in first_words:
                continue
            for n in range(len(words), 0, -1):
                candidate = " ".join(words[:n])
                if candidate.lower() not in cities:
                    continue
                end = match.start() + len(candidate)
                lower = candidate.lower()
                ambiguous = (
                    (lexicon.is_common(candidate) and lower not in lexicon.places_not_words())
                    or lower in not_places()
                    or lexicon.is_clinical(lower)
                )
                if n == 1 and ambiguous and not self._state_follows(text, end):
                    break
                if n == 1 and candidate.isupper() and _spanish_word_in_capitals(lower):
                    break  # "ME HACE NADA", "LLEVA COMO 7 MINUTOS", "TOMAR 1 CAPSULA": all-caps Spanish
                if n == 1 and _after_person_cue(text, match.start()):
                    break  # "HUSBAND, GEORGE": a person, not the town
                if (
                    n == 1
                    and _opens_sentence(text, match.start())
                    and lexicon.zipf_es(lower) >= 4.5
                    and not text.startswith(".", end)  # "41013. Sevilla. (España)": an address line's town
                    and not self._state_follows(text, end)
                ):
                    break  # "Hola, ...", "Tienen ...", "Como ...": a Spanish word opening a sentence
                yield Span(match.start(), end, "LOCATION", self.name)
                break

    @staticmethod
    def _state_follows(text: str, end: int) -> bool:
        after = re.match(r",?\s+([A-Z]{2}|[A-Z][a-z]+)\b", text[end : end + 20])
        if not after:
            return False
        word = after.group(1)
        return word in lexicon.state_abbreviations() or word.lower() in lexicon.state_names()


_LAST_WORD = re.compile(r"([A-Za-z]+)[\s,:(.]*$")
_SENTENCE_END = re.compile(r"[.!?\u00a1\u00bf\n][ \t]*$")


def _relative_possessive(lower: str) -> bool:
    """A relation word as a possessive, with or without its apostrophe: "son's", "mom's", "moms"."""
    stem = re.sub(r"(?:['\u2019]s?|s)$", "", lower)
    return stem != lower and stem in RELATIONS


def _spanish_word_in_capitals(lower: str) -> bool:
    """A town's name that written in capitals is a Spanish closed-class word ("NADA", "COMO", "UNA",
    ``data/es/closed_class_words.txt``) or a verb's infinitive that is no listed name ("TOMAR")."""
    if lower in closed_class_words():
        return True
    return (
        lower.endswith(("ar", "er", "ir"))
        and lower in lexicon.spanish_words()
        and not lexicon.is_name_word(lower)
    )


def _opens_sentence(text: str, start: int) -> bool:
    return not text[:start].strip() or _SENTENCE_END.search(text, max(0, start - 4), start) is not None


def _after_person_cue(text: str, start: int) -> bool:
    from medfoundry.deid.detectors.names import RELATIONS, TITLES

    before = _LAST_WORD.search(text[max(0, start - 20) : start])
    return before is not None and before.group(1).lower() in RELATIONS | TITLES


@functools.cache
def _city_first_words() -> frozenset[str]:
    return frozenset(city.split(" ")[0] for city in lexicon.cities())


def _listed(key: str) -> frozenset[str]:
    value = _location_context()[key]
    if isinstance(value, dict):
        return frozenset(str(w).lower() for words in value.values() for w in words)
    assert isinstance(value, list)
    return frozenset(str(w).lower() for w in value)


@functools.cache
def _place_tables() -> tuple[re.Pattern[str], frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    cues = sorted(_listed("cues"), key=len, reverse=True)
    short = _location_context()["short_forms"]
    assert isinstance(short, dict)
    always = frozenset(str(w).lower() for w in short.get("always", ()))
    pattern = re.compile(r"(?<![a-z0-9'])(?:" + "|".join(re.escape(c) for c in cues) + r")(?=[ \t]+[a-z])")
    return pattern, _listed("weak_cues"), _listed("short_forms"), always, _listed("facility_names")


_AFTER_CUE = re.compile(r"[ \t]+([^\W\d_][\w'\u2019.&-]*)")
_LETTER_RUN = re.compile(r"[a-z]+")
_ENDS_SENTENCE = re.compile(r"[^\W\d_]{4,}\.$")  # "follow." ends a sentence; "st." does not


def _cue_words(view: TextView, starts: frozenset[str]) -> Iterator[re.Match[str]]:
    """The runs of letters of the lowercase text, in order; in ASCII text only those in ``starts``."""
    if not view.fast:
        yield from _LETTER_RUN.finditer(view.lower)
        return
    for at in view.word_starts(view.words & starts):
        if run := _LETTER_RUN.match(view.lower, at):
            yield run


@functools.cache
def _cue_starts() -> frozenset[str]:
    """The first words of the cues (letters only), and "at"."""
    return frozenset(m.group() for cue in _listed("cues") if (m := _LETTER_RUN.match(cue))) | {"at"}


@functools.cache
def _always_pattern() -> re.Pattern[str]:
    """The hospital short forms that are places wherever they occur (VAMC), as whole words."""
    always = _place_tables()[3]
    return re.compile(
        r"(?<![a-z0-9])(?:" + "|".join(sorted(always, key=len, reverse=True)) + r")(?![a-z0-9])"
    )


# Words that end a place name after a cue: "lives in north elmbury WITH wife", "at UH IN 2 wks".
# Words that end the words after a cue; with the personal pronouns and the conjunctions (closed classes,
# Quirk et al. 1985): "she came to but she says", "love to pass it along", "came in tuesday so".
_STOPS = frozenset(
    """with for in on at to and or x by since last s/p from of the a an is was who where when
    until after before per via w re about but so because if then than though although while
    i you he she it we they me him her us them my your his its their this that these those""".split()
)
# Words that end a facility's name: "at Claydale General", "from Jensenburg Regional".
_HEADS = frozenset(
    "general regional memorial hospital hospitals hosp va vamc medical infirmary clinic hospice center centre".split()
)
_SAINT = re.compile(r"(?:st|saint|ste)\.?$")
_HOSPITAL_ACRONYM = re.compile(r"[a-z]{1,3}h|[a-z]{1,2}mc|[a-z]{1,2}mh|[a-z]{1,2}gh")
# ", TOWN 12345" after a street address: the town and its ZIP.
_TOWN_ZIP = re.compile(
    r",[ \t]*(?P<town>[^\W\d_][\w'.-]*(?:[ \t][^\W\d_][\w'.-]*){0,3}),?[ \t]+(?P<zip>\d{5}(?:-\d{4})?)(?![\d-])"
)
_STATE_AFTER = re.compile(r",[ \t]*([a-z]{2}\b|[a-z][a-z]+(?: [a-z]+)?\b)")
# A verb of moving just before "from"/"to" makes it a strong cue: "admitted 11/3 from HILLCREST".
_MOVED = re.compile(
    r"(?:admitted|transferred|transfered|xferred|came|sent|discharged|returned|arrived)\b[^.\n]*$"
)
# "at lakeview in 3 wks", "WAS AT RIVERBEND X 7 DAYS": a place before a length of time.
_AT_PLACE_FOR = re.compile(
    r"(?<![a-z])at[ \t]+(?P<place>[^\W\d_][\w'.-]*(?:[ \t][^\W\d_][\w'.-]*){0,3}?)[ \t]+"
    r"(?:in|x|for)[ \t]*\d+[ \t]*(?:wks?|weeks?|days?|d|mos?|months?)\b"
)


@register
class PlaceContextDetector(Detector):
    """Places named by their context, in any case: after a phrase ("transferred from GH",
    "lives in framingham", "was at Holy Cross", "followed at Claydale General"), between a
    street address and its ZIP, and hospital short forms that are always places (VAMC).

    After a weak cue (from, at, to, in) a listed hospital name or short form, a hospital
    acronym (NGH, SJH, MMC), a saint's name (St. Lucy's), words ending in a facility word
    (General, Regional, VA) or a city that is no common or clinical word count; after a
    strong cue ("transferred to", "lives in") the words up to a stop word as well.
    """

    name = "place"
    types = ("LOCATION", "ZIP")

    def find(self, text: str) -> Iterator[Span]:
        view = text_view(text)
        lowered = view.lower
        cue_pattern, weak, short_forms, always, facility_names = _place_tables()
        starts = _cue_starts()
        end_of_cue = 0
        # Every cue and "at" begin a word: look only where a word that can begin one does (much
        # faster than scanning the text with the whole cue pattern).
        for word_match in _cue_words(view, starts):
            first_word = word_match.group()
            if first_word not in starts or word_match.start() < end_of_cue:
                continue
            if word_match.start() and lowered[word_match.start() - 1] in "0123456789'":
                continue
            if first_word == "at" and (stay := _AT_PLACE_FOR.match(lowered, word_match.start())):
                yield from self._at_place_for(stay)
            match = cue_pattern.match(lowered, word_match.start())
            if match is None:
                continue
            end_of_cue = match.end()
            first_after = _AFTER_CUE.match(lowered, match.end())
            if first_after is None or first_after.group(1) in _NEVER_OPENS_A_PLACE:
                continue  # "to the", "in a", "near my": never a place (no listed place name starts so)
            words: list[re.Match[str]] = []
            at = match.end()
            while len(words) < 5 and (word := _AFTER_CUE.match(lowered, at)):
                words.append(word)
                at = word.end()
                if lowered[at : at + 1] not in (" ", "\t") or _ENDS_SENTENCE.search(word.group(1)):
                    break
            is_weak = match.group(0) in weak and not _MOVED.search(
                lowered, max(0, match.start() - 28), match.start()
            )
            end = self._place_end(words, is_weak, short_forms, facility_names, text)
            if end is not None:
                yield Span(words[0].start(1), end, "LOCATION", self.name)
                yield from self._state_after(text, lowered, end)
        if "," in lowered:
            yield from self._towns_before_zip(text, lowered)
        if not view.words.isdisjoint(always):
            for short in _always_pattern().finditer(lowered):
                yield Span(short.start(), short.end(), "LOCATION", self.name)

    def _at_place_for(self, match: re.Match[str]) -> Iterator[Span]:
        place_words = match.group("place").split()
        first = place_words[0].rstrip(".")
        if first in _FUNCTION_WORDS or first in not_places() or lexicon.is_clinical(first):
            return
        if len(place_words) == 1 and lexicon.zipf(first) >= 4.0:
            return  # "at home in 2 days", "at work"
        yield Span(match.start("place"), match.end("place"), "LOCATION", self.name)

    def _place_end(
        self,
        words: list[re.Match[str]],
        weak: bool,
        short_forms: frozenset[str],
        facility_names: frozenset[str],
        text: str = "",
    ) -> int | None:
        if not words:
            return None
        plain = [w.group(1).rstrip(".,'\u2019") for w in words]
        plain = [p[:-2] if p.endswith(("'s", "\u2019s")) else p for p in plain]
        first = plain[0]
        if first not in _FUNCTION_WORDS and (head := self._facility_run(plain)):
            return _word_end(words[head - 1])  # "General Hospital", "LA Medical Center"
        for n in range(len(words), 0, -1):
            phrase = " ".join(plain[:n])
            written = " ".join(w.group(1).rstrip(".,") for w in words[:n])  # "children's"
            if phrase in facility_names or written in facility_names or (n == 1 and phrase in short_forms):
                return _word_end(words[n - 1])
        excluded = (
            first in _FUNCTION_WORDS
            or first in not_places()
            or (lexicon.is_clinical(first) and first not in short_forms)
        )
        if excluded and not (first in facility_names or _SAINT.match(first)):
            return None
        cities = lexicon.cities()
        countries = lexicon.countries()
        for n in range(len(words), 0, -1):
            phrase = " ".join(plain[:n])
            place = (phrase in cities or phrase in countries) and phrase not in not_places()
            written_capitalized = bool(text) and text[words[0].start(1)].isupper()
            if (
                place
                and not lexicon.is_clinical(phrase)
                and (n > 1 or lexicon.zipf(phrase) < 4.0 or not weak or written_capitalized)
            ):
                return _word_end(words[n - 1])
        if _SAINT.match(first) and len(words) > 1 and plain[1] not in _STOPS:
            return _word_end(words[1])  # St. Lucy's, st. cecilia's
        if (
            len(first) <= 4
            and _HOSPITAL_ACRONYM.fullmatch(first)
            and not lexicon.is_clinical(first)
            and not _written_as_word(text, words[0], first)
        ):
            return _word_end(words[0])  # NGH, SJH, MMC, UH
        run = 0
        while (
            run < len(plain)
            and plain[run] not in _STOPS
            and (
                plain[run] in _HEADS
                or (plain[run] not in not_places() and not lexicon.is_clinical(plain[run]))
            )
        ):
            run += 1
        for n in range(run, 1, -1):
            if plain[n - 1] in _HEADS:
                return _word_end(words[n - 1])  # Claydale General, west hollis falls va
        if weak or run == 0:
            return None
        if run == 1 and lexicon.is_common(plain[0]):
            return None  # "lives in town"
        return _word_end(words[run - 1])

    @staticmethod
    def _facility_run(plain: list[str]) -> int:
        """How many words make a facility's name that ends in a facility word and whose other
        words are no stop words ("general hospital", "la medical center"); 0 when none."""
        found = 0
        for n, word in enumerate(plain, start=1):
            if word in _STOPS or word in _FUNCTION_WORDS:
                break
            if word in _HEADS and n > 1:
                found = n
        return found

    def _state_after(self, text: str, lowered: str, end: int) -> Iterator[Span]:
        state = _STATE_AFTER.match(lowered, end)
        if not state:
            return
        word = state.group(1)
        if " " in word and word not in lexicon.state_names():
            word = word.split(" ")[0]  # "florida with wife"
        abbreviation = len(word) == 2 and word.upper() in lexicon.state_abbreviations()
        if abbreviation or word in lexicon.state_names() or word in _STATE_SHORT:
            yield Span(state.start(1), state.start(1) + len(word), "LOCATION", self.name)

    def _towns_before_zip(self, text: str, lowered: str) -> Iterator[Span]:
        suffixes = lexicon.street_suffixes()
        for match in _TOWN_ZIP.finditer(lowered):
            before = lowered[max(0, match.start() - 16) : match.start()].split()
            if not before or before[-1].rstrip(".") not in suffixes:
                continue  # only right after a street address: "5519 Gutierrez Way, East Reddale 35149"
            yield Span(match.start("town"), match.end("town"), "LOCATION", self.name)
            yield Span(match.start("zip"), match.end("zip"), "ZIP", self.name)


def _written_as_word(text: str, word: re.Match[str], lower: str) -> bool:
    """A common English word not written in capitals: "need to wash the spacer", not "to NGH"."""
    if not text or not lexicon.is_common(lower):
        return False
    written = text[word.start(1) : word.start(1) + len(lower)]
    return not written.isupper() and not text.isupper()


_STATE_SHORT = frozenset("mass calif penn conn wash fla ariz mich minn wisc ill ind tenn".split())


def _word_end(word: re.Match[str]) -> int:
    value = word.group(1)
    trimmed = value.rstrip(".,")
    return word.end(1) - (len(value) - len(trimmed))
