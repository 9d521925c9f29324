"""An export file -> one table of cells with the line each row came from.

Exports arrive as whatever the old package writes: CSV in UTF-8 (with or without BOM) or
Windows-1252, separated by ';' (Dutch Excel), ',', tab or '|', sometimes with a title line above
the header; or a workbook (.xlsx, .xls, .ods), which python-calamine reads, the same reader as
the onboarding workbook's. Every row keeps its line (CSV: the line its record starts on, so a
quoted line break is counted as the file counts it) or its row (workbooks), because every row
that cannot be converted is reported by file and line.

Detection is never silent: what was chosen is in the report, and a choice the detector is not
sure of is a warning that names the option to override it.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import os
import stat
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import python_calamine as calamine
from charset_normalizer import from_bytes

from kantoor_batch import limits
from kantoor_batch.errors import UnreadableWorkbookError
from kantoor_batch.read.headers import column_letter
from kantoor_batch.read.package import check_package

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
DELIMITERS = (";", ",", "\t", "|")
DELIMITER_NAMES = {";": "puntkomma", ",": "komma", "\t": "tab", "|": "verticale streep"}
HEADER_SEARCH_ROWS = 30  # a title block above the header is a few lines, never thirty
SAMPLE_RECORDS = 200
# Encodings a Dutch office's export can be in. A detection outside these (a Cyrillic or Greek
# code page for Dutch text) is a guess the user must confirm.
WESTERN = frozenset({"utf_8", "cp1252", "latin_1", "iso8859_15", "ascii", "utf_16", "mac_roman"})
# charset-normalizer's mess ratio above which the decoded text reads badly.
MAX_CHAOS = 0.1


class UnreadableExportError(UnreadableWorkbookError):
    """The export cannot be read at all (no such file, empty, no format kantoor-batch knows)."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        Exception.__init__(self, f"Het exportbestand '{path.name}' is niet te lezen: {reason}")


@dataclass(frozen=True)
class ReadOptions:
    """How to read one export; None: detect it. From the profile's [source] or the command."""

    encoding: str | None = None
    delimiter: str | None = None
    header_row: int | None = None  # 1-based line (CSV) or row (workbook)
    sheet: str | None = None  # workbooks: the sheet's name; default the first


@dataclass
class SourceNote:
    """A remark about how the file was read; warning=True when the user should check it."""

    code: str
    text_nl: str
    text_en: str
    warning: bool = False


@dataclass
class SourceTable:
    """The cells of one export, header matched to nothing yet."""

    path: Path
    data: pd.DataFrame  # one column per header (as written), object cells; index: line
    header_line: int
    format: str  # 'csv', 'xlsx', 'xls', 'ods'
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    notes: list[SourceNote] = field(default_factory=list)

    @property
    def headers(self) -> list[str]:
        return [str(c) for c in self.data.columns]


def read_source(path: Path, options: ReadOptions | None = None) -> SourceTable:
    """The export at path as a table; UnreadableExportError when it cannot be read at all."""
    options = options or ReadOptions()
    suffix = path.suffix.casefold()
    content = _bytes(path)
    is_package = content.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0"))
    if suffix in WORKBOOK_SUFFIXES and not is_package and _looks_like_text(content):
        # Packages write tab- or semicolon-separated text under a workbook's name ('.xls').
        table = _read_csv(path, content, options)
        table.notes.insert(
            0,
            SourceNote(
                "workbook-is-text",
                f"'{path.name}' heet een werkmap, maar is tekst: het is als CSV gelezen.",
                f"'{path.name}' is named as a workbook but is text: it was read as CSV.",
                warning=True,
            ),
        )
        return table
    if suffix in WORKBOOK_SUFFIXES or is_package:
        return _read_workbook(path, content, options)
    if suffix not in CSV_SUFFIXES and not suffix == "":
        raise UnreadableExportError(
            path,
            f"de extensie '{path.suffix}' is onbekend. Lever een CSV-bestand (.csv, .txt) of een "
            "werkmap (.xlsx, .xls, .ods).",
        )
    return _read_csv(path, content, options)


