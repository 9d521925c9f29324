"""The closed lists a workbook is checked against, with built-in defaults from domain.md.

An office changes them in a TOML file (`--config`), for example to add a role or switch off an
integration it does not use. The template's dropdowns are built from the same object, so the
template always offers exactly what validation accepts.
"""

from __future__ import annotations

import datetime as dt
import tomllib
import unicodedata
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from kantoor_batch.errors import ConfigError

if TYPE_CHECKING:
    from kantoor_batch.periods import FourWeekCalendar


class PeriodType(StrEnum):
    """A tax period type (tijdvak); the value is the Dutch word shown in workbooks."""

    YEAR = "Jaar"
    FINANCIAL_YEAR = "Boekjaar"
    QUARTER = "Kwartaal"
    MONTH = "Maand"
    FOUR_WEEKS = "Vier weken"


RelationKind = Literal["Organisatie", "Persoon"]


class Fit(StrEnum):
    """Whether a product fits a client (R7)."""

    YES = "yes"
    CHECK = "check"  # fits some clients of this legal form only: a warning
    NO = "no"


class Product(BaseModel):
    """A service of the firm, the periods it runs in and the clients it is for."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    period_types: tuple[PeriodType, ...] = Field(min_length=1)
    # The first of period_types unless said otherwise.
    default_period_type: PeriodType | None = None
    # Filed with the tax authority through SBR (R9).
    sbr: bool = True
    # R7: the kinds of relation it is for and, for an organisation, its legal forms (empty:
    # any); a legal form in legal_forms_to_check fits with a warning (a stichting files Vpb
    # only when it runs an enterprise).
    relation_kinds: tuple[RelationKind, ...] = ("Organisatie", "Persoon")
    legal_forms: tuple[str, ...] = ()
    legal_forms_to_check: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _default_is_allowed(self) -> Self:
        if self.default_period_type is None:
            object.__setattr__(self, "default_period_type", self.period_types[0])
        elif self.default_period_type not in self.period_types:
            msg = f"default_period_type {self.default_period_type} is not in period_types"
            raise ValueError(msg)
        return self

    @property
    def default(self) -> PeriodType:
        return self.default_period_type or self.period_types[0]

    def fit(self, kind: str, legal_form: str | None) -> Fit:
        """R7: does the product fit a relation of this kind (and legal form)?"""
        if kind not in self.relation_kinds:
            return Fit.NO
        if kind != "Organisatie" or not self.legal_forms or legal_form in self.legal_forms:
            return Fit.YES
        return Fit.CHECK if legal_form in self.legal_forms_to_check else Fit.NO

    def clients(self) -> str:
        """Whom it is for, in Dutch, for messages and the Instructies sheet."""
        parts = []
        if "Persoon" in self.relation_kinds:
            parts.append("personen")
        if "Organisatie" in self.relation_kinds:
            forms = dutch_list(self.legal_forms)
            parts.append(f"organisaties met rechtsvorm {forms}" if forms else "organisaties")
        text = " en ".join(parts)
        if checked := dutch_list(self.legal_forms_to_check):
            text += f"; bij een {checked} met een waarschuwing om te controleren"
        return text


def dutch_list(items: tuple[str, ...]) -> str:
    """'BV, NV of Coöperatie'."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} of {items[-1]}"


_ORGANISATIONS: tuple[RelationKind, ...] = ("Organisatie",)
DEFAULT_PRODUCTS = (
    Product(name="Aangifte IB", period_types=(PeriodType.YEAR,), relation_kinds=("Persoon",)),
    Product(
        name="Aangifte Vpb",
        period_types=(PeriodType.FINANCIAL_YEAR,),
        relation_kinds=_ORGANISATIONS,
        legal_forms=("BV", "NV", "Coöperatie"),
        legal_forms_to_check=("Stichting", "Vereniging"),
    ),
    Product(
        name="Aangifte OB",
        period_types=(PeriodType.QUARTER, PeriodType.MONTH, PeriodType.YEAR),
        relation_kinds=_ORGANISATIONS,
    ),
    Product(
        name="Opgaaf ICP",
        period_types=(PeriodType.QUARTER, PeriodType.MONTH, PeriodType.YEAR),
        relation_kinds=_ORGANISATIONS,
    ),
    Product(
        name="Loonheffingen",
        period_types=(PeriodType.MONTH, PeriodType.FOUR_WEEKS),
        relation_kinds=_ORGANISATIONS,
    ),
    # Deposited with the KvK, not filed with the tax authority: does not switch SBR on.
    Product(
        name="Jaarrekening",
        period_types=(PeriodType.FINANCIAL_YEAR,),
        sbr=False,
        relation_kinds=_ORGANISATIONS,
    ),
)

