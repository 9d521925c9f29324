"""Output files appear whole or not at all: each is written under a temporary name beside its
final one and renamed when complete, so a kill or a full disk halfway never leaves a truncated
workbook under the name the user opens."""

from __future__ import annotations

import contextlib
import errno
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
        make_folder(path.parent, path)  # -o/-d may name a folder to create
        yield temporary
        temporary.replace(path)
    except OSError as exc:
        raise OutputNotWritableError(path, exc.strerror or str(exc)) from exc
    finally:
        # A folder that is no folder (-o /etc/passwd/x.xlsx) fails the unlink too: that error
        # must not take the place of the one that says what went wrong.
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


def make_folder(folder: Path, output: Path) -> None:
    """folder and its parents made if need be; a file where one of them should be is named
    (rather than 'File exists'), so the user sees what is in the way of output."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as exc:
        blocking = next((p for p in (folder, *folder.parents) if p.is_file()), folder)
        raise OutputNotWritableError(output, f"'{blocking}' is een bestand, geen map") from exc
    except OSError as exc:
        raise OutputNotWritableError(output, exc.strerror or str(exc)) from exc


def check_folder_writable(folder: Path) -> None:
    """Before a run stores anything: can its output files be written here? A folder that does
    not exist yet is not created now but when the files are written (written_whole), so a run
    that then stops leaves no empty folder behind: its nearest existing parent must be a
    folder we may create it in."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        if existing.is_symlink():  # a dangling link: mkdir would fail on it later
            break
        existing = existing.parent
    try:
        if existing != folder:
            if not existing.is_dir():
                raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(existing))
            if not os.access(existing, os.W_OK | os.X_OK):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(existing))
            return
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".~kantoor-batch-"):
            pass
    except OSError as exc:
        raise OutputNotWritableError(folder, exc.strerror or str(exc)) from exc
