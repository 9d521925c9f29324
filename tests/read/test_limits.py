"""Limits checked before a cell is read (docs/limits.md): hostile files end in a clear message
with exit code 3, within a small amount of memory, and real workbooks pass."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kantoor_batch import limits
from kantoor_batch.errors import LimitExceededError, UnreadableWorkbookError
from kantoor_batch.read.package import check_package, within_limits
from kantoor_batch.read.sheet_scan import SheetScan
from kantoor_batch.read.workbook import read_workbook
from tests.builders import valid_book
from tests.conftest import REPO
from tests.raw_workbooks import (
    HEADER_ROW,
    shared_strings_xml,
    sheet_xml,
    text_cell,
    write_raw,
)

PEAK_MEMORY_KB = 512 * 1024
# The CLI in a child process of its own, under an address-space cap so that a regression fails
# fast instead of taking the machine's memory; it prints its peak resident memory last. VmHWM
# is this process's own peak (ru_maxrss would carry the parent's over the exec).
CHILD = """
import atexit, resource, sys
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (6 << 30, 6 << 30))

def peak():
    status = Path("/proc/self/status").read_text()
    line = next(l for l in status.splitlines() if l.startswith("VmHWM:"))
    print("peak", line.split()[1], file=sys.stderr)

atexit.register(peak)
from kantoor_batch.cli import main
main(sys.argv[1:])
"""


def stray_value_at(path: Path, ref: str) -> Path:
    row = ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return write_raw(
        path,
        {"Relaties": sheet_xml(HEADER_ROW + f'<row r="{row}"><c r="{ref}"><v>1</v></c></row>')},
    )


def zip_bomb(path: Path) -> Path:
    """A sheet of one row padded with 30 MB of spaces between two elements: a ~30 KB file."""
    rows = HEADER_ROW + " " * (30 * limits.MIB) + f'<row r="2">{text_cell("A2", "0101")}</row>'
    return write_raw(path, {"Relaties": sheet_xml(rows)})


def shared_strings_bomb(path: Path) -> Path:
    """200,000 distinct shared strings and a sheet that uses one of them."""
    strings = [f"tekst {i}" for i in range(200_000)]
    rows = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    return write_raw(
        path, {"Relaties": sheet_xml(rows)}, shared_strings=shared_strings_xml(strings)
    )


def run_cli_measured(*args: str) -> tuple[int, str, int]:
    """Exit code, output and peak memory (KB) of the CLI in a fresh process."""
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-c", CHILD, *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
        check=False,
    )
    *_, peak = done.stderr.strip().splitlines()
    return done.returncode, done.stdout + done.stderr, int(peak.split()[1])


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (lambda p: stray_value_at(p, "XFD1048576"), "XFD1048576"),
        (lambda p: stray_value_at(p, "BH1048576"), "BH1048576"),
        (zip_bomb, "compressieverhouding"),
        (shared_strings_bomb, "gedeelde teksten"),
    ],
    ids=["value-in-XFD1048576", "value-in-BH1048576", "zip-bomb", "shared-strings"],
)
def test_a_hostile_workbook_ends_in_a_message_within_512_mb(
    tmp_path: Path, build: object, expected: str
) -> None:
    """Each reproduction of issue 9, item 4: exit 3, the limit and the value named, no
    traceback, peak memory of the whole process under 512 MB."""
    path = build(tmp_path / "vijandig.xlsx")  # type: ignore[operator]
    code, output, peak = run_cli_measured("validate", str(path))
    assert code == 3, output
    assert "Fout: Het bestand 'vijandig.xlsx' wordt niet ingelezen" in output
    assert expected in output
    assert "de grens is" in output
    assert "Traceback" not in output
    assert peak < PEAK_MEMORY_KB, peak


def test_a_value_past_excels_last_column_is_refused(tmp_path: Path) -> None:
    """XFE1 is no cell of any spreadsheet."""
    path = stray_value_at(tmp_path / "a.xlsx", "XFE1")
    with pytest.raises(LimitExceededError, match=r"XFE1.*XFD1048576, de laatste cel"):
        read_workbook(path)


def test_a_reference_of_absurd_length_is_refused(tmp_path: Path) -> None:
    """AAAA99999999 is past the grid; the exact scan refuses it without parsing further."""
    path = stray_value_at(tmp_path / "a.xlsx", "AAAA99999999")
    with pytest.raises(LimitExceededError, match="de laatste cel die Excel kent"):
        read_workbook(path)


def test_a_mostly_empty_used_range_is_refused_with_the_stray_cell_named(tmp_path: Path) -> None:
    """A1 and AD1048576 span 31 million cells for two values: within the size limit, not
    within the empty-cells limit."""
    path = stray_value_at(tmp_path / "a.xlsx", "AD1048576")
    with pytest.raises(LimitExceededError) as caught:
        read_workbook(path)
    assert "met maar 2 gevulde cellen" in str(caught.value)
    assert "tot cel AD1048576" in str(caught.value)


def test_a_formatted_empty_cell_far_away_is_no_reason_to_refuse(tmp_path: Path) -> None:
    """Excel writes formatted empty cells; calamine skips them, and so do the limits."""
    rows = HEADER_ROW + '<row r="2">' + text_cell("A2", "0101") + "</row>"
    rows += '<row r="1048576"><c r="XFD1048576" s="1"/></row>'
    path = write_raw(tmp_path / "a.xlsx", {"Relaties": sheet_xml(rows)})
    assert list(read_workbook(path).sheets["relations"].data["relation_number"]) == ["0101"]


def test_a_dimension_that_lies_is_not_believed(tmp_path: Path) -> None:
    """<dimension ref="A1:XFD1048576"> on a small sheet: the cells decide, not the claim."""
    rows = HEADER_ROW + '<row r="2">' + text_cell("A2", "0101") + "</row>"
    path = write_raw(tmp_path / "a.xlsx", {"Relaties": sheet_xml(rows, "A1:XFD1048576")})
    assert len(read_workbook(path).sheets["relations"].data) == 1


def test_cells_without_references_are_counted_where_calamine_puts_them(tmp_path: Path) -> None:
    """No r attributes: the exact scan counts the next column, and 20,000 of them in one row
    are past Excel's last column."""
    cells = "".join(f"<c><v>{i}</v></c>" for i in range(20_000))
    path = write_raw(tmp_path / "a.xlsx", {"Relaties": sheet_xml(f"<row>{cells}</row>")})
    with pytest.raises(LimitExceededError, match="de laatste cel van blad 'Relaties'"):
        read_workbook(path)


