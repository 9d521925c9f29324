"""Matching the header row of a sheet to the template's columns (domain.md: case, spaces, a
trailing '*', English names). What does not match is kept as an extra column and warned about.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from kantoor_batch.issues import Issue
from kantoor_batch.spec import MESSAGES_COLUMN, Sheet, normalise_header


@dataclass
class HeaderMatch:
    known: dict[str, int] = field(default_factory=dict)  # column key -> position
    extra: dict[str, int] = field(default_factory=dict)  # header as written -> position


def column_letter(position: int) -> str:
    """0 -> 'A', 27 -> 'AB', as Excel names columns."""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def match_headers(
    spec: Sheet, title: str, header_cells: Sequence[object], issues: list[Issue]
) -> HeaderMatch:
    lookup: dict[str, str] = {}
    for column in spec.columns:
        for alias in (column.header, *column.aliases):
            lookup[normalise_header(alias)] = column.key
    ignored = normalise_header(MESSAGES_COLUMN)

    match = HeaderMatch()
    positions: dict[str, list[int]] = {}
    for position, cell in enumerate(header_cells):
        text = "" if cell is None else str(cell).strip()
        folded = normalise_header(text)
        if folded == ignored:
            continue  # our own messages column of an error workbook handed back in
        key = lookup.get(folded)
        if key is not None:
            positions.setdefault(key, []).append(position)
            continue
        header = text or f"(kolom {column_letter(position)})"
        match.extra[header] = position
        if text:
            issues.append(Issue("unknown-column", title, 1, header, value=text))
    for key, places in positions.items():
        match.known[key] = places[0]
        if len(places) > 1:
            issues.append(
                Issue(
                    "duplicate-column",
                    title,
                    1,
                    spec.column(key).header,
                    params={"positions": ", ".join(column_letter(p) for p in places)},
                )
            )
    for column in spec.columns:
        if column.required and column.key not in match.known:
            issues.append(Issue("missing-column", title, 1, column.header))
    return match
