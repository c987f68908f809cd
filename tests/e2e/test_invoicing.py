"""Invoicing end to end: web-form and JSON posts, email with PDF, payments, credit, reminders, aging."""

import csv
import io
import json
import re
import uuid
from typing import Any
from urllib.parse import urlencode

import pytest
from pypdf import PdfReader

from tests.e2e.conftest import RunningCloud, office_today, wait_for

pytestmark = pytest.mark.e2e


def numbered_in_its_year(invoice: dict[str, Any], series: str = "INV", number: str | None = None) -> bool:
    """The number of its series in the year of its issue date, as `INV-2026-000012`."""
    found = re.fullmatch(rf"{series}-(\d{{4}})-\d{{6}}", number or invoice["number"] or "")
    return bool(found) and found.group(1) == invoice["issue_date"][:4]


def call(
    cloud: RunningCloud, method: str, path: str, body: Any = None, role: str = "staff", **headers: str
) -> tuple[int, dict[str, str], Any]:
    status, response_headers, raw = cloud.request(
        method, path, body, headers={"authorization": f"Bearer {cloud.token(role)}", **headers}
    )
    content_type = response_headers.get("content-type", "")
    parsed = json.loads(raw) if raw and "json" in content_type else raw
    return status, response_headers, parsed


def customer() -> dict[str, str]:
    return {"name": "Công ty TNHH Ánh Dương", "email": f"ketoan-{uuid.uuid4().hex[:8]}@anhduong.example"}


def invoice_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "customer": customer(),
        "currency": "USD",
        "due_days": 14,
        "lines": [
            {
                "description": "Dịch vụ kế toán tháng 11",
                "quantity": "1",
                "unit_price": "1000.00",
                "tax_rate": "10",
            },
            {"description": "Payroll run", "quantity": "4", "unit_price": "12.50", "tax_rate": "10"},
        ],
    }
    body.update(changes)
    return body


def mail_to(cloud: RunningCloud, address: str, count: int = 1) -> list[dict[str, Any]]:
    def found() -> list[dict[str, Any]] | None:
        messages = cloud.get(f"/_local/outbox?to={address}")
        return messages if len(messages) >= count else None

    return list(wait_for(found, timeout=60))


def test_a_plain_html_form_creates_an_invoice_that_is_emailed_with_its_pdf(office: RunningCloud) -> None:
    email = f"account-{uuid.uuid4().hex[:8]}@siambanchee.example"
    form = urlencode(
        [
            ("customer_name", "บริษัท สยามบัญชี จำกัด"),
            ("customer_email", email),
            ("currency", "THB"),
            ("due_days", "15"),
            ("line_description", "ค่าบริการทำบัญชี เดือนพฤศจิกายน"),
            ("line_quantity", "1"),
            ("line_unit_price", "15000.00"),
            ("line_tax_rate", "7"),
            ("line_description", "ค่ายื่นแบบ ภ.พ.30"),
            ("line_quantity", "1"),
            ("line_unit_price", "1500.00"),
            ("line_tax_rate", "7"),
        ]
    )
    status, headers, raw = office.request(
        "POST",
        "/invoices",
        raw=form.encode(),
        headers={
            "authorization": f"Bearer {office.token()}",
            "content-type": "application/x-www-form-urlencoded",
        },
    )
    invoice = json.loads(raw)
    assert status == 201, invoice
    assert numbered_in_its_year(invoice) and headers["location"] == f"/invoices/{invoice['id']}"
    assert invoice["customer"]["name"] == "บริษัท สยามบัญชี จำกัด"
    assert (invoice["subtotal"], invoice["tax_total"], invoice["total"]) == (
        "16500.00",
        "1155.00",
        "17655.00",
    )

    (message,) = mail_to(office, email)
    full = office.get(f"/_local/outbox/{message['id']}")
    assert invoice["number"] in full["subject"]
    assert full["attachments"][0]["filename"] == f"{invoice['number']}.pdf"

    status, headers, pdf = call(office, "GET", f"/invoices/{invoice['id']}/pdf")
    assert status == 200 and headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "ค่ายื่นแบบ" in text and invoice["number"] in text


def test_an_idempotency_key_or_a_double_click_never_makes_two_invoices(office: RunningCloud) -> None:
    body = invoice_body()
    key = str(uuid.uuid4())
    first = call(office, "POST", "/invoices", body, **{"idempotency-key": key})
    again = call(office, "POST", "/invoices", body, **{"idempotency-key": key})
    assert first[0] == again[0] == 201 and first[2]["id"] == again[2]["id"]
    other = call(office, "POST", "/invoices", invoice_body(), **{"idempotency-key": key})
    assert other[0] == 422 and other[2]["type"].endswith("idempotency-key-reused")

    click = invoice_body()
    one, two = call(office, "POST", "/invoices", click), call(office, "POST", "/invoices", click)
    assert one[2]["id"] == two[2]["id"]


