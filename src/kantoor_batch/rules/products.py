"""Products of the Producten sheet, and R7: Aangifte IB for every person relation unless the
contact row says Aangifte IB = Nee. An empty Vanaf is the running period at the as-of date."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from kantoor_batch.catalogues import IB_ENTERPRISES, INCOME_TAX_PRODUCT, Catalogues, PeriodType
from kantoor_batch.periods import DayMonth, parse_period, period_containing
from kantoor_batch.rules.plan import derived_flag, per_relation


def day_month(text: str) -> DayMonth:
    day, month = text.split("-")
    return int(day), int(month)


def sheet_products(
    data: pd.DataFrame, relations: pd.DataFrame, catalogues: Catalogues
) -> pd.DataFrame:
    owners = relations[relations["sheet"] == "relations"].drop_duplicates("number")
    owners = owners.set_index("number")
    known = data["product"].isin([p.name for p in catalogues.products])
    data = data[data["relation_number"].isin(owners.index) & known]
    defaults = data["product"].map({p.name: p.default.value for p in catalogues.products})
    sbr_defaults = data["product"].map({p.name: p.sbr for p in catalogues.products})
    return pd.DataFrame(
        {
            "bundle": data["relation_number"],
            "relation_kind": data["relation_number"].map(owners["kind"]),
            "relation_number": data["relation_number"],
            "product": data["product"],
            "period_type": data["period_type"].where(data["period_type"].notna(), defaults),
            "start_period": data["start_period"],
            "sbr": data["sbr"].where(data["sbr"].notna(), sbr_defaults).astype(bool),
            "row": data.index,
            # R13: a default (Tijdvak, SBR) or the running period for an empty Vanaf is for a
            # new product only; a stored product keeps what it has.
            derived_flag("period_type"): data["period_type"].isna(),
            derived_flag("start_period"): data["start_period"].isna(),
            derived_flag("sbr"): data["sbr"].isna(),
            "derived": False,
        }
    ).reset_index(drop=True)


def move_income_tax_to_owners(
    products: pd.DataFrame, relations: pd.DataFrame, contacts: pd.DataFrame
) -> pd.DataFrame:
    """R7: Aangifte IB named on an IB-onderneming (eenmanszaak, VOF, maatschap, CV) belongs to
    its owners, who file income tax: it moves to the person relation of each Ondernemer, with
    its Tijdvak, Vanaf and SBR (validation says so with a warning)."""
    sheet_rows = relations[relations["sheet"] == "relations"].drop_duplicates("number")
    forms: pd.Series = sheet_rows.set_index("number")["legal_form"]
    on_enterprise = (
        (products["product"] == INCOME_TAX_PRODUCT)
        & (products["relation_kind"] == "organisation")
        & products["relation_number"].map(forms).isin(IB_ENTERPRISES)
    )
    if not on_enterprise.any():
        return products
    persons = relations.loc[relations["kind"] == "person", "number"]
    owners = contacts[
        (contacts["contact_type"] == "Ondernemer") & contacts["number"].isin(persons)
    ][["relation_number", "number"]].drop_duplicates()
    moved = (
        products[on_enterprise]
        .merge(owners.rename(columns={"number": "owner"}), on="relation_number")
        .assign(relation_kind="person")
    )
    moved["relation_number"] = moved.pop("owner")
    kept: pd.DataFrame = pd.concat([products[~on_enterprise], moved], ignore_index=True)
    return kept


def income_tax_products(
    relations: pd.DataFrame, planned: pd.DataFrame, catalogues: Catalogues
) -> pd.DataFrame:
    """R7: Aangifte IB for each person relation that does not have it yet."""
    persons = relations[relations["kind"] == "person"]
    if "income_tax_return" in persons.columns:
        persons = persons[persons["income_tax_return"].fillna(True).astype(bool)]
    has_it = planned.loc[planned["product"] == INCOME_TAX_PRODUCT, "relation_number"]
    persons = persons[~persons["number"].isin(has_it)]
    product = catalogues.product(INCOME_TAX_PRODUCT)
    stated = (
        persons["income_tax_stated"].fillna(False).astype(bool)
        if "income_tax_stated" in persons.columns
        else False
    )
    return pd.DataFrame(
        {
            "bundle": persons["bundle"],
            "relation_kind": "person",
            "relation_number": persons["number"],
            "product": INCOME_TAX_PRODUCT,
            "period_type": product.default.value,
            "start_period": None,
            "sbr": product.sbr,
            "row": None,
            **{derived_flag(f): True for f in ("period_type", "start_period", "sbr")},
            # R7 derives it when the person relation is created, or when a row asks for it.
            "derived": ~pd.Series(stated, index=persons.index, dtype=bool),
        }
    )


def resolve_start_periods(
    products: pd.DataFrame, relations: pd.DataFrame, as_of: dt.date
) -> pd.DataFrame:
    """Vanaf as a canonical label, the running period where it was left empty; and the first
    period's start date, which R8 and R9 use."""
    starts = relations.drop_duplicates(["kind", "number"]).set_index(["kind", "number"])
    fy = per_relation(
        starts["financial_year_start"], products["relation_kind"], products["relation_number"]
    )
    given = products["start_period"]
    combos = pd.DataFrame(
        {
            "type": products["period_type"],
            "label": given.where(given.notna(), ""),  # "" is: the running period
            "fy": fy.where(fy.notna(), "01-01"),
        }
    )
    resolved: dict[tuple[str, str, str], tuple[str, dt.date | None]] = {}
    for period_type, label, fy_text in combos.drop_duplicates().itertuples(index=False):
        try:
            kind = PeriodType(period_type)
            if label:
                period = parse_period(label, kind, day_month(fy_text))
            else:
                period = period_containing(kind, as_of, day_month(fy_text))
            resolved[(period_type, label, fy_text)] = (period.label, period.start)
        except ValueError:  # reported by validation; its bundle is skipped (R12)
            resolved[(period_type, label, fy_text)] = (label, None)
    table = pd.DataFrame(
        [(*key, label, start) for key, (label, start) in resolved.items()],
        columns=["type", "label", "fy", "resolved_label", "first_start"],
    )
    looked_up = combos.merge(table, on=["type", "label", "fy"], how="left")
    out = products.copy()
    out["start_period"] = looked_up["resolved_label"].to_numpy()
    out["first_start"] = looked_up["first_start"].to_numpy()
    out["financial_year_start"] = combos["fy"].to_numpy()
    return out[out["first_start"].notna()]


