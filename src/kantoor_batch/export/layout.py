"""How a workbook's text is laid out on screen and on paper, shared by every writer.

LibreOffice does not grow a row for wrapped text written by XlsxWriter or rustpy-xlsxwriter
(Excel does not either, until the cell is edited), so a writer sets the height of a row from
the text it holds: `text_lines` counts the lines a cell wraps to at its column's width, the
way both programs wrap, at spaces, a longer word on lines of its own.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

LINE_HEIGHT = 15.0  # points per line of the default 11-point font
MAX_ROW_HEIGHT = 409.0  # Excel's highest row
# On paper: A4 landscape, every column on one page width, the header row on every page, the
# sheet's name and the page number in the footer.
FOOTER = "&L&A&RPagina &P van &N"


def text_lines(text: str, width: float) -> int:
    """How many lines text takes in a column of width characters, wrapped at spaces (a word
    longer than the column takes lines of its own)."""
    width = max(width, 1.0)
    lines = 0
    for paragraph in text.split("\n"):
        length = 0
        count = 1
        for word in paragraph.split(" "):
            if length and length + 1 + len(word) > width:
                count += 1
                length = len(word)
            else:
                length += (1 if length else 0) + len(word)
            if len(word) > width:
                count += math.ceil(len(word) / width) - 1
                length = len(word) % int(width)
        lines += count
    return max(lines, 1)


def row_height(texts: Sequence[tuple[str, float]]) -> float:
    """The height of a row holding these (text, column width) cells: the tallest one."""
    lines = max((text_lines(text, width) for text, width in texts if text), default=1)
    return min(MAX_ROW_HEIGHT, LINE_HEIGHT * lines)


def header_width(header: str, width: float) -> float:
    """At least the longest word of the header (and a margin), so that it wraps between words
    and never inside one ('Loonheffingennumm/er')."""
    return max(width, max((len(word) for word in header.split()), default=0) + 2.0)


def print_setup(worksheet: Any, *, repeat_header: bool = True) -> None:
    """An XlsxWriter worksheet printed as kantoor-batch prints every sheet."""
    worksheet.set_paper(9)  # A4
    worksheet.set_landscape()
    worksheet.fit_to_pages(1, 0)
    if repeat_header:
        worksheet.repeat_rows(0)
    worksheet.set_footer(FOOTER)
