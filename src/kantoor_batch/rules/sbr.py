"""R9: SBR settings. A relation with a product filed through SBR gets SBR enabled, with the
start date one day before the earliest first period among those products; iDEAL as the sheet
says. A person relation without a BSN keeps SBR off (R5). Every relation gets a row, so that
reports can tell who is not set up for SBR."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from kantoor_batch.rules.plan import derived_flag, per_relation

ONE_DAY = dt.timedelta(days=1)


def plan_sbr(relations: pd.DataFrame, products: pd.DataFrame) -> pd.DataFrame:
    filed = products[products["sbr"]].assign(first_start=lambda f: pd.to_datetime(f["first_start"]))
    earliest = filed.groupby(["relation_kind", "relation_number"])["first_start"].min().dt.date
    first = per_relation(earliest, relations["kind"], relations["number"]).astype(object)
    has_bsn = relations["fiscal_number"].notna()
    enabled = first.notna() & ((relations["kind"] == "organisation") | has_bsn)
    start = first.where(enabled).map(lambda d: d - ONE_DAY if isinstance(d, dt.date) else None)
    return pd.DataFrame(
        {
            "bundle": relations["bundle"],
            # The row that states the relation (export stamps, store/stamps.py).
            "sheet": relations["sheet"],
            "row": relations["row"],
            "relation_kind": relations["kind"],
            "relation_number": relations["number"],
            "enabled": enabled.astype(bool),
            "start_date": start.astype(object).where(enabled, None),
            "ideal": relations["sbr_ideal"].astype(bool),
            # iDEAL as the sheet says; its default (Nee) is for a new relation only (R13).
            derived_flag("ideal"): relations[derived_flag("sbr_ideal")]
            .astype(object)
            .where(relations[derived_flag("sbr_ideal")].notna(), True)
            .astype(bool),
        }
    )
