"""The onboarding workbook as data: sheets, columns, aliases and how each column is read.

Every other stage (reader, validation, template and error workbook writers) is driven by this
one table, so that adding a column is a change in one place. Dutch names are what people see;
keys are what code uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum


class Kind(StrEnum):
    """How the cells of a column are read and cleaned."""

    TEXT = "text"
    IDENTIFIER = "identifier"  # digits that must stay text (leading zeros)
    NUMBER_TEXT = "number_text"  # relation/contact/house numbers: text, numeric cells allowed
    CHOICE = "choice"  # a closed list, matched without regard to case
    YES_NO = "yes_no"
    DATE = "date"
    DAY_MONTH = "day_month"  # 'dd-mm', e.g. Boekjaar begint
    PERIOD = "period"  # a period label such as 2026-K1


@dataclass(frozen=True)
class Column:
    """One column of an onboarding sheet."""

    key: str
    header: str
    kind: Kind = Kind.TEXT
    required: bool = False
    aliases: tuple[str, ...] = ()
    # For IDENTIFIER columns: the length a numeric cell is padded back to (R3).
    pad_to: int | None = None
    # For CHOICE columns: the name of the list in the catalogues that closes it.
    choices: str | None = None
    # Personal data is masked on the terminal and in logs.
    personal: bool = False
    # The most characters the store holds (its String(n) column in store/schema.py; a test
    # keeps the two equal). None: not stored as bounded text (Ja/Nee, dates, free text).
    max_length: int | None = None
    width: int = 16
    explanation: str = ""
    # Written by the tool for the tool (the export stamp): a hidden column people leave alone.
    hidden: bool = False
    example: str = ""


@dataclass(frozen=True)
class Sheet:
    """One sheet of the onboarding workbook."""

    key: str
    name: str
    columns: tuple[Column, ...]
    aliases: tuple[str, ...] = ()
    required: bool = False
    explanation: str = ""
    by_key: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_key", {c.key: c for c in self.columns})

    def column(self, key: str) -> Column:
        return self.by_key[key]


RELATION_NUMBER = Column(
    "relation_number",
    "Relatienummer",
    Kind.NUMBER_TEXT,
    required=True,
    aliases=("relation number", "client number", "relatienr"),
    max_length=40,
    width=14,
    explanation="Het nummer van de relatie zoals het kantoor het gebruikt. Voorloopnullen blijven "
    "behouden. Op de andere bladen verwijst dit nummer naar de relatie.",
    example="000123",
)

EXPORT_STAMP = Column(
    "export_stamp",
    "Exportstempel",
    aliases=("export stamp",),
    width=12,
    hidden=True,
    explanation="Verborgen kolom die kantoor-batch export vult: de versie van de rij in de "
    "opslag. Niet wijzigen en bij nieuwe rijen leeg laten. Is de relatie na de export in de "
    "opslag gewijzigd, dan wordt de rij als conflict gemeld in plaats van de nieuwere gegevens "
    "te overschrijven.",
    example="",
)


GROUPS = Sheet(
    "groups",
    "Relatiegroepen",
    aliases=("relation groups", "groups", "groepen"),
    explanation="Relatiegroepen die vóór de relaties worden aangemaakt (R1).",
    columns=(
        Column(
            "name",
            "Naam",
            required=True,
            aliases=("name",),
            width=28,
            explanation="Naam van de relatiegroep, uniek.",
            example="MKB Noord",
            max_length=255,
        ),
        Column(
            "description",
            "Omschrijving",
            aliases=("description",),
            width=40,
            explanation="Vrije omschrijving.",
            example="Ondernemers in de regio Groningen",
        ),
        EXPORT_STAMP,
    ),
)

EMPLOYEES = Sheet(
    "employees",
    "Medewerkers",
    aliases=("employees", "staff"),
    explanation="Medewerkers van het kantoor die een rol bij een relatie krijgen.",
    columns=(
        Column(
            "code",
            "Code",
            required=True,
            aliases=("employee code",),
            width=10,
            explanation="Korte, unieke code van de medewerker; het blad Rollen verwijst hiernaar.",
            example="JDV",
            max_length=40,
        ),
        Column(
            "name",
            "Naam",
            required=True,
            aliases=("name",),
            width=28,
            explanation="Volledige naam.",
            example="Jan de Vries",
            max_length=255,
        ),
        Column(
            "email",
            "E-mail",
            aliases=("email", "e-mail address"),
            width=30,
            explanation="Zakelijk e-mailadres.",
            example="jan@kantoor.nl",
            max_length=255,
        ),
        EXPORT_STAMP,
    ),
)

RELATIONS = Sheet(
    "relations",
    "Relaties",
    aliases=("relations", "clients", "klanten"),
    required=True,
    explanation="Eén rij per relatie: een organisatie of een persoon.",
    columns=(
        RELATION_NUMBER,
        Column(
            "kind",
            "Soort",
            Kind.CHOICE,
            required=True,
            aliases=("kind", "type"),
            choices="relation_kinds",
            width=13,
            explanation="Organisatie of Persoon.",
            example="Organisatie",
        ),
        Column(
            "name",
            "Naam",
            required=True,
            aliases=("name",),
            width=32,
            explanation="Statutaire of handelsnaam; bij een persoon de volledige naam.",
            example="Bakkerij De Korenaar B.V.",
            max_length=255,
        ),
        Column(
            "legal_form",
            "Rechtsvorm",
            Kind.CHOICE,
            aliases=("legal form",),
            choices="legal_forms",
            width=14,
            explanation="Verplicht voor een organisatie; bepaalt welke producten passen (R7).",
            example="BV",
            max_length=40,
        ),
        Column(
            "kvk_number",
            "KvK-nummer",
            Kind.IDENTIFIER,
            aliases=("kvk number", "kvk", "chamber of commerce number", "coc number"),
            pad_to=8,
            width=12,
            explanation="8 cijfers.",
            example="01234567",
            max_length=8,
        ),
        Column(
            "establishment_number",
            "Vestigingsnummer",
            Kind.IDENTIFIER,
            aliases=("establishment number", "branch number"),
            pad_to=12,
            width=16,
            explanation="12 cijfers.",
            example="000012345678",
            max_length=12,
        ),
        Column(
            "fiscal_number",
            "BSN/RSIN",
            Kind.IDENTIFIER,
            aliases=("bsn", "rsin", "fiscal number", "fiscaal nummer"),
            pad_to=9,
            personal=True,
            width=12,
            explanation="9 cijfers die de elfproef doorstaan: BSN bij een persoon of eenmanszaak, "
            "RSIN bij een rechtspersoon.",
            example="123456782",
            max_length=9,
        ),
        Column(
            "vat_number",
            "OB-nummer",
            Kind.IDENTIFIER,
            aliases=("vat number", "ob number", "omzetbelastingnummer"),
            width=16,
            explanation="9 cijfers (elfproef) + B + 2 cijfers.",
            example="123456782B01",
            max_length=12,
        ),
        Column(
            "vat_id",
            "Btw-id",
            Kind.IDENTIFIER,
            aliases=("vat id", "btw-identificatienummer", "btw id"),
            width=17,
            explanation="NL + 9 cijfers + B + 2 cijfers.",
            example="NL123456782B01",
            max_length=14,
        ),
        Column(
            "payroll_tax_number",
            "Loonheffingennummer",
            Kind.IDENTIFIER,
            aliases=("payroll tax number", "loonheffingnummer"),
            width=17,
            explanation="9 cijfers (elfproef) + L + 2 cijfers.",
            example="123456782L01",
            max_length=12,
        ),
        Column(
            "iban",
            "IBAN",
            Kind.IDENTIFIER,
            aliases=("bank account",),
            width=24,
            explanation="Rekeningnummer in IBAN-vorm; spaties mogen.",
            example="NL91 ABNA 0417 1643 00",
            max_length=34,
        ),
        Column(
            "email",
            "E-mail",
            aliases=("email",),
            width=28,
            explanation="Algemeen e-mailadres van de relatie; een ongeldig adres wordt niet "
            "opgeslagen (een waarschuwing).",
            example="info@korenaar.nl",
            max_length=255,
        ),
        Column(
            "phone",
            "Telefoon",
            Kind.IDENTIFIER,
            aliases=("phone", "telephone", "telefoonnummer"),
            width=16,
            explanation="Wordt genormaliseerd, bijvoorbeeld +31 50 123 4567. Een ongeldig nummer "
            "wordt niet opgeslagen (een waarschuwing).",
            example="050-1234567",
            max_length=40,
        ),
        Column(
            "street",
            "Straat",
            aliases=("street",),
            personal=True,
            width=24,
            explanation="Straatnaam van het vestigings- of woonadres.",
            example="Herestraat",
            max_length=255,
        ),
        Column(
            "house_number",
            "Huisnummer",
            Kind.NUMBER_TEXT,
            aliases=("house number",),
            personal=True,
            width=11,
            explanation="Alleen het nummer.",
            example="12",
            max_length=20,
        ),
        Column(
            "house_number_suffix",
            "Toevoeging",
            aliases=("house number suffix", "suffix", "addition"),
            personal=True,
            width=10,
            explanation="Toevoeging aan het huisnummer.",
            example="A",
            max_length=20,
        ),
        Column(
            "postcode",
            "Postcode",
            Kind.IDENTIFIER,
            aliases=("postal code", "zip code", "zip"),
            personal=True,
            width=10,
            explanation="Nederlandse postcode, wordt opgeslagen als 1234 AB; een ongeldige wordt "
            "niet opgeslagen (een waarschuwing).",
            example="9711 LM",
            max_length=20,
        ),
        Column(
            "city",
            "Plaats",
            aliases=("city", "town", "woonplaats"),
            width=18,
            explanation="Vestigings- of woonplaats.",
            example="Groningen",
            max_length=100,
        ),
        Column(
            "country",
            "Land",
            aliases=("country",),
            width=8,
            explanation="Landcode (NL, BE, DE, ...); leeg is NL.",
            example="NL",
            max_length=2,
        ),
        Column(
            "financial_year_start",
            "Boekjaar begint",
            Kind.DAY_MONTH,
            aliases=("financial year start", "fiscal year start", "boekjaar"),
            width=15,
            explanation="Dag en maand waarop het boekjaar begint (dd-mm); leeg is 01-01.",
            example="01-07",
            max_length=5,
        ),
        Column(
            "group",
            "Relatiegroep",
            aliases=("relation group", "group"),
            width=20,
            explanation="Een groep van het blad Relatiegroepen of een die al bestaat (R1).",
            example="MKB Noord",
            max_length=255,
        ),
        Column(
            "integration",
            "Integratie",
            Kind.CHOICE,
            aliases=("integration",),
            choices="integrations",
            width=16,
            explanation="Een actieve integratie waaraan de relatie wordt gekoppeld (R11).",
            example="Exact Online",
            max_length=100,
        ),
        Column(
            "onboarding_workflow",
            "Onboardingworkflow",
            Kind.CHOICE,
            aliases=("onboarding workflow", "workflow"),
            choices="onboarding_workflows",
            width=26,
            explanation="Workflow die eenmalig wordt gestart voor een nieuwe relatie.",
            example="Onboarding nieuwe relatie",
            max_length=200,
        ),
        Column(
            "sbr_ideal",
            "SBR iDEAL",
            Kind.YES_NO,
            aliases=("sbr ideal", "ideal"),
            width=11,
            explanation="Ja of Nee; leeg is Nee (R9).",
            example="Nee",
        ),
        EXPORT_STAMP,
    ),
)

CONTACTS = Sheet(
    "contacts",
    "Contacten",
    aliases=("contacts", "contactpersonen"),
    explanation="Eén rij per contact van een relatie (R4-R6).",
    columns=(
        replace(
            RELATION_NUMBER, explanation="Relatie van het blad Relaties waar dit contact bij hoort."
        ),
        Column(
            "contact_number",
            "Contactnummer",
            Kind.NUMBER_TEXT,
            aliases=("contact number", "contactnr"),
            width=14,
            explanation="Leeg laten: het eerste contact krijgt het relatienummer, andere contacten "
            "een eigen nummer volgens de nummering van het kantoor (standaard 0101-1, 0101-2; "
            "R4). Vul een bestaand nummer in om een bestaand contact te koppelen.",
            example="",
            max_length=40,
        ),
        Column(
            "contact_type",
            "Soort contact",
            Kind.CHOICE,
            required=True,
            aliases=("contact type", "role of contact"),
            choices="contact_types",
            width=16,
            explanation="Ondernemer, Contactpersoon, Fiscaal partner, Kind of Overig.",
            example="Ondernemer",
            max_length=40,
        ),
        Column(
            "initials",
            "Voorletters",
            aliases=("initials",),
            width=11,
            explanation="Voorletters met punten.",
            example="J.A.",
            max_length=40,
        ),
        Column(
            "first_name",
            "Voornaam",
            aliases=("first name", "given name", "roepnaam"),
            width=14,
            explanation="Roepnaam.",
            example="Jan",
            max_length=100,
        ),
        Column(
            "infix",
            "Tussenvoegsel",
            aliases=("infix", "name prefix", "tussenvoegsels"),
            width=13,
            explanation="Bijvoorbeeld 'de' of 'van der'.",
            example="de",
            max_length=40,
        ),
        Column(
            "last_name",
            "Achternaam",
            required=True,
            aliases=("last name", "surname", "family name"),
            width=20,
            explanation="Achternaam zonder tussenvoegsel.",
            example="Vries",
            max_length=200,
        ),
        Column(
            "birth_date",
            "Geboortedatum",
            Kind.DATE,
            aliases=("birth date", "date of birth", "birthdate"),
            personal=True,
            width=14,
            explanation="Een datumcel, dd-mm-jjjj of jjjj-mm-dd.",
            example="17-03-1978",
        ),
        Column(
            "bsn",
            "BSN",
            Kind.IDENTIFIER,
            aliases=("citizen service number",),
            pad_to=9,
            personal=True,
            width=12,
            explanation="9 cijfers die de elfproef doorstaan. Zonder BSN blijft SBR uit (R5). Een "
            "contact met het BSN van een bekend contact is dat contact (R4).",
            example="123456782",
            max_length=9,
        ),
        Column(
            "email",
            "E-mail",
            aliases=("email",),
            width=28,
            explanation="Leeg: het e-mailadres van de relatie wordt overgenomen (R4).",
            example="jan@korenaar.nl",
            max_length=255,
        ),
        Column(
            "phone",
            "Telefoon",
            Kind.IDENTIFIER,
            aliases=("phone", "telephone", "mobiel"),
            width=16,
            explanation="Leeg: het telefoonnummer van de relatie wordt overgenomen (R4).",
            example="06-12345678",
            max_length=40,
        ),
        Column(
            "create_relation",
            "Relatie aanmaken",
            Kind.YES_NO,
            aliases=("create relation",),
            width=16,
            explanation="Persoonsrelatie maken o.b.v. dit contact. Leeg: Ja voor Ondernemer en "
            "Fiscaal partner, anders Nee (R5).",
            example="Ja",
        ),
        Column(
            "income_tax_return",
            "Aangifte IB",
            Kind.YES_NO,
            aliases=("income tax return",),
            width=12,
            explanation="Product Aangifte IB voor de persoonsrelatie. Leeg is Ja (R7).",
            example="Ja",
        ),
        Column(
            "primary",
            "Primair contact",
            Kind.YES_NO,
            aliases=("primary contact", "primair"),
            width=12,
            explanation="Leeg laten: een nieuwe klant krijgt de eerste ondernemer (anders de "
            "eerste contactpersoon) als primair contact, en een bestaande klant houdt het "
            "zijne (R4). Ja: dit contact wordt het primaire contact van de relatie, ook bij een "
            "bestaande klant (het vorige is dat dan niet meer).",
            example="",
        ),
        Column(
            "belongs_to",
            "Hoort bij",
            Kind.NUMBER_TEXT,
            aliases=("belongs to", "household of"),
            width=12,
            explanation="Alleen bij een fiscaal partner of kind van een relatie met meer dan één "
            "ondernemer (VOF, maatschap): het Contactnummer van de ondernemer bij wie dit "
            "gezin hoort. Vul dan bij de ondernemers een Contactnummer in. Leeg: de partner of "
            "het kind wordt aan niemand gekoppeld (R6).",
            example="",
            max_length=40,
        ),
        EXPORT_STAMP,
    ),
)

PRODUCTS = Sheet(
    "products",
    "Producten",
    aliases=("products", "diensten"),
    explanation="Producten per relatie; elk product moet bij de relatie passen (R7). Workflows "
    "en plannerregels volgen hieruit (R8, R9).",
    columns=(
        replace(RELATION_NUMBER, explanation="Relatie van het blad Relaties."),
        Column(
            "product",
            "Product",
            Kind.CHOICE,
            required=True,
            aliases=("product",),
            choices="products",
            width=20,
            explanation="Een product uit de lijst dat bij de relatie past: zie Zo werkt de import "
            "bovenaan. Aangifte IB bij een eenmanszaak of VOF gaat naar de ondernemer(s).",
            example="Aangifte OB",
            max_length=100,
        ),
        Column(
            "period_type",
            "Tijdvak",
            Kind.CHOICE,
            aliases=("period type", "period", "frequency"),
            choices="period_types",
            width=12,
            explanation="Alleen nodig waar het product meer tijdvakken kent; leeg is het standaard "
            "tijdvak van het product. Vier weken volgt de weekkalender (zie bovenaan).",
            example="Kwartaal",
            max_length=20,
        ),
        Column(
            "start_period",
            "Vanaf",
            Kind.PERIOD,
            aliases=("from", "start period", "first period"),
            width=12,
            explanation="Eerste periode die het kantoor verzorgt: 2026, 2026-K1, 2026-03, 2026-P01 "
            "of 2025/2026. Leeg is de lopende periode. Niet meer dan vijf jaar terug (instelbaar) "
            "en niet na volgend jaar (R7).",
            example="2026-K1",
            max_length=20,
        ),
        Column(
            "sbr",
            "SBR",
            Kind.YES_NO,
            aliases=("sbr",),
            width=8,
            explanation="Aangifte via SBR; leeg is Ja.",
            example="Ja",
        ),
        EXPORT_STAMP,
    ),
)

ROLES = Sheet(
    "roles",
    "Rollen",
    aliases=("roles",),
    explanation="Wie in het team waarvoor verantwoordelijk is, per relatie (R10).",
    columns=(
        replace(RELATION_NUMBER, explanation="Relatie van het blad Relaties."),
        Column(
            "role",
            "Rol",
            Kind.CHOICE,
            required=True,
            aliases=("role",),
            choices="roles",
            width=18,
            explanation="Een rol uit de lijst.",
            example="Relatiebeheerder",
            max_length=60,
        ),
        Column(
            "employee",
            "Medewerker",
            required=True,
            aliases=("employee", "employee code"),
            width=12,
            explanation="Code van een medewerker van het blad Medewerkers.",
            example="JDV",
            max_length=40,
        ),
        EXPORT_STAMP,
    ),
)

SHEETS: tuple[Sheet, ...] = (GROUPS, EMPLOYEES, RELATIONS, CONTACTS, PRODUCTS, ROLES)
SHEETS_BY_KEY: dict[str, Sheet] = {s.key: s for s in SHEETS}

INSTRUCTIONS_SHEET = "Instructies"
LISTS_SHEET = "Lijsten"
MESSAGES_COLUMN = "Meldingen"
CONVERSION_SHEET = "Conversie"  # convert's report in the workbook it writes
# Sheets the template writes for people and that the reader skips.
IGNORED_SHEETS = frozenset(
    {INSTRUCTIONS_SHEET.casefold(), LISTS_SHEET.casefold(), CONVERSION_SHEET.casefold()}
)


def normalise_header(text: object) -> str:
    """Fold a header cell the way domain.md says headers match: case, spaces, a trailing '*'."""
    folded = " ".join(str(text).replace("\xa0", " ").split()).casefold()
    return folded.rstrip("*").rstrip()
