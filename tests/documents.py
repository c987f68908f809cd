"""One of each document the office hands its customers, in each form it takes: an English office's,
a Thai office's and a Vietnamese office's quote, invoice, receipt, credit note and debit note (and the Thai
combined tax invoice/receipt). `python -m tests.documents DIR` draws them as PNG pictures (the README
shows these; `make documents`); the tests read them back as text and keep the pictures for review."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from invoicing import rules
from invoicing.arithmetic import TaxRounding
from invoicing.model import CreditNote, Customer, DebitNote, Invoice, LineRequest
from invoicing.pdf import render, render_note, render_quote, render_receipt
from invoicing.quotes import Quote, QuoteRequest, priced, sent
from tests.builders import AT, invoice, payment


@dataclass(frozen=True)
class Office:
    name: str
    seller: dict[str, str]
    buyer: Customer
    description: str
    currency: str
    price: str
    rate: int


OFFICES = (
    Office(
        "en",
        {
            "name": "Back Office Demo Co.",
            "address": "1 Main Street, Springfield",
            "tax_id": "Tax ID 00-0000000",
        },
        Customer(name="Harbor Books LLC", email="ap@harborbooks.example", address="9 Dock Road, Portland"),
        "Bookkeeping, November",
        "USD",
        "1500.00",
        7,
    ),
    Office(
        "th",
        {
            "name": "บริษัท แบ็คออฟฟิศ จำกัด",
            "address": "1 ถนนสุขุมวิท กรุงเทพฯ 10110",
            "tax_id": "0105556000017",
            "branch": "00000",
            "country": "TH",
            "receipts": "separate",
            "promptpay": "0105556000017",
        },
        Customer(
            name="บริษัท สยามบัญชี จำกัด",
            email="account@siambanchee.example",
            address="99 ถนนสีลม กรุงเทพฯ 10500",
            tax_id="0994000165498",
            branch="00001",
        ),
        "ค่าบริการทำบัญชี เดือนพฤศจิกายน",
        "THB",
        "1500.00",
        7,
    ),
    Office(
        "vi",
        {
            "name": "Công ty TNHH Văn Phòng Số",
            "address": "12 Lê Lợi, Quận 1, TP. Hồ Chí Minh",
            "tax_id": "0100233488",
            "country": "VN",
            "form": "1",
            "series": "C26TBO",
            "vietqr_bank": "970436",
            "vietqr_account": "0011000000000",
        },
        Customer(
            name="Công ty TNHH Ánh Dương",
            email="ketoan@anhduong.example",
            address="45 Trần Hưng Đạo, Hà Nội",
            tax_id="0312345673",
        ),
        "Dịch vụ kế toán tháng 11",
        "VND",
        "1500000",
        8,
    ),
)


ROUNDING = TaxRounding.PER_RATE
RECEIPT, CREDIT, DEBIT, QUOTE = "RC-2026-000001", "CN-2026-000001", "DN-2026-000001", "QT-2026-000001"


@dataclass(frozen=True)
class Document:
    name: str
    office: Office
    make: Callable[[], bytes]


def _history(office: Office) -> Invoice:
    """The office's invoice: a tenth credited, the rest paid (net of 3 % withholding where Thai), then a
    tenth more debited."""
    rounding = ROUNDING
    sale = invoice(
        office.buyer,
        description=office.description,
        currency=office.currency,
        price=office.price,
        rate=office.rate,
    )
    tenth = (sale.total / 10).quantize(Decimal(1) if office.currency == "VND" else Decimal("0.01"))
    reasons = REASONS[office.name]
    credit = CreditNote(
        id="c1", number=CREDIT, amount=tenth, reason=reasons[0], date=date(2026, 11, 21), recorded_by="u"
    )
    credited = rules.with_note(sale, credit, rounding)
    value = credited.amount_due * sale.subtotal / sale.total  # before VAT, what the payment settles
    withheld = (value * 3 / 100).quantize(Decimal("0.01")) if office.name == "th" else Decimal(0)
    received = payment(str(credited.amount_due - withheld), withheld=str(withheld)).model_copy(
        update={"receipt_number": RECEIPT, "reference": "KBANK 88231"}
    )
    debit = DebitNote(
        id="d1", number=DEBIT, amount=tenth, reason=reasons[1], date=date(2026, 11, 27), recorded_by="u"
    )
    return rules.with_note(rules.with_payment(credited, received, rounding), debit, rounding)


REASONS = {
    "en": ("Discount agreed for late delivery", "Two more hours of work agreed"),
    "th": ("ส่วนลดจากการส่งมอบล่าช้า", "ชั่วโมงทำงานเพิ่มเติม"),
    "vi": ("Giảm giá do giao hàng trễ", "Thêm hai giờ làm việc"),
}


def _quote(office: Office) -> Quote:
    """The office's quote of the same line, sent on 20 November."""
    line = LineRequest(
        description=office.description,
        quantity=Decimal(1),
        unit_price=Decimal(office.price),
        tax_rate=Decimal(office.rate),
    )
    request = QuoteRequest(customer=office.buyer, currency=office.currency, lines=[line], valid_days=14)
    draft = rules.build(
        request.as_invoice(),
        invoice_id="q1",
        default_currency=office.currency,
        actor="u",
        now=AT,
        rounding=ROUNDING,
    )
    return sent(priced("q1", request, draft, "u", AT), QUOTE, date(2026, 11, 20))[0]


def documents() -> Iterator[Document]:
    for office in OFFICES:
        offer = _quote(office)
        yield Document(f"quote-{office.name}", office, lambda q=offer, s=office.seller: render_quote(q, s))
        sale = _history(office)
        issued = rules.recompute(
            sale.model_copy(update={"payments": [], "credit_notes": [], "debit_notes": []}), ROUNDING
        )
        seller = office.seller
        yield Document(f"invoice-{office.name}", office, lambda i=issued, s=seller: render(i, s))
        yield Document(
            f"receipt-{office.name}", office, lambda i=sale, s=seller: render_receipt(i, RECEIPT, s)
        )
        if office.name == "th":
            combined = {**seller, "receipts": "combined"}
            yield Document(
                "tax-invoice-receipt-th", office, lambda i=sale, s=combined: render_receipt(i, RECEIPT, s)
            )
        yield Document(
            f"credit-note-{office.name}", office, lambda i=sale, s=seller: render_note(i, CREDIT, s)
        )
        yield Document(
            f"debit-note-{office.name}", office, lambda i=sale, s=seller: render_note(i, DEBIT, s, debit=True)
        )


def picture(pdf: bytes, path: Path, dpi: int = 60) -> Path:
    """The PDF's first page as a PNG at `path` (poppler's pdftoppm)."""
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as source:
        source.write(pdf)
        source.flush()
        command = ["pdftoppm", "-png", "-singlefile", "-r", str(dpi), source.name, str(path.with_suffix(""))]
        subprocess.run(command, check=True)
    return path


if __name__ == "__main__":
    folder = Path(sys.argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    for made in documents():
        print(picture(made.make(), folder / f"{made.name}.png", dpi=50))
