"""R4: the contacts of each relation, its primary contact, and their numbers.

An organisation's primary contact is its first Ondernemer, else its first Contactpersoon; it
carries the relation number unless the row names an existing contact number. A contact without
e-mail or phone takes the relation's. Other contacts without a number keep the number they got
in an earlier import (matched on BSN, or on name and birth date, within the same relation), or
get the next number no relation or contact uses yet.
"""

from __future__ import annotations

import pandas as pd

from kantoor_batch.rules.plan import CONTACT_FIELDS, RuleInput
from kantoor_batch.validate.references import creates_relation

PRIMARY_ORDER = {"Ondernemer": 0, "Contactpersoon": 1}


def plan_contacts(inp: RuleInput, relations: pd.DataFrame) -> pd.DataFrame:
    data = inp.sheets["contacts"].data
    owners = relations.drop_duplicates("number").set_index("number")
    data = data[data["relation_number"].isin(owners.index) & data["last_name"].notna()]
    frame = pd.DataFrame(
        {
            "bundle": data["relation_number"],
            "relation_kind": data["relation_number"].map(owners["kind"]),
            "relation_number": data["relation_number"],
            "number": data["contact_number"],
            "contact_type": data["contact_type"],
            **{name: data[name] for name in CONTACT_FIELDS},
            "create_relation": creates_relation(data),
            "income_tax_return": data["income_tax_return"]
            .where(data["income_tax_return"].notna(), True)
            .astype(bool),
            "row": data.index,
        },
        index=data.index,
    ).reset_index(drop=True)
    for detail in ("email", "phone"):
        fallback = frame["relation_number"].map(owners[detail])
        frame[detail] = frame[detail].where(frame[detail].notna(), fallback)
    frame["is_primary"] = _primary(frame)
    primary_unnumbered = frame["is_primary"] & frame["number"].isna()
    frame.loc[primary_unnumbered, "number"] = frame.loc[primary_unnumbered, "relation_number"]
    frame["number"] = _keep_earlier_numbers(frame, inp.existing.linked_contacts)
    frame["number"] = _new_numbers(frame, relations, inp.existing.highest_number)
    return frame


def _primary(frame: pd.DataFrame) -> pd.Series:
    """First Ondernemer of each organisation, else its first Contactpersoon."""
    rank = frame["contact_type"].map(PRIMARY_ORDER)
    candidates = frame[(frame["relation_kind"] == "organisation") & rank.notna()]
    ordered = candidates.assign(rank=rank).sort_values(["relation_number", "rank", "row"])
    first = ordered.drop_duplicates("relation_number").index
    return pd.Series(frame.index.isin(first), index=frame.index)


def _identity(frame: pd.DataFrame) -> pd.Series:
    given = frame["first_name"].where(frame["first_name"].notna(), frame["initials"])
    born = frame["birth_date"].map(lambda d: d.isoformat() if d is not None else "")
    return (
        frame["last_name"].str.casefold()
        + "|"
        + given.fillna("").astype(str).str.casefold()
        + "|"
        + born.astype(str)
    )


def _keep_earlier_numbers(frame: pd.DataFrame, earlier: pd.DataFrame) -> pd.Series:
    """Unnumbered contacts of a re-imported relation keep the number they were given."""
    numbers = frame["number"].copy()
    open_rows = frame[numbers.isna()]
    if open_rows.empty or earlier.empty:
        return numbers
    for key in ("bsn", "identity"):
        mine = open_rows.assign(identity=_identity(open_rows))
        theirs = earlier.assign(identity=_identity(earlier))
        mine = mine[mine[key].notna()]
        matched = (
            mine.reset_index()
            .merge(
                theirs[["relation_number", key, "number"]]
                .dropna()
                .drop_duplicates(["relation_number", key]),
                on=["relation_number", key],
                suffixes=("", "_earlier"),
            )
            .set_index("index")
        )
        numbers.loc[matched.index] = matched["number_earlier"]
        open_rows = open_rows.drop(matched.index)
    return numbers


def _new_numbers(
    frame: pd.DataFrame, relations: pd.DataFrame, highest: tuple[int, int] | None
) -> pd.Series:
    numbers = frame["number"].copy()
    missing = numbers[numbers.isna()].index
    if len(missing) == 0:
        return numbers
    in_file = pd.concat([relations["number"], numbers.dropna()])
    digits = in_file[in_file.str.fullmatch(r"[0-9]+")]
    top, width = highest or (0, 1)
    if not digits.empty:
        file_top = digits.astype("int64").max()
        if file_top >= top:
            top = int(file_top)
            width = int(digits[digits.astype("int64") == file_top].str.len().max())
    fresh = [str(top + i).zfill(width) for i in range(1, len(missing) + 1)]
    numbers.loc[missing] = fresh
    return numbers
