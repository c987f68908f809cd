"""Recurring invoices: a template (customer, lines, an RFC 5545 rule, start and end) that the daily run
issues once per occurrence. A run that was missed catches up; a run that is retried issues nothing twice,
because each occurrence's invoice has an id of its own (the series and the date). An occurrence caught up
late is issued on the run's day, so numbers and issue dates keep rising together (as Thai and Vietnamese
law read them), and the invoice names the period it bills."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from core.i18n import N_
from core.recurrence import billing_dates, validate_rule
from invoicing.model import Customer, InvoiceRequest, LineRequest, MultiLine

CATCH_UP_LIMIT = 24  # occurrences one run issues for one series; the rest wait for the next run


class RecurringStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    ENDED = "ended"


class RecurringRequest(BaseModel):
    """A new recurring invoice."""

    model_config = ConfigDict(str_strip_whitespace=True)

    customer: Customer
    currency: str | None = Field(default=None, description="ISO 4217; the office's default if absent.")
    lines: list[LineRequest] = Field(min_length=1, max_length=100)
    notes: MultiLine | None = Field(default=None, max_length=1000)
    due_days: int | None = Field(default=None, ge=0, le=365, description="Days to pay after each issue.")
    rule: str = Field(
        description="RFC 5545 RRULE, e.g. FREQ=MONTHLY;BYMONTHDAY=1; days 29–31 fall on a short month's last."
    )
    start: date = Field(description="The first date the series may fall on.")

    @property
    def buyer(self) -> Customer:
        return self.customer

    end: date | None = Field(default=None, description="The last date it may fall on; none: until paused.")
    send: bool = Field(default=True, description="Issue and email each invoice; false keeps each a draft.")

    @field_validator("rule")
    @classmethod
    def _rule(cls, value: str) -> str:
        return validate_rule(value)

    @model_validator(mode="after")
    def _dates(self) -> RecurringRequest:
        if self.end and self.end < self.start:
            raise ValueError(N_("the end is before the start"))
        return self


class RecurringInvoice(RecurringRequest):
    id: str
    status: RecurringStatus = RecurringStatus.ACTIVE
    last_date: date | None = Field(default=None, description="The latest occurrence issued.")
    next_date: date | None = Field(default=None, description="The next occurrence; none once ended.")
    issued: list[str] = Field(default_factory=list, description="Invoice ids, oldest first.")
    created_by: str
    created_at: datetime
    version: int = 0


def started(request: RecurringRequest, series_id: str, actor: str, now: datetime) -> RecurringInvoice:
    """A new series, its first date found."""
    series = RecurringInvoice(**request.model_dump(), id=series_id, created_by=actor, created_at=now)
    return with_next(series)


def with_next(series: RecurringInvoice) -> RecurringInvoice:
    """The series with its next date after the last one issued (ended when there is none)."""
    upcoming = upcoming_dates(series, 1)
    status = series.status if upcoming else RecurringStatus.ENDED
    return series.model_copy(update={"next_date": upcoming[0] if upcoming else None, "status": status})


def resumed(series: RecurringInvoice, today: date) -> RecurringInvoice:
    """The series active again from today: the dates it passed while paused are skipped."""
    passed = billing_dates(series.rule, series.start, series.last_date, today - timedelta(days=1))
    last = passed[-1] if passed else series.last_date
    return with_next(series.model_copy(update={"status": RecurringStatus.ACTIVE, "last_date": last}))


def upcoming_dates(series: RecurringInvoice, count: int) -> list[date]:
    """The next `count` dates the series falls on, after the last one issued."""
    horizon = series.end or date(series.start.year + 10 * count, 12, 31)
    return billing_dates(series.rule, series.start, series.last_date, horizon)[:count]


def due_dates(series: RecurringInvoice, today: date) -> list[date]:
    """The occurrences not yet issued up to today (a missed run's too), at most CATCH_UP_LIMIT."""
    if series.status is not RecurringStatus.ACTIVE:
        return []
    until = min(today, series.end) if series.end else today
    return billing_dates(series.rule, series.start, series.last_date, until)[:CATCH_UP_LIMIT]


def occurrence_id(series: RecurringInvoice, day: date) -> str:
    """The invoice id of one occurrence: the same on every run, so a retried run finds it made."""
    return f"{series.id}-{day:%Y%m%d}"


def invoice_request(series: RecurringInvoice, day: date, period: str) -> InvoiceRequest:
    """What one occurrence's invoice asks: the series' customer and lines, and `period` (the date it
    bills, in the office's language) in its notes."""
    notes = f"{series.notes}\n{period}" if series.notes else period
    fields: dict[str, Any] = {
        "customer": series.customer,
        "currency": series.currency,
        "lines": series.lines,
        "due_days": series.due_days,
        "notes": notes,
        "draft": not series.send,
    }
    return InvoiceRequest(**fields)
