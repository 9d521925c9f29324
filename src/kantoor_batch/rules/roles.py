"""R10: roles per relation. A derived person relation takes over the roles of the relation it
came from; in the store such an inherited role never replaces one the person already has."""

from __future__ import annotations

import pandas as pd


def sheet_roles(data: pd.DataFrame, relations: pd.DataFrame) -> pd.DataFrame:
    owners = relations[relations["sheet"] == "relations"].drop_duplicates("number")
    owners = owners.set_index("number")
    data = data[
        data["relation_number"].isin(owners.index) & data["role"].notna() & data["employee"].notna()
    ]
    return pd.DataFrame(
        {
            "bundle": data["relation_number"],
            "relation_kind": data["relation_number"].map(owners["kind"]),
            "relation_number": data["relation_number"],
            "role": data["role"],
            "employee": data["employee"],
            "employee_key": data["employee"].str.casefold(),
            "inherited": False,
            "row": data.index,
        }
    ).reset_index(drop=True)


def inherited_roles(roles: pd.DataFrame, derived: pd.DataFrame) -> pd.DataFrame:
    source = derived[["bundle", "number", "source_kind", "source_number"]]
    merged = source.merge(
        roles.drop(columns=["bundle"]),
        left_on=["source_kind", "source_number"],
        right_on=["relation_kind", "relation_number"],
    )
    return pd.DataFrame(
        {
            "bundle": merged["bundle"],
            "relation_kind": "person",
            "relation_number": merged["number"],
            "role": merged["role"],
            "employee": merged["employee"],
            "employee_key": merged["employee_key"],
            "inherited": True,
            "row": None,
        }
    )
