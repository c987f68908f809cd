"""The invoice PDF reads back as written, whatever the script and in whatever order scripts come."""

import io
from datetime import date
from decimal import Decimal

from pypdf import PdfReader

from invoicing import rules
from invoicing.arithmetic import TaxRounding
from invoicing.model import CreditNote, Customer
from invoicing.pdf import render, render_credit_note
from tests.builders import invoice

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
    seller = {**SELLER, "country": "TH", "tax_id": "0105556000011", "branch": "00000"}
    buyer = Customer(
        name="บริษัท สยามบัญชี จำกัด",
        email="account@siambanchee.example",
        address="99 ถนนสีลม กรุงเทพฯ",
        tax_id="0994000165498",
        branch="00001",
    )
    text = lines_of(buyer, "ค่าบริการทำบัญชี", seller)
    assert text[:2] == ["ใบกำกับภาษี / TAX INVOICE", "ต้นฉบับ / ORIGINAL"]
    assert "เลขประจำตัวผู้เสียภาษี / Tax ID: 0105556000011" in text and "สำนักงานใหญ่ / Head office" in text
    assert "เลขประจำตัวผู้เสียภาษี / Tax ID: 0994000165498" in text and "สาขาที่ 00001 / Branch 00001" in text
    assert "ภาษีมูลค่าเพิ่ม / VAT 7% (1500.00) 105.00 THB" in text  # VAT apart from the price
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
    assert "Tiền thuế GTGT / VAT 8% (1500000) 120000 VND" in text
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
    credited = rules.with_credit_note(issued, note, TaxRounding.PER_RATE)
    text = (
        PdfReader(io.BytesIO(render_credit_note(credited, "CN-2026-000001", seller))).pages[0].extract_text()
    )
    lines = text.splitlines()
    assert lines[0] == "ใบลดหนี้ / CREDIT NOTE"
    assert "ใบกำกับภาษีเดิมเลขที่ / Original tax invoice INV-2026-000001 ลงวันที่ / of 2026-11-20" in lines
    assert "เหตุที่ลดหนี้ / Reason สินค้าชำรุด" in lines
    assert "ตัวอักษร / In words: หนึ่งร้อยเจ็ดบาทถ้วน" in lines


def test_a_thai_tax_invoice_printed_again_is_marked_as_a_copy() -> None:
    seller = {**SELLER, "country": "TH", "branch": "00000"}
    copy = PdfReader(io.BytesIO(render(invoice(), seller, copy=True))).pages[0].extract_text().splitlines()
    assert copy[:2] == ["ใบกำกับภาษี / TAX INVOICE", "สำเนา / COPY"]
