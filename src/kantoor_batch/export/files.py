"""Output files appear whole or not at all: each is written under a temporary name beside its
final one and renamed when complete, so a kill or a full disk halfway never leaves a truncated
workbook under the name the user opens."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kantoor_batch.errors import OutputNotWritableError


@contextmanager
def written_whole(path: Path) -> Iterator[Path]:
    """Yields the temporary path to write; on success it becomes path (same folder, so the
    rename is atomic), on failure it is removed."""
    temporary = path.with_name(f".~{path.stem}-{os.getpid()}{path.suffix}")
    try:
        yield temporary
        temporary.replace(path)
    except OSError as exc:
        raise OutputNotWritableError(path, exc.strerror or str(exc)) from exc
    finally:
        temporary.unlink(missing_ok=True)


def check_folder_writable(folder: Path) -> None:
    """Before a run stores anything: can its output files be written here?"""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".~kantoor-batch-"):
            pass
    except OSError as exc:
        raise OutputNotWritableError(folder, exc.strerror or str(exc)) from exc
