"""The reminder ladder: which stage an open invoice has reached, and the late fee that stage adds.

Configuration (template parameters ReminderLadder and LateFees):
- ReminderLadder: days relative to the due date, e.g. "-3,1,7,14,30" (3 days before, then 1, 7,
  14 and 30 days past due).
- LateFees: optional fees per stage, e.g. "14=25.00,30=1.5%": a fixed amount in the invoice's
  currency, or a percentage of the amount still due.
A run sends only the latest stage reached (a run after an outage does not send the missed ones in
a burst) and each stage at most once per invoice.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from core.money import parse_amount
from core.settings import env
from invoicing.arithmetic import percentage_of
from invoicing.model import OPEN, Invoice, Status

DEFAULT_LADDER = "-3,1,7,14,30"


class LadderError(ValueError):
    """The ladder or fee configuration does not parse."""


@dataclass(frozen=True)
class LateFee:
    value: Decimal
    percent: bool

    def amount(self, amount_due: Decimal, currency: str) -> Decimal:
        if self.percent:
            return percentage_of(amount_due, self.value, currency)
        return parse_amount(self.value, currency)


@dataclass(frozen=True)
class Ladder:
    stages: tuple[int, ...]
    fees: dict[int, LateFee]

    @classmethod
    def parse(cls, ladder: str, fees: str = "") -> Ladder:
        try:
            stages = tuple(sorted({int(part) for part in ladder.split(",") if part.strip()}))
        except ValueError:
            raise LadderError(f"reminder ladder {ladder!r} is not a list of day offsets") from None
        parsed: dict[int, LateFee] = {}
        for part in (p.strip() for p in fees.split(",") if p.strip()):
            stage_text, _, value = part.partition("=")
            try:
                stage = int(stage_text)
                percent = value.strip().endswith("%")
                number = Decimal(value.strip().rstrip("%"))
            except (ValueError, InvalidOperation):
                raise LadderError(f"late fee {part!r} is not STAGE=AMOUNT or STAGE=PERCENT%") from None
            if stage not in stages:
                raise LadderError(f"late fee for stage {stage}, which is not on the ladder")
            if number < 0:
                raise LadderError(f"late fee {part!r} is negative")
            parsed[stage] = LateFee(number, percent)
        return cls(stages, parsed)

    @property
    def earliest(self) -> int:
        return min(self.stages, default=0)

    def due_stage(self, due_date: date, today: date, done: Iterable[int]) -> int | None:
        """The latest stage reached by today, unless it (or a later one) was already handled."""
        offset = (today - due_date).days
        reached = [stage for stage in self.stages if stage <= offset]
        if not reached:
            return None
        latest = reached[-1]
        handled = set(done)
        if any(stage >= latest for stage in handled):
            return None
        return latest


def reminder_ladder() -> Ladder:
    """The function's ladder (template parameters ReminderLadder and LateFees)."""
    return Ladder.parse(env("REMINDER_LADDER"), os.environ.get("LATE_FEES", ""))


def next_action(invoice: Invoice, ladder: Ladder) -> date | None:
    """The first day the daily run has something to do for an invoice — mark it overdue, claim the
    next stage after the last one handled, or finish a claimed but unsent reminder — or None when
    nothing is left (settled or void, or overdue past the last stage)."""
    if invoice.status not in OPEN or invoice.due_date is None:
        return None
    days = [reminder.claimed_at.date() for reminder in invoice.reminders if reminder.sent_at is None]
    if invoice.status is not Status.OVERDUE:
        days.append(invoice.due_date + timedelta(days=1))
    handled = max((reminder.stage for reminder in invoice.reminders), default=None)
    later = [stage for stage in ladder.stages if handled is None or stage > handled]
    if later:
        days.append(invoice.due_date + timedelta(days=later[0]))
    return min(days, default=None)
