"""R5 and R6: person relations derived from contacts, and the household links.

A contact with Relatie aanmaken = Ja becomes a person relation with its data and number. Its
BSN is the contact's own; the organisation's BSN/RSIN is copied only for the owner of an
eenmanszaak, whose BSN it is. An RSIN of a legal entity never becomes a person's BSN.
"""

from __future__ import annotations

import pandas as pd

from kantoor_batch.rules.plan import RELATION_FIELDS, derived_flag
from kantoor_batch.rules.relations import DEFAULT_COUNTRY, DEFAULT_FINANCIAL_YEAR_START

SOLE_TRADER = "Eenmanszaak"
OWNER = "Ondernemer"
# R6: how the Ondernemer is linked to the person relation of a partner or child.
HOUSEHOLD_LINK = {"Fiscaal partner": "Fiscaal partner", "Kind": "Overig"}
# R6: the link of a derived person relation to its own contact says it is this person, not a
# family role (a partner is not her own 'Fiscaal partner').
SELF_LINK = "Zelf"


def full_name(contacts: pd.DataFrame) -> pd.Series:
    """'Jan de Vries': first name (else initials), infix and last name, whichever are given."""
    given = contacts["first_name"].where(contacts["first_name"].notna(), contacts["initials"])
    name = contacts["last_name"].astype(object).where(contacts["last_name"].notna(), "")
    for part in (contacts["infix"], given):
        present = part.notna()
        name = name.where(~present, part.astype(str) + " " + name.astype(str))
    return name.astype(str).str.strip()


def derive_person_relations(contacts: pd.DataFrame, relations: pd.DataFrame) -> pd.DataFrame:
    chosen = contacts[contacts["create_relation"]].drop_duplicates("number")
    owners = relations.drop_duplicates("number").set_index("number")
    source_form = chosen["relation_number"].map(owners["legal_form"])
    source_fiscal = chosen["relation_number"].map(owners["fiscal_number"])
    owner_of_sole_trade = (
        (source_form == SOLE_TRADER) & chosen["is_primary"] & (chosen["contact_type"] == OWNER)
    )
    bsn = chosen["bsn"].where(chosen["bsn"].notna(), source_fiscal.where(owner_of_sole_trade))
    derived = pd.DataFrame(
        {
            "bundle": chosen["bundle"],
            "kind": "person",
            "number": chosen["number"],
            **dict.fromkeys(RELATION_FIELDS),
            "group": chosen["relation_number"].map(owners["group"]),
            "integration": None,
            "onboarding_workflow": None,
            "sbr_ideal": False,
            "derived_from_contact": chosen["number"],
            "source_kind": chosen["relation_kind"],
            "source_number": chosen["relation_number"],
            "sheet": "contacts",
            "row": chosen["row"],
            "income_tax_return": chosen["income_tax_return"],
        },
        index=chosen.index,
    )
    derived["name"] = full_name(chosen) if not chosen.empty else None
    derived["fiscal_number"] = bsn
    derived["email"] = chosen["email"]
    derived["phone"] = chosen["phone"]
    derived["country"] = DEFAULT_COUNTRY
    derived["financial_year_start"] = DEFAULT_FINANCIAL_YEAR_START
    derived["income_tax_stated"] = chosen["income_tax_stated"]
    # R13: what was copied at creation is never copied again over what is stored; the
    # contact's own data (name, its own BSN, e-mail, phone) is stated by its row.
    derived[derived_flag("fiscal_number")] = chosen["bsn"].isna()
    for detail in ("email", "phone"):
        derived[derived_flag(detail)] = chosen[derived_flag(detail)]
    for link in ("group_id", "derived_from_contact_id", "source_relation_id"):
        derived[derived_flag(link)] = True
    return derived.reset_index(drop=True)


def own_contact_links(derived: pd.DataFrame) -> pd.DataFrame:
    """Each derived person relation has its own contact as primary contact, linked as
    itself (SELF_LINK)."""
    return pd.DataFrame(
        {
            "bundle": derived["bundle"],
            "relation_kind": "person",
            "relation_number": derived["number"],
            "number": derived["number"],
            "contact_type": SELF_LINK,
            "is_primary": True,
            "row": derived["row"],
            derived_flag("contact_type"): True,
            derived_flag("is_primary"): True,
        }
    )


def household_links(contacts: pd.DataFrame, derived: pd.DataFrame) -> pd.DataFrame:
    """R6: the Ondernemer is linked to the person relations of the fiscal partner and children
    of the same relation. With one Ondernemer it is that one; with several, the one whose
    contact number the row's 'Hoort bij' names, and nobody when that is empty (validation
    warns which rows need it): a partner linked to the wrong person is false data."""
    owners = contacts[contacts["contact_type"] == OWNER]
    per_relation = owners.groupby("relation_number")["number"]
    only_owner = per_relation.first()[per_relation.nunique() == 1]
    family = contacts[
        contacts["contact_type"].isin(list(HOUSEHOLD_LINK))
        & contacts["number"].isin(derived["number"])
    ]
    owner = family["relation_number"].map(only_owner)
    if "belongs_to" in family.columns:
        named = family["belongs_to"]
        is_owner = pd.Series(
            list(zip(family["relation_number"], named, strict=True)), index=family.index
        ).isin(set(zip(owners["relation_number"], owners["number"], strict=True)))
        owner = named.where(named.notna() & is_owner, owner)
    family, owner = family[owner.notna()], owner[owner.notna()]
    return pd.DataFrame(
        {
            "bundle": family["bundle"],
            "relation_kind": "person",
            "relation_number": family["number"],
            "number": owner,
            "contact_type": family["contact_type"].map(HOUSEHOLD_LINK),
            "is_primary": False,
            "row": family["row"],
            derived_flag("contact_type"): True,
            derived_flag("is_primary"): True,
        }
    )
