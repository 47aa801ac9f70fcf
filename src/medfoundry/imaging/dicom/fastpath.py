"""Header de-identification on the bytes of a Part 10 file, without building pydicom objects.

Little-endian files (explicit or implicit VR, any pixel encoding) are parsed into a small
tree of elements, cleaned with exactly the rules of ``DicomDeidentifier`` (the same table,
options, UID remap, date shift, text cleaning and scrubbing; a test holds the two paths
equal), and written back; pixel data and untouched values are copied as bytes. Anything
else (big endian, deflate, character sets other than ASCII/Latin-1/UTF-8, a malformed
file) goes through the pydicom path.
"""

from __future__ import annotations

import functools
import struct
from collections import Counter
from dataclasses import dataclass

from pydicom.datadict import dictionary_VR, tag_for_keyword

from medfoundry.deid.operators import pseudonym
from medfoundry.deid.patient import date_offset
from medfoundry.imaging.dicom.dates import shift_multi
from medfoundry.imaging.dicom.deidentify import (
    DUMMY,
    FREE_TEXT_VRS,
    METHOD_CODES,
    PATIENT_ID,
    PIXEL_DATA,
    DicomDeidentifier,
    _Walk,
    unlisted_action,
)
from medfoundry.imaging.dicom.known import known_from
from medfoundry.imaging.dicom.uids import remap_uid

LONG_VRS = frozenset({"OB", "OD", "OF", "OL", "OV", "OW", "SQ", "UC", "UN", "UR", "UT", "SV", "UV"})
TEXT_VRS = frozenset({"AE", "AS", "CS", "DA", "DS", "DT", "IS", "LO", "LT", "PN", "SH", "ST", "TM", "UC", "UI", "UR", "UT"})  # fmt: skip
SINGLE_VALUED = frozenset({"LT", "ST", "UT", "UR"})
UNDEFINED = 0xFFFFFFFF
ITEM, ITEM_END, SEQUENCE_END = 0xFFFEE000, 0xFFFEE00D, 0xFFFEE0DD
EXPLICIT_LE, IMPLICIT_LE = "1.2.840.10008.1.2.1", "1.2.840.10008.1.2"
UNSUPPORTED_SYNTAXES = frozenset({"1.2.840.10008.1.2.2", "1.2.840.10008.1.2.1.99"})  # big endian, deflate
CHARSETS = {"": "latin-1", "ISO_IR 6": "latin-1", "ISO_IR 100": "latin-1", "ISO_IR 192": "utf-8"}
SPECIFIC_CHARACTER_SET = 0x00080005
_HEAD = struct.Struct("<HH")
_U16, _U32 = struct.Struct("<H"), struct.Struct("<L")


class Unsupported(Exception):
    """This file needs the pydicom path."""


@dataclass(slots=True)
class Element:
    tag: int
    vr: str
    value: bytes  # the value bytes (for an undefined-length non-sequence: the whole element)
    items: list[list[Element]] | None = None  # for sequences
    raw: bool = False  # value is the element's complete encoding


@functools.cache
def _implicit_vr(tag: int) -> str:
    if tag & 0x10000:  # private
        return "UN"
    try:
        vr = dictionary_VR(tag)
    except KeyError:
        return "UN"
    return vr if len(vr) == 2 else "UN"  # "US or SS" and the like: copied as bytes


