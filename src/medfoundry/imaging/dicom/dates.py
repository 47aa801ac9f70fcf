"""Shifting DICOM DA and DT values by whole days (the patient's secret offset)."""

from __future__ import annotations

from datetime import date, timedelta


def shift_da(value: str, days: int) -> str | None:
    """``YYYYMMDD`` shifted; None when the value is not a readable date."""
    value = value.strip()
    if len(value) != 8 or not value.isdigit():
        return None
    try:
        original = date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        return None
    return (original + timedelta(days=days)).strftime("%Y%m%d")


def shift_dt(value: str, days: int) -> str | None:
    """``YYYYMMDD[HHMMSS[.F…]][&ZZXX]``: the date part shifted, time kept, UTC offset dropped.

    A DT of only a year or year and month cannot be shifted by days: None.
    """
    value = value.strip()
    for sign in "+-":
        cut = value.find(sign, 8)
        if cut != -1:
            value = value[:cut]
    shifted = shift_da(value[:8], days) if len(value) >= 8 else None
    return None if shifted is None else shifted + value[8:]


def shift_multi(value: str, days: int, vr: str) -> str | None:
    """A backslash-separated multi-value, each shifted; None if any part is unreadable."""
    shift = shift_da if vr == "DA" else shift_dt
    parts = [shift(part, days) for part in value.split("\\")]
    return None if any(p is None for p in parts) else "\\".join(p for p in parts if p is not None)
