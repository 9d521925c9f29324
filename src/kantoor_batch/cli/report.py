"""kantoor-batch report: the figures of the store for the partners, as a workbook or JSON."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from kantoor_batch.cli.common import (
    WrongOption,
    as_date,
    as_of_option,
    config_option,
    db_option,
    help_lang_option,
    json_option,
    load_catalogues,
    stops_cleanly,
)
from kantoor_batch.cli.language import Command
from kantoor_batch.export.files import check_folder_writable
from kantoor_batch.export.report_workbook import write_report_workbook
from kantoor_batch.export.terminal import store_shown
from kantoor_batch.report import FINDINGS, build_report


@click.command("report", cls=Command)
@db_option
@as_of_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="BESTAND",
    help="De werkmap (.xlsx) om te schrijven, bijvoorbeeld rapport.xlsx.",
)
@click.option("--medewerker", metavar="CODE", help="Alleen de relaties van deze medewerker.")
@click.option("--groep", metavar="GROEP", help="Alleen de relaties van deze relatiegroep.")
@click.option(
    "--ib-jaar",
    type=click.IntRange(1900, 9998),
    metavar="JAAR",
    help="Belastingjaar van IB-voortgang; standaard het jaar vóór de peildatum.",
)
@json_option
@help_lang_option
@config_option
def report(
    db: str | None,
    as_of: dt.datetime | None,
    output: Path | None,
    medewerker: str | None,
    groep: str | None,
    ib_jaar: int | None,
    as_json: bool,
    config_path: Path | None,
) -> None:
    """Rapport voor de vennoten: portefeuille, deadlines, gereedheid en IB-voortgang.

    Schrijft met -o een werkmap met de bladen Overzicht, Portefeuille, Deadlines, Gereedheid
    en IB-voortgang, met grafieken en klaar om af te drukken; met --json dezelfde cijfers als
    JSON. De database wordt alleen gelezen. BSN's en RSIN's staan nooit in het rapport.

    Exit 0, 2 bij verkeerd gebruik (ook een onbekende medewerker of groep), 3 als de
    database niet te lezen is of de werkmap niet kon worden geschreven.
    """
    if output is None and not as_json:
        raise WrongOption(
            "geef -o rapport.xlsx (de werkmap) of --json.", click.get_current_context()
        )
    catalogues = load_catalogues(config_path)
    with stops_cleanly():
        if output is not None:
            check_folder_writable(output.parent)
        result = build_report(
            db,
            as_of=as_date(as_of),
            employee=medewerker,
            group=groep,
            ib_year=ib_jaar,
            catalogues=catalogues,
        )
        if output is not None:
            write_report_workbook(result, output)
    if as_json:
        data = {**result.as_dict(), "workbook": str(output) if output is not None else None}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    late = int((result.deadlines["Dagen te laat"].fillna(0) > 0).sum())
    click.echo(f"Rapport van {store_shown(result.store)} op {result.as_of:%d-%m-%Y}:")
    click.echo(f"  {int(result.clients_by_kind['Relaties'].sum())} relaties")
    click.echo(f"  {len(result.deadlines)} open workflows met uiterste datum, {late} verlopen")
    counts = result.readiness["Code"].value_counts()
    click.echo(f"  {len(result.readiness)} bevindingen over gereedheid")
    for code, (what, _todo) in FINDINGS.items():
        if counts.get(code):
            click.echo(f"    {what}: {int(counts[code])}")
    click.echo(f"Werkmap: {output}")
