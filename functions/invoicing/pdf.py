"""The invoice PDF (fpdf2), in the form the office's country asks for, with embedded Noto fonts.

Thailand (Revenue Code section 86/4): "ใบกำกับภาษี" with the seller's and buyer's tax ids and branches
("สำนักงานใหญ่" or "สาขาที่ 00001"), "ต้นฉบับ" on the original, VAT apart from the price and the total
in Thai words. Vietnam: "HÓA ĐƠN GIÁ TRỊ GIA TĂNG" with both tax codes (MST) and "Số tiền viết bằng
chữ". Elsewhere: an invoice in English. Labels in the country's language carry the English beside them.
"""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal
from typing import Any

from core.errors import not_found
from core.money import display_amount, display_number, round_money
from core.pdf import new_pdf
from core.words import amount_in_words
from invoicing import payqr
from invoicing.arithmetic import note_net_and_tax
from invoicing.model import CreditNote, Customer, DebitNote, Invoice, Line, Payment
from invoicing.quotes import Quote
from invoicing.rules import as_issued

ENGLISH = {
    "title": "INVOICE",
    "draft": "DRAFT INVOICE",
    "original": "",
    "copy": "",
    "tax_id": "",
    "head_office": "",
    "branch": "",
    "number": "Number",
    "issue_date": "Issue date",
    "due_date": "Due date",
    "currency": "Currency",
    "bill_to": "Bill to",
    "description": "Description",
    "quantity": "Qty",
    "unit_price": "Unit price",
    "tax_rate": "Tax %",
    "amount": "Amount",
    "subtotal": "Subtotal",
    "tax": "Tax {rate}% on {base}",
    "total": "Total",
    "paid": "Paid",
    "withheld": "Tax withheld",
    "credited": "Credited",
    "amount_due": "Amount due",
    "in_words": "",
    "credit_note": "CREDIT NOTE",
    "original_invoice": "Original invoice",
    "of": "of",
    "reason": "Reason",
    "credited_value": "Credited",
    "tax_included": "Tax included",
    "debit_note": "DEBIT NOTE",
    "void": "VOID: {reason}",
    "scan_to_pay": "Scan with a bank app to pay {amount} ({scheme}, reference {number}).",
    "debit_reason": "Reason",
    "debited_value": "Debited",
    "original_value": "Value on the original invoice",
    "correct_value": "Correct value",
    "difference": "Difference",
    "difference_tax": "Tax on the difference",
    "billing": "INVOICE",
    "quote": "QUOTATION",
    "valid_until": "Valid until",
    "receipt": "RECEIPT",
    "tax_receipt": "RECEIPT",
    "received_from": "Received from",
    "invoice": "Invoice",
    "method": "Paid by",
    "reference": "Reference",
    "certificate": "Withholding tax certificate",
    "received": "Received",
    "settled": "Total settled",
    "balance": "Balance due",
    "payment_value": "Value before tax",
    "payment_tax": "Of which tax",
    "payment_for": "Payment for invoice {number}",
    "bank_transfer": "Bank transfer",
    "cash": "Cash",
    "card": "Card",
    "cheque": "Cheque",
}
THAI = {
    "title": "ใบกำกับภาษี / TAX INVOICE",
    "draft": "ร่างใบกำกับภาษี / DRAFT",
    "original": "ต้นฉบับ / ORIGINAL",
    "copy": "สำเนา / COPY",
    "tax_id": "เลขประจำตัวผู้เสียภาษี / Tax ID",
    "head_office": "สำนักงานใหญ่ / Head office",
    "branch": "สาขาที่ {branch} / Branch {branch}",
    "number": "เลขที่ / No.",
    "issue_date": "วันที่ / Date",
    "due_date": "ครบกำหนด / Due",
    "currency": "สกุลเงิน / Currency",
    "bill_to": "ผู้ซื้อ / Buyer",
    "description": "รายการ / Description",
    "quantity": "จำนวน",
    "unit_price": "ราคา/หน่วย",
    "tax_rate": "VAT %",
    "amount": "จำนวนเงิน",
    "subtotal": "มูลค่าสินค้า/บริการ / Subtotal",
    "tax": "ภาษีมูลค่าเพิ่ม / VAT {rate}% ({base})",
    "total": "จำนวนเงินรวมทั้งสิ้น / Total",
    "paid": "ชำระแล้ว / Paid",
    "withheld": "ภาษีหัก ณ ที่จ่าย / Tax withheld",
    "credited": "ลดหนี้ / Credited",
    "amount_due": "ยอดค้างชำระ / Amount due",
    "in_words": "ตัวอักษร / In words",
    "credit_note": "ใบลดหนี้ / CREDIT NOTE",
    "original_invoice": "ใบกำกับภาษีเดิมเลขที่ / Original tax invoice",
    "of": "ลงวันที่ / of",
    "reason": "เหตุที่ลดหนี้ / Reason",
    "credited_value": "มูลค่าที่ลดลง / Credited",
    "tax_included": "รวมภาษีมูลค่าเพิ่ม / VAT included",
    "debit_note": "ใบเพิ่มหนี้ / DEBIT NOTE",
    "void": "ยกเลิก / VOID: {reason}",
    "scan_to_pay": "สแกนด้วยแอปธนาคารเพื่อชำระ {amount} ({scheme} อ้างอิง {number})",
    "debit_reason": "เหตุที่เพิ่มหนี้ / Reason",
    "debited_value": "มูลค่าที่เพิ่มขึ้น / Debited",
    "original_value": "มูลค่าตามใบกำกับภาษีเดิม / Original value",
    "correct_value": "มูลค่าที่ถูกต้อง / Correct value",
    "difference": "ผลต่าง / Difference",
    "difference_tax": "ภาษีมูลค่าเพิ่มของผลต่าง / VAT on the difference",
    "billing": "ใบแจ้งหนี้ / INVOICE",
    "quote": "ใบเสนอราคา / QUOTATION",
    "valid_until": "ยืนราคาถึง / Valid until",
    "receipt": "ใบเสร็จรับเงิน / RECEIPT",
    "tax_receipt": "ใบกำกับภาษี/ใบเสร็จรับเงิน / TAX INVOICE/RECEIPT",
    "received_from": "ได้รับเงินจาก / Received from",
    "invoice": "อ้างอิงเอกสารเลขที่ / Invoice",
    "method": "ชำระโดย / Paid by",
    "reference": "เลขที่อ้างอิง / Reference",
    "certificate": "หนังสือรับรอง 50 ทวิ / WHT certificate",
    "received": "รับเงิน / Received",
    "settled": "รวมชำระ / Total settled",
    "balance": "ยอดคงเหลือ / Balance due",
    "payment_value": "มูลค่าสินค้าหรือบริการในยอดที่ชำระ / Value in this payment",
    "payment_tax": "ภาษีมูลค่าเพิ่มในยอดที่ชำระ / VAT in this payment",
    "payment_for": "ชำระเงินตามเอกสารเลขที่ {number} / Payment for invoice {number}",
    "bank_transfer": "โอนเงิน / Bank transfer",
    "cash": "เงินสด / Cash",
    "card": "บัตรเครดิต / Card",
    "cheque": "เช็ค / Cheque",
}
VIETNAMESE = {
    **ENGLISH,
    "title": "HÓA ĐƠN GIÁ TRỊ GIA TĂNG / VAT INVOICE",
    "draft": "HÓA ĐƠN NHÁP / DRAFT",
    "tax_id": "Mã số thuế / Tax code",
    "number": "Số / No.",
    "form": "Mẫu số / Form",
    "series": "Ký hiệu / Series",
    "issue_date": "Ngày / Date",
    "due_date": "Hạn thanh toán / Due",
    "currency": "Đơn vị tiền tệ / Currency",
    "bill_to": "Người mua / Buyer",
    "description": "Tên hàng hóa, dịch vụ",
    "quantity": "Số lượng",
    "unit_price": "Đơn giá",
    "tax_rate": "Thuế suất",
    "amount": "Thành tiền",
    "subtotal": "Cộng tiền hàng / Subtotal",
    "tax": "Tiền thuế GTGT / VAT {rate}% ({base})",
    "total": "Tổng tiền thanh toán / Total",
    "paid": "Đã thanh toán / Paid",
    "withheld": "Thuế đã khấu trừ / Tax withheld",
    "credited": "Giảm trừ / Credited",
    "amount_due": "Còn phải trả / Amount due",
    "in_words": "Số tiền viết bằng chữ / In words",
    "credit_note": "HÓA ĐƠN ĐIỀU CHỈNH GIẢM / CREDIT NOTE",
    "original_invoice": "Điều chỉnh cho hóa đơn số / Original invoice",
    "of": "ngày / of",
    "reason": "Lý do / Reason",
    "credited_value": "Số tiền điều chỉnh giảm / Credited",
    "tax_included": "Đã bao gồm thuế GTGT / VAT included",
    "debit_note": "HÓA ĐƠN ĐIỀU CHỈNH TĂNG / DEBIT NOTE",
    "void": "ĐÃ HỦY / VOID: {reason}",
    "scan_to_pay": "Quét bằng ứng dụng ngân hàng để thanh toán {amount} ({scheme}, nội dung {number}).",
    "debit_reason": "Lý do / Reason",
    "debited_value": "Số tiền điều chỉnh tăng / Debited",
    "original_value": "Giá trị trên hóa đơn gốc / Original value",
    "correct_value": "Giá trị đúng / Correct value",
    "difference": "Chênh lệch / Difference",
    "difference_tax": "Thuế GTGT của chênh lệch / VAT on the difference",
    "billing": "HÓA ĐƠN GIÁ TRỊ GIA TĂNG / VAT INVOICE",
    "quote": "BÁO GIÁ / QUOTATION",
    "valid_until": "Có hiệu lực đến / Valid until",
    "receipt": "PHIẾU THU / RECEIPT",
    "tax_receipt": "PHIẾU THU / RECEIPT",
    "received_from": "Người nộp tiền / Received from",
    "invoice": "Hóa đơn số / Invoice",
    "method": "Hình thức thanh toán / Paid by",
    "reference": "Tham chiếu / Reference",
    "certificate": "Chứng từ khấu trừ thuế / Withholding certificate",
    "received": "Số tiền nhận / Received",
    "settled": "Tổng thanh toán / Total settled",
    "balance": "Còn phải trả / Balance due",
    "payment_value": "Giá trị chưa thuế / Value before VAT",
    "payment_tax": "Trong đó thuế GTGT / Of which VAT",
    "payment_for": "Thanh toán hóa đơn số {number} / Payment for invoice {number}",
    "bank_transfer": "Chuyển khoản / Bank transfer",
    "cash": "Tiền mặt / Cash",
    "card": "Thẻ / Card",
    "cheque": "Séc / Cheque",
}
FORMS = {"TH": (THAI, "th"), "VN": (VIETNAMESE, "vi")}
BUDDHIST_ERA_OFFSET = 543


