"""Cells of every spreadsheet taizhang writes, made inert; and read back as they were typed.

Excel, WPS and LibreOffice take a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a formula
(and trim a leading tab or carriage return first): a topic typed as ``=HYPERLINK("http://…","点此")``
would become a link in the workbook a unit's admin downloads, ``+1+cmd|' /C calc'!A0`` a command.
Anyone who can type a title can plant one, a member in their 学习体会 included. So every cell of
every .xlsx and .csv the product writes goes through ``inert`` (``inert_row`` for a row, ``inert_set``
for a cell written in place), after OWASP's advice on CSV injection: in CSV a leading apostrophe,
which the programs show as text and never run; in .xlsx an explicit string cell (openpyxl would
otherwise make ``=…`` a formula and ``#N/A`` an error) with the quote-prefix style, which keeps it
text even when someone edits the cell.

The import reads our own files back to exactly what was typed: ``csv_unescaped`` drops the apostrophe
a CSV cell was given, and ``typed_text`` keeps a leading tab or carriage return that a clerk put in
front of a formula sign to keep it text (trimming it would make the cell a formula again). Numbers,
dates and everything not text pass through untouched.
"""

from __future__ import annotations

from collections.abc import Iterable

# What makes a program read a cell as a formula (tab and carriage return: trimmed, then read).
FORMULA_SIGNS = ("=", "+", "-", "@", "\t", "\r")
# openpyxl writes these strings as something other than text unless told (an error value: #N/A).
_NOT_TEXT = ("#",)
_QUOTED = (*FORMULA_SIGNS, "'")  # CSV: the apostrophe itself is escaped, so reading back is exact


def inert(value, sheet=None):
    """``value`` as a cell that shows what was typed and never runs.

    Without ``sheet``, for a CSV file: text beginning with a formula sign or an apostrophe gets a
    leading apostrophe (``csv_unescaped`` takes it off). With ``sheet`` (an openpyxl worksheet, also
    in write-only mode), text that openpyxl would write as a formula or an error becomes a string
    cell of that sheet, quote-prefixed, to be given to ``sheet.append``. Anything else is returned
    as it is.
    """
    if value.__class__ is not str or not value:
        return value
    if sheet is None:
        return f"'{value}" if value.startswith(_QUOTED) else value
    if not value.startswith(FORMULA_SIGNS) and not value.startswith(_NOT_TEXT):
        return value
    from openpyxl.cell.cell import TYPE_STRING, Cell

    cell = Cell(sheet, row=1, column=1, value=value)
    cell.data_type = TYPE_STRING  # after the value: setting it makes ``=…`` a formula
    cell.quotePrefix = True
    return cell


def inert_row(values: Iterable, sheet=None) -> list:
    """A row of ``inert`` cells, for ``csv.writer.writerow`` or ``sheet.append``."""
    return [inert(value, sheet) for value in values]


def inert_set(cell, value) -> None:
    """``value`` into ``cell``, a cell already in its sheet (for sheets not written row by row)."""
    cell.value = value
    made = inert(value, cell.parent)
    if made is not value:
        cell.data_type, cell.quotePrefix = made.data_type, made.quotePrefix


def csv_unescaped(text: str) -> str:
    """A CSV cell as it was before ``inert``: one leading apostrophe taken off (as Excel does)."""
    return text[1:] if text.startswith("'") else text


def typed_text(text: str) -> str:
    """A text cell trimmed of the spaces around it, but for a tab or carriage return in front of a
    formula sign: that one keeps the text from being a formula, and was typed for that reason."""
    stripped = text.strip()
    if text[:1] in ("\t", "\r") and stripped.startswith(FORMULA_SIGNS[:4]):
        return text.rstrip()
    return stripped
