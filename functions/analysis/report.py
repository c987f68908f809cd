"""The office analysis of a month, next to the months before it, from the monthly figures (pure).

Rules written down:
- shares are of the month's own count (filed share = filed / received); None when nothing happened
- median and 95th percentile: nearest-rank on the month's samples
- days sales outstanding = receivables at month end / invoiced in the month × days in the month,
  per currency; receivables at month end are every change to what is owed up to that month
- paid on time: invoices fully paid in the month whose last payment was on or before the due date
- cheques handed over within 2 business days of being ready, of those handed over in the month
- obligations are counted in the month they were due; those neither completed on time nor late are
  still overdue once the month has ended
"""

from __future__ import annotations

import calendar
import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from analysis.store import Month

TREND_MONTHS = 6
BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")


def previous(month: str, count: int) -> list[str]:
    """`count` months ending with `month`, oldest first."""
    year, number = int(month[:4]), int(month[5:7])
    out = []
    for _ in range(count):
        out.append(f"{year:04d}-{number:02d}")
        year, number = (year, number - 1) if number > 1 else (year - 1, 12)
    return out[::-1]


def share(part: Decimal, whole: Decimal) -> Decimal | None:
    return (part / whole).quantize(Decimal("0.001"), ROUND_HALF_UP) if whole else None


def percentile(values: list[Decimal], fraction: float) -> Decimal | None:
    """Nearest-rank percentile (the median is fraction 0.5)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(fraction * len(ordered))) - 1]


def _sums(figures: dict[str, Decimal], prefix: str) -> dict[str, Decimal]:
    return {name.removeprefix(prefix): value for name, value in figures.items() if name.startswith(prefix)}


def month_figures(month: Month, receivable_end: dict[str, Decimal], ended: bool) -> dict[str, Any]:
    g = month.get
    received = g("intake.received")
    seconds = month.samples.get("intake.seconds_to_file", [])
    issued = _sums(month.figures, "invoicing.issued_total.")
    days = calendar.monthrange(int(month.month[:4]), int(month.month[5:7]))[1]
    handed = g("payroll.handed_over")
    due = g("compliance.due")
    on_time, late = g("compliance.completed_on_time"), g("compliance.completed_late")
    return {
        "month": month.month,
        "intake": {
            "received": received,
            "by_type": dict(sorted(_sums(month.figures, "intake.received.").items())),
            "filed": g("intake.filed"),
            "duplicate": g("intake.duplicate"),
            "quarantined": g("intake.quarantined"),
            "filed_share": share(g("intake.filed"), received),
            "duplicate_share": share(g("intake.duplicate"), received),
            "quarantined_share": share(g("intake.quarantined"), received),
            "median_seconds_to_file": percentile(seconds, 0.5),
            "p95_seconds_to_file": percentile(seconds, 0.95),
            "reclassified": g("intake.reclassified"),
        },
        "invoicing": {
            "issued": g("invoicing.issued"),
            "issued_total": issued,
            "collected": _sums(month.figures, "invoicing.collected."),
            "receivable_at_month_end": receivable_end,
            "days_sales_outstanding": {
                currency: (receivable_end.get(currency, Decimal(0)) / total * days).quantize(Decimal("0.1"))
                for currency, total in issued.items()
                if total
            },
            "paid": g("invoicing.paid"),
            "paid_on_time_share": share(g("invoicing.paid_on_time"), g("invoicing.paid")),
            "overdue_by_bucket": month.snapshot.get("overdue_by_bucket"),
            "reminders_sent": g("invoicing.reminders_sent"),
            "paid_after_reminder": g("invoicing.paid_after_reminder"),
            "voided": g("invoicing.voided"),
        },
        "payroll": {
            "runs": g("payroll.runs"),
            "cheques": g("payroll.cheques"),
            "cheques_per_run": (g("payroll.cheques") / g("payroll.runs")).quantize(Decimal("0.1"))
            if g("payroll.runs")
            else None,
            "handed_over": handed,
            "handed_over_within_2_days_share": share(g("payroll.handed_over_within_2"), handed),
            "median_days_to_handover": percentile(month.samples.get("payroll.days_to_handover", []), 0.5),
            "stale": g("payroll.stale"),
            "voided": g("payroll.voided"),
            "reissued": g("payroll.reissued"),
        },
        "compliance": {
            "due": due,
            "completed_on_time": on_time,
            "completed_late": late,
            "still_overdue": due - on_time - late if ended else None,
            "escalations": g("compliance.escalations"),
        },
    }


def build(month: str, months: dict[str, Month], today_month: str) -> dict[str, Any]:
    """The report for `month` and the months before it (those given with samples and snapshots)."""
    shown = previous(month, TREND_MONTHS)
    balance: dict[str, Decimal] = {}
    ends: dict[str, dict[str, Decimal]] = {}
    for name in sorted(months):
        for currency, change in _sums(months[name].figures, "invoicing.receivable_change.").items():
            balance[currency] = balance.get(currency, Decimal(0)) + change
        ends[name] = dict(balance)
    rows = []
    for name in shown:
        earlier = [m for m in sorted(ends) if m <= name]
        receivable = ends[earlier[-1]] if earlier else {}
        rows.append(month_figures(months.get(name, Month(name)), receivable, ended=name < today_month))
    return {"month": month, "months": shown, "figures": rows}


def flatten(figures: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """One row per figure for a CSV: intake.received, invoicing.issued_total.USD …"""
    out: dict[str, Any] = {}
    for key, value in figures.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, f"{name}."))
        elif key != "month":
            out[name] = value
    return out
