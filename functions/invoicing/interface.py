"""What invoicing offers the other capabilities: what customers owed on a given day."""

from __future__ import annotations

from datetime import date
from typing import Any

from core.dynamo import Table
from core.settings import env
from invoicing.aging import aging
from invoicing.reminders import reminder_ladder
from invoicing.store import InvoiceStore


def receivables_at(end: date) -> dict[str, Any]:
    """What was owed at the end of `end`, by aging bucket and currency."""
    store = InvoiceStore(Table(env("INVOICES_TABLE")), env("AUDIT_TABLE"), reminder_ladder())
    _, totals = aging(store.issued_until(end), end)
    return {
        "overdue_by_bucket": {
            row.currency: {bucket: str(amount) for bucket, amount in row.amounts.items()} for row in totals
        }
    }