def test_a_sheet_with_a_namespace_prefix_is_read(tmp_path: Path) -> None:
    """<x:c r="A1"> as some .NET tools write it is counted like <c r="A1">."""
    rows = (
        '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>Relatienummer</x:t></x:is></x:c>'
        '</x:row><x:row r="2"><x:c r="A2" t="inlineStr"><x:is><x:t>0101</x:t></x:is></x:c>'
        "</x:row>"
    )
    path = write_raw(tmp_path / "a.xlsx", {"Relaties": sheet_xml(rows, prefix="x")})
    assert list(read_workbook(path).sheets["relations"].data["relation_number"]) == ["0101"]


def test_a_part_that_is_larger_than_the_zip_says_is_damaged(tmp_path: Path) -> None:
    """The central directory claims 100 bytes fewer than the sheet inflates to: zipfile stops
    at the claim, the CRC does not match, and the file is reported as damaged."""
    path = valid_book().write(tmp_path / "a.xlsx")
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet3.xml")
    name = info.filename.encode()
    central = data.find(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(name)] != name:
        central = data.find(b"PK\x01\x02", central + 4)
    size_at = central + 24
    data[size_at : size_at + 4] = (info.file_size - 100).to_bytes(4, "little")
    local = info.header_offset + 22
    data[local : local + 4] = (info.file_size - 100).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with pytest.raises(UnreadableWorkbookError, match="beschadigd"):
        read_workbook(path)


def test_too_many_parts_are_refused_before_the_zip_is_opened(tmp_path: Path) -> None:
    """10,001 entries: more than any workbook has."""
    parts = {f"xl/media/x{i}.bin": b"" for i in range(limits.MAX_PARTS + 1)}
    path = write_raw(tmp_path / "a.xlsx", {"Relaties": sheet_xml(HEADER_ROW)}, extra_parts=parts)
    with pytest.raises(LimitExceededError, match="het aantal onderdelen"):
        read_workbook(path)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The size on disk is looked at first (the limit made small for the test)."""
    path = valid_book().write(tmp_path / "a.xlsx")
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 1024)
    with pytest.raises(LimitExceededError, match="de grootte van het bestand"):
        read_workbook(path)


def test_the_limits_admit_a_million_rows_of_thirty_columns() -> None:
    """The project's target size passes every limit on the used range."""
    assert within_limits(SheetScan(filled=1_000_000 * 30, last_row=1_000_001, last_column=30))
    assert within_limits(SheetScan(filled=1_048_575 * 2, last_row=1_048_576, last_column=38))
    # 100,000 rows x 15 columns written by XlsxWriter: 82 MB of XML at 11:1 (docs/limits.md).
    assert 82 * 10 * 2 * limits.MIB <= limits.MAX_PART_BYTES
    assert limits.MAX_COMPRESSION_RATIO > 11


def test_a_real_workbook_passes_the_package_check(tmp_path: Path) -> None:
    """The samples: every sheet checked, no error cells."""
    sample = REPO / "samples" / "onboarding-met-fouten.xlsx"
    scan = check_package(sample, sample.read_bytes(), lambda names: names)
    assert "Relaties" in scan.checked
    assert scan.errors == {}


def test_a_part_given_twice_is_damaged(tmp_path: Path) -> None:
    """Two entries named xl/worksheets/sheet1.xml: the small one checked, the other read would
    be a way around every limit."""
    path = write_raw(tmp_path / "a.xlsx", {"Relaties": sheet_xml(HEADER_ROW)})
    with zipfile.ZipFile(path, "a") as archive, pytest.warns(UserWarning, match="Duplicate"):
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml(HEADER_ROW))
    with pytest.raises(UnreadableWorkbookError, match="beschadigd"):
        read_workbook(path)
