"""Phone numbers and countries: normalised so that the same number is always written the same.

Phone numbers go through phonenumbers (the libphonenumber metadata), in the relation's country;
each distinct number is parsed once, which matters on migration files where a switchboard
number repeats thousands of times.
"""

from __future__ import annotations

import pandas as pd
import phonenumbers

from kantoor_batch.catalogues import fold_choice
from kantoor_batch.clean.values import missing_column, put

DEFAULT_COUNTRY = "NL"
COUNTRIES = frozenset(phonenumbers.SUPPORTED_REGIONS)
_COUNTRY_NAMES = {
    fold_choice(name): code
    for name, code in {
        "Nederland": "NL",
        "Netherlands": "NL",
        "The Netherlands": "NL",
        "Holland": "NL",
        "België": "BE",
        "Belgium": "BE",
        "Duitsland": "DE",
        "Germany": "DE",
        "Deutschland": "DE",
        "Frankrijk": "FR",
        "France": "FR",
        "Luxemburg": "LU",
        "Luxembourg": "LU",
        "Verenigd Koninkrijk": "GB",
        "United Kingdom": "GB",
        "Spanje": "ES",
        "Spain": "ES",
    }.items()
}


def normalise_countries(text: pd.Series) -> pd.Series:
    """'nl', 'Nederland' -> 'NL'. Unknown names stay as written for the schema to report."""
    folded = text.dropna().map(fold_choice)
    named = folded.map(_COUNTRY_NAMES)
    codes = text.dropna().str.upper()
    result = text.copy()
    put(result, codes.index, named.where(named.notna(), codes))
    return result


def normalise_phone(text: str, region: str) -> str | None:
    """International format ('+31 6 12345678'), or None when it is no possible number."""
    try:
        number = phonenumbers.parse(text, region if region in COUNTRIES else DEFAULT_COUNTRY)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def normalise_phones(phones: pd.Series, regions: pd.Series) -> pd.Series:
    """Normalised numbers; None where the number is not valid (the caller reports those)."""
    present = phones.dropna()
    result = missing_column(phones.index)
    if present.empty:
        return result
    region = regions.reindex(present.index).astype(object)
    region = region.where(region.notna(), DEFAULT_COUNTRY)
    digits = present.astype(str).str.replace(r"[\s\-./()]", "", regex=True)
    dutch = (region == DEFAULT_COUNTRY) & digits.str.fullmatch(r"0?[1-9]\d{8}")
    put(result, dutch.index[dutch], dutch_numbers(digits[dutch].str[-9:]))
    others = present[~dutch]
    pairs = list(zip(others, region[~dutch], strict=True))
    verdicts = {pair: normalise_phone(*pair) for pair in set(pairs)}
    put(result, others.index, pd.Series([verdicts[p] for p in pairs], index=others.index))
    return result


def dutch_numbers(national: pd.Series) -> pd.Series:
    """Dutch numbers given as their nine national digits, normalised by phonenumbers once per
    five leading digits: in the Dutch numbering plan the number type, its validity and the way
    it is grouped follow from those digits and the length (a property test holds this to
    phonenumbers for every number). Saves a parse per number on files of many clients."""
    prefixes = national.str[:5]
    templates: dict[str, list[int] | None] = {}
    for prefix, sample in national.groupby(prefixes).first().items():
        formatted = normalise_phone("0" + sample, DEFAULT_COUNTRY)
        templates[str(prefix)] = None if formatted is None else _group_sizes(formatted)
    return pd.Series(
        [_grouped(n, templates[p]) for n, p in zip(national, prefixes, strict=True)],
        index=national.index,
        dtype=object,
    )


def _group_sizes(formatted: str) -> list[int]:
    """'+31 50 311 0000' -> [2, 3, 4]: the digit groups after the country code."""
    return [len(group) for group in formatted.split(" ")[1:]]


def _grouped(national: str, sizes: list[int] | None) -> str | None:
    if sizes is None:
        return None
    parts, at = [], 0
    for size in sizes:
        parts.append(national[at : at + size])
        at += size
    return "+31 " + " ".join(parts)
