"""The invoice PDF (fpdf2), in the form the office's country asks for, with embedded Noto fonts.

Thailand (Revenue Code section 86/4): "ใบกำกับภาษี" with the seller's and buyer's tax ids and branches
("สำนักงานใหญ่" or "สาขาที่ 00001"), "ต้นฉบับ" on the original, VAT apart from the price and the total
in Thai words. Vietnam: "HÓA ĐƠN GIÁ TRỊ GIA TĂNG" with both tax codes (MST) and "Số tiền viết bằng
chữ". Elsewhere: an invoice in English. Labels in the country's language carry the English beside them.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from core.errors import not_found
from core.i18n import N_
from core.money import display_amount, display_number, round_money
from core.pdf import new_pdf
from core.words import amount_in_words
from invoicing import payqr
from invoicing.arithmetic import note_net_and_tax
from invoicing.forms import form_of, original_of, party_block, written_date, written_number, written_series
from invoicing.model import CreditNote, Customer, DebitNote, Invoice, Line, Payment
from invoicing.quotes import Quote
from invoicing.rules import as_issued


def _head(pdf: Any, title: str, mark: str) -> None:
    """A new page with the document's title and, where the law marks it, "original" or "copy"."""
    pdf.add_page()
    pdf.set_font("Noto", "B", 16)
    pdf.cell(0, 10, title, new_x="LMARGIN", new_y="NEXT")
    if mark:
        pdf.set_font("Noto", "", 9)
        pdf.cell(0, 5, mark, new_x="LMARGIN", new_y="NEXT")


def _seller(pdf: Any, words: dict[str, str], seller: dict[str, str]) -> None:
    pdf.set_font("Noto", "", 10)
    seller_block = party_block(
        words, seller.get("name", ""), seller.get("address"), seller.get("tax_id"), seller.get("branch")
    )
    pdf.multi_cell(0, 5, seller_block)
    pdf.ln(4)


