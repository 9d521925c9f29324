"""One language for the whole command line: the tool's own help and messages and Click's parts
of them (Usage, Options, 'Show this message and exit', its error messages) are Dutch by default,
English with `--lang en` or an English locale (LC_ALL, LC_MESSAGES, LANG).

Why here and not in gettext catalogues: Click looks its texts up through `gettext.gettext`,
whose catalogue depends on the process's locale and on .mo files on disk. The office's tool
should speak Dutch on any machine (a C.UTF-8 server, a Windows laptop set to English) unless
asked otherwise, so the command line decides the language itself, once per invocation, and
hands Click a lookup that follows that decision.
"""

from __future__ import annotations

import inspect
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types

from kantoor_batch.cli.help_en import HELP_EN, METAVARS_EN
from kantoor_batch.messages import Lang

_language: list[Lang] = ["nl"]


def current() -> Lang:
    """The language of the running command."""
    return _language[0]


def use(lang: Lang) -> None:
    _language[0] = lang


def from_environment(environ: dict[str, str] | None = None) -> Lang:
    """English when the locale asks for it, Dutch otherwise (also for C and POSIX, the
    language of servers and containers rather than of their users)."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return "en" if value.lower().startswith("en") else "nl"
    return "nl"


def from_arguments(args: Sequence[str], environ: dict[str, str] | None = None) -> Lang:
    """`--lang en` anywhere on the command line wins over the locale, so that `--help --lang en`
    is English too (Click shows help before it reads the options after it)."""
    for i, arg in enumerate(args):
        value = None
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        if value in ("nl", "en"):
            return "en" if value == "en" else "nl"
    return from_environment(environ)


# Click's own texts (click 8.1-8.5), keyed by the English message id.
DUTCH: dict[str, str] = {
    "Aborted!": "Afgebroken.",
    "Missing command.": "Geef een opdracht.",
    "Options": "Opties",
    "Positional arguments": "Argumenten",
    "Commands": "Opdrachten",
    "Usage:": "Gebruik:",
    "env var: {var}": "omgevingsvariabele: {var}",
    "default: {default}": "standaard: {default}",
    "required": "verplicht",
    "(dynamic)": "(wisselend)",
    "Show the version and exit.": "Toon de versie en stop.",
    "Show this message and exit.": "Toon deze hulp en stop.",
    "%(prog)s, version %(version)s": "%(prog)s, versie %(version)s",
    "Missing argument": "Argument ontbreekt",
    "Missing option": "Optie ontbreekt",
    "Missing parameter": "Waarde ontbreekt",
    "Missing parameter: {param_name}": "Waarde ontbreekt: {param_name}",
    "Missing {param_type}": "{param_type} ontbreekt",
    "unknown error": "onbekende fout",
    "Invalid value for {param_hint}: {message}": "Ongeldige waarde voor {param_hint}: {message}",
    "Invalid value: {message}": "Ongeldige waarde: {message}",
    "Could not open file {filename!r}: {message}": (
        "Het bestand {filename!r} kan niet worden geopend: {message}"
    ),
    "Error: {message}": "Fout: {message}",
    "Try '{command} {option}' for help.": "Zie '{command} {option}' voor hulp.",
    "No such option {name!r}.": "Onbekende optie {name!r}.",
    "No such command {name!r}.": "Onbekende opdracht {name!r}.",
    "Did you mean {possibility}?": "Bedoelt u {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Bedoelt u een van: {possibilities}?)",
    "Got unexpected extra argument ({args})": "Onverwacht extra argument ({args})",
    "Got unexpected extra arguments ({args})": "Onverwachte extra argumenten ({args})",
    "Takes {nargs} values but 1 was given.": "Verwacht {nargs} waarden, maar kreeg er 1.",
    "Takes {nargs} values but {len} were given.": "Verwacht {nargs} waarden, maar kreeg er {len}.",
    "Option {name!r} does not take a value.": "Optie {name!r} neemt geen waarde.",
    "Option {name!r} requires an argument.": "Optie {name!r} heeft een waarde nodig.",
    "Option {name!r} requires {nargs} arguments.": "Optie {name!r} heeft {nargs} waarden nodig.",
    "Argument {name!r} takes {nargs} values.": "Argument {name!r} neemt {nargs} waarden.",
    "Invalid start character for option ({option})": "Ongeldig teken aan het begin van optie "
    "({option})",
    "file": "bestand",
    "directory": "map",
    "path": "pad",
    "Choose from:\n\t{choices}": "Kies uit:\n\t{choices}",
    "{value!r} is not {choice}.": "{value!r} is niet {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} is niet een van {choices}.",
    "{value!r} does not match the format {format}.": (
        "{value!r} is geen datum in de vorm {format}."
    ),
    "{value!r} does not match the formats {formats}.": (
        "{value!r} is geen datum in de vorm {formats}."
    ),
    "{value} is not in the range {range}.": "{value} ligt niet in het bereik {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} is geen ja of nee. Mogelijk: {states}"
    ),
    "{value!r} is not a valid {number_type}.": "{value!r} is geen geldig {number_type}.",
    "{name} {filename!r} is a file.": "{name} {filename!r} is een bestand.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} is een map.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} is niet leesbaar.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} is niet beschrijfbaar.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} is niet uitvoerbaar.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} bestaat niet.",
    "Do you want to continue?": "Wilt u doorgaan?",
    "Confirm the action without prompting.": "Bevestig zonder te vragen.",
    "Error: invalid input": "Fout: ongeldige invoer",
    "Repeat for confirmation": "Herhaal ter bevestiging",
    "Error: The two entered values do not match.": "Fout: de twee waarden zijn niet gelijk.",
    "Press any key to continue...": "Druk op een toets om verder te gaan...",
}
# Click's names of number types in '{value!r} is not a valid {number_type}'.
_NUMBER_TYPES = {
    "integer range": "geheel getal",
    "float range": "getal",
    "integer": "geheel getal",
    "float": "getal",
}
# Click's own format strings in messages (%Y-%m-%d) as a person writes a date.
_FORMATS = {"%Y-%m-%d": "jjjj-mm-dd", "%d-%m-%Y": "dd-mm-jjjj"}
_FORMATS_EN = {"%Y-%m-%d": "yyyy-mm-dd", "%d-%m-%Y": "dd-mm-yyyy"}


def translate(message: str) -> str:
    """Click's text in the language of the run."""
    if current() == "en":
        return message
    return DUTCH.get(message, message)


