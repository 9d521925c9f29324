"""kantoor-batch runs: the ledger of the store; `runs show RUN`: what one run did."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kantoor_batch.cli.common import db_option, help_lang_option, json_option, stops_cleanly
from kantoor_batch.cli.language import Command, Group
from kantoor_batch.export.history_report import run_summary, runs_summary, write_run_workbook
from kantoor_batch.history import list_runs, show_run
from kantoor_batch.store.database import resolve_url


@click.group("runs", cls=Group, invoke_without_command=True)
@db_option
@json_option
@help_lang_option
@click.pass_context
def runs(ctx: click.Context, db: str | None, as_json: bool) -> None:
    """Toon het logboek van de database: elke import en planner-run.

    Per run: nummer, soort, wanneer, bestand, controlegetal, peildatum, aantallen, uitkomst
    en wie hem draaide. `kantoor-batch runs show RUN` toont wat één run deed.

    Exit 0, 2 bij verkeerd gebruik, 3 als de database niet te lezen is.
    """
    ctx.obj = db
    if ctx.invoked_subcommand is not None:
        return
    with stops_cleanly():
        found = list_runs(db)
    if as_json:
        click.echo(json.dumps({"runs": [r.as_dict() for r in found]}, ensure_ascii=False, indent=2))
    else:
        click.echo(runs_summary(found, resolve_url(db)))


@runs.command("show", cls=Command)
@click.argument("run_id", metavar="RUN", type=click.IntRange(min=1))
@db_option
@json_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="BESTAND",
    help="Schrijf de run ook naar deze werkmap (.xlsx).",
)
@help_lang_option
@click.pass_context
def show(
    ctx: click.Context, run_id: int, db: str | None, as_json: bool, output: Path | None
) -> None:
    """Toon wat één run deed: samenvatting, aangemaakte rijen per tabel en gewijzigde waarden.

    Exit 0, 2 bij verkeerd gebruik (ook een run die niet bestaat), 3 als de database niet te
    lezen is of de werkmap niet kon worden geschreven.
    """
    db = db or ctx.obj
    with stops_cleanly():
        details = show_run(run_id, db)  # a run that does not exist: wrong use, exit 2
        if output is not None:
            write_run_workbook(details, output)
    if as_json:
        data = details.as_dict(workbook=str(output) if output is not None else None)
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(run_summary(details))
        if output is not None:
            click.echo(f"Werkmap: {output}")
