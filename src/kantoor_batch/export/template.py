"""The empty onboarding template, built from the active catalogues."""

from __future__ import annotations

from pathlib import Path

from kantoor_batch.catalogues import Catalogues
from kantoor_batch.export.onboarding_writer import write_onboarding_workbook

DEFAULT_TEMPLATE_NAME = "onboarding-sjabloon.xlsx"


def write_template(path: Path | str, catalogues: Catalogues | None = None) -> Path:
    path = Path(path)
    write_onboarding_workbook(path, catalogues or Catalogues())
    return path
