"""A quote through the local cloud: drafted, sent by email with the customer's own link, accepted on the
public page's API without an account, and turned into its invoice once, at the prices offered."""

import re
import uuid

import pytest

from tests.e2e.conftest import RunningCloud
from tests.e2e.test_invoicing import call, mail_to

pytestmark = pytest.mark.e2e


def public(office: RunningCloud, action: str, body: dict[str, str]) -> tuple[int, dict]:
    status, _, answer = call(office, "POST", f"/public/quotes/{action}", body, authorization="")
    return status, answer


def test_a_quote_is_accepted_by_its_link_and_becomes_its_invoice_once(office: RunningCloud) -> None:
    email = f"buyer-{uuid.uuid4().hex[:8]}@lanna.example"
    draft = {
        "customer": {"name": "Lanna Crafts Co., Ltd.", "email": email, "language": "th"},
        "currency": "THB",
        "lines": [
            {"description": "Year-end closing", "quantity": "1", "unit_price": "18000.00", "tax_rate": "7"},
            {"description": "Tax filing", "quantity": "2", "unit_price": "1500.00", "tax_rate": "7"},
        ],
        "valid_days": 14,
    }
    status, _, quote = call(office, "POST", "/quotes", draft, **{"idempotency-key": uuid.uuid4().hex})
    assert status == 201 and quote["status"] == "draft" and quote["total"] == "22470.00", quote
    assert "link_hash" not in quote

    status, _, sent = call(office, "POST", f"/quotes/{quote['id']}/send")
    assert status == 200 and sent["status"] == "sent" and re.fullmatch(r"QT-\d{4}-\d{6}", sent["number"])
    (listed,) = mail_to(office, email)
    mail = office.get(f"/_local/outbox/{listed['id']}")
    assert sent["number"] in mail["subject"] and sent["link"] in mail["text"] and "lang=th" in sent["link"]
    assert mail["attachments"][0]["filename"] == f"{sent['number']}.pdf"
    link = sent["link"].partition("#")[2]
    assert "link_hash" not in call(office, "GET", f"/quotes/{quote['id']}")[2]

    # a wrong link shows nothing; the right one shows the offer
    assert public(office, "view", {"link": quote["id"] + ".not-the-secret"})[0] == 404
    status, seen = public(office, "view", {"link": link})
    assert status == 200 and seen["number"] == sent["number"] and seen["total"] == "22470.00"
    assert seen["customer"] == "Lanna Crafts Co., Ltd." and not seen["expired"]

    # not accepted yet: no invoice
    assert call(office, "POST", f"/quotes/{quote['id']}/invoice")[0] == 409
    status, accepted = public(office, "accept", {"link": link, "name": "Somchai Jaidee"})
    assert status == 200 and accepted["status"] == "accepted" and accepted["accepted_by"] == "Somchai Jaidee"
    assert public(office, "decline", {"link": link})[0] == 409  # the answer is final

    status, _, invoice = call(office, "POST", f"/quotes/{quote['id']}/invoice")
    assert status == 201 and invoice["status"] == "issued" and invoice["total"] == "22470.00", invoice
    assert [line["unit_price"] for line in invoice["lines"]] == ["18000.00", "1500.00"]
    assert sent["number"] in invoice["notes"]
    again = call(office, "POST", f"/quotes/{quote['id']}/invoice")[2]
    assert again["id"] == invoice["id"]  # once
    _, _, now = call(office, "GET", f"/quotes/{quote['id']}")
    assert (now["status"], now["invoice_id"]) == ("invoiced", invoice["id"])
