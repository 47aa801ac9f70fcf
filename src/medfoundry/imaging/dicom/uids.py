"""Consistent UID remapping: a keyed hash of the original UID, written under ``2.25.``.

The same UID maps to the same new UID in every instance, run and process that holds the
same key, so study/series/instance structure and references survive. Well-known UIDs
(SOP classes, transfer syntaxes, coding schemes: pydicom's registry) are not identifiers
and are kept.
"""

from __future__ import annotations

import hashlib
import hmac

from pydicom.uid import UID_dictionary

UID_ROOT = "2.25."


def is_well_known(uid: str) -> bool:
    return uid in UID_dictionary


def remap_uid(key: bytes, uid: str) -> str:
    """``2.25.<128-bit keyed hash>`` (at most 44 characters), or ``uid`` when well known or empty."""
    uid = uid.strip().rstrip("\x00")
    if not uid or is_well_known(uid):
        return uid
    digest = hmac.new(key, b"dicom-uid\x1f" + uid.encode(), hashlib.sha256).digest()
    return UID_ROOT + str(int.from_bytes(digest[:16], "big"))