class _Parser:
    def __init__(self, buffer: bytes, implicit: bool) -> None:
        self.buf = buffer
        self.implicit = implicit

    def elements(self, pos: int, end: int) -> tuple[list[Element], int]:
        buf = self.buf
        out: list[Element] = []
        while pos < end:
            group, number = _HEAD.unpack_from(buf, pos)
            tag = group << 16 | number
            if tag == ITEM_END:
                return out, pos + 8
            if self.implicit or group == 0xFFFE:
                vr = _implicit_vr(tag)
                length = _U32.unpack_from(buf, pos + 4)[0]
                start = pos + 8
            else:
                vr = buf[pos + 4 : pos + 6].decode("ascii")
                if vr in LONG_VRS:
                    length = _U32.unpack_from(buf, pos + 8)[0]
                    start = pos + 12
                else:
                    length = _U16.unpack_from(buf, pos + 6)[0]
                    start = pos + 8
            parser = self
            if vr == "UN":  # a UN value is encoded as implicit VR LE (PS3.5 6.2.2)
                parser = _Parser(buf, implicit=True)
                if not tag & 0x10000 and _implicit_vr(tag) != "UN":
                    vr = _implicit_vr(tag)  # a known element sent as UN
            if length == UNDEFINED:
                if vr == "SQ" or vr == "UN" or tag & 0x10000:
                    items, pos = parser.items(start, None)
                    out.append(Element(tag, "SQ", b"", items))
                else:  # encapsulated pixel data: copied whole
                    stop = self._encapsulated_end(start)
                    out.append(Element(tag, vr, buf[pos:stop], raw=True))
                    pos = stop
                continue
            if start + length > len(buf):
                raise Unsupported("truncated element")
            if vr == "SQ":
                items, _ = parser.items(start, start + length)
                out.append(Element(tag, vr, b"", items))
            else:
                out.append(Element(tag, vr, buf[start : start + length]))
            pos = start + length
        return out, pos

    def items(self, pos: int, end: int | None) -> tuple[list[list[Element]], int]:
        buf = self.buf
        items: list[list[Element]] = []
        while end is None or pos < end:
            group, number = _HEAD.unpack_from(buf, pos)
            length = _U32.unpack_from(buf, pos + 4)[0]
            tag = group << 16 | number
            if tag == SEQUENCE_END:
                return items, pos + 8
            if tag != ITEM:
                raise Unsupported("bad sequence item")
            if length == UNDEFINED:
                item, pos = self.elements(pos + 8, len(buf))
            else:
                item, _ = self.elements(pos + 8, pos + 8 + length)
                pos += 8 + length
            items.append(item)
        return items, pos

    def _encapsulated_end(self, pos: int) -> int:
        while True:
            group, number = _HEAD.unpack_from(self.buf, pos)
            length = _U32.unpack_from(self.buf, pos + 4)[0]
            pos += 8 + (0 if (group << 16 | number) == SEQUENCE_END else length)
            if (group << 16 | number) == SEQUENCE_END:
                return pos
            if pos > len(self.buf):
                raise Unsupported("truncated pixel data")


def _texts(element: Element, encoding: str) -> list[str]:
    """The values of a text element (split on backslash unless its VR is single-valued)."""
    text = element.value.decode(encoding, "replace").rstrip(" \x00")
    if element.vr in SINGLE_VALUED:
        return [text] if text else []
    return [v.strip(" \x00") for v in text.split("\\")] if text else []


def _encode(tag: int, vr: str, value: bytes, implicit: bool) -> bytes:
    if len(value) % 2:
        value += b"\x00" if vr in ("UI", "OB", "UN") else b" "
    group, number = tag >> 16, tag & 0xFFFF
    if implicit:
        return struct.pack("<HHL", group, number, len(value)) + value
    if vr in LONG_VRS:
        return struct.pack("<HH2sHL", group, number, vr.encode(), 0, len(value)) + value
    return struct.pack("<HH2sH", group, number, vr.encode(), len(value)) + value


