"""A first profile from an export's headers and values, for a person to check and edit.

Each header is compared with the template's column names, their English aliases and the
names packages use for them (Dutch and English synonyms below): exactly after folding (case,
spaces, punctuation, a 'Fld' prefix as SnelStart writes), else by rapidfuzz's similarity. Every
suggestion carries its confidence as a comment, and headers it could not place are listed, so
the user sees at once what to check. Values are looked at too: codes of a closed list get a
value map (a contact's function, 'Office manager', becomes Contactpersoon), short numbers of
a fixed-length identifier a pad, dates a date_format, a surname with its tussenvoegsel ('de
Vries') a name split. Columns about a product ('LoonaangifteTijdvak', 'Btw tijdvak', 'Vpb'
J/N) become a Producten block. Several exports give one profile with an input each, and a
persons file is joined to the file whose key column holds its values (the company's name or
number), taking the relation number from there.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz, process

from kantoor_batch.catalogues import Catalogues, PeriodType, fold_choice
from kantoor_batch.clean.values import choice_lookup
from kantoor_batch.convert import transforms
from kantoor_batch.convert.profile import fold_value
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
    ("relations", "street"): (
        "adres",
        "straat",
        "straatnaam",
        "address",
        "bezoekadres",
        "vestigingsadres",
        "adresregel",
        "straat en huisnummer",
    ),
    ("relations", "house_number"): ("huisnummer", "huisnr", "nr"),
    ("relations", "house_number_suffix"): ("huisnummertoev", "toevoeging", "huisnummertoevoeging"),
    ("relations", "postcode"): (
        "postcode",
        "zipcode",
        "postal code",
        "vestigingspostcode",
        "bezoekpostcode",
    ),
    ("relations", "city"): ("plaats", "woonplaats", "vestigingsplaats", "bezoekplaats", "city"),
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


def without_fld(text: str) -> str:
    """SnelStart's 'Fld' in front of every column name, left out: 'FldNaam' -> 'Naam'."""
    return re.sub(r"^[Ff]ld(?=[A-Z])", "", text.strip())


def fold_header(text: str) -> str:
    """'FldKvKNummer' -> 'kvknummer', 'E-mail adres' -> 'emailadres'."""
    folded = without_fld(text)
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
        words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", without_fld(header)).split()
        if not words or fold_header(words[0]) not in ROLES:
            continue
        role, rest = fold_header(words[0]), fold_header("".join(words[1:]))
        group = groups.setdefault(role, Person(role, ROLES[role]))
        if rest in _FULL_NAME:
            group.full_name = header
        elif rest in contact_names:
            group.columns.append(Suggestion(header, CONTACTS, contact_names[rest], 100.0))
    return [g for g in groups.values() if g.name_header is not None]


def suggest_profile(paths: Path | Sequence[Path], options: ReadOptions | None = None) -> str:
    """The text of a profile for the export(s) at paths (TOML, with comments to check): one
    export as before, several as inputs of one profile with the persons file joined to the
    file its key column points at."""
    files = [paths] if isinstance(paths, Path) else list(paths)
    sources = [read_source(path, options) for path in files]
    if len(sources) == 1:
        return _single(files[0], sources[0])
    return _several(files, sources)


def _header_lines(name: str, files: str) -> list[str]:
    return [
        f"# Voorstel van kantoor-batch convert --suggest voor {files}.",
        "# Controleer elke regel: de zekerheid staat erachter.",
        "# Zie README, 'kantoor-batch convert', voor alle mogelijkheden van een profiel.",
        "version = 1",
        f"name = {_q(name)}",
    ]


def _source_lines(source: SourceTable) -> list[str]:
    """How the file was read, so that the profile reads it the same way next time."""
    lines = []
    if source.encoding:
        lines.append(f"encoding = {_q(source.encoding)}")
    if source.delimiter:
        lines.append(f"delimiter = {_q('tab' if source.delimiter == chr(9) else source.delimiter)}")
    if source.sheet:
        lines.append(f"sheet = {_q(source.sheet)}")
    lines.append(f"header_row = {source.header_line}")
    return lines


@dataclass
class _Read:
    """One export's headers placed: persons by role, the products, the rest matched."""

    source: SourceTable
    persons: list[Person]
    products: list[ProductColumn]
    relation: list[Suggestion]
    contact: list[Suggestion]
    unplaced: list[str]

    @property
    def number(self) -> Suggestion | None:
        return next((s for s in self.relation if s.column.key == "relation_number"), None)