def _form(seller: dict[str, str]) -> tuple[dict[str, str], str]:
    """The labels and the language of the seller's country's documents."""
    return FORMS.get(seller.get("country", ""), (ENGLISH, "en"))


def _number(number: str | None, seller: dict[str, str]) -> str:
    """The document's number as its country writes it: in Vietnam digits only, counted from 1 in each
    series and year (Decree 123, art. 10: at most 8 digits); elsewhere as the office numbers it."""
    if number is None:
        return "—"
    if seller.get("country") == "VN":
        return str(int(number.rsplit("-", 1)[1]))
    return number


def _series(seller: dict[str, str], day: date | None) -> str:
    """Vietnam's series symbol (ký hiệu) with the year of the invoice's own date: C26TBO in 2026, C27TBO
    in 2027 (its second and third characters are the year's last two digits)."""
    series = seller.get("series", "")
    if day and re.fullmatch(r"[CK][0-9]{2}[A-Z0-9]{3}", series):
        return f"{series[0]}{day.year % 100:02d}{series[3:]}"
    return series


def _original(words: dict[str, str], invoice: Invoice, seller: dict[str, str]) -> str:
    """The invoice a receipt or note refers to: its number (with its series in Vietnam) and date."""
    series = _series(seller, invoice.issue_date) if seller.get("country") == "VN" else ""
    number = f"{series} {_number(invoice.number, seller)}".strip()
    return f"{number} {words['of']} {_date(invoice.issue_date, seller)}"


