"""The Instructies sheet: how to fill in the workbook, what the import does with it (the rules
of the contract an office meets while filling in, drawn from the active catalogues), and every
column with an example (Dutch)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from xlsxwriter.worksheet import Worksheet

from kantoor_batch.catalogues import (
    IB_ENTERPRISES,
    INCOME_TAX_PRODUCT,
    Catalogues,
    Product,
    dutch_list,
)
from kantoor_batch.export.layout import LINE_HEIGHT, print_setup, row_height
from kantoor_batch.periods import FOUR_WEEK_PERIODS
from kantoor_batch.spec import SHEETS

INTRODUCTION = (
    "Onboarding van relaties met kantoor-batch",
    "Vul per blad één rij per regel in. Kolommen met * zijn verplicht. Kolommen met een "
    "keuzelijst accepteren alleen waarden uit die lijst.",
    "Nummers (relatienummer, KvK-nummer, BSN, ...) staan als Tekst opgemaakt zodat Excel de "
    "voorloopnullen bewaart. Plak waarden met 'Plakken speciaal > Alleen waarden'.",
    "Controleer het bestand met: kantoor-batch validate <bestand>.xlsx. Fouten komen in "
    "<bestand>-fouten.xlsx: herstel de rode cellen, controleer opnieuw en importeer.",
    "Volgorde: relatiegroepen en medewerkers eerst, dan relaties; contacten, producten en "
    "rollen verwijzen met het relatienummer naar een relatie op het blad Relaties.",
)
RULES_TITLE = "Zo werkt de import"
HEADERS = ("Blad", "Kolom", "Verplicht", "Uitleg", "Voorbeeld", "Hoogstens tekens")
WIDTHS = (16, 22, 10, 80, 26, 10)
# The year the examples of four-week periods are given for; fixed, so that the template
# written today is the same file next year (a test compares it with the kept copy).
EXAMPLE_YEAR = 2026


def rules(catalogues: Catalogues) -> list[tuple[str, str]]:
    """(topic, explanation) for each rule of the contract that shapes what people fill in; a
    product's own line has the product as its topic."""
    form_order = [f for f in catalogues.legal_forms if f in IB_ENTERPRISES]
    owners_forms = dutch_list(tuple(form_order or sorted(IB_ENTERPRISES)))
    years_back = catalogues.start_period_years_back
    return [
        (
            "Fouten en waarschuwingen",
            "Een relatie wordt alleen met al haar contacten, producten en rollen geïmporteerd: "
            "een fout in één rij daarvan slaat de hele relatie over, andere relaties gaan door. "
            "Een ongeldig telefoonnummer, e-mailadres, postcode of huisnummer is een "
            "waarschuwing: alleen die waarde wordt niet opgeslagen. BSN/RSIN, KvK-nummer, "
            "OB-nummer en loonheffingennummer moeten kloppen. Een tekst mag niet langer zijn "
            "dan de kolom toelaat (laatste kolom hieronder).",
        ),
        (
            "Producten",
            "Elk product moet bij de relatie passen (Soort en Rechtsvorm op het blad Relaties); "
            "een product dat niet past is een fout op die rij. Welk product bij wie past:",
        ),
        *((product.name, _product_line(product)) for product in catalogues.products),
        (
            "IB-onderneming",
            f"{INCOME_TAX_PRODUCT} hoort bij personen: elke persoonsrelatie krijgt het, tenzij "
            f"Aangifte IB = Nee op het blad Contacten. Staat {INCOME_TAX_PRODUCT} bij een "
            f"{owners_forms} (een IB-onderneming), dan zet de import het op de persoonsrelatie "
            "van elke Ondernemer, met het Tijdvak, de Vanaf en SBR van die rij (een "
            "waarschuwing).",
        ),
        ("Vier weken", _four_weeks_line(catalogues)),
        (
            "Vanaf",
            "De eerste periode die het kantoor verzorgt; leeg is de lopende periode. Een Vanaf "
            f"meer dan {years_back} jaar terug (de navorderingstermijn: bij peildatum in "
            f"{EXAMPLE_YEAR} een periode die vóór {EXAMPLE_YEAR - years_back} eindigt) of na "
            "volgend jaar wordt geweigerd.",
        ),
        (
            "Contactnummers",
            "Het eerste contact van een organisatie (de eerste Ondernemer, anders de eerste "
            "Contactpersoon) krijgt het relatienummer. Andere contacten zonder Contactnummer "
            f"krijgen {catalogues.numbering.describe()}; zo'n nummer geeft het kantoor nooit "
            "aan een nieuwe klant.",
        ),
        (
            "Dezelfde persoon",
            "Een contact met het BSN van een bekend contact (in dit bestand of al opgeslagen) is "
            "dat contact: er komt geen tweede persoon bij, ook niet onder een andere achternaam.",
        ),
    ]


def _product_line(product: Product) -> str:
    types = ", ".join(t.value for t in product.period_types)
    text = f"voor {product.clients()}. Tijdvak: {types}"
    if len(product.period_types) > 1:
        text += f" (leeg is {product.default.value})"
    return text + ("." if product.sbr else "; niet via SBR.")