def _read(source: SourceTable) -> _Read:
    persons = person_groups(source.headers)
    in_groups = {s.header for p in persons for s in p.columns} | {
        p.full_name for p in persons if p.full_name
    }
    products = product_columns(source, in_groups)
    taken = in_groups | {p.header for p in products}
    chosen, unplaced = match_headers([h for h in source.headers if h not in taken])
    relation = [s for s in chosen if s.sheet is RELATIONS]
    contact = [s for s in chosen if s.sheet is CONTACTS]
    return _Read(source, persons, products, relation, contact, unplaced)


def _single(path: Path, source: SourceTable) -> str:
    read = _read(source)
    lines = [*_header_lines(path.stem, path.name), "", "[source]", *_source_lines(source)]
    if read.unplaced:
        lines += ["", "# Niet herkend (vul zelf in of laat weg): " + ", ".join(read.unplaced)]
    lines += _relation_block(read, None)
    number = read.number
    for person in read.persons:
        lines += _person_block(person, _shared(read), number, source)
    if not read.persons and any(s.column.key in {"last_name", "first_name"} for s in read.contact):
        lines += _contact_block(read, None, number.header if number else None, None)
    for product in read.products:
        lines += _product_block(product, number, None)
    return "\n".join(lines) + "\n"


def _relation_block(read: _Read, input_name: str | None) -> list[str]:
    lines = ["", "[[rows]]", 'sheet = "Relaties"']
    if input_name is not None:
        lines.append(f"input = {_q(input_name)}")
    lines.append("[rows.columns]")
    if not any(s.column.key == "kind" for s in read.relation):
        lines.append('"Soort" = { value = "Organisatie" }  # controleer: een vaste waarde')
    for suggestion in read.relation:
        lines += _lines(suggestion, read.source, read.relation)
    return lines + _placeholders(RELATIONS, read.relation, {"kind"})


def _contact_block(
    read: _Read, input_name: str | None, number: str | None, join: _Join | None
) -> list[str]:
    """Contacten from a file of persons (one per row), joined to its companies if given."""
    lines = ["", "[[rows]]", 'sheet = "Contacten"']
    if input_name is not None:
        lines.append(f"input = {_q(input_name)}")
    last = next((s for s in read.contact if s.column.key == "last_name"), None)
    if last is not None:
        lines.append(f"when = {_q(last.header)}  # alleen regels met een achternaam")
    if join is not None:
        lines.append(
            f"join = {{ input = {_q(join.other)}, column = {_q(join.column)}, "
            f"on = {_q(join.on)} }}  # {join.share:.0%} van de waarden gevonden"
        )
    lines.append("[rows.columns]")
    given = set()
    if join is not None and join.number is not None:
        lines.append(
            f'"Relatienummer" = {{ input = {_q(join.other)}, column = {_q(join.number)} }}'
            "  # uit het gekoppelde bestand"
        )
        given.add("relation_number")
    elif number is not None:
        lines.append(f'"Relatienummer" = {_q(number)}')
        given.add("relation_number")
    if not any(s.column.key == "contact_type" for s in read.contact):
        lines.append('"Soort contact" = { value = "Contactpersoon" }  # controleer')
        given.add("contact_type")
    for suggestion in read.contact:
        lines += _lines(suggestion, read.source, read.contact)
    return lines + _placeholders(CONTACTS, read.contact, given)


@dataclass(frozen=True)
class _Join:
    """A column of a persons file whose values are the key of another file's rows."""

    other: str  # the other input's name
    column: str  # in the persons file
    on: str  # in the other file
    share: float  # of the persons' values found there
    number: str | None  # the other file's relation number column


