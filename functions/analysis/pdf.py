"""The office analysis as a PDF: the month's figures next to the month before, and the charts."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from analysis.labels import BOOKS, BOXES, FIGURES, RETURNS, SECTIONS
from core.i18n import translator
from core.money import round_money
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


def _money(value: Decimal, currency: str) -> str:
    return f"{round_money(Decimal(value), currency):,}"


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
    state = "Closed: later changes are counted in the month they happen."
    pdf.multi_cell(0, 6, _(state if built["closed"] else "Open: figures change until the month is closed."))
    pdf.ln(2)

    def table(title: str, rows: list[tuple[str, str]]) -> None:
        pdf.set_font("Noto", "B", 13)
        pdf.cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Noto", "", 9)
        with pdf.table(
            col_widths=(120, 50), text_align=("LEFT", "RIGHT"), first_row_as_headings=False
        ) as grid:
            for label, value in rows:
                grid.row([label, value])

    for currency, figures in built["currencies"].items():
        table(currency, [(_(BOOKS[name]), _money(value, currency)) for name, value in figures.items()])
    if "return" in built:
        form = built["return"]
        boxes = [
            (f"[{box}] {_(BOXES[form['form']][box])}", _money(v, form["currency"]))
            for box, v in form["boxes"].items()
        ]
        table(f"{_(RETURNS[form['form']])} ({form['currency']})", boxes)
    for note in built["carried"]:
        rows = [
            (_(BOOKS[name]), f"{_money(value, currency)} {currency}")
            for currency, figures in note["currencies"].items()
            for name, value in figures.items()
        ]
        table(_("Carried from the closed month {month}").format(month=note["from"]), rows)
    return bytes(pdf.output())
