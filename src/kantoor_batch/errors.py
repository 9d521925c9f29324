"""Exceptions that stop a run. Problems found in the data are Issues (issues.py), not exceptions.

Each message is Dutch and says what to do, because the CLI prints it as it is.
"""

from __future__ import annotations

from pathlib import Path


class KantoorBatchError(Exception):
    """Base of every error that stops a run; the CLI prints it without a traceback."""


class UnreadableWorkbookError(KantoorBatchError):
    """The input file cannot be read as an Excel workbook at all."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"Het bestand '{path.name}' is niet te lezen als Excel-werkmap: {reason}")


class ConfigError(KantoorBatchError):
    """The catalogue configuration file is missing or invalid."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        super().__init__(f"Het configuratiebestand '{path}' is ongeldig: {reason}")


class OutputNotWritableError(KantoorBatchError):
    """An output workbook cannot be written (open in Excel, folder missing, no rights)."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        super().__init__(
            f"Kan '{path}' niet schrijven: {reason}. Sluit het bestand als het open staat in "
            "Excel of LibreOffice, of kies een andere map met -o."
        )


class StoreUnavailableError(KantoorBatchError):
    """The store cannot be opened or used (server down, wrong URL, locked too long)."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        super().__init__(
            f"De database '{url}' is niet bereikbaar: {reason}. Controleer --db of "
            "KANTOOR_BATCH_DB en of de databaseserver draait."
        )


class LimitExceededError(UnreadableWorkbookError):
    """The workbook is past one of the limits of limits.py; nothing of it was read."""

    def __init__(self, path: Path, what: str, found: str, limit: str, advice: str) -> None:
        self.path, self.what, self.found, self.limit = path, what, found, limit
        self.reason = f"{what} is {found}, de grens is {limit}"
        KantoorBatchError.__init__(
            self,
            f"Het bestand '{path.name}' wordt niet ingelezen: {self.reason} (zie "
            f"docs/limits.md). {advice}",
        )


class WrongUseError(KantoorBatchError):
    """The command was asked something it cannot do (exit code 2): an in-memory or workbook
    file as the store, a malformed store URL, an output that would overwrite the input."""


class StoreError(KantoorBatchError):
    """The store failed during a run (not a database, damaged, disk full); the transaction was
    rolled back, so nothing of the run is stored."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        super().__init__(
            f"De database '{url}' is niet te gebruiken: {reason}. Er is niets opgeslagen."
        )


class StoreBusyError(KantoorBatchError):
    """Another run held the store longer than this run would wait; nothing was stored."""

    def __init__(self, url: str, seconds: float) -> None:
        self.url = url
        super().__init__(
            f"De database '{url}' is bezet door een andere run (import, plan of undo) en bleef "
            f"dat langer dan {seconds:g} seconden. Er is niets opgeslagen. Probeer het opnieuw "
            "als die run klaar is, of wacht langer met --wait SECONDEN."
        )
