"""The Instructies sheet: how to fill in the workbook, every column with an example (Dutch)."""

from __future__ import annotations

from typing import Any

from xlsxwriter.worksheet import Worksheet

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
HEADERS = ("Blad", "Kolom", "Verplicht", "Uitleg", "Voorbeeld")
WIDTHS = (16, 22, 10, 80, 26)


def write_instructions(worksheet: Worksheet, header: Any, wrap: Any) -> None:
    worksheet.set_column(0, 0, WIDTHS[0])
    for j, width in enumerate(WIDTHS[1:], start=1):
        worksheet.set_column(j, j, width, wrap)
    for i, line in enumerate(INTRODUCTION):
        worksheet.write_string(i, 0, line, header if i == 0 else None)
    top = len(INTRODUCTION) + 1
    for j, text in enumerate(HEADERS):
        worksheet.write_string(top, j, text, header)
    row = top + 1
    for sheet in SHEETS:
        worksheet.write_string(row, 0, sheet.name, header)
        worksheet.write_string(row, 3, sheet.explanation, wrap)
        row += 1
        for column in sheet.columns:
            worksheet.write_string(row, 0, sheet.name)
            worksheet.write_string(row, 1, column.header)
            worksheet.write_string(row, 2, "Ja" if column.required else "")
            worksheet.write_string(row, 3, column.explanation, wrap)
            worksheet.write_string(row, 4, column.example)
            row += 1