def _several(files: list[Path], sources: list[SourceTable]) -> str:
    names = _input_names(files)
    reads = [_read(source) for source in sources]
    lines = [
        *_header_lines(
            " + ".join(path.stem for path in files), ", ".join(path.name for path in files)
        )
    ]
    for path, name, source in zip(files, names, sources, strict=True):
        pattern = f"{path.stem}*"
        lines += ["", "[[inputs]]", f"name = {_q(name)}", f"file = {_q(pattern)}"]
        lines += _source_lines(source)
    joins = _joins(names, reads)
    for name, read in zip(names, reads, strict=True):
        if read.unplaced:
            lines += ["", f"# Niet herkend in {name}: " + ", ".join(read.unplaced)]
        join = joins.get(name)
        if join is not None:
            # A persons file: its company columns are the other file's; only its persons here.
            read.contact = _persons_own(read)
            lines += _contact_block(read, name, None, join)
            continue
        lines += _relation_block(read, name)
        number = read.number
        for person in read.persons:
            lines += _person_block(person, _shared(read), number, read.source, name)
        for product in read.products:
            lines += _product_block(product, number, name)
    return "\n".join(lines) + "\n"


def _persons_own(read: _Read) -> list[Suggestion]:
    """A persons file's columns as the contact's: its e-mail and phone are the person's."""
    out = list(read.contact)
    have = {s.column.key for s in out}
    for suggestion in read.relation:
        key = suggestion.column.key
        if key in {"email", "phone"} and key not in have:
            out.append(
                Suggestion(suggestion.header, CONTACTS, CONTACTS.column(key), suggestion.score)
            )
    return out


def _input_names(files: list[Path]) -> list[str]:
    names: list[str] = []
    for path in files:
        base = re.sub(r"[^a-z0-9]+", "_", path.stem.casefold()).strip("_") or "export"
        name, n = base, 2
        while name in names:
            name, n = f"{base}_{n}", n + 1
        names.append(name)
    return names


JOIN_SHARE = 0.8  # of a persons file's values that must be keys of the other file
JOIN_SAMPLE = 1_000  # values of a persons column tried against the other file's keys
_KEY_COLUMNS = {"relation_number", "name", "kvk_number", "fiscal_number"}


def _joins(names: list[str], reads: list[_Read]) -> dict[str, _Join]:
    """For each file of persons (it has a surname or first name column, and fewer columns
    about companies than another file), the column whose values are the unique key of another
    file's rows: the company's name or number. The best share wins; the other file's relation
    number column, when it has one, gives the relation number. Keys are the other file's
    number, name, KvK or fiscal number columns and those it could not place; the persons'
    values are tried on a sample, so that a large export is looked at in seconds."""
    found: dict[str, _Join] = {}
    keys_of: dict[str, dict[str, set[str]]] = {}
    for name, read in zip(names, reads, strict=True):
        headers = [s.header for s in read.relation if s.column.key in _KEY_COLUMNS]
        keys: dict[str, set[str]] = {}
        for header in [*headers, *read.unplaced]:
            values = _folded(read.source.data[header])
            if len(values) and not values.duplicated().any():
                keys[header] = set(values)
        keys_of[name] = keys
    for name, read in zip(names, reads, strict=True):
        persons = any(s.column.key in {"last_name", "first_name"} for s in read.contact)
        companies = max(len(other.relation) for other in reads if other is not read)
        if not persons or len(read.relation) >= companies:
            continue  # not a persons file: it says more about companies than the others
        best: _Join | None = None
        for header in read.source.headers:
            values = _folded(read.source.data[header].head(JOIN_SAMPLE * 2)).head(JOIN_SAMPLE)
            if not len(values):
                continue
            for other_name, other in zip(names, reads, strict=True):
                if other is read:
                    continue
                for on, key in keys_of[other_name].items():
                    share = float(values.isin(key).mean())
                    if share >= JOIN_SHARE and (best is None or share > best.share):
                        number = other.number.header if other.number else None
                        best = _Join(other_name, header, on, share, number)
        if best is not None:
            found[name] = best
    return found


def _folded(values: pd.Series) -> pd.Series:
    return transforms.texts(values).dropna().map(fold_value)


def _shared(read: _Read) -> list[Suggestion]:
    """The contact columns without a role in front, for the persons' blocks. A function column
    ('FldFunctie') is the one person's when there is one, and no one's when there are several
    (the owner and the partner keep the contact type their role gives)."""
    if len(read.persons) == 1:
        return read.contact
    return [s for s in read.contact if s.column.key != "contact_type"]


