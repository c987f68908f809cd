"""The office analysis as a PDF: the month's figures next to the month before, and the charts."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from core.i18n import N_, translator
from core.pdf import new_pdf

SECTIONS = {
    "intake": N_("Document intake"),
    "invoicing": N_("Invoicing"),
    "payroll": N_("Payroll cheques"),
    "compliance": N_("Compliance"),
}
FIGURES = {
    "received": N_("documents received"),
    "by_type": N_("by type"),
    "filed": N_("filed"),
    "duplicate": N_("duplicates"),
    "quarantined": N_("quarantined"),
    "filed_share": N_("filed share"),
    "duplicate_share": N_("duplicate share"),
    "quarantined_share": N_("quarantined share"),
    "median_seconds_to_file": N_("median seconds to file"),
    "p95_seconds_to_file": N_("95th percentile seconds to file"),
    "reclassified": N_("reclassified"),
    "issued": N_("invoices issued"),
    "issued_total": N_("invoiced"),
    "collected": N_("collected"),
    "receivable_at_month_end": N_("owed at month end"),
    "days_sales_outstanding": N_("days sales outstanding"),
    "paid": N_("invoices paid"),
    "paid_on_time_share": N_("paid on time share"),
    "overdue_by_bucket": N_("overdue by age"),
    "reminders_sent": N_("reminders sent"),
    "paid_after_reminder": N_("paid after a reminder"),
    "voided": N_("voided"),
    "runs": N_("pay runs"),
    "cheques": N_("cheques"),
    "cheques_per_run": N_("cheques per run"),
    "handed_over": N_("handed over"),
    "handed_over_within_2_days_share": N_("handed over within 2 business days share"),
    "median_days_to_handover": N_("median business days to hand over"),
    "stale": N_("stale"),
    "reissued": N_("reissued"),
    "due": N_("obligations due"),
    "completed_on_time": N_("completed on time"),
    "completed_late": N_("completed late"),
    "still_overdue": N_("still overdue"),
    "escalations": N_("escalations"),
}


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