def _looks_like_text(content: bytes) -> bool:
    """Text in a one-byte code page, UTF-8 or UTF-16 with BOM: no NUL bytes (bar UTF-16's) and
    nearly every character printable in the first 4 KB."""
    sample = content[:4096]
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    if b"\x00" in sample:
        return False
    text = sample.decode("cp1252", errors="replace")
    printable = sum(1 for ch in text if ch.isprintable() or ch in "\r\n\t")
    return printable >= 0.95 * len(text)


def _bytes(path: Path) -> bytes:
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError as exc:
        raise UnreadableExportError(path, "het bestand bestaat niet") from exc
    except OSError as exc:
        raise UnreadableExportError(path, f"het kan niet worden geopend ({exc.strerror})") from exc
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise UnreadableExportError(path, "het is geen gewoon bestand")
        content = handle.read(limits.MAX_FILE_BYTES + 1)
    if len(content) > limits.MAX_FILE_BYTES:
        raise UnreadableExportError(
            path,
            f"het is groter dan {limits.MAX_FILE_BYTES // limits.MIB} MB (docs/limits.md). "
            "Verdeel de rijen over meer bestanden.",
        )
    if not content.strip():
        raise UnreadableExportError(path, "het bestand is leeg")
    return content


# --- CSV --------------------------------------------------------------------------------------


def _read_csv(path: Path, content: bytes, options: ReadOptions) -> SourceTable:
    notes: list[SourceNote] = []
    encoding = options.encoding or _detect_encoding(content, notes)
    try:
        text = content.decode(encoding)
    except LookupError as exc:
        raise UnreadableExportError(
            path, f"de tekenset '{encoding}' bestaat niet. Kies bijvoorbeeld utf-8 of cp1252."
        ) from exc
    except UnicodeDecodeError as exc:
        raise UnreadableExportError(
            path,
            f"het is geen {encoding}-tekst (byte {exc.start + 1}). Kies een andere tekenset met "
            "--encoding (bijvoorbeeld cp1252 of utf-8).",
        ) from exc
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        raise UnreadableExportError(
            path, "het bevat NUL-tekens: het is geen tekstbestand. Kies de goede --encoding."
        )
    with _long_fields():
        delimiter = options.delimiter or _detect_delimiter(text, notes)
        records, lines = _records(path, text, delimiter)
    if not records:
        raise UnreadableExportError(path, "er staan geen regels in")
    header_index = _header_index(path, records, options.header_row, lines, notes)
    table = _table(records, lines, header_index)
    return SourceTable(path, table, lines[header_index], "csv", encoding, delimiter, None, notes)


def _detect_encoding(content: bytes, notes: list[SourceNote]) -> str:
    """UTF-8 first: a file that decodes as UTF-8 is UTF-8 (no Windows-1252 Dutch text does);
    otherwise charset-normalizer, whose guess is a warning when it is unsure or un-Western."""
    if content.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    matches = list(from_bytes(content[: 4 * limits.MIB]))
    # A Western code page that reads the text cleanly wins over a better-scored exotic one:
    # for a short export with one 'ö' charset-normalizer ranks hp_roman8 first and cp1252
    # (in the same match as cp1250) second, and the office's Windows wrote cp1252.
    best = next(
        (m for m in matches if m.chaos <= MAX_CHAOS and _western(m.could_be_from_charset)),
        matches[0] if matches else None,
    )
    if best is None:
        notes.append(_encoding_warning("cp1252", "geen tekenset gevonden", "no encoding found"))
        return "cp1252"
    name = codecs.lookup(best.encoding).name.replace("-", "_")
    if "cp1252" in best.could_be_from_charset:
        name = "cp1252"
    if name != "cp1252" and _same_text(content, name, "cp1252"):
        # Dutch text reads the same in several one-byte code pages (ë and é are 0xeb and 0xe9
        # in cp1250, cp1252 and latin-1 alike); a Dutch office's Windows writes cp1252.
        name = "cp1252"
    if name not in WESTERN or best.chaos > MAX_CHAOS:
        notes.append(
            _encoding_warning(
                name,
                f"onzeker (rommel {best.chaos:.0%})",
                f"uncertain (mess {best.chaos:.0%})",
            )
        )
    else:
        notes.append(
            SourceNote(
                "encoding-detected",
                f"Tekenset herkend als {name}.",
                f"Encoding detected as {name}.",
            )
        )
    return name


