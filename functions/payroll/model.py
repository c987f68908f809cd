"""Employees, pay runs and cheques, and the requests that move them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from core.text import MultiLine, SingleLine

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class Delivery(StrEnum):
    PICKUP = "pickup"
    MAIL = "mail"


class EmployeeFields(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    id: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9._-]+$", examples=["E-1001"])
    name: SingleLine = Field(min_length=1, max_length=200, examples=["Nguyễn Thị Lan"])
    email: str = Field(pattern=EMAIL_PATTERN, max_length=254)
    department: SingleLine | None = Field(default=None, max_length=100)
    delivery: Delivery = Delivery.PICKUP
    mailing_address: MultiLine | None = Field(default=None, max_length=500)
    language: Literal["en", "th", "vi"] | None = Field(
        default=None, description="For the employee's email; the office's if absent."
    )
    active: bool = True


class EmployeePatch(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    email: str | None = Field(default=None, pattern=EMAIL_PATTERN)
    department: str | None = None
    delivery: Delivery | None = None
    mailing_address: str | None = None
    language: Literal["en", "th", "vi"] | None = None
    active: bool | None = None


class Employee(EmployeeFields):
    version: int = 1


class ChequeStatus(StrEnum):
    UNMATCHED = "unmatched"
    RECEIVED = "received"
    READY = "ready"
    MAILED = "mailed"
    HANDED_OVER = "handed_over"
    STALE = "stale"
    VOID = "void"
    CASHED = "cashed"


OUTSTANDING = (
    ChequeStatus.UNMATCHED,
    ChequeStatus.RECEIVED,
    ChequeStatus.READY,
    ChequeStatus.MAILED,
    ChequeStatus.STALE,
)


class RunStatus(StrEnum):
    IMPORTED = "imported"
    REJECTED = "rejected"
    RECEIVED = "received"
    CLOSED = "closed"


class Step(BaseModel):
    """One entry of a cheque's history."""

    status: ChequeStatus
    at: datetime
    by: str
    detail: dict[str, str] = {}


class Cheque(BaseModel):
    id: str
    payrun_id: str
    cheque_number: str
    account_number: str
    employee_id: str | None = None
    employee_name: str
    amount: Decimal
    currency: str
    pay_date: date
    period_start: date | None = None
    period_end: date | None = None
    status: ChequeStatus
    ready_on: date | None = None
    reminders: list[int] = Field(default=[], description="Reminder stages sent (business days ready).")
    replaces: str | None = None
    replaced_by: str | None = None
    due_diligence_sent: date | None = None
    history: list[Step] = []
    version: int = 1


class LineProblem(BaseModel):
    line: int
    field: str | None = None
    message: str


class RegisterSource(BaseModel):
    """Where the register came from, as intake's DocumentFiled event states it."""

    source: str = Field(examples=["portal", "s3", "email", "released"])
    by: str = Field(description="user:…, s3:principal or mail:sender")
    trusted: bool
    reason: str


class PayRun(BaseModel):
    id: str
    status: RunStatus
    document_id: str | None = None
    source_key: str | None = None
    provenance: RegisterSource | None = None
    pay_date: date | None = None
    account_number: str | None = None
    currency: str | None = None
    cheque_count: int = 0
    total: Decimal = Decimal(0)
    problems: list[LineProblem] = []
    received_at: datetime | None = None
    received_by: str | None = None
    exports: list[str] = Field(default=[], description="Positive Pay files written for this run.")
    created_at: datetime
    version: int = 1


class Handover(BaseModel):
    received_by: SingleLine = Field(min_length=1, max_length=200, description="Who took the cheque.")
    method: str = Field(min_length=1, max_length=60, examples=["photo_id", "known_to_staff"])


class MailRequest(BaseModel):
    tracking: str = Field(min_length=1, max_length=100)


class ReissueRequest(BaseModel):
    new_cheque_number: str = Field(min_length=1, max_length=20, pattern=r"^\d+$")
    reason: str = Field(default="reissued", max_length=500)


class LinkRequest(BaseModel):
    employee_id: str = Field(min_length=1, max_length=40)
