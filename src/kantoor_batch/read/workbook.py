"""Workbook file -> one raw frame per onboarding sheet, Excel row numbers as the index.

python-calamine reads the cells (about ten times faster than openpyxl on large sheets, see
docs/decisions.md); it never runs macros, so .xlsm is as safe as .xlsx. Values stay exactly as
the cells hold them (text, float, date, bool): deciding what they mean is the clean stage's job.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import python_calamine as calamine

from kantoor_batch import limits
from kantoor_batch.errors import LimitExceededError, UnreadableWorkbookError
from kantoor_batch.frames import shared_texts
from kantoor_batch.issues import Issue
from kantoor_batch.read.headers import match_headers
from kantoor_batch.read.package import DAMAGED, check_package
from kantoor_batch.read.sheet_scan import Position
from kantoor_batch.spec import IGNORED_SHEETS, SHEETS, Sheet, normalise_header

ACCEPTED_SUFFIXES = (".xlsx", ".xlsm")
READ_THREADS = 2
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted xlsx and old .xls files
_ZIP_MAGIC = b"PK\x03\x04"


@dataclass
class RawSheet:
    """The cells of one onboarding sheet, before any meaning is given to them."""

    spec: Sheet
    title: str  # the sheet's name in the file
    # Known columns by key; columns absent from the file are absent here too.
    data: pd.DataFrame
    # Columns the template does not know, under their header as written; kept, never dropped.
    extra: pd.DataFrame
    # Keys of the columns the file has (data's columns).
    present: frozenset[str] = frozenset()
    found: bool = True  # False when the file has no such sheet


@dataclass
class RawWorkbook:
    path: Path
    sha256: str
    sheets: dict[str, RawSheet]
    issues: list[Issue] = field(default_factory=list)
    # What read_workbook's each_sheet gave for each sheet, by key (empty without one).
    prepared: dict[str, object] = field(default_factory=dict)


SheetHook = Callable[[RawSheet], object]


def read_workbook(path: Path, *, each_sheet: SheetHook | None = None) -> RawWorkbook:
    """Every onboarding sheet of the file; UnreadableWorkbookError if it is no workbook.

    each_sheet, when given, runs on every sheet (absent and empty ones too) as soon as that
    sheet is read, in this thread; its results are in RawWorkbook.prepared by sheet key. The
    import cleans a sheet this way while calamine, which parses without holding the GIL, reads
    the next ones in the pool's threads. A folder or a .csv file is read as the template's
    sheets in CSV (read/csv_sheets.py)."""
    from kantoor_batch.read.csv_sheets import is_csv_input, read_csv_sheets  # noqa: PLC0415

    if is_csv_input(path):
        return read_csv_sheets(path, each_sheet=each_sheet)
    content = _read_bytes(path)
    package = check_package(path, content, lambda names: _match_sheets(names, []).values())
    book = _open(path, content)
    issues: list[Issue] = []
    titles = _match_sheets(book.sheet_names, issues)
    if not set(titles.values()) <= package.checked:
        raise UnreadableWorkbookError(path, DAMAGED)  # calamine sees sheets the zip has not

    def read_one(spec: Sheet) -> tuple[RawSheet, list[Issue]]:
        sheet_issues: list[Issue] = []
        title = titles.get(spec.key)
        errors = package.errors.get(title, {}) if title is not None else {}
        sheet = _read_sheet(path, content, spec, title, sheet_issues, errors)
        return sheet, sheet_issues

    sheets: dict[str, RawSheet] = {}
    prepared: dict[str, object] = {}
    with ThreadPoolExecutor(max_workers=READ_THREADS) as pool:
        reading = [pool.submit(read_one, spec) for spec in SHEETS]
        for spec, future in zip(SHEETS, reading, strict=True):
            sheet, sheet_issues = future.result()
            issues += sheet_issues  # in the order of the sheets, whichever thread was first
            sheets[spec.key] = sheet
            if each_sheet is not None:  # here, while the pool parses the next sheets
                prepared[spec.key] = each_sheet(sheet)
    return RawWorkbook(path, hashlib.sha256(content).hexdigest(), sheets, issues, prepared)


def _read_sheet(
    path: Path,
    content: bytes,
    spec: Sheet,
    title: str | None,
    issues: list[Issue],
    errors: dict[Position, str],
) -> RawSheet:
    if title is None:
        if spec.required:
            issues.append(Issue("missing-sheet", spec.name, None, None))
        return empty_sheet(spec)
    cells = _cells(path, content, title)
    for (row, column), text in errors.items():
        # calamine reads an error cell as empty; its text goes back so that the clean stage
        # reports it (error-cell) instead of taking it for an empty cell.
        if row <= len(cells) and column <= len(cells[row - 1]):
            cells[row - 1][column - 1] = text  # type: ignore[index]
    if not any(cell not in ("", None) for cell in (cells[0] if cells else [])):
        # A sheet without a header row is an unused sheet, not one missing its columns.
        return empty_sheet(spec, title)
    return _frame_sheet(spec, title, cells, issues)


def _cells(path: Path, content: bytes, title: str) -> Sequence[Sequence[object]]:
    """All cells of one sheet, from a workbook object of this thread's own."""
    try:
        sheet = _open(path, content).get_sheet_by_name(title)
        return sheet.to_python(skip_empty_area=False)
    except calamine.CalamineError as exc:  # pragma: no cover - calamine refuses mid-file
        raise UnreadableWorkbookError(path, f"blad '{title}' is beschadigd ({exc})") from exc


