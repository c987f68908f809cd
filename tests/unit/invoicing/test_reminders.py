"""The reminder ladder and late fees."""

from datetime import date
from decimal import Decimal

import pytest

from invoicing.reminders import Ladder, LadderError

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
