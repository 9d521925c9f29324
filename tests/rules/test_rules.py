"""The domain rules R1-R11 on the plan an import would store (no database needed)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from kantoor_batch.catalogues import Catalogues
from kantoor_batch.rules import build_plan
from kantoor_batch.rules.plan import Existing, Plan, RuleInput
from kantoor_batch.validate.workbook import validate_workbook
from tests.builders import OTHER_VALID_BSN, VALID_BSN, VALID_RSIN, Book, valid_book
from tests.conftest import AS_OF

THIRD_BSN = "100000009"


def plan_of(
    tmp_path: Path, book: Book, as_of: dt.date = AS_OF, existing: Existing | None = None
) -> Plan:
    report = validate_workbook(book.write(tmp_path / "in.xlsx"), as_of=as_of)
    assert report.ok, [i.code for i in report.issues if i.is_error]
    return build_plan(RuleInput(report.sheets, Catalogues(), as_of, existing or Existing()))


def family() -> Book:
    """BV 0101 with its owner, fiscal partner and a child."""
    book = valid_book().add(
        "Contacten",
        Relatienummer="0101",
        Soort_contact="Fiscaal partner",
        Voornaam="Els",
        Achternaam="Bakker",
        BSN=OTHER_VALID_BSN,
    )
    return book.add(
        "Contacten",
        Relatienummer="0101",
        Soort_contact="Kind",
        Voornaam="Tim",
        Achternaam="Bakker",
        Relatie_aanmaken="Ja",
        Aangifte_IB="Nee",
    )


def rows(frame: pd.DataFrame, columns: list[str]) -> list[tuple[object, ...]]:
    return [tuple(r) for r in frame[columns].itertuples(index=False)]


def test_the_primary_contact_carries_the_relation_number(tmp_path: Path) -> None:
    """R4: the first Ondernemer is primary and gets 0101; others get the next free number."""
    plan = plan_of(tmp_path, family())
    own = plan.contacts[plan.contacts["relation_number"] == "0101"]
    assert rows(
        own[own["relation_kind"] == "organisation"], ["number", "contact_type", "is_primary"]
    ) == [
        ("0101", "Ondernemer", True),
        ("0101-1", "Fiscaal partner", False),
        ("0101-2", "Kind", False),
    ]


def test_a_contactpersoon_is_primary_when_there_is_no_ondernemer(tmp_path: Path) -> None:
    """R4: else the first Contactpersoon."""
    book = valid_book().set("Contacten", 0, "Soort contact", "Contactpersoon")
    plan = plan_of(tmp_path, book.set("Relaties", 0, "Rechtsvorm", "Stichting"))
    assert plan.contacts.iloc[0][["number", "is_primary"]].tolist() == ["0101", True]


def test_new_numbers_skip_every_number_in_use(tmp_path: Path) -> None:
    """R4: the client's number with a suffix, passing over suffixes the store has given."""
    existing = Existing(numbers_taken=lambda numbers: {"0101-1", "0101-2"} & set(numbers))
    plan = plan_of(tmp_path, family(), existing=existing)
    sheet_rows = plan.contacts[plan.contacts["relation_kind"] == "organisation"]
    assert sheet_rows["number"].tolist() == ["0101", "0101-3", "0101-4"]


def test_numbers_from_a_range_start_after_the_highest_one_in_it(tmp_path: Path) -> None:
    """R4, scheme "range": numbers the firm keeps apart, continuing where the store is."""
    report = validate_workbook(family().write(tmp_path / "in.xlsx"), as_of=AS_OF)
    catalogues = Catalogues.model_validate(
        {"numbering": {"scheme": "range", "range_start": 900000}}
    )
    existing = Existing(highest_in_range=900041, numbers_taken=lambda n: {"900042"} & set(n))
    plan = build_plan(RuleInput(report.sheets, catalogues, AS_OF, existing))
    sheet_rows = plan.contacts[plan.contacts["relation_kind"] == "organisation"]
    assert sheet_rows["number"].tolist() == ["0101", "900043", "900044"]


def test_a_contact_without_email_or_phone_takes_the_relations(tmp_path: Path) -> None:
    """R4: e-mail and phone of the relation are copied to a contact that has none."""
    book = valid_book().set("Relaties", 0, "E-mail", "info@korenaar.nl")
    book = book.set("Relaties", 0, "Telefoon", "050-3110000")
    contact = plan_of(tmp_path, book).contacts.iloc[0]
    assert (contact["email"], contact["phone"]) == ("info@korenaar.nl", "+31 50 311 0000")


