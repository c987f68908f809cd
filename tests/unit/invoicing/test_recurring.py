"""Recurring invoices: the dates a series falls on, catching up, pausing, and each occurrence's own id."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from core.recurrence import billing_dates
from invoicing.model import Customer, LineRequest
from invoicing.recurring import (
    CATCH_UP_LIMIT,
    RecurringInvoice,
    RecurringRequest,
    RecurringStatus,
    due_dates,
    invoice_request,
    occurrence_id,
    resumed,
    started,
    upcoming_dates,
)

CUSTOMER = Customer(name="Harbor Books LLC", email="ap@harborbooks.example")
LINE = LineRequest(description="Monthly retainer", quantity=1, unit_price="1000.00", tax_rate=7)  # type: ignore[arg-type]


def series(
    rule: str = "FREQ=MONTHLY;BYMONTHDAY=1", start: date = date(2026, 12, 1), **extra: object
) -> RecurringInvoice:
    request = RecurringRequest(customer=CUSTOMER, lines=[LINE], rule=rule, start=start, **extra)  # type: ignore[arg-type]
    return started(request, "s1", "user:clerk", datetime(2026, 11, 30, tzinfo=UTC))


@pytest.mark.parametrize(
    ("rule", "start", "expected"),
    [
        # billed on the 31st: the last day of the shorter months
        ("FREQ=MONTHLY", date(2027, 1, 31), ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30"]),
        (
            "FREQ=MONTHLY;BYMONTHDAY=30",
            date(2027, 1, 30),
            ["2027-01-30", "2027-02-28", "2027-03-30", "2027-04-30"],
        ),
        # a leap day: 28 February in the years without one
        ("FREQ=YEARLY", date(2028, 2, 29), ["2028-02-29", "2029-02-28", "2030-02-28", "2031-02-28"]),
        (
            "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15",
            date(2026, 12, 15),
            ["2026-12-15", "2027-03-15", "2027-06-15", "2027-09-15"],
        ),
    ],
)
def test_month_ends_and_leap_days_fall_where_an_office_expects(
    rule: str, start: date, expected: list[str]
) -> None:
    assert [d.isoformat() for d in upcoming_dates(series(rule, start), 4)] == expected


def test_a_missed_run_catches_up_every_occurrence_and_nothing_is_due_twice() -> None:
    retainer = series()
    assert retainer.next_date == date(2026, 12, 1)
    assert due_dates(retainer, date(2026, 11, 30)) == []  # not yet
    assert due_dates(retainer, date(2027, 2, 2)) == [date(2026, 12, 1), date(2027, 1, 1), date(2027, 2, 1)]
    done = retainer.model_copy(update={"last_date": date(2027, 2, 1)})
    assert due_dates(done, date(2027, 2, 2)) == []
    years_late = due_dates(retainer, date(2030, 1, 1))
    assert len(years_late) == CATCH_UP_LIMIT and years_late[0] == date(2026, 12, 1)


def test_an_occurrence_has_the_same_id_on_every_run() -> None:
    assert occurrence_id(series(), date(2027, 1, 1)) == "s1-20270101"


def test_a_series_ends_on_its_end_date() -> None:
    short = series(end=date(2027, 1, 15))
    assert due_dates(short, date(2027, 6, 1)) == [date(2026, 12, 1), date(2027, 1, 1)]
    last = started(
        RecurringRequest(
            customer=CUSTOMER, lines=[LINE], rule="FREQ=MONTHLY", start=date(2027, 1, 1), end=date(2027, 1, 1)
        ),
        "s2",
        "user:clerk",
        datetime(2026, 11, 30, tzinfo=UTC),
    )
    assert last.next_date == date(2027, 1, 1)
    assert upcoming_dates(last.model_copy(update={"last_date": date(2027, 1, 1)}), 5) == []


def test_a_paused_series_issues_nothing_and_resumes_without_billing_the_pause() -> None:
    paused = series().model_copy(update={"status": RecurringStatus.PAUSED})
    assert due_dates(paused, date(2027, 3, 5)) == []
    back = resumed(paused, date(2027, 3, 5))
    assert back.status is RecurringStatus.ACTIVE and back.next_date == date(2027, 4, 1)
    on_the_day = resumed(paused, date(2027, 3, 1))  # resumed on a billing date: that one is still billed
    assert on_the_day.next_date == date(2027, 3, 1)


def test_each_invoice_names_the_date_it_bills_and_keeps_the_series_lines() -> None:
    request = invoice_request(series(notes="Retainer"), date(2027, 1, 1), "Billing date 2027-01-01")
    assert request.notes == "Retainer\nBilling date 2027-01-01"
    assert request.lines == [LINE] and not request.draft
    assert invoice_request(series(send=False), date(2027, 1, 1), "x").draft


def test_a_rule_that_is_not_rfc_5545_is_refused() -> None:
    with pytest.raises(ValueError, match="RRULE"):
        series(rule="FREQ=SOMETIMES")
    assert billing_dates("FREQ=WEEKLY", date(2026, 12, 1), None, date(2026, 12, 15))[-1] == date(2026, 12, 15)
