"""kantoor-batch template: write the empty onboarding workbook."""

from __future__ import annotations

from pathlib import Path

import click

from kantoor_batch.cli.common import config_option, help_lang_option, load_catalogues, stops_cleanly
from kantoor_batch.cli.language import Command
from kantoor_batch.export.template import DEFAULT_TEMPLATE_NAME, write_template


@click.command(cls=Command)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=Path(DEFAULT_TEMPLATE_NAME),
    show_default=True,
    metavar="BESTAND",
    help="De werkmap (.xlsx) om te schrijven.",
)
@config_option
@help_lang_option
def template(output: Path, config_path: Path | None) -> None:
    """Schrijf de lege onboarding-werkmap met keuzelijsten en instructies."""
    catalogues = load_catalogues(config_path)
    with stops_cleanly():
        write_template(output, catalogues)
    click.echo(f"Sjabloon geschreven: {output}")
