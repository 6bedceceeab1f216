"""CSV and XLSX downloads of the dashboard table: one row per period and region, the same figures and the
same small-count suppression as the page (a hidden value is an empty cell and its status says why).

CSV is written for Excel on a Swedish computer: UTF-8 with a byte order mark (else Excel guesses
Windows-1252), semicolon as separator and decimal comma (Swedish Excel's list separator and decimal sign),
numbers without thousands separators so that Excel reads them as numbers. XLSX keeps numbers as numbers
and adds a sheet "Om uttaget" with the indicator, source, selection and notes.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from trygg.lib.csv_safety import keep_text, safe_cell

from .dashboard import COMPARE_PEERS, SUPPRESSED_TEXT, Dashboard
from .suppression import threshold

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def headers() -> list[str]:
    return [
        _("Indikatorkod"),
        _("Indikator"),
        _("Enhet"),
        _("Uppdelning"),
        _("Period"),
        _("Regionkod"),
        _("Region"),
        _("Värde"),
        _("Visas som"),
        _("Status"),
        _("Preliminär"),
        _("Felmarginal"),
        _("Källa"),
    ]


def status_text(state: str) -> str:
    return {
        "ok": _("värde"),
        "small": _("under %(limit)s, redovisas inte") % {"limit": threshold()},
        "suppressed": _("redovisas inte av källan (%(symbol)s)") % {"symbol": SUPPRESSED_TEXT},
        "protected": _("dold för att skydda små tal (%(symbol)s)") % {"symbol": SUPPRESSED_TEXT},
        "missing": _("uppgift saknas"),
    }[state]


def export_rows(dashboard: Dashboard) -> list[list]:
    """The table in long form; values are numbers (None when hidden or missing)."""
    indicator = dashboard.indicator
    breakdown = dashboard.selection.breakdown.replace(";", ", ") or _("Totalt")
    rows = []
    for period, cells in dashboard.rows:
        for column, cell in zip(dashboard.columns, cells, strict=True):
            rows.append(
                [
                    indicator.code,
                    indicator.title,
                    indicator.get_unit_display(),
                    breakdown,
                    period,
                    "" if column.kind == COMPARE_PEERS else column.key,
                    column.label,
                    cell.value,
                    cell.text,
                    status_text(cell.state),
                    _("ja") if cell.preliminary else _("nej"),
                    cell.margin if cell.value is not None else None,
                    indicator.source,
                ]
            )
    return rows


def filename(dashboard: Dashboard, extension: str) -> str:
    return f"statistik-{slugify(dashboard.indicator.code.replace('.', '-'))}.{extension}"


def to_csv(dashboard: Dashboard) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers())
    for row in export_rows(dashboard):
        writer.writerow([_csv_value(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float | int):
        return decimal_comma(value)
    return safe_cell(str(value))  # never run as a formula


def decimal_comma(value: float) -> str:
    """8310.0 -> "8310", 23.5 -> "23,5", -0.25 -> "-0,25" (no thousands separator: Excel reads it as a number)."""
    number = float(value)
    text = str(int(number)) if number.is_integer() else f"{number:.10g}"
    return text.replace(".", ",")


def to_xlsx(dashboard: Dashboard, *, now: datetime | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Data")
    sheet.append(headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in export_rows(dashboard):
        sheet.append([_xlsx_text(v) for v in row])
    keep_text(sheet)  # text that looks like a formula stays text
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for letter, width in zip(
        "ABCDEFGHIJKLM", (16, 40, 14, 16, 10, 10, 22, 12, 10, 24, 10, 11, 30), strict=True
    ):
        sheet.column_dimensions[letter].width = width

    about = workbook.create_sheet(_("Om uttaget"))
    for label, value in _about(dashboard, now or timezone.now()):
        about.append([label, _xlsx_text(value)])
        about.cell(row=about.max_row, column=1).font = Font(bold=True)
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_text(value):
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _about(dashboard: Dashboard, now: datetime) -> list[tuple[str, str]]:
    indicator, selection = dashboard.indicator, dashboard.selection
    periods = f"{dashboard.periods[0]}–{dashboard.periods[-1]}" if dashboard.periods else _("inga")
    lines = [
        (_("Nyckeltal"), indicator.title),
        (_("Kod"), indicator.code),
        (_("Enhet"), indicator.get_unit_display()),
        (_("Källa"), indicator.source),
        (_("Beskrivning"), indicator.description),
        (_("Uppdelning"), selection.breakdown.replace(";", ", ") or _("Totalt")),
        (_("Områden"), ", ".join(c.label for c in dashboard.columns)),
        (_("Perioder"), periods),
        (_("Uttaget"), timezone.localtime(now).strftime("%Y-%m-%d %H:%M")),
        (
            _("Teckenförklaring"),
            _(
                "%(symbol)s = redovisas inte av källan (sekretess eller för osäker uppgift); tom cell med status ”uppgift saknas” = uppgiften saknas."
            )
            % {"symbol": SUPPRESSED_TEXT},
        ),
    ]
    if dashboard.suppression_note:
        lines.append((_("Små tal"), dashboard.suppression_note))
    lines += [(_("Anmärkning"), note) for note in dashboard.notes]
    return lines
