"""The monthly figures a bill's changes move (see `core.facts`): what the office owes its vendors and
the VAT it may deduct, in the month of the vendor's invoice date; payments in their own month."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from core.facts import Context, Derive, Fact, Item, count, month_of

COUNTED = ("approved", "scheduled", "paid")


def bill_facts(old: Item, new: Item, context: Context) -> Iterator[Fact]:
    """A bill counts once approved (`payables.billed`, `payables.net`, `payables.input_vat` per
    currency); rejected after that, it is taken back in the month it was rejected."""
    if not new or not new.get("figures"):
        return
    figures, tz = new["figures"], context.timezone
    currency = figures["currency"]
    was, now = old.get("status") in COUNTED, new.get("status") in COUNTED
    if was != now:
        sign, month = (1, month_of(figures["issue_date"], tz)) if now else (-1, month_of(context.at, tz))
        yield count(month, "payables.bills", Decimal(sign))
        for name, field in (("billed", "total"), ("net", "net"), ("input_vat", "vat")):
            yield count(month, f"payables.{name}.{currency}", sign * Decimal(str(figures[field])))
    known = {p["id"] for p in old.get("payments", [])}
    for payment in new.get("payments", []):
        if payment["id"] not in known:
            yield count(
                month_of(payment["date"], tz), f"payables.paid.{currency}", Decimal(str(payment["amount"]))
            )


FACTS: dict[str, Derive] = {"BILL": bill_facts}
