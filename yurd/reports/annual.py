"""The annual report: key figures and charts as a PDF (WeasyPrint), in the reader's language.

Figures are the suppressed public ones (the report is meant to be published), charts
are server-side SVG, so the PDF needs no JavaScript and no network.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from yurd.reports.charts import bar_chart_svg
from yurd.reports.public import build_public_statistics, public_register_figures
from yurd.reports.selectors import StatisticsTable


def annual_context(*, year: int | None = None) -> dict[str, Any]:
    tables = build_public_statistics()
    charts = []
    for table in tables:
        # One bar per row, its total: the columns stay in the table under the chart.
        rows = [row for row in table.rows() if not row["is_total"]]
        svg = bar_chart_svg([str(row["label"]) for row in rows], [row["total"] for row in rows], title=_title(table))
        charts.append({"table": table, "svg": mark_safe(svg)})  # built from escaped text in charts.py
    first = tables[0]
    return {
        "year": year or dt.date.today().year,  # noqa: DTZ011 - a calendar year
        "households": first.table.grand_total.shown,
        "people": tables[1].table.grand_total.shown,
        "charts": charts,
        "register": public_register_figures(),
        "suppressed_mark": "x",
    }


def _title(table: StatisticsTable) -> str:
    return f"{str(table.measure.label).capitalize()} / {table.row_dimension.label}"


def annual_report_html(*, year: int | None = None) -> str:
    return render_to_string("reports/annual_report.html", annual_context(year=year))


def annual_report_pdf(*, year: int | None = None) -> bytes:
    from weasyprint import HTML  # noqa: PLC0415 - WeasyPrint loads Pango; only PDFs need it

    return HTML(string=annual_report_html(year=year)).write_pdf()
