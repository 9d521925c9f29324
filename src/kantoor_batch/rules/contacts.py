"""R4: the contacts of each relation, its primary contact, and their numbers.

A person is one contact: a row whose BSN a stored contact has is that contact, whatever its
number column says; rows of the file with one BSN are one contact. Numbers, in this order:
the stored contact with the row's BSN; the number the row gives; the number the contact got
in an earlier import (matched on name and birth date within its relation); the relation
number for the primary contact; else a number from the firm's numbering scheme (suffix on
the client's number by default), never one in use and never the firm's next client number.

The primary contact of a stored client stays who it was (a re-ordered VOF or an added DGA is
an update, not a new primary); a new client's is its first Ondernemer, else its first
Contactpersoon. A new contact without e-mail or phone takes the relation's, flagged as derived
so that a re-import never writes it over a contact's own (R13).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kantoor_batch.catalogues import Numbering
from kantoor_batch.rules.plan import CONTACT_FIELDS, Existing, RuleInput, derived_flag
from kantoor_batch.validate.references import creates_relation

PRIMARY_ORDER = {"Ondernemer": 0, "Contactpersoon": 1}
MAX_ROUNDS = 50  # of looking for free numbers; each round asks the store once


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
            "typed_number": data["contact_number"],
            "contact_type": data["contact_type"],
            **{name: data[name] for name in CONTACT_FIELDS},
            "create_relation": creates_relation(data),
            "income_tax_return": data["income_tax_return"]
            .where(data["income_tax_return"].notna(), True)
            .astype(bool),
            "income_tax_stated": data["income_tax_return"].notna(),
            "belongs_to": data["belongs_to"],
            "primary_stated": data["primary"],
            "row": data.index,
        },
        index=data.index,
    ).reset_index(drop=True)
    for detail in ("email", "phone"):
        fallback = frame["relation_number"].map(owners[detail])
        taken_over = frame[detail].isna() & fallback.notna()
        frame[detail] = frame[detail].where(~taken_over, fallback)
        frame[derived_flag(detail)] = taken_over
    existing = inp.existing
    person = _person(frame)
    known = _known_numbers(frame, existing)
    frame["number"] = known.groupby(person, sort=False).transform("first")
    frame["is_primary"] = _primary(frame, existing.linked_contacts)
    # The relation number for the primary contact of a client that has none yet; a stored
    # client's primary contact has that number already, so a new primary gets one of its own.
    takes_number = (
        frame["is_primary"]
        & frame["number"].isna()
        & ~_has_stored_primary(frame, existing.linked_contacts)
    )
    by_relation = frame["relation_number"].where(takes_number)
    frame["number"] = frame["number"].fillna(by_relation.groupby(person).transform("first"))
    frame["number"] = _new_numbers(
        frame, person, relations, existing, inp.catalogues.numbering, inp.numbers_in_file
    )
    return frame


def _person(frame: pd.DataFrame) -> pd.Series:
    """One key per person of the file: the BSN where there is one, else the number the row
    gives, else the row itself."""
    row_key = "row:" + frame["row"].astype(str)
    by_number = ("number:" + frame["typed_number"].astype(str)).where(
        frame["typed_number"].notna(), row_key
    )
    return ("bsn:" + frame["bsn"].astype(str)).where(frame["bsn"].notna(), by_number)


def _known_numbers(frame: pd.DataFrame, existing: Existing) -> pd.Series:
    """The number each row already has: a stored contact's by BSN, the typed one, or the one
    an earlier import gave it within its relation."""
    numbers = pd.Series(None, index=frame.index, dtype=object)
    stored = existing.contacts_by_bsn
    if not stored.empty:
        by_bsn = stored.dropna(subset=["bsn"]).drop_duplicates("bsn").set_index("bsn")["number"]
        numbers = frame["bsn"].map(by_bsn).astype(object)
    numbers = numbers.where(numbers.notna(), frame["typed_number"])
    return numbers.where(numbers.notna(), _earlier_numbers(frame, existing.linked_contacts))


def _has_stored_primary(frame: pd.DataFrame, linked: pd.DataFrame) -> pd.Series:
    if linked.empty or "is_primary" not in linked.columns:
        return pd.Series(False, index=frame.index)
    firsts = linked[linked["is_primary"].astype(bool)]
    # (kind, number) pairs compared as MultiIndexes, not as tuples built per row.
    keys = pd.MultiIndex.from_arrays([firsts["relation_kind"], firsts["relation_number"]])
    pairs = pd.MultiIndex.from_arrays([frame["relation_kind"], frame["relation_number"]])
    return pd.Series(pairs.isin(keys), index=frame.index)


def _primary(frame: pd.DataFrame, linked: pd.DataFrame) -> pd.Series:
    """A stored client keeps its primary contact; otherwise the first Ondernemer of each
    organisation, else its first Contactpersoon."""
    stored_primary = pd.Series(dtype=object)
    if not linked.empty and "is_primary" in linked.columns:
        firsts = linked[linked["is_primary"].astype(bool)]
        stored_primary = firsts.drop_duplicates(["relation_kind", "relation_number"]).set_index(
            ["relation_kind", "relation_number"]
        )["number"]
    keys = pd.MultiIndex.from_arrays([frame["relation_kind"], frame["relation_number"]])
    kept = stored_primary.reindex(keys).to_numpy()
    has_stored = pd.notna(kept)
    is_kept = has_stored & (frame["number"].to_numpy() == kept)
    kept_rows = frame[is_kept].drop_duplicates(["relation_kind", "relation_number"]).index

    rank = frame["contact_type"].map(PRIMARY_ORDER)
    stated = frame["primary_stated"] if "primary_stated" in frame.columns else None
    not_this_one = stated.eq(False).fillna(False).astype(bool) if stated is not None else False
    candidates = frame[
        (frame["relation_kind"] == "organisation") & rank.notna() & ~has_stored & ~not_this_one
    ]
    ordered = candidates.assign(rank=rank[candidates.index]).sort_values(
        ["relation_number", "rank", "row"]
    )
    first = ordered.drop_duplicates("relation_number").index
    primary = pd.Series(frame.index.isin(first.union(kept_rows)), index=frame.index)
    if stated is None or not stated.eq(True).any():
        return primary
    # 'Primair contact' Ja: that row is the primary contact of its relation, stored or new.
    chosen = frame[stated.eq(True).fillna(False).astype(bool)]
    chosen = chosen.drop_duplicates(["relation_kind", "relation_number"])
    relation = pd.Series(list(zip(frame["relation_kind"], frame["relation_number"], strict=True)))
    overruled = relation.isin(
        set(zip(chosen["relation_kind"], chosen["relation_number"], strict=True))
    )
    return primary.where(~overruled.to_numpy(), frame.index.isin(chosen.index))


def _identity(frame: pd.DataFrame) -> pd.Series:
    """Last name, first name (or initials), birth date and contact type: a child with only its
    family's last name is not its parent."""
    given = frame["first_name"].where(frame["first_name"].notna(), frame["initials"])
    dates = frame["birth_date"]
    # Per distinct date, not per row: a re-import matches every contact of 100,000 clients.
    text = {d: d.isoformat() for d in dates.dropna().unique()}
    born = dates.map(text).where(dates.notna(), "")
    return (
        frame["last_name"].astype(str).str.casefold()
        + "|"
        + given.fillna("").astype(str).str.casefold()
        + "|"
        + born.astype(str)
        + "|"
        + frame["contact_type"].astype(str)
    )


