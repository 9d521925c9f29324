"""References between sheets (R1, R10, R12) and the client warnings of R4 and R5 that need no
store. What the store already holds is passed in as Known, so that an import can accept a group,
an employee or a relation that exists only there."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kantoor_batch.catalogues import IB_ENTERPRISES
from kantoor_batch.clean.sheets import CleanSheet
from kantoor_batch.issues import Issue
from kantoor_batch.validate.consistency import cell_issues

# Contact types that get a person relation unless the row says otherwise (R5).
CREATES_RELATION_BY_DEFAULT = frozenset({"Ondernemer", "Fiscaal partner"})


@dataclass(frozen=True)
class Known:
    """Names and numbers that exist in the store (empty when validating a file on its own)."""

    groups: frozenset[str] = frozenset()  # casefolded names
    employees: frozenset[str] = frozenset()  # casefolded codes
    relations: frozenset[str] = frozenset()  # relation numbers
    # Stored relation and contact numbers with leading zeros that numbers the file holds as
    # number cells match once their zeros are back (validate/numbers.py).
    zero_padded: frozenset[str] = frozenset()


def _unknown(values: pd.Series, *allowed: pd.Series | frozenset[str]) -> pd.Index:
    present = values.dropna()
    ok = pd.Series(False, index=present.index)
    for pool in allowed:
        ok |= present.isin(pool if isinstance(pool, frozenset) else pool.dropna())
    return present.index[~ok]


def check_references(sheets: dict[str, CleanSheet], known: Known) -> list[Issue]:
    relations = sheets["relations"].data["relation_number"]
    issues: list[Issue] = []
    for key in ("contacts", "products", "roles"):
        sheet = sheets[key]
        rows = _unknown(sheet.data["relation_number"], relations, known.relations)
        issues += cell_issues("unknown-relation", sheet, "relation_number", rows)

    groups = sheets["groups"].data["name"].str.casefold()
    relation_sheet = sheets["relations"]
    rows = _unknown(relation_sheet.data["group"].str.casefold(), groups, known.groups)
    issues += cell_issues("unknown-group", relation_sheet, "group", rows)

    employees = sheets["employees"].data["code"].str.casefold()
    roles = sheets["roles"]
    rows = _unknown(roles.data["employee"].str.casefold(), employees, known.employees)
    issues += cell_issues("unknown-employee", roles, "employee", rows)
    return issues


def creates_relation(contacts: pd.DataFrame) -> pd.Series:
    """Relatie aanmaken as the row says, else Ja for Ondernemer and Fiscaal partner (R5)."""
    default = contacts["contact_type"].isin(CREATES_RELATION_BY_DEFAULT)
    return (
        contacts["create_relation"].where(contacts["create_relation"].notna(), default).astype(bool)
    )


def check_client_warnings(sheets: dict[str, CleanSheet]) -> list[Issue]:
    relation_sheet, contact_sheet = sheets["relations"], sheets["contacts"]
    relations, contacts = relation_sheet.data, contact_sheet.data
    organisations = relations[relations["kind"] == "Organisatie"]
    owners = contacts.loc[contacts["contact_type"] == "Ondernemer", "relation_number"]

    ib_enterprise = organisations["legal_form"].isin(IB_ENTERPRISES)
    no_owner = organisations.index[ib_enterprise & ~organisations["relation_number"].isin(owners)]
    no_contact = organisations.index[
        ~organisations["relation_number"].isin(contacts["relation_number"])
    ].difference(no_owner)
    params = {int(r): {"legal_form": str(organisations.at[r, "legal_form"])} for r in no_owner}
    issues = cell_issues(
        "ib-enterprise-without-owner", relation_sheet, "relation_number", no_owner, params
    )
    issues += cell_issues(
        "organisation-without-contact", relation_sheet, "relation_number", no_contact
    )
    for issue in issues:
        issue.value = relations.at[issue.row, "relation_number"]

    # R5: an eenmanszaak's BSN/RSIN is its owner's BSN, so its Ondernemer is not without one.
    sole = relations[
        (relations["legal_form"] == "Eenmanszaak") & relations["fiscal_number"].notna()
    ]
    owner_has_org_bsn = (contacts["contact_type"] == "Ondernemer") & contacts[
        "relation_number"
    ].isin(sole["relation_number"])
    failed_bsn = contacts.index.isin([r for r, k in contact_sheet.failed if k == "bsn"])
    without_bsn = (
        creates_relation(contacts) & contacts["bsn"].isna() & ~owner_has_org_bsn & ~failed_bsn
    )
    issues += cell_issues("person-without-bsn", contact_sheet, "bsn", contacts.index[without_bsn])
    return issues
