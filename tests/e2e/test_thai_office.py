"""A Thai office end to end through the local cloud: a tax invoice to a Thai company's branch, a
payment net of 3 % withholding with its receipt, a credit note — each PDF as the Revenue Code asks,
each email in the customer's Thai."""

import io
import json
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from tests import files
from tests.e2e.conftest import ROOT, RunningCloud, wait_for
from tests.e2e.test_invoicing import call, mail_to

pytestmark = pytest.mark.e2e
OFFICE = {"OfficeCountry": "TH", "BusinessTaxId": "0105556000017", "BusinessBranch": "00000"}


@pytest.fixture(scope="module")
def thai_office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningCloud]:
    state = Path(tmp_path_factory.mktemp("thai-office"))
    office = RunningCloud(ROOT / "template.yaml", state, parameters=OFFICE).start()
    yield office
    office.stop()


def text_of(pdf: bytes) -> list[str]:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).splitlines()


def test_a_tax_invoice_a_receipt_net_of_withholding_and_a_credit_note(thai_office: RunningCloud) -> None:
    email = f"account-{uuid.uuid4().hex[:8]}@siambanchee.example"
    buyer = {
        "name": "บริษัท สยามบัญชี จำกัด",
        "email": email,
        "address": "99 ถนนสีลม กรุงเทพฯ 10500",
        "tax_id": "0994000165498",
        "branch": "00001",
        "language": "th",
    }
    line = {"description": "ค่าบริการทำบัญชี", "quantity": "1", "unit_price": "1500.00", "tax_rate": "7"}
    status, _, invoice = call(
        thai_office, "POST", "/invoices", {"customer": buyer, "currency": "THB", "lines": [line]}
    )
    assert status == 201, invoice
    status, _, pdf = call(thai_office, "GET", f"/invoices/{invoice['id']}/pdf")
    text = text_of(pdf)
    assert text[:2] == ["ใบกำกับภาษี / TAX INVOICE", "สำเนา / COPY"]  # the original went by email
    assert "สาขาที่ 00001 / Branch 00001" in text and "ตัวอักษร / In words: หนึ่งพันหกร้อยห้าบาทถ้วน" in text
    # the office's PromptPay id (the demo default here) in a code for what is owed
    assert f"สแกนด้วยแอปธนาคารเพื่อชำระ 1,605.00 THB (PromptPay อ้างอิง {invoice['number']})" in text
    status, _, code = call(thai_office, "GET", f"/invoices/{invoice['id']}/payment-qr")
    assert status == 200 and code["scheme"] == "promptpay" and "54071605.00" in code["payload"]
    assert code["image"].startswith("data:image/svg+xml")
    (listed,) = mail_to(thai_office, email)  # the invoice's email, sent while it is owed, carries it too
    sent = thai_office.get(f"/_local/outbox/{listed['id']}")
    assert [a["filename"] for a in sent["attachments"]] == [
        f"{invoice['number']}.pdf",
        f"pay-{invoice['number']}.png",
    ]
    assert "ชำระผ่าน PromptPay" in sent["text"]

    payment = {
        "amount": "1560.00",
        "withheld": "45.00",
        "withholding_rate": "3",
        "date": "2026-11-30",
        "method": "bank_transfer",
    }
    status, _, paid = call(thai_office, "POST", f"/invoices/{invoice['id']}/payments", payment)
    assert status == 201 and paid["status"] == "paid", paid
    receipt = paid["payments"][0]["receipt_number"]
    status, _, pdf = call(thai_office, "GET", f"/invoices/{invoice['id']}/receipts/{receipt}/pdf")
    text = text_of(pdf)
    assert text[0] == "ใบเสร็จรับเงิน / RECEIPT" and "ภาษีหัก ณ ที่จ่าย / Tax withheld 3% 45.00 THB" in text
    assert "รวมชำระ / Total settled 1,605.00 THB" in text

    extra = {"reason": "ชั่วโมงทำงานเพิ่มเติม", "amount": "107.00"}
    status, _, debited = call(thai_office, "POST", f"/invoices/{invoice['id']}/debit-notes", extra)
    assert status == 201 and debited["status"] == "partially_paid", debited
    number = debited["debit_notes"][0]["number"]
    status, _, pdf = call(thai_office, "GET", f"/invoices/{invoice['id']}/debit-notes/{number}/pdf")
    assert text_of(pdf)[0] == "ใบเพิ่มหนี้ / DEBIT NOTE"
    credit = {"reason": "ส่วนลดจากการส่งมอบล่าช้า", "amount": "107.00"}
    status, _, credited = call(thai_office, "POST", f"/invoices/{invoice['id']}/credit-notes", credit)
    assert status == 201 and credited["amount_due"] == "0.00", credited

    status, _, none = call(thai_office, "GET", f"/invoices/{invoice['id']}/payment-qr")
    assert status == 404 and none["type"].endswith("no-payment-code")  # nothing is owed now

    subjects = sorted(m["subject"] for m in mail_to(thai_office, email, count=4))
    assert subjects == sorted(
        [
            f"ใบแจ้งหนี้ {invoice['number']} จาก Back Office Demo Co.",
            f"ใบเสร็จรับเงิน {receipt} จาก Back Office Demo Co.",
            f"ใบเพิ่มหนี้ {number} จาก Back Office Demo Co.",
            f"ใบลดหนี้ {credited['credit_notes'][0]['number']} จาก Back Office Demo Co.",
        ]
    )


