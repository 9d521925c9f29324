"""The profile's transformations, each on a whole column at a time.

Each returns the new column and the rows it changed (counted in the conversion report) or could
not handle (reported with file and line). Regular expressions and pandas' string methods do
the work; a full name is the one exception: splitting it needs word-by-word decisions, so it is
parsed once per distinct name (pd.factorize), not once per cell.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kantoor_batch.clean.values import as_text, missing_column
from kantoor_batch.convert.profile import fold_value

# An Excel number shown in scientific notation, as Excel writes it into a CSV ('9,9E+11'): the
# digits past the shown ones are gone. Never padded or guessed (issue 11, R3).
_SCIENTIFIC = r"[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+"
# House number (last run of digits after a space) and its addition: letters ('A', 'bis', 'III'),
# or anything short after a dash or slash ('12-3', '12/2').
_STREET = re.compile(
    r"^(?P<straat>.*?\S)\s+(?P<huisnummer>\d+)"
    r"(?:\s*(?P<letters>[A-Za-z]{1,4})|\s*[-/]\s*(?P<na_streep>[A-Za-z0-9]{1,6})|\s+(?P<los>[A-Za-z0-9]{1,4}))?"
    r"\s*$"
)
_STREET_GREEDY = re.compile(_STREET.pattern.replace("(?P<straat>.*?\\S)", "(?P<straat>.*\\S)"))
# Dutch tussenvoegsels, the longest first so that 'van der' wins over 'van'.
TUSSENVOEGSELS = tuple(
    sorted(
        {
            "van",
            "de",
            "den",
            "der",
            "het",
            "'t",
            "t",
            "te",
            "ten",
            "ter",
            "van de",
            "van den",
            "van der",
            "van het",
            "van 't",
            "in",
            "in de",
            "in den",
            "in der",
            "in het",
            "in 't",
            "op",
            "op de",
            "op den",
            "op der",
            "op het",
            "op 't",
            "op ten",
            "uit",
            "uit de",
            "uit den",
            "uit het",
            "uit 't",
            "aan",
            "aan de",
            "aan den",
            "aan het",
            "aan 't",
            "bij",
            "bij de",
            "bij den",
            "bij het",
            "voor",
            "voor de",
            "voor den",
            "voor in 't",
            "onder",
            "onder de",
            "onder den",
            "over",
            "over de",
            "over het",
            "over 't",
            "tot",
            "d'",
            "l'",
            "la",
            "le",
            "les",
            "du",
            "des",
            "di",
            "da",
            "del",
            "della",
            "von",
            "von der",
            "vom",
            "zu",
            "zum",
            "zur",
            "van la",
            "de la",
            "de le",
            "van ter",
            "vander",
            "vanden",
            "vande",
            "op gen",
            "van gen",
            "in't",
            "op't",
            "van't",
        },
        key=lambda t: (-len(t.split()), -len(t)),
    )
)
_INFIX_WORDS = [tuple(t.split()) for t in TUSSENVOEGSELS]
# By first word, longest first: a name's words are looked up, not compared with every one.
_INFIX_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _words in _INFIX_WORDS:
    _INFIX_BY_FIRST.setdefault(_words[0], []).append(_words)
_INITIALS = re.compile(r"^(?:(?:IJ|Ij|ij|[A-Za-zÀ-ÿ])\.?-?)+$")


@dataclass
class Step:
    """What a transformation did to a column."""

    values: pd.Series
    changed: pd.Series  # rows it fired on
    failed: pd.Series | None = None  # rows it could not handle


def texts(cells: pd.Series) -> pd.Series:
    """Cells as the text a person sees (whole numbers without '.0', dates dd-mm-jjjj)."""
    return as_text(cells)


def lost_digits(text: pd.Series) -> pd.Series:
    return text.str.fullmatch(_SCIENTIFIC, na=False).astype(bool)


def value_map(
    text: pd.Series, mapping: dict[str, str]
) -> tuple[pd.Series, Counter[tuple[str, str]], pd.Series]:
    """Mapped values, how often each (source value, target value) fired, and the filled rows
    the map did not know."""
    folded = text.where(text.isna(), text.astype(str).map(fold_value, na_action="ignore"))
    mapped = folded.map(mapping)
    hit = mapped.notna()
    counts: Counter[tuple[str, str]] = Counter()
    if hit.any():
        pairs = pd.DataFrame({"from": text[hit], "to": mapped[hit]}).value_counts()
        for key, n in pairs.items():
            pair: tuple[object, ...] = tuple(key)  # type: ignore[arg-type]
            counts[(str(pair[0]), str(pair[1]))] += int(n)
    out = text.copy()
    out[hit] = mapped[hit]
    return out, counts, text.notna() & ~hit


def pad(text: pd.Series, width: int) -> Step:
    """Digits shorter than width get their leading zeros back ('1234567' -> '01234567')."""
    short = text.str.fullmatch(r"\d+", na=False) & (text.str.len() < width)
    out = text.copy()
    out[short] = text[short].str.zfill(width)
    return Step(out, short.astype(bool))


def split_street(text: pd.Series, part: str, parts: pd.DataFrame | None = None) -> Step:
    """'Herestraat 12 A' -> Herestraat / 12 / A. A line without a house number keeps the
    whole line as the street and is reported (an address part is a warning, R3). parts:
    street_parts(text) when the caller has it already (three columns from one line)."""
    parts = street_parts(text) if parts is None else parts
    matched = parts["huisnummer"].notna()
    if part == "straat":
        values = parts["straat"].where(matched, text)
    elif part == "huisnummer":
        values = parts["huisnummer"]
    else:
        values = parts["letters"].fillna(parts["na_streep"]).fillna(parts["los"])
    values = values.astype(object).where(values.notna(), None)
    failed = text.notna() & ~matched
    return Step(values, (text.notna() & matched).astype(bool), failed.astype(bool))


def street_parts(text: pd.Series) -> pd.DataFrame:
    return text.str.extract(_STREET_GREEDY)


def split_name(text: pd.Series, part: str) -> Step:
    """A full name -> voorletters, voornaam, tussenvoegsel or achternaam; each distinct name
    is parsed once."""
    codes, distinct = pd.factorize(text.to_numpy(dtype=object))
    index = {"voorletters": 0, "voornaam": 1, "tussenvoegsel": 2, "achternaam": 3}[part]
    parsed = np.array([parse_name(str(name))[index] for name in distinct] + [None], dtype=object)
    out = pd.Series(
        parsed[np.where(codes < 0, len(distinct), codes)], index=text.index, dtype=object
    )
    return Step(out.astype(object), text.notna().astype(bool))


@functools.lru_cache(maxsize=65_536)
def parse_name(name: str) -> tuple[str | None, str | None, str | None, str | None]:
    """(voorletters, voornaam, tussenvoegsel, achternaam) of a Dutch name written 'J.A. van der
    Berg', 'Jan van der Berg' or 'Berg, J.A. van der'. IJ stays one capital pair: 'ijsbrand
    ijzerman' -> 'IJ.', 'IJsbrand', 'IJzerman'."""
    name = " ".join(name.split())
    if not name:
        return None, None, None, None
    if "," in name:
        last, _, rest = name.partition(",")
        words = rest.split()
        infix: list[str] = []
        for candidate in _INFIX_WORDS:
            if (
                len(words) > len(candidate)
                and tuple(w.casefold() for w in words[-len(candidate) :]) == candidate
            ):
                infix = words[-len(candidate) :]
                words = words[: -len(candidate)]
                break
        given, last_words = words, last.split()
    else:
        words = name.split()
        given, infix, last_words = words[:-1], [], words[-1:]
        for start in range(len(words) - 1):
            found = _infix_at(words, start)
            if found:
                given, infix, last_words = (
                    words[:start],
                    words[start : start + found],
                    words[start + found :],
                )
                break
    shout = name.isupper() or name.islower()
    last_name = " ".join(_capital(w, shout) for w in last_words) or None
    initials, first = _given(given, shout)
    tussen = " ".join(w.casefold() for w in infix) or None
    return initials, first, tussen, last_name


