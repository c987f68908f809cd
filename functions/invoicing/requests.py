"""What a person asks of an invoice once it is issued: a payment, its withholding certificate, a
refund, a credit or debit note, a void."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, Field, model_validator

from core.i18n import N_
from core.money import typed_numbers
from core.requests import VoidRequest
from core.text import SingleLine
from invoicing.model import MAX_LINES, LineRequest


class PaymentRequest(BaseModel):
    amount: Decimal = Field(gt=0, examples=["500.00"], description="What reached the office.")
    date: date
    method: str = Field(min_length=1, max_length=40, examples=["bank_transfer"])
    reference: str | None = Field(default=None, max_length=200)
    withheld: Decimal | None = Field(
        default=None,
        gt=0,
        examples=["45.00"],
        description="Tax the customer withheld (Thailand: 1–5 % of the fee); from the rate if absent.",
    )
    withholding_rate: Decimal | None = Field(
        default=None,
        gt=0,
        le=15,
        examples=["3"],
        description="Percent of the value before VAT; bounds `withheld`, or gives it.",
    )
    certificate_number: SingleLine | None = Field(
        default=None, max_length=60, description="The withholding certificate, if it came with the payment."
    )

    _typed = typed_numbers("amount", "withheld", "withholding_rate")

    @model_validator(mode="after")
    def _withholding_is_stated_with_its_amount(self) -> PaymentRequest:
        if self.certificate_number and not (self.withheld or self.withholding_rate):
            raise ValueError(N_("state the amount withheld, or its rate, with its certificate"))
        return self


class RefundRequest(BaseModel):
    """Money paid back to the customer, at most the invoice's refund due."""

    amount: Decimal = Field(gt=0, le=Decimal("1000000000000000"), examples=["107.00"])
    date: date
    method: str = Field(min_length=1, max_length=40, examples=["bank_transfer"])
    reference: str | None = Field(default=None, max_length=200)

    _typed = typed_numbers("amount")


class CertificateRequest(BaseModel):
    certificate_number: SingleLine = Field(min_length=1, max_length=60, examples=["WHT-2026-0042"])
    document_id: str | None = Field(
        default=None, max_length=64, description="The certificate in the register."
    )


class CreditNoteRequest(BaseModel):
    reason: str = Field(min_length=3, max_length=500)
    amount: Decimal | None = Field(
        default=None, gt=0, le=Decimal("1000000000000000"), description="With tax; or give lines."
    )
    lines: list[LineRequest] | None = Field(default=None, max_length=MAX_LINES)

    _typed = typed_numbers("amount")

    @model_validator(mode="after")
    def _one_of(self) -> CreditNoteRequest:
        if (self.amount is None) == (not self.lines):
            raise ValueError(N_("give an amount or lines (one of them)"))
        return self


class InvoiceVoidRequest(VoidRequest):
    notify: bool = Field(default=False, description="Email the customer the voided invoice.")


class DebitNoteRequest(CreditNoteRequest):
    """A debit note: the reason, and an amount or lines (with tax) to add to what is owed."""
