"""Reading the store back out for an export, one query per table (whole-column frames, never
a query per row), optionally restricted to a selection of relations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

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
    sbr: pd.DataFrame  # relation_id, ideal
    groups: pd.DataFrame
    employees: pd.DataFrame


def _ids(data: pd.DataFrame, column: str = "id") -> list[int]:
    return [int(v) for v in data[column].dropna().unique()] if not data.empty else []


def _restricted(
    connection: Connection,
    query: sa.Select[tuple[object, ...]],
    column: sa.ColumnElement[object],
    ids: Sequence[int] | None,
) -> pd.DataFrame:
    return frame(connection, query) if ids is None else where_in(connection, query, column, ids)


def read_clients(
    connection: Connection,
    *,
    groups: Sequence[str] | None = None,
    employees: Sequence[str] | None = None,
    numbers: Sequence[str] | None = None,
) -> StoredClients:
    r = s.relations
    query = (
        sa.select(
            r,
            s.relation_groups.c.name.label("group"),
            s.integrations.c.name.label("integration"),
        )
        .outerjoin(s.relation_groups, s.relation_groups.c.id == r.c.group_id)
        .outerjoin(s.integrations, s.integrations.c.id == r.c.integration_id)
        .where(r.c.derived_from_contact_id.is_(None))
        .order_by(r.c.id)
    )
    selected = bool(groups or employees or numbers)
    if groups:
        keys = [g.strip().casefold() for g in groups]
        query = query.where(s.relation_groups.c.name_key.in_(keys))
    if employees:
        keys = [e.strip().casefold() for e in employees]
        with_role = (
            sa.select(s.role_assignments.c.relation_id)
            .join(s.employees, s.employees.c.id == s.role_assignments.c.employee_id)
            .where(s.employees.c.code_key.in_(keys))
        )
        query = query.where(r.c.id.in_(with_role))
    if numbers:
        relations = where_in(connection, query, r.c.number, [n.strip() for n in numbers])
        relations = relations.sort_values("id", kind="stable")
    else:
        relations = frame(connection, query)
    ids: list[int] | None = _ids(relations) if selected else None

    c, rc = s.contacts, s.relation_contacts
    links_query = (
        sa.select(
            rc.c.id.label("link_id"),
            rc.c.relation_id,
            rc.c.contact_type,
            rc.c.is_primary,
            c,
        )
        .join(c, c.c.id == rc.c.contact_id)
        .join(r, r.c.id == rc.c.relation_id)
        .where(r.c.derived_from_contact_id.is_(None))
        .order_by(rc.c.relation_id, rc.c.id)
    )
    links = _restricted(connection, links_query, rc.c.relation_id, ids)
    if ids is not None:
        links = links.sort_values(["relation_id", "link_id"], kind="stable")
    contact_ids = _ids(links)
    derived_query = sa.select(
        r.c.id,
        r.c.derived_from_contact_id.label("contact_id"),
        r.c.source_relation_id,
        r.c.email,
        r.c.phone,
        r.c.fiscal_number,
    ).where(r.c.derived_from_contact_id.is_not(None))
    derived = _restricted(
        connection,
        derived_query,
        r.c.derived_from_contact_id,
        contact_ids if ids is not None else None,
    )
    derived_ids = _ids(derived)
    household_query = (
        sa.select(rc.c.relation_id, rc.c.contact_id, rc.c.contact_type)
        .join(r, r.c.id == rc.c.relation_id)
        .where(
            r.c.derived_from_contact_id.is_not(None), rc.c.contact_id != r.c.derived_from_contact_id
        )
    )
    household = _restricted(
        connection, household_query, rc.c.relation_id, derived_ids if ids is not None else None
    )
    derived_products = _restricted(
        connection,
        sa.select(s.products.c.relation_id, s.products.c.product)
        .join(r, r.c.id == s.products.c.relation_id)
        .where(r.c.derived_from_contact_id.is_not(None)),
        s.products.c.relation_id,
        derived_ids if ids is not None else None,
    )
    if not derived.empty:
        with_ib = set(
            derived_products.loc[derived_products["product"] == "Aangifte IB", "relation_id"]
        )
        derived["has_income_tax"] = derived["id"].isin(with_ib)
    else:
        derived["has_income_tax"] = pd.Series(dtype=bool)

    products = _restricted(
        connection, sa.select(s.products).order_by(s.products.c.id), s.products.c.relation_id, ids
    )
    roles = _restricted(
        connection,
        sa.select(
            s.role_assignments.c.id,
            s.role_assignments.c.relation_id,
            s.role_assignments.c.role,
            s.employees.c.code.label("employee"),
        )
        .join(s.employees, s.employees.c.id == s.role_assignments.c.employee_id)
        .order_by(s.role_assignments.c.id),
        s.role_assignments.c.relation_id,
        ids,
    )
    w = s.workflows
    onboarding = _restricted(
        connection,
        sa.select(w.c.id, w.c.relation_id, w.c.name).where(w.c.product.is_(None)).order_by(w.c.id),
        w.c.relation_id,
        ids,
    )
    sbr = _restricted(
        connection,
        sa.select(s.sbr_settings.c.relation_id, s.sbr_settings.c.ideal),
        s.sbr_settings.c.relation_id,
        ids,
    )
    group_query = sa.select(s.relation_groups).order_by(s.relation_groups.c.id)
    employee_query = sa.select(s.employees).order_by(s.employees.c.id)
    if ids is None:
        group_rows, employee_rows = (
            frame(connection, group_query),
            frame(connection, employee_query),
        )
    else:
        group_rows = where_in(
            connection, group_query, s.relation_groups.c.id, _ids(relations, "group_id")
        ).sort_values("id", kind="stable")
        used = set(roles["employee"]) if not roles.empty else set()
        employee_rows = where_in(connection, employee_query, s.employees.c.code, used)
        employee_rows = employee_rows.sort_values("id", kind="stable")
    return StoredClients(
        relations=relations.reset_index(drop=True),
        links=links.reset_index(drop=True),
        derived=derived,
        household=household,
        products=products.sort_values("id", kind="stable") if not products.empty else products,
        roles=roles.sort_values("id", kind="stable") if not roles.empty else roles,
        onboarding=onboarding,
        sbr=sbr,
        groups=group_rows.reset_index(drop=True),
        employees=employee_rows.reset_index(drop=True),
    )
