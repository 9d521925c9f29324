"""The bundled samples: the clean one validates clean, the faulty one reports every planted
mistake at its sheet, row and column."""

from __future__ import annotations

from kantoor_batch.validate.workbook import validate_workbook
from tests.builders import where
from tests.conftest import AS_OF, REPO

SAMPLES = REPO / "samples"


def test_the_sample_workbook_validates_clean() -> None:
    """27 clients of every kind the issue names, no error and no warning."""
    report = validate_workbook(SAMPLES / "onboarding-voorbeeld.xlsx", as_of=AS_OF)
    assert report.issues == []
    counts = {c["sheet"]: c["rows"] for c in report.counts()}
    assert counts["Relaties"] == 27


def test_the_sample_holds_the_cases_the_team_asked_for() -> None:
    """Eenmanszaak, VOF with two partners, BV with DGA, stichting, partners and children,
    OB per quarter, Loonheffingen per four weeks, Vpb with a July financial year."""
    report = validate_workbook(SAMPLES / "onboarding-voorbeeld.xlsx", as_of=AS_OF)
    relations = report.sheets["relations"].data
    contacts = report.sheets["contacts"].data
    products = report.sheets["products"].data
    forms = set(relations["legal_form"].dropna())
    assert {"Eenmanszaak", "VOF", "BV", "Stichting"} <= forms
    vof = relations.loc[relations["legal_form"] == "VOF", "relation_number"].iloc[0]
    owners = contacts[
        (contacts["relation_number"] == vof) & (contacts["contact_type"] == "Ondernemer")
    ]
    assert len(owners) == 2
    assert {"Fiscaal partner", "Kind"} <= set(contacts["contact_type"])
    pairs = set(zip(products["product"], products["period_type"], strict=True))
    assert ("Aangifte OB", "Kwartaal") in pairs
    assert ("Loonheffingen", "Vier weken") in pairs
    july = relations.loc[relations["financial_year_start"] == "01-07", "relation_number"]
    vpb = products[(products["product"] == "Aangifte Vpb") & products["relation_number"].isin(july)]
    assert vpb["start_period"].tolist() == ["2025/2026"]


PLANTED = [
    ("Relaties", 2, "KvK-nummer", "identifier-padded"),  # Excel dropped the leading zero
    ("Relaties", 3, "BSN/RSIN", "invalid-fiscal-number"),  # fails the 11-test
    ("Relaties", 4, "Postcode", "invalid-postcode"),  # 9751 SA; a warning, left out (R3)
    ("Relaties", 5, "Relatiegroep", "unknown-group"),
    ("Relaties", 6, "Relatienummer", "duplicate-relation-number"),
    ("Relaties", 8, "Relatienummer", "duplicate-relation-number"),
    ("Relaties", 9, "E-mail", "invalid-email"),  # a warning, left out (R3)
    ("Contacten", 17, "Geboortedatum", "ambiguous-date"),  # 17-3-78
    ("Contacten", 20, "Relatienummer", "unknown-relation"),  # contact of relation 0999
    ("Contacten", 20, "BSN", "person-without-bsn"),
    ("Producten", 25, "Tijdvak", "period-type-not-allowed"),  # Aangifte IB per quarter
]


def test_every_planted_mistake_is_reported_where_it_is() -> None:
    """Exactly the planted mistakes, at their sheet, Excel row and column."""
    report = validate_workbook(SAMPLES / "onboarding-met-fouten.xlsx", as_of=AS_OF)
    assert where(report.issues) == PLANTED
    assert not report.ok
