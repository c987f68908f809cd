"""Receivables aging: what each customer owes on a date, by how long it has been past due."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from core.money import format_amount
from invoicing.model import Invoice, Status

BUCKETS = ("current", "days_1_30", "days_31_60", "days_61_90", "over_90")
CSV_HEADINGS = ("customer", "email", "currency", "current", "1-30", "31-60", "61-90", "over 90", "total")


def bucket(days_past_due: int) -> str:
    if days_past_due <= 0:
        return "current"
    if days_past_due <= 30:
        return "days_1_30"
    if days_past_due <= 60:
        return "days_31_60"
    if days_past_due <= 90:
        return "days_61_90"
    return "over_90"


def outstanding_on(invoice: Invoice, as_of: date) -> Decimal:
    """What was still owed on the invoice at the end of `as_of` (later payments not yet counted); below
    zero, what the office owed the customer (a credit note after they paid, not yet refunded)."""
    if invoice.status in (Status.DRAFT, Status.VOID) or not invoice.issue_date or invoice.issue_date > as_of:
        return Decimal(0)
    paid = sum((p.settles for p in invoice.payments if p.date <= as_of), Decimal(0))
    credited = sum((c.amount for c in invoice.credit_notes if c.date <= as_of), Decimal(0))
    debited = sum((d.amount for d in invoice.debit_notes if d.date <= as_of), Decimal(0))
    refunded = sum((r.amount for r in invoice.refunds if r.date <= as_of), Decimal(0))
    return invoice.total + debited - paid - credited + refunded


@dataclass
class Row:
    customer: str
    email: str
    currency: str
    amounts: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(BUCKETS, Decimal(0)))

    @property
    def total(self) -> Decimal:
        return sum(self.amounts.values(), Decimal(0))

    def as_dict(self) -> dict[str, str]:
        money = {name: format_amount(value, self.currency) for name, value in self.amounts.items()}
        return {
            "customer": self.customer,
            "email": self.email,
            "currency": self.currency,
            **money,
            "total": format_amount(self.total, self.currency),
        }


def aging(invoices: Iterable[Invoice], as_of: date) -> tuple[list[Row], list[Row]]:
    """Rows per customer and currency, and a total row per currency (amounts never mix currencies); a
    customer's credit (owed to them) counts as a negative current amount against what they owe."""
    customers: dict[tuple[str, str], Row] = {}
    totals: dict[str, Row] = {}
    for invoice in invoices:
        owed = outstanding_on(invoice, as_of)
        if owed == 0 or invoice.due_date is None:
            continue
        name = bucket((as_of - invoice.due_date).days) if owed > 0 else "current"  # a credit is not late
        key = (invoice.customer.email.lower(), invoice.currency)
        row = customers.setdefault(key, Row(invoice.customer.name, invoice.customer.email, invoice.currency))
        row.amounts[name] += owed
        total = totals.setdefault(invoice.currency, Row("TOTAL", "", invoice.currency))
        total.amounts[name] += owed
    ordered = sorted(customers.values(), key=lambda r: (r.currency, -r.total, r.customer))
    return ordered, [totals[c] for c in sorted(totals)]


def _cell(text: str) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas; keep names as text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def to_csv(rows: list[Row], totals: list[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADINGS)
    for row in [*rows, *totals]:
        data = row.as_dict()
        names = [_cell(data["customer"]), _cell(data["email"]), data["currency"]]
        writer.writerow([*names, *(data[b] for b in BUCKETS), data["total"]])
    return out.getvalue()
