"""The office analysis as a PDF: the month's figures next to the month before, and the charts."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from analysis.labels import BOOKS, BOXES, FIGURES, RETURNS, SECTIONS
from core.i18n import translator
from core.pdf import new_pdf


def _text(value: Any, name: str = "") -> str:
    if value is not None and name.endswith("_share"):
        return f"{Decimal(value) * 100:.1f} %"
    if value is None:
        return "—"
    if isinstance(value, dict):
        return ", ".join(f"{k} {_text(v)}" for k, v in value.items()) or "—"
    if isinstance(value, Decimal) and value == value.to_integral_value() and abs(value) < 10**12:
        exponent = value.as_tuple().exponent
        return str(int(value)) if isinstance(exponent, int) and exponent >= 0 else str(value)
    return str(value)


def render(report: dict[str, Any], charts: dict[str, str], business: str, language: str = "en") -> bytes:
    """A4 in `language`: one table per capability (this month, last month), then one chart per half
    page (the charts drawn in the same language)."""
    _ = translator(language)
    pdf = new_pdf(f"Office analysis {report['month']}")
    pdf.add_page()
    pdf.set_font("Noto", "B", 18)
    heading = _("{business}: office analysis, {month}").format(business=business, month=report["month"])
    pdf.multi_cell(0, 10, heading, new_x="LMARGIN", new_y="NEXT")
    rows = report["figures"]
    current, before = rows[-1], rows[-2] if len(rows) > 1 else None
    for key, title in SECTIONS.items():
        pdf.set_font("Noto", "B", 13)
        pdf.cell(0, 9, _(title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Noto", "", 9)
        with pdf.table(col_widths=(70, 60, 60), text_align=("LEFT", "RIGHT", "RIGHT")) as table:
            table.row(["", current["month"], before["month"] if before else ""])
            for name, value in current[key].items():
                previous = before[key].get(name) if before else None
                label = _(FIGURES[name]) if name in FIGURES else name.replace("_", " ")
                table.row([label, _text(value, name), _text(previous, name) if before else ""])
    for svg in charts.values():
        if pdf.get_y() > 190:
            pdf.add_page()
        pdf.image(io.BytesIO(svg.encode()), w=170)
        pdf.ln(4)
    return bytes(pdf.output())


def render_summary(built: dict[str, Any], business: str, language: str = "en") -> bytes:
    """The month's books on A4 in `language`: one table per currency, the VAT return's boxes, and
    what later changes carried in from closed months."""
    _ = translator(language)
    pdf = new_pdf(f"Monthly summary {built['month']}")
    pdf.add_page()
    pdf.set_font("Noto", "B", 18)
    heading = _("{business}: income, expenses and VAT, {month}").format(
        business=business, month=built["month"]
    )
    pdf.multi_cell(0, 10, heading, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Noto", "", 9)
    pdf.multi_cell(
        0,
        6,
        _("Closed: later changes are counted in the month they happen.")
        if built["closed"]
        else _("Open: figures change until the month is closed."),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    for currency, figures in built["currencies"].items():
        pdf.set_font("Noto", "B", 13)
        pdf.cell(0, 9, currency, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Noto", "", 9)
        with pdf.table(col_widths=(110, 60), text_align=("LEFT", "RIGHT")) as table:
            for name, value in figures.items():
                table.row([_(BOOKS[name]), _text(value)])
    if "return" in built:
        form = built["return"]
        pdf.set_font("Noto", "B", 13)
        pdf.cell(0, 9, f"{_(RETURNS[form['form']])} ({form['currency']})", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Noto", "", 9)
        with pdf.table(col_widths=(20, 90, 60), text_align=("LEFT", "LEFT", "RIGHT")) as table:
            for box, value in form["boxes"].items():
                table.row([f"[{box}]", _(BOXES[form["form"]][box]), _text(value)])
    for note in built["carried"]:
        pdf.set_font("Noto", "", 9)
        moved = ", ".join(f"{name} {value}" for name, value in note["figures"].items())
        pdf.multi_cell(
            0,
            6,
            _("Carried from the closed month {month}: {figures}").format(month=note["from"], figures=moved),
            new_x="LMARGIN",
            new_y="NEXT",
        )
    return bytes(pdf.output())
