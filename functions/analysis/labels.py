"""What the office analysis calls its sections and figures in words (translated where they are shown:
the PDF in the office's language, the API's report in the reader's)."""

from __future__ import annotations

from typing import Any

from core.i18n import N_, translator

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

BOOKS = {
    "invoiced": N_("invoiced (with VAT)"),
    "credited": N_("credit notes"),
    "debited": N_("debit notes"),
    "collected": N_("collected"),
    "withheld_by_customers": N_("tax withheld by customers"),
    "refunded": N_("refunded to customers"),
    "sales_without_vat": N_("sales without VAT"),
    "billed": N_("bills approved (with VAT)"),
    "purchases_without_vat": N_("purchases without VAT"),
    "paid_to_vendors": N_("paid to vendors"),
    "output_vat": N_("output VAT"),
    "input_vat": N_("input VAT"),
    "vat_payable": N_("VAT payable (negative: refundable)"),
}
RETURNS = {
    "PP30": N_("VAT return ภ.พ.30"),
    "01/GTGT": N_("VAT return 01/GTGT"),
}
BOXES = {
    "PP30": {
        "1": N_("sales this month"),
        "2": N_("sales taxed at 0 %"),
        "3": N_("sales exempt from VAT"),
        "4": N_("taxable sales"),
        "5": N_("output tax"),
        "6": N_("purchases whose input tax may be deducted"),
        "7": N_("input tax"),
        "8": N_("tax to pay"),
        "9": N_("tax paid in excess"),
    },
    "01/GTGT": {
        "23": N_("purchases"),
        "24": N_("VAT on purchases"),
        "25": N_("input VAT deducted this period"),
        "26": N_("sales not subject to VAT"),
        "29": N_("sales at 0 %"),
        "30": N_("sales at 5 %"),
        "31": N_("VAT on sales at 5 %"),
        "32": N_("sales at 10 %"),
        "33": N_("VAT on sales at 10 %"),
        "34": N_("all sales"),
        "35": N_("all output VAT"),
        "36": N_("VAT arising in the period"),
    },
}


def labels(language: str) -> dict[str, Any]:
    """The names of the sections, figures, books and VAT return boxes in `language`."""
    _ = translator(language)
    return {
        "sections": {key: _(name) for key, name in SECTIONS.items()},
        "figures": {key: _(name) for key, name in FIGURES.items()},
        "books": {key: _(name) for key, name in BOOKS.items()},
        "returns": {key: _(name) for key, name in RETURNS.items()},
        "boxes": {form: {box: _(name) for box, name in boxes.items()} for form, boxes in BOXES.items()},
    }
