"""kantoor-batch workflows done: mark workflows whose work is done as 'gereed'."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click
import pandas as pd

from kantoor_batch.cli.common import (
    EXIT_DATA_ERRORS,
    EXIT_OK,
    WrongOption,
    as_date,
    as_of_option,
    db_option,
    help_lang_option,
    json_option,
    stops_cleanly,
    wait_option,
    waiting_message,
)
from kantoor_batch.cli.language import Command, Group
from kantoor_batch.workflow_status import KEY_COLUMNS, mark_done, read_done_file

SHOWN_MISSING = 10


@click.group("workflows", cls=Group)
@help_lang_option
def workflows() -> None:
    """Werk met de workflows in de database."""


@workflows.command("done", cls=Command)
@click.argument("names", nargs=-1, metavar="[RELATIENUMMER PRODUCT PERIODE]...")
@click.option(
    "--file",
    "file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="BESTAND",
    help="CSV-bestand met de kolommen Relatienummer, Product en Periode.",
)
@db_option
@as_of_option
@wait_option
@json_option
@help_lang_option
def done(
    names: tuple[str, ...],
    file: Path | None,
    db: str | None,
    as_of: dt.datetime | None,
    wait: float,
    as_json: bool,
) -> None:
    """Zet workflows op 'gereed': het werk is gedaan (aangifte ingediend).

    Noem elke workflow met relatienummer, product en periode, bijvoorbeeld
    `kantoor-batch workflows done 0101 "Aangifte IB" 2025`, of geef er veel tegelijk met
    --file gereed.csv (kolommen Relatienummer, Product, Periode; komma of puntkomma). Het
    logboek krijgt een run met elke gewijzigde status; `kantoor-batch report` telt ze in
    IB-voortgang.

    Exit 0 als elke genoemde workflow gereed is, 1 als er workflows niet bestaan, 2 bij
    verkeerd gebruik, 3 als de database niet te gebruiken is.
    """
    context = click.get_current_context()
    if len(names) % 3:
        raise WrongOption(
            "noem elke workflow met drie waarden: RELATIENUMMER PRODUCT PERIODE.", context
        )
    rows = [names[i : i + 3] for i in range(0, len(names), 3)]
    keys = pd.DataFrame(rows, columns=KEY_COLUMNS)
    with stops_cleanly():
        if file is not None:
            keys = pd.concat([keys, read_done_file(file)], ignore_index=True)
        if keys.empty:
            raise WrongOption("noem workflows (RELATIENUMMER PRODUCT PERIODE) of --file.", context)
        result = mark_done(
            keys, db=db, as_of=as_date(as_of), file=file, on_wait=waiting_message(wait), wait=wait
        )
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(
            f"{result.marked} workflows op gereed gezet, {result.already} waren al gereed "
            f"(run {result.run_id})."
        )
        if len(result.not_found):
            click.echo(f"{len(result.not_found)} niet gevonden:")
            for number, product, period in result.not_found.head(SHOWN_MISSING).itertuples(
                index=False, name=None
            ):
                click.echo(f"  {number} {product} {period}")
            if len(result.not_found) > SHOWN_MISSING:
                click.echo(f"  ... en nog {len(result.not_found) - SHOWN_MISSING} (--json)")
    raise SystemExit(EXIT_DATA_ERRORS if len(result.not_found) else EXIT_OK)