class _ByteWalk:
    """The same decisions as ``_Walk``, on element values as bytes."""

    def __init__(self, walk: _Walk, encoding: str, implicit: bool) -> None:
        self.walk = walk
        self.encoding = encoding
        self.implicit = implicit

    def texts(self, element: Element) -> list[str]:
        return _texts(element, self.encoding)

    def encoded(self, element: Element, values: list[str]) -> bytes:
        return _encode(
            element.tag, element.vr, "\\".join(values).encode(self.encoding, "replace"), self.implicit
        )

    def dataset(self, elements: list[Element]) -> dict[int, bytes]:
        out: dict[int, bytes] = {}
        owner = self.walk.owner
        for element in elements:
            tag = element.tag
            if tag & 0x10000:
                self.walk.counts["private"] += 1
                continue
            if tag & 0xFFFF == 0 and tag >> 16 != 0x0002:
                continue  # group lengths: stale once values change
            if tag == PIXEL_DATA:
                out[tag] = (
                    element.value if element.raw else _encode(tag, element.vr, element.value, self.implicit)
                )
                continue
            rule = owner.profile.rule_for(tag)
            action = rule.effective(owner.options) if rule else unlisted_action(element.vr, owner.options)
            self.walk.counts[action] += 1
            encoded = self.apply(element, action)
            if encoded is not None:
                out[tag] = encoded
        return out

    def sequence(self, element: Element, items: list[list[Element]]) -> bytes:
        body = b""
        for item in items:
            cleaned = self.dataset(item)
            encoded = b"".join(cleaned[t] for t in sorted(cleaned))
            body += struct.pack("<HHL", 0xFFFE, 0xE000, len(encoded)) + encoded
        return _encode(element.tag, "SQ", body, self.implicit)

    def apply(self, element: Element, action: str) -> bytes | None:
        vr, walk = element.vr, self.walk
        if action == "X":
            return None
        if vr == "SQ":
            return self.sequence(element, [] if action == "Z" else element.items or [])
        if element.raw:
            return element.value if action in ("K", "S") else None
        if action == "K" or (action == "S" and walk.matcher is None):
            return _encode(element.tag, vr, element.value, self.implicit)
        if action == "U":
            return self.encoded(element, [remap_uid(walk.owner.key, v) for v in self.texts(element)])
        if action == "Z":
            return self.encoded(element, self._zero(element))
        if action == "D":
            if vr in ("DA", "DT"):
                return self.encoded(element, self._shifted(element))
            return self.encoded(element, [DUMMY[vr]] if vr in DUMMY else [])
        if action == "C":
            if vr in ("DA", "DT"):
                return self.encoded(element, self._shifted(element))
            if vr == "TM":
                return _encode(element.tag, vr, element.value, self.implicit)
            if vr in FREE_TEXT_VRS or vr == "PN":
                return self.encoded(element, [walk._clean_text(v, vr) for v in self.texts(element)])
            return self.encoded(element, [])
        return self._scrubbed(element)  # S

    def _zero(self, element: Element) -> list[str]:
        if element.tag == PATIENT_ID and self.walk.patient:
            return [pseudonym(self.walk.owner.key, self.walk.patient, length=32)]
        return []

    def _shifted(self, element: Element) -> list[str]:
        if not self.walk.options.retain_dates:
            return [DUMMY[element.vr]]
        values = self.texts(element)
        if not values:
            return []
        shifted = shift_multi("\\".join(values), self.walk.offset, element.vr)
        return [shifted] if shifted else []

    def _scrubbed(self, element: Element) -> bytes:
        if element.vr == "UN" or element.vr not in TEXT_VRS:
            text = element.value.decode("latin-1", "replace")
            unchanged = text == self.walk._scrub_text(text)
            return _encode(element.tag, element.vr, element.value if unchanged else b"", self.implicit)
        return self.encoded(element, [self.walk._scrub_text(v) for v in self.texts(element)])


def _method_elements(owner: DicomDeidentifier, implicit: bool, encoding: str) -> dict[int, bytes]:
    used = ["basic"] + [o for o in ("descriptors", "dates", "uids") if owner.options.retains(o)]
    items = b""
    for name in used:
        value, meaning = METHOD_CODES[name]
        item = (
            _encode(0x00080100, "SH", value.encode(), implicit)
            + _encode(0x00080102, "SH", b"DCM", implicit)
            + _encode(0x00080104, "LO", meaning.encode(encoding), implicit)
        )
        items += struct.pack("<HHL", 0xFFFE, 0xE000, len(item)) + item
    temporal = b"MODIFIED" if owner.options.retain_dates else b"REMOVED"
    return {
        0x00120062: _encode(0x00120062, "CS", b"YES", implicit),
        0x00120063: _encode(0x00120063, "LO", b"PS3.15 E.1-1 Basic Profile\\medfoundry", implicit),
        0x00120064: _encode(0x00120064, "SQ", items, implicit),
        0x00280303: _encode(0x00280303, "CS", temporal, implicit),
    }


def _person_names(elements: list[Element], encoding: str) -> list[str]:
    names = []
    for element in elements:
        if element.vr == "PN" and element.value:
            text = element.value.decode(encoding, "replace").rstrip(" \x00")
            names += [v.strip() for v in text.split("\\") if v.strip()]
        for item in element.items or []:
            names += _person_names(item, encoding)
    return names


