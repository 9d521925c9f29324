"""The domain rules R1-R11, one small module per family, applied in this order by build_plan.
R12 (whole bundles) is bundles.py; R13 (idempotence) is the store's diff."""

from __future__ import annotations

import pandas as pd

from kantoor_batch.rules.contacts import plan_contacts
from kantoor_batch.rules.person_relations import (
    derive_person_relations,
    household_links,
    own_contact_links,
)
from kantoor_batch.rules.plan import Plan, RuleInput
from kantoor_batch.rules.products import (
    income_tax_products,
    move_income_tax_to_owners,
    resolve_start_periods,
    sheet_products,
)
from kantoor_batch.rules.relations import sheet_employees, sheet_groups, sheet_relations
from kantoor_batch.rules.roles import inherited_roles, sheet_roles
from kantoor_batch.rules.sbr import plan_sbr
from kantoor_batch.rules.workflows import onboarding_workflows, plan_workflows


def build_plan(inp: RuleInput) -> Plan:
    relations = sheet_relations(inp)  # R1, R2
    contacts = plan_contacts(inp, relations)  # R4
    derived = derive_person_relations(contacts, relations)  # R5
    links = pd.concat(
        [contacts, own_contact_links(derived), household_links(contacts, derived)],
        ignore_index=True,
    )  # R4, R5, R6
    all_relations = pd.concat([relations, derived], ignore_index=True)
    products = sheet_products(inp.sheets["products"].data, relations, inp.catalogues)
    products = move_income_tax_to_owners(products, all_relations, contacts)
    products = pd.concat(
        [products, income_tax_products(all_relations, products, inp.catalogues)],
        ignore_index=True,
    )  # R7
    products = resolve_start_periods(products, all_relations, inp.as_of)
    workflows, planner_rules = plan_workflows(products, inp.as_of)  # R8
    workflows = pd.concat([workflows, onboarding_workflows(relations)], ignore_index=True)
    roles = sheet_roles(inp.sheets["roles"].data, relations)
    roles = pd.concat([roles, inherited_roles(roles, derived)], ignore_index=True)  # R10
    return Plan(
        groups=sheet_groups(inp),
        employees=sheet_employees(inp),
        relations=all_relations,
        contacts=links,
        products=products,
        workflows=workflows,
        planner_rules=planner_rules,
        roles=roles,
        sbr=plan_sbr(all_relations, products),  # R9
    )