def _date(day: date | None, seller: dict[str, str]) -> str:
    """ISO 8601; on Vietnamese documents as they write it after "Ngày" ("07 tháng 12 năm 2026"); on Thai
    ones day/month/year of the Buddhist Era where the office asks for it."""
    if day is None:
        return "—"
    if seller.get("country") == "VN":
        return f"{day.day:02d} tháng {day.month:02d} năm {day.year}"
    if seller.get("country") == "TH" and seller.get("dates") == "buddhist":
        return f"{day.day:02d}/{day.month:02d}/{day.year + BUDDHIST_ERA_OFFSET}"
    return day.isoformat()


def _party(
    words: dict[str, str], name: str, address: str | None, tax_id: str | None, branch: str | None
) -> str:
    lines = [name, address or ""]
    if tax_id:
        lines.append(f"{words['tax_id']}: {tax_id}" if words["tax_id"] else tax_id)
    if branch and words["branch"]:
        lines.append(words["head_office"] if branch == "00000" else words["branch"].format(branch=branch))
    return "\n".join(line for line in lines if line)


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
    seller_block = _party(
        words, seller.get("name", ""), seller.get("address"), seller.get("tax_id"), seller.get("branch")
    )
    pdf.multi_cell(0, 5, seller_block)
    pdf.ln(4)