INCOME_TAX_PRODUCT = "Aangifte IB"
# The uitstelregeling belastingconsulenten: the cumulative share (%) of a year's IB returns
# filed by the end of each month from August of the following year to April of the year after.
DEFAULT_IB_TARGETS: tuple[float, ...] = (30, 38.75, 47.5, 56.25, 65, 73.75, 82.5, 91.25, 100)

RELATION_KINDS = ("Organisatie", "Persoon")
CONTACT_TYPES = ("Ondernemer", "Contactpersoon", "Fiscaal partner", "Kind", "Overig")
# Legal forms whose owners file income tax themselves (R5).
IB_ENTERPRISES = frozenset({"Eenmanszaak", "VOF", "Maatschap", "CV"})


class Numbering(BaseModel):
    """How R4 numbers a contact the workbook gives no number (and the person relation derived
    from it). Never the firm's next client number: by default the client's own number with a
    suffix ('0101-1', '0101-2'), or else numbers from a range the firm keeps apart."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    scheme: Literal["suffix", "range"] = "suffix"
    separator: str = Field(default="-", min_length=1, max_length=3)
    range_start: int = Field(default=900_000, ge=1, le=10**17)

    def describe(self) -> str:
        """The scheme in words, for the Instructies sheet."""
        if self.scheme == "suffix":
            return (
                f"het relatienummer met een volgnummer erachter (0101{self.separator}1, "
                f"0101{self.separator}2, ...)"
            )
        return f"het volgende vrije nummer vanaf {self.range_start}"


class Catalogues(BaseModel):
    """Every closed list of the onboarding workbook."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    legal_forms: tuple[str, ...] = (
        "Eenmanszaak",
        "VOF",
        "Maatschap",
        "CV",
        "BV",
        "NV",
        "Stichting",
        "Vereniging",
        "Coöperatie",
        "Overig",
    )
    products: tuple[Product, ...] = DEFAULT_PRODUCTS
    integrations: tuple[str, ...] = (
        "Exact Online",
        "Twinfield",
        "Nmbrs",
        "Loket.nl",
        "AFAS",
        "Nextens",
        "Fiscaal Gemak",
        "Simplicate",
        "SnelStart",
        "e-Boekhouden",
        "Yuki",
    )
    onboarding_workflows: tuple[str, ...] = ("Onboarding nieuwe relatie",)
    roles: tuple[str, ...] = (
        "Relatiebeheerder",
        "Accountant",
        "Fiscaal",
        "Administratie",
        "Salaris",
        "Secretariaat",
    )
    numbering: Numbering = Numbering()
    # Four-week periods: the start dates of a year's 13 periods where the office states them
    # itself (`[four_week_calendar]` with `2027 = [2027-01-01, 2027-02-01, ...]`); every other
    # year follows the week calendar of periods.py.
    four_week_calendar: dict[int, tuple[dt.date, ...]] = Field(default_factory=dict)
    # R7: a Vanaf whose period ended before 1 January this many years before the as-of year
    # is an error (the Belastingdienst's term for additional assessments). At most 50, which
    # keeps every period within the dates Excel can show.
    start_period_years_back: int = Field(default=5, ge=0, le=50)
    # IB-voortgang (kantoor-batch report): the cumulative share (%) of a tax year's income-tax
    # returns the office means to have filed by the end of each month, from August of the
    # following year on; by default the uitstelregeling belastingconsulenten's.
    ib_targets: tuple[float, ...] = Field(default=DEFAULT_IB_TARGETS, min_length=1, max_length=24)
    # The firm files under the uitstelregeling belastingconsulenten: Aangifte IB is due on
    # 1 May of the second year after the tax year instead of the first (deadlines.py).
    income_tax_extension: bool = False

    @field_validator("four_week_calendar")
    @classmethod
    def _four_week_starts_valid(
        cls, tables: dict[int, tuple[dt.date, ...]]
    ) -> dict[int, tuple[dt.date, ...]]:
        from kantoor_batch.periods import four_week_starts_problem  # noqa: PLC0415 (cycle)

        problems = [
            p for year, starts in tables.items() if (p := four_week_starts_problem(year, starts))
        ]
        if problems:
            raise ValueError("; ".join(problems))
        return tables

    @property
    def calendar(self) -> FourWeekCalendar:
        """The four-week calendar of this catalogue, for periods.use_calendar()."""
        from kantoor_batch.periods import FourWeekCalendar  # noqa: PLC0415 (cycle)

        return FourWeekCalendar(self.four_week_calendar)

    @field_validator("ib_targets")
    @classmethod
    def _ib_targets_rise_to_at_most_100(cls, targets: tuple[float, ...]) -> tuple[float, ...]:
        if any(not 0 <= t <= 100 for t in targets) or list(targets) != sorted(targets):
            msg = "ib_targets: percentages from 0 to 100, each at least the one before"
            raise ValueError(msg)
        return targets

    @model_validator(mode="after")
    def _product_names_unique(self) -> Self:
        names = [p.name for p in self.products]
        if len(set(names)) != len(names):
            msg = "product names must be unique"
            raise ValueError(msg)
        return self

    @model_validator(mode="after")
    def _product_legal_forms_known(self) -> Self:
        for product in self.products:
            named = product.legal_forms + product.legal_forms_to_check
            if unknown := [form for form in named if form not in self.legal_forms]:
                msg = f"product {product.name}: legal forms not in legal_forms: {unknown}"
                raise ValueError(msg)
        return self

    def product(self, name: str) -> Product:
        return next(p for p in self.products if p.name == name)

    def choices(self, list_name: str) -> tuple[str, ...]:
        """The allowed values of a closed list, by the name spec.Column.choices uses."""
        lists: dict[str, tuple[str, ...]] = {
            "relation_kinds": RELATION_KINDS,
            "contact_types": CONTACT_TYPES,
            "legal_forms": self.legal_forms,
            "products": tuple(p.name for p in self.products),
            "period_types": tuple(PeriodType),
            "integrations": self.integrations,
            "onboarding_workflows": self.onboarding_workflows,
            "roles": self.roles,
        }
        return lists[list_name]

    @classmethod
    def load(cls, path: Path | None) -> Catalogues:
        """Defaults, or the defaults overridden by a TOML file."""
        if path is None:
            return cls()
        try:
            with path.open("rb") as handle:
                data = tomllib.load(handle)
        except OSError as exc:
            raise ConfigError(path, f"het bestand is niet te lezen ({exc.strerror})") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(path, f"geen geldige TOML: {exc}") from exc
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            details = "; ".join(
                f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
            )
            raise ConfigError(path, details) from exc


