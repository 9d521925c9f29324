"""R5 and R6 warnings about owners, checked on the file alone: whose household a partner or
child is when a relation has several Ondernemers, and the BSN an eenmanszaak hands to its
owner (the article: "Pas dit nummer aan indien het niet correct is")."""

from __future__ import annotations

import pandas as pd

from kantoor_batch.clean.sheets import CleanSheet
from kantoor_batch.issues import Issue
from kantoor_batch.validate.consistency import cell_issues

OWNER = "Ondernemer"
FAMILY = ("Fiscaal partner", "Kind")
SOLE_TRADER = "Eenmanszaak"


def check_owners(relations: CleanSheet, contacts: CleanSheet) -> list[Issue]:
    return _households(contacts) + _sole_trader_bsns(relations, contacts)


def _households(contacts: CleanSheet) -> list[Issue]:
    """R6: with two or more Ondernemers, 'Hoort bij' says whose partner or child a row is."""
    data = contacts.data
    owners = data[data["contact_type"] == OWNER]
    per_relation = owners.groupby("relation_number").size()
    several = set(per_relation.index[per_relation > 1])
    family = data[data["contact_type"].isin(FAMILY)]
    needed = family.index[family["relation_number"].isin(several) & family["belongs_to"].isna()]
    owner_numbers = set(zip(owners["relation_number"], owners["contact_number"], strict=True))
    named = family[family["belongs_to"].notna()]
    unknown = named.index[
        ~pd.Series(
            list(zip(named["relation_number"], named["belongs_to"], strict=True)),
            index=named.index,
            dtype=object,
        ).isin(owner_numbers)
    ]
    return cell_issues("household-owner-needed", contacts, "belongs_to", needed) + cell_issues(
        "household-owner-unknown", contacts, "belongs_to", unknown
    )


def _sole_trader_bsns(relations: CleanSheet, contacts: CleanSheet) -> list[Issue]:
    """R5: the eenmanszaak's BSN/RSIN is copied to an owner without a BSN of their own (a
    warning to check it); an owner whose own BSN differs from it is a warning naming both rows.
    Values are not repeated in the message: rows are enough, and BSNs stay out of logs."""
    sole = relations.data[
        (relations.data["legal_form"] == SOLE_TRADER) & relations.data["fiscal_number"].notna()
    ]
    sole = sole[~sole["relation_number"].duplicated()]
    row_of = pd.Series(sole.index, index=sole["relation_number"])
    bsn_of = pd.Series(sole["fiscal_number"].to_numpy(), index=sole["relation_number"])
    data = contacts.data
    owners = data[(data["contact_type"] == OWNER) & data["relation_number"].isin(row_of.index)]
    first = owners[~owners["relation_number"].duplicated()]
    copied = first.index[first["bsn"].isna()]
    differs = owners.index[
        owners["bsn"].notna() & (owners["bsn"] != owners["relation_number"].map(bsn_of))
    ]

    def where(rows: pd.Index) -> dict[int, dict[str, str]]:
        relation_rows = data.loc[rows, "relation_number"].map(row_of)
        return {
            int(r): {"where": f"Relaties rij {at}"}
            for r, at in zip(rows, relation_rows, strict=True)
        }

    return cell_issues("owner-bsn-copied", contacts, "bsn", copied, where(copied)) + cell_issues(
        "owner-bsn-differs", contacts, "bsn", differs, where(differs)
    )