def _buyer(pdf: Any, words: dict[str, str], customer: Customer) -> None:
    pdf.set_font("Noto", "B", 10)
    pdf.cell(0, 6, words["bill_to"], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Noto", "", 10)
    buyer = _party(words, customer.name, customer.address, customer.tax_id, customer.branch)
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
        raise not_found("receipt", number)
    return payment


def render_receipt(invoice: Invoice, number: str, seller: dict[str, str]) -> bytes:
    """The receipt of one payment: the money received, the tax withheld, what the two settle and what
    remains. Thailand: "ใบเสร็จรับเงิน" (Revenue Code section 105 bis); where the office issues the tax
    invoice on payment (`receipts` combined), "ใบกำกับภาษี/ใบเสร็จรับเงิน" with the invoice's lines
    and the VAT in the payment: the invoice's VAT in the share the payment settles, rounded half up."""
    payment = _receipt_of(invoice, number)
    words, language = _form(seller)
    combined = seller.get("receipts") == "combined"
    money = invoice.currency
    pdf: Any = new_pdf(f"Receipt {number}")
    _head(pdf, words["tax_receipt" if combined else "receipt"], words["original"])
    _seller(pdf, words, seller)
    method = words.get(payment.method, payment.method)
    facts = [
        (words["number"], number),
        (words["issue_date"], _date(payment.date, seller)),
        (words["invoice"], _original(words, invoice, seller)),
        (words["method"], method),
        *([(words["reference"], payment.reference)] if payment.reference else []),
        *([(words["certificate"], payment.certificate_number)] if payment.certificate_number else []),
    ]
    _facts(pdf, facts)
    pdf.set_font("Noto", "B", 10)
    pdf.cell(0, 6, words["received_from"], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Noto", "", 10)
    customer = invoice.customer
    pdf.multi_cell(0, 5, _party(words, customer.name, customer.address, customer.tax_id, customer.branch))
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
        raise not_found("debit note" if debit else "credit note", number)
    words, language = _form(seller)
    money = invoice.currency
    pdf: Any = new_pdf(f"{'Debit' if debit else 'Credit'} note {note.number}")
    _head(pdf, words["debit_note" if debit else "credit_note"], words["original"])
    _seller(pdf, words, seller)
    original = _original(words, invoice, seller)
    facts = [
        (words["number"], note.number),
        (words["issue_date"], _date(note.date, seller)),
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
    rows = [
        (words["original_value"], before, False),
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
    words, language = _form(seller)
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
            [(words["series"], _series(seller, invoice.issue_date))]
            if "series" in words and seller.get("series")
            else []
        ),
        (words["number"], _number(invoice.number, seller)),
        (words["issue_date"], _date(invoice.issue_date, seller)),
        (words["due_date"], _date(invoice.due_date, seller)),
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
    words, language = _form(seller)
    pdf: Any = new_pdf(f"Quote {quote.number or 'draft'}")
    money = quote.currency
    _head(pdf, words["quote"], "")
    _seller(pdf, words, seller)
    _facts(
        pdf,
        [
            (words["number"], quote.number or "—"),
            (words["issue_date"], _date(quote.sent_on, seller)),
            (words["valid_until"], _date(quote.valid_until, seller)),
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
