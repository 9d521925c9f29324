"""R2 and R4 against the store and across bundles: a number points at one client's people.

Checked after the rules have given every contact its number, so that numbers R4 assigned are
checked as well as the ones typed in:
- a relation number held by a relation of the other kind that belongs to another client;
- a derived person relation whose number another client's person relation already has;
- a contact number that the store, or another row of the file, uses for a different person.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from kantoor_batch.clean.sheets import CleanSheet
from kantoor_batch.issues import Issue
from kantoor_batch.rules.plan import KIND_NAMES, Plan
from kantoor_batch.validate.consistency import cell_issues


def _person_key(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "surname": frame["last_name"]
            .astype(object)
            .map(lambda v: v.casefold() if isinstance(v, str) else None),
            "bsn": frame["bsn"],
            "birth_date": frame["birth_date"],
        },
        index=frame.index,
    )


def _different_people(a: pd.DataFrame, b: pd.DataFrame) -> pd.Series:
    """Row-wise: where both sides have a BSN, it decides (a married name is the same person);
    otherwise a different last name, or two different birth dates, is someone else."""
    ka, kb = _person_key(a), _person_key(b)
    left_bsn, right_bsn = ka["bsn"].to_numpy(), kb["bsn"].to_numpy()
    both_bsn = pd.notna(left_bsn) & pd.notna(right_bsn)
    left_born, right_born = ka["birth_date"].to_numpy(), kb["birth_date"].to_numpy()
    both_born = pd.notna(left_born) & pd.notna(right_born)
    by_name = (ka["surname"].to_numpy() != kb["surname"].to_numpy()) | (
        both_born & (left_born != right_born)
    )
    differs = (both_bsn & (left_bsn != right_bsn)) | (~both_bsn & by_name)
    return pd.Series(differs, index=a.index)


def check_numbers(
    plan: Plan,
    sheets: dict[str, CleanSheet],
    stored_relations: pd.DataFrame,
    stored_contacts: pd.DataFrame,
    stored_links: pd.DataFrame | Callable[[list[str]], pd.DataFrame] | None = None,
    owner_numbers: pd.Series | None = None,
) -> list[Issue]:
    """stored_links: contact number, relation number and name of the clients the stored
    contacts belong to, so that a clash names both clients; or a function that reads them for
    the contact numbers that clash (the store is asked only when some do). owner_numbers: by
    relation id, the number of the clients whose person relations stored_relations holds,
    where stored_relations does not hold those clients themselves."""
    issues: list[Issue] = []
    relations_sheet, contacts_sheet = sheets["relations"], sheets["contacts"]
    people = plan.contacts[plan.contacts["last_name"].notna()]

    # One number, two different people within the file (R4 gave a primary the relation number
    # while another row names that number for someone else).
    first = people.drop_duplicates("number").set_index("number")
    twin = people[people.duplicated("number")]
    if not twin.empty:
        other = first.loc[twin["number"]].set_index(twin.index)
        clash = twin[_different_people(twin, other)]
        params = {
            int(r): {
                "client": str(c),
                "other": f"{first.at[n, 'last_name']!s}, contact van klant "
                f"{first.at[n, 'relation_number']!s} (Contacten rij {first.at[n, 'row']!s})",
            }
            for r, n, c in zip(clash["row"], clash["number"], clash["relation_number"], strict=True)
        }
        issues += cell_issues(
            "contact-number-taken", contacts_sheet, "contact_number", pd.Index(clash["row"]), params
        )

    if not stored_contacts.empty:
        stored = stored_contacts.drop_duplicates("number").set_index("number")
        known = people[people["number"].isin(stored.index)]
        theirs = stored.loc[known["number"]].set_index(known.index)
        clash = known[_different_people(known, theirs)]
        if callable(stored_links):
            stored_links = stored_links(sorted(set(clash["number"]))) if not clash.empty else None
        params = {
            int(r): {
                "client": str(c),
                "other": f"{theirs.at[i, 'last_name']!s} in de database"
                + _clients_of(stored_links, str(n)),
            }
            for i, r, n, c in zip(
                clash.index, clash["row"], clash["number"], clash["relation_number"], strict=True
            )
        }
        issues += cell_issues(
            "contact-number-taken", contacts_sheet, "contact_number", pd.Index(clash["row"]), params
        )

    # A number made from a long relation number that the store cannot hold (R4).
    too_long = plan.contacts[
        plan.contacts["number"].str.len().gt(NUMBER_MAX_LENGTH).fillna(False).astype(bool)
        & plan.contacts["typed_number"].isna()
    ]
    issues += cell_issues(
        "contact-number-too-long",
        contacts_sheet,
        "contact_number",
        pd.Index(too_long["row"].drop_duplicates()),
        {
            int(r): {"number": str(n)}
            for r, n in zip(too_long["row"], too_long["number"], strict=True)
        },
    )

    # A row that clashes in the file and with the store is told once: the store's version
    # names the client in the database.
    last_per_row = {i.row: i for i in issues}
    issues = [i for i in issues if last_per_row[i.row] is i]

    # R4: a row whose BSN a stored contact has is that contact, whatever number it typed.
    typed = plan.contacts["typed_number"] if "typed_number" in plan.contacts.columns else None
    if typed is not None:
        relinked = plan.contacts[typed.notna() & (typed != plan.contacts["number"])]
        params = {
            int(r): {"number": str(n)}
            for r, n in zip(relinked["row"], relinked["number"], strict=True)
        }
        issues += cell_issues(
            "contact-linked-by-bsn",
            contacts_sheet,
            "contact_number",
            pd.Index(relinked["row"].drop_duplicates()),
            params,
        )
    issues += _relation_numbers(
        plan, relations_sheet, contacts_sheet, stored_relations, stored_contacts, owner_numbers
    )
    for issue in issues:
        if issue.code == "contact-number-taken" and issue.value is None:
            issue.value = _number_at(plan, issue.row)
    return issues


NUMBER_MAX_LENGTH = 40  # store/schema.py: contacts.number, relations.number


def _clients_of(links: pd.DataFrame | None, number: str) -> str:
    if links is None or links.empty:
        return ""
    mine = links[links["number"] == number]
    clients = [
        f"{n} ({name})"
        for n, name in zip(mine["relation_number"], mine["relation_name"], strict=True)
    ]
    return (", contact van klant " + ", ".join(clients[:3])) if clients else ""


def _as_text(ids: pd.Series) -> pd.Series:
    """Ids as text ("12"), missing as NaN: ids come as ints, floats or objects. Per distinct
    id, not per row (a re-import compares every derived person relation)."""
    present = ids.dropna().unique()
    text = {v: str(int(v)) for v in present}
    return ids.map(text).astype(object).where(ids.notna(), np.nan)


def _number_at(plan: Plan, row: int | None) -> str | None:
    found = plan.contacts.loc[plan.contacts["row"] == row, "number"]
    return None if found.empty else str(found.iloc[0])


def _relation_numbers(
    plan: Plan,
    relations_sheet: CleanSheet,
    contacts_sheet: CleanSheet,
    stored: pd.DataFrame,
    stored_contacts: pd.DataFrame,
    owner_numbers: pd.Series | None,
) -> list[Issue]:
    issues: list[Issue] = []
    sheet = plan.relations[plan.relations["sheet"] == "relations"]
    derived = plan.relations[plan.relations["sheet"] == "contacts"]

    # A derived person relation whose number a Persoon row of the file has.
    persons_in_file = sheet.loc[sheet["kind"] == "person"].set_index("number")
    clash = derived[derived["number"].isin(persons_in_file.index)]
    params = {
        int(r): {"other": f"Persoon {n}, Relaties rij {persons_in_file.at[n, 'row']!s}"}
        for r, n in zip(clash["row"], clash["number"], strict=True)
    }
    issues += cell_issues(
        "number-used-by-other-client",
        contacts_sheet,
        "contact_number",
        pd.Index(clash["row"]),
        params,
    )
    if stored.empty:
        return issues

    # The client a stored person relation belongs to, also when that client is not in the
    # file (or not in this slice of it): a number is taken by the client, not the person.
    numbers = stored.set_index("id")["number"]
    if owner_numbers is not None and not owner_numbers.empty:
        numbers = pd.concat([numbers, owner_numbers[~owner_numbers.index.isin(numbers.index)]])
    owner_number = stored["source_relation_id"].map(numbers)
    stored = stored.assign(client=owner_number.where(owner_number.notna(), stored["number"]))
    by_key = stored.set_index(["kind", "number"])

    # A relation of the file whose number the other kind holds for another client.
    other_kind = sheet["kind"].map({"organisation": "person", "person": "organisation"})
    keys = pd.MultiIndex.from_arrays([other_kind, sheet["number"]])
    holder = by_key["client"].reindex(keys).to_numpy()
    taken = pd.notna(holder) & (holder != sheet["number"].to_numpy())
    params = {
        int(r): {"other": f"{KIND_NAMES[k]} {n}"}
        for r, k, n in zip(
            sheet["row"][taken], other_kind[taken], sheet["number"][taken], strict=True
        )
    }
    issues += cell_issues(
        "number-used-by-other-client",
        relations_sheet,
        "relation_number",
        pd.Index(sheet["row"][taken]),
        params,
    )

    # A derived person relation whose number a person relation of someone else has: not the
    # one derived from the same contact (a DGA of two BVs), nor one with the same BSN.
    keys = pd.MultiIndex.from_arrays([derived["kind"], derived["number"]])
    existing = by_key.reindex(keys)
    held = existing["client"].notna().to_numpy()
    contact_ids = (
        stored_contacts.drop_duplicates("number").set_index("number")["id"]
        if not stored_contacts.empty
        else pd.Series(dtype=object)
    )
    mine = _as_text(derived["derived_from_contact"].map(contact_ids))
    same_contact = mine.notna().to_numpy() & (
        mine.to_numpy() == _as_text(existing["derived_from_contact_id"]).to_numpy()
    )
    bsn = derived["fiscal_number"].to_numpy(dtype=object)
    same_bsn = pd.notna(bsn) & (bsn == existing["fiscal_number"].to_numpy(dtype=object))
    taken = held & ~same_contact & ~same_bsn
    params = {
        int(r): {"other": f"Persoon {n}"}
        for r, n in zip(derived["row"][taken], derived["number"][taken], strict=True)
    }
    issues += cell_issues(
        "number-used-by-other-client",
        contacts_sheet,
        "contact_number",
        pd.Index(derived["row"][taken]),
        params,
    )
    for issue in issues:
        if issue.value is None and issue.code == "number-used-by-other-client":
            issue.value = _number_at(plan, issue.row)
    return issues
