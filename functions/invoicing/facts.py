"""The monthly figures an invoice's changes move (see `core.facts`)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from core.facts import Context, Derive, Fact, Item, count, month_of


def invoice_facts(old: Item, new: Item, context: Context) -> Iterator[Fact]:
    """What is owed moves on the day of what moved it: up on the issue date (and when a late fee is
    added, and on a debit note's date), down on a payment's or a credit note's date, and when an invoice
    is voided."""
    if not new:
        return
    tz, currency = context.timezone, new["currency"]
    owed = f"invoicing.receivable_change.{currency}"
    issued_now = bool(new.get("number") and not old.get("number") and new.get("issue_date"))
    if issued_now:
        month = month_of(new["issue_date"], tz)
        yield count(month, "invoicing.issued")
        yield count(month, f"invoicing.issued_total.{currency}", Decimal(str(new["total"])))
        yield count(month, owed, Decimal(str(new["total"])))
    elif old.get("number") and Decimal(str(new["total"])) != Decimal(str(old["total"])):
        yield count(month_of(context.at, tz), owed, Decimal(str(new["total"])) - Decimal(str(old["total"])))
    known = {p["id"] for p in old.get("payments", [])}
    for payment in new.get("payments", []):
        if payment["id"] not in known:
            amount, month = Decimal(str(payment["amount"])), month_of(payment["date"], tz)
            withheld = Decimal(str(payment.get("withheld") or 0))
            yield count(month, f"invoicing.collected.{currency}", amount)
            if withheld:
                yield count(month, f"invoicing.withheld.{currency}", withheld)
            yield count(month, owed, -(amount + withheld))
    for notes, sign in (("credit_notes", -1), ("debit_notes", 1)):
        seen = {n["id"] for n in old.get(notes, [])}
        for note in new.get(notes, []):
            if note["id"] not in seen:
                yield count(month_of(note["date"], tz), owed, sign * Decimal(str(note["amount"])))
    if new.get("status") == "paid" and old.get("status") != "paid" and new.get("payments"):
        last = max(str(p["date"]) for p in new["payments"])
        yield count(last[:7], "invoicing.paid")
        if new.get("due_date") and last <= str(new["due_date"]):
            yield count(last[:7], "invoicing.paid_on_time")
        if any(r.get("sent_at") for r in new.get("reminders", [])):
            yield count(last[:7], "invoicing.paid_after_reminder")
    sent_before = {r["stage"] for r in old.get("reminders", []) if r.get("sent_at")}
    for reminder in new.get("reminders", []):
        if reminder.get("sent_at") and reminder["stage"] not in sent_before:
            yield count(month_of(reminder["sent_at"], tz), "invoicing.reminders_sent")
    if new.get("status") == "void" and old.get("status") != "void":
        month = month_of(context.at, tz)
        yield count(month, "invoicing.voided")
        if old.get("number"):
            yield count(month, owed, -Decimal(str(old.get("amount_due", 0))))


FACTS: dict[str, Derive] = {"INV": invoice_facts}