def test_payments_credit_notes_and_void_follow_the_rules(office: RunningCloud) -> None:
    _, _, invoice = call(office, "POST", "/invoices", invoice_body())
    path = f"/invoices/{invoice['id']}"
    today = office_today(office).isoformat()
    status, _, over = call(
        office, "POST", f"{path}/payments", {"amount": "2000.00", "date": today, "method": "cash"}
    )
    assert status == 422 and "due" in over["detail"]
    status, _, paid = call(
        office,
        "POST",
        f"{path}/payments",
        {"amount": "155.00", "date": today, "method": "bank_transfer"},
    )
    assert status == 201 and paid["status"] == "partially_paid" and paid["amount_due"] == "1000.00"
    status, _, refused = call(office, "POST", f"{path}/void", {"reason": "wrong customer"}, role="admin")
    assert status == 409 and refused["type"].endswith("invoice-paid")
    status, _, credited = call(
        office, "POST", f"{path}/credit-notes", {"amount": "100.00", "reason": "Loyalty discount"}
    )
    note = credited["credit_notes"][0]["number"]
    assert status == 201 and numbered_in_its_year({**credited, "issue_date": today}, "CN", note)
    assert credited["amount_due"] == "900.00"

    _, _, spare = call(office, "POST", "/invoices", invoice_body())
    status, _, void = call(
        office, "POST", f"/invoices/{spare['id']}/void", {"reason": "Duplicate order"}, role="admin"
    )
    assert status == 200 and void["status"] == "void" and void["number"] == spare["number"]


def test_a_payment_net_of_withholding_tax_pays_and_waits_for_its_certificate(office: RunningCloud) -> None:
    body = invoice_body(
        currency="THB",
        lines=[{"description": "ค่าบริการ", "quantity": "1", "unit_price": "1500.00", "tax_rate": "7"}],
    )
    _, _, invoice = call(office, "POST", "/invoices", body)
    paid_on = office_today(office)  # the day it was issued: a payment is never dated before its invoice
    net = {
        "amount": "1560.00",
        "withheld": "45.00",
        "withholding_rate": "3",
        "date": paid_on.isoformat(),
        "method": "bank_transfer",
    }
    status, _, paid = call(office, "POST", f"/invoices/{invoice['id']}/payments", net)
    assert status == 201 and paid["status"] == "paid" and paid["amount_withheld"] == "45.00"
    payment_id = paid["payments"][0]["id"]

    def waiting() -> list[dict[str, Any]]:
        report = call(office, "GET", f"/reports/withholding?month={paid_on:%Y-%m}")[2]
        return [row for row in report["items"] if row["invoice_id"] == invoice["id"]]

    (row,) = waiting()
    assert row["withheld"] == "45.00" and row["certificate_number"] is None  # still to collect
    certificate = {"certificate_number": "WHT-2026-0042"}
    status, _, certified = call(
        office, "POST", f"/invoices/{invoice['id']}/payments/{payment_id}/certificate", certificate
    )
    assert status == 200 and certified["payments"][0]["certificate_number"] == "WHT-2026-0042"
    assert waiting()[0]["certificate_number"] == "WHT-2026-0042"
    status, _, refused = call(
        office, "POST", f"/invoices/{invoice['id']}/payments", {**net, "withheld": "100.00"}
    )
    assert status == 422 and refused["type"].endswith("overpayment")  # nothing is due any more
    assert call(office, "GET", "/reports/withholding?month=0000-01")[0] == 422  # no year 0
    assert call(office, "GET", "/reports/withholding?month=9999-12")[0] == 200  # the last month there is


