"""Getting paid without typing, through the local cloud: the bank's statement dropped into the inbox marks
invoices paid (by the number the customer wrote, or a known payer's exact amount), importing it again
changes nothing, and what cannot be matched waits for a person whose choice is remembered."""

import json
import secrets
import string
import uuid
from typing import Any

import pytest

from tests.e2e.conftest import RunningCloud, wait_for
from tests.e2e.test_invoicing import call

pytestmark = pytest.mark.e2e

HEADER = (
    "Account Name,BAN NA ACCOUNTING CO. LTD.\n"
    "Account Number,123-4-56789-0\n"
    "Date,Time,Description,Withdrawal,Deposit,Outstanding Balance,Channel,Details\n"
)


def kbank(*rows: tuple[str, str, str]) -> bytes:
    """A Kasikornbank export of (day, amount, details) rows; a negative amount is a withdrawal."""
    lines = [
        f"{day}-11-26,10:00,Transfer,{amount[1:] if amount.startswith('-') else ''},"
        f'{"" if amount.startswith("-") else amount},"0.00",K PLUS,{details}'
        for day, amount, details in rows
    ]
    return (HEADER + "\n".join(lines) + "\n").encode()


def issue(office: RunningCloud, name: str, price: str, email: str | None = None) -> dict[str, Any]:
    body = {
        "customer": {"name": name, "email": email or f"ap-{uuid.uuid4().hex[:8]}@example.com"},
        "currency": "THB",
        "lines": [{"description": "Bookkeeping", "quantity": "1", "unit_price": price, "tax_rate": "7"}],
    }
    status, _, made = call(office, "POST", "/invoices", body, **{"idempotency-key": uuid.uuid4().hex})
    assert status == 201, made
    return dict(made)


def invoice(office: RunningCloud, invoice_id: str) -> dict[str, Any]:
    return dict(call(office, "GET", f"/invoices/{invoice_id}")[2])


def post_statement(office: RunningCloud, data: bytes) -> tuple[int, Any]:
    status, _, body = office.request(
        "POST",
        "/bank-statements",
        raw=data,
        headers={"authorization": f"Bearer {office.token('staff')}", "content-type": "text/csv"},
    )
    return status, json.loads(body)


def test_a_statement_in_the_inbox_marks_invoices_paid_once_and_leaves_the_rest_to_a_person(
    office: RunningCloud,
) -> None:
    tag = "".join(secrets.choice(string.ascii_uppercase) for _ in range(8))
    siam = issue(office, f"Siam Trading {tag}", "10000.00")  # 10,700.00
    malee = issue(office, f"Malee Shop {tag}", "4000.00")  # 4,280.00, found by payer and amount
    statement = kbank(
        ("02", "10700.00", f"From X5521 SIAM TRADING CO LTD {siam['number']}"),
        ("05", "4280.00", f"From X8810 MALEE SHOP {tag}"),
        ("10", "-25000.00", "Cheque 41450012"),
        ("15", "1926.00", f"From X0042 PAYER {tag}"),
    )
    bucket = office.get("/_local/resources")["bucket"]
    office.client("s3").put_object(Bucket=bucket, Key=f"inbox/bank/kbank-{tag}.csv", Body=statement)

    paid = wait_for(lambda: (i := invoice(office, siam["id"]))["status"] == "paid" and i, timeout=90)
    (payment,) = paid["payments"]
    assert (payment["amount"], payment["date"], payment["method"]) == (
        "10700.00",
        "2026-11-02",
        "bank_transfer",
    )
    assert payment["matched_by"] == "invoice_number" and payment["receipt_number"]
    found = wait_for(lambda: (i := invoice(office, malee["id"]))["status"] == "paid" and i, timeout=30)
    assert found["payments"][0]["matched_by"] == "payer_amount"

    def waiting() -> list[dict[str, Any]]:
        return [line for line in call(office, "GET", "/bank-lines")[2] if tag in (line["payer"] or "")]

    (stranger,) = wait_for(waiting, timeout=30)  # the withdrawal is kept aside, not listed for matching
    assert (stranger["amount"], stranger["status"]) == ("1926.00", "unmatched")

    # the same statement again, now through the API: nothing is recorded twice
    status, again = post_statement(office, statement)
    assert status == 200, again
    assert (again["matched"], again["seen_before"], again["unmatched"]) == (0, 4, 0)
    assert len(invoice(office, siam["id"])["payments"]) == 1

    # a person assigns the stranger's credit; the payer is remembered for next month's statement
    payer = issue(office, f"Ratchada Clinic {tag}", "1800.00")  # 1,926.00
    status, _, assigned = call(
        office, "POST", f"/bank-lines/{stranger['id']}/assign", {"invoice_id": payer["id"]}
    )
    assert status == 200 and assigned["status"] == "assigned", assigned
    assert invoice(office, payer["id"])["payments"][0]["matched_by"] == "assigned"
    december = issue(office, f"Ratchada Clinic {tag}", "900.00", payer["customer"]["email"])  # 963.00
    status, later = post_statement(office, kbank(("29", "963.00", f"From X0042 PAYER {tag}")))
    assert status == 200 and later["matched"] == 1, later
    assert (later["lines"][0]["invoice_id"], later["lines"][0]["rule"]) == (december["id"], "payer_amount")


def test_a_file_that_is_not_a_statement_is_refused_in_words(office: RunningCloud) -> None:
    status, problem = post_statement(office, b"Name,Amount\nA,1\n")
    assert status == 422 and problem["type"].endswith("bad-statement") and "layout" in problem["detail"]
