"""R1 and R2 as the Relaties sheet states them: groups, employees and the relations of the
workbook, with their defaults (Land NL, Boekjaar begint 01-01, SBR iDEAL Nee)."""

from __future__ import annotations

import pandas as pd

from kantoor_batch.rules.plan import KIND_CODES, RELATION_FIELDS, RuleInput, derived_flag

DEFAULT_COUNTRY = "NL"
DEFAULT_FINANCIAL_YEAR_START = "01-01"


def sheet_relations(inp: RuleInput) -> pd.DataFrame:
    data = inp.sheets["relations"].data
    data = data[data["relation_number"].notna() & data["kind"].isin(list(KIND_CODES))]
    frame = pd.DataFrame(
        {
            "bundle": data["relation_number"],
            "kind": data["kind"].map(KIND_CODES),
            "number": data["relation_number"],
            **{name: data[name] for name in RELATION_FIELDS},
            "group": data["group"],
            "integration": data["integration"],
            "onboarding_workflow": data["onboarding_workflow"],
            "sbr_ideal": data["sbr_ideal"].where(data["sbr_ideal"].notna(), False).astype(bool),
            "derived_from_contact": None,
            "source_kind": None,
            "source_number": None,
            "sheet": "relations",
            "row": data.index,
        },
        index=data.index,
    )
    # Defaults for a new relation; over a stored one only what the sheet states counts (R13).
    for column, default in (
        ("country", DEFAULT_COUNTRY),
        ("financial_year_start", DEFAULT_FINANCIAL_YEAR_START),
    ):
        frame[derived_flag(column)] = frame[column].isna()
        frame[column] = frame[column].where(frame[column].notna(), default)
    frame[derived_flag("sbr_ideal")] = data["sbr_ideal"].isna()
    return frame.reset_index(drop=True)


def sheet_groups(inp: RuleInput) -> pd.DataFrame:
    """R1: groups of the workbook, created before the relations that use them."""
    data = inp.sheets["groups"].data
    data = data[data["name"].notna()]
    return (
        pd.DataFrame(
            {
                "name": data["name"],
                "name_key": data["name"].str.casefold(),
                "description": data["description"],
                "row": data.index,
            }
        )
        .drop_duplicates("name_key")
        .reset_index(drop=True)
    )


def sheet_employees(inp: RuleInput) -> pd.DataFrame:
    data = inp.sheets["employees"].data
    data = data[data["code"].notna() & data["name"].notna()]
    return (
        pd.DataFrame(
            {
                "code": data["code"],
                "code_key": data["code"].str.casefold(),
                "name": data["name"],
                "email": data["email"],
                "row": data.index,
            }
        )
        .drop_duplicates("code_key")
        .reset_index(drop=True)
    )
