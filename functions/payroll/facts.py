"""The monthly figures the changes of pay runs and cheques move (see `core.facts`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from core.clock import business_days_between
from core.facts import Context, Derive, Fact, Item, count, moment, month_of, sample


def cheque_facts(old: Item, new: Item, context: Context) -> Iterator[Fact]:
    if not new:
        return
    tz, status, before = context.timezone, new.get("status"), old.get("status")
    if not old and new.get("replaces"):
        yield count(month_of(context.at, tz), "payroll.reissued")
    if status == before:
        return
    if status == "ready" and new.get("ready_on"):
        yield count(month_of(new["ready_on"], tz), "payroll.ready")
    elif status == "handed_over":
        step = next(s for s in reversed(new.get("history", [])) if s["status"] == "handed_over")
        day = moment(step["at"], tz).date()
        month = day.isoformat()[:7]
        yield count(month, "payroll.handed_over")
        if new.get("ready_on"):
            waited = business_days_between(date.fromisoformat(str(new["ready_on"])), day)
            yield sample(month, "payroll.days_to_handover", Decimal(waited))
            if waited <= 2:
                yield count(month, "payroll.handed_over_within_2")
    elif status in ("stale", "void"):
        yield count(month_of(context.at, tz), "payroll.stale" if status == "stale" else "payroll.voided")


def run_facts(old: Item, new: Item, context: Context) -> Iterator[Fact]:
    if new and not old and new.get("status") != "rejected":
        month = month_of(new.get("pay_date") or new["created_at"], context.timezone)
        yield count(month, "payroll.runs")
        yield count(month, "payroll.cheques", Decimal(str(new.get("cheque_count", 0))))


FACTS: dict[str, Derive] = {"CHQ": cheque_facts, "RUN": run_facts}
