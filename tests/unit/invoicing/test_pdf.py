"""The invoice PDF reads back as written, whatever the script and in whatever order scripts come."""

import io
from datetime import UTC, date, datetime
from decimal import Decimal

from pypdf import PdfReader

from invoicing import rules
from invoicing.arithmetic import TaxRounding
from invoicing.model import Customer, InvoiceRequest, LineRequest
from invoicing.pdf import render

SELLER = {"name": "Back Office Co., Ltd.", "address": "1 Sukhumvit Road, Bangkok", "tax_id": "0105556000000"}


def lines_of(customer: Customer, description: str) -> list[str]:
    request = InvoiceRequest(
        customer=customer,
        currency="THB",
        lines=[
            LineRequest(
                description=description,
                quantity=Decimal(1),
                unit_price=Decimal("1500.00"),
                tax_rate=Decimal(7),
            )
        ],
    )
    draft = rules.build(
        request,
        invoice_id="i1",
        default_currency="THB",
        actor="user:clerk",
        now=datetime.now(UTC),
        rounding=TaxRounding.PER_RATE,
    )
    invoice = rules.issued(draft.model_copy(update={"number": "INV-2026-000001"}), date(2026, 11, 20))
    reader = PdfReader(io.BytesIO(render(invoice, SELLER)))
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
