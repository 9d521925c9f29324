"""What may be shown on the terminal, in logs and in JSON: personal data masked (domain.md,
Personal data), and no control characters from cells (issue 9).

The error workbook is the one place values are shown in full: the user fixes them there.
"""

from __future__ import annotations

import re

_DIGITS = re.compile(r"\d")
# Nine digits or more, perhaps with single spaces, dots or dashes between them: a BSN, or a
# number that holds one (OB-nummer, loonheffingennummer, an old btw-id), whatever its column.
_DIGIT_RUN = re.compile(r"\d(?:[ .-]?\d){8,}")
# Escape sequences whole (CSI such as colours, OSC such as window titles and links), then any
# other C0 or C1 control, bidirectional override or lone surrogate (bytes of a file name that
# were not UTF-8, which no terminal can print).
_ESCAPE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?|\x9b[0-?]*[ -/]*[@-~]?"  # CSI: colours, cursor moves
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d-\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC, DCS
    r"|\x1b.?",
    re.DOTALL,
)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")


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


# Personal values whose cause is shown: a street, a house number or an addition alone names
# no one; any run of nine digits in it is still masked by `shown`. A postcode with a house
# number nearly does, so it shows only what can be wrong with it: its first digit (not 0) and
# its letters (not SA, SD or SS), as '9*** SA' (domain.md: no address in full on the terminal).
SHOWN_PERSONAL_COLUMNS = frozenset({"Straat", "Huisnummer", "Toevoeging"})
_POSTCODE_COLUMNS = frozenset({"Postcode"})
_BIRTH_DATE_COLUMNS = frozenset({"Geboortedatum"})


def mask_personal(text: str, column: str | None) -> str:
    """A personal value as a message outside the error workbook shows it: a BSN with all but
    its last three digits hidden and its other characters kept (so 'abc' or a stray letter
    stays visible as the cause), a birth date as mask_value masks it, an address part whole
    (SHOWN_PERSONAL_COLUMNS), a postcode with only its first digit and its letters."""
    if column in SHOWN_PERSONAL_COLUMNS:
        return text
    if column in _POSTCODE_COLUMNS:
        first = next((i for i, ch in enumerate(text) if ch.isdigit()), None)
        return "".join("*" if ch.isdigit() and i != first else ch for i, ch in enumerate(text))
    if column in _BIRTH_DATE_COLUMNS:
        return mask_value(text)
    digits = sum(ch.isdigit() for ch in text)
    keep = 3 if digits > 3 else 0
    seen = 0
    out = []
    for ch in text:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen > digits - keep else "*")
        else:
            out.append(ch)
    return "".join(out)


def mask_digit_runs(text: str) -> str:
    """Every run of nine or more digits masked like a BSN, whatever the value around it:
    '123456782B01' -> '******782B01', 'NL123456782B01' -> 'NL******782B01'."""
    return _DIGIT_RUN.sub(_mask_run, text)


def _mask_run(match: re.Match[str]) -> str:
    run = match.group()
    digits = sum(ch.isdigit() for ch in run)
    seen = 0
    out = []
    for ch in run:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen > digits - 3 else "*")
        else:
            out.append(ch)
    return "".join(out)


def printable(text: str, *, lines: bool = False) -> str:
    """text without terminal escape sequences and control characters. Tabs and line breaks
    become spaces, or line breaks stay when lines is True (a whole screen of output); a lone
    surrogate becomes '\\xNN', the byte of the file name it stood for."""
    text = _ESCAPE.sub("", text).replace("\r\n", "\n")
    if not lines:
        text = text.replace("\n", " ")
    text = _CONTROL.sub("", text.replace("\t", " ").replace("\r", " "))
    return _SURROGATE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", text)


def shown(text: str) -> str:
    """A value from the workbook as the terminal, JSON and logs may show it."""
    return printable(mask_digit_runs(text))
