"""Masking of personal data for the terminal, logs and JSON (domain.md, Personal data)."""

from __future__ import annotations

import re

_DIGITS = re.compile(r"\d")


def mask_bsn(bsn: str) -> str:
    """All but the last three digits hidden: '123456782' -> '******782'."""
    if len(bsn) <= 3:
        return "*" * len(bsn)
    return "*" * (len(bsn) - 3) + bsn[-3:]


def mask_value(text: str) -> str:
    """Hide a personal value shown in a message: digits but the last three, letters entirely.

    Works for BSNs ('******782'), birth dates ('**-**-**78') and addresses alike, so the
    reader can still tell which of their own cells is meant without the value being exposed.
    """
    digits = _DIGITS.findall(text)
    keep = 3 if len(digits) > 3 else 0
    seen = 0
    out = []
    for ch in text:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen > len(digits) - keep else "*")
        elif ch.isalpha():
            out.append("*")
        else:
            out.append(ch)
    return "".join(out)
