"""Builds the sample exports of other packages that the ready profiles convert (issue 11).

    python samples/build_exports.py            # from the repository root

Everything is generated from a fixed seed, nothing is copied: the shapes follow what packages
document about their exports (column names, codes, encodings), the people and companies are
made up, and every BSN, RSIN, loonheffingennummer and IBAN passes its check. The three exports:

- exports/nmbrs-bedrijven.xlsx: a Nmbrs-like company tab (a title row above the header, KvK
  numbers as Excel numbers that lost their leading zero, LoonaangifteTijdvak codes 1/2, a
  contact person as two name columns).
- exports/klanten-plat.csv: a flat client list in Windows-1252 with ';' (a title line, owner and
  partner side by side, 'J.A. van der Berg' names, a street line with number and addition,
  dates as dd-mm-jjjj text, a remark with a line break inside quotes).
- exports/organisaties.csv + exports/personen.txt: companies and persons as two files (UTF-8 with
  BOM and ','; UTF-8 with tabs), the persons linked to their company by its name.

benchmarks/bench_convert.py uses flat_rows() for its 100,000 rows.
"""

from __future__ import annotations

import csv
import io
import random
import unicodedata
from pathlib import Path

import xlsxwriter
from stdnum import iban

HERE = Path(__file__).parent
EXPORTS = HERE / "exports"
SEED = 11

FIRST = (
    "Jan",
    "Pieter",
    "Anna",
    "Sanne",
    "IJsbrand",
    "Noël",
    "Chloé",
    "René",
    "Joëlle",
    "Kees",
    "Fatima",
    "Mohamed",
    "Eva",
    "Daan",
    "Lotte",
    "Ilse",
    "Bram",
    "Femke",
    "Youssef",
    "Ingrid",
)
INFIXES = ("", "", "", "van", "de", "van der", "van den", "ter", "van 't", "den")
LAST = (
    "Vries",
    "Jong",
    "Berg",
    "ijzerman",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "Hoëvenaars",
    "Dijk",
    "Mulder",
    "Bos",
    "Brink",
    "IJsselmuiden",
    "Boer",
    "Peters",
    "Hulst",
    "Wijk",
)
STREETS = (
    "Herestraat",
    "Dorpsstraat",
    "Kerkweg",
    "Laan van Meerdervoort",
    "Oude Ebbingestraat",
    "Plein 1944",
    "Molenweg",
    "Stationsplein",
    "2e Jan Steenstraat",
    "Zuiderdiep",
)
CITIES = (
    ("Groningen", "9711"),
    ("Assen", "9401"),
    ("Zwolle", "8011"),
    ("Utrecht", "3511"),
    ("Leeuwarden", "8911"),
    ("Nijmegen", "6511"),
    ("Haarlem", "2011"),
    ("Delft", "2611"),
)
TRADES = ("Bakkerij", "Installatiebedrijf", "Adviesbureau", "Kapsalon", "Transport", "Bouw")


