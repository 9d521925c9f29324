"""Builds the two bundled samples. Run from the repository root after changing them:

    python samples/build_samples.py

onboarding-voorbeeld.xlsx validates clean: 27 realistic clients. onboarding-met-fouten.xlsx
holds the mistakes offices really make; tests/validate/test_samples.py lists each one with the
sheet, row and column where it must be reported.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

from faker import Faker
from stdnum import iban

from kantoor_batch.export.onboarding_writer import write_filled_workbook

HERE = Path(__file__).parent
Record = dict[str, object]


def eleven_test_numbers(start: int) -> list[str]:
    """Nine-digit numbers passing the 11-test, found by counting up from start."""
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    found: list[str] = []
    n = start
    while len(found) < 200:
        digits = f"{n:09d}"
        if sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0:
            found.append(digits)
        n += 7
    return found


BSNS = iter(eleven_test_numbers(111_222_000))
RSINS = iter(eleven_test_numbers(801_234_000))


def dutch_iban(bank: str, account: int) -> str:
    body = f"{bank}{account:010d}"
    check = iban.calc_check_digits(f"NL00{body}")
    return f"NL{check}{body}"


GROUPS: list[Record] = [
    {"name": "MKB Noord", "description": "Ondernemers in Groningen en Drenthe"},
    {"name": "Particulieren", "description": "Alleen aangifte inkomstenbelasting"},
    {"name": "Zorg", "description": "Praktijken en zorginstellingen"},
    {"name": "Stichtingen", "description": "Stichtingen en verenigingen"},
]
EMPLOYEES: list[Record] = [
    {"code": "JDV", "name": "Jan de Vries", "email": "jan@kantoorbakker.nl"},
    {"code": "MBA", "name": "Marieke Bakker", "email": "marieke@kantoorbakker.nl"},
    {"code": "PJN", "name": "Pieter Jansen", "email": "pieter@kantoorbakker.nl"},
    {"code": "SVL", "name": "Sanne Visser", "email": "sanne@kantoorbakker.nl"},
]

# (number, name, legal form, group, city, postcode, street, house number, financial year start)
ORGANISATIONS = [
    (
        "0101",
        "Bakkerij De Korenaar",
        "Eenmanszaak",
        "MKB Noord",
        "Groningen",
        "9711 LM",
        "Herestraat",
        "12",
        None,
    ),
    ("0102", "Van Dijk & Zn", "VOF", "MKB Noord", "Assen", "9401 HK", "Kerkstraat", "3", None),
    (
        "0103",
        "Hendriks Holding B.V.",
        "BV",
        "MKB Noord",
        "Haren",
        "9751 AB",
        "Rijksstraatweg",
        "210",
        "01-07",
    ),
    (
        "0104",
        "Stichting Vrienden van het Noorderplantsoen",
        "Stichting",
        "Stichtingen",
        "Groningen",
        "9712 HA",
        "Noorderplantsoen",
        "1",
        None,
    ),
    (
        "0105",
        "Fysiotherapie Mulder",
        "Maatschap",
        "Zorg",
        "Zwolle",
        "8011 CW",
        "Diezerstraat",
        "45",
        None,
    ),
    (
        "0106",
        "Kapsalon Knip",
        "Eenmanszaak",
        "MKB Noord",
        "Leeuwarden",
        "8911 AA",
        "Nieuwestad",
        "88",
        None,
    ),
    (
        "0107",
        "Smit Installatietechniek B.V.",
        "BV",
        "MKB Noord",
        "Emmen",
        "7811 AB",
        "Hoofdstraat",
        "7",
        None,
    ),
    (
        "0108",
        "De Groot Transport CV",
        "CV",
        "MKB Noord",
        "Hoogeveen",
        "7901 AA",
        "Hoofdstraat",
        "99",
        None,
    ),
    (
        "0109",
        "Tandartspraktijk Bos",
        "Eenmanszaak",
        "Zorg",
        "Meppel",
        "7941 AA",
        "Hoofdstraat",
        "5",
        None,
    ),
    (
        "0110",
        "Visser Software B.V.",
        "BV",
        "MKB Noord",
        "Groningen",
        "9723 JB",
        "Paterswoldseweg",
        "806",
        "01-04",
    ),
    (
        "0111",
        "Tennisvereniging Smash",
        "Vereniging",
        "Stichtingen",
        "Drachten",
        "9203 AA",
        "Sportlaan",
        "2",
        None,
    ),
    (
        "0112",
        "Bloemenhuis Meijer",
        "Eenmanszaak",
        "MKB Noord",
        "Groningen",
        "9712 AB",
        "Vismarkt",
        "20",
        None,
    ),
    (
        "0113",
        "Timmerbedrijf De Boer VOF",
        "VOF",
        "MKB Noord",
        "Veendam",
        "9641 AA",
        "Kerkstraat",
        "14",
        None,
    ),
    ("0114", "Dekker Advies B.V.", "BV", None, "Zwolle", "8012 AB", "Thorbeckegracht", "3", None),
    (
        "0115",
        "Coöperatie Graanvereniging Noord U.A.",
        "Coöperatie",
        "MKB Noord",
        "Winschoten",
        "9671 AA",
        "Langestraat",
        "60",
        None,
    ),
    (
        "0116",
        "Huisartsenpraktijk Peters",
        "Maatschap",
        "Zorg",
        "Groningen",
        "9725 AB",
        "Helperzoom",
        "11",
        None,
    ),
    (
        "0117",
        "Koster Schilderwerken",
        "Eenmanszaak",
        "MKB Noord",
        "Stadskanaal",
        "9501 AA",
        "Navolaan",
        "4",
        None,
    ),
    ("0118", "Brouwer Holding N.V.", "NV", None, "Groningen", "9711 AA", "Grote Markt", "1", None),
    (
        "0119",
        "Café De Sleutel",
        "Eenmanszaak",
        "MKB Noord",
        "Groningen",
        "9712 BB",
        "Poelestraat",
        "30",
        None,
    ),
    (
        "0120",
        "Schouten Logistiek B.V.",
        "BV",
        "MKB Noord",
        "Hoogezand",
        "9601 AA",
        "Hoofdstraat",
        "101",
        "01-10",
    ),
]
# (number, name, group, city, postcode)
PERSONS = [
    ("0201", "Maria Jansen", "Particulieren", "Groningen", "9717 AA"),
    ("0202", "Kees van Leeuwen", "Particulieren", "Haren", "9751 BB"),
    ("0203", "Fatima El Amrani", "Particulieren", "Assen", "9402 AA"),
    ("0204", "Henk Wolters", "Particulieren", "Zwolle", "8021 AA"),
    ("0205", "Anna de Wit", "Particulieren", "Groningen", "9718 AB"),
    ("0206", "Ruud Bosman", "Particulieren", "Emmen", "7822 AA"),
    ("0207", "Ilse Kok", "Particulieren", "Leeuwarden", "8921 AA"),
]
# The family a business is named after, so that its owners carry that name and the person
# relations derived from them (R5) are people, not 'Tom B.V.'. The others get a generated one.
FAMILY_NAMES = {
    "0102": "van Dijk",
    "0103": "Hendriks",
    "0105": "Mulder",
    "0107": "Smit",
    "0108": "de Groot",
    "0109": "Bos",
    "0110": "Visser",
    "0112": "Meijer",
    "0113": "de Boer",
    "0114": "Dekker",
    "0116": "Peters",
    "0117": "Koster",
    "0118": "Brouwer",
    "0120": "Schouten",
}
# Businesses run by one family: the second owner (a son, a brother) has the same name.
FAMILY_PARTNERSHIPS = {"0102", "0113"}
SEED = 13  # a fixed seed: the samples are the same files every time they are built


class People:
    """Dutch people from Faker's nl_NL locale: first names by sex, surnames with their
    tussenvoegsel apart ('van der Horst' -> 'van der', 'Horst'), as the Contacten sheet has
    them."""

    def __init__(self, seed: int = SEED) -> None:
        self.faker = Faker("nl_NL")
        self.faker.seed_instance(seed)

    def first_name(self, female: bool) -> str:
        return str(self.faker.first_name_female() if female else self.faker.first_name_male())

    def surname(self) -> str:
        return str(self.faker.last_name())


def surname_parts(surname: str) -> tuple[str | None, str]:
    """'van der Horst' -> ('van der', 'Horst'); 'Smit' -> (None, 'Smit')."""
    words = surname.split()
    lead = 0
    while lead < len(words) - 1 and words[lead].islower():
        lead += 1
    return (" ".join(words[:lead]) or None), " ".join(words[lead:])


def initials(first_name: str) -> str:
    return f"{first_name[0]}."


def _person_parts(full_name: str) -> tuple[str, str | None, str]:
    words = full_name.split()
    first, rest = words[0], words[1:]
    infix = " ".join(w for w in rest[:-1] if w.islower()) or None
    return first, infix, rest[-1]


def build_clean() -> dict[str, list[Record]]:
    relations: list[Record] = []
    contacts: list[Record] = []
    products: list[Record] = []
    roles: list[Record] = []
    people = People()
    staff = ["JDV", "MBA", "PJN", "SVL"]
    for i, (number, name, form, group, city, postcode, street, house, fy) in enumerate(
        ORGANISATIONS
    ):
        is_sole = form == "Eenmanszaak"
        owner_bsn = next(BSNS)
        relations.append(
            {
                "relation_number": number,
                "kind": "Organisatie",
                "name": name,
                "legal_form": form,
                "kvk_number": f"{(i * 7919 + 1234567) % 100_000_000:08d}",
                "establishment_number": f"{(i * 104729 + 12345678) % 10**12:012d}",
                "fiscal_number": owner_bsn if is_sole else next(RSINS),
                "vat_id": f"NL{owner_bsn if is_sole else next(RSINS)}B01",
                "payroll_tax_number": f"{next(RSINS)}L01" if form in ("BV", "VOF") else None,
                "iban": dutch_iban("RABO", 300_000_000 + i * 1237),
                "email": f"info@{number}.example.nl",
                "phone": f"050-{3_110_000 + i * 37}",
                "street": street,
                "house_number": house,
                "postcode": postcode,
                "city": city,
                "country": "NL",
                "financial_year_start": fy,
                "group": group,
                "integration": ["Exact Online", "Twinfield", "Nmbrs", None][i % 4],
                "onboarding_workflow": "Onboarding nieuwe relatie" if i % 3 == 0 else None,
                "sbr_ideal": "Ja" if i % 5 == 0 else "Nee",
            }
        )
        family = FAMILY_NAMES.get(number) or people.surname()
        infix, surname = surname_parts(family)
        if form in ("Stichting", "Vereniging", "NV"):
            first = people.first_name(female=i % 2 == 0)
            contact_infix, contact_surname = surname_parts(
                family if form == "NV" else people.surname()
            )
            contacts.append(
                {
                    "relation_number": number,
                    "contact_type": "Contactpersoon",
                    "first_name": first,
                    "last_name": contact_surname,
                    "infix": contact_infix,
                    "initials": initials(first),
                    "email": f"secretaris@{number}.nl",
                }
            )
        else:
            owners = 2 if form in ("VOF", "Maatschap", "CV") else 1
            for k in range(owners):
                female = (i + k) % 3 == 0
                first = people.first_name(female)
                owner_infix, owner_surname = infix, surname
                if k and number not in FAMILY_PARTNERSHIPS:
                    owner_infix, owner_surname = surname_parts(people.surname())
                contacts.append(
                    {
                        "relation_number": number,
                        # Several owners: numbered, so that 'Hoort bij' can name one (R6).
                        "contact_number": (number if k == 0 else f"{number}-{k}")
                        if owners > 1
                        else None,
                        "contact_type": "Ondernemer",
                        "first_name": first,
                        "initials": initials(first),
                        "infix": owner_infix,
                        "last_name": owner_surname,
                        "birth_date": dt.date(
                            1960 + (i * 3 + k) % 30, 1 + i % 12, 1 + (i + k) % 28
                        ),
                        # An eenmanszaak's BSN/RSIN is its owner's BSN (R5).
                        "bsn": owner_bsn if is_sole else next(BSNS),
                        "phone": f"06-{12_340_000 + i * 101 + k}",
                    }
                )
            if i % 2 == 0:
                partner_infix, partner_surname = surname_parts(people.surname())
                contacts.append(
                    {
                        "relation_number": number,
                        "contact_type": "Fiscaal partner",
                        "first_name": people.first_name(female=i % 3 != 0),
                        "infix": partner_infix,
                        "last_name": partner_surname,
                        "birth_date": dt.date(1962 + i % 25, 1 + (i + 5) % 12, 1 + i % 27),
                        "bsn": next(BSNS),
                        "belongs_to": number if owners > 1 else None,
                    }
                )
            if i % 4 == 0:
                contacts.append(
                    {
                        "relation_number": number,
                        "contact_type": "Kind",
                        "first_name": people.first_name(female=i % 8 == 0),
                        "infix": infix,
                        "last_name": surname,
                        "birth_date": dt.date(2008 + i % 10, 1 + i % 12, 2),
                        "bsn": next(BSNS),
                        "create_relation": "Ja",
                        "income_tax_return": "Nee",
                        "belongs_to": number if owners > 1 else None,
                    }
                )
        products += _organisation_products(number, form, fy, i)
        roles.append(
            {"relation_number": number, "role": "Relatiebeheerder", "employee": staff[i % 4]}
        )
        roles.append({"relation_number": number, "role": "Fiscaal", "employee": staff[(i + 1) % 4]})
    for j, (number, name, group, city, postcode) in enumerate(PERSONS):
        first, _infix, last = _person_parts(name)
        relations.append(
            {
                "relation_number": number,
                "kind": "Persoon",
                "name": name,
                "fiscal_number": next(BSNS),
                "email": f"{first.lower()}.{last.lower()}@mail.nl",
                "phone": f"06-{22_340_000 + j * 77}",
                "street": "Dorpsstraat",
                "house_number": str(j + 1),
                "house_number_suffix": "a" if j % 3 == 0 else None,
                "postcode": postcode,
                "city": city,
                "group": group,
            }
        )
        products.append(
            {"relation_number": number, "product": "Aangifte IB", "start_period": "2025"}
        )
        if j % 2 == 0:
            partner_infix, partner_surname = surname_parts(people.surname())
            contacts.append(
                {
                    "relation_number": number,
                    "contact_type": "Fiscaal partner",
                    "first_name": people.first_name(female=j % 4 != 0),
                    "infix": partner_infix,
                    "last_name": partner_surname,
                    "birth_date": dt.date(1970 + j, 6, 15),
                    "bsn": next(BSNS),
                }
            )
        roles.append({"relation_number": number, "role": "Fiscaal", "employee": staff[j % 4]})
    return {
        "groups": GROUPS,
        "employees": EMPLOYEES,
        "relations": relations,
        "contacts": contacts,
        "products": products,
        "roles": roles,
    }


def _organisation_products(number: str, form: str, fy: str | None, i: int) -> list[Record]:
    fy_label = "2025" if fy is None else "2025/2026"
    rows: list[Record] = []
    if form not in ("Stichting", "Vereniging"):
        rows.append(
            {
                "relation_number": number,
                "product": "Aangifte OB",
                "period_type": "Maand" if i % 6 == 1 else "Kwartaal",
                "start_period": "2026-01" if i % 6 == 1 else "2026-K1",
                "sbr": "Ja",
            }
        )
    if form in ("BV", "NV", "Coöperatie"):
        rows.append(
            {"relation_number": number, "product": "Aangifte Vpb", "start_period": fy_label}
        )
    if form in ("BV", "VOF", "Maatschap"):
        rows.append(
            {
                "relation_number": number,
                "product": "Loonheffingen",
                "period_type": "Vier weken" if i % 2 else "Maand",
                "start_period": "2026-P01" if i % 2 else "2026-01",
            }
        )
    if i % 5 == 2:
        rows.append(
            {
                "relation_number": number,
                "product": "Opgaaf ICP",
                "period_type": "Kwartaal",
                "start_period": "2026-K2",
            }
        )
    rows.append({"relation_number": number, "product": "Jaarrekening", "start_period": fy_label})
    return rows


def build_faulty(clean: dict[str, list[Record]]) -> dict[str, list[Record]]:
    """The first eight organisations and two persons, with the mistakes offices make."""
    keep = {"0101", "0102", "0103", "0104", "0105", "0106", "0107", "0108", "0201", "0202"}
    data = {
        key: [
            copy.deepcopy(r)
            for r in rows
            if key in ("groups", "employees") or r["relation_number"] in keep
        ]
        for key, rows in clean.items()
    }
    rel = {r["relation_number"]: r for r in data["relations"]}
    rel["0101"]["kvk_number"] = 1234567  # lost leading zero: Excel made a number of 01234567
    rel["0102"]["fiscal_number"] = "123456789"  # fails the 11-test
    rel["0103"]["postcode"] = "9751 SA"  # SA is never used in Dutch postcodes
    rel["0104"]["group"] = "Verenigingen"  # group that exists nowhere
    duplicate = copy.deepcopy(rel["0105"])  # the same number given to a second client
    duplicate.update({"name": "Fysiotherapie Mulder Zuid", "kvk_number": "87654321"})
    data["relations"].insert(6, duplicate)
    rel["0107"]["email"] = "info@smit-installatie"  # no domain
    data["contacts"].append(
        {
            "relation_number": "0999",
            "contact_type": "Ondernemer",
            "first_name": "Onbekend",
            "last_name": "Persoon",
        }
    )
    owner_0108 = next(
        c
        for c in data["contacts"]
        if c["relation_number"] == "0108" and c["contact_type"] == "Ondernemer"
    )
    owner_0108["birth_date"] = "17-3-78"  # two-digit year: ambiguous
    income_tax = next(p for p in data["products"] if p["relation_number"] == "0201")
    income_tax["period_type"] = "Kwartaal"  # Aangifte IB runs per year only
    return data


def main() -> None:
    clean = build_clean()
    write_filled_workbook(HERE / "onboarding-voorbeeld.xlsx", clean)
    write_filled_workbook(HERE / "onboarding-met-fouten.xlsx", build_faulty(clean))


if __name__ == "__main__":
    main()
