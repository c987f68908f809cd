"""The invoice email speaks the customer's language, else the office's."""

from datetime import date
from decimal import Decimal

from core.i18n import language_of
from invoicing.delivery import message
from invoicing.model import Customer, Invoice, Status


def invoice(language: str | None = None) -> Invoice:
    return Invoice(
        id="i1",
        number="INV-2026-000001",
        status=Status.ISSUED,
        customer=Customer(name="สมศรี", email="somsri@example.com", language=language),
        currency="THB",
        issue_date=date(2026, 11, 20),
        due_date=date(2026, 12, 20),
        lines=[],
        tax_breakdown=[],
        subtotal=Decimal("1500.00"),
        tax_total=Decimal("105.00"),
        total=Decimal("1605.00"),
        amount_paid=Decimal(0),
        amount_credited=Decimal(0),
        amount_due=Decimal("1605.00"),
        created_at="2026-11-20T03:00:00Z",
        created_by="user:clerk",
    )


def test_a_thai_customer_reads_the_invoice_email_in_thai() -> None:
    subject, text = message(invoice("th"), "issue", "Back Office Co.", "th")
    assert subject == "ใบแจ้งหนี้ INV-2026-000001 จาก Back Office Co."
    assert text.startswith("เรียน สมศรี\n\nขอส่งใบแจ้งหนี้เลขที่ INV-2026-000001 จำนวน 1,605.00 THB")
    assert text.endswith("ขอแสดงความนับถือ\nBack Office Co.\n")


def test_a_vietnamese_reminder_after_the_due_date() -> None:
    subject, text = message(invoice("vi"), "reminder:7", "Back Office Co.", "vi")
    assert subject == "Nhắc nhở: hóa đơn INV-2026-000001 đã quá hạn thanh toán"
    assert "số tiền 1.605,00 THB vẫn chưa được thanh toán" in text


def test_english_stays_as_it_was() -> None:
    subject, text = message(invoice(), "issue", "Back Office Co.", "en")
    assert subject == "Invoice INV-2026-000001 from Back Office Co."
    assert "Please find attached invoice INV-2026-000001 for 1,605.00 THB, due on 2026-12-20." in text


def test_the_reader_s_language_else_the_office_s_country_else_english() -> None:
    assert language_of("vi", "TH") == "vi"
    assert (
        language_of(None, "TH") == "th"
        and language_of(None, "VN") == "vi"
        and language_of(None, "US") == "en"
    )
    assert language_of("xx", "US") == "en"