def _person_block(
    person: Person,
    shared: list[Suggestion],
    number: Suggestion | None,
    source: SourceTable,
    input_name: str | None = None,
) -> list[str]:
    """A Contacten block for one person of the row, only where its name is filled."""
    lines = [
        "",
        f"# {person.contact_type}: de kolommen die met '{person.role}' beginnen.",
        "[[rows]]",
        'sheet = "Contacten"',
        *([f"input = {_q(input_name)}"] if input_name else []),
        f"when = {_q(str(person.name_header))}",
        "[rows.columns]",
        f'"Relatienummer" = {_q(number.header) if number else _q("VUL IN")}',
    ]
    if not any(s.column.key == "contact_type" for s in [*person.columns, *shared]):
        lines.append(f'"Soort contact" = {{ value = {_q(person.contact_type)} }}  # controleer')
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
    if column.key == "last_name" and not any(s.column.key == "infix" for s in placed):
        cells = transforms.texts(source.data[suggestion.header]).dropna()
        split = transforms.split_name(cells, "tussenvoegsel").values
        if len(cells) and split.notna().mean() >= INFIX_SHARE:
            return [
                f"{_q(CONTACTS.column(key).header)} = {{ column = {_q(suggestion.header)}, "
                f'split = "naam", part = "{part}" }}  # zekerheid {suggestion.score:.0f}%, '
                f"{split.notna().mean():.0%} met tussenvoegsel"
                for key, part in (("infix", "tussenvoegsel"), ("last_name", "achternaam"))
            ]
    return [_line(suggestion, source)]


# A surname column where this share of the names start with a tussenvoegsel ('de Vries') is
# split in two: Tussenvoegsel and Achternaam.
INFIX_SHARE = 0.05


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


# A contact's function or role in an export -> the contact type it makes (anything else that
# names a function, 'Office manager', 'Boekhouder', is a Contactpersoon).
FUNCTIONS = {
    "eigenaar": "Ondernemer",
    "dga": "Ondernemer",
    "directeurgrootaandeelhouder": "Ondernemer",
    "directeur": "Ondernemer",
    "vennoot": "Ondernemer",
    "firmant": "Ondernemer",
    "maat": "Ondernemer",
    "ondernemer": "Ondernemer",
    "zelfstandige": "Ondernemer",
    "zzper": "Ondernemer",
    "partner": "Fiscaal partner",
    "fiscaalpartner": "Fiscaal partner",
    "echtgenoot": "Fiscaal partner",
    "echtgenote": "Fiscaal partner",
    "kind": "Kind",
    "zoon": "Kind",
    "dochter": "Kind",
}


def _value_map(cells: pd.Series, column: Column) -> dict[str, str]:
    """Each distinct code of the export -> the closest value of the closed list; for a
    contact's function every value seen, so that none is left for validate to refuse."""
    choices = Catalogues().choices(str(column.choices))
    if column.choices == "contact_types":
        return _function_map(cells, choices)
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


def _function_map(cells: pd.Series, choices: tuple[str, ...]) -> dict[str, str]:
    lookup = choice_lookup(choices)
    out: dict[str, str] = {}
    for value in cells.unique()[:50]:
        key = fold_header(str(value))
        if fold_choice(str(value)) in lookup:
            if lookup[fold_choice(str(value))] != value:
                out[str(value)] = lookup[fold_choice(str(value))]
            continue
        out[str(value)] = FUNCTIONS.get(key, "Contactpersoon")
    return out


@dataclass(frozen=True)
class ProductColumn:
    """A column about one product: its period (a code or word per row) or whether the
    client has it (J/N)."""

    header: str
    product: str
    tijdvak: dict[str, str] | None  # value -> period type; None for a J/N column
    yes: tuple[str, ...] = ()  # the values that mean the client has it


