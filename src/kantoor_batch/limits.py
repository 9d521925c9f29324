"""Every limit on an input workbook, in one place; docs/limits.md explains each one.

They are checked before any cell is read (read/package.py), so that a small hostile file
cannot make the reader allocate gigabytes. They are set so that a real onboarding workbook of
a million rows and thirty-odd columns passes: Excel's own grid is 1,048,576 rows by 16,384
columns, and a sheet of 100,000 rows x 15 columns written by XlsxWriter is 82 MB of XML that
deflates 11:1 (measured for docs/limits.md).
"""

from __future__ import annotations

MIB = 1024 * 1024
GIB = 1024 * MIB

# The file on disk; it is read into memory whole (its checksum goes into the ledger).
MAX_FILE_BYTES = 1 * GIB
# Entries in the zip package (sheets, styles, images, ...); Excel writes a few dozen.
MAX_PARTS = 10_000
# Any one part, uncompressed, and all parts together.
MAX_PART_BYTES = 4 * GIB
MAX_TOTAL_BYTES = 8 * GIB
# Uncompressed / compressed size of one part: real sheets deflate 5-20:1, a zip bomb ~1000:1.
# Parts under MIN_RATIO_CHECK_BYTES are not held to it (tiny parts compress oddly).
MAX_COMPRESSION_RATIO = 100
MIN_RATIO_CHECK_BYTES = 1 * MIB
# workbook.xml and its relationships: the list of sheets, a few KB in any real workbook.
MAX_INDEX_PART_BYTES = 16 * MIB

# Excel's grid; a cell reference outside it is no spreadsheet.
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
# The reader holds a sheet's used range (A1 to the last cell) as a dense table of cells, about
# 40 bytes each, so these bound the memory one sheet takes.
MAX_SHEET_CELLS = 40_000_000  # a full Excel sheet of 38 columns
# A used range larger than SPARSE_GRACE_CELLS must hold at least one filled cell in every
# MAX_EMPTY_CELLS_PER_FILLED: a stray value at BH1048576 under ten rows is refused.
SPARSE_GRACE_CELLS = 2_097_152  # 80 MB of empty cells at most
MAX_EMPTY_CELLS_PER_FILLED = 64

# Shared strings (Excel's table of distinct texts): never more than the cells that use them.
MAX_SHARED_STRINGS = MAX_SHEET_CELLS
SHARED_STRINGS_GRACE = 100_000
