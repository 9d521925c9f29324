"""The profile applied to the exports: rows per template sheet, and what happened on the way.

Each [[rows]] block turns the rows of one input (those its `when` selects) into rows of one
template sheet, column by column, so one client row can give a relation and two contacts
(three blocks over the same input) and a persons file can take its relation number from a
companies file (a block with a join). A source row with an error is left out whole: every
row any block made from it goes, and so do rows joined to it, each reported with file and
line. The rest is written; `validate` and `import` then check it as any workbook.
"""

from __future__ import annotations

import fnmatch
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kantoor_batch.catalogues import Catalogues, fold_choice
from kantoor_batch.clean.values import choice_lookup, missing_column
from kantoor_batch.convert import transforms
from kantoor_batch.convert.messages import ConversionIssue
from kantoor_batch.convert.profile import (
    Block,
    FieldRule,
    InputSpec,
    Profile,
    ProfileError,
    fold_value,
)
from kantoor_batch.convert.sources import ReadOptions, SourceTable, read_source
from kantoor_batch.errors import WrongUseError
from kantoor_batch.spec import SHEETS, Column, Kind, normalise_header

_NUMERIC_KINDS = {Kind.IDENTIFIER, Kind.NUMBER_TEXT}
INPUT, LINE, JOIN_LINE = "_input", "_line", "_join_line"
EXCEL_CELL_CHARACTERS = 32_767  # the most a cell of Excel (and so of the workbook) holds
YES_NO_WORDS = ("ja", "j", "yes", "y", "true", "waar", "x", "nee", "n", "no", "false", "onwaar")


@dataclass
class ConversionResult:
    """What convert_exports made: the rows per sheet (column keys) and the report's data."""

    profile: Profile
    sources: dict[str, SourceTable]
    sheets: dict[str, pd.DataFrame]
    issues: list[ConversionIssue]
    # (input, source column) -> the template columns it filled, 'Relaties: Naam'
    used: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    # (sheet, column, map, source value, target value) -> how often
    mappings: Counter[tuple[str, str, str, str, str]] = field(default_factory=Counter)
    # (sheet, column, transformation) -> how often it fired
    transformed: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    skipped: dict[str, set[int]] = field(default_factory=dict)  # input -> lines left out

    @property
    def ok(self) -> bool:
        return not any(issue.is_error for issue in self.issues)

    def written(self) -> dict[str, int]:
        return {sheet.name: len(self.sheets[sheet.key]) for sheet in SHEETS}


def convert_exports(
    paths: list[Path],
    profile: Profile,
    overrides: ReadOptions | None = None,
    catalogues: Catalogues | None = None,
) -> ConversionResult:
    """The exports converted by the profile. Raises UnreadableExportError for a file that
    cannot be read, ProfileError when the profile does not fit the files (a column it names
    is not in the export) and WrongUseError when the files do not fit the profile's inputs."""
    sources = {
        spec.name: read_source(path, _options(spec.options, overrides))
        for spec, path in assign_files(paths, profile.inputs)
    }
    return _Converter(profile, sources, catalogues or Catalogues()).run()


def _options(base: ReadOptions, overrides: ReadOptions | None) -> ReadOptions:
    if overrides is None:
        return base
    return ReadOptions(
        overrides.encoding or base.encoding,
        overrides.delimiter or base.delimiter,
        overrides.header_row or base.header_row,
        overrides.sheet or base.sheet,
    )


def assign_files(paths: list[Path], inputs: tuple[InputSpec, ...]) -> list[tuple[InputSpec, Path]]:
    """Which file is which input: by the input's file pattern, the rest in the given order."""
    if len(paths) != len(inputs):
        names = ", ".join(spec.name for spec in inputs)
        msg = (
            f"het profiel verwacht {len(inputs)} exportbestand(en) ({names}), er zijn er "
            f"{len(paths)} gegeven. Geef ze in die volgorde."
        )
        raise WrongUseError(msg)
    left = list(paths)
    chosen: dict[str, Path] = {}
    for spec in inputs:
        if spec.pattern is not None:
            hits = [p for p in left if fnmatch.fnmatch(p.name.casefold(), spec.pattern.casefold())]
            if hits:
                chosen[spec.name] = hits[0]
                left.remove(hits[0])
    return [(spec, chosen.get(spec.name) or left.pop(0)) for spec in inputs]


