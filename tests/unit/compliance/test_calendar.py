"""Recurrence, business days, and where an occurrence stands on a day."""

from datetime import date

import pytest

from compliance.calendar import (
    effective_due,
    escalation_stage,
    lead_stage,
    next_occurrence,
    status_on,
    validate_rule,
)
from compliance.importer import read_calendar
from compliance.model import BusinessDayRule, Status
from tests import files


@pytest.mark.parametrize(
    ("rule", "anchor", "after", "expected"),
    [
        ("FREQ=MONTHLY;BYMONTHDAY=15", date(2026, 12, 15), date(2026, 12, 15), date(2027, 1, 15)),
        (
            "FREQ=YEARLY;BYMONTH=1,4,7,10;BYMONTHDAY=-1",
            date(2027, 1, 31),
            date(2027, 1, 31),
            date(2027, 4, 30),
        ),
        ("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=31", date(2026, 3, 31), date(2026, 3, 31), date(2027, 3, 31)),
        (
            "FREQ=MONTHLY;BYMONTHDAY=31",
            date(2027, 1, 31),
            date(2027, 1, 31),
            date(2027, 3, 31),
        ),  # RFC 5545 skips
        ("FREQ=YEARLY", date(2024, 2, 29), date(2024, 2, 29), date(2028, 2, 29)),
        ("FREQ=MONTHLY;COUNT=2", date(2027, 1, 15), date(2027, 2, 15), None),  # the series ended
    ],
)
def test_the_next_occurrence_follows_the_rrule(
    rule: str, anchor: date, after: date, expected: date | None
) -> None:
    assert next_occurrence(rule, anchor, after) == expected


@pytest.mark.parametrize("bad", ["FREQ=SOMETIMES", "BYMONTHDAY=15", "DTSTART:20260101\nRRULE:FREQ=DAILY"])
def test_a_rule_that_is_not_rfc_5545_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match=r"RRULE|DTSTART"):
        validate_rule(bad)


def test_rules_may_carry_the_rrule_prefix() -> None:
    assert validate_rule("rrule:freq=monthly;bymonthday=15") == "FREQ=MONTHLY;BYMONTHDAY=15"


@pytest.mark.parametrize(
    ("due", "rule", "where", "expected"),
    [
        (date(2026, 11, 14), BusinessDayRule.NEXT, None, date(2026, 11, 16)),  # Saturday → Monday
        (date(2026, 11, 14), BusinessDayRule.PREVIOUS, None, date(2026, 11, 13)),
        (date(2026, 11, 14), BusinessDayRule.NONE, None, date(2026, 11, 14)),
        (date(2027, 1, 1), BusinessDayRule.NEXT, "US", date(2027, 1, 4)),  # New Year (Fri) → Monday
        (date(2026, 12, 31), BusinessDayRule.NEXT, "TH", date(2027, 1, 4)),  # Thai year-end holidays, weekend
        (date(2026, 12, 31), BusinessDayRule.NEXT, "VN", date(2026, 12, 31)),  # a working day in Vietnam
        (
            date(2026, 11, 26),
            BusinessDayRule.NEXT,
            "US-CA",
            date(2026, 11, 30),
        ),  # Thanksgiving + day after (CA)
    ],
)
def test_business_day_rules_use_weekends_and_the_jurisdiction_s_holidays(
    due: date, rule: BusinessDayRule, where: str | None, expected: date
) -> None:
    assert effective_due(due, rule, where) == expected


def test_the_office_s_own_closing_days_count_too() -> None:
    assert effective_due(date(2026, 12, 24), BusinessDayRule.NEXT, "US", [date(2026, 12, 24)]) == date(
        2026, 12, 28
    )


def test_status_on_a_day() -> None:
    due = date(2026, 12, 15)
    assert status_on(due, date(2026, 12, 1)) is Status.UPCOMING
    assert status_on(due, date(2026, 12, 8)) is Status.DUE_SOON
    assert status_on(due, date(2026, 12, 15)) is Status.DUE_SOON
    assert status_on(due, date(2026, 12, 16)) is Status.OVERDUE


@pytest.mark.parametrize(
    ("today", "sent", "expected"),
    [
        (date(2026, 11, 14), [], None),  # 31 days before
        (date(2026, 11, 15), [], (30, False)),
        (date(2026, 11, 15), ["lead:30"], None),  # a second run the same day
        (date(2026, 11, 20), ["lead:30"], None),
        (date(2026, 12, 8), ["lead:30"], (7, False)),
        (date(2026, 12, 9), ["lead:30"], (7, True)),  # the run of the 8th was missed: sent late
        (date(2026, 12, 15), ["lead:30", "lead:7"], (1, True)),
        (date(2026, 12, 16), [], None),  # overdue now: that is another message
    ],
)
def test_the_lead_reminder_due_today(today: date, sent: list[str], expected: tuple[int, bool] | None) -> None:
    assert lead_stage(date(2026, 12, 15), today, [30, 7, 1], sent) == expected


def test_escalations_start_after_the_grace_period_then_weekly() -> None:
    due = date(2026, 12, 15)
    assert escalation_stage(due, date(2026, 12, 17), 3) is None
    assert escalation_stage(due, date(2026, 12, 18), 3) == 0
    assert escalation_stage(due, date(2026, 12, 24), 3) == 0
    assert escalation_stage(due, date(2026, 12, 25), 3) == 1


def test_the_sample_calendar_imports_and_bad_rows_are_listed_by_line() -> None:
    text = files.SAMPLES.joinpath("compliance-calendar.csv").read_text(encoding="utf-8")
    rows, problems = read_calendar(text)
    assert problems == [] and len(rows) == 8
    vat = next(r for r in rows if r.title.startswith("Thai VAT"))
    assert vat.remind_days_before == [7, 3, 1] and vat.jurisdiction == "TH"
    broken = text + "Bad one,tax_filing,US,2027-02-30,FREQ=NEVER,x,nobody,,sideways\n"
    _, problems = read_calendar(broken)
    assert {p["line"] for p in problems} == {10}
    assert {p["field"] for p in problems} >= {"due_date", "recurrence", "owner_email", "business_day_rule"}
