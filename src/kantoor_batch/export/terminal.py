"""The one-screen summary printed on the terminal; personal data masked."""

from __future__ import annotations

import textwrap

from kantoor_batch import masking
from kantoor_batch.issues import Issue
from kantoor_batch.masking import printable
from kantoor_batch.messages import Lang
from kantoor_batch.result import ACTIONS, ImportResult
from kantoor_batch.store.database import describe
from kantoor_batch.validate.report import ValidationReport

FIRST_ISSUES = 8
LINES_PER_ISSUE = 2

LABELS: dict[str, dict[Lang, str]] = {
    "checked": {
        "nl": "Controle van {file} (peildatum {as_of})",
        "en": "Check of {file} (as of {as_of})",
    },
    "sheet": {"nl": "Blad", "en": "Sheet"},
    "rows": {"nl": "Rijen", "en": "Rows"},
    "errors": {"nl": "Fouten", "en": "Errors"},
    "warnings": {"nl": "Waarschuwingen", "en": "Warnings"},
    "total": {"nl": "Totaal", "en": "Total"},
    "row": {"nl": "Rij", "en": "Row"},
    "column": {"nl": "Kolom", "en": "Column"},
    "message": {"nl": "Melding", "en": "Message"},
    "error": {"nl": "fout", "en": "error"},
    "warning": {"nl": "waarsch.", "en": "warning"},
    "more": {
        "nl": "... en nog {n} meldingen (alle meldingen: foutenbestand of --json)",
        "en": "... and {n} more (all of them: the error workbook or --json)",
    },
    "clean": {"nl": "Geen fouten gevonden.", "en": "No errors found."},
    "verdict": {
        "nl": "{errors} fouten, {warnings} waarschuwingen.",
        "en": "{errors} errors, {warnings} warnings.",
    },
    "error_file": {"nl": "Foutenbestand: {path}", "en": "Error workbook: {path}"},
    "fix": {
        "nl": "Herstel de rode cellen in het foutenbestand en controleer het opnieuw.",
        "en": "Fix the red cells in the error workbook and check it again.",
    },
    "result_file": {"nl": "Resultaat: {path}", "en": "Result workbook: {path}"},
    "fix_and_import": {
        "nl": "Foutenbestand: {path} (herstel het en importeer het opnieuw)",
        "en": "Error workbook: {path} (fix it and import it again)",
    },
    "imported": {
        "nl": "Import van {file} in {store} (peildatum {as_of})",
        "en": "Import of {file} into {store} (as of {as_of})",
    },
    "dry_run": {"nl": "PROEFDRAAI: er is niets opgeslagen.", "en": "DRY RUN: nothing was stored."},
    "kind": {"nl": "Soort", "en": "Kind"},
    "all": {
        "nl": "Alles geïmporteerd in {seconds:.1f} s.",
        "en": "Everything imported in {seconds:.1f} s.",
    },
    "nothing": {"nl": "Niets geïmporteerd.", "en": "Nothing was imported."},
    "rows_not_stored": {
        "nl": "{n} rijen met een fout horen bij geen klant en zijn niet opgeslagen: {rows}",
        "en": "{n} rows with an error belong to no client and were not stored: {rows}",
    },
    "dry_run_done": {
        "nl": "Proefdraai in {seconds:.1f} s: niets opgeslagen. {would}",
        "en": "Dry run in {seconds:.1f} s: nothing was stored. {would}",
    },
    "would_all": {
        "nl": "Een echte import zou alles importeren.",
        "en": "A real import would import everything.",
    },
    "would_partial": {
        "nl": "Een echte import zou {n} relaties overslaan (hele klant, R12): {numbers}",
        "en": "A real import would skip {n} relations (whole client, R12): {numbers}",
    },
    "would_nothing": {
        "nl": "Een echte import zou niets importeren.",
        "en": "A real import would import nothing.",
    },
    "changed_values": {
        "nl": "{n} waarden gewijzigd (blad Wijzigingen van het resultaat).",
        "en": "{n} values changed (sheet Wijzigingen of the result workbook).",
    },
    "conflicts_held": {
        "nl": "{n} waarden niet toegepast: de opslag is sinds de export gewijzigd (conflict; "
        "blad Wijzigingen). Maak een nieuwe export, of importeer met --overwrite.",
        "en": "{n} values not applied: the store changed since the export (conflict; sheet "
        "Wijzigingen). Make a new export, or import with --overwrite.",
    },
    "conflicts_overwritten": {
        "nl": "{n} waarden overschreven die sinds de export in de opslag waren gewijzigd "
        "(--overwrite; blad Wijzigingen).",
        "en": "{n} values overwritten that had changed in the store since the export "
        "(--overwrite; sheet Wijzigingen).",
    },
    "partial": {
        "nl": "{n} relaties overgeslagen (hele klant, R12): {numbers}",
        "en": "{n} relations skipped (whole client, R12): {numbers}",
    },
}


