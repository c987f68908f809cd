"""What each change to a record adds to the office's monthly figures (pure: no AWS).

A change is a record's image before and after (from the table's stream). It adds to counters and
sums of a month, and appends samples (durations) to it. Each figure counts in the month its own
date falls in: an invoice's issue date, a payment's date, the day a cheque was handed over, an
obligation's due date, an upload's time (in the business timezone). Sums are per currency.

Figures (`<name>` or `<name>.<currency or type>`):
- intake.received[.type], intake.filed, intake.duplicate, intake.quarantined, intake.reclassified,
  intake.released; sample intake.seconds_to_file
- invoicing.issued, invoicing.issued_total.CUR, invoicing.collected.CUR, invoicing.paid,
  invoicing.paid_on_time, invoicing.reminders_sent, invoicing.paid_after_reminder,
  invoicing.voided, invoicing.receivable_change.CUR (what is owed moved by, in the month it moved:
  issued, a late fee, paid, credited, voided)
- payroll.runs, payroll.cheques, payroll.ready, payroll.handed_over, payroll.handed_over_within_2,
  payroll.stale, payroll.voided, payroll.reissued; sample payroll.days_to_handover (business days)
- compliance.due, compliance.completed_on_time, compliance.completed_late (both in the month the
  obligation was due), compliance.escalations
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from core.clock import business_days_between, parse_instant

Item = dict[str, Any]
ONE = Decimal(1)
OPEN_OBLIGATION = ("upcoming", "due_soon", "overdue")


@dataclass
class Increment:
    """What one change adds to one month."""

    month: str
    add: dict[str, Decimal] = field(default_factory=dict)
    samples: dict[str, list[Decimal]] = field(default_factory=dict)


@dataclass(frozen=True)
class Context:
    timezone: ZoneInfo
    at: datetime  # when the change happened (the stream record's time)


def increments(old: Item | None, new: Item | None, context: Context) -> list[Increment]:
    """The figures a change moves, grouped by month (empty for records that count for nothing)."""
    kind = str((new or old or {}).get("sk", ""))
    derive = {"DOC": _document, "INV": _invoice, "CHQ": _cheque, "RUN": _run, "OBL": _obligation}.get(kind)
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


Fact = tuple[str, str, Decimal, bool]


def _count(month: str, name: str, value: Decimal = ONE) -> Fact:
    return month, name, value, False


def _sample(month: str, name: str, value: Decimal) -> Fact:
    return month, name, value, True


def moment(value: Any, timezone: ZoneInfo) -> datetime:
    """A stored instant (ISO text or a datetime) in the business timezone."""
    instant = value if isinstance(value, datetime) else parse_instant(str(value))
    return instant.astimezone(timezone)


def month_of(value: Any, timezone: ZoneInfo) -> str:
    """YYYY-MM of a date, or of a time in the business timezone."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()[:7]
    text = str(value)
    return text[:7] if len(text) == 10 else moment(text, timezone).strftime("%Y-%m")


# ------------------------------------------------------------------ intake
def _document(old: Item, new: Item, context: Context) -> Iterator[Fact]:
    tz = context.timezone
    if not old and new:
        month = month_of(new["uploaded_at"], tz)
        yield _count(month, "intake.received")
        yield _count(month, f"intake.received.{new['type']}")
        yield _count(month, f"intake.{new['status']}")
        if new["status"] == "filed" and new.get("filed_at"):
            seconds = (moment(new["filed_at"], tz) - moment(new["uploaded_at"], tz)).total_seconds()
            yield _sample(month, "intake.seconds_to_file", Decimal(str(round(seconds, 3))))
    elif old and new:
        month = month_of(context.at, tz)
        if old.get("type") != new.get("type") and new.get("classified_by") == "person":
            yield _count(month, "intake.reclassified")
        if old.get("status") == "quarantined" and new.get("status") == "filed":
            yield _count(month, "intake.released")


