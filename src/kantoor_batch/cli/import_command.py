"""kantoor-batch import: validate, apply the rules, store whole clients, write the results."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from kantoor_batch.cli.common import (
    EXIT_DATA_ERRORS,
    EXIT_OK,
    WrongOption,
    as_date,
    as_of_option,
    config_option,
    db_option,
    json_option,
    lang_option,
    load_catalogues,
    refuse_overwriting_input,
    stops_cleanly,
    wait_option,
)
from kantoor_batch.cli.language import Command
from kantoor_batch.errors import KantoorBatchError
from kantoor_batch.export.error_workbook import write_error_workbook
from kantoor_batch.export.files import check_folder_writable
from kantoor_batch.export.result_workbook import result_workbook_path, write_result_workbook
from kantoor_batch.export.terminal import console, import_view, label
from kantoor_batch.importer import import_workbook
from kantoor_batch.messages import Lang

# The run is stored (see the terminal and the ledger), but its workbooks could not be written.
EXIT_OUTPUT_NOT_WRITTEN = 4

STAGE_LABELS = {
    "read": "Werkmap inlezen",
    "validate": "Controleren",
    "rules": "Regels toepassen",
    "store": "Opslaan",
    "export": "Resultaat schrijven",
}


class _StageBar:
    """A progress bar over the stages on stderr, only on a terminal and not with --json."""

    def __init__(self, enabled: bool) -> None:
        self.bar = (
            click.progressbar(
                length=len(STAGE_LABELS),
                label="Importeren",
                file=sys.stderr,
                show_eta=False,
                width=30,
            )
            if enabled
            else None
        )
        self.seen = 0

    def __call__(self, stage: str) -> None:
        if self.bar is None:
            return
        if self.seen == 0:
            self.bar.__enter__()
        self.bar.label = STAGE_LABELS.get(stage, stage).ljust(20)
        self.bar.update(1 if self.seen else 0)
        self.seen += 1

    def close(self) -> None:
        if self.bar is not None and self.seen:
            self.bar.update(len(STAGE_LABELS))
            self.bar.__exit__(None, None, None)


def _no_output_file(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    """-o names a file in every other command; import writes two workbooks into a folder, so
    its option is -d/--output-dir. Saying so beats Click's 'no such option'."""
    if value is not None:
        raise WrongOption(
            f"import schrijft het resultaat- en foutenbestand in een map: gebruik -d {value} "
            "(--output-dir). -o is bij de andere opdrachten één bestand.",
            ctx,
        )


@click.command("import", cls=Command)
@click.argument("file", metavar="WERKMAP", type=click.Path(exists=True, path_type=Path))
@db_option
@as_of_option
@click.option(
    "--dry-run", is_flag=True, help="Alles doen en tonen wat er zou gebeuren, maar niets opslaan."
)
@click.option("--all-or-nothing", is_flag=True, help="Niets opslaan als er ook maar één fout is.")
@click.option(
    "--overwrite",
    is_flag=True,
    help="Rijen uit een export ook opslaan als de opslag sinds die export is gewijzigd "
    "(standaard: als conflict gemeld en niet toegepast).",
)
@wait_option
@json_option
@click.option(
    "-d",
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="MAP",
    help="Map voor het resultaat- en foutenbestand; standaard de map van de invoer. "
    "(-o is bij elke opdracht een bestand; hier gaat het om een map.)",
)
@click.option(
    "-o",
    "output_file",
    hidden=True,
    expose_value=False,
    callback=_no_output_file,
)
@lang_option
@config_option
def import_command(
    file: Path,
    db: str | None,
    as_of: dt.datetime | None,
    dry_run: bool,
    all_or_nothing: bool,
    overwrite: bool,
    wait: float,
    as_json: bool,
    output_dir: Path | None,
    lang: Lang,
    config_path: Path | None,
) -> None:
    """Importeer een onboarding-werkmap in de database.

    Exit 0 als alles is geïmporteerd, 1 als relaties of rijen zijn overgeslagen, 2 bij
    verkeerd gebruik, 3 als de run stopte voordat er iets is opgeslagen (bestand onleesbaar,
    database onbereikbaar), 4 als de import is opgeslagen maar het resultaat- of foutenbestand
    niet kon worden geschreven.
    """
    catalogues = load_catalogues(config_path)
    progress = _StageBar(enabled=not as_json and sys.stderr.isatty())
    folder = output_dir or file.parent
    error_path = folder / f"{file.stem}-fouten.xlsx"
    result_path = result_workbook_path(file, output_dir, dry_run=dry_run)
    refuse_overwriting_input(file, result_path, error_path)
    with stops_cleanly():
        check_folder_writable(folder)  # before anything is stored
        result = import_workbook(
            file,
            db=db,
            as_of=as_date(as_of),
            dry_run=dry_run,
            all_or_nothing=all_or_nothing,
            overwrite=overwrite,
            catalogues=catalogues,
            progress=progress,
            on_wait=lambda: click.echo(
                f"De database is bezet door een andere run; wachten (hoogstens {wait:g} s)...",
                err=True,
            ),
            wait=wait,
        )
    progress("export")
    not_written: KantoorBatchError | None = None
    wrote_errors = False
    try:
        write_result_workbook(result, result_path, lang)
        wrote_errors = not result.ok and write_error_workbook(
            result.report,
            error_path,
            catalogues,
            include=lambda i: i.is_error,
            issues=result.issues,
            bundles=result.skipped_bundles,
            lang=lang,
        )
    except KantoorBatchError as exc:  # the store has the run: say so, never "nothing stored"
        not_written = exc
    progress.close()
    if as_json:
        data = result.as_dict(
            lang,
            result_workbook=None if not_written else str(result_path),
            error_workbook=str(error_path) if wrote_errors else None,
            output_error=str(not_written) if not_written else None,
        )
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        screen = console()
        screen.print(import_view(result, lang))
        # File names are printed whole, never wrapped: they are copied from the screen.
        if not_written is None:
            screen.print(label("result_file", lang, path=result_path), soft_wrap=True)
        if wrote_errors:
            screen.print(label("fix_and_import", lang, path=error_path), soft_wrap=True)
    if not_written is not None:
        stored = "proefdraai, niets opgeslagen" if result.dry_run else "opgeslagen"
        click.echo(
            f"Fout: de import is {stored} zoals hierboven staat, maar het resultaat kon niet "
            f"worden geschreven: {not_written}",
            err=True,
        )
        raise SystemExit(EXIT_OUTPUT_NOT_WRITTEN)
    raise SystemExit(EXIT_OK if result.ok else EXIT_DATA_ERRORS)
