"""The invoice PDF reads back as written, whatever the script and in whatever order scripts come."""

import io
from datetime import date
from decimal import Decimal

from pypdf import PdfReader

from invoicing import rules
from invoicing.arithmetic import TaxRounding
from invoicing.model import CreditNote, Customer, DebitNote
from invoicing.pdf import render, render_note, render_receipt
from tests.builders import invoice, payment

SELLER = {"name": "Back Office Co., Ltd.", "address": "1 Sukhumvit Road, Bangkok", "tax_id": "0105556000000"}


def lines_of(
    customer: Customer,
    description: str,
    seller: dict[str, str] = SELLER,
    currency: str = "THB",
    price: str = "1500.00",
    rate: int = 7,
) -> list[str]:
    issued = invoice(customer, description=description, currency=currency, price=price, rate=rate)
    reader = PdfReader(io.BytesIO(render(issued, seller)))
    return "\n".join(page.extract_text() for page in reader.pages).splitlines()


def test_latin_after_a_thai_name_keeps_its_letters() -> None:
    customer = Customer(
        name="บริษัท สยามบัญชี จำกัด",
        email="account@siambanchee.example",
        address="99 ถนนสีลม กรุงเทพฯ",
        tax_id="0105558000123",
    )
    text = lines_of(customer, "ค่าบริการทำบัญชี เดือนพฤศจิกายน")
    block = text[text.index("Bill to") + 1 : text.index("Bill to") + 5]
    assert block == [
        "บริษัท สยามบัญชี จำกัด",
        "99 ถนนสีลม กรุงเทพฯ",
        "0105558000123",
        "account@siambanchee.example",
    ]
    assert any(line.startswith("ค่าบริการทำบัญชี เดือนพฤศจิกายน") for line in text)


def test_vietnamese_reads_back_with_its_diacritics() -> None:
    customer = Customer(
        name="Công ty TNHH Ánh Dương", email="ketoan@anhduong.example", address="12 Lê Lợi, Quận 1"
    )
    text = lines_of(customer, "Dịch vụ kế toán tháng 11")
    assert "Công ty TNHH Ánh Dương" in text and "12 Lê Lợi, Quận 1" in text
    assert any(line.startswith("Dịch vụ kế toán tháng 11") for line in text)


def test_a_thai_office_issues_a_tax_invoice_with_both_branches_and_the_total_in_words() -> None:
    seller = {**SELLER, "country": "TH", "tax_id": "0105556000017", "branch": "00000"}
    buyer = Customer(
        name="บริษัท สยามบัญชี จำกัด",
        email="account@siambanchee.example",
        address="99 ถนนสีลม กรุงเทพฯ",
        tax_id="0994000165498",
        branch="00001",
    )
    text = lines_of(buyer, "ค่าบริการทำบัญชี", seller)
    assert text[:2] == ["ใบกำกับภาษี / TAX INVOICE", "ต้นฉบับ / ORIGINAL"]
    assert "เลขประจำตัวผู้เสียภาษี / Tax ID: 0105556000017" in text and "สำนักงานใหญ่ / Head office" in text
    assert "เลขประจำตัวผู้เสียภาษี / Tax ID: 0994000165498" in text and "สาขาที่ 00001 / Branch 00001" in text
    assert "ภาษีมูลค่าเพิ่ม / VAT 7% (1,500.00) 105.00 THB" in text  # VAT apart from the price
    assert "ตัวอักษร / In words: หนึ่งพันหกร้อยห้าบาทถ้วน" in text


