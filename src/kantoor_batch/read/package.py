"""The workbook's zip package, checked against limits.py before python-calamine reads a cell.

calamine inflates whatever a part holds and keeps a sheet's used range (A1 to the last cell) as
a dense table: a 5 KB file with one value in XFD1048576 makes it abort the process, a small
zip bomb costs gigabytes. So first this module reads the zip's directory (sizes, compression
ratios) and streams the XML parts through Python's zipfile, which stops at the size the zip
declares and checks each part's CRC, counting as it goes: the last row and column of the
sheets that will be read, their filled cells, the shared strings. Memory stays at a few MB
whatever the file holds.

On the way it notes the cells that show an Excel error (#DIV/0!, #N/A, ...): calamine reads
them as empty, and an error is no empty cell (domain.md R3: never a guess).
"""

from __future__ import annotations

import html
import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kantoor_batch import limits
from kantoor_batch.errors import LimitExceededError, UnreadableWorkbookError
from kantoor_batch.masking import printable
from kantoor_batch.read.headers import column_letter
from kantoor_batch.read.sheet_scan import (
    Position,
    SheetScan,
    count_shared_strings,
    exact_scan,
    scan_sheet,
)

DAMAGED = (
    "het bestand is beschadigd of geen geldige Excel-werkmap. Open het in Excel of "
    "LibreOffice en sla het opnieuw op als .xlsx."
)
CHUNK_BYTES = 4 * limits.MIB
_ATTRIBUTE = re.compile(rb"""([\w.:-]+)\s*=\s*("[^"]*"|'[^']*')""")
_SHEET_TYPES = ("/worksheet", "/dialogsheet", "/chartsheet", "/xlMacrosheet", "/macrosheet")


@dataclass
class PackageScan:
    sheet_names: list[str]
    checked: set[str]  # the sheets whose limits were checked (those that will be read)
    errors: dict[str, dict[Position, str]]  # by sheet name


def check_package(
    path: Path, content: bytes, to_read: Callable[[list[str]], Iterable[str]]
) -> PackageScan:
    """Raises LimitExceededError past a limit, UnreadableWorkbookError when it is no zip or a
    part is damaged. to_read picks, from the sheet names, the sheets that will be read."""
    if content.count(b"PK\x01\x02") > limits.MAX_PARTS:  # central directory entries
        raise _limit(
            path, "het aantal onderdelen", f"meer dan {_number(limits.MAX_PARTS)}", limits.MAX_PARTS
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise UnreadableWorkbookError(path, DAMAGED) from exc
    if len(infos) > limits.MAX_PARTS:
        raise _limit(path, "het aantal onderdelen", len(infos), limits.MAX_PARTS)
    _check_sizes(path, infos)
    try:
        return _scan(path, archive, infos, to_read)
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError) as exc:
        # A CRC or length that does not match, an encrypted or unknown compression method.
        raise UnreadableWorkbookError(path, DAMAGED) from exc


