"""What the conversion says about source rows, Dutch and English, with a stable code each.

Kept beside the converter rather than in messages.py: these findings point at lines of an
export file, not at cells of the onboarding workbook, and carry no rule of the contract.
Placeholders: {file}, {line}, {column}, {value} and per-code extras.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from kantoor_batch.masking import mask_value, shown
from kantoor_batch.messages import Lang, Message

E: Literal["error"] = "error"
W: Literal["warning"] = "warning"

CONVERT_MESSAGES: dict[str, Message] = {
    "lost-digits": Message(
        "R3",
        E,
        "'{value}' in kolom {column} is een getal dat Excel als {value} heeft opgeslagen: de "
        "laatste cijfers zijn verloren en worden niet geraden. Exporteer opnieuw met deze kolom "
        "als tekst, of vul het volledige nummer in de export in.",
        "'{value}' in column {column} is a number Excel stored as {value}: its last digits are "
        "lost and are not guessed. Export again with this column as text, or fill in the full "
        "number in the export.",
    ),
    "invalid-date-format": Message(
        "R3",
        E,
        "'{value}' in kolom {column} is geen bestaande datum in de vorm {format}. Verbeter de "
        "datum in de export of pas date_format in het profiel aan.",
        "'{value}' in column {column} is no existing date in the form {format}. Fix the date in "
        "the export or change date_format in the profile.",
    ),
    "value-not-mapped": Message(
        "profiel",
        W,
        "'{value}' in kolom {column} staat niet in de waardekaart voor {target}; de waarde is "
        "overgenomen zoals hij is. Voeg hem toe aan de kaart in het profiel als dat nodig is.",
        "'{value}' in column {column} is not in the value map for {target}; the value was taken "
        "as it is. Add it to the map in the profile if needed.",
    ),
    "value-not-mapped-error": Message(
        "profiel",
        E,
        "'{value}' in kolom {column} staat niet in de waardekaart voor {target}. Voeg hem toe "
        "aan de kaart in het profiel of verbeter de waarde in de export.",
        "'{value}' in column {column} is not in the value map for {target}. Add it to the map in "
        "the profile or fix the value in the export.",
    ),
    "street-not-split": Message(
        "R3",
        W,
        "In '{value}' (kolom {column}) staat geen huisnummer; de hele regel is als Straat "
        "overgenomen. Vul Huisnummer en Toevoeging zelf in als dat nodig is.",
        "'{value}' (column {column}) holds no house number; the whole line was taken as the "
        "street. Fill in Huisnummer and Toevoeging yourself if needed.",
    ),
    "required-empty": Message(
        "sjabloon",
        E,
        "{target} is verplicht maar blijft leeg (uit kolom {column}). Vul de waarde in de "
        "export in, of geef in het profiel een default.",
        "{target} is required but stays empty (from column {column}). Fill in the value in the "
        "export, or give a default in the profile.",
    ),
    "join-no-match": Message(
        "profiel",
        E,
        "Kolom {column} is '{value}', maar in {other} staat geen regel met {on} = '{value}'. "
        "Controleer de waarde of voeg de ontbrekende regel toe aan {other}.",
        "Column {column} is '{value}', but {other} has no line with {on} = '{value}'. Check the "
        "value or add the missing line to {other}.",
    ),
    "join-key-not-unique": Message(
        "profiel",
        E,
        "'{value}' staat in kolom {column} op meer dan één regel ({lines}); de regels die "
        "ernaar verwijzen zijn niet te koppelen. Maak de waarde uniek.",
        "'{value}' is in column {column} on more than one line ({lines}); the lines that refer "
        "to it cannot be joined. Make the value unique.",
    ),
    "join-key-empty": Message(
        "profiel",
        E,
        "Kolom {column} is leeg: deze regel is aan geen regel van {other} te koppelen. Vul de "
        "waarde in de export in.",
        "Column {column} is empty: this line cannot be joined to a line of {other}. Fill in the "
        "value in the export.",
    ),
    "value-too-long": Message(
        "sjabloon",
        E,
        "De waarde voor {target} (uit kolom {column}) is {length} tekens lang; een cel van de "
        "werkmap houdt er hoogstens 32.767. Verkort de waarde in de export.",
        "The value for {target} (from column {column}) is {length} characters long; a cell of "
        "the workbook holds at most 32,767. Shorten the value in the export.",
    ),
    "joined-row-failed": Message(
        "profiel",
        E,
        "Deze regel hoort bij regel {other_line} van {other}, die niet kon worden omgezet; "
        "daarom is ook deze regel overgeslagen. Verbeter eerst die regel.",
        "This line belongs to line {other_line} of {other}, which could not be converted; so "
        "this line was skipped too. Fix that line first.",
    ),
    "encoding-uncertain": Message("bestand", W, "{text}", "{text}"),
    "workbook-is-text": Message("bestand", W, "{text}", "{text}"),
    "delimiter-uncertain": Message("bestand", W, "{text}", "{text}"),
    "encoding-detected": Message("bestand", W, "{text}", "{text}"),
    "header-row-detected": Message("bestand", W, "{text}", "{text}"),
}
# Notes about how a file was read that are information, not warnings.
INFO_CODES = frozenset({"encoding-detected", "header-row-detected"})


@dataclass(slots=True)
class ConversionIssue:
    """One finding about a source row (line None: about the whole file)."""

    code: str
    file: str
    line: int | None
    column: str | None
    value: object = None
    params: dict[str, str] = field(default_factory=dict)
    personal: bool = False
    sheet: str | None = None  # the export's sheet, for a workbook: line is then its row

    def where(self, lang: Lang = "nl") -> str:
        """'klanten.csv regel 4', or for a workbook 'nmbrs.xlsx blad Bedrijven rij 5'."""
        words = {"nl": ("regel", "blad", "rij"), "en": ("line", "sheet", "row")}[lang]
        if self.line is None:
            return self.file
        if self.sheet is None:
            return f"{self.file} {words[0]} {self.line}"
        return f"{self.file} {words[1]} {self.sheet} {words[2]} {self.line}"

    @property
    def severity(self) -> str:
        if self.code in INFO_CODES:
            return "info"
        return CONVERT_MESSAGES[self.code].severity

    @property
    def is_error(self) -> bool:
        return self.severity == E

    def message(self, lang: Lang = "nl", *, mask: bool = True) -> str:
        value = "" if self.value is None else str(self.value)
        params = dict(self.params)
        if lang == "en" and "text_en" in params:  # a note about how a file was read
            params["text"] = params["text_en"]
        column = self.column or ""
        if mask:
            value = shown(mask_value(value) if self.personal else value)
            params = {k: shown(v) for k, v in params.items()}
            column = shown(column)
        template = CONVERT_MESSAGES[self.code].text(lang)
        return template.format(value=value, column=column, file=self.file, **params)

    def as_dict(self, lang: Lang = "nl") -> dict[str, object]:
        return {
            "file": shown(self.file),
            "sheet": None if self.sheet is None else shown(self.sheet),
            "line": self.line,
            "column": None if self.column is None else shown(self.column),
            "code": self.code,
            "severity": self.severity,
            "message": self.message(lang),
        }
