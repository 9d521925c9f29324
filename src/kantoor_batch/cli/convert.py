"""kantoor-batch convert: exports of another package -> an onboarding workbook (issue 11)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kantoor_batch.cli.common import (
    EXIT_DATA_ERRORS,
    EXIT_OK,
    WrongUse,
    config_option,
    lang_option,
    load_catalogues,
    refuse_overwriting_input,
    stops_cleanly,
)
from kantoor_batch.cli.language import Command
from kantoor_batch.convert.engine import convert_exports
from kantoor_batch.convert.profile import load_profile
from kantoor_batch.convert.report import (
    report_dict,
    terminal_lines,
    write_conversion_csv,
    write_conversion_workbook,
)
from kantoor_batch.convert.sources import ReadOptions
from kantoor_batch.convert.suggest import suggest_profile
from kantoor_batch.export.files import written_whole
from kantoor_batch.masking import printable
from kantoor_batch.messages import Lang

_DELIMITERS = {";": ";", ",": ",", "tab": "\t", "|": "|"}


@click.command(cls=Command)
@click.argument(
    "exports",
    metavar="EXPORT...",
    nargs=-1,
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
)
@click.option(
    "--profile",
    "profile_path",
    metavar="PROFIEL",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Profiel (TOML) dat zegt welke kolom van de export waar heen gaat.",
)
@click.option(
    "-o",
    "--output",
    metavar="BESTAND",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="De werkmap die ontstaat (standaard <export>-onboarding.xlsx); een naam zonder "
    ".xlsx is een map met de bladen als CSV (sneller bij grote bestanden). Met --suggest: het "
    "profiel (standaard <export>-profiel.toml).",
)
@click.option(
    "--suggest",
    is_flag=True,
    help="Stel een profiel voor uit de kolomkoppen en waarden van de export(s), om na te "
    "kijken en aan te passen; meer exports worden één profiel, gekoppeld op hun sleutelkolom.",
)
@click.option(
    "--encoding",
    metavar="TEKENSET",
    help="Tekenset van CSV-bestanden (utf-8, cp1252, ...); standaard herkend.",
)
@click.option(
    "--delimiter",
    type=click.Choice(list(_DELIMITERS)),
    help="Scheidingsteken van CSV-bestanden; standaard herkend.",
)
@click.option(
    "--header-row",
    metavar="REGEL",
    type=click.IntRange(min=1),
    help="Regel met de kolomkoppen; standaard herkend (de eerste regel met alleen koppen).",
)
@click.option("--sheet", metavar="BLAD", help="Blad van een werkmap-export; standaard het eerste.")
@click.option("--json", "as_json", is_flag=True, help="Schrijf het conversierapport als JSON.")
@lang_option
@config_option
def convert(
    exports: tuple[Path, ...],
    profile_path: Path | None,
    output: Path | None,
    suggest: bool,
    encoding: str | None,
    delimiter: str | None,
    header_row: int | None,
    sheet: str | None,
    as_json: bool,
    lang: Lang,
    config_path: Path | None,
) -> None:
    """Zet een export van een ander pakket om in een onboarding-werkmap.

    kantoor-batch convert EXPORT [EXPORT...] --profile PROFIEL.toml -o onboarding.xlsx
    schrijft de werkmap (daarna validate en import zoals altijd), met op het blad Conversie
    welke kolom waar heen ging en welke regels niet konden worden omgezet.
    kantoor-batch convert --suggest EXPORT [EXPORT...] -o PROFIEL.toml stelt een profiel voor.

    Exit 0 alles omgezet, 1 regels niet omgezet (de rest staat in de werkmap), 2 verkeerd
    gebruik, 3 een bestand of het profiel is niet te lezen.
    """
    options = ReadOptions(
        encoding, _DELIMITERS[delimiter] if delimiter else None, header_row, sheet
    )
    if suggest:
        _suggest(exports, output, options)
        return
    if profile_path is None:
        raise WrongUse(
            "Geef een profiel met --profile PROFIEL.toml, of laat er een voorstellen met --suggest."
        )
    target = output or exports[0].with_name(f"{exports[0].stem}-onboarding.xlsx")
    refuse_overwriting_input(exports[0], target)
    for export in exports[1:]:
        refuse_overwriting_input(export, target)
    catalogues = load_catalogues(config_path)
    with stops_cleanly():
        profile = load_profile(profile_path)
        result = convert_exports(list(exports), profile, options, catalogues)
        if target.suffix.casefold() == ".xlsx":
            write_conversion_workbook(result, target, catalogues)
        else:
            write_conversion_csv(result, target)
    if as_json:
        click.echo(json.dumps(report_dict(result, lang, target), ensure_ascii=False, indent=2))
    else:
        lines = terminal_lines(result, lang)
        if target.suffix.casefold() == ".xlsx":
            done = "Werkmap geschreven" if lang == "nl" else "Workbook written"
        else:
            done = "Bladen als CSV geschreven in" if lang == "nl" else "Sheets written as CSV in"
        lines.append(f"{done}: {target}")
        if result.ok:
            lines.append(
                f"Controleer hem met: kantoor-batch validate {target}"
                if lang == "nl"
                else f"Check it with: kantoor-batch validate {target}"
            )
        click.echo(printable("\n".join(lines), lines=True))
    raise SystemExit(EXIT_OK if result.ok else EXIT_DATA_ERRORS)


def _suggest(exports: tuple[Path, ...], output: Path | None, options: ReadOptions) -> None:
    """One profile for the exports: several become inputs, a persons file joined to the file
    its key column points at."""
    export = exports[0]
    target = output or export.with_name(f"{export.stem}-profiel.toml")
    for each in exports:
        refuse_overwriting_input(each, target)
    with stops_cleanly():
        text = suggest_profile(list(exports), options)
        with written_whole(target) as temporary:
            temporary.write_text(text, encoding="utf-8")
    click.echo(printable(f"Profiel voorgesteld: {target}. Kijk het na en pas het aan.", lines=True))