def test_a_vietnamese_office_issues_a_vat_invoice_with_the_total_in_words() -> None:
    seller = {
        **SELLER,
        "country": "VN",
        "tax_id": "0100233488",
        "branch": "00000",
        "form": "1",
        "series": "C26TBO",
    }
    buyer = Customer(name="Công ty TNHH Ánh Dương", email="ketoan@anhduong.example", tax_id="0312345673")
    text = lines_of(buyer, "Dịch vụ kế toán", seller, currency="VND", price="1500000", rate=8)
    assert text[0] == "HÓA ĐƠN GIÁ TRỊ GIA TĂNG / VAT INVOICE"
    assert "Mẫu số / Form 1" in text and "Ký hiệu / Series C26TBO" in text
    assert "Mã số thuế / Tax code: 0100233488" in text and "Mã số thuế / Tax code: 0312345673" in text
    assert "Tiền thuế GTGT / VAT 8% (1.500.000) 120.000 VND" in text  # thousands grouped with "."
    assert "Ngày / Date 20 tháng 11 năm 2026" in text
    assert "Số tiền viết bằng chữ / In words: Một triệu sáu trăm hai mươi nghìn đồng" in text


def test_a_thai_office_may_date_its_documents_in_the_buddhist_era() -> None:
    seller = {**SELLER, "country": "TH", "branch": "00000", "dates": "buddhist"}
    buyer = Customer(name="บริษัท สยามบัญชี จำกัด", email="account@siambanchee.example")
    text = lines_of(buyer, "ค่าบริการทำบัญชี", seller)
    assert "วันที่ / Date 20/11/2569" in text and "ครบกำหนด / Due 20/12/2569" in text


def test_a_thai_credit_note_names_the_original_tax_invoice_and_the_reason() -> None:
    seller = {**SELLER, "country": "TH", "branch": "00000"}
    buyer = Customer(name="บริษัท สยามบัญชี จำกัด", email="account@siambanchee.example", tax_id="0994000165498")
    issued = invoice(buyer)
    note = CreditNote(
        id="n1",
        number="CN-2026-000001",
        amount=Decimal("107.00"),
        reason="สินค้าชำรุด",
        date=date(2026, 11, 25),
        recorded_by="u",
    )
    credited = rules.with_note(issued, note, TaxRounding.PER_RATE)
    text = PdfReader(io.BytesIO(render_note(credited, "CN-2026-000001", seller))).pages[0].extract_text()
    lines = text.splitlines()
    assert lines[0] == "ใบลดหนี้ / CREDIT NOTE"
    assert "ใบกำกับภาษีเดิมเลขที่ / Original tax invoice INV-2026-000001 ลงวันที่ / of 2026-11-20" in lines
    assert "เหตุที่ลดหนี้ / Reason สินค้าชำรุด" in lines
    assert "ตัวอักษร / In words: หนึ่งร้อยเจ็ดบาทถ้วน" in lines


def test_a_thai_tax_invoice_printed_again_is_marked_as_a_copy() -> None:
    seller = {**SELLER, "country": "TH", "branch": "00000"}
    copy = PdfReader(io.BytesIO(render(invoice(), seller, copy=True))).pages[0].extract_text().splitlines()
    assert copy[:2] == ["ใบกำกับภาษี / TAX INVOICE", "สำเนา / COPY"]


def receipt_lines(
    seller: dict[str, str], paid: str = "1560.00", withheld: str = "45.00", **sale: str | int
) -> list[str]:
    """The receipt of the first payment on an invoice of 1,605.00 THB (1,500.00 and 7 % VAT) unless
    `sale` says otherwise."""
    buyer = Customer(
        name="บริษัท สยามบัญชี จำกัด", email="account@siambanchee.example", tax_id="0994000165498", branch="00001"
    )
    received = payment(paid, withheld=withheld).model_copy(
        update={
            "receipt_number": "RC-2026-000001",
            "reference": "KBANK 88231",
            "certificate_number": "WHT-0042",
        }
    )
    settled = rules.with_payment(invoice(buyer, **sale), received, TaxRounding.PER_RATE)  # type: ignore[arg-type]
    pdf = render_receipt(settled, "RC-2026-000001", seller)
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text().splitlines()