# Other ways people write the values of closed lists, folded with fold_choice().
CHOICE_ALIASES: dict[str, str] = {
    "organisation": "Organisatie",
    "organization": "Organisatie",
    "org": "Organisatie",
    "bedrijf": "Organisatie",
    "person": "Persoon",
    "prive": "Persoon",
    "particulier": "Persoon",
    "entrepreneur": "Ondernemer",
    "owner": "Ondernemer",
    "eigenaar": "Ondernemer",
    "dga": "Ondernemer",
    "contactperson": "Contactpersoon",
    "fiscalpartner": "Fiscaal partner",
    "partner": "Fiscaal partner",
    "child": "Kind",
    "kinderen": "Kind",
    "other": "Overig",
    "anders": "Overig",
    "besloten vennootschap": "BV",
    "naamloze vennootschap": "NV",
    "vennootschap onder firma": "VOF",
    "commanditaire vennootschap": "CV",
    "year": "Jaar",
    "financialyear": "Boekjaar",
    "quarter": "Kwartaal",
    "month": "Maand",
    "fourweeks": "Vier weken",
    "4weken": "Vier weken",
    "vierwekelijks": "Vier weken",
    "obbtw": "Aangifte OB",
    "btw": "Aangifte OB",
    "aangiftebtw": "Aangifte OB",
    "ib": "Aangifte IB",
    "vpb": "Aangifte Vpb",
    "icp": "Opgaaf ICP",
}
CHOICE_ALIASES = {k.replace(" ", ""): v for k, v in CHOICE_ALIASES.items()}


def fold_choice(text: str) -> str:
    """Fold a list value for matching: no case, accents, dots, spaces or dashes ('B.V.' = 'bv')."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in ascii_text.casefold() if ch.isalnum())