def _western(names: list[str]) -> bool:
    return any(codecs.lookup(n).name.replace("-", "_") in WESTERN for n in names)


def _same_text(content: bytes, first: str, second: str) -> bool:
    try:
        return content.decode(first) == content.decode(second)
    except (UnicodeDecodeError, LookupError):
        return False


def _encoding_warning(name: str, why_nl: str, why_en: str) -> SourceNote:
    return SourceNote(
        "encoding-uncertain",
        f"De tekenset is gekozen als {name}, maar de herkenning is {why_nl}. Controleer namen "
        "met letters als ë en é in het resultaat; kies anders de tekenset met --encoding "
        "(of encoding in [source] van het profiel), bijvoorbeeld --encoding cp1252.",
        f"The encoding was taken as {name}, but the detection is {why_en}. Check names with "
        "letters such as ë and é in the result; otherwise choose the encoding with --encoding "
        "(or encoding in the profile's [source]), e.g. --encoding cp1252.",
        warning=True,
    )


def _detect_delimiter(text: str, notes: list[SourceNote]) -> str:
    """The delimiter that splits most records of the sample into the same number of fields.
    csv.reader does the splitting, so quoted delimiters and line breaks count as the file
    means them; a title line above the header simply counts as one odd record."""
    sample = text[: 256 * 1024]
    scores: dict[str, tuple[int, int]] = {}
    for delimiter in DELIMITERS:
        widths = [
            len(record)
            for record, _ in zip(
                csv.reader(io.StringIO(sample), delimiter=delimiter),
                range(SAMPLE_RECORDS),
                strict=False,
            )
            if any(cell.strip() for cell in record)
        ]
        common = Counter(w for w in widths if w > 1).most_common(1)
        scores[delimiter] = (common[0][1], common[0][0]) if common else (0, 1)
    ranked = sorted(DELIMITERS, key=lambda d: scores[d], reverse=True)
    best, second = ranked[0], ranked[1]
    if scores[best][0] == 0:
        return ";"  # one column: the delimiter does not matter
    if scores[second][0] >= scores[best][0] * 0.8:
        notes.append(
            SourceNote(
                "delimiter-uncertain",
                f"Het scheidingsteken is gekozen als {DELIMITER_NAMES[best]} ('{best}'), maar "
                f"{DELIMITER_NAMES[second]} past bijna even goed. Kies het anders met "
                "--delimiter (of delimiter in [source] van het profiel).",
                f"The delimiter was taken as '{best}', but '{second}' fits almost as well. "
                "Choose it with --delimiter (or delimiter in the profile's [source]).",
                warning=True,
            )
        )
    return best


@contextlib.contextmanager
def _long_fields() -> Iterator[None]:
    """csv refuses a field over 131,072 characters and with it the whole file; a field may be
    as long as the file may be, and one too long for a workbook cell is an error on its own
    line (the converter's value-too-long)."""
    before = csv.field_size_limit(limits.MAX_FILE_BYTES)
    try:
        yield
    finally:
        csv.field_size_limit(before)