def translate_plural(singular: str, plural: str, n: int) -> str:
    return translate(singular if n == 1 else plural)


_installed: list[bool] = []


def install() -> None:
    """Point Click's text lookups at `translate` (once per process)."""
    if _installed:
        return
    modules: list[Any] = [
        click.core,
        click.decorators,
        click.exceptions,
        click.formatting,
        click.parser,
        click.termui,
        click.types,
    ]
    for module in modules:
        if hasattr(module, "_"):
            module._ = translate
        if hasattr(module, "ngettext"):
            module.ngettext = translate_plural
    _wrap_messages()
    _installed.append(True)


def _wrap_messages() -> None:
    """Two Click messages show its internals: DateTime's format list (%Y-%m-%d) and the number
    type's English name. Both are rewritten to what a person types."""
    original: Callable[..., Any] = click.types.DateTime.convert

    def convert(
        self: click.types.DateTime,
        value: Any,
        param: click.Parameter | None,
        ctx: click.Context | None,
    ) -> Any:
        try:
            return original(self, value, param, ctx)
        except click.BadParameter as exc:
            text = exc.message
            for fmt, human in (_FORMATS_EN if current() == "en" else _FORMATS).items():
                text = text.replace(f"'{fmt}'", human)
            text = text.replace("-mm-dd, dd-mm-", "-mm-dd of dd-mm-")
            raise click.BadParameter(text, ctx=exc.ctx, param=exc.param) from None

    click.types.DateTime.convert = convert  # type: ignore[method-assign]

    number: Callable[..., Any] = click.types._NumberParamTypeBase.convert

    def convert_number(
        self: click.types._NumberParamTypeBase[Any, Any],
        value: Any,
        param: click.Parameter | None,
        ctx: click.Context | None,
    ) -> Any:
        try:
            return number(self, value, param, ctx)
        except click.BadParameter as exc:
            if current() == "en":
                raise
            text = exc.message
            for english, dutch in _NUMBER_TYPES.items():
                text = text.replace(f"geldig {english}", dutch)
            raise click.BadParameter(text, ctx=exc.ctx, param=exc.param) from None

    click.types._NumberParamTypeBase.convert = convert_number  # type: ignore[method-assign]