def test_a_reimported_contact_keeps_its_number(tmp_path: Path) -> None:
    """R4 with R13: an unnumbered partner matched on BSN keeps the number it got before."""
    earlier = pd.DataFrame(
        {
            "relation_kind": ["organisation"],
            "relation_number": ["0101"],
            "number": ["0777"],
            "contact_type": ["Fiscaal partner"],
            "initials": [None],
            "first_name": ["Els"],
            "infix": [None],
            "last_name": ["Bakker"],
            "birth_date": [None],
            "bsn": [OTHER_VALID_BSN],
            "email": [None],
            "phone": [None],
        }
    )
    plan = plan_of(tmp_path, family(), existing=Existing(linked_contacts=earlier))
    sheet_rows = plan.contacts[plan.contacts["relation_kind"] == "organisation"]
    partner = sheet_rows[sheet_rows["contact_type"] == "Fiscaal partner"]
    assert partner["number"].tolist() == ["0777"]


def test_person_relations_are_derived_for_owner_and_partner_not_by_default_for_a_child(
    tmp_path: Path,
) -> None:
    """R5: Relatie aanmaken defaults to Ja for Ondernemer and Fiscaal partner, Nee otherwise."""
    plan = plan_of(tmp_path, family().set("Contacten", 2, "Relatie aanmaken", None))
    persons = plan.relations[plan.relations["kind"] == "person"]
    assert rows(persons, ["number", "name", "derived_from_contact", "source_number"]) == [
        ("0101", "Bakker", "0101", "0101"),
        ("0101-1", "Els Bakker", "0101-1", "0101"),
    ]


def test_an_rsin_never_becomes_a_persons_bsn(tmp_path: Path) -> None:
    """R5: a BV's RSIN is not copied to its owner, who has no BSN of his own here."""
    plan = plan_of(tmp_path, valid_book().set("Contacten", 0, "BSN", None))
    person = plan.relations[plan.relations["kind"] == "person"].iloc[0]
    assert person["fiscal_number"] is None or pd.isna(person["fiscal_number"])
    assert (
        VALID_RSIN
        not in plan.relations.loc[plan.relations["kind"] == "person", "fiscal_number"].tolist()
    )


def test_a_sole_traders_bsn_is_copied_to_its_owner(tmp_path: Path) -> None:
    """R5: an eenmanszaak's BSN/RSIN is the owner's BSN."""
    book = valid_book().set("Relaties", 0, "Rechtsvorm", "Eenmanszaak")
    book = book.set("Relaties", 0, "BSN/RSIN", THIRD_BSN).set("Contacten", 0, "BSN", None)
    plan = plan_of(tmp_path, book)
    person = plan.relations[plan.relations["kind"] == "person"].iloc[0]
    assert person["fiscal_number"] == THIRD_BSN


def test_the_owner_is_linked_to_the_partners_and_childs_person_relations(tmp_path: Path) -> None:
    """R6: household links from the partner's and child's person relation to the Ondernemer."""
    plan = plan_of(tmp_path, family())
    links = plan.contacts[
        (plan.contacts["relation_kind"] == "person") & ~plan.contacts["is_primary"]
    ]
    assert rows(links, ["relation_number", "number", "contact_type"]) == [
        ("0101-1", "0101", "Fiscaal partner"),
        ("0101-2", "0101", "Overig"),
    ]


def test_every_person_relation_gets_income_tax_unless_the_row_says_nee(tmp_path: Path) -> None:
    """R7: owner and partner get Aangifte IB; the child (Aangifte IB = Nee) does not."""
    plan = plan_of(tmp_path, family())
    ib = plan.products[plan.products["product"] == "Aangifte IB"]
    assert sorted(ib["relation_number"]) == ["0101", "0101-1"]
    assert set(ib["start_period"]) == {"2026"}


def test_workflows_for_started_periods_and_a_planner_rule_for_the_next(tmp_path: Path) -> None:
    """R8: OB per quarter from 2026-K1 at 29-11-2026: four workflows, rule from 2027-K1."""
    plan = plan_of(tmp_path, valid_book())
    ob = plan.workflows[(plan.workflows["product"] == "Aangifte OB")]
    assert ob["period"].tolist() == ["2026-K1", "2026-K2", "2026-K3", "2026-K4"]
    assert ob["name"].iloc[0] == "Aangifte OB 2026-K1"
    rule = plan.planner_rules[plan.planner_rules["product"] == "Aangifte OB"]
    assert rule["first_period"].tolist() == ["2027-K1"]


def test_on_a_periods_first_day_that_period_has_started(tmp_path: Path) -> None:
    """R8: as of 1 October 2026 the fourth quarter is running and gets its workflow."""
    plan = plan_of(tmp_path, valid_book(), as_of=dt.date(2026, 10, 1))
    ob = plan.workflows[(plan.workflows["product"] == "Aangifte OB")]
    assert ob["period"].tolist()[-1] == "2026-K4"
    assert plan.planner_rules.loc[
        plan.planner_rules["product"] == "Aangifte OB", "first_period"
    ].tolist() == ["2027-K1"]


