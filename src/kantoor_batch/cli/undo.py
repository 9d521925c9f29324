"""kantoor-batch undo RUN: revert one run of the store's ledger."""

from __future__ import annotations

import json

import click

from kantoor_batch.cli.common import (
    EXIT_DATA_ERRORS,
    EXIT_OK,
    db_option,
    help_lang_option,
    json_option,
    stops_cleanly,
    wait_option,
    waiting_message,
)
from kantoor_batch.cli.language import Command
from kantoor_batch.export.terminal import store_shown
from kantoor_batch.undo import REINSERTED, REMOVED, RESTORED, UndoResult, kind_label, undo_run

SHOWN_CONFLICTS = 20  # the rest: --json


@click.command("undo", cls=Command)
@click.argument("run_id", metavar="RUN", type=click.IntRange(min=1))
@db_option
@click.option(
    "--dry-run", is_flag=True, help="Alles doen en tonen wat er zou gebeuren, maar niets opslaan."
)
@click.option(
    "--force",
    is_flag=True,
    help="Ook ongedaan maken als latere runs dezelfde gegevens raakten (wat zij aanmaakten "
    "onder rijen van deze run verdwijnt mee).",
)
@json_option
@wait_option
@help_lang_option
def undo(
    run_id: int, db: str | None, dry_run: bool, force: bool, as_json: bool, wait: float
) -> None:
    """Maak een run ongedaan: wat hij aanmaakte verdwijnt, wat hij wijzigde krijgt de oude
    waarde terug.

    Raakte een latere run dezelfde gegevens (rijen aangemaakt onder rijen van deze run, of
    dezelfde velden gewijzigd), dan weigert undo en toont die; --force maakt de run toch
    ongedaan. De undo is zelf een run in het logboek (`kantoor-batch runs`).

    Exit 0 als de run ongedaan is gemaakt (of bij --dry-run zou zijn), 1 als undo weigert
    omdat latere runs dezelfde gegevens raakten, 2 bij verkeerd gebruik (een run die niet
    bestaat, al ongedaan is gemaakt of zelf een undo is), 3 als de database niet bruikbaar
    is of langer dan --wait bezet bleef.
    """
    with stops_cleanly():
        result = undo_run(
            run_id,
            db=db,
            dry_run=dry_run,
            force=force,
            on_wait=waiting_message(wait),
            wait=wait,
        )
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(summary(result), err=result.refused)
    raise SystemExit(EXIT_DATA_ERRORS if result.refused else EXIT_OK)


def summary(result: UndoResult) -> str:
    """What the terminal shows: what was removed and restored, or why undo refused."""
    run = f"run {result.undone_run_id} ({kind_label(result.undone_kind)})"
    if result.refused:
        return _refusal(result, run)
    if result.dry_run:
        head = f"Proefdraai: {run} zou ongedaan worden gemaakt; er is niets opgeslagen."
    else:
        head = f"{run.capitalize()} is ongedaan gemaakt (run {result.run_id} in het logboek)."
    lines = [head, f"Database: {store_shown(result.store)}"]
    counts = result.counts()
    if not counts:
        lines.append("Er was niets terug te draaien.")
    for table, entry in counts.items():
        done = f"  {table}: {entry[REMOVED]} verwijderd, {entry[RESTORED]} hersteld"
        if entry[REINSERTED]:
            done += f", {entry[REINSERTED]} teruggezet"
        lines.append(done)
    if result.emptied:
        lines.append(f"  Verwijzingen van latere runs leeggemaakt: {result.emptied}")
    if result.force and not result.conflicts.empty:
        lines.append(f"Met --force: {len(result.conflicts)} raakpunten van latere runs genegeerd.")
    return "\n".join(lines)


def _refusal(result: UndoResult, run: str) -> str:
    """Why undo refused: the later runs' touches, grouped, then the first of them."""
    listed = result.conflict_table()
    lines = [
        f"Fout: {run} is niet ongedaan gemaakt: latere runs raakten dezelfde gegevens "
        f"({len(listed)}):"
    ]
    grouped = listed.groupby(["Run", "Tabel", "Reden"], sort=True).size().reset_index()
    for group in grouped.itertuples(index=False, name=None):
        lines.append(f"  run {group[0]}: {group[1]}: {group[3]} {group[2]}")
    lines.append("Eerste rijen:")
    rows = listed.head(SHOWN_CONFLICTS).itertuples(index=False, name=None)
    for other, table, row_id, key, field, reason in rows:
        which = f" {key}" if key else f" (id {row_id})"
        lines.append(f"  run {other}: {table}{which}, {field}: {reason}")
    if len(listed) > SHOWN_CONFLICTS:
        lines.append(f"  ... en nog {len(listed) - SHOWN_CONFLICTS} (zie --json)")
    if result.blocked:
        lines.append(
            "Er is niets gewijzigd. Wat deze undo verwijderde kan niet terug zolang die "
            "rijen bestaan: maak eerst die latere runs ongedaan (--force helpt hier niet)."
        )
    else:
        lines.append(
            "Er is niets gewijzigd. Maak eerst die latere runs ongedaan, of gebruik --force."
        )
    return "\n".join(lines)
