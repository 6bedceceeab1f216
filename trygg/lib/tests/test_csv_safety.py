"""Formula injection: every cell that a spreadsheet would run as a formula is neutralised, in every export."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from trygg.lib.csv_safety import keep_text, safe_cell

HOSTILE = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    " =1+1",
    "   @cmd",
    '\n=HYPERLINK("https://evil.example")',
    "\tanything",
    "\rtext",
]
HARMLESS = ["Klotter på skolan", "1+1=2", "e-post", "Kungälv (1482)", "", "a = b"]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_like_text_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", HARMLESS)
def test_ordinary_text_is_unchanged(text):
    assert safe_cell(text) == text


@pytest.mark.parametrize("value", [-3, -0.25, 0, 12.5, None])
def test_numbers_and_empty_values_are_not_text(value):
    assert safe_cell(value) is value


def test_xlsx_text_cells_never_become_formulas(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HOSTILE + [42])
    keep_text(sheet)
    path = tmp_path / "export.xlsx"
    workbook.save(path)
    read = load_workbook(path).active
    values = [cell.value for cell in read[1]]
    assert values[: len(HOSTILE)] == HOSTILE and values[-1] == 42
    assert all(cell.data_type != "f" for cell in read[1])


def test_every_module_that_writes_csv_uses_the_shared_neutraliser():
    """A new CSV export that forgets the neutraliser fails here."""
    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.rglob("*.py"):
        if "/tests/" in str(path) or "/migrations/" in str(path):
            continue
        source = path.read_text(encoding="utf-8")
        if re.search(r"csv\.(writer|DictWriter)\(", source) and "safe_cell" not in source:
            offenders.append(str(path.relative_to(root)))
    assert offenders == []
