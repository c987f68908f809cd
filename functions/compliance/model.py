"""Obligations as the API takes and answers them."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from core.i18n import N_
from core.recurrence import validate_rule
from core.text import MultiLine, SingleLine

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
MAX_LEAD_DAYS = 366  # a year, leap or not: the refusal below says it in words


class Category(StrEnum):
    TAX_FILING = "tax_filing"
    PAYROLL_TAX = "payroll_tax"
    LICENCE = "licence"
    CERTIFICATION = "certification"
    INSPECTION = "inspection"
    LABOUR = "labour"
    INSURANCE = "insurance"
    OTHER = "other"


class BusinessDayRule(StrEnum):
    NONE = "none"
    NEXT = "next_business_day"
    PREVIOUS = "previous_business_day"


class Status(StrEnum):
    UPCOMING = "upcoming"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    COMPLETED = "completed"
    ARCHIVED = "archived"


OPEN = (Status.UPCOMING, Status.DUE_SOON, Status.OVERDUE)


def _check_rule(value: str | None) -> str | None:
    return validate_rule(value) if value else None


class ObligationFields(BaseModel):
    """What a person states about an obligation."""

    model_config = ConfigDict(str_strip_whitespace=True)

    title: SingleLine = Field(min_length=1, max_length=200, examples=["Thai VAT return (PP.30)"])
    category: Category = Category.OTHER
    jurisdiction: str | None = Field(default=None, max_length=10, description="ISO 3166 code: US, TH, VN …")
    due_date: date
    window_start: date | None = Field(default=None, description="For a period, e.g. a notice kept posted.")
    recurrence: str | None = Field(
        default=None, examples=["FREQ=MONTHLY;BYMONTHDAY=15"], description="RFC 5545 RRULE."
    )
    remind_days_before: list[int] = Field(default=[30, 7, 1], max_length=10)
    owner_email: str = Field(pattern=EMAIL_PATTERN, max_length=254)
    escalation_email: str | None = Field(default=None, pattern=EMAIL_PATTERN, max_length=254)
    language: Literal["en", "th", "vi"] | None = Field(
        default=None, description="For the owner's reminders; the office's if absent."
    )
    business_day_rule: BusinessDayRule = BusinessDayRule.NONE
    notes: MultiLine | None = Field(default=None, max_length=2000)

    @field_validator("recurrence")
    @classmethod
    def _rrule(cls, value: str | None) -> str | None:
        return _check_rule(value)

    @field_validator("jurisdiction")
    @classmethod
    def _upper(cls, value: str | None) -> str | None:
        return value.upper() if value else None

    @field_validator("remind_days_before")
    @classmethod
    def _leads(cls, value: list[int]) -> list[int]:
        if any(day < 0 or day > MAX_LEAD_DAYS for day in value):
            raise ValueError(N_("lead times are between 0 and 366 days"))
        return sorted(set(value), reverse=True)

    @model_validator(mode="after")
    def _window(self) -> ObligationFields:
        if self.window_start and self.window_start > self.due_date:
            raise ValueError(N_("the window starts after the due date"))
        return self


class ObligationPatch(BaseModel):
    """Any of the fields, to change (null clears an optional one)."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    title: str | None = Field(default=None, min_length=1, max_length=200)
    category: Category | None = None
    jurisdiction: str | None = None
    due_date: date | None = None
    window_start: date | None = None
    recurrence: str | None = None
    remind_days_before: list[int] | None = None
    owner_email: str | None = Field(default=None, pattern=EMAIL_PATTERN)
    escalation_email: str | None = Field(default=None, pattern=EMAIL_PATTERN)
    language: Literal["en", "th", "vi"] | None = None
    business_day_rule: BusinessDayRule | None = None
    notes: str | None = None


class Sent(BaseModel):
    """One reminder, overdue notice or escalation of one occurrence."""

    key: str = Field(description="lead:30, overdue, escalation:0 …")
    to: str
    claimed_at: datetime
    sent_at: datetime | None = None
    late: bool = Field(default=False, description="Sent after the day it was due (the run was missed).")


class Obligation(ObligationFields):
    id: str
    series_id: str
    occurrence: int = 1
    effective_due_date: date
    status: Status
    sent: list[Sent] = []
    completed_on: date | None = None
    completed_by: str | None = None
    evidence_document_id: str | None = None
    completion_note: str | None = None
    next_id: str | None = None
    created_at: datetime
    created_by: str
    version: int = 1


class CompleteRequest(BaseModel):
    completed_on: date
    evidence_document_id: str | None = Field(default=None, description="A document id from intake.")
    note: str | None = Field(default=None, max_length=2000)
