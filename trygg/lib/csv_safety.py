"""Cells that a spreadsheet program will never run as a formula (CSV/formula injection, OWASP).

Excel, LibreOffice and Google Sheets treat a cell as a formula when its text starts with ``=``, ``+``, ``-`` or
``@`` — also after leading spaces, and after a tab or carriage return (which some of them strip). Every CSV
export writes text cells through :func:`safe_cell`; every XLSX export marks text cells as text with
:func:`keep_text` (openpyxl would otherwise store a leading ``=`` as a formula). Numbers are written as numbers
and are never touched: ``-3`` stays a negative number, but the *text* ``"-3+A1"`` gets its apostrophe.
"""

from __future__ import annotations

import re

_FORMULA = re.compile(r"^[ \t\r\n]*[=+\-@\t\r]")


def is_formula_like(text: str) -> bool:
    return bool(_FORMULA.match(text))


def safe_cell(value):
    """Text that could start a formula gets a leading apostrophe; other values are returned unchanged."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def keep_text(sheet) -> None:
    """Mark every text cell of an openpyxl worksheet as text, so nothing typed by a user becomes a formula."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