def test_a_start_in_the_future_makes_no_workflow_yet(tmp_path: Path) -> None:
    """R8: Vanaf 2027-K1: no workflow now, the planner rule starts at 2027-K1."""
    plan = plan_of(tmp_path, valid_book().set("Producten", 0, "Vanaf", "2027-K1"))
    assert plan.workflows[plan.workflows["product"] == "Aangifte OB"].empty
    assert plan.planner_rules["first_period"].iloc[0] == "2027-K1"


def test_four_weekly_payroll_runs_through_period_13(tmp_path: Path) -> None:
    """R8: Loonheffingen per four weeks from P01 at 29-11-2026: P01..P12 started."""
    book = valid_book().add(
        "Producten",
        Relatienummer="0101",
        Product="Loonheffingen",
        Tijdvak="Vier weken",
        Vanaf="2026-P01",
    )
    plan = plan_of(tmp_path, book)
    lh = plan.workflows[plan.workflows["product"] == "Loonheffingen"]
    assert lh["period"].tolist()[-1] == "2026-P12"
    assert plan.planner_rules.loc[
        plan.planner_rules["product"] == "Loonheffingen", "first_period"
    ].tolist() == ["2026-P13"]


def test_the_onboarding_workflow_is_started_once(tmp_path: Path) -> None:
    """R8: a named onboarding workflow has no product and no period."""
    book = valid_book().set("Relaties", 0, "Onboardingworkflow", "Onboarding nieuwe relatie")
    plan = plan_of(tmp_path, book)
    onboarding = plan.workflows[plan.workflows["product"].isna()]
    assert onboarding["name"].tolist() == ["Onboarding nieuwe relatie"]


def test_sbr_starts_one_day_before_the_earliest_first_period(tmp_path: Path) -> None:
    """R9, domain.md's example: OB from 2026-K1 and Vpb from 2025/2026 (1 July): 30-06-2025."""
    book = valid_book().set("Relaties", 0, "Boekjaar begint", "01-07")
    book = book.add("Producten", Relatienummer="0101", Product="Aangifte Vpb", Vanaf="2025/2026")
    book = book.set("Relaties", 0, "SBR iDEAL", "Ja")
    sbr = plan_of(tmp_path, book).sbr
    org = sbr[sbr["relation_kind"] == "organisation"].iloc[0]
    assert (org["enabled"], org["start_date"], org["ideal"]) == (True, dt.date(2025, 6, 30), True)


def test_a_person_without_bsn_keeps_sbr_off(tmp_path: Path) -> None:
    """R9 with R5: the owner's person relation has IB but no BSN, so SBR stays off."""
    sbr = plan_of(tmp_path, valid_book().set("Contacten", 0, "BSN", None)).sbr
    person = sbr[sbr["relation_kind"] == "person"].iloc[0]
    assert (person["enabled"], person["start_date"]) == (False, None)


def test_a_product_with_sbr_nee_does_not_switch_sbr_on(tmp_path: Path) -> None:
    """R9: only products filed through SBR count."""
    sbr = plan_of(tmp_path, valid_book().set("Producten", 0, "SBR", "Nee")).sbr
    assert not sbr[sbr["relation_kind"] == "organisation"]["enabled"].iloc[0]


def test_a_derived_person_takes_over_the_organisations_roles(tmp_path: Path) -> None:
    """R10: the owner's person relation gets the BV's Fiscaal role, marked inherited."""
    plan = plan_of(tmp_path, valid_book())
    assert rows(
        plan.roles, ["relation_kind", "relation_number", "role", "employee", "inherited"]
    ) == [
        ("organisation", "0101", "Fiscaal", "JDV", False),
        ("person", "0101", "Fiscaal", "JDV", True),
    ]


def test_integration_and_group_are_carried_to_the_store(tmp_path: Path) -> None:
    """R1, R11: the relation names its group and integration; groups come from the sheet."""
    plan = plan_of(tmp_path, valid_book().set("Relaties", 0, "Integratie", "Nmbrs"))
    org = plan.relations[plan.relations["kind"] == "organisation"].iloc[0]
    assert (org["group"], org["integration"]) == ("MKB Noord", "Nmbrs")
    assert plan.groups["name"].tolist() == ["MKB Noord"]


@pytest.mark.parametrize(
    "bundle_key",
    ["relations", "contacts", "products", "workflows", "planner_rules", "roles", "sbr"],
)
def test_every_planned_row_knows_its_client_bundle(tmp_path: Path, bundle_key: str) -> None:
    """R12: every frame is tagged with the relation number of its Relaties row."""
    plan = plan_of(tmp_path, family())
    assert set(getattr(plan, bundle_key)["bundle"]) == {"0101"}
    assert VALID_BSN  # the owner's BSN is part of this family


