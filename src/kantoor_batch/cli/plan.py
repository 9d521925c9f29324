"""kantoor-batch plan: the planner rules create the workflows of the periods that have started."""

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
    db_option,
    json_option,
    lang_option,
    load_catalogues,
    stops_cleanly,
    wait_option,
    waiting_message,
)
from kantoor_batch.cli.language import Command
from kantoor_batch.errors import KantoorBatchError
from kantoor_batch.export.files import check_folder_writable
from kantoor_batch.export.plan_report import label, plan_summary, write_plan_workbook
from kantoor_batch.messages import Lang
from kantoor_batch.planner import run_planner

# The run is stored (see the terminal and the ledger), but its workbook could not be written.
EXIT_OUTPUT_NOT_WRITTEN = 4


@click.command("plan", cls=Command)
@as_of_option
@db_option
@click.option(
    "--dry-run", is_flag=True, help="Alles doen en tonen wat er zou gebeuren, maar niets opslaan."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="BESTAND",
    help="Schrijf de aangemaakte workflows ook naar deze werkmap (.xlsx).",
)
@wait_option
@json_option
@lang_option
@config_option
def plan(
    as_of: dt.datetime | None,
    db: str | None,
    dry_run: bool,
    output: Path | None,
    wait: float,
    as_json: bool,
    lang: Lang,
    config_path: Path | None,
) -> None:
    """Maak de workflows van nieuwe periodes (plannerregels), met uiterste datum.

    Elke plannerregel in de database maakt de workflow van elke periode die op de peildatum
    is begonnen en nog geen workflow heeft, met de uiterste datum, en schuift dan door naar
    de volgende periode. Twee keer draaien op één datum maakt de tweede keer niets.

    Exit 0 als elke plannerregel is gevolgd, 1 als plannerregels zijn overgeslagen, 2 bij
    verkeerd gebruik, 3 als de run stopte voordat er iets is opgeslagen (database
    onbereikbaar of langer dan --wait bezet, map niet beschrijfbaar), 4 als de run is
    opgeslagen maar de werkmap niet kon worden geschreven.
    """
    catalogues = load_catalogues(config_path)
    with stops_cleanly():
        if output is not None:
            check_folder_writable(output.parent)  # before anything is stored
        result = run_planner(
            db=db,
            as_of=as_date(as_of),
            dry_run=dry_run,
            catalogues=catalogues,
            on_wait=waiting_message(wait),
            wait=wait,
        )
    not_written: KantoorBatchError | None = None
    if output is not None:
        try:
            write_plan_workbook(result, output)
        except KantoorBatchError as exc:  # the store has the run: say so
            not_written = exc
    if as_json:
        data = result.as_dict(
            workbook=str(output) if output is not None and not not_written else None,
            output_error=str(not_written) if not_written else None,
        )
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(plan_summary(result, lang))
        if output is not None and not_written is None:
            click.echo(label("workbook", lang, path=output))
    if not_written is not None:
        stored = "proefdraai, niets opgeslagen" if result.dry_run else "opgeslagen"
        click.echo(
            f"Fout: de run is {stored} zoals hierboven staat, maar de werkmap kon niet "
            f"worden geschreven: {not_written}",
            err=True,
        )
        raise SystemExit(EXIT_OUTPUT_NOT_WRITTEN)
    raise SystemExit(EXIT_OK if result.ok else EXIT_DATA_ERRORS)
