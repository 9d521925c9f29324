"""The result workbook <name>-resultaat.xlsx: a summary, one sheet per kind of thing with the
action taken, and the messages.

Written with rustpy-xlsxwriter: these are plain tables that can run to millions of rows
(workflows of 100,000 clients), and it writes them about eight times faster than XlsxWriter
(docs/decisions.md). Strings are always written as text, never as formulas; dates are date
cells. A sheet longer than Excel allows continues on a sheet named '... (2)'.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from rustpy_xlsxwriter import FastExcel

from kantoor_batch.errors import OutputNotWritableError
from kantoor_batch.export.files import written_whole
from kantoor_batch.masking import printable
from kantoor_batch.messages import Lang
from kantoor_batch.result import ACTIONS, TABLE_NAMES, ImportResult
from kantoor_batch.store.database import describe

EXCEL_MAX_DATA_ROWS = 1_048_575
# On paper: landscape, every column on one page width, the header row on every page, page
# numbers in the footer.
PAGE_SETUP = {
    "landscape": True,
    "fit_to_pages": (1, 0),
    "repeat_rows": 0,
    "footer": "&L&A&RPagina &P van &N",
}
DATE_FORMAT = "dd-mm-yyyy"


def result_workbook_path(
    input_path: Path, folder: Path | None = None, *, dry_run: bool = False
) -> Path:
    """<name>-resultaat.xlsx; a dry run's is <name>-proefdraai.xlsx, so that it never takes
    the place of the result of a real run."""
    suffix = "proefdraai" if dry_run else "resultaat"
    return (folder or input_path.parent) / f"{input_path.stem}-{suffix}.xlsx"


def summary_table(result: ImportResult) -> pd.DataFrame:
    info = [
        ("Bestand", printable(result.path.name)),
        ("SHA-256", result.sha256),
        ("Peildatum", result.as_of.strftime("%d-%m-%Y")),
        ("Gestart", result.started_at.astimezone().strftime("%d-%m-%Y %H:%M:%S")),
        ("Duur (seconden)", f"{result.seconds:.1f}"),
        ("Database", describe(result.store) if result.store else ""),
        ("Proefdraai", "Ja (niets opgeslagen)" if result.dry_run else "Nee"),
        ("Uitkomst", outcome_words(result)),
        ("Gewijzigde waarden", str(result.changed_values)),
        ("Conflicten sinds export", str(result.conflicts)),
        ("Overgeslagen relaties", ", ".join(sorted(result.skipped_bundles))),
        (
            "Rijen niet opgeslagen",
            ", ".join(f"{sheet} rij {row}" for sheet, row in result.rows_not_stored),
        ),
        ("Fouten", str(result.errors)),
        ("Waarschuwingen", str(result.warnings)),
    ]
    rows: list[dict[str, object]] = [
        {"Onderdeel": k, "Waarde": v, **dict.fromkeys(ACTIONS)} for k, v in info
    ]
    rows.append({"Onderdeel": None, "Waarde": None, **dict.fromkeys(ACTIONS)})
    rows.append({"Onderdeel": "Soort", "Waarde": None, **{a: a for a in ACTIONS}})
    for kind, counts in result.counts().items():
        rows.append({"Onderdeel": kind, "Waarde": None, **counts})
    return pd.DataFrame(rows, dtype=object)


def outcome_words(result: ImportResult) -> str:
    """What happened, in the words of the Samenvatting; a dry run says it stored nothing."""
    if result.dry_run:
        would = {
            "completed": "alles zou worden geïmporteerd",
            "partial": "een deel zou worden geïmporteerd",
            "rejected": "er zou niets worden geïmporteerd",
        }[result.outcome]
        return f"proefdraai, niets opgeslagen ({would})"
    return {
        "completed": "alles geïmporteerd",
        "partial": "deels geïmporteerd",
        "rejected": "niets geïmporteerd",
    }[result.outcome]


def messages_table(result: ImportResult, lang: Lang) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Blad": [i.sheet or "" for i in result.issues],
            "Rij": [i.row for i in result.issues],
            "Kolom": [i.column or "" for i in result.issues],
            "Code": [i.code for i in result.issues],
            "Ernst": ["fout" if i.is_error else "waarschuwing" for i in result.issues],
            "Melding": [i.message(lang, mask=True) for i in result.issues],
        }
    )


def write_result_workbook(result: ImportResult, path: Path, lang: Lang = "nl") -> Path:
    sheets: list[tuple[str, pd.DataFrame]] = [("Samenvatting", summary_table(result))]
    for key, title in TABLE_NAMES.items():
        table = result.tables[key]
        for part, start in enumerate(range(0, max(len(table), 1), EXCEL_MAX_DATA_ROWS)):
            name = title if part == 0 else f"{title} ({part + 1})"
            sheets.append((name, table.iloc[start : start + EXCEL_MAX_DATA_ROWS]))
    sheets.append(("Wijzigingen", result.changes))
    sheets.append(("Meldingen", messages_table(result, lang)))
    with written_whole(path) as temporary:
        try:
            book = FastExcel(str(temporary)).format(bold_headers=True, datetime_format=DATE_FORMAT)
            book = book.freeze(row=1)
            for name, table in sheets:
                book = book.sheet(
                    name, _plain(table), column_widths=_widths(table), page_setup=PAGE_SETUP
                )
            book.save()
        except (OSError, ValueError, RuntimeError) as exc:
            raise OutputNotWritableError(path, str(exc)) from exc
    return path


def _widths(table: pd.DataFrame, sample: int = 1_000) -> dict[str, float]:
    """Wide enough for the header and the first rows' values, within reason."""
    head = table.head(sample)
    return {
        str(column): float(
            min(
                60, max(10, len(str(column)) + 2, *(len(str(v)) + 2 for v in head[column].dropna()))
            )
        )
        for column in table.columns
    }


# Excel holds at most this many characters in a cell; longer free text is cut, with a mark.
EXCEL_MAX_CELL_TEXT = 32_767
FREE_TEXT_COLUMNS = frozenset(
    {"Naam", "Omschrijving", "Melding", "Oud", "Nieuw", "Betreft", "Workflow", "E-mail"}
)


def _within_cell_limit(table: pd.DataFrame) -> pd.DataFrame:
    """Free-text columns cut to what a cell holds (the store has the whole value)."""
    out = table
    for column in FREE_TEXT_COLUMNS.intersection(map(str, table.columns)):
        values = table[column]
        if values.dtype != object:
            continue
        too_long = (values.str.len() > EXCEL_MAX_CELL_TEXT).to_numpy()
        if too_long.any():
            out = out.copy() if out is table else out
            cut = values[too_long].map(lambda v: v[: EXCEL_MAX_CELL_TEXT - 1] + "…")
            out.loc[too_long, column] = cut
    return out


def _plain(table: pd.DataFrame) -> pd.DataFrame:
    """Missing values as empty cells, whatever pandas used for them. rustpy-xlsxwriter leaves
    None and NaN empty by itself but takes NaT for a date in the year 1, so only columns that
    may hold NaT or pd.NA (not text or plain objects) are converted: this runs over millions
    of cells."""
    table = _within_cell_limit(table)
    loose = [
        column
        for column, dtype in table.dtypes.items()
        if not (pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype))
    ]
    if not loose:
        return table
    out = table.copy()
    for column in loose:
        values = out[column].astype(object)
        out[column] = values.where(values.notna(), None)
    return out