# Words in a header that name a product; the header must also say it is about the filing
# ('tijdvak', 'aangifte', ...) or hold only J/N, so that 'Btw-nummer' stays an identifier.
PRODUCT_WORDS = {
    "loonaangifte": "Loonheffingen",
    "loonheffing": "Loonheffingen",
    "loonheffingen": "Loonheffingen",
    "btw": "Aangifte OB",
    "ob": "Aangifte OB",
    "omzetbelasting": "Aangifte OB",
    "vpb": "Aangifte Vpb",
    "vennootschapsbelasting": "Aangifte Vpb",
    "icp": "Opgaaf ICP",
    "jaarrekening": "Jaarrekening",
}
_ABOUT_FILING = ("tijdvak", "aangifte", "periode", "frequentie", "opgaaf")
_NOT_PRODUCT = ("nummer", "nr", "id", "datum")
# Period words and codes -> period type. Nmbrs' LoonaangifteTijdvak codes: 1 = maand,
# 2 = 4 weken, 3 = 6 maanden, 4 = jaar (public documentation).
PERIOD_WORDS = {
    "m": PeriodType.MONTH,
    "mnd": PeriodType.MONTH,
    "maand": PeriodType.MONTH,
    "maandelijks": PeriodType.MONTH,
    "k": PeriodType.QUARTER,
    "kw": PeriodType.QUARTER,
    "q": PeriodType.QUARTER,
    "kwartaal": PeriodType.QUARTER,
    "j": PeriodType.YEAR,
    "jaar": PeriodType.YEAR,
    "jaarlijks": PeriodType.YEAR,
    "4w": PeriodType.FOUR_WEEKS,
    "4weken": PeriodType.FOUR_WEEKS,
    "vierweken": PeriodType.FOUR_WEEKS,
}
NMBRS_PERIOD_CODES = {"1": PeriodType.MONTH, "2": PeriodType.FOUR_WEEKS, "4": PeriodType.YEAR}
YES = {"j", "ja", "y", "yes", "true", "waar", "x", "1"}
NO = {"n", "nee", "no", "false", "onwaar", "0"}


def product_columns(source: SourceTable, taken: set[str]) -> list[ProductColumn]:
    """The columns of the export that say which product a client has, or in which period."""
    catalogue = {p.name: p for p in Catalogues().products}
    out: list[ProductColumn] = []
    for header in source.headers:
        if header in taken:
            continue
        spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", without_fld(header))
        words = re.findall(r"[a-z]+|\d+", spaced.casefold())
        folded = fold_header(header)
        product = next((PRODUCT_WORDS[w] for w in words if w in PRODUCT_WORDS), None)
        if product is None:
            product = next((v for k, v in PRODUCT_WORDS.items() if folded.startswith(k)), None)
        if product is None or product not in catalogue or any(w in _NOT_PRODUCT for w in words):
            continue
        cells = transforms.texts(source.data[header]).dropna()
        seen = [str(v) for v in cells.unique()[:50]]
        folded_seen = {v: fold_header(v) for v in seen}
        if seen and set(folded_seen.values()) <= YES | NO:
            yes = tuple(v for v, f in folded_seen.items() if f in YES)
            out.append(ProductColumn(header, product, None, yes))
            continue
        if not any(word in folded for word in _ABOUT_FILING):
            continue
        allowed = catalogue[product].period_types
        codes = NMBRS_PERIOD_CODES if "loonaangiftetijdvak" in folded else {}
        tijdvak: dict[str, str] = {}
        for value, key in folded_seen.items():
            period = PERIOD_WORDS.get(key) or codes.get(key)
            if period is None:
                period = next((t for t in allowed if fold_header(t.value) == key), None)
            if period is not None and period in allowed:
                tijdvak[value] = period.value
        out.append(ProductColumn(header, product, tijdvak))
    return out


def _product_block(
    product: ProductColumn, number: Suggestion | None, input_name: str | None
) -> list[str]:
    """A Producten block: the product on every row that has it, with its Tijdvak."""
    lines = [
        "",
        f"# {product.product}: uit de kolom {product.header}.",
        "[[rows]]",
        'sheet = "Producten"',
    ]
    if input_name is not None:
        lines.append(f"input = {_q(input_name)}")
    if product.tijdvak is None:
        values = ", ".join(_q(v) for v in product.yes)
        lines.append(f"when = {{ column = {_q(product.header)}, in = [{values}] }}")
    else:
        lines.append(f"when = {_q(product.header)}  # alleen regels waar het tijdvak is ingevuld")
    lines += [
        "[rows.columns]",
        f'"Relatienummer" = {_q(number.header) if number else _q("VUL IN")}',
        f'"Product" = {{ value = {_q(product.product)} }}  # controleer',
    ]
    if product.tijdvak is not None:
        inner = ", ".join(f"{_q(k)} = {_q(v)}" for k, v in product.tijdvak.items())
        lines.append(
            f'"Tijdvak" = {{ column = {_q(product.header)}, map = {{ {inner} }}, '
            'unmapped = "error" }  # een code die niet in de lijst staat is een fout'
        )
    return lines


def _q(text: str) -> str:
    """A TOML basic string (JSON's escaping is TOML's for these characters)."""
    return json.dumps(text, ensure_ascii=False)
