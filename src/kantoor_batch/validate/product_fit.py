"""R7: a product fits its client. Each product of the catalogue says which kinds of relation
and which legal forms it is for (Product.fit); a Producten row is checked against the Relaties
row of its number (Soort and Rechtsvorm). Aangifte IB on an IB-onderneming is no mistake: it
belongs to the owners, and the import puts it on each Ondernemer's person relation.

Rows whose product, relation, kind or legal form is reported already (unknown, invalid,
missing) are passed by: there is nothing to compare them with.
"""

from __future__ import annotations

import pandas as pd

from kantoor_batch.catalogues import (
    IB_ENTERPRISES,
    INCOME_TAX_PRODUCT,
    RELATION_KINDS,
    Catalogues,
    Fit,
    Product,
)
from kantoor_batch.clean.sheets import CleanSheet
from kantoor_batch.issues import Issue
from kantoor_batch.validate.consistency import cell_issues, row_list
from kantoor_batch.validate.references import creates_relation

ORGANISATION = "Organisatie"


def check_product_fit(
    products: CleanSheet, relations: CleanSheet, contacts: CleanSheet, catalogues: Catalogues
) -> list[Issue]:
    data = products.data
    clients = relations.data.drop_duplicates("relation_number").set_index("relation_number")
    catalogue = {product.name: product for product in catalogues.products}
    rows = data[data["product"].isin(list(catalogue)) & data["relation_number"].isin(clients.index)]
    kind = rows["relation_number"].map(clients["kind"])
    form = rows["relation_number"].map(clients["legal_form"]).astype(object)
    form = form.where(form.notna(), None)
    comparable = kind.isin(RELATION_KINDS) & (
        (kind != ORGANISATION) | form.isin(catalogues.legal_forms)
    )
    rows, kind, form = rows[comparable], kind[comparable], form[comparable]
    if rows.empty:
        return []

    keys = list(zip(rows["product"].tolist(), kind.tolist(), form.tolist(), strict=True))
    verdicts = {key: catalogue[key[0]].fit(key[1], key[2]) for key in set(keys)}
    fit = pd.Series([verdicts[key] for key in keys], index=rows.index, dtype=object)
    income_tax = (
        (rows["product"] == INCOME_TAX_PRODUCT) & (kind == ORGANISATION) & form.isin(IB_ENTERPRISES)
    )
    fit = fit.where(~income_tax, None)  # decided by its owners below

    wrong = rows.index[fit == Fit.NO]
    check = rows.index[fit == Fit.CHECK]
    described = _describe(
        rows, kind, form, catalogue, wrong.union(check).union(rows.index[income_tax])
    )
    issues = cell_issues("product-not-for-client", products, "product", wrong, described)
    issues += cell_issues("product-check-client", products, "product", check, described)
    if income_tax.any():
        issues += _income_tax_of_owners(products, rows[income_tax], contacts, described)
    return issues


def _describe(
    rows: pd.DataFrame,
    kind: pd.Series,
    form: pd.Series,
    catalogue: dict[str, Product],
    at: pd.Index,
) -> dict[int, dict[str, str]]:
    """The message parameters of the rows at: the relation, what it is, what fits."""
    return {
        int(row): {
            "relation": str(rows.at[row, "relation_number"]),
            "client": f"{kind[row]}, {form[row]}" if kind[row] == ORGANISATION else kind[row],
            "fits": catalogue[str(rows.at[row, "product"])].clients(),
            "legal_form": str(form[row]),
        }
        for row in at
    }


def _income_tax_of_owners(
    products: CleanSheet,
    rows: pd.DataFrame,
    contacts: CleanSheet,
    described: dict[int, dict[str, str]],
) -> list[Issue]:
    """Aangifte IB on an IB-onderneming goes to the person relations of its Ondernemers (R7):
    a warning naming their rows, or an error when it has none to go to."""
    people = contacts.data
    owners = people[(people["contact_type"] == "Ondernemer") & creates_relation(people)]
    owner_rows = {
        number: _rows_named(contacts.title, owners.index[positions])
        for number, positions in owners.groupby("relation_number").indices.items()
    }
    has_owner = rows["relation_number"].isin(list(owner_rows))
    moved, orphaned = rows.index[has_owner], rows.index[~has_owner]
    moved_params = {
        int(row): {**described[int(row)], "where": owner_rows[rows.at[row, "relation_number"]]}
        for row in moved
    }
    issues = cell_issues("income-tax-moved-to-owners", products, "product", moved, moved_params)
    issues += cell_issues("income-tax-without-owner", products, "product", orphaned, described)
    return issues


def _rows_named(title: str, rows: pd.Index) -> str:
    """'Contacten rij 2, Contacten rij 3': each row with its sheet, the way an error workbook
    renumbers rows it names (the first few, and a count of the rest)."""
    listed = row_list(rows)
    shown, _, rest = listed.partition(" en nog ")
    named = ", ".join(f"{title} rij {row}" for row in shown.split(", "))
    return f"{named} en nog {rest}" if rest else named
