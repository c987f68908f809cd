"""The words and written forms of each country's documents: their labels (English, or the country's
language with the English beside it), and how numbers, series symbols, dates and parties are written."""

from __future__ import annotations

import re
from datetime import date

from invoicing.model import Invoice

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
    "value_before": "Value before this note",
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
    "tax_rate": "ภาษี % / VAT %",
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
    "value_before": "มูลค่าก่อนใบเพิ่มหนี้/ใบลดหนี้ฉบับนี้ / Value before this note",
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
    "tax_rate": "Thuế suất %",
    "amount": "Thành tiền",
    "subtotal": "Cộng tiền hàng / Subtotal",
    "tax": "Tiền thuế GTGT / VAT {rate}% ({base})",
    "total": "Tổng tiền thanh toán / Total",
    "paid": "Đã thanh toán / Paid",
    "withheld": "Thuế khấu trừ tại nguồn / Tax withheld",
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
    "value_before": "Giá trị trước lần điều chỉnh này / Value before this note",
    "correct_value": "Giá trị sau điều chỉnh / Correct value",
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
    "received": "Số tiền đã nhận / Received",
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


def form_of(seller: dict[str, str]) -> tuple[dict[str, str], str]:
    """The labels and the language of the seller's country's documents."""
    return FORMS.get(seller.get("country", ""), (ENGLISH, "en"))


def written_number(number: str | None, seller: dict[str, str]) -> str:
    """The document's number as its country writes it: in Vietnam digits only, counted from 1 in each
    series and year (Decree 123, art. 10: at most 8 digits); elsewhere as the office numbers it."""
    if number is None:
        return "—"
    if seller.get("country") == "VN":
        return str(int(number.rsplit("-", 1)[1]))
    return number


def written_series(seller: dict[str, str], day: date | None) -> str:
    """Vietnam's series symbol (ký hiệu) with the year of the invoice's own date: C26TBO in 2026, C27TBO
    in 2027 (its second and third characters are the year's last two digits)."""
    series = seller.get("series", "")
    if day and re.fullmatch(r"[CK][0-9]{2}[A-Z0-9]{3}", series):
        return f"{series[0]}{day.year % 100:02d}{series[3:]}"
    return series


def original_of(words: dict[str, str], invoice: Invoice, seller: dict[str, str]) -> str:
    """The invoice a receipt or note refers to: its number (with its series in Vietnam) and date."""
    series = written_series(seller, invoice.issue_date) if seller.get("country") == "VN" else ""
    number = f"{series} {written_number(invoice.number, seller)}".strip()
    return f"{number} {words['of']} {written_date(invoice.issue_date, seller)}"


def written_date(day: date | None, seller: dict[str, str]) -> str:
    """ISO 8601; on Vietnamese documents as they write it after "Ngày" ("07 tháng 12 năm 2026"); on Thai
    ones day/month/year of the Buddhist Era where the office asks for it."""
    if day is None:
        return "—"
    if seller.get("country") == "VN":
        return f"{day.day:02d} tháng {day.month:02d} năm {day.year}"
    if seller.get("country") == "TH" and seller.get("dates") == "buddhist":
        return f"{day.day:02d}/{day.month:02d}/{day.year + BUDDHIST_ERA_OFFSET}"
    return day.isoformat()


def party_block(
    words: dict[str, str], name: str, address: str | None, tax_id: str | None, branch: str | None
) -> str:
    lines = [name, address or ""]
    if tax_id:
        lines.append(f"{words['tax_id']}: {tax_id}" if words["tax_id"] else tax_id)
    if branch and words["branch"]:
        lines.append(words["head_office"] if branch == "00000" else words["branch"].format(branch=branch))
    return "\n".join(line for line in lines if line)