def _earlier_numbers(frame: pd.DataFrame, earlier: pd.DataFrame) -> pd.Series:
    """Unnumbered contacts of a re-imported relation keep the number they were given: matched
    within the relation on BSN, else on name, birth date and contact type. A stored contact is
    matched by one row at most, and not when a row of the file names its number already."""
    numbers = pd.Series(None, index=frame.index, dtype=object)
    if earlier.empty:
        return numbers
    claimed = set(frame["typed_number"].dropna())
    open_rows = frame[frame["typed_number"].isna()]
    open_rows = open_rows.assign(identity=_identity(open_rows))
    stored = earlier.assign(identity=_identity(earlier))
    for key in ("bsn", "identity"):
        theirs = stored[~stored["number"].isin(claimed)]
        mine = open_rows[open_rows[key].notna()]
        on = ["relation_kind", "relation_number", key]
        matched = (
            mine.reset_index()
            .merge(
                theirs[[*on, "number"]].dropna().drop_duplicates().drop_duplicates(on, keep=False),
                on=on,
                suffixes=("", "_earlier"),
            )
            .drop_duplicates("number_earlier", keep=False)
            .set_index("index")
        )
        numbers.loc[matched.index] = matched["number_earlier"]
        claimed |= set(matched["number_earlier"])
        open_rows = open_rows.drop(matched.index)
    return numbers