def english_help(text: str | None) -> str | None:
    """The English of one of the tool's own help texts (help_en.HELP_EN), keyed by the cleaned
    Dutch text; a text without translation stays Dutch rather than disappearing."""
    if text is None:
        return None
    return HELP_EN.get(inspect.cleandoc(text), text)


_CLICK_IDS = {**{dutch: english for english, dutch in DUTCH.items()}, **{e: e for e in DUTCH}}


@contextmanager
def _in_language(command: click.Command, ctx: click.Context) -> Iterator[None]:
    """While Click formats the help of command (and the lines of its subcommands): its texts in
    the language of the run. Click's help and version options keep the text of the language
    they were made in, so theirs is looked up again too."""
    saved: list[tuple[Any, str, Any]] = []

    def swap(obj: Any, attribute: str, value: Any) -> None:
        saved.append((obj, attribute, getattr(obj, attribute)))
        setattr(obj, attribute, value)

    english = current() == "en"
    for param in command.get_params(ctx):
        if isinstance(param, click.Option) and param.help in _CLICK_IDS:
            swap(param, "help", translate(_CLICK_IDS[param.help]))
    if english:
        commands = [command]
        if isinstance(command, click.Group):
            commands += list(command.commands.values())
        for cmd in commands:
            swap(cmd, "help", english_help(cmd.help))
            swap(cmd, "short_help", english_help(cmd.short_help))
            for param in cmd.params:
                if isinstance(param, click.Option):
                    swap(param, "help", english_help(param.help))
                if param.metavar is not None:
                    swap(param, "metavar", METAVARS_EN.get(param.metavar, param.metavar))
    try:
        yield
    finally:
        for obj, attribute, value in reversed(saved):
            setattr(obj, attribute, value)


def _first_sentence(text: str) -> str:
    """The summary line of a command in its group's list: its first sentence, whole."""
    paragraph = inspect.cleandoc(text).split("\n\n")[0].replace("\n", " ")
    match = re.match(r"(.+?[.!?])(\s|$)", paragraph)
    return (match.group(1) if match else paragraph).strip()


class _InLanguage(click.Command):
    """Help in the run's language, and a summary in the group's list never cut off with
    '...': the same for a command and a group."""

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _in_language(self, ctx):
            super().format_help(ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        text = self.short_help or self.help or ""
        return _first_sentence(text) if text else ""


class Command(_InLanguage):
    """A command whose help follows the run's language, and whose summary in the group's list is
    never cut off with '...'."""

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        pieces = super().collect_usage_pieces(ctx)
        if current() == "nl":
            pieces = [piece.replace("[OPTIONS]", "[OPTIES]") for piece in pieces]
        return pieces


class Group(_InLanguage, click.Group):
    """A group of commands with the same language rules as Command."""

    command_class = Command

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        pieces = super().collect_usage_pieces(ctx)
        if current() == "nl":
            pieces = [
                piece.replace("[OPTIONS]", "[OPTIES]")
                .replace("COMMAND", "OPDRACHT")
                .replace("[ARGS]", "[ARGUMENTEN]")
                for piece in pieces
            ]
        return pieces


class MainGroup(Group):
    """The top-level `kantoor-batch` group: decides the language of the invocation before Click
    parses anything, from `--lang` on the command line or the locale."""

    def main(self, args: Sequence[str] | None = None, *rest: Any, **kwargs: Any) -> Any:
        arguments = list(sys.argv[1:] if args is None else args)
        use(from_arguments(arguments))
        install()
        return super().main(arguments, *rest, **kwargs)