def test_a_thai_receipt_shows_the_money_the_tax_withheld_and_what_they_settle_in_words() -> None:
    text = receipt_lines({**SELLER, "country": "TH", "branch": "00000", "receipts": "separate"})
    assert text[:2] == ["ใบเสร็จรับเงิน / RECEIPT", "ต้นฉบับ / ORIGINAL"]
    assert "เลขที่ / No. RC-2026-000001" in text
    assert "อ้างอิงเอกสารเลขที่ / Invoice INV-2026-000001 ลงวันที่ / of 2026-11-20" in text
    assert "ชำระโดย / Paid by โอนเงิน / Bank transfer" in text and "เลขที่อ้างอิง / Reference KBANK 88231" in text
    assert "สาขาที่ 00001 / Branch 00001" in text
    assert "รับเงิน / Received 1,560.00 THB" in text
    assert "ภาษีหัก ณ ที่จ่าย / Tax withheld 3% 45.00 THB" in text
    assert "หนังสือรับรอง 50 ทวิ / WHT certificate WHT-0042" in text
    assert "รวมชำระ / Total settled 1,605.00 THB" in text and "ยอดคงเหลือ / Balance due 0.00 THB" in text
    assert "ตัวอักษร / In words: หนึ่งพันหกร้อยห้าบาทถ้วน" in text


def test_where_tax_is_invoiced_on_payment_the_invoice_is_a_bill_and_the_receipt_carries_the_vat() -> None:
    seller = {**SELLER, "country": "TH", "branch": "00000", "receipts": "combined"}
    bill = PdfReader(io.BytesIO(render(invoice(), seller))).pages[0].extract_text().splitlines()
    assert bill[0] == "ใบแจ้งหนี้ / INVOICE"
    text = receipt_lines(seller, paid="802.50", withheld="0")
    assert text[0] == "ใบกำกับภาษี/ใบเสร็จรับเงิน / TAX INVOICE/RECEIPT"
    assert any(line.startswith("ค่าบริการทำบัญชี") for line in text)  # the invoice's lines
    # worked by hand: 802.50 is half of 1,605.00, so half the value (750.00) and half the VAT (52.50)
    assert "มูลค่าสินค้าหรือบริการในยอดที่ชำระ / Value in this payment 750.00 THB" in text
    assert "ภาษีมูลค่าเพิ่มในยอดที่ชำระ / VAT in this payment 52.50 THB" in text
    assert "ยอดคงเหลือ / Balance due 802.50 THB" in text


def test_a_vietnamese_receipt_is_a_phieu_thu_in_vietnamese_words() -> None:
    seller = {**SELLER, "country": "VN"}
    text = receipt_lines(seller, paid="1620000", withheld="0", currency="VND", price="1500000", rate=8)
    assert text[0] == "PHIẾU THU / RECEIPT"
    assert "Hình thức thanh toán / Paid by Chuyển khoản / Bank transfer" in text
    assert "Số tiền viết bằng chữ / In words: Một triệu sáu trăm hai mươi nghìn đồng" in text


def test_a_thai_debit_note_shows_the_original_value_the_correct_one_and_the_vat_on_the_difference() -> None:
    seller = {**SELLER, "country": "TH", "branch": "00000"}
    buyer = Customer(name="บริษัท สยามบัญชี จำกัด", email="account@siambanchee.example", tax_id="0994000165498")
    note = DebitNote(
        id="d1",
        number="DN-2026-000001",
        amount=Decimal("321.00"),  # 300.00 more for extra hours, and 7 % VAT
        reason="ชั่วโมงทำงานเพิ่มเติม",
        date=date(2026, 11, 28),
        recorded_by="u",
    )
    debited = rules.with_note(invoice(buyer), note, TaxRounding.PER_RATE)
    assert debited.amount_due == Decimal("1926.00")
    pdf = render_note(debited, "DN-2026-000001", seller, debit=True)
    lines = PdfReader(io.BytesIO(pdf)).pages[0].extract_text().splitlines()
    assert lines[:2] == ["ใบเพิ่มหนี้ / DEBIT NOTE", "ต้นฉบับ / ORIGINAL"]
    assert "ใบกำกับภาษีเดิมเลขที่ / Original tax invoice INV-2026-000001 ลงวันที่ / of 2026-11-20" in lines
    assert "เหตุที่เพิ่มหนี้ / Reason ชั่วโมงทำงานเพิ่มเติม" in lines
    assert "มูลค่าตามใบกำกับภาษีเดิม / Original value 1,500.00 THB" in lines
    assert "มูลค่าที่ถูกต้อง / Correct value 1,800.00 THB" in lines
    assert "ผลต่าง / Difference 300.00 THB" in lines
    assert "ภาษีมูลค่าเพิ่มของผลต่าง / VAT on the difference 21.00 THB" in lines
    assert "ตัวอักษร / In words: สามร้อยยี่สิบเอ็ดบาทถ้วน" in lines