def mail(text: str) -> str:
    """An e-mail local part or domain word: lowercase ASCII ('Hoëvenaars' -> 'hoevenaars')."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in ascii_text.casefold() if ch.isalnum())


def eleven_test_numbers(start: int, count: int) -> list[str]:
    """Nine-digit numbers passing the 11-test (BSN, RSIN, loonheffingennummer)."""
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    found: list[str] = []
    n = start
    while len(found) < count:
        digits = f"{n:09d}"
        if sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0:
            found.append(digits)
        n += 7
    return found


def dutch_iban(account: int) -> str:
    body = f"ABNA{account:010d}"
    return f"NL{iban.calc_check_digits(f'NL00{body}')}{body}"


class People:
    """Made-up people and companies from one random generator."""

    def __init__(self, seed: int = SEED, count: int = 200) -> None:
        self.random = random.Random(seed)  # noqa: S311 - made-up sample data, not security
        self.bsns = iter(eleven_test_numbers(111_222_000, count * 3))
        self.numbers = iter(eleven_test_numbers(801_234_000, count * 2))

    def full_name(self, initials: bool = False) -> tuple[str, str]:
        """('J. van der Berg' or 'Jan van der Berg', the BSN)."""
        first = self.random.choice(FIRST)
        infix = self.random.choice(INFIXES)
        last = self.random.choice(LAST)
        given = f"{first[:2] if first.startswith('IJ') else first[0]}." if initials else first
        return " ".join(p for p in (given, infix, last) if p), next(self.bsns)

    def date(self, first_year: int = 1950, last_year: int = 1995) -> str:
        year = self.random.randint(first_year, last_year)
        return f"{self.random.randint(1, 28):02d}-{self.random.randint(1, 12):02d}-{year}"

    def address(self) -> tuple[str, str, str, str, str]:
        """(street, number, addition, postcode, city)."""
        city, digits = self.random.choice(CITIES)
        letters = "".join(self.random.choice("ABCEGHJKLMNPRTVWXZ") for _ in range(2))
        addition = self.random.choice(("", "", "", "A", "B", "bis", "2"))
        return (
            self.random.choice(STREETS),
            str(self.random.randint(1, 250)),
            addition,
            f"{digits}{letters}",
            city,
        )

    def kvk(self) -> str:
        return f"{self.random.randint(1_000_000, 99_999_999):08d}"

    def phone(self) -> str:
        area = self.random.choice(("50", "20", "30", "38", "58"))
        return f"0{area}-{self.random.randint(1_000_000, 9_999_999)}"


def nmbrs_rows(count: int = 40) -> list[list[object]]:
    people = People(SEED)
    rows: list[list[object]] = []
    for i in range(count):
        street, number, addition, postcode, city = people.address()
        name = f"{people.random.choice(TRADES)} {people.random.choice(LAST).capitalize()}"
        form = people.random.choice(("B.V.", "BV", "N.V.", "Stg."))
        contact, _ = people.full_name()
        first, _, last = contact.partition(" ")
        kvk = people.kvk()
        rows.append(
            [
                f"{20001 + i}",
                1000 + i,
                f"{name} {form}" if form != "Stg." else f"Stichting {name}",
                form,
                people.phone(),
                f"info@{mail(name.split()[1])}{i}.nl",
                int(kvk),  # an Excel number: a leading zero is gone
                street,
                int(number),
                addition,
                postcode,
                city,
                people.random.choice(("NL", "")),
                dutch_iban(400_000_000 + i),
                f"{next(people.numbers)}L01",
                people.random.choice((1, 1, 2)),
                first,
                last,
                f"{mail(first)}@{mail(name.split()[1])}{i}.nl",
            ]
        )
    return rows


NMBRS_HEADER = [
    "Debiteurnr",
    "Bedrijfnr",
    "Naam",
    "Rechtsvorm",
    "Telefoon",
    "EmailAdres",
    "KvKNummer",
    "Adres",
    "Huisnummer",
    "Huisnummertoev",
    "Postcode",
    "Plaats",
    "CodeLand",
    "IBAN",
    "LHNummer",
    "LoonaangifteTijdvak",
    "ContactVoornaam",
    "ContactAchternaam",
    "ContactEmail",
]


def write_nmbrs(path: Path, rows: list[list[object]]) -> None:
    book = xlsxwriter.Workbook(
        str(path), {"strings_to_numbers": False, "strings_to_formulas": False}
    )
    sheet = book.add_worksheet("Bedrijven")
    sheet.write_string(0, 0, "Export bedrijven - salarisadministratie")
    for j, header in enumerate(NMBRS_HEADER):
        sheet.write_string(2, j, header)
    for i, row in enumerate(rows, start=3):
        for j, value in enumerate(row):
            if isinstance(value, int):
                sheet.write_number(i, j, value)
            elif value != "":
                sheet.write_string(i, j, str(value))
    book.close()


FLAT_HEADER = [
    "Clientnummer",
    "Zoeknaam",
    "Naam",
    "Rechtsvorm",
    "Adres",
    "Postcode",
    "Woonplaats",
    "KvK-nr",
    "Telefoon",
    "E-mail",
    "Eigenaar",
    "Eigenaar geboortedatum",
    "Eigenaar BSN",
    "Partner",
    "Partner geboortedatum",
    "Partner BSN",
    "IB aangifte",
    "Opmerking",
]


def flat_rows(count: int = 60, seed: int = SEED) -> list[list[str]]:
    """Client rows with owner and partner side by side (AuditCase-like)."""
    people = People(seed, count)
    rows = []
    for i in range(count):
        street, number, addition, postcode, city = people.address()
        owner, owner_bsn = people.full_name(initials=people.random.random() < 0.5)
        form = people.random.choice(("E", "E", "B.V.", "BV"))
        trade = people.random.choice(TRADES)
        surname = owner.split()[-1]
        name = f"{trade} {surname}" + (" B.V." if form != "E" else "")
        partner, partner_bsn = ("", "")
        if people.random.random() < 0.6:
            partner, partner_bsn = people.full_name()
        kvk = people.kvk()
        remark = people.random.choice(("", "", "Nieuwe klant", "Let op: jaarrekening;\nvia SBR"))
        rows.append(
            [
                f"{i + 1:06d}",
                surname.upper()[:8],
                name,
                form,
                f"{street} {number}{(' ' + addition) if addition else ''}",
                f"{postcode[:4]} {postcode[4:]}",
                city,
                kvk.lstrip("0") if people.random.random() < 0.2 else kvk,  # Excel ate a zero
                people.phone(),
                f"info@{mail(surname)}{i}.nl",
                owner,
                people.date(),
                owner_bsn,
                partner,
                people.date() if partner else "",
                partner_bsn,
                people.random.choice(("J", "J", "N")),
                remark,
            ]
        )
    return rows


def write_flat(path: Path, rows: list[list[str]], encoding: str = "cp1252") -> None:
    out = io.StringIO()
    out.write("Klantenlijst kantoor - export 01-11-2026\r\n")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(FLAT_HEADER)
    writer.writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))


def two_files(count: int = 30) -> tuple[list[list[str]], list[list[str]]]:
    """Companies and their persons (Simplicate-like), linked by the company's name."""
    people = People(SEED + 1, count * 3)
    companies, persons = [], []
    for i in range(count):
        street, number, addition, postcode, city = people.address()
        form = people.random.choice(("Besloten vennootschap", "Eenmanszaak", "Eenmanszaak"))
        trade = people.random.choice(TRADES)
        owner, owner_bsn = people.full_name()
        name = f"{trade} {owner.split()[-1]} {i + 1}"
        if form.startswith("Besloten"):
            name += " B.V."
        companies.append(
            [
                f"ORG{i + 1:04d}",
                name,
                form,
                people.kvk(),
                f"info@bedrijf{i + 1}.nl",
                people.phone(),
                f"{street} {number}{addition}",
                postcode,
                city,
            ]
        )
        first, _, rest = owner.partition(" ")
        infix, _, last = rest.rpartition(" ")
        role = "Eigenaar" if form == "Eenmanszaak" else "DGA"
        born = people.date().split("-")
        persons.append(
            [
                name.upper() if i % 7 == 0 else name,
                first,
                infix,
                last,
                role,
                f"{born[2]}{born[1]}{born[0]}",
                owner_bsn,
                f"{mail(first)}@bedrijf{i + 1}.nl",
            ]
        )
        if people.random.random() < 0.5:
            helper, _ = people.full_name()
            first, _, rest = helper.partition(" ")
            infix, _, last = rest.rpartition(" ")
            persons.append([name, first, infix, last, "Office manager", "", "", ""])
    return companies, persons


ORGANISATIONS_HEADER = [
    "Organisatie ID",
    "Naam",
    "Rechtsvorm",
    "KvK-nummer",
    "E-mailadres",
    "Telefoonnummer",
    "Bezoekadres",
    "Postcode",
    "Plaats",
]
PERSONS_HEADER = [
    "Organisatie",
    "Voornaam",
    "Tussenvoegsel",
    "Achternaam",
    "Functie",
    "Geboortedatum",
    "BSN",
    "E-mailadres",
]


def write_csv(
    path: Path, header: list[str], rows: list[list[str]], delimiter: str, bom: bool
) -> None:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8"))


def main() -> None:
    EXPORTS.mkdir(exist_ok=True)
    write_nmbrs(EXPORTS / "nmbrs-bedrijven.xlsx", nmbrs_rows())
    write_flat(EXPORTS / "klanten-plat.csv", flat_rows())
    companies, persons = two_files()
    write_csv(EXPORTS / "organisaties.csv", ORGANISATIONS_HEADER, companies, ",", bom=True)
    write_csv(EXPORTS / "personen.txt", PERSONS_HEADER, persons, "\t", bom=False)


if __name__ == "__main__":
    main()