def _infix_at(words: list[str], start: int) -> int:
    """How many words from start form a tussenvoegsel with a last name after it (0: none)."""
    for candidate in _INFIX_BY_FIRST.get(words[start].casefold(), ()):
        end = start + len(candidate)
        if end < len(words) and tuple(w.casefold() for w in words[start:end]) == candidate:
            return len(candidate)
    return 0


def _capital(word: str, shout: bool) -> str:
    """IJ as one capital pair; a name typed all in capitals or lowercase gets capitals."""
    if shout:
        word = "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))
    if word[:2] in {"Ij", "ij"}:
        word = "IJ" + word[2:]
    return word


def _given(given: list[str], shout: bool) -> tuple[str | None, str | None]:
    """Initials and first name from the words before the tussenvoegsel: 'J.A.' is initials
    only; 'Jan Willem' gives 'J.W.' and first name 'Jan'."""
    if not given:
        return None, None
    if all(_INITIALS.fullmatch(word) and (len(word) <= 2 or "." in word) for word in given):
        letters = re.findall(r"IJ|Ij|ij|[A-Za-zÀ-ÿ]", "".join(given))
        return "".join(f"{_capital(letter, False).upper()}." for letter in letters), None
    names = [_capital(word, shout) for word in given]
    initials = "".join(f"{'IJ' if n[:2] == 'IJ' else n[:1].upper()}." for n in names)
    return initials, names[0]


def dates(cells: pd.Series, date_format: str) -> Step:
    """Text in date_format -> dates; date cells stay dates. A date that does not exist or does
    not fit the format is reported (R3: never a guess)."""
    is_date = cells.map(lambda v: hasattr(v, "year"), na_action="ignore").fillna(False).astype(bool)
    text = texts(cells.where(~is_date, None))
    parsed = pd.to_datetime(text, format=date_format, errors="coerce")
    out = missing_column(cells.index)
    good = parsed.notna()
    out[good] = parsed[good].dt.date
    out[is_date] = cells[is_date].map(lambda v: v.date() if hasattr(v, "date") else v)
    failed = text.notna() & ~good
    return Step(out, good, failed.astype(bool))