def _four_weeks_line(catalogues: Catalogues) -> str:
    starts = catalogues.calendar.starts(EXAMPLE_YEAR)
    last = FOUR_WEEK_PERIODS - 1
    example = (
        f"{EXAMPLE_YEAR}: P01 {_day(starts[0])} t/m {_day(starts[1] - dt.timedelta(days=1))}, "
        f"P02 {_day(starts[1])} t/m {_day(starts[2] - dt.timedelta(days=1))}, ..., "
        f"P13 {_day(starts[last])} t/m 31-12"
    )
    text = (
        "Loonheffingen per vier weken volgt de weekkalender van de Belastingdienst: 13 "
        "perioden per jaar. Periode 1 loopt van 1 januari tot en met de zondag van week 4, "
        "perioden 2 tot en met 12 beginnen op een maandag en duren vier hele weken, periode 13 "
        f"loopt tot en met 31 december. Schrijf Vanaf als 2026-P01. Voorbeeld {example}."
    )
    if own := sorted(catalogues.four_week_calendar):
        years = ", ".join(str(year) for year in own)
        text += f" Voor {years} gelden de begindatums van het kantoor ([four_week_calendar])."
    return text


def _day(day: dt.date) -> str:
    return day.strftime("%d-%m")


@dataclass(frozen=True)
class TextBlock:
    """A text over columns first..last of one row above the column table."""

    row: int
    first: int
    last: int
    text: str
    style: str  # "title", "header" or "wrap"


@dataclass
class InstructionsLayout:
    """Where everything on Instructies goes, worked out once for both writers (XlsxWriter for
    the template and the error workbook, rustpy-xlsxwriter for a filled workbook), so that
    the sheet reads the same whoever writes it. rustpy-xlsxwriter writes text above its table
    only as merged cells of two columns or more, so a rule's topic spans columns A:B and its
    explanation C:F."""

    blocks: list[TextBlock]
    heights: dict[int, float]  # sheet row -> height
    top: int  # the sheet row of the column table's header
    table: list[list[object]]  # the rows under it: HEADERS
    sheet_rows: set[int]  # indices in table of a sheet's own row (its name in bold)


TOPIC_COLUMNS = (0, 1)
TEXT_COLUMNS = (2, len(HEADERS) - 1)


def instructions_layout(catalogues: Catalogues | None = None) -> InstructionsLayout:
    """The introduction and the rules over the whole width, every row as high as its wrapped
    text needs (LibreOffice does not size rows itself), then every column with an example."""
    catalogues = catalogues or Catalogues()
    last = len(HEADERS) - 1
    whole = float(sum(WIDTHS)) - 2
    topic_width = float(sum(WIDTHS[: TOPIC_COLUMNS[1] + 1])) - 2
    text_width = float(sum(WIDTHS[TEXT_COLUMNS[0] :])) - 2
    blocks = [TextBlock(0, 0, last, INTRODUCTION[0], "title")]
    heights = {0: 2 * LINE_HEIGHT}
    for i, line in enumerate(INTRODUCTION[1:], start=1):
        blocks.append(TextBlock(i, 0, last, line, "wrap"))
        heights[i] = row_height([(line, whole)])
    row = len(INTRODUCTION) + 1
    blocks.append(TextBlock(row, 0, last, RULES_TITLE, "header"))
    heights[row] = LINE_HEIGHT
    row += 1
    products = {product.name for product in catalogues.products}
    for topic, text in rules(catalogues):
        style = "wrap" if topic in products else "header"
        blocks.append(TextBlock(row, *TOPIC_COLUMNS, topic, style))
        blocks.append(TextBlock(row, *TEXT_COLUMNS, text, "wrap"))
        heights[row] = row_height([(topic, topic_width), (text, text_width)])
        row += 1
    top = row + 1
    heights[top] = row_height([(h, w - 1) for h, w in zip(HEADERS, WIDTHS, strict=True)])
    table: list[list[object]] = []
    sheet_rows: set[int] = set()
    for sheet in SHEETS:
        sheet_rows.add(len(table))
        heights[top + 1 + len(table)] = row_height([(sheet.explanation, WIDTHS[3] - 1)])
        table.append([sheet.name, None, None, sheet.explanation, None, None])
        for column in sheet.columns:
            cells = [
                (column.header, WIDTHS[1] - 1),
                (column.explanation, WIDTHS[3] - 1),
                (column.example, WIDTHS[4] - 1),
            ]
            heights[top + 1 + len(table)] = row_height(cells)
            table.append(
                [
                    sheet.name,
                    column.header,
                    "Ja" if column.required else "",
                    column.explanation,
                    column.example,
                    column.max_length,
                ]
            )
    return InstructionsLayout(blocks, heights, top, table, sheet_rows)


def write_instructions(
    worksheet: Worksheet,
    header: Any,
    wrap: Any,
    catalogues: Catalogues | None = None,
    title: Any = None,
) -> None:
    """The layout written by XlsxWriter, printed landscape one page wide."""
    layout = instructions_layout(catalogues)
    for j, width in enumerate(WIDTHS):
        worksheet.set_column(j, j, width, wrap)
    for row, height in layout.heights.items():
        worksheet.set_row(row, height)
    styles = {"title": title or header, "header": header, "wrap": wrap}
    for block in layout.blocks:
        worksheet.merge_range(
            block.row, block.first, block.row, block.last, block.text, styles[block.style]
        )
    for j, text in enumerate(HEADERS):
        worksheet.write_string(layout.top, j, text, header)
    worksheet.repeat_rows(layout.top)
    for i, values in enumerate(layout.table):
        row = layout.top + 1 + i
        for j, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, int):
                worksheet.write_number(row, j, value)
            else:
                fmt = header if j == 0 and i in layout.sheet_rows else (wrap if j == 3 else None)
                worksheet.write_string(row, j, str(value), fmt)
    print_setup(worksheet, repeat_header=False)
