"""kantoor-batch validate: check a workbook and write the error workbook."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from kantoor_batch.cli.common import (
    EXIT_DATA_ERRORS,
    EXIT_OK,
    as_date,
    as_of_option,
    config_option,
    json_option,
    lang_option,
    load_catalogues,
    refuse_overwriting_input,
    stops_cleanly,
)
from kantoor_batch.cli.language import Command
from kantoor_batch.export.error_workbook import error_workbook_path, write_error_workbook
from kantoor_batch.export.terminal import console, label, validation_view
from kantoor_batch.masking import printable
from kantoor_batch.messages import Lang
from kantoor_batch.validate.workbook import validate_workbook


@click.command(cls=Command)
@click.argument("file", metavar="WERKMAP", type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="BESTAND",
    help="Foutenbestand; standaard <naam>-fouten.xlsx naast de invoer.",
)
@json_option
@lang_option
@as_of_option
@config_option
def validate(
    file: Path,
    output: Path | None,
    as_json: bool,
    lang: Lang,
    as_of: dt.datetime | None,
    config_path: Path | None,
) -> None:
    """Controleer een onboarding-werkmap zonder iets op te slaan.

    Exit 0 zonder fouten (waarschuwingen mogen), 1 bij fouten, 2 bij verkeerd gebruik,
    3 als het bestand niet te lezen is.
    """
    target = output or error_workbook_path(file)
    refuse_overwriting_input(file, target)
    catalogues = load_catalogues(config_path)
    with stops_cleanly():
        report = validate_workbook(file, catalogues=catalogues, as_of=as_date(as_of))
        written = bool(report.issues) and write_error_workbook(
            report, target, catalogues, lang=lang
        )
    if as_json:
        data = report.as_dict(lang, error_workbook=printable(str(target)) if written else None)
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        screen = console()
        screen.print(validation_view(report, lang))
        if written:
            # Nothing from a file name steers the terminal; it is printed whole, never wrapped.
            screen.print(printable(label("error_file", lang, path=target)), soft_wrap=True)
            if not report.ok:
                screen.print(label("fix", lang))
    raise SystemExit(EXIT_OK if report.ok else EXIT_DATA_ERRORS)
