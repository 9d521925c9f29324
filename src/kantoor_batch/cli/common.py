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
from kantoor_batch.cli import language
from kantoor_batch.deadlines import use_income_tax_extension
from kantoor_batch.errors import ConfigError, KantoorBatchError, WrongUseError
from kantoor_batch.masking import printable
from kantoor_batch.periods import AS_OF_RANGE, use_calendar
from kantoor_batch.store.database import DEFAULT_WAIT_SECONDS

EXIT_OK = 0
EXIT_DATA_ERRORS = 1
EXIT_WRONG_USE = 2
EXIT_STOPPED = 3

F = TypeVar("F", bound=Callable[..., Any])


class RunStopped(click.ClickException):
    """A library error that stopped the run, shown as its Dutch message, exit code 3."""

    exit_code = EXIT_STOPPED

    def show(self, file: IO[Any] | None = None) -> None:
        """'Fout: ...' (or 'Error: ...' in an English run), as Click's own messages."""
        click.echo(_error_line(self.message), file=file or sys.stderr)


class WrongUse(RunStopped):
    """The command was asked something it cannot do, exit code 2 (as Click's own checks)."""

    exit_code = EXIT_WRONG_USE


@contextmanager
def stops_cleanly() -> Iterator[None]:
    """Turn the library's run-stopping errors into a message without a traceback: wrong use
    exit 2, the rest exit 3. A file or folder the system refuses and a lack of memory end the
    same way rather than in a traceback."""
    try:
        yield
    except WrongUseError as exc:
        raise WrongUse(printable(str(exc))) from exc
    except KantoorBatchError as exc:
        raise RunStopped(printable(str(exc))) from exc
    except OSError as exc:
        name = printable(str(exc.filename)) if exc.filename is not None else "?"
        raise RunStopped(
            f"Het bestand of de map '{name}' is niet te gebruiken ({exc.strerror or exc}). "
            "Controleer het pad en de rechten, of kies met -o een andere plek."
        ) from exc
    except MemoryError as exc:
        raise RunStopped(
            "Er is niet genoeg geheugen om deze werkmap te verwerken. Verdeel de rijen over "
            "meer werkmappen (docs/limits.md)."
        ) from exc


def refuse_overwriting_input(source: Path, *outputs: Path) -> None:
    """WrongUse when an output path is the input file itself (the same name, a link to it):
    writing it would destroy the rows the user handed in."""
    for output in outputs:
        if _same_file(source, output):
            raise WrongUse(
                f"Het uitvoerbestand '{printable(str(output))}' is het invoerbestand zelf; dat "
                "zou de invoer overschrijven. Kies met -o een andere naam of map."
            )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:  # b does not exist (yet): compare where both would be
        return a.resolve() == b.resolve()


def config_option(fn: F) -> F:
    return click.option(
        "--config",
        "config_path",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        metavar="BESTAND",
        help="TOML-bestand met eigen lijsten (producten, rollen, integraties, ...).",
    )(fn)


def _language_of_run(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str:
    """Not given: the language the command line chose for the run (cli.language), which
    follows the locale; given: that language, for the help as well as the messages."""
    if value is None:
        return language.current()
    language.use("en" if value == "en" else "nl")
    return value


def lang_option(fn: F, *, expose_value: bool = True) -> F:
    return click.option(
        "--lang",
        type=click.Choice(["nl", "en"]),
        default=None,
        callback=_language_of_run,
        expose_value=expose_value,
        metavar="nl|en",
        help="Taal van de meldingen en de hulp; standaard Nederlands, of Engels als de "
        "taalinstelling (LANG, LC_ALL) Engels is.",
    )(fn)


def help_lang_option(fn: F) -> F:
    """--lang on a command whose output has no translated messages: it chooses the language
    of the help and of Click's messages, so that every command takes the same options."""
    return lang_option(fn, expose_value=False)


class WrongOption(click.UsageError):
    """An option value the command cannot work with, in Dutch, exit code 2."""

    def show(self, file: IO[Any] | None = None) -> None:
        hint = ""
        if self.ctx is not None:
            hint = language.translate("Try '{command} {option}' for help.").format(
                command=self.ctx.command_path, option="-h"
            )
        click.echo(f"{_error_line(self.message)}\n{hint}".rstrip(), file=file or sys.stderr)


def _error_line(message: str) -> str:
    return language.translate("Error: {message}").format(message=message)


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
        raise WrongOption(msg, ctx)
    return value


def as_of_option(fn: F) -> F:
    first, last = AS_OF_RANGE
    return click.option(
        "--as-of",
        "as_of",
        type=click.DateTime(formats=["%Y-%m-%d", "%d-%m-%Y"]),
        default=None,
        callback=_as_of_in_range,
        metavar="[JJJJ-MM-DD]",
        help=f"Peildatum (jjjj-mm-dd of dd-mm-jjjj, {first.year}-{last.year}); standaard vandaag.",
    )(fn)


def load_catalogues(config_path: Path | None) -> Catalogues:
    """The catalogues of the run; their four-week calendar is the active one until the command
    ends (periods.use_calendar), so the rules follow it like validation does."""
    with stops_cleanly():
        try:
            catalogues = Catalogues.load(config_path)
        except UnicodeDecodeError as exc:  # tomllib reads UTF-8 only
            if config_path is None:  # pragma: no cover - the defaults are no file
                raise
            raise ConfigError(
                config_path,
                f"het is geen UTF-8-tekst (byte {exc.start + 1} is 0x{exc.object[exc.start]:02x}; "
                "opgeslagen als Windows-1252 of ANSI?). Sla het in de teksteditor op als UTF-8",
            ) from exc
    context = click.get_current_context(silent=True)
    if context is not None:
        context.with_resource(use_calendar(catalogues.calendar))
        context.with_resource(use_income_tax_extension(catalogues.income_tax_extension))
    return catalogues


def as_date(value: dt.datetime | None) -> dt.date:
    return value.date() if value is not None else dt.date.today()


def _not_negative(ctx: click.Context, param: click.Parameter, value: float) -> float:
    """A plain number in the help ('SECONDEN'), a Dutch message for a negative one."""
    if value < 0:
        raise WrongOption(f"--{param.name} kan niet negatief zijn ({value:g}).", ctx)
    return value


def wait_option(fn: F) -> F:
    return click.option(
        "--wait",
        "wait",
        type=float,
        callback=_not_negative,
        default=DEFAULT_WAIT_SECONDS,
        metavar="SECONDEN",
        help="Zo lang wachten als een andere run de database bezet houdt; daarna stoppen. "
        f"Standaard {DEFAULT_WAIT_SECONDS:g}.",
    )(fn)


def waiting_message(wait: float) -> Callable[[], None]:
    """What a run says on stderr when another run holds the store."""
    return lambda: click.echo(
        f"De database is bezet door een andere run; wachten (hoogstens {wait:g} s)...", err=True
    )


def db_option(fn: F) -> F:
    return click.option(
        "--db",
        metavar="URL",
        help="Database-URL of SQLite-bestand; standaard KANTOOR_BATCH_DB of "
        "kantoor.db in deze map. Bijvoorbeeld postgresql://gebruiker@server/kantoor.",
    )(fn)


def json_option(fn: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Schrijf het resultaat als JSON.")(
        fn
    )
