"""What the readers of tables refuse: their limits (docs/limits.md) and their error."""

from __future__ import annotations

from itss.errors import ItssError

# Excel's own: no workbook it writes goes past them.
ROWS = 1_048_576
COLUMNS = 16_384
CELL_CHARS = 32_767
# Ours: far above any real workbook of an organisation, far below what hurts the machine.
FILE_BYTES = 1 << 30  # an .xlsx import file on disk
# A CSV file is read line by line, never held whole: its size costs time, not memory (an
# organisation of 1.3 million people is about 1.6 GB of CSV).
CSV_BYTES = 16 << 30
SHEET_PART_BYTES = 1 << 30  # a worksheet once uncompressed (streamed, never held whole)
STRINGS_PART_BYTES = 100 << 20  # the shared strings, which openpyxl holds in memory
OTHER_PART_BYTES = 16 << 20  # styles, workbook, relationships ... (parsed whole)
TOTAL_BYTES = 2 << 30  # all parts once uncompressed
RATIO = 100  # uncompressed / compressed, for a part past RATIO_FROM (as Apache POI does)
RATIO_FROM = 1 << 20
# A cell of CELL_CHARS characters is at most this many bytes of XML (`&#x10FFFF;` each):
# any longer run of bytes between two tags is not a cell any spreadsheet wrote.
TEXT_BYTES = CELL_CHARS * 10


class TableFileError(ItssError):
    """A file cannot be read or written as a table."""
