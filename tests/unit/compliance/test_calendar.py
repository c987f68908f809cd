"""Recurrence, business days, and where an occurrence stands on a day."""

from datetime import UTC, date, datetime, timedelta

import pytest

from compliance.calendar import (
    due_messages,
    effective_due,
    escalation_stage,
    lead_stage,
    next_action,
    status_on,
)
from compliance.importer import read_calendar
from compliance.model import BusinessDayRule, Obligation, Sent, Status
from core.recurrence import next_occurrence, validate_rule
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


def obligation(leads: list[int], escalation: str | None) -> Obligation:
    return Obligation(
        id="o1",
        series_id="o1",
        title="Sales tax return",
        due_date=date(2027, 3, 10),
        effective_due_date=date(2027, 3, 10),
        remind_days_before=leads,
        owner_email="owner@example.com",
        escalation_email=escalation,
        status=Status.UPCOMING,
        created_at=datetime(2026, 12, 1, tzinfo=UTC),
        created_by="u-1",
    )


@pytest.mark.parametrize(
    ("leads", "escalation"),
    [([30, 7, 1], "cfo@example.com"), ([], None), ([0], "cfo@example.com"), ([60, 14], None)],
)
def test_the_next_action_day_comes_on_every_day_with_work_and_on_no_other(
    leads: list[int], escalation: str | None
) -> None:
    """The daily run reads an obligation only on its next action day: walk 100 days doing what each
    day asks, and compare the days with work with the days the index would return it."""
    current, grace = obligation(leads, escalation), 3
    worked, read = [], []
    for offset in range(-70, 30):
        today = current.effective_due_date + timedelta(days=offset)
        action = next_action(current, grace)
        if action is not None and action <= today:
            read.append(today)
        messages = due_messages(current, today, grace, {s.key for s in current.sent})
        status = status_on(current.effective_due_date, today)
        if messages or status is not current.status:
            worked.append(today)
        sent = [Sent(key=key, to=to, claimed_at=now(today), sent_at=now(today)) for key, to in messages]
        current = current.model_copy(update={"status": status, "sent": [*current.sent, *sent]})
    assert read == worked
    assert len(worked) >= 2  # the walk did meet work: a status change and the overdue notice at least


def test_a_message_claimed_but_not_sent_brings_the_obligation_back_the_next_day() -> None:
    claimed = Sent(key="lead:7", to="owner@example.com", claimed_at=datetime(2027, 3, 3, 9, tzinfo=UTC))
    current = obligation([30, 7], None).model_copy(update={"status": Status.DUE_SOON, "sent": [claimed]})
    assert next_action(current, 3) == date(2027, 3, 3)
    done = current.model_copy(update={"sent": [claimed.model_copy(update={"sent_at": claimed.claimed_at})]})
    assert next_action(done, 3) == date(2027, 3, 11)  # then: overdue


def test_a_closed_obligation_has_no_next_action() -> None:
    assert next_action(obligation([7], None).model_copy(update={"status": Status.COMPLETED}), 3) is None


def now(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 6, tzinfo=UTC)