def test_a_debit_note_after_a_credit_note_starts_from_the_value_the_credit_note_left() -> None:
    seller = {**SELLER, "country": "TH", "branch": "00000"}
    buyer = Customer(
        name="บริษัท สยามบัญชี จำกัด", email="account@siambanchee.example", tax_id="0994000165498", branch="00000"
    )
    credit = CreditNote(
        id="c1",
        number="CN-2026-000001",
        amount=Decimal("160.50"),
        reason="ส่วนลด",
        date=date(2026, 11, 25),
        recorded_by="u",
    )
    debit = DebitNote(
        id="d1",
        number="DN-2026-000001",
        amount=Decimal("160.50"),
        reason="ยกเลิกส่วนลด",
        date=date(2026, 11, 28),
        recorded_by="u",
    )
    noted = rules.with_note(
        rules.with_note(invoice(buyer), credit, TaxRounding.PER_RATE), debit, TaxRounding.PER_RATE
    )
    credited = PdfReader(io.BytesIO(render_note(noted, "CN-2026-000001", seller))).pages[0].extract_text()
    debited = (
        PdfReader(io.BytesIO(render_note(noted, "DN-2026-000001", seller, debit=True)))
        .pages[0]
        .extract_text()
    )
    # worked by hand: 1,500.00 net; a credit of 150.00 + 10.50 VAT leaves 1,350.00; the debit puts it back
    for text, before, after in ((credited, "1,500.00", "1,350.00"), (debited, "1,350.00", "1,500.00")):
        lines = text.splitlines()
        assert "มูลค่าตามใบกำกับภาษีเดิม / Original value 1,500.00 THB" in lines  # always the original's
        shown_before = f"มูลค่าก่อนใบเพิ่มหนี้/ใบลดหนี้ฉบับนี้ / Value before this note {before} THB" in lines
        assert shown_before == (text is debited)  # only where an earlier note changed it
        assert f"มูลค่าที่ถูกต้อง / Correct value {after} THB" in lines
        assert (
            "ผลต่าง / Difference 150.00 THB" in lines
            and "ภาษีมูลค่าเพิ่มของผลต่าง / VAT on the difference 10.50 THB" in lines
        )


def test_a_vietnamese_invoice_is_numbered_in_digits_and_its_series_names_the_year_of_its_date() -> None:
    seller = {**SELLER, "country": "VN", "tax_id": "0100233488", "form": "1", "series": "C26TBO"}
    buyer = Customer(name="Công ty TNHH Ánh Dương", email="ketoan@anhduong.example", tax_id="0312345673")
    for issued_on, number, series in (
        (date(2026, 12, 31), "INV-2026-000016", "C26TBO"),
        (date(2027, 1, 1), "INV-2027-000001", "C27TBO"),  # a new year: a new series year, counted from 1
    ):
        sale = invoice(buyer, currency="VND", price="1050500", rate=8, number=number, issued_on=issued_on)
        text = PdfReader(io.BytesIO(render(sale, seller))).pages[0].extract_text().splitlines()
        assert f"Ký hiệu / Series {series}" in text
        assert f"Số / No. {int(number[-6:])}" in text