def test_a_child_with_only_the_family_name_is_not_taken_for_its_parent(tmp_path: Path) -> None:
    """R4 with R13: matching on name alone also needs the same kind of contact."""
    earlier = pd.DataFrame(
        {
            "relation_kind": ["organisation"],
            "relation_number": ["0101"],
            "number": ["0101"],
            "contact_type": ["Ondernemer"],
            "is_primary": [True],
            **{f: [None] for f in ("initials", "first_name", "infix", "birth_date", "bsn")},
            "last_name": ["Bakker"],
            "email": [None],
            "phone": [None],
        }
    )
    book = valid_book().add(
        "Contacten", Relatienummer="0101", Soort_contact="Kind", Achternaam="Bakker"
    )
    plan = plan_of(tmp_path, book, existing=Existing(linked_contacts=earlier))
    child = plan.contacts[plan.contacts["contact_type"] == "Kind"]
    assert child["number"].tolist() == ["0101-1"]


def vof_with_two_couples() -> Book:
    """A VOF of De Wit and Smit, each with a fiscal partner."""
    book = valid_book().set("Relaties", 0, "Rechtsvorm", "VOF")
    book = book.set("Contacten", 0, "Achternaam", "De Wit")
    book = book.add(
        "Contacten",
        Relatienummer="0101",
        Soort_contact="Ondernemer",
        Achternaam="Smit",
        BSN=OTHER_VALID_BSN,
    )
    for name, bsn in (("Wit-Jansen", THIRD_BSN), ("Smit-Peters", None)):
        book = book.add(
            "Contacten",
            Relatienummer="0101",
            Soort_contact="Fiscaal partner",
            Achternaam=name,
            BSN=bsn,
        )
    return book


def test_with_two_ondernemers_a_partner_is_linked_to_nobody_without_hoort_bij(
    tmp_path: Path,
) -> None:
    """R6: the sheet does not say whose partner she is, so no household link is guessed."""
    plan = plan_of(tmp_path, vof_with_two_couples())
    household = plan.contacts[
        (plan.contacts["relation_kind"] == "person")
        & (plan.contacts["contact_type"] == "Fiscaal partner")
    ]
    assert household.empty


def test_a_person_relation_is_linked_to_its_own_contact_as_itself(tmp_path: Path) -> None:
    """R6: the partner's person relation has her contact as 'Zelf', not as 'Fiscaal partner'."""
    plan = plan_of(tmp_path, family())
    own = plan.contacts[
        (plan.contacts["relation_kind"] == "person")
        & (plan.contacts["relation_number"] == plan.contacts["number"])
    ]
    assert set(own["contact_type"]) == {"Zelf"}
    assert own["is_primary"].all()


def test_income_tax_on_an_ib_enterprise_moves_to_its_owners(tmp_path: Path) -> None:
    """R7: Aangifte IB named on a VOF lands on both partners' person relations, Vanaf kept."""
    book = vof_with_two_couples().add(
        "Producten", Relatienummer="0101", Product="Aangifte IB", Vanaf="2024"
    )
    plan = plan_of(tmp_path, book)
    ib = plan.products[plan.products["product"] == "Aangifte IB"]
    assert "organisation" not in set(ib["relation_kind"])
    owners = ib[ib["relation_number"].isin(["0101", "0101-1"])]
    assert sorted(zip(owners["relation_number"], owners["start_period"], strict=True)) == [
        ("0101", "2024"),
        ("0101-1", "2024"),
    ]


def test_with_hoort_bij_each_partner_is_linked_to_their_own_ondernemer(tmp_path: Path) -> None:
    """R6: a VOF of two couples: each fiscal partner to the Ondernemer 'Hoort bij' names."""
    book = vof_with_two_couples().set("Contacten", 0, "Contactnummer", "0101")
    book = book.set("Contacten", 1, "Contactnummer", "0101-7")
    book = book.set("Contacten", 2, "Hoort bij", "0101").set("Contacten", 3, "Hoort bij", "0101-7")
    plan = plan_of(tmp_path, book)
    links = plan.contacts[
        (plan.contacts["relation_kind"] == "person")
        & (plan.contacts["contact_type"] == "Fiscaal partner")
    ]
    partners = plan.contacts[
        (plan.contacts["relation_kind"] == "organisation")
        & (plan.contacts["contact_type"] == "Fiscaal partner")
    ].set_index("last_name")["number"]
    assert sorted(zip(links["relation_number"], links["number"], strict=True)) == sorted(
        [(partners["Wit-Jansen"], "0101"), (partners["Smit-Peters"], "0101-7")]
    )
