"""The monthly figures an invoice's changes move (see `core.facts`)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from core.facts import Context, Derive, Fact, Item, count, month_of
from invoicing.arithmetic import note_net_and_tax


def invoice_facts(old: Item, new: Item, context: Context) -> Iterator[Fact]:
    """What is owed moves on the day of what moved it: up on the issue date and on a debit note's date
    (a late fee is one; invoices stored before that carried it as a line, which moved the total) and of a
    refund, down on a payment's or a credit note's date, and when an invoice is voided."""
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
        yield from _sales(month, new, currency, 1)
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
    paid_back = {r["id"] for r in old.get("refunds", [])}
    for refund in new.get("refunds", []):
        if refund["id"] not in paid_back:  # what the customer was owed goes back to the office's side
            amount, month = Decimal(str(refund["amount"])), month_of(refund["date"], tz)
            yield count(month, f"invoicing.refunded.{currency}", amount)
            yield count(month, owed, amount)
    for notes, sign in (("credit_notes", -1), ("debit_notes", 1)):
        seen = {n["id"] for n in old.get(notes, [])}
        for note in new.get(notes, []):
            if note["id"] not in seen:
                month, amount = month_of(note["date"], tz), Decimal(str(note["amount"]))
                net, tax = note_net_and_tax(
                    amount, _note_tax(note), _money(new["tax_total"]), _money(new["total"]), currency
                )
                kind = notes.removesuffix("_notes")
                yield count(month, owed, sign * amount)
                yield count(month, f"invoicing.{kind}_net.{currency}", net)
                yield count(month, f"invoicing.{kind}_vat.{currency}", tax)
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
            yield from _sales(month, old, currency, -1)


def _money(value: object) -> Decimal:
    return Decimal(str(value))


def _note_tax(note: Item) -> Decimal | None:
    lines = note.get("lines") or []
    return sum((_money(line["tax_amount"]) for line in lines), Decimal(0)) if lines else None


def _sales(month: str, invoice: Item, currency: str, sign: int) -> Iterator[Fact]:
    """Sales without tax and the tax on them, per rate (`invoicing.net_at_7.THB`, `vat_at_7`): the
    VAT return's output side; a voided invoice takes them back in the month it was voided."""
    for line in invoice.get("tax_breakdown", []):
        rate = f"{_money(line['rate']).normalize():f}".replace(".", "_")
        yield count(month, f"invoicing.net_at_{rate}.{currency}", sign * _money(line["taxable_amount"]))
        yield count(month, f"invoicing.vat_at_{rate}.{currency}", sign * _money(line["tax_amount"]))


FACTS: dict[str, Derive] = {"INV": invoice_facts}
