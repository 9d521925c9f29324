"""The conversion report: one table of facts, shown three ways (terminal, --json, and the sheet
Conversie of the workbook convert writes, which validate and import skip).

It answers what a migration needs checked: which source column went where and which were not
used, which value maps and transformations fired how often, and which source rows could not be
converted and why, by file and line. Values are masked as on every other screen (a BSN shows its
last three digits), in the sheet too: the rows themselves are in the export.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from kantoor_batch.catalogues import Catalogues
from kantoor_batch.convert.engine import ConversionResult
from kantoor_batch.convert.sources import DELIMITER_NAMES
from kantoor_batch.export.files import written_whole
from kantoor_batch.export.filled_workbook import write_frames_workbook
from kantoor_batch.export.store_workbook import write_csv_folder
from kantoor_batch.masking import shown
from kantoor_batch.messages import Lang
from kantoor_batch.spec import CONVERSION_SHEET, SHEETS

CHUNK_ROWS = 50_000
_WORDS = {
    "nl": {
        "unused": "niet gebruikt",
        "file": "Bestand",
        "read": "Gelezen",
        "rows": "rijen",
        "written": "Geschreven",
        "skipped": "Niet omgezet",
        "lines": "regels",
        "errors": "fouten",
        "warnings": "waarschuwingen",
    },
    "en": {
        "unused": "not used",
        "file": "File",
        "read": "Read",
        "rows": "rows",
        "written": "Written",
        "skipped": "Not converted",
        "lines": "lines",
        "errors": "errors",
        "warnings": "warnings",
    },
}


def report_dict(
    result: ConversionResult, lang: Lang = "nl", output: Path | None = None
) -> dict[str, object]:
    """The --json form; the sheet Conversie holds the same facts."""
    return {
        "summary": {
            "profile": result.profile.name,
            "output": None if output is None else shown(str(output)),
            "ok": result.ok,
            "written": result.written(),
            "skipped_lines": {
                result.sources[name].path.name: len(lines) for name, lines in result.skipped.items()
            },
            "errors": sum(1 for i in result.issues if i.is_error),
            "warnings": sum(1 for i in result.issues if i.severity == "warning"),
        },
        "inputs": [
            {
                "input": name,
                "file": shown(source.path.name),
                "format": source.format,
                "encoding": source.encoding,
                "delimiter": source.delimiter,
                "sheet": source.sheet,
                "header_line": source.header_line,
                "rows": len(source.data),
            }
            for name, source in result.sources.items()
        ],
        "columns": [
            {"input": name, "column": shown(column), "targets": targets}
            for (name, column), targets in result.used.items()
        ],
        "mappings": [
            {"sheet": s, "column": c, "map": m, "from": shown(a), "to": b, "count": n}
            for (s, c, m, a, b), n in sorted(result.mappings.items())
        ],
        "transformations": [
            {"sheet": s, "column": c, "transformation": t, "count": n}
            for (s, c, t), n in sorted(result.transformed.items())
        ],
        "issues": [issue.as_dict(lang) for issue in result.issues],
    }


def report_rows(result: ConversionResult) -> list[list[object]]:
    """The sheet Conversie: one row per fact, grouped by what it is about."""
    rows: list[list[object]] = []
    for name, source in result.sources.items():
        how = source.encoding or f"blad {source.sheet}"
        if source.delimiter:
            how += f", {DELIMITER_NAMES[source.delimiter]}"
        rows.append(
            ["Bestand", shown(source.path.name), name, source.header_line, len(source.data), how]
        )
    for sheet, count in result.written().items():
        rows.append(["Geschreven", sheet, None, None, count, "rijen"])
    for (name, column), targets in result.used.items():
        file = shown(result.sources[name].path.name)
        rows.append(
            ["Kolom", file, shown(column), None, None, "; ".join(targets) or "niet gebruikt"]
        )
    for (sheet, column, map_name, before, after), n in sorted(result.mappings.items()):
        rows.append(
            ["Waardekaart", f"{sheet}: {column}", map_name, None, n, f"{shown(before)} -> {after}"]
        )
    for (sheet, column, what), n in sorted(result.transformed.items()):
        rows.append(["Bewerking", f"{sheet}: {column}", what, None, n, None])
    for issue in result.issues:
        kind = {"error": "Fout", "warning": "Waarschuwing"}.get(issue.severity, "Info")
        rows.append(
            [
                kind,
                shown(issue.file if issue.sheet is None else f"{issue.file} (blad {issue.sheet})"),
                issue.column and shown(issue.column),
                issue.line,
                None,
                issue.message("nl"),
            ]
        )
    return rows


REPORT_HEADERS = ["Wat", "Bestand of blad", "Kolom", "Regel", "Aantal", "Toelichting"]


def write_conversion_workbook(
    result: ConversionResult, path: Path, catalogues: Catalogues | None = None
) -> dict[str, int]:
    """The onboarding workbook with the converted rows, and the sheet Conversie
    (rustpy-xlsxwriter: 100,000 clients in seconds, docs/benchmarks.md)."""
    return write_frames_workbook(
        path,
        catalogues or Catalogues(),
        result.sheets,
        [(CONVERSION_SHEET, REPORT_HEADERS, report_rows(result))],
    )


def write_conversion_csv(result: ConversionResult, folder: Path) -> dict[str, int]:
    """The template's sheets as CSV in folder (as `export --format csv` writes them, which
    validate and import read), and Conversie.csv: about ten times faster than the workbook for
    a large migration (docs/benchmarks.md)."""
    _, counts = write_csv_folder(folder, _chunks(result))
    with (
        written_whole(folder / f"{CONVERSION_SHEET}.csv") as temporary,
        temporary.open("w", encoding="utf-8-sig", newline="") as handle,
    ):
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(REPORT_HEADERS)
        writer.writerows(["" if v is None else str(v) for v in row] for row in report_rows(result))
    return counts


def _chunks(result: ConversionResult) -> list[dict[str, list[list[object]]]]:
    out: list[dict[str, list[list[object]]]] = []
    for sheet in SHEETS:
        frame = result.sheets[sheet.key]
        for start in range(0, len(frame), CHUNK_ROWS):
            out.append({sheet.key: _rows(frame.iloc[start : start + CHUNK_ROWS])})
    return out


def _rows(frame: pd.DataFrame) -> list[list[object]]:
    values = frame.to_numpy(dtype=object)
    values[pd.isna(values)] = None
    rows: list[list[object]] = values.tolist()
    return rows


def terminal_lines(result: ConversionResult, lang: Lang, limit: int = 20) -> list[str]:
    """One screen: what was read and written, then the first issues."""
    words = _WORDS[lang]
    lines = []
    for name, source in result.sources.items():
        how = source.encoding or source.sheet or ""
        if source.delimiter:
            how += f", '{source.delimiter}'".replace("'\t'", "tab")
        lines.append(
            f"{words['read']}: {source.path.name} ({name}; {how}; "
            f"kopregel {source.header_line}): {len(source.data)} {words['rows']}"
        )
    written = ", ".join(f"{sheet} {n}" for sheet, n in result.written().items() if n)
    lines.append(f"{words['written']}: {written or '-'}")
    skipped = {result.sources[n].path.name: len(s) for n, s in result.skipped.items() if s}
    if skipped:
        lines.append(
            f"{words['skipped']}: "
            + ", ".join(f"{file} {n} {words['lines']}" for file, n in skipped.items())
        )
    unused = [column for (_, column), targets in result.used.items() if not targets]
    if unused:
        lines.append(
            ("Niet gebruikte kolommen: " if lang == "nl" else "Unused columns: ")
            + ", ".join(unused)
        )
    shown_issues = [i for i in result.issues if i.severity != "info"]
    for issue in shown_issues[:limit]:
        where = issue.where(lang)
        kind = "Fout" if issue.is_error else "Waarschuwing"
        if lang == "en":
            kind = "Error" if issue.is_error else "Warning"
        lines.append(f"  {kind} {where}: {issue.message(lang)}")
    if len(shown_issues) > limit:
        more = len(shown_issues) - limit
        lines.append(f"  ... en nog {more}" if lang == "nl" else f"  ... and {more} more")
    return [shown(line) for line in lines]