def _read_bytes(path: Path) -> bytes:
    if path.suffix.casefold() not in ACCEPTED_SUFFIXES:
        raise UnreadableWorkbookError(
            path,
            f"de extensie '{path.suffix}' wordt niet ondersteund. Sla het bestand in Excel of "
            "LibreOffice op als Excel-werkmap (.xlsx), of als CSV met de naam van het blad "
            "(Relaties.csv). Een export van een ander pakket: kantoor-batch convert.",
        )
    try:
        content = _regular_file_bytes(path)
    except FileNotFoundError as exc:
        raise UnreadableWorkbookError(path, "het bestand bestaat niet") from exc
    except OSError as exc:
        raise UnreadableWorkbookError(
            path, f"het bestand kan niet worden geopend ({exc.strerror})"
        ) from exc
    if not content:
        raise UnreadableWorkbookError(path, "het bestand is leeg (0 bytes)")
    if content.startswith(_OLE_MAGIC):
        raise UnreadableWorkbookError(
            path,
            "het is beveiligd met een wachtwoord of het is een oud .xls-bestand. Open het, haal "
            "het wachtwoord weg en sla het op als Excel-werkmap (.xlsx).",
        )
    if not content.startswith(_ZIP_MAGIC):
        raise UnreadableWorkbookError(
            path,
            "het is geen Excel-werkmap (misschien een CSV- of tekstbestand met een andere "
            "extensie). Open het in Excel of LibreOffice en sla het op als Excel-werkmap (.xlsx).",
        )
    return content


def _regular_file_bytes(path: Path) -> bytes:
    """The file's bytes, only if it is a regular file within MAX_FILE_BYTES: a FIFO would
    hang the run and /dev/zero fill the memory. Opened without blocking, then looked at."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise UnreadableWorkbookError(
                path, f"{_kind_of_file(status.st_mode)}, geen gewoon bestand"
            )
        if status.st_size > limits.MAX_FILE_BYTES:
            raise _too_big(path, status.st_size)
        content = handle.read(limits.MAX_FILE_BYTES + 1)
    if len(content) > limits.MAX_FILE_BYTES:  # it grew while being read
        raise _too_big(path, len(content))
    return content


def _kind_of_file(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "het is een pijp (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "het is een apparaat"
    if stat.S_ISSOCK(mode):
        return "het is een socket"
    return "het is een map"


def _too_big(path: Path, size: int) -> LimitExceededError:
    return LimitExceededError(
        path,
        "de grootte van het bestand",
        f"{size / limits.MIB:,.0f} MB".replace(",", "."),
        f"{limits.MAX_FILE_BYTES // limits.MIB:,} MB".replace(",", "."),
        "Verdeel de rijen over meer werkmappen en importeer ze na elkaar.",
    )


def _open(path: Path, content: bytes) -> calamine.CalamineWorkbook:
    try:
        return calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
    except calamine.PasswordError as exc:
        raise UnreadableWorkbookError(
            path, "het is beveiligd met een wachtwoord. Sla een kopie op zonder wachtwoord."
        ) from exc
    except (calamine.CalamineError, calamine.ZipError, calamine.XmlError, ValueError) as exc:
        raise UnreadableWorkbookError(path, DAMAGED) from exc


def _match_sheets(names: list[str], issues: list[Issue]) -> dict[str, str]:
    """Which sheet of the file is which onboarding sheet (by name or English alias)."""
    lookup: dict[str, str] = {}
    for spec in SHEETS:
        for alias in (spec.name, *spec.aliases):
            lookup[normalise_header(alias)] = spec.key
    titles: dict[str, str] = {}
    for name in names:
        folded = normalise_header(name)
        key = lookup.get(folded)
        if key is not None and key not in titles:
            titles[key] = name
        elif folded not in IGNORED_SHEETS:
            issues.append(Issue("unknown-sheet", name, None, None))
    return titles


def empty_sheet(spec: Sheet, title: str | None = None) -> RawSheet:
    """A sheet with no rows: absent from the file (title None) or without a header row."""
    empty = pd.DataFrame(index=pd.Index([], dtype="int64", name="row"))
    return RawSheet(spec, title or spec.name, empty, empty.copy(), frozenset(), title is not None)


def _empty_as_none(frame: pd.DataFrame) -> pd.DataFrame:
    cells = frame.to_numpy(dtype=object, copy=True)
    cells[cells == ""] = None
    return pd.DataFrame(cells, index=frame.index, columns=frame.columns, dtype=object)


def _frame_sheet(
    spec: Sheet, title: str, cells: Sequence[Sequence[object]], issues: list[Issue]
) -> RawSheet:
    header_cells = cells[0] if cells else []
    body = cells[1:]
    frame = pd.DataFrame(body, columns=range(len(header_cells)), dtype=object)
    frame.index = pd.RangeIndex(2, 2 + len(body), name="row")
    matched = match_headers(spec, title, header_cells, issues)
    known = frame.iloc[:, list(matched.known.values())] if matched.known else frame.iloc[:, :0]
    known.columns = pd.Index(list(matched.known.keys()))
    extra = frame.iloc[:, list(matched.extra.values())] if matched.extra else frame.iloc[:, :0]
    extra.columns = pd.Index(list(matched.extra.keys()))
    # calamine gives '' for an empty cell; a row with nothing in it is no row at all.
    known, extra = shared_texts(_empty_as_none(known)), _empty_as_none(extra)
    filled = known.notna().any(axis=1) | extra.notna().any(axis=1)
    return RawSheet(spec, title, known[filled], extra[filled], frozenset(matched.known))
