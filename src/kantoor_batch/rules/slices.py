"""Client slices: the rules and the store take the clients of a large file a slice at a time.

Holding the plan, the store's rows and the diff of 100,000 clients at once took a gigabyte
beside the workbook itself; a slice of clients at a time keeps that part as small as the
slice, whatever the size of the file (issue 14). Everything still happens in the one
transaction of the run, so a client is stored whole or not at all (R12) and a failed run
leaves nothing behind.

A slice never splits what the rules must see together. Clients that share a person (a BSN or
a contact number on two clients' rows, or a contact number that is another client's relation
number, which its primary contact gets) are one component and always land in one slice: the
rules make such a person one contact (R4) and check its number against the other rows of the
file (check_numbers). Everything else the rules do works within one client.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kantoor_batch.clean.sheets import CleanSheet
from kantoor_batch.rules.bundles import BUNDLE_SHEETS

CLIENTS_PER_SLICE = 25_000
"""Relaties rows per slice. At 25,000 a slice's plan, stored rows and diff take a few hundred
MB; smaller slices pay the rules' fixed cost per slice more often (a few tenths of a second)."""


@dataclass(frozen=True)
class ClientSlices:
    """The clients of each slice, and for each client sheet the slice of each of its rows."""

    clients: list[frozenset[str]]
    slice_of_row: dict[str, np.ndarray]

    def __len__(self) -> int:
        return len(self.clients)

    def sheets(self, sheets: dict[str, CleanSheet], number: int) -> dict[str, CleanSheet]:
        """The sheets as the rules see them for one slice: the rows of its clients on the
        client sheets; the rows of no client of the file (a contact of an unknown relation, a
        Relaties row without a number) and the other sheets (groups, employees) with the
        first slice only. One slice: the sheets as they are."""
        if len(self.clients) == 1:
            return sheets
        sliced: dict[str, CleanSheet] = {}
        for key, sheet in sheets.items():
            if key in self.slice_of_row:
                data = sheet.data[self.slice_of_row[key] == number]
            else:
                data = sheet.data if number == 0 else sheet.data.iloc[:0]
            sliced[key] = dataclasses.replace(sheet, data=data)
        return sliced


def client_slices(sheets: dict[str, CleanSheet], per_slice: int | None) -> ClientSlices:
    """The file's clients (relation numbers of Relaties) in slices of about per_slice, in the
    order of the file; clients that share a person are kept in one slice (see the module).
    per_slice None: one slice."""
    numbers = sheets["relations"].data["relation_number"].dropna()
    clients = pd.Index(pd.unique(numbers.to_numpy(dtype=object)))
    if per_slice is None or len(clients) <= per_slice:
        return ClientSlices([frozenset(clients)], {})
    component = _components(clients, _shared_keys(sheets, clients))
    # Components in the order of their first client (a component's label is its first
    # client's position); a slice is closed once it holds per_slice clients or more.
    sizes = np.bincount(component, minlength=len(clients))
    labels = np.flatnonzero(sizes)
    starts = np.cumsum(sizes[labels]) - sizes[labels]
    slice_of_label = np.zeros(len(clients), dtype=np.int64)
    slice_of_label[labels] = starts // per_slice
    slice_of_client = slice_of_label[component]
    # Slice numbers without gaps (a large component closes several slices' worth at once).
    used, slice_of_client = np.unique(slice_of_client, return_inverse=True)
    members = [frozenset(clients[slice_of_client == n]) for n in range(len(used))]
    slice_of_row = {}
    for key in BUNDLE_SHEETS:
        at = clients.get_indexer(pd.Index(sheets[key].data["relation_number"]))
        slice_of_row[key] = np.where(at >= 0, slice_of_client[np.maximum(at, 0)], 0)
    return ClientSlices(members, slice_of_row)


def _shared_keys(sheets: dict[str, CleanSheet], clients: pd.Index) -> pd.DataFrame:
    """(client position, key) for every person key a client's rows carry: the contacts' BSNs
    and contact numbers, and each client's own number (its primary contact's number)."""
    contacts = sheets["contacts"].data
    owner = clients.get_indexer(pd.Index(contacts["relation_number"]))
    parts = [
        pd.DataFrame({"client": np.arange(len(clients)), "key": "number:" + clients.astype(str)})
    ]
    for column, prefix in (("bsn", "bsn:"), ("contact_number", "number:")):
        values = contacts[column]
        rows = (owner >= 0) & values.notna().to_numpy()
        parts.append(
            pd.DataFrame({"client": owner[rows], "key": prefix + values[rows].astype(str)})
        )
    keys = pd.concat(parts, ignore_index=True).drop_duplicates()
    shared = keys["key"].duplicated(keep=False)  # a key of one client links nobody
    return keys[shared.to_numpy()]


def _components(clients: pd.Index, keys: pd.DataFrame) -> np.ndarray:
    """Per client, the position of the first client of its component (clients linked through
    shared keys, directly or via others): labels spread as minima over the keys until they
    stop changing, a handful of rounds for real files."""
    label = np.arange(len(clients))
    if keys.empty:
        return label
    client = keys["client"].to_numpy()
    key = pd.factorize(keys["key"])[0]
    while True:
        lowest_per_key = np.full(key.max() + 1, len(clients))
        np.minimum.at(lowest_per_key, key, label[client])
        new = label.copy()
        np.minimum.at(new, client, lowest_per_key[key])
        new = new[new]  # follow labels to their own label: fewer rounds on long chains
        if np.array_equal(new, label):
            return label
        label = new


def numbers_in_file(sheets: dict[str, CleanSheet]) -> frozenset[str]:
    """Every relation and contact number the file states: a number made for a contact of one
    slice must not be one that a row of a later slice names (R4)."""
    stated = (
        sheets["relations"].data["relation_number"],
        sheets["contacts"].data["contact_number"],
    )
    return frozenset(str(n) for column in stated for n in pd.unique(column.dropna()))