def follow_new_period_type(planned: pd.DataFrame, stored: pd.DataFrame) -> pd.DataFrame:
    """A stored product whose Tijdvak the sheet changes, with Vanaf left empty, keeps its first
    period in the new type: the period of that type in which the old first period starts
    (Kwartaal 2026-K1 -> Maand 2026-01). Without this, the stored quarter label would stay on a
    monthly product. planned has relation_id; stored: relation_id, product, period_type,
    start_period."""
    if stored.empty or planned.empty:
        return planned
    old = stored.drop_duplicates(["relation_id", "product"]).rename(
        columns={"period_type": "old_type", "start_period": "old_start"}
    )[["relation_id", "product", "old_type", "old_start"]]
    joined = planned[["relation_id", "product", "period_type", "financial_year_start"]].merge(
        old.astype({"relation_id": float}),
        on=["relation_id", "product"],
        how="left",
    )
    joined.index = planned.index
    retyped = (
        joined["old_type"].notna()
        & (joined["old_type"] != joined["period_type"])
        & ~planned[derived_flag("period_type")].fillna(False).astype(bool)
        & planned[derived_flag("start_period")].fillna(False).astype(bool)
    )
    if not retyped.any():
        return planned
    out = planned.copy()
    for at in joined.index[retyped]:
        row = joined.loc[at]
        starts = day_month(str(row["financial_year_start"]))
        try:
            first = parse_period(str(row["old_start"]), PeriodType(row["old_type"]), starts)
            moved = period_containing(PeriodType(row["period_type"]), first.start, starts)
        except ValueError:
            continue
        out.at[at, "start_period"] = moved.label
        out.at[at, "first_start"] = moved.start
        out.at[at, derived_flag("start_period")] = False
    return out
