"""Only regular files are read: a FIFO would hang the run, /dev/zero would fill the memory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from kantoor_batch.cli import main
from kantoor_batch.errors import UnreadableWorkbookError
from kantoor_batch.read.workbook import read_workbook

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs (POSIX)")


def test_a_fifo_named_like_a_workbook_is_refused_without_waiting(tmp_path: Path) -> None:
    """Nobody writes to the pipe: the reader must not wait for it."""
    fifo = tmp_path / "klanten.xlsx"
    os.mkfifo(fifo)
    with pytest.raises(UnreadableWorkbookError, match=r"pijp \(FIFO\), geen gewoon bestand"):
        read_workbook(fifo)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_link_to_dev_zero_is_refused_before_reading(tmp_path: Path) -> None:
    """The link is followed and what it points at is a device, not a file."""
    link = tmp_path / "klanten.xlsx"
    link.symlink_to("/dev/zero")
    with pytest.raises(UnreadableWorkbookError, match="apparaat, geen gewoon bestand"):
        read_workbook(link)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_the_cli_refuses_a_device_with_exit_3(tmp_path: Path) -> None:
    """The same from the command line: a message, exit code 3, no traceback."""
    link = tmp_path / "klanten.xlsx"
    link.symlink_to("/dev/zero")
    result = CliRunner().invoke(main, ["validate", str(link)])
    assert result.exit_code == 3
    assert "Fout: Het bestand 'klanten.xlsx' is niet te lezen" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
