"""Vendors' bills as the API takes them and answers them (declarations only)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field, computed_field, model_validator

from core.errors import Invalid
from core.i18n import N_
from core.money import is_currency, typed_numbers
from core.text import MultiLine, SingleLine
from payables.parties import account_key

MONEY = Field(ge=0, le=Decimal("100000000000"))


class BillStatus(StrEnum):
    DRAFT = "draft"  # opened from a filed document; what could be read is filled in
    AWAITING_APPROVAL = "awaiting_approval"  # confirmed; above the limit, a second person approves
    APPROVED = "approved"
    SCHEDULED = "scheduled"  # a payment day is set
    PAID = "paid"
    REJECTED = "rejected"


PAYABLE = (BillStatus.APPROVED, BillStatus.SCHEDULED)


class Vendor(BaseModel):
    party_id: str | None = Field(default=None, description="The vendor in the parties directory.")
    name: SingleLine = Field(min_length=1, max_length=200, examples=["บริษัท สยามกระดาษ จำกัด"])
    tax_id: SingleLine | None = Field(default=None, max_length=20, examples=["0105551234567"])
    branch: SingleLine | None = Field(default=None, max_length=20, examples=["00000"])


class Reading(BaseModel):
    """What an extractor read from the vendor's document; any figure may be missing."""

    source: str = Field(description="pdf-text (the PDF's own text) or textract (AnalyzeExpense).")
    vendor_name: str | None = None
    vendor_tax_id: str | None = None
    invoice_number: str | None = None
    issue_date: date | None = None
    due_date: date | None = None
    currency: str | None = None
    net: Decimal | None = None
    vat: Decimal | None = None
    total: Decimal | None = None
    bank_account: str | None = Field(default=None, description="The account the document says to pay.")


class BillFigures(BaseModel):
    """What a person confirms (or corrects) of a draft."""

    vendor: Vendor
    invoice_number: SingleLine = Field(min_length=1, max_length=60, examples=["IV2026-0042"])
    issue_date: date
    due_date: date
    currency: str = Field(pattern=r"^[A-Z]{3}$", examples=["THB"])
    net: Decimal = MONEY
    vat: Decimal = MONEY
    total: Decimal = MONEY
    notes: MultiLine | None = Field(default=None, max_length=1000)
    bank_account: SingleLine | None = Field(
        default=None, max_length=60, description="The account the vendor's document says to pay, if any."
    )

    _typed = typed_numbers("net", "vat", "total")

    @model_validator(mode="after")
    def _adds_up(self) -> BillFigures:
        if not is_currency(self.currency):
            raise Invalid(
                N_("{currency} is not a currency code (ISO 4217)"), slug="validation", currency=self.currency
            )
        if self.net + self.vat != self.total:
            raise ValueError(N_("net + VAT must equal the total"))
        if self.due_date < self.issue_date:
            raise ValueError(N_("the due date is before the invoice date"))
        return self


class BillPayment(BaseModel):
    id: str
    amount: Decimal
    date: date
    method: str
    reference: str | None = None
    paid_to: str | None = Field(default=None, description="The vendor's account in force when recorded.")
    recorded_by: str
    recorded_at: datetime


class Bill(BaseModel):
    id: str
    document_id: str | None = None
    provenance: dict[str, Any] | None = Field(
        default=None, description="Where the vendor's document came from, as intake recorded it."
    )
    status: BillStatus
    reading: Reading | None = None
    figures: BillFigures | None = None
    amount_paid: Decimal = Decimal(0)
    payments: list[BillPayment] = []
    pay_on: date | None = None
    pay_to: str | None = Field(
        default=None, description="The vendor's bank account in force in the directory: where it is paid."
    )
    confirmed_by: str | None = None
    confirmed_at: datetime | None = None
    approved_by: str | None = None
    rejected_reason: str | None = None
    reminded: list[str] = Field(default=[], description="Days the payer was told this bill falls due.")
    created_at: datetime
    version: int = 1

    @computed_field  # type: ignore[prop-decorator]
    @property
    def owed(self) -> Decimal:
        """What is still to pay (the confirmed total less the payments)."""
        return (self.figures.total if self.figures else Decimal(0)) - self.amount_paid

    @computed_field  # type: ignore[prop-decorator]
    @property
    def document_account(self) -> str | None:
        """The account the vendor's document says to pay: as confirmed, else as read."""
        if self.figures and self.figures.bank_account:
            return self.figures.bank_account
        return self.reading.bank_account if self.reading else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def account_differs(self) -> bool:
        """The document names an account that is not the vendor's account in force (`pay_to`): only an
        administrator confirms such a bill."""
        printed = account_key(self.document_account)
        return bool(printed) and printed != account_key(self.pay_to)


class DraftRequest(BaseModel):
    """A bill typed in by hand (no document)."""

    figures: BillFigures


class ApproveRequest(BaseModel):
    note: SingleLine | None = Field(default=None, max_length=200)


class RejectRequest(BaseModel):
    reason: SingleLine = Field(min_length=3, max_length=300)


class ScheduleRequest(BaseModel):
    pay_on: date = Field(description="The day the office means to pay.")


class BillPaymentRequest(BaseModel):
    amount: Decimal = Field(gt=0, le=Decimal("100000000000"), examples=["10700.00"])
    date: date
    method: str = Field(min_length=1, max_length=40, examples=["bank_transfer"])
    reference: SingleLine | None = Field(default=None, max_length=200)

    _typed = typed_numbers("amount")