def schedule(office: RunningCloud, function: str, at: str) -> Any:
    name = next(s["name"] for s in office.get("/_local/resources")["schedules"] if s["function"] == function)
    status, _, body = office.request("POST", f"/_local/schedules/{name}", {"at": at})
    answer = json.loads(body)
    assert status == 200 and answer["ok"], answer
    return answer["result"]


def test_a_vendor_pdf_in_the_inbox_is_read_approved_by_a_second_person_reminded_paid_and_in_the_books(
    thai_office: RunningCloud,
) -> None:
    number = f"IV2026-{uuid.uuid4().hex[:6].upper()}"
    printed = [line.replace("IV2026-0042", number) for line in files.THAI_VENDOR_INVOICE]
    printed = [
        line.replace("10,000.00", "100,000.00")
        .replace("700.00", "7,000.00")
        .replace("10,700.00", "107,000.00")
        for line in printed
    ]
    bucket = thai_office.get("/_local/resources")["bucket"]
    key = f"inbox/bills/siam-paper-{number}.pdf"
    thai_office.client("s3").put_object(Bucket=bucket, Key=key, Body=files.printed_pdf(*printed))

    def drafted() -> dict[str, Any] | None:
        _, _, page = call(thai_office, "GET", "/bills?status=draft")
        return next(
            (b for b in page["items"] if (b.get("reading") or {}).get("invoice_number") == number), None
        )

    bill = wait_for(drafted, timeout=90)
    read = bill["reading"]
    assert (read["vendor_tax_id"], read["net"], read["vat"], read["total"]) == (
        "0105551234567",
        "100000.00",
        "7000.00",
        "107000.00",
    )
    assert (read["issue_date"], read["due_date"]) == ("2026-11-03", "2026-12-03")
    figures = {
        "vendor": {"name": read["vendor_name"], "tax_id": read["vendor_tax_id"], "branch": "00000"},
        **{
            k: read[k]
            for k in ("invoice_number", "issue_date", "due_date", "currency", "net", "vat", "total")
        },
    }
    clerk = {"authorization": f"Bearer {thai_office.token('staff', subject='clerk-somchai')}"}
    status, _, body = thai_office.request("POST", f"/bills/{bill['id']}/confirm", figures, headers=clerk)
    confirmed = json.loads(body)
    assert status == 200 and confirmed["status"] == "awaiting_approval", confirmed  # above 50,000 THB

    same_person = {"authorization": f"Bearer {thai_office.token('admin', subject='clerk-somchai')}"}
    status, _, body = thai_office.request("POST", f"/bills/{bill['id']}/approve", {}, headers=same_person)
    assert status == 403 and json.loads(body)["type"].endswith("/second-person-required")
    owner = {"authorization": f"Bearer {thai_office.token('admin', subject='owner-malee')}"}
    status, _, body = thai_office.request("POST", f"/bills/{bill['id']}/approve", {}, headers=owner)
    assert status == 200 and json.loads(body)["approved_by"] == "user:owner-malee"

    assert schedule(thai_office, "PayablesDailyFunction", "2026-11-30T01:00:00Z")["bills"] >= 1
    told = [thai_office.get(f"/_local/outbox/{m['id']}") for m in mail_to(thai_office, "office@example.com")]
    (reminder,) = [m for m in told if number in (m["text"] or "")]
    assert reminder["subject"].startswith("บิลที่ใกล้ครบกำหนดชำระ")

    payment = {"amount": "107000.00", "date": "2026-12-02", "method": "bank_transfer"}
    key_header = {**clerk, "idempotency-key": f"pay-{number}"}
    for _ in range(2):  # a retried request records the payment once
        status, _, body = thai_office.request(
            "POST", f"/bills/{bill['id']}/payments", payment, headers=key_header
        )
        assert status == 201 and json.loads(body)["status"] == "paid"

    def books() -> dict[str, Any] | None:
        _, _, answer = call(thai_office, "GET", "/reports/monthly-summary?month=2026-11")
        thb = answer["currencies"].get("THB", {})
        return answer if thb.get("input_vat") and Decimal(thb["input_vat"]) >= Decimal("7000.00") else None

    summary = wait_for(books, timeout=90)
    thb, boxes = summary["currencies"]["THB"], summary["return"]["boxes"]
    assert summary["return"]["form"] == "PP30"
    assert Decimal(thb["vat_payable"]) == Decimal(thb["output_vat"]) - Decimal(thb["input_vat"])
    assert (boxes["5"], boxes["7"]) == (thb["output_vat"], thb["input_vat"])
    assert (
        call(thai_office, "GET", "/reports/monthly-summary?month=2026-11")[2] == summary
    )  # read again: the same
    status, headers, pdf = thai_office.request(
        "GET", "/reports/monthly-summary/pdf?month=2026-11", headers=owner
    )
    assert status == 200 and headers["content-type"] == "application/pdf"
    assert "ภ.พ.30" in "\n".join(text_of(pdf))
