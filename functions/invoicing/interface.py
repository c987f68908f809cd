"""What invoicing offers the other capabilities: what customers owed on a given day, and for the bank's
credits, the invoices still owed and a payment recorded on one.

A capability that calls these runs with invoicing's own environment and grants (template.yaml: the
invoices table, the audit table, the event bus, TAX_ROUNDING, REMINDER_LADDER, LATE_FEES, RECEIPTS).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from core.dynamo import Table
from core.identity import Caller
from core.settings import env
from invoicing.aging import aging
from invoicing.model import Invoice
from invoicing.reminders import reminder_ladder
from invoicing.requests import PaymentRequest
from invoicing.store import InvoiceStore, number_of


def receivables_at(end: date) -> dict[str, Any]:
    """What was owed at the end of `end`, by aging bucket and currency."""
    store = InvoiceStore(Table(env("INVOICES_TABLE")), env("AUDIT_TABLE"), reminder_ladder())
    _, totals = aging(store.issued_until(end), end)
    return {
        "overdue_by_bucket": {
            row.currency: {bucket: str(amount) for bucket, amount in row.amounts.items()} for row in totals
        }
    }


@dataclass(frozen=True)
class OpenInvoice:
    """An invoice as a bank credit may pay it: who owes what, in which currency."""

    id: str
    number: str | None
    currency: str
    amount_due: Decimal
    customer_name: str
    customer_email: str

    @classmethod
    def of(cls, invoice: Invoice) -> OpenInvoice:
        customer = invoice.customer
        return cls(
            invoice.id, invoice.number, invoice.currency, invoice.amount_due, customer.name, customer.email
        )


def invoice_number(year: int, sequence: int) -> str:
    """The number invoicing gives the `sequence`th invoice of `year` (INV-2026-000012)."""
    return number_of("INV", year, sequence)


def open_invoices() -> list[OpenInvoice]:
    """Every invoice that still owes something."""
    from invoicing.service import invoicing

    return [OpenInvoice.of(invoice) for invoice in invoicing().store.open_invoices()]


def record_payment(
    invoice_id: str,
    *,
    amount: Decimal,
    day: date,
    reference: str | None,
    payment_id: str,
    matched_by: str,
    caller: Caller,
) -> OpenInvoice:
    """Record a bank transfer as the invoice's payment (with its receipt, as a person's would be), once
    per `payment_id`: a second call finds it recorded and answers the invoice as it is."""
    from core.errors import Conflict
    from invoicing.service import invoicing

    office = invoicing()
    request = PaymentRequest(amount=amount, date=day, method="bank_transfer", reference=reference)
    try:
        paid = office.pay(invoice_id, request, caller, payment_id=payment_id, matched_by=matched_by)
    except Conflict as error:
        if error.slug != "payment-recorded":
            raise
        paid = office.get(invoice_id)  # an earlier try recorded it and stopped before its caller did
    return OpenInvoice.of(paid)
