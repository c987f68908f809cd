"""The monthly figures a change adds up to (pure: no AWS); each capability derives its own facts.

A change is a record's image before and after (from the table's stream). It adds to counters and
sums of a month, and appends samples (durations) to it. Each figure counts in the month its own
date falls in: an invoice's issue date, a payment's date, the day a cheque was handed over, an
obligation's due date, an upload's time (in the business timezone). Sums are per currency.

Figures (`<name>` or `<name>.<currency or type>`):
- intake.received[.type], intake.filed, intake.duplicate, intake.quarantined, intake.reclassified,
  intake.released; sample intake.seconds_to_file
- invoicing.issued, invoicing.issued_total.CUR, invoicing.collected.CUR (money received),
  invoicing.withheld.CUR (tax customers withheld, which settles invoices too), invoicing.refunded.CUR
  (money paid back where a credit note left the customer owed), invoicing.paid,
  invoicing.paid_on_time, invoicing.reminders_sent, invoicing.paid_after_reminder,
  invoicing.voided, invoicing.receivable_change.CUR (what is owed moved by, in the month it moved:
  issued, a late fee, paid, credited, voided)
  invoicing.net_at_RATE.CUR and invoicing.vat_at_RATE.CUR (sales without tax and their tax per rate, on
  the issue date; back when voided), invoicing.credit_net/credit_vat/debit_net/debit_vat.CUR (notes)
- payables.bills, payables.billed.CUR, payables.net.CUR, payables.input_vat.CUR (approved bills, in the
  month of the vendor's invoice date), payables.paid.CUR
- payroll.runs, payroll.cheques, payroll.ready, payroll.handed_over, payroll.handed_over_within_2,
  payroll.stale, payroll.voided, payroll.reissued; sample payroll.days_to_handover (business days)
- compliance.due, compliance.completed_on_time, compliance.completed_late (both in the month the
  obligation was due), compliance.escalations
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from compliance.facts import FACTS as COMPLIANCE
from core.facts import Context, Derive, Item
from intake.facts import FACTS as INTAKE
from invoicing.facts import FACTS as INVOICING
from payables.facts import FACTS as PAYABLES
from payroll.facts import FACTS as PAYROLL

__all__ = ["Context", "Increment", "increments"]
DERIVE: dict[str, Derive] = {**INTAKE, **INVOICING, **PAYROLL, **PAYABLES, **COMPLIANCE}


@dataclass
class Increment:
    """What one change adds to one month."""

    month: str
    add: dict[str, Decimal] = field(default_factory=dict)
    samples: dict[str, list[Decimal]] = field(default_factory=dict)
    carried: dict[str, dict[str, Decimal]] = field(default_factory=dict)  # from closed months (`Counting`)

    def merged(self, other: Increment) -> Increment:
        """This month's figures with another increment's (of a closed month) carried into it."""
        add = dict(self.add)
        for name, value in other.add.items():
            add[name] = add.get(name, Decimal(0)) + value
        samples = {
            name: [*self.samples.get(name, []), *other.samples.get(name, [])]
            for name in {*self.samples, *other.samples}
        }
        return Increment(self.month, add, samples, {**self.carried, other.month: other.add})


def increments(old: Item | None, new: Item | None, context: Context) -> list[Increment]:
    """The figures a change moves, grouped by month (empty for records that count for nothing)."""
    derive = DERIVE.get(str((new or old or {}).get("sk", "")))
    if derive is None:
        return []
    months: dict[str, Increment] = {}
    for month, name, value, is_sample in derive(old or {}, new or {}, context):
        entry = months.setdefault(month, Increment(month))
        if is_sample:
            entry.samples.setdefault(name, []).append(value)
        else:
            entry.add[name] = entry.add.get(name, Decimal(0)) + value
    for entry in months.values():
        entry.add = {name: value for name, value in entry.add.items() if value != 0}
    return [m for m in months.values() if m.add or m.samples]