def test_a_credit_note_has_its_own_pdf_naming_the_original_and_why(office: RunningCloud) -> None:
    _, _, invoice = call(office, "POST", "/invoices", invoice_body())
    path = f"/invoices/{invoice['id']}"
    _, _, credited = call(
        office, "POST", f"{path}/credit-notes", {"amount": "55.00", "reason": "Returned goods"}
    )
    number = credited["credit_notes"][0]["number"]
    status, headers, body = call(office, "GET", f"{path}/credit-notes/{number}/pdf")
    assert status == 200 and headers["content-type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    assert "CREDIT NOTE" in text and number in text and invoice["number"] in text and "Returned goods" in text
    assert "55.00" in text
    status, _, missing = call(office, "GET", f"{path}/credit-notes/CN-1999-000001/pdf")
    assert status == 404 and missing["type"].endswith("not-found")


def test_drafts_are_edited_then_issued(office: RunningCloud) -> None:
    status, _, draft = call(office, "POST", "/invoices", invoice_body(draft=True))
    assert status == 201 and draft["status"] == "draft" and draft["number"] is None
    status, _, edited = call(
        office, "PATCH", f"/invoices/{draft['id']}", invoice_body(notes="Cảm ơn quý khách")
    )
    assert status == 200 and edited["notes"] == "Cảm ơn quý khách"
    status, _, issued = call(office, "POST", f"/invoices/{draft['id']}/issue")
    assert status == 200 and numbered_in_its_year(issued)
    status, _, _ = call(office, "DELETE", f"/invoices/{draft['id']}")
    assert status == 409


@pytest.mark.parametrize(
    ("changes", "pointer"),
    [
        ({"currency": "ABC"}, "/currency"),
        ({"lines": [{"description": "x", "quantity": "-2", "unit_price": "1"}]}, "/lines/0/quantity"),
        ({"lines": [{"description": "x", "quantity": "1", "unit_price": "1.123456"}]}, "/lines/0/unit_price"),
        (
            {"lines": [{"description": "x", "quantity": "1", "unit_price": "1", "tax_rate": "150"}]},
            "/lines/0/tax_rate",
        ),
        ({"lines": [{"description": "x", "quantity": "1", "unit_price": "1"}] * 101}, "/lines"),
    ],
)
def test_bad_invoices_get_a_problem_naming_the_field(
    office: RunningCloud, changes: dict[str, Any], pointer: str
) -> None:
    status, headers, problem = call(office, "POST", "/invoices", invoice_body(**changes))
    assert status == 422 and headers["content-type"] == "application/problem+json"
    assert pointer in [error["pointer"] for error in problem["errors"]]


def test_employees_cannot_touch_invoices(office: RunningCloud) -> None:
    assert call(office, "GET", "/invoices", role="employee")[0] == 403


def test_the_daily_run_chases_an_overdue_invoice_by_email(office: RunningCloud) -> None:
    body = invoice_body(issue_date="2026-10-01", due_days=10)  # due 11 October
    _, _, invoice = call(office, "POST", "/invoices", body)
    mail_to(office, body["customer"]["email"])  # the invoice itself
    result = office.cli("schedule", "backoffice-local-invoice-reminders", "--at", "2026-11-22T08:00")
    assert result.returncode == 0, result.stderr + result.stdout

    messages = mail_to(office, body["customer"]["email"], count=2)
    assert any(m["subject"].startswith("Reminder") for m in messages)
    _, _, chased = call(office, "GET", f"/invoices/{invoice['id']}")
    assert chased["status"] == "overdue" and [r["stage"] for r in chased["reminders"]] == [30]


def test_the_receivables_report_in_json_and_csv(office: RunningCloud) -> None:
    body = invoice_body(issue_date="2026-08-01", due_days=0, currency="JPY")
    body["lines"] = [{"description": "Consulting", "quantity": "3", "unit_price": "333.5", "tax_rate": "10"}]
    call(office, "POST", "/invoices", body)
    status, _, report = call(office, "GET", "/reports/receivables?as_of=2026-11-30")
    assert status == 200
    jpy = next(t for t in report["totals"] if t["currency"] == "JPY")
    assert jpy["over_90"] == "1101" and jpy["total"] == "1101"
    status, headers, text = call(office, "GET", "/reports/receivables?as_of=2026-11-30&format=csv")
    assert status == 200 and headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(text.decode())))
    assert rows[0][:3] == ["customer", "email", "currency"]
    assert next(r for r in rows if r[0] == "TOTAL" and r[2] == "JPY")[:3] == ["TOTAL", "", "JPY"]


def test_an_invoice_names_a_customer_of_the_directory_and_keeps_them_as_they_were(
    office: RunningCloud,
) -> None:
    email = f"ketoan-{uuid.uuid4().hex[:8]}@anhduong.example"
    party = {"kind": "customer", "name": "Công ty TNHH Ánh Dương", "email": email, "language": "vi"}
    status, _, added = call(office, "POST", "/parties", party, **{"idempotency-key": uuid.uuid4().hex})
    assert status == 201, added
    lines = [{"description": "Kế toán tháng 11", "quantity": "1", "unit_price": "100.00"}]
    status, _, made = call(office, "POST", "/invoices", {"customer_id": added["id"], "lines": lines})
    assert status == 201, made
    assert {k: v for k, v in made["customer"].items() if v is not None} == {
        "name": party["name"],
        "email": email,
        "language": "vi",
        "party_id": added["id"],
    }
    status, _, _ = call(office, "PATCH", f"/parties/{added['id']}", {"name": "Công ty CP Ánh Dương"})
    assert status == 200
    assert call(office, "GET", f"/invoices/{made['id']}")[2]["customer"]["name"] == party["name"]
    status, _, refused = call(office, "POST", "/invoices", {"customer_id": "nobody", "lines": lines})
    assert status == 422 and refused["type"].endswith("/unknown-customer")
    both = {"customer_id": added["id"], "customer": customer(), "lines": lines}
    assert call(office, "POST", "/invoices", both)[0] == 422
