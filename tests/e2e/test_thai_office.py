"""A Thai office end to end through the local cloud: a tax invoice to a Thai company's branch, a
payment net of 3 % withholding with its receipt, a credit note — each PDF as the Revenue Code asks,
each email in the customer's Thai."""

import io
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.e2e.conftest import ROOT, RunningCloud
from tests.e2e.test_invoicing import call, mail_to

pytestmark = pytest.mark.e2e
OFFICE = {"OfficeCountry": "TH", "BusinessTaxId": "0105556000011", "BusinessBranch": "00000"}


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
    assert f"สแกนด้วยแอปธนาคารเพื่อชำระ 1605.00 THB (PromptPay อ้างอิง {invoice['number']})" in text
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
    assert "รวมชำระ / Total settled 1605.00 THB" in text

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
