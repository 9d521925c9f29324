"""kantoor-batch export: the store, or a selection, as an onboarding workbook to edit and import
again."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kantoor_batch.cli.common import (
    config_option,
    db_option,
    help_lang_option,
    json_option,
    load_catalogues,
    stops_cleanly,
    wait_option,
    waiting_message,
)
from kantoor_batch.cli.language import Command
from kantoor_batch.export.store_workbook import Format, export_store


def _list(values: tuple[str, ...]) -> list[str] | None:
    """Repeated options and comma-separated values alike: --relaties 1001,1002."""
    found = [part.strip() for value in values for part in value.split(",") if part.strip()]
    return found or None


@click.command("export", cls=Command)
@db_option
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    metavar="BESTAND",
    help="De werkmap (.xlsx), of bij --format csv: een map met dezelfde naam zonder extensie.",
)
@click.option(
    "--groep",
    "groups",
    multiple=True,
    metavar="GROEP",
    help="Alleen relaties in deze relatiegroep.",
)
@click.option(
    "--medewerker",
    "employees",
    multiple=True,
    metavar="CODE",
    help="Alleen relaties waarbij deze medewerker (code) een rol heeft.",
)
@click.option(
    "--relaties",
    "numbers",
    multiple=True,
    metavar="NUMMERS",
    help="Alleen deze relatienummers, gescheiden door komma's: --relaties 1001,1002.",
)
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["xlsx", "csv"], case_sensitive=False),
    default="xlsx",
    show_default=True,
    metavar="xlsx|csv",
    help="xlsx: één werkmap; csv: één bestand per blad (UTF-8 met BOM, ';').",
)
@wait_option
@json_option
@help_lang_option
@config_option
def export(
    db: str | None,
    output: Path,
    groups: tuple[str, ...],
    employees: tuple[str, ...],
    numbers: tuple[str, ...],
    file_format: str,
    wait: float,
    as_json: bool,
    config_path: Path | None,
) -> None:
    """Schrijf de database (of een selectie) als onboarding-werkmap.

    De werkmap heeft de bladen, kolommen, keuzelijsten en Instructies van het sjabloon.
    Ongewijzigd importeren verandert niets; pas cellen aan en importeer hem opnieuw om
    precies die waarden te wijzigen. De selecties (--groep, --medewerker, --relaties) samen:
    relaties die aan alle gegeven voorwaarden voldoen.

    Exit 0, 2 bij verkeerd gebruik, 3 als de database niet te lezen is of de werkmap niet
    kon worden geschreven.
    """
    catalogues = load_catalogues(config_path)
    fmt: Format = "csv" if file_format.lower() == "csv" else "xlsx"
    with stops_cleanly():
        result = export_store(
            db,
            output,
            groups=_list(groups),
            employees=_list(employees),
            relations=_list(numbers),
            format=fmt,
            catalogues=catalogues,
            wait=wait,
            on_wait=waiting_message(wait),
        )
    if result.not_found and not as_json:
        click.echo(
            "Let op: geen relatie op het blad Relaties met nummer "
            + ", ".join(result.not_found)
            + " (onbekend, buiten de andere selecties, of een persoon o.b.v. een contact: "
            "die komt mee met de relatie van dat contact).",
            err=True,
        )
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return
    counts = ", ".join(f"{name} {n}" for name, n in result.sheet_counts().items())
    click.echo(f"Geëxporteerd naar {result.path}: {counts}.")