def _buyer(pdf: Any, words: dict[str, str], customer: Customer) -> None:
    pdf.set_font("Noto", "B", 10)
    pdf.cell(0, 6, words["bill_to"], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Noto", "", 10)
    buyer = party_block(words, customer.name, customer.address, customer.tax_id, customer.branch)
    pdf.multi_cell(0, 5, f"{buyer}\n{customer.email}")
    pdf.ln(4)


def _facts(pdf: Any, facts: list[tuple[str, str]]) -> None:
    """Label and value pairs, the values aligned after the longest label."""
    pdf.set_font("Noto", "B", 10)
    width = max(pdf.get_string_width(label) for label, _ in facts) + 4
    for label, value in facts:
        pdf.set_font("Noto", "B", 10)
        pdf.cell(width, 6, label)
        pdf.set_font("Noto", "", 10)
        pdf.multi_cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _lines(pdf: Any, words: dict[str, str], lines: list[Line], money: str, language: str) -> None:
    from fpdf.fonts import FontFace

    heading = FontFace(emphasis="BOLD", fill_color=(235, 235, 235))
    with pdf.table(
        col_widths=(80, 20, 30, 18, 32),
        text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
        headings_style=heading,
    ) as table:
        table.row([words[key] for key in ("description", "quantity", "unit_price", "tax_rate", "amount")])
        for line in lines:
            amounts = [display_number(line.quantity, language), display_number(line.unit_price, language)]
            amounts.append(str(line.tax_rate))
            table.row([line.description, *amounts, display_amount(line.line_net, money, language)])
    pdf.ln(3)


def _amounts(pdf: Any, rows: list[tuple[str, Any, bool]], money: str, language: str) -> None:
    """Label and amount rows aligned right, the bold ones for totals."""
    for label, amount, bold in rows:
        pdf.set_font("Noto", "B" if bold else "", 10)
        pdf.cell(140, 6, label, align="R")
        shown = f"{display_amount(amount, money, language)} {money}"
        pdf.cell(40, 6, shown, align="R", new_x="LMARGIN", new_y="NEXT")


def _tax_label(words: dict[str, str], rate: Decimal, base: Decimal, money: str, language: str) -> str:
    return words["tax"].format(rate=rate, base=display_amount(base, money, language))


def _in_words(pdf: Any, words: dict[str, str], amount: Any, money: str, language: str) -> None:
    spelled = amount_in_words(amount, money, language)
    if spelled:
        pdf.set_font("Noto", "", 10)
        pdf.cell(0, 6, f"{words['in_words']}: {spelled}", align="R", new_x="LMARGIN", new_y="NEXT")


def _pay_by_qr(
    pdf: Any, words: dict[str, str], code: payqr.PaymentQr, invoice: Invoice, language: str
) -> None:
    """The payment QR code for the amount due, 35 mm square, with what it pays beside it."""
    size = 35
    if pdf.get_y() + size + 8 > pdf.h - pdf.b_margin:
        pdf.add_page()
    top = pdf.get_y() + 4
    pdf.image(io.BytesIO(code.png()), x=pdf.l_margin, y=top, w=size, h=size)
    pdf.set_xy(pdf.l_margin + size + 4, top + size / 2 - 5)
    pdf.set_font("Noto", "", 9)
    facts = {
        "amount": f"{display_amount(invoice.amount_due, invoice.currency, language)} {invoice.currency}",
        "scheme": code.name,
        "number": invoice.number,
    }
    pdf.multi_cell(0, 5, words["scan_to_pay"].format(**facts), new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(top + size + 2)


def _receipt_of(invoice: Invoice, number: str) -> Payment:
    payment = next((p for p in invoice.payments if p.receipt_number == number), None)
    if payment is None:
        raise not_found(N_("receipt"), number)
    return payment


def render_receipt(invoice: Invoice, number: str, seller: dict[str, str]) -> bytes:
    """The receipt of one payment: the money received, the tax withheld, what the two settle and what
    remains. Thailand: "ใบเสร็จรับเงิน" (Revenue Code section 105 bis); where the office issues the tax
    invoice on payment (`receipts` combined), "ใบกำกับภาษี/ใบเสร็จรับเงิน" with the invoice's lines
    and the VAT in the payment: the invoice's VAT in the share the payment settles, rounded half up."""
    payment = _receipt_of(invoice, number)
    words, language = form_of(seller)
    combined = seller.get("receipts") == "combined"
    money = invoice.currency
    pdf: Any = new_pdf(f"Receipt {number}")
    _head(pdf, words["tax_receipt" if combined else "receipt"], words["original"])
    _seller(pdf, words, seller)
    method = words.get(payment.method, payment.method)
    facts = [
        (words["number"], number),
        (words["issue_date"], written_date(payment.date, seller)),
        (words["invoice"], original_of(words, invoice, seller)),
        (words["method"], method),
        *([(words["reference"], payment.reference)] if payment.reference else []),
        *([(words["certificate"], payment.certificate_number)] if payment.certificate_number else []),
    ]
    _facts(pdf, facts)
    pdf.set_font("Noto", "B", 10)
    pdf.cell(0, 6, words["received_from"], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Noto", "", 10)
    customer = invoice.customer
    pdf.multi_cell(
        0, 5, party_block(words, customer.name, customer.address, customer.tax_id, customer.branch)
    )
    pdf.ln(4)
    if combined:
        _lines(pdf, words, invoice.lines, money, language)
    else:
        pdf.set_font("Noto", "", 10)
        pdf.multi_cell(0, 6, words["payment_for"].format(number=invoice.number or "—"))
        pdf.ln(2)
    upto = invoice.payments[: invoice.payments.index(payment) + 1]
    credited = sum((c.amount for c in invoice.credit_notes if c.date <= payment.date), 0)
    balance = invoice.total - credited - sum((p.settles for p in upto), 0)
    rows: list[tuple[str, Any, bool]] = [(words["received"], payment.amount, False)]
    if payment.withheld:
        rate = f" {payment.withholding_rate}%" if payment.withholding_rate else ""
        rows.append((f"{words['withheld']}{rate}", payment.withheld, False))
    rows.append((words["settled"], payment.settles, True))
    if combined and invoice.total:  # the tax invoice of this payment: the value it pays for, and its VAT
        tax = round_money(payment.settles * invoice.tax_total / invoice.total, money)
        rows += [(words["payment_value"], payment.settles - tax, False), (words["payment_tax"], tax, False)]
    rows.append((words["balance"], balance, False))
    _amounts(pdf, rows, money, language)
    _in_words(pdf, words, payment.settles, money, language)
    return bytes(pdf.output())


def _net_and_tax(invoice: Invoice, note: CreditNote) -> tuple[Decimal, Decimal]:
    lines_tax = sum((line.tax_amount for line in note.lines), Decimal(0)) if note.lines else None
    return note_net_and_tax(note.amount, lines_tax, invoice.tax_total, invoice.total, invoice.currency)


def render_note(invoice: Invoice, number: str, seller: dict[str, str], *, debit: bool = False) -> bytes:
    """A credit or debit note of the invoice, as Thai law asks of both (Revenue Code sections 86/9 and
    86/10): the original's number and date, the reason, the value before it (the original's, after any
    earlier notes), the correct value, the difference and the tax on it — figures that agree."""
    notes = sorted([*invoice.credit_notes, *invoice.debit_notes], key=lambda n: (n.date, n.number))
    note = next((n for n in notes if n.number == number and isinstance(n, DebitNote) == debit), None)
    if note is None:
        raise not_found(N_("debit note") if debit else N_("credit note"), number)
    words, language = form_of(seller)
    money = invoice.currency
    pdf: Any = new_pdf(f"{'Debit' if debit else 'Credit'} note {note.number}")
    _head(pdf, words["debit_note" if debit else "credit_note"], words["original"])
    _seller(pdf, words, seller)
    original = original_of(words, invoice, seller)
    facts = [
        (words["number"], note.number),
        (words["issue_date"], written_date(note.date, seller)),
        (words["original_invoice"], original),
        (words["debit_reason" if debit else "reason"], note.reason),
    ]
    _facts(pdf, facts)
    _buyer(pdf, words, invoice.customer)
    if note.lines:
        _lines(pdf, words, note.lines, money, language)
    earlier = notes[: notes.index(note)]
    before = invoice.subtotal + sum(
        (_net_and_tax(invoice, n)[0] * (1 if isinstance(n, DebitNote) else -1) for n in earlier), Decimal(0)
    )  # the value the buyer was charged before this note: the original's, after the notes before it
    net, tax = _net_and_tax(invoice, note)
    rows = [(words["original_value"], invoice.subtotal, False)]
    if earlier:  # §86/9–10: the original's value, and what the notes before this one left
        rows.append((words["value_before"], before, False))
    rows += [
        (words["correct_value"], before + (net if debit else -net), False),
        (words["difference"], net, False),
        (words["difference_tax"], tax, False),
        (
            f"{words['debited_value' if debit else 'credited_value']} ({words['tax_included']})",
            note.amount,
            True,
        ),
    ]
    _amounts(pdf, rows, money, language)
    _in_words(pdf, words, note.amount, money, language)
    return bytes(pdf.output())


def render(invoice: Invoice, seller: dict[str, str], *, copy: bool = False) -> bytes:
    """The invoice as a one-or-more-page A4 PDF, in the form of the seller's `country`, as it was issued
    (`rules.as_issued`: later payments and notes have documents of their own): the original (the one
    emailed to the customer) or, where the law marks them, a copy; a void one marked void, owing nothing."""
    void = invoice.status.value == "void"  # the notice of a void: as it is (nothing owed on it)
    reason = invoice.void_reason
    invoice = invoice if void else as_issued(invoice)
    words, language = form_of(seller)
    pdf: Any = new_pdf(f"Invoice {invoice.number or 'draft'}")
    money = invoice.currency
    issued = words["billing"] if seller.get("receipts") == "combined" else words["title"]
    if invoice.status.value == "draft":
        _head(pdf, words["draft"], "")
    else:
        _head(pdf, issued, words["copy"] if copy else words["original"])
    if void:
        pdf.set_font("Noto", "B", 12)
        pdf.set_text_color(180, 35, 24)
        pdf.multi_cell(0, 7, words["void"].format(reason=reason or ""), new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
    _seller(pdf, words, seller)
    facts = [
        *([(words["form"], seller["form"])] if "form" in words and seller.get("form") else []),
        *(
            [(words["series"], written_series(seller, invoice.issue_date))]
            if "series" in words and seller.get("series")
            else []
        ),
        (words["number"], written_number(invoice.number, seller)),
        (words["issue_date"], written_date(invoice.issue_date, seller)),
        (words["due_date"], written_date(invoice.due_date, seller)),
        (words["currency"], money),
    ]
    _facts(pdf, facts)
    _buyer(pdf, words, invoice.customer)

    _lines(pdf, words, invoice.lines, money, language)
    summary = [(words["subtotal"], invoice.subtotal)]
    summary += [
        (
            words["tax"].format(rate=t.rate, base=display_amount(t.taxable_amount, money, language)),
            t.tax_amount,
        )
        for t in invoice.tax_breakdown
    ]
    summary += [(words["total"], invoice.total)]
    if invoice.amount_paid:
        summary.append((words["paid"], invoice.amount_paid))
    if invoice.amount_withheld:
        summary.append((words["withheld"], invoice.amount_withheld))
    if invoice.amount_credited:
        summary.append((words["credited"], invoice.amount_credited))
    summary.append((words["amount_due"], invoice.amount_due))
    _amounts(
        pdf,
        [(label, amount, label in (words["total"], words["amount_due"])) for label, amount in summary],
        money,
        language,
    )
    _in_words(pdf, words, invoice.total, money, language)
    code = payqr.for_invoice(invoice, seller)
    if code:
        _pay_by_qr(pdf, words, code, invoice, language)
    if invoice.notes:
        pdf.ln(4)
        pdf.set_font("Noto", "", 9)
        pdf.multi_cell(0, 5, invoice.notes)
    return bytes(pdf.output())


def render_quote(quote: Quote, seller: dict[str, str]) -> bytes:
    """The quote as an A4 PDF in the seller's country's words: the offer, its prices and taxes, and the
    day it stands until."""
    words, language = form_of(seller)
    pdf: Any = new_pdf(f"Quote {quote.number or 'draft'}")
    money = quote.currency
    _head(pdf, words["quote"], "")
    _seller(pdf, words, seller)
    _facts(
        pdf,
        [
            (words["number"], quote.number or "—"),
            (words["issue_date"], written_date(quote.sent_on, seller)),
            (words["valid_until"], written_date(quote.valid_until, seller)),
            (words["currency"], money),
        ],
    )
    _buyer(pdf, words, quote.customer)
    lines = [
        Line(
            description=line["description"],
            quantity=Decimal(line["quantity"]),
            unit_price=Decimal(line["unit_price"]),
            tax_rate=Decimal(line["tax_rate"]),
            line_net=Decimal(line["net"]),
            tax_amount=Decimal(line["tax"]),
            line_total=Decimal(line["net"]) + Decimal(line["tax"]),
        )
        for line in quote.priced
    ]
    _lines(pdf, words, lines, money, language)
    summary = [(words["subtotal"], quote.subtotal, False)]
    summary += [
        (
            words["tax"].format(rate=t.rate, base=display_amount(t.taxable_amount, money, language)),
            t.tax_amount,
            False,
        )
        for t in quote.tax_breakdown
    ]
    _amounts(pdf, [*summary, (words["total"], quote.total, True)], money, language)
    _in_words(pdf, words, quote.total, money, language)
    if quote.notes:
        pdf.ln(4)
        pdf.set_font("Noto", "", 9)
        pdf.multi_cell(0, 5, quote.notes)
    return bytes(pdf.output())