def _check_sizes(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > limits.MAX_PART_BYTES:
            raise _limit(
                path,
                f"het onderdeel '{info.filename}' uitgepakt",
                _size(info.file_size),
                _size(limits.MAX_PART_BYTES),
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= limits.MIN_RATIO_CHECK_BYTES and ratio > limits.MAX_COMPRESSION_RATIO:
            raise LimitExceededError(
                path,
                f"de compressieverhouding van het onderdeel '{info.filename}'",
                f"{_number(round(ratio))}:1 ({_size(info.compress_size)} wordt "
                f"{_size(info.file_size)})",
                f"{limits.MAX_COMPRESSION_RATIO}:1",
                "Zo pakt alleen een zip-bom of een beschadigd bestand uit. Open het in Excel of "
                "LibreOffice en sla het opnieuw op als .xlsx.",
            )
    if total > limits.MAX_TOTAL_BYTES:
        raise _limit(
            path,
            "de uitgepakte grootte van alle onderdelen",
            _size(total),
            _size(limits.MAX_TOTAL_BYTES),
        )


def _scan(
    path: Path,
    archive: zipfile.ZipFile,
    infos: list[zipfile.ZipInfo],
    to_read: Callable[[list[str]], Iterable[str]],
) -> PackageScan:
    names = {_normal(info.filename): info for info in infos}
    if len(names) < len(infos):  # which of two equal names would calamine read?
        raise UnreadableWorkbookError(path, DAMAGED)
    workbook_part = _office_document(path, archive, names)
    sheets, shared_strings = _sheet_parts(path, archive, names, workbook_part)
    read = set(to_read([name for name, _ in sheets]))
    by_part = {part: name for name, part in reversed(sheets)}
    scans: dict[str, SheetScan] = {}
    strings = 0
    filled = 0
    for part, info in names.items():
        if not part.endswith((".xml", ".rels")):
            continue  # images and the like: calamine never inflates them
        chunks = _chunks(archive, info)
        sheet = by_part.get(part)
        if sheet is not None:
            scan = scan_sheet(chunks, sheet in read, lambda: _chunks(archive, info))  # noqa: B023 - called at once
            filled += scan.filled
            if sheet in read:
                if not within_limits(scan):  # perhaps only formatted empty cells out there
                    scan = exact_scan(_chunks(archive, info), detail=True)
                _check_sheet(path, sheet, scan)
                scans[sheet] = scan
        elif part in shared_strings:
            strings += count_shared_strings(chunks)
        else:
            for _ in chunks:
                pass  # inflated once, so that a part lying about its size is found
    allowed = min(limits.MAX_SHARED_STRINGS, filled + limits.SHARED_STRINGS_GRACE)
    if strings > allowed:
        raise LimitExceededError(
            path,
            "het aantal gedeelde teksten",
            f"{_number(strings)} bij {_number(filled)} gevulde cellen",
            f"het aantal gevulde cellen plus {_number(limits.SHARED_STRINGS_GRACE)}",
            "Excel bewaart elke tekst één keer; zoveel teksten zonder cellen die ze gebruiken "
            "komen niet uit een gewone werkmap. Sla hem opnieuw op vanuit Excel of LibreOffice.",
        )
    return PackageScan(
        [name for name, _ in sheets],
        set(scans),
        {name: scan.errors for name, scan in scans.items() if scan.errors},
    )


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    with archive.open(info) as stream:
        while chunk := stream.read(CHUNK_BYTES):
            yield chunk


def _small_part(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    if info.file_size > limits.MAX_INDEX_PART_BYTES:
        raise _limit(
            path,
            f"het onderdeel '{info.filename}'",
            _size(info.file_size),
            _size(limits.MAX_INDEX_PART_BYTES),
        )
    return archive.read(info)


def _elements(xml: bytes, wanted: str) -> list[dict[str, str]]:
    """The attributes of every element named wanted (any namespace prefix). Read with regular
    expressions, as leniently as calamine reads these parts: a stray control character in a
    sheet name makes the XML invalid, not the workbook unreadable."""
    pattern = re.compile(rb"<(?:[\w.-]+:)?" + wanted.encode() + rb"\b([^>]*)>")
    return [
        {
            name.decode("utf-8", "replace"): html.unescape(value[1:-1].decode("utf-8", "replace"))
            for name, value in _ATTRIBUTE.findall(match.group(1))
        }
        for match in pattern.finditer(xml)
    ]


def _office_document(
    path: Path, archive: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo]
) -> str:
    part = _normal("xl/workbook.xml")
    if "_rels/.rels" in names:
        for rel in _elements(_small_part(path, archive, names["_rels/.rels"]), "Relationship"):
            if rel.get("Type", "").endswith("/officeDocument"):
                part = _resolve("", rel.get("Target", ""))
    if part not in names:
        raise UnreadableWorkbookError(path, DAMAGED)
    return part


def _sheet_parts(
    path: Path, archive: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo], workbook: str
) -> tuple[list[tuple[str, str]], set[str]]:
    """(sheet name, part) in workbook order, and the shared-strings parts."""
    folder, base = posixpath.split(workbook)
    rels_part = posixpath.join(folder, "_rels", base + ".rels")
    targets: dict[str, str] = {}
    shared_strings = {_normal(posixpath.join(folder, "sharedStrings.xml"))}
    if rels_part in names:
        for rel in _elements(_small_part(path, archive, names[rels_part]), "Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = _resolve(folder, rel.get("Target", ""))
            kind = rel.get("Type", "")
            if kind.endswith("/sharedStrings"):
                shared_strings.add(target)
            elif kind.endswith(_SHEET_TYPES):
                targets[rel.get("Id", "")] = target
    sheets = []
    for sheet in _elements(_small_part(path, archive, names[workbook]), "sheet"):
        rel_id = next((v for k, v in sheet.items() if k.rpartition(":")[2] == "id"), "")
        if rel_id in targets and "name" in sheet:
            sheets.append((sheet["name"], targets[rel_id]))
    return sheets, shared_strings


def _resolve(folder: str, target: str) -> str:
    if target.startswith("/"):
        return _normal(posixpath.normpath(target.lstrip("/")))
    return _normal(posixpath.normpath(posixpath.join(folder, target)))


def _normal(part: str) -> str:
    """Part names compare without regard to case or the slash a Windows zip tool used."""
    return part.replace("\\", "/").casefold()


def within_limits(scan: SheetScan) -> bool:
    area = scan.last_row * scan.last_column
    return (
        scan.last_row <= limits.MAX_ROWS
        and scan.last_column <= limits.MAX_COLUMNS
        and area <= limits.MAX_SHEET_CELLS
        and (
            area <= limits.SPARSE_GRACE_CELLS
            or area <= limits.MAX_EMPTY_CELLS_PER_FILLED * max(scan.filled, 1)
        )
    )


def _check_sheet(path: Path, sheet: str, scan: SheetScan) -> None:
    last = f"{column_letter(max(scan.last_column, 1) - 1)}{max(scan.last_row, 1)}"
    if scan.last_row > limits.MAX_ROWS or scan.last_column > limits.MAX_COLUMNS:
        raise LimitExceededError(
            path,
            f"de laatste cel van blad '{sheet}'",
            printable(scan.outside) or last,
            "XFD1048576, de laatste cel die Excel kent",
            "Zo'n cel kan Excel niet maken; sla de werkmap opnieuw op vanuit Excel of LibreOffice.",
        )
    area = scan.last_row * scan.last_column
    used = f"A1:{last} ({_number(area)} cellen)"
    if area > limits.SPARSE_GRACE_CELLS and area > limits.MAX_EMPTY_CELLS_PER_FILLED * max(
        scan.filled, 1
    ):
        raise LimitExceededError(
            path,
            f"het gebruikte bereik van blad '{sheet}'",
            f"{used} met maar {_number(scan.filled)} gevulde cellen",
            f"{limits.MAX_EMPTY_CELLS_PER_FILLED} cellen per gevulde cel (boven "
            f"{_number(limits.SPARSE_GRACE_CELLS)} cellen)",
            f"Er staat iets ver onder of rechts van de gegevens (tot cel {last}). Selecteer de "
            "lege rijen en kolommen na de gegevens, verwijder ze en sla het bestand opnieuw op.",
        )
    if area > limits.MAX_SHEET_CELLS:
        raise LimitExceededError(
            path,
            f"het gebruikte bereik van blad '{sheet}'",
            used,
            f"{_number(limits.MAX_SHEET_CELLS)} cellen",
            "Verwijder lege rijen en kolommen onder en rechts van de gegevens, of verdeel de "
            "rijen over meer werkmappen.",
        )


def _limit(path: Path, what: str, found: object, limit: object) -> LimitExceededError:
    return LimitExceededError(
        path,
        what,
        _number(found) if isinstance(found, int) else str(found),
        _number(limit) if isinstance(limit, int) else str(limit),
        "Dit is geen gewone Excel-werkmap of hij is te groot: sla hem opnieuw op vanuit Excel "
        "of LibreOffice, of verdeel de rijen over meer werkmappen.",
    )


def _number(n: int) -> str:
    """12345678 -> '12.345.678', as Dutch readers write it."""
    return f"{n:,}".replace(",", ".")


def _size(n: int) -> str:
    for unit, size in (("GB", limits.GIB), ("MB", limits.MIB), ("KB", 1024)):
        if n >= size:
            return f"{n / size:.1f} {unit}".replace(".", ",").replace(",0 ", " ")
    return f"{n} bytes"
