"""The kantoor-batch command: a thin layer over the library that prints and picks exit codes.

Exit codes: 0 no errors (warnings allowed), 1 errors in the data, 2 wrong use of the command,
3 the run stopped before the data could be checked (unreadable file, bad configuration).
"""

from __future__ import annotations

import io
import sys

import click

from kantoor_batch.cli.common import help_lang_option
from kantoor_batch.cli.convert import convert
from kantoor_batch.cli.export import export
from kantoor_batch.cli.import_command import import_command
from kantoor_batch.cli.language import MainGroup
from kantoor_batch.cli.plan import plan
from kantoor_batch.cli.report import report
from kantoor_batch.cli.runs import runs
from kantoor_batch.cli.template import template
from kantoor_batch.cli.undo import undo
from kantoor_batch.cli.validate import validate
from kantoor_batch.cli.workflows import workflows


@click.group(
    "kantoor-batch", cls=MainGroup, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(package_name="kantoor-batch", help="Show the version and exit.")
@help_lang_option
def main() -> None:
    """Relaties van een accountantskantoor in bulk aanmaken vanuit een Excel-werkmap.

    Begin met `kantoor-batch template`, vul de werkmap in, controleer hem met
    `kantoor-batch validate` en importeer hem met `kantoor-batch import`. `kantoor-batch plan`
    maakt de workflows van nieuwe periodes; `kantoor-batch runs` toont wat er is gedaan;
    `kantoor-batch undo` maakt een run ongedaan; `kantoor-batch report` maakt het rapport
    voor de vennoten, `kantoor-batch workflows done` zet afgerond werk op gereed en
    `kantoor-batch export` schrijft de database terug als werkmap.
    """
    _printable_streams()


def _printable_streams() -> None:
    """A file name with bytes that are not UTF-8 (a lone surrogate in Python) is printed as
    \\xNN instead of ending the run in a UnicodeEncodeError, whatever the terminal's locale."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")


main.add_command(template)
main.add_command(validate)
main.add_command(import_command)
main.add_command(plan)
main.add_command(runs)
main.add_command(undo)
main.add_command(report)
main.add_command(workflows)
main.add_command(export)
main.add_command(convert)