# --------------------------------------------------------------- invoicing
def _invoice(old: Item, new: Item, context: Context) -> Iterator[Fact]:
    """What is owed moves on the day of what moved it: up on the issue date (and when a late fee is
    added), down on a payment's or a credit note's date, and when an invoice is voided."""
    if not new:
        return
    tz, currency = context.timezone, new["currency"]
    owed = f"invoicing.receivable_change.{currency}"
    issued_now = bool(new.get("number") and not old.get("number") and new.get("issue_date"))
    if issued_now:
        month = month_of(new["issue_date"], tz)
        yield _count(month, "invoicing.issued")
        yield _count(month, f"invoicing.issued_total.{currency}", Decimal(str(new["total"])))
        yield _count(month, owed, Decimal(str(new["total"])))
    elif old.get("number") and Decimal(str(new["total"])) != Decimal(str(old["total"])):
        yield _count(month_of(context.at, tz), owed, Decimal(str(new["total"])) - Decimal(str(old["total"])))
    known = {p["id"] for p in old.get("payments", [])}
    for payment in new.get("payments", []):
        if payment["id"] not in known:
            amount, month = Decimal(str(payment["amount"])), month_of(payment["date"], tz)
            yield _count(month, f"invoicing.collected.{currency}", amount)
            yield _count(month, owed, -amount)
    credited = {c["id"] for c in old.get("credit_notes", [])}
    for note in new.get("credit_notes", []):
        if note["id"] not in credited:
            yield _count(month_of(note["date"], tz), owed, -Decimal(str(note["amount"])))
    if new.get("status") == "paid" and old.get("status") != "paid" and new.get("payments"):
        last = max(str(p["date"]) for p in new["payments"])
        yield _count(last[:7], "invoicing.paid")
        if new.get("due_date") and last <= str(new["due_date"]):
            yield _count(last[:7], "invoicing.paid_on_time")
        if any(r.get("sent_at") for r in new.get("reminders", [])):
            yield _count(last[:7], "invoicing.paid_after_reminder")
    sent_before = {r["stage"] for r in old.get("reminders", []) if r.get("sent_at")}
    for reminder in new.get("reminders", []):
        if reminder.get("sent_at") and reminder["stage"] not in sent_before:
            yield _count(month_of(reminder["sent_at"], tz), "invoicing.reminders_sent")
    if new.get("status") == "void" and old.get("status") != "void":
        month = month_of(context.at, tz)
        yield _count(month, "invoicing.voided")
        if old.get("number"):
            yield _count(month, owed, -Decimal(str(old.get("amount_due", 0))))


# ----------------------------------------------------------------- payroll
def _cheque(old: Item, new: Item, context: Context) -> Iterator[Fact]:
    if not new:
        return
    tz, status, before = context.timezone, new.get("status"), old.get("status")
    if not old and new.get("replaces"):
        yield _count(month_of(context.at, tz), "payroll.reissued")
    if status == before:
        return
    if status == "ready" and new.get("ready_on"):
        yield _count(month_of(new["ready_on"], tz), "payroll.ready")
    elif status == "handed_over":
        step = next(s for s in reversed(new.get("history", [])) if s["status"] == "handed_over")
        day = moment(step["at"], tz).date()
        month = day.isoformat()[:7]
        yield _count(month, "payroll.handed_over")
        if new.get("ready_on"):
            waited = business_days_between(date.fromisoformat(str(new["ready_on"])), day)
            yield _sample(month, "payroll.days_to_handover", Decimal(waited))
            if waited <= 2:
                yield _count(month, "payroll.handed_over_within_2")
    elif status in ("stale", "void"):
        yield _count(month_of(context.at, tz), "payroll.stale" if status == "stale" else "payroll.voided")


def _run(old: Item, new: Item, context: Context) -> Iterator[Fact]:
    if new and not old and new.get("status") != "rejected":
        month = month_of(new.get("pay_date") or new["created_at"], context.timezone)
        yield _count(month, "payroll.runs")
        yield _count(month, "payroll.cheques", Decimal(str(new.get("cheque_count", 0))))


# -------------------------------------------------------------- compliance
def _due_in(obligation: Item) -> str | None:
    counted = obligation.get("status") in (*OPEN_OBLIGATION, "completed")
    return str(obligation["effective_due_date"])[:7] if obligation and counted else None


def _obligation(old: Item, new: Item, context: Context) -> Iterator[Fact]:
    before, after = _due_in(old), _due_in(new)
    if before != after:
        if before:
            yield _count(before, "compliance.due", -ONE)
        if after:
            yield _count(after, "compliance.due")
    if new.get("status") == "completed" and old.get("status") != "completed" and after:
        on_time = str(new["completed_on"]) <= str(new["effective_due_date"])
        yield _count(after, "compliance.completed_on_time" if on_time else "compliance.completed_late")
    sent_before = {s["key"] for s in old.get("sent", []) if s.get("sent_at")}
    for sent in new.get("sent", []):
        if sent.get("sent_at") and sent["key"].startswith("escalation") and sent["key"] not in sent_before:
            yield _count(month_of(sent["sent_at"], context.timezone), "compliance.escalations")