def deidentify_part10(data: bytes, owner: DicomDeidentifier, counts: Counter[str] | None = None) -> bytes:
    """The de-identified Part 10 file; raises ``Unsupported`` when the pydicom path is needed."""
    if data[128:132] != b"DICM":
        raise Unsupported("no DICM prefix")
    meta, pos = _Parser(data, implicit=False).elements(132, _meta_end(data))
    syntax = next((e.value.decode("ascii").strip(" \x00") for e in meta if e.tag == 0x00020010), "")
    if not syntax or syntax in UNSUPPORTED_SYNTAXES:
        raise Unsupported("transfer syntax")
    implicit = syntax == IMPLICIT_LE
    body, _ = _Parser(data, implicit).elements(pos, len(data))
    by_tag = {e.tag: e for e in body}
    charset = by_tag.get(SPECIFIC_CHARACTER_SET)
    charset_name = charset.value.decode("ascii", "replace").strip(" \x00\\") if charset else ""
    if charset_name not in CHARSETS:
        raise Unsupported("character set")
    encoding = CHARSETS[charset_name]
    if not any(e.tag == 0x00020003 for e in meta) or not any(e.tag == 0x00020002 for e in meta):
        raise Unsupported("file meta without SOP UIDs")

    def top(keyword_tag: int) -> list[str]:
        element = by_tag.get(keyword_tag)
        return _texts(element, encoding) if element is not None and element.items is None else []

    known = known_from(_person_names(meta + body, encoding), lambda k: top(tag_for_keyword(k) or 0))
    patient = (top(PATIENT_ID) or [""])[0] or (top(0x00100010) or [""])[0]
    low, high = owner.shift_range
    offset = date_offset(owner.key, patient, min_days=low, max_days=high)
    walk = _Walk(owner, known, patient, offset, Counter() if counts is None else counts)
    cleaned_body = _ByteWalk(walk, encoding, implicit).dataset(body)
    cleaned_body.update(_method_elements(owner, implicit, encoding))
    meta_walker = _ByteWalk(walk, "latin-1", implicit=False)
    cleaned_meta = meta_walker.dataset([e for e in meta if e.tag != 0x00020000])
    for meta_tag, body_tag in ((0x00020002, 0x00080016), (0x00020003, 0x00080018)):
        if body_tag in cleaned_body:  # as pydicom writes it: the file meta repeats the dataset's UIDs
            cleaned_meta[meta_tag] = _encode(
                meta_tag, "UI", cleaned_body[body_tag][8:].rstrip(b"\x00"), False
            )
    meta_bytes = b"".join(cleaned_meta[t] for t in sorted(cleaned_meta))
    return b"".join((
        b"\x00" * 128, b"DICM", _encode(0x00020000, "UL", _U32.pack(len(meta_bytes)), False), meta_bytes,
        *(cleaned_body[t] for t in sorted(cleaned_body)),
    ))  # fmt: skip


def _meta_end(data: bytes) -> int:
    """Where group 0002 ends (from its group length, else by scanning explicit-VR elements)."""
    group, number = _HEAD.unpack_from(data, 132)
    if (group, number) == (0x0002, 0x0000) and data[136:138] == b"UL":
        return 144 + _U32.unpack_from(data, 140)[0]
    pos = 132
    while pos < len(data) and _HEAD.unpack_from(data, pos)[0] == 0x0002:
        vr = data[pos + 4 : pos + 6].decode("ascii", "replace")
        if vr in LONG_VRS:
            pos += 12 + _U32.unpack_from(data, pos + 8)[0]
        else:
            pos += 8 + _U16.unpack_from(data, pos + 6)[0]
    return pos


def deidentify_bytes(data: bytes, owner: DicomDeidentifier, counts: Counter[str] | None = None) -> bytes:
    """The fast path when it applies, else the pydicom path: the same output either way."""
    attempt: Counter[str] = Counter()
    try:
        output = deidentify_part10(data, owner, attempt)
    except (Unsupported, struct.error, UnicodeDecodeError, IndexError, KeyError, ValueError):
        from medfoundry.imaging.dicom.dicomweb import to_part10
        from medfoundry.imaging.dicom.read import parse

        ds = parse(data)
        report = owner.deidentify(ds)
        if counts is not None:
            counts.update(report.actions)
        return to_part10(ds)
    if counts is not None:
        counts.update(attempt)
    return output