def _records(path: Path, text: str, delimiter: str) -> tuple[list[list[str]], list[int]]:
    """Every record with the line it starts on. A quoted field may span lines."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    records: list[list[str]] = []
    lines: list[int] = []
    previous = 0
    try:
        for record in reader:
            records.append(record)
            lines.append(previous + 1)
            previous = reader.line_num
    except csv.Error as exc:  # pragma: no cover - strict=False accepts nearly anything
        raise UnreadableExportError(path, f"regel {previous + 1}: {exc}") from exc
    return records, lines


# --- workbooks --------------------------------------------------------------------------------


def _read_workbook(path: Path, content: bytes, options: ReadOptions) -> SourceTable:
    kind = path.suffix.casefold().lstrip(".") or "xlsx"
    if content.startswith(b"PK\x03\x04") and kind in {"xlsx", "xlsm"}:
        check_package(path, content, lambda names: names)  # the limits of the import's reader
    try:
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
        names = book.sheet_names
        title = options.sheet or (names[0] if names else None)
        if title is None or title not in names:
            shown = ", ".join(names) or "geen"
            raise UnreadableExportError(
                path,
                f"het blad '{title}' bestaat niet (de bladen: {shown}). Kies er een met sheet"
                " in [source] van het profiel of met --sheet.",
            )
        cells = book.get_sheet_by_name(title).to_python(skip_empty_area=False)
    except calamine.PasswordError as exc:
        raise UnreadableExportError(path, "het is beveiligd met een wachtwoord") from exc
    except (calamine.CalamineError, calamine.ZipError, calamine.XmlError, ValueError) as exc:
        raise UnreadableExportError(
            path, "het is beschadigd of geen werkmap. Sla het opnieuw op als .xlsx of .csv."
        ) from exc
    records: list[list[object]] = [list(row) for row in cells]
    if not any(any(c not in ("", None) for c in r) for r in records):
        raise UnreadableExportError(path, f"het blad '{title}' is leeg")
    rows = list(range(1, len(records) + 1))
    notes: list[SourceNote] = []
    header_index = _header_index(path, records, options.header_row, rows, notes)
    table = _table(records, rows, header_index)
    return SourceTable(path, table, header_index + 1, kind, None, None, title, notes)


# --- header and table -------------------------------------------------------------------------


def _filled(record: Sequence[object]) -> int:
    return sum(1 for cell in record if cell is not None and str(cell).strip() != "")


def _header_index(
    path: Path,
    records: Sequence[Sequence[object]],
    header_row: int | None,
    lines: list[int],
    notes: list[SourceNote],
) -> int:
    """The header is the first record that fills at least two cells and half as many as the
    widest of the first rows, and holds only text: a title line has one cell, a data row has
    numbers or comes after the header."""
    if header_row is not None:
        if header_row not in lines:
            msg = f"kopregel {header_row} bestaat niet: het bestand heeft {lines[-1]} regels"
            raise UnreadableExportError(path, msg)
        return lines.index(header_row)
    head = records[:HEADER_SEARCH_ROWS]
    widest = max(_filled(r) for r in head)
    for index, record in enumerate(head):
        cells = [c for c in record if c is not None and str(c).strip() != ""]
        enough = len(cells) >= (max(2, (widest + 1) // 2) if widest > 1 else 1)
        if enough and all(isinstance(c, str) for c in cells):
            if index > 0:
                notes.append(
                    SourceNote(
                        "header-row-detected",
                        f"De kopregel staat op regel {lines[index]}; de regels erboven zijn "
                        "overgeslagen (anders: header_row in [source] van het profiel, of "
                        "--header-row).",
                        f"The header is on line {lines[index]}; the lines above it were "
                        "skipped (otherwise: header_row in the profile's [source], or "
                        "--header-row).",
                    )
                )
            return index
    return 0


def _table(records: Sequence[Sequence[object]], lines: list[int], at: int) -> pd.DataFrame:
    """The records below the header as a frame indexed by line; empty records are dropped
    (any() stops at the first filled cell, so this costs about one look per row)."""
    header = [str(c).strip() if c is not None else "" for c in records[at]]
    kept = [
        (line, record)
        for line, record in zip(lines[at + 1 :], records[at + 1 :], strict=True)
        if any(c is not None and str(c).strip() != "" for c in record)
    ]
    body = [list(record) for _, record in kept]
    width = max([len(header), *(len(r) for r in body)]) if body else len(header)
    names = _unique_headers(header + [""] * (width - len(header)))
    padded = [r + [None] * (width - len(r)) if len(r) < width else r for r in body]
    values = np.empty((len(padded), width), dtype=object)
    if padded:
        values[:] = padded
        values[values == ""] = None
    return pd.DataFrame(
        values.reshape(len(body), width),
        index=pd.Index([line for line, _ in kept], name="line", dtype="int64"),
        columns=names,
        dtype=object,
    )


def _unique_headers(header: list[str]) -> list[str]:
    seen: Counter[str] = Counter()
    names = []
    for position, text in enumerate(header):
        name = text or f"(kolom {column_letter(position)})"
        seen[name] += 1
        names.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return names
