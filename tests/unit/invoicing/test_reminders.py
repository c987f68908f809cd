"""The reminder ladder and late fees."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from invoicing import rules
from invoicing.model import Invoice, Reminder, Status
from invoicing.reminders import Ladder, LadderError, next_action

DUE = date(2026, 11, 30)
LADDER = Ladder.parse("-3,1,7,14,30", "14=25.00,30=1.5%")


@pytest.mark.parametrize(
    ("today", "done", "stage"),
    [
        (date(2026, 11, 26), [], None),  # 4 days before: nothing yet
        (date(2026, 11, 27), [], -3),
        (date(2026, 11, 30), [-3], None),  # due today: the -3 reminder was the last
        (date(2026, 12, 1), [-3], 1),
        (date(2026, 12, 1), [-3, 1], None),  # the job ran twice: at most once per stage
        (date(2026, 12, 20), [-3], 14),  # after an outage: only the latest stage, no burst
        (date(2027, 3, 1), [-3, 1, 7, 14, 30], None),
    ],
)
def test_the_stage_due_today(today: date, done: list[int], stage: int | None) -> None:
    assert LADDER.due_stage(DUE, today, done) == stage


def test_late_fees_are_fixed_or_a_percentage_of_what_is_due() -> None:
    assert LADDER.fees[14].amount(Decimal("1000.00"), "USD") == Decimal("25.00")
    assert LADDER.fees[30].amount(Decimal("1000.10"), "USD") == Decimal("15.00")  # 15.0015 → 15.00
    assert LADDER.fees[30].amount(Decimal(100001), "JPY") == Decimal(1500)


@pytest.mark.parametrize(("ladder", "fees"), [("-3,x", ""), ("1,7", "9=5"), ("1,7", "7=abc"), ("1", "1=-5")])
def test_a_bad_configuration_is_refused(ladder: str, fees: str) -> None:
    with pytest.raises(LadderError):
        Ladder.parse(ladder, fees)


@pytest.mark.parametrize("ladder", ["-3,1,7,14,30", "1", "-10,0,45"])
def test_the_next_action_day_comes_on_every_day_with_work_and_on_no_other(ladder: str) -> None:
    """The daily run reads an invoice only on its next action day: walk 100 days doing what each day
    asks, and compare the days with work with the days the index would return it."""
    stages = Ladder.parse(ladder)
    invoice = Invoice.model_construct(status=Status.ISSUED, due_date=DUE, reminders=[])
    worked, read = [], []
    for offset in range(-30, 70):
        today = DUE + timedelta(days=offset)
        action = next_action(invoice, stages)
        if action is not None and action <= today:
            read.append(today)
        stage = stages.due_stage(DUE, today, [r.stage for r in invoice.reminders])
        changed = rules.overdue(invoice, today)
        if stage is not None:
            at = datetime(today.year, today.month, today.day, 13, tzinfo=UTC)
            done = Reminder(stage=stage, claimed_at=at, sent_at=at)
            changed = changed.model_copy(update={"reminders": [*invoice.reminders, done]})
        if changed != invoice:
            worked.append(today)
        invoice = changed
    assert read == worked
    assert len(worked) == len(stages.stages) + (1 not in stages.stages)  # + the day it turns overdue


def test_a_settled_invoice_and_a_reminder_claimed_but_unsent() -> None:
    claimed = Reminder(stage=1, claimed_at=datetime(2026, 12, 1, 13, tzinfo=UTC))
    overdue = Invoice.model_construct(status=Status.OVERDUE, due_date=DUE, reminders=[claimed])
    assert next_action(overdue, LADDER) == date(2026, 12, 1)  # retried by the next run
    assert next_action(overdue.model_copy(update={"status": Status.PAID}), LADDER) is None