def label(key: str, lang: Lang, **values: object) -> str:
    return LABELS[key][lang].format(**values)


def validation_summary(report: ValidationReport, lang: Lang = "nl", width: int = 100) -> str:
    lines = [
        label("checked", lang, file=report.path.name, as_of=report.as_of.strftime("%d-%m-%Y")),
        "",
    ]
    head = (
        label("sheet", lang),
        label("rows", lang),
        label("errors", lang),
        label("warnings", lang),
    )
    lines.append(f"{head[0]:<16}{head[1]:>7}{head[2]:>8}{head[3]:>16}")
    for count in report.counts():
        lines.append(
            f"{count['sheet']!s:<16}{count['rows']:>7}{count['errors']:>8}{count['warnings']:>16}"
        )
    lines.append(f"{label('total', lang):<16}{'':>7}{report.errors:>8}{report.warnings:>16}")
    if report.issues:
        lines += ["", *issue_table(report.issues[:FIRST_ISSUES], lang, width)]
        if len(report.issues) > FIRST_ISSUES:
            lines.append(label("more", lang, n=len(report.issues) - FIRST_ISSUES))
    lines.append("")
    lines.append(
        label("verdict", lang, errors=report.errors, warnings=report.warnings)
        if report.issues
        else label("clean", lang)
    )
    return "\n".join(lines)


def issue_table(issues: list[Issue], lang: Lang, width: int) -> list[str]:
    head = f"{label('sheet', lang):<14}{label('row', lang):>5}  {label('column', lang):<18}"
    indent = len(head) + 10
    lines = [head + f"{'':<10}{label('message', lang)}"]
    for issue in issues:
        severity = label(issue.severity.value, lang)
        start = (
            f"{(issue.sheet or '')[:13]:<14}{issue.row or '':>5}  "
            f"{(issue.column or '')[:17]:<18}{severity:<10}"
        )
        start = printable(start)  # sheet and column names come from the workbook
        text = textwrap.wrap(
            issue.message(lang, mask=True),
            max(width - indent, 30),
            max_lines=LINES_PER_ISSUE,
            placeholder=" ...",
        )
        lines.append(start + (text[0] if text else ""))
        lines += [" " * indent + part for part in text[1:]]
    return lines


def _final_line(result: ImportResult, lang: Lang) -> list[str]:
    """One line for the outcome: stored, partly, nothing, or a dry run that stored nothing."""
    numbers = sorted(result.skipped_bundles)
    shown = ", ".join(numbers[:10]) + (" ..." if len(numbers) > 10 else "")
    shown = masking.shown(shown)  # a BSN typed as relation number is masked here too
    if result.outcome == "rejected":
        text = label("would_nothing" if result.dry_run else "nothing", lang)
    elif numbers:
        key = "would_partial" if result.dry_run else "partial"
        text = label(key, lang, n=len(numbers), numbers=shown)
    elif result.rows_not_stored:
        text = ""
    else:
        text = label("would_all", lang) if result.dry_run else ""
    if result.dry_run:
        return [label("dry_run_done", lang, seconds=result.seconds, would=text).rstrip()]
    if result.outcome == "completed":
        return [label("all", lang, seconds=result.seconds)]
    return [text] if text else []


def import_summary(result: ImportResult, lang: Lang = "nl", width: int = 100) -> str:
    lines = [
        label(
            "imported",
            lang,
            file=result.path.name,
            store=describe(result.store),
            as_of=result.as_of.strftime("%d-%m-%Y"),
        )
    ]
    if result.dry_run:
        lines.append(label("dry_run", lang))
    lines.append("")
    lines.append(f"{label('kind', lang):<16}" + "".join(f"{a:>14}" for a in ACTIONS))
    for kind, counts in result.counts().items():
        lines.append(f"{kind:<16}" + "".join(f"{counts[a]:>14}" for a in ACTIONS))
    if result.issues:
        lines += ["", *issue_table(result.issues[:FIRST_ISSUES], lang, width)]
        if len(result.issues) > FIRST_ISSUES:
            lines.append(label("more", lang, n=len(result.issues) - FIRST_ISSUES))
    lines.append("")
    lines.append(label("verdict", lang, errors=result.errors, warnings=result.warnings))
    if result.changed_values:
        lines.append(label("changed_values", lang, n=result.changed_values))
    if result.held_back:
        lines.append(label("conflicts_held", lang, n=result.held_back))
    if result.conflicts > result.held_back:
        lines.append(label("conflicts_overwritten", lang, n=result.conflicts - result.held_back))
    if result.rows_not_stored and result.outcome != "rejected":
        rows = result.rows_not_stored
        where = ", ".join(f"{sheet} rij {row}" for sheet, row in rows[:10])
        where += " ..." if len(rows) > 10 else ""
        lines.append(label("rows_not_stored", lang, n=len(rows), rows=where))
    lines += _final_line(result, lang)
    return "\n".join(lines)
