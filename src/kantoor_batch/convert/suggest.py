"""A first profile from an export's headers and values, for a person to check and edit.

Each header is compared with the template's column names, their English aliases and the
names packages use for them (Dutch and English synonyms below): exactly after folding (case,
spaces, punctuation, a 'Fld' prefix as SnelStart writes), else by rapidfuzz's similarity. Every
suggestion carries its confidence as a comment, and headers it could not place are listed, so
the user sees at once what to check. Values are looked at too: codes of a closed list get a
value map, short numbers of a fixed-length identifier a pad, dates a date_format.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz, process

from kantoor_batch.catalogues import Catalogues, fold_choice
from kantoor_batch.clean.values import choice_lookup
from kantoor_batch.convert import transforms
from kantoor_batch.convert.sources import ReadOptions, SourceTable, read_source
from kantoor_batch.spec import CONTACTS, RELATIONS, Column, Kind, Sheet

MIN_SCORE = 80  # below this a header is listed as not recognised
# Short codes packages use for a closed list's values; too short to compare by similarity.
CODES = {"e": "Eenmanszaak", "ez": "Eenmanszaak", "stg": "Stichting", "ver": "Vereniging"}
_PERSON_KEYS = {"initials", "first_name", "infix", "last_name", "birth_date", "bsn"}
# What packages call the template's columns, besides its own names and aliases.
SYNONYMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("relations", "relation_number"): (
        "organisatie id",
        "relatie id",
        "klant id",
        "debiteurnr",
        "debiteurnummer",
        "klantnummer",
        "klantnr",
        "clientnummer",
        "clientnr",
        "relatiecode",
        "relatienr",
        "bedrijfnr",
        "bedrijfsnummer",
        "customer id",
        "client id",
        "code",
        "nummer",
        "id",
    ),
    ("relations", "name"): ("bedrijfsnaam", "naam", "organisatie", "company name", "firma"),
    ("relations", "kind"): ("soort relatie", "relatiesoort", "type relatie"),
    ("relations", "legal_form"): ("rechtsvorm", "bedrijfsvorm", "legal form", "ondernemingsvorm"),
    ("relations", "kvk_number"): ("kvknummer", "kvk nr", "handelsregisternummer", "coc"),
    ("relations", "fiscal_number"): ("rsin", "fiscaalnummer", "bsn rsin", "sofinummer"),
    ("relations", "vat_number"): ("btwnummer", "omzetbelastingnummer", "ob nummer"),
    ("relations", "payroll_tax_number"): ("lhnummer", "loonheffingennummer", "lh nummer"),
    ("relations", "iban"): ("iban", "rekeningnummer", "bankrekening"),
    ("relations", "email"): ("emailadres", "email", "e-mailadres", "mail"),
    ("relations", "phone"): ("telefoon", "telefoonnummer", "tel", "phone number"),
    ("relations", "street"): ("adres", "straat", "straatnaam", "address", "bezoekadres"),
    ("relations", "house_number"): ("huisnummer", "huisnr", "nr"),
    ("relations", "house_number_suffix"): ("huisnummertoev", "toevoeging", "huisnummertoevoeging"),
    ("relations", "postcode"): ("postcode", "zipcode", "postal code"),
    ("relations", "city"): ("plaats", "woonplaats", "vestigingsplaats", "city"),
    ("relations", "country"): ("codeland", "landcode", "land", "country code"),
    ("relations", "group"): ("relatiegroep", "groep", "klantgroep", "segment"),
    ("contacts", "initials"): ("voorletters", "initialen"),
    ("contacts", "first_name"): ("voornaam", "roepnaam", "contactvoornaam", "first name"),
    ("contacts", "infix"): ("tussenvoegsel", "voorvoegsel", "tussenvoegsels"),
    ("contacts", "last_name"): ("achternaam", "contactachternaam", "geslachtsnaam", "surname"),
    ("contacts", "birth_date"): ("geboortedatum", "geb datum", "date of birth"),
    ("contacts", "bsn"): ("bsn", "burgerservicenummer", "sofinummer persoon"),
    ("contacts", "email"): ("contactemail", "email contactpersoon", "contact email"),
    ("contacts", "contact_type"): ("functie", "rol", "soort contactpersoon"),
    ("contacts", "phone"): ("contacttelefoon", "mobiel", "mobiele telefoon", "gsm"),
}


def fold_header(text: str) -> str:
    """'FldKvKNummer' -> 'kvknummer', 'E-mail adres' -> 'emailadres'."""
    folded = re.sub(r"^fld(?=[A-Z])", "", text.strip())
    return "".join(ch for ch in folded.casefold() if ch.isalnum())


@dataclass(frozen=True)
class Suggestion:
    header: str  # as written in the export
    sheet: Sheet
    column: Column
    score: float  # 0-100


def _candidates() -> dict[str, tuple[Sheet, Column]]:
    out: dict[str, tuple[Sheet, Column]] = {}
    for sheet in (RELATIONS, CONTACTS):
        for column in sheet.columns:
            for name in (
                column.header,
                *column.aliases,
                *SYNONYMS.get((sheet.key, column.key), ()),
            ):
                folded = fold_header(name)
                # A contact's own columns win their names over the relation's (a person's BSN).
                if folded and (
                    folded not in out or (sheet is CONTACTS and column.key in _PERSON_KEYS)
                ):
                    out.setdefault(folded, (sheet, column))
    for (sheet_key, key), names in SYNONYMS.items():
        sheet = RELATIONS if sheet_key == "relations" else CONTACTS
        for name in names:
            out[fold_header(name)] = (sheet, sheet.column(key))
    return out


def match_headers(headers: list[str]) -> tuple[list[Suggestion], list[str]]:
    """The best target of each header, each target used once (the surest header wins)."""
    candidates = _candidates()
    names = list(candidates)
    found: list[Suggestion] = []
    for header in headers:
        folded = fold_header(header)
        if not folded:
            continue
        if folded in candidates:
            sheet, column = candidates[folded]
            found.append(Suggestion(header, sheet, column, 100.0))
            continue
        best = process.extractOne(folded, names, scorer=fuzz.ratio, score_cutoff=MIN_SCORE)
        if best is not None:
            sheet, column = candidates[best[0]]
            found.append(Suggestion(header, sheet, column, round(float(best[1]), 1)))
    taken: dict[tuple[str, str], Suggestion] = {}
    for suggestion in sorted(found, key=lambda s: -s.score):
        taken.setdefault((suggestion.sheet.key, suggestion.column.key), suggestion)
    chosen = [s for s in found if taken[(s.sheet.key, s.column.key)] is s]
    placed = {s.header for s in chosen}
    return chosen, [h for h in headers if h not in placed]


# A word in front of a person's columns says whose they are: 'Eigenaar BSN', 'PartnerNaam',
# 'ContactVoornaam'. Each such person becomes a Contacten block of its own.
ROLES = {
    "eigenaar": "Ondernemer",
    "ondernemer": "Ondernemer",
    "dga": "Ondernemer",
    "partner": "Fiscaal partner",
    "echtgenoot": "Fiscaal partner",
    "echtgenote": "Fiscaal partner",
    "contact": "Contactpersoon",
    "contactpersoon": "Contactpersoon",
}
_FULL_NAME = {"", "naam", "volledigenaam", "name", "fullname"}


@dataclass
class Person:
    """The columns of one person on a row (the owner, the partner), by the word before them."""

    role: str
    contact_type: str
    full_name: str | None = None  # a header holding the whole name
    columns: list[Suggestion] = field(default_factory=list)

    @property
    def name_header(self) -> str | None:
        last = next((s.header for s in self.columns if s.column.key == "last_name"), None)
        return self.full_name or last


def person_groups(headers: list[str]) -> list[Person]:
    """Role-prefixed person columns, grouped per role; only groups with a name count."""
    contact_names = {
        fold_header(name): CONTACTS.column(key)
        for (sheet, key), names in SYNONYMS.items()
        if sheet == "contacts"
        for name in (*names, CONTACTS.column(key).header, *CONTACTS.column(key).aliases)
    }
    contact_names.update({"email": CONTACTS.column("email"), "telefoon": CONTACTS.column("phone")})
    groups: dict[str, Person] = {}
    for header in headers:
        words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", header.strip()).split()
        if not words or fold_header(words[0]) not in ROLES:
            continue
        role, rest = fold_header(words[0]), fold_header("".join(words[1:]))
        group = groups.setdefault(role, Person(role, ROLES[role]))
        if rest in _FULL_NAME:
            group.full_name = header
        elif rest in contact_names:
            group.columns.append(Suggestion(header, CONTACTS, contact_names[rest], 100.0))
    return [g for g in groups.values() if g.name_header is not None]


def suggest_profile(path: Path, options: ReadOptions | None = None) -> str:
    """The text of a profile for the export at path (TOML, with comments to check)."""
    source = read_source(path, options)
    persons = person_groups(source.headers)
    in_groups = {s.header for p in persons for s in p.columns} | {
        p.full_name for p in persons if p.full_name
    }
    chosen, unplaced = match_headers([h for h in source.headers if h not in in_groups])
    relation = [s for s in chosen if s.sheet is RELATIONS]
    contact = [s for s in chosen if s.sheet is CONTACTS]
    lines = [
        f"# Voorstel van kantoor-batch convert --suggest voor {path.name}.",
        "# Controleer elke regel: de zekerheid staat erachter.",
        "# Zie README, 'kantoor-batch convert', voor alle mogelijkheden van een profiel.",
        "version = 1",
        f"name = {_q(path.stem)}",
        "",
        "[source]",
    ]
    if source.encoding:
        lines.append(f"encoding = {_q(source.encoding)}")
    if source.delimiter:
        lines.append(f"delimiter = {_q('tab' if source.delimiter == chr(9) else source.delimiter)}")
    if source.sheet:
        lines.append(f"sheet = {_q(source.sheet)}")
    lines.append(f"header_row = {source.header_line}")
    if unplaced:
        lines += ["", "# Niet herkend (vul zelf in of laat weg): " + ", ".join(unplaced)]
    number = next((s for s in relation if s.column.key == "relation_number"), None)
    lines += ["", "[[rows]]", 'sheet = "Relaties"', "[rows.columns]"]
    if not any(s.column.key == "kind" for s in relation):
        lines.append('"Soort" = { value = "Organisatie" }  # controleer: een vaste waarde')
    for suggestion in relation:
        lines += _lines(suggestion, source, relation)
    lines += _placeholders(RELATIONS, relation, {"kind"})
    for person in persons:
        lines += _person_block(person, contact, number, source)
    if not persons and any(s.column.key in {"last_name", "first_name"} for s in contact):
        lines += ["", "[[rows]]", 'sheet = "Contacten"']
        last = next((s for s in contact if s.column.key == "last_name"), None)
        if last is not None:
            lines.append(f"when = {_q(last.header)}  # alleen regels met een achternaam")
        lines.append("[rows.columns]")
        given = set()
        if number is not None:
            lines.append(f'"Relatienummer" = {_q(number.header)}')
            given.add("relation_number")
        if not any(s.column.key == "contact_type" for s in contact):
            lines.append('"Soort contact" = { value = "Contactpersoon" }  # controleer')
            given.add("contact_type")
        for suggestion in contact:
            lines += _lines(suggestion, source, contact)
        lines += _placeholders(CONTACTS, contact, given)
    return "\n".join(lines) + "\n"


def _person_block(
    person: Person, shared: list[Suggestion], number: Suggestion | None, source: SourceTable
) -> list[str]:
    """A Contacten block for one person of the row, only where its name is filled."""
    lines = [
        "",
        f"# {person.contact_type}: de kolommen die met '{person.role}' beginnen.",
        "[[rows]]",
        'sheet = "Contacten"',
        f"when = {_q(str(person.name_header))}",
        "[rows.columns]",
        f'"Relatienummer" = {_q(number.header) if number else _q("VUL IN")}',
        f'"Soort contact" = {{ value = {_q(person.contact_type)} }}  # controleer',
    ]
    if person.full_name is not None:
        for part in ("voorletters", "voornaam", "tussenvoegsel", "achternaam"):
            header = part.capitalize()
            lines.append(
                f'{_q(header)} = {{ column = {_q(person.full_name)}, split = "naam", '
                f'part = "{part}" }}  # zekerheid 90%'
            )
    taken = {s.column.key for s in person.columns}
    names = {"initials", "first_name", "infix", "last_name"} if person.full_name else set()
    for suggestion in [*person.columns, *(s for s in shared if s.column.key not in taken)]:
        if suggestion.column.key not in names:
            lines += _lines(suggestion, source, person.columns)
    have = person.columns + shared
    if person.full_name is not None:
        return lines
    return lines + _placeholders(CONTACTS, have, {"relation_number", "contact_type"})


def _placeholders(sheet: Sheet, placed: list[Suggestion], given: set[str]) -> list[str]:
    """A line for each required column no header was found for: the user names the column."""
    have = {s.column.key for s in placed} | given
    return [
        f'{_q(c.header)} = {{ column = "VUL IN" }}  # verplicht: welke kolom van de export?'
        for c in sheet.columns
        if c.required and c.key not in have
    ]


def _lines(suggestion: Suggestion, source: SourceTable, placed: list[Suggestion]) -> list[str]:
    """One line per template column; a street line with house numbers in it ('Herestraat 12
    A') and no house number column of its own is split over three."""
    column = suggestion.column
    if column.key == "street" and not any(s.column.key == "house_number" for s in placed):
        cells = transforms.texts(source.data[suggestion.header]).dropna()
        if len(cells) and transforms.split_street(cells, "huisnummer").changed.mean() > 0.5:
            sheet = suggestion.sheet
            return [
                f"{_q(sheet.column(key).header)} = {{ column = {_q(suggestion.header)}, "
                f'split = "adres", part = "{part}" }}  # zekerheid {suggestion.score:.0f}%'
                for key, part in (
                    ("street", "straat"),
                    ("house_number", "huisnummer"),
                    ("house_number_suffix", "toevoeging"),
                )
            ]
    return [_line(suggestion, source)]


def _line(suggestion: Suggestion, source: SourceTable) -> str:
    column = suggestion.column
    cells = transforms.texts(source.data[suggestion.header]).dropna()
    parts = [f"column = {_q(suggestion.header)}"]
    if column.kind is Kind.CHOICE and column.choices:
        value_map = _value_map(cells, column)
        if value_map:
            inner = ", ".join(f"{_q(k)} = {_q(v)}" for k, v in value_map.items())
            parts.append(f"map = {{ {inner} }}")
    if column.pad_to and cells.str.fullmatch(r"\d+").any():
        parts.append(f"pad = {column.pad_to}")
    if column.kind is Kind.DATE:
        if cells.str.fullmatch(r"\d{8}").mean() > 0.5:
            parts.append('date_format = "jjjjmmdd"')
        elif cells.str.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}").mean() > 0.5:
            parts.append('date_format = "dd/mm/jjjj"')
    right = f"{{ {', '.join(parts)} }}" if len(parts) > 1 else _q(suggestion.header)
    return f"{_q(column.header)} = {right}  # zekerheid {suggestion.score:.0f}%"


def _value_map(cells: pd.Series, column: Column) -> dict[str, str]:
    """Each distinct code of the export -> the closest value of the closed list."""
    choices = Catalogues().choices(str(column.choices))
    lookup = choice_lookup(choices)
    folded_choices = {fold_choice(c): c for c in choices}
    out: dict[str, str] = {}
    for value in cells.unique()[:50]:
        key = fold_choice(str(value))
        if key in lookup:
            if lookup[key] != value:
                out[str(value)] = lookup[key]
            continue
        if key in CODES and CODES[key] in choices:
            out[str(value)] = CODES[key]
            continue
        if len(key) < 3:
            continue  # 'E' or 'N' is a code, not a misspelling
        best = process.extractOne(key, list(folded_choices), scorer=fuzz.WRatio, score_cutoff=85)
        if best is not None:
            out[str(value)] = folded_choices[best[0]]
    return out


def _q(text: str) -> str:
    """A TOML basic string (JSON's escaping is TOML's for these characters)."""
    return json.dumps(text, ensure_ascii=False)
