"""Property: any valid workbook imports cleanly at any as-of date, and a second import of it
changes nothing (R12, R13)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kantoor_batch.importer import import_workbook
from tests.builders import Book

WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2)
PRODUCTS = [
    ("Aangifte OB", "Kwartaal"),
    ("Aangifte OB", "Maand"),
    ("Loonheffingen", "Vier weken"),
    ("Jaarrekening", None),
    ("Aangifte Vpb", None),
    ("Opgaaf ICP", "Jaar"),
]


def _with_check_digit(digits: list[int]) -> tuple[list[int], int]:
    return digits, sum(d * w for d, w in zip(digits, WEIGHTS, strict=True)) % 11


# Nine digits passing the 11-test: eight random ones and the check digit that makes it pass.
bsns = (
    st.lists(st.integers(0, 9), min_size=8, max_size=8)
    .filter(any)
    .map(_with_check_digit)
    .filter(lambda pair: pair[1] < 10)
    .map(lambda pair: "".join(map(str, pair[0])) + str(pair[1]))
)


@st.composite
def workbooks(draw: st.DrawFn) -> Book:
    count = draw(st.integers(1, 4))
    book = Book(
        {
            "Relatiegroepen": [{"Naam": "Groep"}],
            "Medewerkers": [{"Code": "AB", "Naam": "A. Bakker"}],
        }
    )
    for i in range(count):
        number = f"{draw(st.integers(1, 9999)):04d}"
        if any(r["Relatienummer"] == number for r in book.rows("Relaties")):
            continue
        form = draw(st.sampled_from(["BV", "Eenmanszaak", "VOF", "Stichting"]))
        book = book.add(
            "Relaties",
            Relatienummer=number,
            Soort="Organisatie",
            Naam=f"Klant {i}",
            Rechtsvorm=form,
            Relatiegroep="Groep",
            **{"Boekjaar begint": draw(st.sampled_from([None, "01-07", "01-04"]))},
        )
        for kind in draw(st.lists(st.sampled_from(["Fiscaal partner", "Kind"]), max_size=2)):
            book = book.add(
                "Contacten",
                Relatienummer=number,
                Soort_contact=kind,
                Achternaam=f"Familie {i}",
                BSN=draw(bsns),
            )
        book = book.add(
            "Contacten",
            Relatienummer=number,
            Soort_contact="Ondernemer",
            Achternaam=f"Eigenaar {i}",
            BSN=draw(bsns),
        )
        for product, period_type in draw(
            st.lists(st.sampled_from(PRODUCTS), min_size=1, max_size=3, unique_by=lambda p: p[0])
        ):
            if product == "Aangifte Vpb" and form != "BV":
                continue  # R7: Vpb does not fit an eenmanszaak or VOF (a stichting: a warning)
            book = book.add("Producten", Relatienummer=number, Product=product, Tijdvak=period_type)
        book = book.add("Rollen", Relatienummer=number, Rol="Fiscaal", Medewerker="AB")
    return book


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(workbooks(), st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31)))
def test_a_generated_valid_workbook_imports_cleanly_and_twice_changes_nothing(
    book: Book, as_of: dt.date
) -> None:
    """Whatever the clients and the date: no issue, everything stored, then all unchanged."""
    with tempfile.TemporaryDirectory() as folder:
        path = book.write(Path(folder) / "klanten.xlsx")
        db = str(Path(folder) / "kantoor.db")
        first = import_workbook(path, db=db, as_of=as_of)
        assert first.ok, [(i.sheet, i.row, i.code) for i in first.issues if i.is_error]
        second = import_workbook(path, db=db, as_of=as_of)
        counts = second.counts()
        assert all(c["aangemaakt"] == c["bijgewerkt"] == 0 for c in counts.values())
