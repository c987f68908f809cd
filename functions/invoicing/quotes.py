"""Quotes: what the office offers before it invoices. Draft → sent (numbered QT, emailed with a link only
the customer holds) → accepted or declined by the customer on the portal's public page, or expired →
invoiced in one step, with the quote's lines and prices as they were offered.

The link's secret is stored only as its SHA-256; the link names the quote and carries the secret, so a
leaked table gives no one a way to answer for the customer. The answer is final: a quote accepted or
declined stays so, and one past its date can no longer be accepted.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from core.errors import Conflict, NotFound
from core.i18n import N_
from core.text import MultiLine, SingleLine
from invoicing.model import Customer, Invoice, InvoiceRequest, LineRequest, TaxLine

DEFAULT_VALID_DAYS = 30


class QuoteStatus(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    INVOICED = "invoiced"


class QuoteRequest(BaseModel):
    """A new quote."""

    model_config = ConfigDict(str_strip_whitespace=True)

    customer: Customer
    currency: str | None = Field(default=None, description="ISO 4217; the office's default if absent.")
    lines: list[LineRequest] = Field(min_length=1, max_length=100)
    notes: MultiLine | None = Field(default=None, max_length=2000)
    valid_days: int = Field(
        default=DEFAULT_VALID_DAYS, ge=1, le=365, description="How long the offer stands once sent."
    )

    def as_invoice(self) -> InvoiceRequest:
        return InvoiceRequest(
            customer=self.customer, currency=self.currency, lines=self.lines, notes=self.notes
        )


class Quote(BaseModel):
    id: str
    number: str | None = None
    status: QuoteStatus
    customer: Customer
    currency: str
    lines: list[LineRequest] = Field(description="As offered: an invoice made from the quote keeps them.")
    priced: list[dict[str, str]] = Field(default=[], description="Each line's net, tax and total.")
    tax_breakdown: list[TaxLine]
    subtotal: Decimal
    tax_total: Decimal
    total: Decimal
    notes: str | None = None
    valid_days: int = DEFAULT_VALID_DAYS
    sent_on: date | None = None
    valid_until: date | None = Field(default=None, description="The last day the customer may accept.")
    answered_at: datetime | None = None
    accepted_by: str | None = Field(default=None, description="The name the customer signed with.")
    decline_reason: str | None = None
    invoice_id: str | None = Field(default=None, description="The invoice made from it.")
    link_hash: str | None = Field(default=None, exclude=True)
    deliveries: list[str] = []
    created_at: datetime
    created_by: str
    version: int = 1


class PublicQuote(BaseModel):
    """What the customer's link shows: the offer, never the office's notes on it."""

    seller: str
    number: str
    status: QuoteStatus
    expired: bool
    customer: str
    language: str | None
    currency: str
    lines: list[dict[str, str]]
    tax_breakdown: list[TaxLine]
    subtotal: Decimal
    tax_total: Decimal
    total: Decimal
    notes: str | None
    valid_until: date
    accepted_by: str | None


class LinkRequest(BaseModel):
    link: str = Field(min_length=10, max_length=200, description="The token from the emailed link.")


class AcceptRequest(LinkRequest):
    name: SingleLine = Field(min_length=2, max_length=200, description="Who accepts, as they sign.")


class DeclineRequest(LinkRequest):
    reason: SingleLine | None = Field(default=None, max_length=500)


def priced(quote_id: str, request: QuoteRequest, draft: Invoice, actor: str, now: datetime) -> Quote:
    """A draft quote priced as an invoice of the same lines would be."""
    lines = [
        {
            "description": line.description,
            "quantity": str(line.quantity),
            "unit_price": str(line.unit_price),
            "tax_rate": str(line.tax_rate),
            "net": str(line.line_net),
            "tax": str(line.tax_amount),
        }
        for line in draft.lines
    ]
    return Quote(
        id=quote_id,
        status=QuoteStatus.DRAFT,
        customer=draft.customer,
        currency=draft.currency,
        lines=request.lines,
        priced=lines,
        tax_breakdown=draft.tax_breakdown,
        subtotal=draft.subtotal,
        tax_total=draft.tax_total,
        total=draft.total,
        notes=request.notes,
        valid_days=request.valid_days,
        created_at=now,
        created_by=actor,
    )


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def sent(quote: Quote, number: str, today: date) -> tuple[Quote, str]:
    """The quote numbered and dated, with a fresh link (returned once: only its hash is kept)."""
    if quote.status is not QuoteStatus.DRAFT:
        raise Conflict(
            N_("the quote is {status}; only a draft is sent"), slug="quote-not-draft", status=quote.status
        )
    secret = secrets.token_urlsafe(24)
    changed = quote.model_copy(
        update={
            "number": number,
            "status": QuoteStatus.SENT,
            "sent_on": today,
            "valid_until": today + timedelta(days=quote.valid_days),
            "link_hash": _hash(secret),
        }
    )
    return changed, f"{quote.id}.{secret}"


def quote_id_of(link: str) -> str:
    return link.partition(".")[0]


def check_link(quote: Quote | None, link: str) -> Quote:
    """The quote the link is for; any wrong link is refused alike (no hint which part was wrong)."""
    secret = link.partition(".")[2]
    if (
        not quote
        or not quote.link_hash
        or not secret
        or not hmac.compare_digest(quote.link_hash, _hash(secret))
    ):
        raise NotFound(N_("this link is not valid; ask the office for a new one"), slug="bad-quote-link")
    return quote


def expired(quote: Quote, today: date) -> bool:
    return quote.status is QuoteStatus.SENT and quote.valid_until is not None and today > quote.valid_until


def answered(quote: Quote, today: date, now: datetime, *, name: str | None, reason: str | None) -> Quote:
    """The customer's answer: accepted with a name, or declined (with an optional reason)."""
    if quote.status is not QuoteStatus.SENT:
        raise Conflict(N_("the quote was {status} already"), slug="quote-answered", status=quote.status)
    if expired(quote, today):
        raise Conflict(
            N_("the offer stood until {date}; ask the office for a new one"),
            slug="quote-expired",
            date=quote.valid_until,
        )
    if name is not None:
        return quote.model_copy(
            update={"status": QuoteStatus.ACCEPTED, "answered_at": now, "accepted_by": name}
        )
    return quote.model_copy(
        update={"status": QuoteStatus.DECLINED, "answered_at": now, "decline_reason": reason}
    )


def public(quote: Quote, seller: str, today: date) -> PublicQuote:
    assert quote.number and quote.valid_until
    return PublicQuote(
        seller=seller,
        number=quote.number,
        status=quote.status,
        expired=expired(quote, today),
        customer=quote.customer.name,
        language=quote.customer.language,
        currency=quote.currency,
        lines=quote.priced,
        tax_breakdown=quote.tax_breakdown,
        subtotal=quote.subtotal,
        tax_total=quote.tax_total,
        total=quote.total,
        notes=quote.notes,
        valid_until=quote.valid_until,
        accepted_by=quote.accepted_by,
    )


def invoice_request(quote: Quote) -> InvoiceRequest:
    """The invoice of an accepted quote: its customer, lines and prices as offered."""
    if quote.status is not QuoteStatus.ACCEPTED:
        raise Conflict(
            N_("the quote is {status}; invoice an accepted quote"),
            slug="quote-not-accepted",
            status=quote.status,
        )
    return InvoiceRequest(
        customer=quote.customer, currency=quote.currency, lines=quote.lines, notes=quote.notes
    )
