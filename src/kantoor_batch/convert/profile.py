"""The mapping profile: a TOML file that says how an export becomes an onboarding workbook.

A profile is data, versioned (`version = 1`), and checked whole before a row is converted:
an unknown key, sheet, column or transformation is an error naming it, so a typo never
turns into a silently empty column. README ("kantoor-batch convert") shows every feature with
an example. The parsing is written out rather than left to a schema library so that each
message is Dutch and says where in the file the problem is.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kantoor_batch.convert.sources import DELIMITERS, ReadOptions
from kantoor_batch.errors import KantoorBatchError
from kantoor_batch.spec import SHEETS, Column, Sheet, normalise_header

PROFILE_VERSION = 1
SPLITS = {
    "naam": ("voorletters", "voornaam", "tussenvoegsel", "achternaam"),
    "adres": ("straat", "huisnummer", "toevoeging"),
}
UNMAPPED = ("keep", "error", "empty")
_DELIMITER_WORDS = {"tab": "\t", "\\t": "\t", "puntkomma": ";", "komma": ","}


class ProfileError(KantoorBatchError):
    """The profile cannot be used; nothing was converted."""

    def __init__(self, path: Path | None, reason: str) -> None:
        self.path = path
        where = f"'{path}'" if path is not None else ""
        super().__init__(f"Het profiel {where} is ongeldig: {reason}".replace("  ", " "))


@dataclass(frozen=True)
class Condition:
    """Only source rows where column is filled (values None) or holds one of values."""

    column: str
    values: frozenset[str] | None = None
    negate: bool = False


@dataclass(frozen=True)
class Join:
    """Each row of the block's input finds one row of input: its column equals input's on."""

    input: str
    column: str
    on: str


@dataclass(frozen=True)
class FieldRule:
    """How one template column of a block is filled."""

    target: Column
    columns: tuple[str, ...] = ()  # source columns; several are joined with a space
    input: str | None = None  # None: the block's own input; else its joined input
    value: str | None = None  # a constant
    default: str | None = None  # when the result is empty
    map_name: str | None = None
    map: dict[str, str] | None = None  # folded source value -> target value
    unmapped: str = "keep"
    pad: int | None = None
    split: str | None = None
    part: str | None = None
    date_format: str | None = None


@dataclass(frozen=True)
class Block:
    """One [[rows]] table: rows of one template sheet from rows of one input."""

    number: int  # 1-based, for messages
    sheet: Sheet
    input: str
    fields: tuple[FieldRule, ...]
    when: Condition | None = None
    join: Join | None = None
    distinct: bool = False


@dataclass(frozen=True)
class InputSpec:
    name: str
    pattern: str | None
    options: ReadOptions


@dataclass(frozen=True)
class Profile:
    path: Path | None
    name: str
    description: str
    inputs: tuple[InputSpec, ...]
    blocks: tuple[Block, ...]
    maps: dict[str, dict[str, str]] = field(default_factory=dict)


def load_profile(path: Path) -> Profile:
    """The profile at path; ProfileError when it cannot be used."""
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except FileNotFoundError as exc:
        raise ProfileError(path, "het bestand bestaat niet") from exc
    except UnicodeDecodeError as exc:
        raise ProfileError(
            path, "het is geen UTF-8-tekst. Sla het in de teksteditor op als UTF-8."
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(path, f"het is geen geldige TOML ({exc})") from exc
    except OSError as exc:
        raise ProfileError(path, f"het kan niet worden gelezen ({exc.strerror})") from exc
    return parse_profile(data, path)


def parse_profile(data: dict[str, Any], path: Path | None = None) -> Profile:
    """A profile from TOML data already parsed (tests build them in code)."""
    return _Parser(path).profile(data)


class _Parser:
    def __init__(self, path: Path | None) -> None:
        self.path = path

    def fail(self, reason: str) -> ProfileError:
        return ProfileError(self.path, reason)

    def keys(self, table: dict[str, Any], allowed: set[str], where: str) -> None:
        unknown = sorted(set(table) - allowed)
        if unknown:
            raise self.fail(
                f"onbekende sleutel '{unknown[0]}' in {where}. Toegestaan: "
                f"{', '.join(sorted(allowed))}."
            )

    def profile(self, data: dict[str, Any]) -> Profile:
        self.keys(
            data,
            {"version", "name", "description", "source", "inputs", "maps", "rows"},
            "het profiel",
        )
        version = data.get("version")
        if version is None:
            raise self.fail(
                f"version ontbreekt. Zet bovenaan: version = {PROFILE_VERSION} (de versie van "
                "het profielformaat)"
            )
        if version != PROFILE_VERSION:
            raise self.fail(
                f"version is {version!r}; deze kantoor-batch leest profielen van versie "
                f"{PROFILE_VERSION}. Zet bovenaan: version = {PROFILE_VERSION}"
            )
        source = self.options(data.get("source", {}), "[source]", ReadOptions())
        inputs = self.inputs(data.get("inputs", []), source)
        maps = {
            name: self.value_map(table, f"[maps.{name}]")
            for name, table in self.table(data.get("maps", {}), "[maps]").items()
        }
        rows = data.get("rows")
        if not isinstance(rows, list) or not rows:
            raise self.fail("er staat geen [[rows]] in: zeg welke bladen uit de export komen")
        names = {i.name for i in inputs}
        blocks = tuple(
            self.block(number, self.table(table, f"[[rows]] nummer {number}"), inputs, names, maps)
            for number, table in enumerate(rows, start=1)
        )
        return Profile(
            self.path,
            str(data.get("name", self.path.stem if self.path else "profiel")),
            str(data.get("description", "")),
            inputs,
            blocks,
            maps,
        )

    def flag(self, value: object, where: str) -> bool:
        """A TOML true/false; "nee" or 0 would otherwise count as true."""
        if not isinstance(value, bool):
            raise self.fail(f"{where} is true of false")
        return value

    def table(self, value: object, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(f"{where} moet een tabel zijn")
        return value

    def options(self, table: object, where: str, base: ReadOptions) -> ReadOptions:
        table = self.table(table, where)
        self.keys(table, {"encoding", "delimiter", "header_row", "sheet"}, where)
        delimiter = table.get("delimiter", base.delimiter)
        if delimiter is not None and not isinstance(delimiter, str):
            raise self.fail(f'delimiter in {where} is tekst: ";", ",", "|" of "tab"')
        for name in ("encoding", "sheet"):
            if not isinstance(table.get(name, ""), str):
                raise self.fail(f'{name} in {where} is tekst, bijvoorbeeld {name} = "cp1252"')
        if isinstance(delimiter, str):
            delimiter = _DELIMITER_WORDS.get(delimiter.casefold(), delimiter)
            if delimiter not in DELIMITERS:
                raise self.fail(f"delimiter in {where} is '{delimiter}'; kies ; , | of tab")
        header_row = table.get("header_row", base.header_row)
        if header_row is not None and (
            isinstance(header_row, bool) or not isinstance(header_row, int) or header_row < 1
        ):
            raise self.fail(f"header_row in {where} moet een regelnummer vanaf 1 zijn")
        return ReadOptions(
            encoding=table.get("encoding", base.encoding),
            delimiter=delimiter,
            header_row=header_row,
            sheet=table.get("sheet", base.sheet),
        )

    def inputs(self, items: object, source: ReadOptions) -> tuple[InputSpec, ...]:
        if not isinstance(items, list):
            raise self.fail("inputs moet een lijst van [[inputs]]-tabellen zijn")
        if not items:
            return (InputSpec("export", None, source),)
        specs = []
        for number, item in enumerate(items, start=1):
            where = f"[[inputs]] nummer {number}"
            table = self.table(item, where)
            self.keys(
                table, {"name", "file", "encoding", "delimiter", "header_row", "sheet"}, where
            )
            name = table.get("name")
            if not isinstance(name, str) or not name:
                raise self.fail(f"{where} heeft geen name")
            options = self.options(
                {k: v for k, v in table.items() if k not in {"name", "file"}}, where, source
            )
            specs.append(InputSpec(name, table.get("file"), options))
        if len({s.name for s in specs}) != len(specs):
            raise self.fail("twee [[inputs]] hebben dezelfde name")
        return tuple(specs)

    def value_map(self, table: object, where: str) -> dict[str, str]:
        table = self.table(table, where)
        return {fold_value(str(k)): str(v) for k, v in table.items()}

    def block(
        self,
        number: int,
        table: dict[str, Any],
        inputs: tuple[InputSpec, ...],
        names: set[str],
        maps: dict[str, dict[str, str]],
    ) -> Block:
        where = f"[[rows]] nummer {number}"
        self.keys(table, {"sheet", "input", "when", "join", "distinct", "columns"}, where)
        sheet = self.sheet(table.get("sheet"), where)
        source = table.get("input", inputs[0].name)
        if source not in names:
            raise self.fail(f"{where}: input '{source}' staat niet bij [[inputs]]")
        join = None
        if "join" in table:
            spec = self.table(table["join"], f"{where}.join")
            self.keys(spec, {"input", "column", "on"}, f"{where}.join")
            if spec.get("input") not in names or not spec.get("column") or not spec.get("on"):
                raise self.fail(
                    f"{where}.join heeft input (een naam van [[inputs]]), column (de kolom van "
                    "deze invoer) en on (de kolom van de andere invoer) nodig"
                )
            join = Join(str(spec["input"]), str(spec["column"]), str(spec["on"]))
        columns = self.table(table.get("columns"), f"{where}.columns")
        fields = tuple(
            self.field(sheet, header, rule, f"{where}, kolom '{header}'", join, maps)
            for header, rule in columns.items()
        )
        targets = [f.target.key for f in fields]
        if len(set(targets)) != len(targets):
            raise self.fail(f"{where} vult een kolom van {sheet.name} twee keer")
        missing = [c.header for c in sheet.columns if c.required and c.key not in targets]
        if missing:
            raise self.fail(
                f"{where} vult de verplichte kolom(men) {', '.join(missing)} van {sheet.name} "
                "niet. Geef een kolom van de export, of een vaste waarde: "
                f'"{missing[0]}" = {{ value = "..." }}'
            )
        return Block(
            number,
            sheet,
            source,
            fields,
            self.when(table.get("when"), where),
            join,
            self.flag(table.get("distinct", False), f"distinct in {where}"),
        )

    def sheet(self, name: object, where: str) -> Sheet:
        folded = normalise_header(str(name))
        for sheet in SHEETS:
            if folded in {normalise_header(n) for n in (sheet.name, sheet.key, *sheet.aliases)}:
                return sheet
        raise self.fail(
            f"{where}: sheet '{name}' is geen blad van het sjabloon. Kies uit: "
            f"{', '.join(s.name for s in SHEETS)}."
        )

    def when(self, value: object, where: str) -> Condition | None:
        if value is None:
            return None
        if isinstance(value, str):
            return Condition(value)
        table = self.table(value, f"{where}.when")
        self.keys(table, {"column", "in", "not_in"}, f"{where}.when")
        listed = table.get("in", table.get("not_in"))
        if not isinstance(table.get("column"), str) or (
            listed is not None and not isinstance(listed, list)
        ):
            raise self.fail(f"{where}.when heeft column en eventueel in = [...] of not_in = [...]")
        values = frozenset(fold_value(str(v)) for v in listed) if listed is not None else None
        return Condition(table["column"], values, negate="not_in" in table)

    def field(
        self,
        sheet: Sheet,
        header: str,
        rule: object,
        where: str,
        join: Join | None,
        maps: dict[str, dict[str, str]],
    ) -> FieldRule:
        target = target_column(sheet, header)
        if target is None:
            raise self.fail(
                f"{where}: '{header}' is geen kolom van {sheet.name}. Kies uit: "
                f"{', '.join(c.header for c in sheet.columns)}."
            )
        if isinstance(rule, str):
            return FieldRule(target, (rule,))
        table = self.table(rule, where)
        allowed = {"column", "columns", "input", "value", "default", "map", "unmapped", "pad"}
        self.keys(table, allowed | {"split", "part", "date_format"}, where)
        columns = table.get("columns", [table["column"]] if "column" in table else [])
        if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
            raise self.fail(f"{where}: columns is een lijst van kolomnamen")
        if not columns and "value" not in table and "default" not in table:
            raise self.fail(f"{where}: geef column, columns, value of default")
        source = table.get("input")
        if source is not None and (join is None or source != join.input):
            raise self.fail(
                f"{where}: input '{source}' kan alleen de invoer van join van dit blok zijn"
            )
        map_name, value_map = self.field_map(table.get("map"), where, maps)
        unmapped = table.get("unmapped", "keep")
        if unmapped not in UNMAPPED:
            raise self.fail(f"{where}: unmapped is keep, error of empty")
        split, part = table.get("split"), table.get("part")
        if split is not None and (
            not isinstance(split, str)
            or not isinstance(part, str)
            or split not in SPLITS
            or part not in SPLITS[split]
        ):
            raise self.fail(
                f"{where}: split is 'naam' (part: {', '.join(SPLITS['naam'])}) of 'adres' "
                f"(part: {', '.join(SPLITS['adres'])})"
            )
        pad = table.get("pad")
        if pad is not None and (not isinstance(pad, int) or not 1 <= pad <= 34):
            raise self.fail(f"{where}: pad is het aantal cijfers, bijvoorbeeld pad = 8")
        date_format = table.get("date_format")
        if date_format is not None:
            date_format = strptime_format(str(date_format), lambda r: self.fail(f"{where}: {r}"))
        value = table.get("value")
        default = table.get("default")
        return FieldRule(
            target,
            tuple(columns),
            source,
            None if value is None else str(value),
            None if default is None else str(default),
            map_name,
            value_map,
            unmapped,
            pad,
            split,
            part,
            date_format,
        )

    def field_map(
        self, value: object, where: str, maps: dict[str, dict[str, str]]
    ) -> tuple[str | None, dict[str, str] | None]:
        if value is None:
            return None, None
        if isinstance(value, str):
            if value not in maps:
                raise self.fail(f"{where}: map '{value}' staat niet onder [maps]")
            return value, maps[value]
        return "(in de kolom)", self.value_map(value, f"{where}.map")


def target_column(sheet: Sheet, header: str) -> Column | None:
    folded = normalise_header(header)
    for column in sheet.columns:
        if folded in {normalise_header(n) for n in (column.header, column.key, *column.aliases)}:
            return column
    return None


def fold_value(text: str) -> str:
    """A source value as value maps and conditions match it: trimmed, without case."""
    return " ".join(text.split()).casefold()


_TOKENS = (("jjjj", "%Y"), ("yyyy", "%Y"), ("dd", "%d"), ("mm", "%m"))


def strptime_format(text: str, fail: Any) -> str:
    """'dd-mm-jjjj' (or a strptime format such as '%d.%m.%Y') -> a strptime format. Two-digit
    years are refused: '01-02-45' is 1945 or 2045, and R3 says never to guess."""
    if "%" in text:
        if "%y" in text:
            raise fail("een jaar van twee cijfers (%y) is dubbelzinnig; gebruik %Y")
        return _checked_format(text, text, fail)
    out = text.casefold()
    if "jj" in out.replace("jjjj", "") or "yy" in out.replace("yyyy", ""):
        raise fail(f"date_format '{text}': een jaar van twee cijfers is dubbelzinnig; gebruik jjjj")
    for token, code in _TOKENS:
        out = out.replace(token, code)
    return _checked_format(text, out, fail)


def _checked_format(text: str, out: str, fail: Any) -> str:
    """A format with day, month and four-digit year that reads back what it writes."""
    if not {"%Y", "%m", "%d"} <= {out[i : i + 2] for i in range(len(out) - 1)}:
        raise fail(f"date_format '{text}' mist dd, mm of jjjj (bijvoorbeeld dd-mm-jjjj)")
    sample = dt.date(2001, 2, 3)
    try:
        readable = dt.datetime.strptime(sample.strftime(out), out).date() == sample  # noqa: DTZ007
    except ValueError:
        readable = False
    if not readable:
        raise fail(f"date_format '{text}' is geen bruikbare datumvorm (bijvoorbeeld dd-mm-jjjj)")
    return out
