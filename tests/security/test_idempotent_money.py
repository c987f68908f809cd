"""Finding 5: every POST that moves money or custody does it once per Idempotency-Key."""

import json
import uuid
from typing import Any

import pytest

from tests.e2e.conftest import RunningCloud
from tests.e2e.test_bank_statements import kbank, post_statement
from tests.security.helpers import call, person

pytestmark = pytest.mark.e2e

KEYED = {
    ("post", "/invoices/{invoice_id}/payments"),
    ("post", "/invoices/{invoice_id}/credit-notes"),
    ("post", "/invoices/{invoice_id}/void"),
    ("post", "/invoices/{invoice_id}/refunds"),
    ("post", "/invoices/{invoice_id}/send"),
    ("post", "/payruns/{run_id}/receive"),
    ("post", "/cheques/{cheque_id}/handover"),
    ("post", "/cheques/{cheque_id}/mail"),
    ("post", "/cheques/{cheque_id}/void"),
    ("post", "/cheques/{cheque_id}/reissue"),
    ("post", "/cheques/{cheque_id}/link"),
    ("post", "/obligations/{obligation_id}/complete"),
    ("post", "/documents/{document_id}/release"),
    ("post", "/documents/{document_id}/reclassify"),
    ("post", "/invoices"),
    ("post", "/bills/{bill_id}/confirm"),
    ("post", "/bills/{bill_id}/approve"),
    ("post", "/bills/{bill_id}/payments"),
    ("post", "/parties/{party_id}/bank-account/approve"),
    ("post", "/parties/{party_id}/bank-account/reject"),
    ("post", "/bank-lines/{line_id}/assign"),
}


def invoice(cloud: RunningCloud) -> dict[str, Any]:
    body = {
        "customer": {"name": "Siam Ban Chee Co., Ltd.", "email": f"ap-{uuid.uuid4().hex[:6]}@sbc.example"},
        "currency": "THB",
        "lines": [{"description": "Bookkeeping", "quantity": "1", "unit_price": "11050.00", "tax_rate": "0"}],
    }
    status, created = call(cloud, "POST", "/invoices", body)
    assert status == 201, created
    return dict(created)


def test_the_same_payment_posted_twice_with_one_key_is_recorded_once(office: RunningCloud) -> None:
    target = invoice(office)
    payment = {"amount": "1000.00", "date": "2026-11-22", "method": "bank_transfer"}
    key = {"idempotency-key": f"pay-{uuid.uuid4().hex}"}
    first = call(office, "POST", f"/invoices/{target['id']}/payments", payment, **key)
    again = call(office, "POST", f"/invoices/{target['id']}/payments", payment, **key)
    assert first[0] == again[0] == 201 and first[1] == again[1]
    _, now = call(office, "GET", f"/invoices/{target['id']}")
    assert now["amount_due"] == "10050.00" and len(now["payments"]) == 1

    other = {**payment, "amount": "2000.00"}
    status, problem = call(office, "POST", f"/invoices/{target['id']}/payments", other, **key)
    assert status == 422 and problem["type"].endswith("idempotency-key-reused")
    status, _ = call(office, "POST", f"/invoices/{target['id']}/payments", payment)  # no key: a new payment
    assert status == 201


def test_a_repeated_credit_note_makes_one_number(office: RunningCloud) -> None:
    target = invoice(office)
    credit = {"amount": "50.00", "reason": "Loyalty discount"}
    key = {"idempotency-key": f"cn-{uuid.uuid4().hex}"}
    _, first = call(office, "POST", f"/invoices/{target['id']}/credit-notes", credit, **key)
    _, again = call(office, "POST", f"/invoices/{target['id']}/credit-notes", credit, **key)
    assert [n["number"] for n in first["credit_notes"]] == [n["number"] for n in again["credit_notes"]]
    assert len(again["credit_notes"]) == 1


def test_a_bank_credit_assigned_twice_with_one_key_pays_its_invoice_once(office: RunningCloud) -> None:
    tag = uuid.uuid4().hex[:10].upper()
    status, imported = post_statement(office, kbank(("21", "1234.56", f"From X7731 PAYER {tag}")))
    assert status == 200 and imported["unmatched"] == 1, imported
    (line,) = [line for line in call(office, "GET", "/bank-lines")[1] if tag in (line["payer"] or "")]
    target = invoice(office)
    assignment = {"invoice_id": target["id"]}
    key = {"idempotency-key": f"assign-{uuid.uuid4().hex}"}
    first = call(office, "POST", f"/bank-lines/{line['id']}/assign", assignment, **key)
    again = call(office, "POST", f"/bank-lines/{line['id']}/assign", assignment, **key)
    assert first[0] == again[0] == 200 and first[1] == again[1] and first[1]["status"] == "assigned"
    _, now = call(office, "GET", f"/invoices/{target['id']}")
    assert [p["amount"] for p in now["payments"]] == ["1234.56"]


def test_keys_belong_to_their_caller(office: RunningCloud) -> None:
    target = invoice(office)
    payment = {"amount": "10.00", "date": "2026-11-22", "method": "cash"}
    key = {"idempotency-key": "shared-key"}
    for clerk in ("clerk-one", "clerk-two"):
        status, _ = call(
            office, "POST", f"/invoices/{target['id']}/payments", payment, token=person(office, clerk), **key
        )
        assert status == 201
    _, now = call(office, "GET", f"/invoices/{target['id']}")
    assert len(now["payments"]) == 2


def test_the_api_description_declares_the_header_on_every_such_route(office: RunningCloud) -> None:
    document = json.loads(office.request("GET", "/openapi.json")[2])
    declared = {
        (method, path)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if any(
            p.get("name") == "idempotency-key" and p.get("in") == "header"
            for p in operation.get("parameters", [])
        )
    }
    assert declared >= KEYED
