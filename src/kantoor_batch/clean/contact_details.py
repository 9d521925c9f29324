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
    if present.empty:
        return phones.copy()
    pairs = pd.DataFrame({"phone": present, "region": regions.reindex(present.index)})
    region = pairs["region"].astype(object)
    pairs["region"] = region.where(region.notna(), DEFAULT_COUNTRY)
    distinct = pairs.drop_duplicates()
    distinct_result = [
        normalise_phone(p, r) for p, r in zip(distinct["phone"], distinct["region"], strict=True)
    ]
    lookup = dict(
        zip(zip(distinct["phone"], distinct["region"], strict=True), distinct_result, strict=True)
    )
    normalised = [lookup[key] for key in zip(pairs["phone"], pairs["region"], strict=True)]
    result = missing_column(phones.index)
    put(result, present.index, pd.Series(normalised, index=present.index, dtype=object))
    return result
