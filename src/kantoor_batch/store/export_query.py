"""Reading the store back out for an export: the ids of the selected relations first, then per
chunk of a few thousand of them one query per table (frames, never a query per row)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kantoor_batch.catalogues import INCOME_TAX_PRODUCT
from kantoor_batch.store import schema as s
from kantoor_batch.store.load import frame, where_in


@dataclass
class StoredClients:
    """The exported relations (not derived from a contact) and what belongs to them."""

    relations: pd.DataFrame  # relations columns + group, integration names
    links: pd.DataFrame  # relation_contacts of exported relations + contacts columns
    derived: pd.DataFrame  # derived person relations of linked contacts: id, contact_id, ...
    household: pd.DataFrame  # non-Zelf links on derived persons: relation_id, contact_id
    products: pd.DataFrame
    roles: pd.DataFrame  # relation_id, role, employee code
    onboarding: pd.DataFrame  # relation_id, name
    sbr: pd.DataFrame  # relation_id, enabled, start_date, ideal


def _ids(data: pd.DataFrame, column: str = "id") -> list[int]:
    return [int(v) for v in data[column].dropna().unique()] if not data.empty else []


def selected_ids(
    connection: Connection,
    *,
    groups: Sequence[str] | None = None,
    employees: Sequence[str] | None = None,
    numbers: Sequence[str] | None = None,
) -> list[int]:
    """The ids of the relations to export, in the order they were stored: every relation not
    derived from a contact, or those in one of the groups, with a role for one of the
    employees (codes) and with one of the numbers, as far as given."""
    r = s.relations
    query = sa.select(r.c.id).where(r.c.derived_from_contact_id.is_(None))
    if groups:
        keys = [g.strip().casefold() for g in groups]
        in_group = sa.select(s.relation_groups.c.id).where(s.relation_groups.c.name_key.in_(keys))
        query = query.where(r.c.group_id.in_(in_group))
    if employees:
        keys = [e.strip().casefold() for e in employees]
        with_role = (
            sa.select(s.role_assignments.c.relation_id)
            .join(s.employees, s.employees.c.id == s.role_assignments.c.employee_id)
            .where(s.employees.c.code_key.in_(keys))
        )
        query = query.where(r.c.id.in_(with_role))
    if numbers:
        found = where_in(connection, query, r.c.number, [n.strip() for n in numbers])
    else:
        found = frame(connection, query)
    return sorted(int(i) for i in found["id"]) if not found.empty else []


def read_clients(connection: Connection, ids: Sequence[int]) -> StoredClients:
    """The relations with these ids (a chunk of a few thousand) and what belongs to them."""
    r = s.relations
    query = (
        sa.select(
            r,
            s.relation_groups.c.name.label("group"),
            s.integrations.c.name.label("integration"),
        )
        .outerjoin(s.relation_groups, s.relation_groups.c.id == r.c.group_id)
        .outerjoin(s.integrations, s.integrations.c.id == r.c.integration_id)
    )
    relations = where_in(connection, query, r.c.id, ids).sort_values("id", kind="stable")

    c, rc = s.contacts, s.relation_contacts
    links_query = sa.select(
        rc.c.id.label("link_id"),
        rc.c.relation_id,
        rc.c.contact_type,
        rc.c.is_primary,
        c,
    ).join(c, c.c.id == rc.c.contact_id)
    links = where_in(connection, links_query, rc.c.relation_id, ids)
    links = links.sort_values(["relation_id", "link_id"], kind="stable")
    derived_query = sa.select(
        r.c.id,
        r.c.derived_from_contact_id.label("contact_id"),
        r.c.derived_from_contact_id,
        r.c.source_relation_id,
        r.c.name,
        r.c.email,
        r.c.phone,
        r.c.fiscal_number,
        r.c.group_id,
    )
    derived = where_in(connection, derived_query, r.c.derived_from_contact_id, _ids(links))
    derived_ids = _ids(derived)
    household_query = (
        sa.select(rc.c.relation_id, rc.c.contact_id, rc.c.contact_type)
        .join(r, r.c.id == rc.c.relation_id)
        .where(rc.c.contact_id != r.c.derived_from_contact_id)
    )
    household = where_in(connection, household_query, rc.c.relation_id, derived_ids)
    income_tax = where_in(
        connection,
        sa.select(s.products.c.relation_id).where(s.products.c.product == INCOME_TAX_PRODUCT),
        s.products.c.relation_id,
        derived_ids,
    )
    with_ib = set(income_tax["relation_id"]) if not income_tax.empty else set()
    derived["has_income_tax"] = (
        derived["id"].isin(with_ib) if not derived.empty else pd.Series(dtype=bool)
    )
    products = where_in(connection, sa.select(s.products), s.products.c.relation_id, ids)
    roles = where_in(
        connection,
        sa.select(
            s.role_assignments.c.id,
            s.role_assignments.c.relation_id,
            s.role_assignments.c.role,
            s.role_assignments.c.employee_id,
            s.employees.c.code.label("employee"),
        ).join(s.employees, s.employees.c.id == s.role_assignments.c.employee_id),
        s.role_assignments.c.relation_id,
        ids,
    )
    w = s.workflows
    onboarding = where_in(
        connection,
        sa.select(w.c.id, w.c.relation_id, w.c.name).where(w.c.product.is_(None)),
        w.c.relation_id,
        ids,
    )
    sbr = where_in(
        connection,
        sa.select(
            s.sbr_settings.c.relation_id,
            s.sbr_settings.c.enabled,
            s.sbr_settings.c.start_date,
            s.sbr_settings.c.ideal,
        ),
        s.sbr_settings.c.relation_id,
        ids,
    )
    return StoredClients(
        relations=relations.reset_index(drop=True),
        links=links.reset_index(drop=True),
        derived=derived,
        household=household,
        products=_by_id(products),
        roles=_by_id(roles),
        onboarding=_by_id(onboarding),
        sbr=sbr,
    )


def _by_id(data: pd.DataFrame) -> pd.DataFrame:
    return data.sort_values("id", kind="stable").reset_index(drop=True) if not data.empty else data


def groups_and_employees(
    connection: Connection, group_ids: set[int] | None, codes: set[str] | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every group and employee (None), or those with these ids and codes."""
    group_query = sa.select(s.relation_groups).order_by(s.relation_groups.c.id)
    employee_query = sa.select(s.employees).order_by(s.employees.c.id)
    if group_ids is None:
        groups = frame(connection, group_query)
    else:
        groups = _by_id(where_in(connection, group_query, s.relation_groups.c.id, group_ids))
    if codes is None:
        employees = frame(connection, employee_query)
    else:
        employees = _by_id(where_in(connection, employee_query, s.employees.c.code, codes))
    return groups, employees
