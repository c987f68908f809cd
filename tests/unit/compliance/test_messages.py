"""Owners are reminded in their language, else the office's; English reads as it always did."""

from datetime import UTC, date, datetime

from compliance.messages import digest, message
from compliance.model import Obligation, Status


def vat(language: str | None = None) -> Obligation:
    return Obligation(
        id="o1",
        series_id="o1",
        title="ภ.พ.30 ประจำเดือนพฤศจิกายน",
        jurisdiction="TH",
        due_date=date(2026, 12, 13),
        effective_due_date=date(2026, 12, 15),
        owner_email="owner@example.com",
        language=language,
        status=Status.UPCOMING,
        created_at=datetime(2026, 11, 1, tzinfo=UTC),
        created_by="user:clerk",
    )


def test_a_thai_owner_is_reminded_in_thai() -> None:
    subject, text = message(vat("th"), "lead:7", date(2026, 12, 8), "th")
    assert subject == "ครบกำหนดในอีก 7 วัน: ภ.พ.30 ประจำเดือนพฤศจิกายน"
    assert "ครบกำหนด: 2026-12-15 (เลื่อนจาก 2026-12-13 ซึ่งไม่ใช่วันทำการ)" in text


def test_english_reads_as_before() -> None:
    subject, text = message(vat(), "overdue", date(2026, 12, 20), "en")
    assert subject == "OVERDUE: ภ.พ.30 ประจำเดือนพฤศจิกายน"
    assert text == (
        "ภ.พ.30 ประจำเดือนพฤศจิกายน\nJurisdiction: TH\n"
        "Due: 2026-12-15 (moved from 2026-12-13, a non-business day)\n"
        "\nThis is 5 days overdue. Record it as done when it is.\n"
    )


def test_a_vietnamese_digest() -> None:
    subject, text = digest([vat("vi")], date(2026, 12, 1), "vi")
    assert subject == "Tuân thủ: 1 việc đến hạn trước 2026-12-31"
    assert text.startswith("Đến hạn trong 30 ngày tới, tính đến 2026-12-01:")
