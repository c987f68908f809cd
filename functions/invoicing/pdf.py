"""The invoice PDF (fpdf2), with embedded Noto fonts so Thai and Vietnamese print and extract."""

from __future__ import annotations

from core.money import format_amount
from core.pdf import new_pdf
from invoicing.model import Invoice


def render(invoice: Invoice, seller: dict[str, str]) -> bytes:
    """The invoice as a one-or-more-page A4 PDF."""
    from fpdf.fonts import FontFace

    pdf = new_pdf(f"Invoice {invoice.number or 'draft'}")
    pdf.add_page()
    money = invoice.currency

    pdf.set_font("Noto", "B", 18)
    pdf.cell(
        0,
        10,
        "INVOICE" if invoice.status.value != "draft" else "DRAFT INVOICE",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("Noto", "", 10)
    pdf.multi_cell(
        0, 5, "\n".join(v for v in (seller.get("name"), seller.get("address"), seller.get("tax_id")) if v)
    )
    pdf.ln(4)
    facts = [
        ("Number", invoice.number or "—"),
        ("Issue date", invoice.issue_date.isoformat() if invoice.issue_date else "—"),
        ("Due date", invoice.due_date.isoformat() if invoice.due_date else "—"),
        ("Currency", money),
    ]
    for label, value in facts:
        pdf.set_font("Noto", "B", 10)
        pdf.cell(30, 6, label)
        pdf.set_font("Noto", "", 10)
        pdf.cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Noto", "B", 10)
    pdf.cell(0, 6, "Bill to", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Noto", "", 10)
    customer = invoice.customer
    pdf.multi_cell(
        0, 5, "\n".join(v for v in (customer.name, customer.address, customer.tax_id, customer.email) if v)
    )
    pdf.ln(4)

    heading = FontFace(emphasis="BOLD", fill_color=(235, 235, 235))
    with pdf.table(
        col_widths=(80, 20, 30, 18, 32),
        text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
        headings_style=heading,
    ) as table:
        table.row(["Description", "Qty", "Unit price", "Tax %", "Amount"])
        for line in invoice.lines:
            table.row(
                [
                    line.description,
                    str(line.quantity),
                    str(line.unit_price),
                    str(line.tax_rate),
                    format_amount(line.line_net, money),
                ]
            )
    pdf.ln(3)
    summary = [("Subtotal", invoice.subtotal)]
    summary += [
        (f"Tax {t.rate}% on {format_amount(t.taxable_amount, money)}", t.tax_amount)
        for t in invoice.tax_breakdown
    ]
    summary += [("Total", invoice.total)]
    if invoice.amount_paid:
        summary.append(("Paid", invoice.amount_paid))
    if invoice.amount_credited:
        summary.append(("Credited", invoice.amount_credited))
    summary.append(("Amount due", invoice.amount_due))
    for label, amount in summary:
        bold = label in ("Total", "Amount due")
        pdf.set_font("Noto", "B" if bold else "", 10)
        pdf.cell(150, 6, label, align="R")
        pdf.cell(30, 6, f"{format_amount(amount, money)} {money}", align="R", new_x="LMARGIN", new_y="NEXT")
    if invoice.notes:
        pdf.ln(4)
        pdf.set_font("Noto", "", 9)
        pdf.multi_cell(0, 5, invoice.notes)
    return bytes(pdf.output())