class _Converter:
    def __init__(
        self, profile: Profile, sources: dict[str, SourceTable], catalogues: Catalogues
    ) -> None:
        self.profile = profile
        self.catalogues = catalogues
        self.sources = sources
        self.result = ConversionResult(profile, sources, {}, [])
        self.failed: dict[str, dict[int, None]] = {name: {} for name in sources}
        # Within a block, columns read or split more than once are worked out once.
        self.cache: dict[tuple[object, ...], object] = {}
        for name, source in sources.items():
            for note in source.notes:
                self.result.issues.append(
                    ConversionIssue(
                        note.code,
                        source.path.name,
                        None,
                        None,
                        None,
                        {"text": note.text_nl, "text_en": note.text_en},
                    )
                )
            for header in source.headers:
                self.result.used[(name, header)] = []

    def run(self) -> ConversionResult:
        frames: dict[str, list[pd.DataFrame]] = {sheet.key: [] for sheet in SHEETS}
        blocks = [(block, self.block(block)) for block in self.profile.blocks]
        for block, frame in blocks:  # first every failure, so that all blocks drop the same
            self.follow_joins(block, frame)
        for block, frame in blocks:
            kept = self.keep(block, frame)
            if block.distinct:
                columns = [f.target.key for f in block.fields]
                kept = kept.drop_duplicates(subset=columns)
            frames[block.sheet.key].append(kept)
        for sheet in SHEETS:
            keys = [c.key for c in sheet.columns]
            parts = [f.reindex(columns=keys) for f in frames[sheet.key] if not f.empty]
            frame = (
                pd.concat(parts, ignore_index=True)
                if parts
                else pd.DataFrame(columns=keys, dtype=object)
            )
            self.result.sheets[sheet.key] = frame.astype(object).where(frame.notna(), None)
        self.result.skipped = {name: set(lines) for name, lines in self.failed.items()}
        self.result.issues.sort(key=lambda i: (i.file, i.line or 0))
        return self.result

    # --- one block ----------------------------------------------------------------------------

    def column(self, source: str, header: str, block: Block) -> str:
        """The export's own spelling of a column the profile names (case and spaces aside)."""
        table = self.sources[source]
        folded = normalise_header(header)
        for name in table.headers:
            if normalise_header(name) == folded:
                return name
        raise ProfileError(
            self.profile.path,
            f"[[rows]] nummer {block.number}: kolom '{header}' staat niet in "
            f"{table.path.name} (kopregel {table.header_line}). De kolommen zijn: "
            f"{', '.join(table.headers)}.",
        )

    def block(self, block: Block) -> pd.DataFrame:
        source = self.sources[block.input]
        data = source.data
        if block.when is not None:
            data = data[self.selected(block, data)]
        joined: pd.DataFrame | None = None
        join_lines = pd.Series(pd.NA, index=data.index, dtype="Int64")
        if block.join is not None:
            join_lines = self.join(block, data)
            other = self.sources[block.join.input].data
            present = join_lines.dropna().astype("int64")
            joined = other.reindex(present.to_numpy())
            joined.index = present.index
            joined = joined.reindex(data.index)
        out = pd.DataFrame(index=data.index)
        for rule in block.fields:
            frame = data if rule.input is None else joined
            if frame is None:  # pragma: no cover - the parser allows input only with a join
                raise ProfileError(self.profile.path, f"[[rows]] nummer {block.number}: geen join")
            out[rule.target.key] = self.field(block, rule, frame)
        self.too_long(block, out)
        out[INPUT] = block.input
        out[LINE] = data.index.to_numpy()
        out[JOIN_LINE] = join_lines.to_numpy()
        return out

    def too_long(self, block: Block, out: pd.DataFrame) -> None:
        """A value longer than a workbook cell holds fails its line: it can be neither written
        whole nor cut without losing what the export says."""
        table = self.sources[block.input]
        for rule in block.fields:
            key = rule.target.key
            lengths = out[key].astype(str).str.len().to_numpy()
            for line in out.index[lengths > EXCEL_CELL_CHARACTERS]:
                self.fail(block.input, int(line))
                self.issue(
                    "value-too-long",
                    table,
                    int(line),
                    ", ".join(rule.columns) or None,
                    None,
                    target=f"{block.sheet.name}: {rule.target.header}",
                    length=f"{len(str(out.at[line, key])):,}".replace(",", "."),
                )

    def selected(self, block: Block, data: pd.DataFrame) -> pd.Series:
        if block.when is None:  # pragma: no cover - called only for a block with a condition
            return pd.Series(True, index=data.index)
        name = self.column(block.input, block.when.column, block)
        self.result.used[(block.input, name)].append(f"{block.sheet.name}: (voorwaarde)")
        text = transforms.texts(data[name])
        if block.when.values is None:
            chosen = text.notna()
        else:
            folded = text.map(fold_value, na_action="ignore")
            chosen = folded.isin(block.when.values)
            chosen = ~chosen if block.when.negate else chosen
        return chosen.astype(bool)

    def join(self, block: Block, data: pd.DataFrame) -> pd.Series:
        """The line of the joined input for each row; a row without one fails."""
        join = block.join
        if join is None:  # pragma: no cover - called only for a block with a join
            return pd.Series(pd.NA, index=data.index, dtype="Int64")
        own = self.column(block.input, join.column, block)
        other_table = self.sources[join.input]
        on = self.column(join.input, join.on, block)
        self.result.used[(block.input, own)].append(f"{block.sheet.name}: (koppeling)")
        self.result.used[(join.input, on)].append(f"{block.sheet.name}: (koppeling)")
        keys = transforms.texts(other_table.data[on]).map(fold_value, na_action="ignore")
        keys = keys.dropna()
        twice = keys[keys.duplicated(keep=False)]
        for key, group in twice.groupby(twice):
            listed = ", ".join(str(line) for line in group.index)
            for line in group.index:
                self.fail(join.input, int(line))
            self.issue(
                "join-key-not-unique",
                other_table,
                int(group.index[0]),
                on,
                str(key),
                lines=listed,
            )
        unique = keys[~keys.duplicated(keep=False)]
        lookup = pd.Series(unique.index, index=unique.to_numpy())
        wanted_text = transforms.texts(data[own])
        wanted = wanted_text.map(fold_value, na_action="ignore")
        lines = wanted.map(lookup).astype("Int64")
        source = self.sources[block.input]
        for line in lines.index[lines.isna()]:
            self.fail(block.input, int(line))
            if pd.isna(wanted_text[line]):
                self.issue(
                    "join-key-empty", source, int(line), own, None, other=other_table.path.name
                )
                continue
            self.issue(
                "join-no-match",
                source,
                int(line),
                own,
                wanted_text[line],
                other=other_table.path.name,
                on=on,
            )
        return lines

    def field(self, block: Block, rule: FieldRule, data: pd.DataFrame) -> pd.Series:
        sheet, target = block.sheet, rule.target
        label = f"{sheet.name}: {target.header}"
        source_name = rule.input or block.input
        table = self.sources[source_name]
        names = [self.column(source_name, c, block) for c in rule.columns]
        for name in names:
            self.result.used[(source_name, name)].append(label)
        shown_column = ", ".join(names) or "(vaste waarde)"
        if rule.value is not None:
            values = pd.Series(rule.value, index=data.index, dtype=object)
        elif not names:
            values = missing_column(data.index)
        elif rule.date_format is not None:
            step = transforms.dates(data[names[0]], rule.date_format)
            for line in step.values.index[step.failed] if step.failed is not None else []:
                self.fail(block.input, int(line))
                self.issue(
                    "invalid-date-format",
                    table,
                    int(line),
                    names[0],
                    data.at[line, names[0]],
                    target.personal,
                    format=_shown_format(rule.date_format),
                )
            self.count(
                sheet.name, target.header, f"datum {_shown_format(rule.date_format)}", step.changed
            )
            values = step.values
        else:
            values = self.text(block, rule, data, names, table)
        if rule.default is not None:
            empty = values.isna()
            values = values.where(~empty, rule.default)
            self.count(sheet.name, target.header, "standaardwaarde", empty)
        if target.required:
            for line in values.index[values.isna()]:
                if rule.input is None or int(line) not in self.failed[block.input]:
                    self.fail(block.input, int(line))
                    self.issue(
                        "required-empty",
                        table,
                        int(line),
                        shown_column,
                        None,
                        target=f"{sheet.name}: {target.header}",
                    )
        return values

    def text(  # noqa: PLR0912 - one branch per transformation, in the order they apply
        self,
        block: Block,
        rule: FieldRule,
        data: pd.DataFrame,
        names: list[str],
        table: SourceTable,
    ) -> pd.Series:
        sheet, target = block.sheet.name, rule.target
        parts = [self.texts(block, rule, data, name) for name in names]
        values = parts[0]
        for more in parts[1:]:
            values = (values.fillna("") + " " + more.fillna("")).str.strip()
            values = values.where(values != "", None)
        if target.kind in _NUMERIC_KINDS or rule.pad is not None:
            for name, part in zip(names, parts, strict=True):
                lost = transforms.lost_digits(part)
                for line in part.index[lost]:
                    self.fail(block.input, int(line))
                    self.issue("lost-digits", table, int(line), name, part[line], target.personal)
        if rule.split == "naam":
            step = transforms.split_name(values, str(rule.part))
            self.count(sheet, target.header, "naam gesplitst", step.changed)
            values = step.values
        elif rule.split == "adres":
            key = ("street", block.number, rule.input, tuple(names))
            if key not in self.cache:
                self.cache[key] = transforms.street_parts(values)
            cached = self.cache[key]
            assert isinstance(cached, pd.DataFrame)  # noqa: S101 - the key says what it holds
            step = transforms.split_street(values, str(rule.part), cached)
            self.count(sheet, target.header, "adres gesplitst", step.changed)
            if rule.part == "straat" and step.failed is not None:
                for line in values.index[step.failed]:
                    self.issue("street-not-split", table, int(line), names[0], values[line], True)
            values = step.values
        if rule.map is not None:
            mapped, counts, unknown = transforms.value_map(values, rule.map)
            unknown &= ~self.valid_already(target, values)
            for (before, after), n in counts.items():
                self.result.mappings[(sheet, target.header, str(rule.map_name), before, after)] += n
            code = "value-not-mapped-error" if rule.unmapped == "error" else "value-not-mapped"
            for line in values.index[unknown]:
                if rule.unmapped == "error":
                    self.fail(block.input, int(line))
                if rule.unmapped != "empty":
                    self.issue(
                        code,
                        table,
                        int(line),
                        names[0],
                        values[line],
                        target.personal,
                        target=f"{sheet}: {target.header}",
                    )
            if rule.unmapped == "empty":
                mapped = mapped.where(~unknown, None)
            values = mapped
        if rule.pad is not None:
            step = transforms.pad(values, rule.pad)
            self.count(sheet, target.header, f"aangevuld tot {rule.pad} cijfers", step.changed)
            values = step.values
        return values.astype(object).where(values.notna(), None)

    def valid_already(self, target: Column, values: pd.Series) -> pd.Series:
        """Values a map does not name but the template column takes as they are ('BV' for
        Rechtsvorm, 'J' for a Ja/Nee column): no reason to warn."""
        if target.kind is Kind.YES_NO:
            folded = values.map(fold_value, na_action="ignore")
            return folded.isin(YES_NO_WORDS).astype(bool)
        if target.kind is Kind.CHOICE and target.choices:
            lookup = choice_lookup(self.catalogues.choices(target.choices))
            folded = values.map(lambda v: fold_choice(str(v)), na_action="ignore")
            return folded.isin(list(lookup)).astype(bool)
        return pd.Series(False, index=values.index)

    def texts(self, block: Block, rule: FieldRule, data: pd.DataFrame, name: str) -> pd.Series:
        key = ("texts", block.number, rule.input, name)
        if key not in self.cache:
            self.cache[key] = transforms.texts(data[name])
        cached = self.cache[key]
        assert isinstance(cached, pd.Series)  # noqa: S101 - the key says what it holds
        return cached

    # --- bookkeeping --------------------------------------------------------------------------

    def count(self, sheet: str, column: str, what: str, fired: pd.Series) -> None:
        n = int(fired.sum())
        if n:
            self.result.transformed[(sheet, column, what)] += n

    def fail(self, source: str, line: int) -> None:
        self.failed[source][line] = None

    def issue(
        self,
        code: str,
        table: SourceTable,
        line: int | None,
        column: str | None,
        value: object,
        personal: bool = False,
        **params: str,
    ) -> None:
        self.result.issues.append(
            ConversionIssue(
                code, table.path.name, line, column, value, params, personal, table.sheet
            )
        )

    def follow_joins(self, block: Block, frame: pd.DataFrame) -> None:
        """A row joined to a row that failed fails too, and says so."""
        if block.join is None:
            return
        failed = self.failed[block.input]
        joined = frame[JOIN_LINE].isin(list(self.failed[block.join.input]))
        source, other = self.sources[block.input], self.sources[block.join.input]
        for line, other_line in frame.loc[joined, [LINE, JOIN_LINE]].itertuples(index=False):
            if int(line) not in failed:
                self.fail(block.input, int(line))
                self.issue(
                    "joined-row-failed",
                    source,
                    int(line),
                    None,
                    None,
                    other=other.path.name,
                    other_line=str(other_line),
                )

    def keep(self, block: Block, frame: pd.DataFrame) -> pd.DataFrame:
        """The block's rows whose source rows (and joined rows) all converted."""
        gone = frame[LINE].isin(list(self.failed[block.input]))
        return frame[~gone].drop(columns=[INPUT, LINE, JOIN_LINE])


def _shown_format(date_format: str) -> str:
    return date_format.replace("%d", "dd").replace("%m", "mm").replace("%Y", "jjjj")