class _Taken:
    """The numbers a new contact number must not be: the store's, the file's (all of it, when
    the rules see a slice) and those given out so far. Asked per candidate, so that the file's
    numbers (millions, for a million clients) are never copied into another set."""

    def __init__(self, local: set[str], in_file: frozenset[str], existing: Existing) -> None:
        self.local, self.in_file, self.existing = local, in_file, existing

    def which(self, candidates: list[str]) -> np.ndarray:
        stored = self.existing.numbers_taken(candidates)
        local, in_file = self.local, self.in_file
        return np.array([c in local or c in in_file or c in stored for c in candidates], dtype=bool)

    def give(self, numbers: list[str]) -> None:
        self.local.update(numbers)


def _new_numbers(
    frame: pd.DataFrame,
    person: pd.Series,
    relations: pd.DataFrame,
    existing: Existing,
    numbering: Numbering,
    numbers_in_file: frozenset[str],
) -> pd.Series:
    """One new number per person still without one, from the numbering scheme, skipping every
    number the file (all of it, when the rules see a slice) or the store uses."""
    numbers = frame["number"].copy()
    open_people = person[numbers.isna()]
    if open_people.empty:
        return numbers
    first_rows = open_people.drop_duplicates()
    bases = frame.loc[first_rows.index, "relation_number"]
    in_use = set(relations["number"].dropna()) | set(numbers.dropna())
    taken = _Taken(in_use, numbers_in_file, existing)
    if numbering.scheme == "suffix":
        fresh = _suffix_numbers(bases, taken, numbering.separator)
    else:
        fresh = _range_numbers(len(bases), taken, existing, numbering.range_start)
    by_person = pd.Series(fresh, index=first_rows.to_numpy())
    numbers.loc[open_people.index] = open_people.map(by_person).to_numpy()
    return numbers


def _suffix_numbers(bases: pd.Series, taken: _Taken, separator: str) -> list[str]:
    """'<client number><separator><n>', n counting per client from 1 over free numbers."""
    wanted = bases.reset_index(drop=True)
    position = wanted.groupby(wanted, sort=False).cumcount() + 1
    result: list[str | None] = [None] * len(wanted)
    offset = pd.Series(0, index=wanted.index)
    pending = wanted.index
    for _ in range(MAX_ROUNDS):
        candidates = wanted[pending] + separator + (position[pending] + offset[pending]).astype(str)
        free = ~taken.which(candidates.tolist())
        for at, number in zip(candidates.index[free], candidates[free], strict=True):
            result[int(at)] = number
        taken.give(candidates[free].tolist())
        pending = candidates.index[~free]
        if pending.empty:
            return [n for n in result if n is not None]
        # Clients with a number taken try further on: past every number they asked for.
        per_client = wanted[pending].map(wanted.value_counts())
        offset[pending] = offset[pending] + per_client.to_numpy()
    msg = "no free contact numbers found"
    raise RuntimeError(msg)


def _range_numbers(count: int, taken: _Taken, existing: Existing, start: int) -> list[str]:
    """Consecutive numbers from the range's first free one on, skipping numbers in use."""
    top = max(start - 1, existing.highest_in_range or 0)
    found: list[str] = []
    for _ in range(MAX_ROUNDS):
        candidates = [str(top + i) for i in range(1, count - len(found) + 1)]
        used = taken.which(candidates)
        found += [c for c, is_used in zip(candidates, used, strict=True) if not is_used]
        top += len(candidates)
        if len(found) == count:
            return found
    msg = "no free contact numbers found"
    raise RuntimeError(msg)
