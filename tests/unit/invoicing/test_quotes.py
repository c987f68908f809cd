"""Quotes' rules: the link's secret is never kept, only a link that is the quote's opens it, the offer
ends on its day, the customer answers once, and only an accepted quote is invoiced."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from core.errors import Conflict, NotFound
from invoicing import rules
from invoicing.arithmetic import TaxRounding
from invoicing.model import Customer, LineRequest
from invoicing.quotes import (
    Quote,
    QuoteRequest,
    QuoteStatus,
    answered,
    check_link,
    expired,
    invoice_request,
    priced,
    sent,
)

AT = datetime(2026, 11, 20, 3, tzinfo=UTC)
SENT_ON = date(2026, 11, 20)
LINE = LineRequest(description="Year-end closing", quantity=1, unit_price="18000.00", tax_rate=7)  # type: ignore[arg-type]


def draft() -> Quote:
    request = QuoteRequest(
        customer=Customer(name="Lanna Crafts", email="buyer@lanna.example"),
        currency="THB",
        lines=[LINE],
        valid_days=14,
    )
    built = rules.build(
        request.as_invoice(),
        invoice_id="q1",
        default_currency="THB",
        actor="u",
        now=AT,
        rounding=TaxRounding.PER_RATE,
    )
    return priced("q1", request, built, "user:clerk", AT)


def test_a_quote_is_priced_as_its_invoice_would_be() -> None:
    quote = draft()
    assert (str(quote.subtotal), str(quote.tax_total), str(quote.total)) == (
        "18000.00",
        "1260.00",
        "19260.00",
    )
    assert quote.priced[0]["net"] == "18000.00"


def test_sending_numbers_it_dates_the_offer_and_keeps_only_the_link_s_hash() -> None:
    quote, link = sent(draft(), "QT-2026-000001", SENT_ON)
    assert (quote.status, quote.valid_until) == (QuoteStatus.SENT, date(2026, 12, 4))
    secret = link.partition(".")[2]
    assert link.startswith("q1.") and len(secret) >= 32 and quote.link_hash and secret not in quote.link_hash
    assert "link_hash" not in quote.model_dump_json()  # never in an answer
    assert check_link(quote, link) is quote
    with pytest.raises(Conflict):
        sent(quote, "QT-2026-000002", SENT_ON)  # sent once


@pytest.mark.parametrize("wrong", ["q1.", "q1.guess", "q1", "other.secret"])
def test_a_link_that_is_not_the_quote_s_opens_nothing(wrong: str) -> None:
    quote, link = sent(draft(), "QT-2026-000001", SENT_ON)
    with pytest.raises(NotFound):
        check_link(quote, wrong)
    with pytest.raises(NotFound):
        check_link(None, link)


def test_the_offer_stands_through_its_last_day_and_then_cannot_be_accepted() -> None:
    quote, _ = sent(draft(), "QT-2026-000001", SENT_ON)
    assert not expired(quote, date(2026, 12, 4)) and expired(quote, date(2026, 12, 5))
    assert answered(quote, date(2026, 12, 4), AT, name="Somchai", reason=None).status is QuoteStatus.ACCEPTED
    with pytest.raises(Conflict, match="2026-12-04"):
        answered(quote, date(2026, 12, 5), AT, name="Somchai", reason=None)


def test_the_customer_answers_once_and_only_an_accepted_quote_is_invoiced() -> None:
    quote, _ = sent(draft(), "QT-2026-000001", SENT_ON)
    with pytest.raises(Conflict):
        invoice_request(quote)
    declined = answered(quote, SENT_ON, AT, name=None, reason="too dear")
    assert (declined.status, declined.decline_reason) == (QuoteStatus.DECLINED, "too dear")
    with pytest.raises(Conflict):
        answered(declined, SENT_ON, AT, name="Somchai", reason=None)
    accepted = answered(quote, SENT_ON, AT, name="Somchai", reason=None)
    request = invoice_request(accepted)
    assert request.lines == [LINE] and request.currency == "THB" and request.customer == quote.customer
