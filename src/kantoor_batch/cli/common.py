"""Options and error handling shared by the commands."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, TypeVar

import click

from kantoor_batch.catalogues import Catalogues
from kantoor_batch.errors import KantoorBatchError
from kantoor_batch.periods import AS_OF_RANGE, use_calendar

EXIT_OK = 0
EXIT_DATA_ERRORS = 1
EXIT_STOPPED = 3

F = TypeVar("F", bound=Callable[..., Any])


class RunStopped(click.ClickException):
    """A library error that stopped the run, shown as its Dutch message, exit code 3."""

    exit_code = EXIT_STOPPED

    def show(self, file: IO[Any] | None = None) -> None:
        """Dutch, like every message of the tool: 'Fout: ...' rather than Click's 'Error: ...'."""
        click.echo(f"Fout: {self.message}", file=file or sys.stderr)


@contextmanager
def stops_cleanly() -> Iterator[None]:
    """Turn the library's run-stopping errors into a message without a traceback."""
    try:
        yield
    except KantoorBatchError as exc:
        raise RunStopped(str(exc)) from exc


def config_option(fn: F) -> F:
    return click.option(
        "--config",
        "config_path",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="TOML-bestand met eigen lijsten (producten, rollen, integraties, ...).",
    )(fn)


def lang_option(fn: F) -> F:
    return click.option(
        "--lang",
        type=click.Choice(["nl", "en"]),
        default="nl",
        show_default=True,
        help="Taal van de meldingen.",
    )(fn)


class WrongUse(click.UsageError):
    """Wrong use of the command, in Dutch, exit code 2."""

    def show(self, file: IO[Any] | None = None) -> None:
        hint = f"Zie '{self.ctx.command_path} -h'." if self.ctx is not None else ""
        click.echo(f"Fout: {self.message}\n{hint}".rstrip(), file=file or sys.stderr)


def _as_of_in_range(
    ctx: click.Context, _param: click.Parameter, value: dt.datetime | None
) -> dt.datetime | None:
    """Periods, SBR dates and output workbooks need a date the calendar can work with."""
    first, last = AS_OF_RANGE
    if value is not None and not first <= value.date() <= last:
        msg = (
            f"--as-of {value:%d-%m-%Y} ligt niet tussen {first:%d-%m-%Y} en {last:%d-%m-%Y}. "
            "Kies een peildatum in die jaren, of laat --as-of weg voor vandaag."
        )
        raise WrongUse(msg, ctx)
    return value


def as_of_option(fn: F) -> F:
    first, last = AS_OF_RANGE
    return click.option(
        "--as-of",
        "as_of",
        type=click.DateTime(formats=["%Y-%m-%d", "%d-%m-%Y"]),
        default=None,
        callback=_as_of_in_range,
        help=f"Peildatum (jjjj-mm-dd of dd-mm-jjjj, {first.year}-{last.year}); standaard vandaag.",
    )(fn)


def load_catalogues(config_path: Path | None) -> Catalogues:
    """The catalogues of the run; their four-week calendar is the active one until the command
    ends (periods.use_calendar), so the rules follow it like validation does."""
    with stops_cleanly():
        catalogues = Catalogues.load(config_path)
    context = click.get_current_context(silent=True)
    if context is not None:
        context.with_resource(use_calendar(catalogues.calendar))
    return catalogues


def as_date(value: dt.datetime | None) -> dt.date:
    return value.date() if value is not None else dt.date.today()


def db_option(fn: F) -> F:
    return click.option(
        "--db",
        help="Database-URL of SQLite-bestand; standaard KANTOOR_BATCH_DB of "
        "kantoor.db in deze map. Bijvoorbeeld postgresql://gebruiker@server/kantoor.",
    )(fn)


def json_option(fn: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Schrijf het resultaat als JSON.")(
        fn
    )
