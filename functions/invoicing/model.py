"""Invoices as the API takes them (JSON or a plain HTML form) and as it answers them.

Longer than most modules on purpose: these are declarations only (fields, limits, descriptions that
become the OpenAPI contract), and a reader checks a request against its record side by side.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from core.errors import Invalid
from core.i18n import N_
from core.money import is_currency, typed_numbers
from core.text import MultiLine, SingleLine

MAX_LINES = 100
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


class Customer(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    name: SingleLine = Field(min_length=1, max_length=200, examples=["Công ty TNHH Ánh Dương"])
    email: str = Field(pattern=EMAIL_PATTERN, max_length=254, examples=["ketoan@anhduong.example"])
    address: MultiLine | None = Field(default=None, max_length=500)
    tax_id: SingleLine | None = Field(
        default=None,
        max_length=50,
        description="Checked by the office country's law (TH, VN).",
    )
    country: str | None = Field(
        default=None,
        pattern=r"^[A-Z]{2}$",
        description="ISO 3166; the office's if absent. Its law checks tax_id.",
    )
    branch: str | None = Field(
        default=None,
        pattern=r"^[0-9]{1,5}$",
        description="Thailand: 00000 is the head office, 1 is read as 00001; needed with a company's tax id.",
    )
    language: Literal["en", "th", "vi"] | None = Field(
        default=None, description="The customer's language for documents and email; the office's if absent."
    )
    party_id: str | None = Field(
        default=None, description="The directory's party this customer was copied from (set by the API)."
    )

    @field_validator("branch")
    @classmethod
    def _five_digits(cls, value: str | None) -> str | None:
        """A branch number as Thai documents write it: five digits ("1" is branch 00001)."""
        return value.zfill(5) if value else value


ITEM_CODE = r"^[A-Z0-9][A-Z0-9._-]{0,31}$"


class ItemRequest(BaseModel):
    """A product or service in the catalogue: what a line copies when it names it."""

    model_config = ConfigDict(str_strip_whitespace=True)

    code: str = Field(pattern=ITEM_CODE, examples=["BOOK-M"], description="Unique; capitals, digits, . _ -")
    names: dict[Literal["en", "th", "vi"], SingleLine] = Field(
        min_length=1,
        description="The description per language; a line takes its customer's, else the office's.",
    )
    unit_price: Decimal = Field(ge=0, le=Decimal("1000000000"), examples=["1500.00"])
    currency: str = Field(pattern=r"^[A-Z]{3}$", examples=["THB"])
    tax_rate: Decimal = Field(default=Decimal(0), ge=0, le=100)
    archived: bool = Field(default=False, description="Kept for the invoices that name it, offered no more.")

    _typed = typed_numbers("unit_price", "tax_rate")


class Item(ItemRequest):
    version: int = 0


class LineRequest(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    description: SingleLine | None = Field(
        default=None,
        min_length=1,
        max_length=500,
        examples=["ค่าบริการทำบัญชี เดือนพฤศจิกายน"],
        description="The item's name in the customer's language if absent and an item is named.",
    )
    quantity: Decimal = Field(gt=0, le=Decimal("1000000"), examples=["3"])
    unit_price: Decimal | None = Field(
        default=None,
        ge=0,
        le=Decimal("1000000000"),
        examples=["1250.00"],
        description="The item's if absent.",
    )
    tax_rate: Decimal = Field(
        default=Decimal(0),
        ge=0,
        le=100,
        description="Percent, e.g. 7 or 8.25; if absent the item's, else the office's usual VAT rate.",
    )
    item: str | None = Field(
        default=None,
        pattern=ITEM_CODE,
        description="The catalogue item the line is copied from, by code: what the line omits is the item's.",
    )

    _typed = typed_numbers("quantity", "unit_price", "tax_rate")

    @field_validator("unit_price")
    @classmethod
    def _price_precision(cls, value: Decimal | None) -> Decimal | None:
        if value is not None and _decimals(value) > 4:
            raise ValueError(N_("a unit price has at most 4 decimals"))
        return value

    @field_validator("quantity", "tax_rate")
    @classmethod
    def _precision(cls, value: Decimal) -> Decimal:
        if _decimals(value) > 4:
            raise ValueError(N_("at most 4 decimals"))
        return value

    @model_validator(mode="after")
    def _described(self) -> LineRequest:
        if self.item is None and (self.description is None or self.unit_price is None):
            raise ValueError(
                N_("give the line a description and a unit price, or name an item from the catalogue")
            )
        return self

    @property
    def priced(self) -> tuple[str, Decimal]:
        """The description and unit price of a line as it is billed (an item's are copied in first)."""
        if self.description is None or self.unit_price is None:
            raise Invalid(N_("item {item} was not copied into its line"), slug="validation", item=self.item)
        return self.description, self.unit_price


class InvoiceRequest(BaseModel):
    """A new invoice. HTML forms send flat `customer_*` and repeated `line_*` fields instead."""

    model_config = ConfigDict(str_strip_whitespace=True)

    customer: Customer | None = Field(default=None, description="The customer as typed; or give customer_id.")
    customer_id: str | None = Field(
        default=None,
        max_length=64,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="A customer of the parties directory; the invoice keeps a copy as it is now.",
    )
    currency: str | None = Field(default=None, description="ISO 4217; the office's default if absent.")
    issue_date: date | None = Field(default=None, description="Today (business timezone) if absent.")
    due_date: date | None = None
    due_days: int | None = Field(default=None, ge=0, le=365, description="Days after the issue date.")
    notes: MultiLine | None = Field(default=None, max_length=2000)
    lines: list[LineRequest] = Field(min_length=1, max_length=MAX_LINES)
    draft: bool = Field(default=False, description="Keep it a draft: no number yet, editable.")
    idempotency_key: str | None = Field(default=None, max_length=200, description="Form field form.")

    @model_validator(mode="before")
    @classmethod
    def _from_form(cls, data: Any) -> Any:
        if isinstance(data, dict) and "customer" not in data and "customer_name" in data:
            from invoicing.form import form_to_request

            return form_to_request(data)
        return data

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str | None) -> str | None:
        if value is None:
            return None
        code = value.upper()
        if not is_currency(code):
            raise ValueError(N_("not a currency code (ISO 4217), like THB or VND"))
        return code

    @property
    def buyer(self) -> Customer:
        """The customer (the directory's, once the service has looked `customer_id` up)."""
        if self.customer is None:
            raise Invalid(N_("give the customer, or one from the directory"), slug="validation")
        return self.customer

    @model_validator(mode="after")
    def _due(self) -> InvoiceRequest:
        if (self.customer is None) == (self.customer_id is None):
            raise ValueError(N_("give the customer, or one from the directory, not both"))
        if self.due_date is not None and self.due_days is not None:
            raise ValueError(N_("give the due date or the days to pay, not both"))
        if self.due_date and self.issue_date and self.due_date < self.issue_date:
            raise ValueError(N_("the due date is before the issue date"))
        return self


class Status(StrEnum):
    DRAFT = "draft"
    ISSUED = "issued"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    OVERDUE = "overdue"
    VOID = "void"


OPEN = (Status.ISSUED, Status.PARTIALLY_PAID, Status.OVERDUE)


class Line(BaseModel):
    item: str | None = None
    description: str
    quantity: Decimal
    unit_price: Decimal
    tax_rate: Decimal
    line_net: Decimal
    tax_amount: Decimal
    line_total: Decimal
    kind: str = Field(default="item", description="item, or late_fee (on the debit note a reminder adds).")


class TaxLine(BaseModel):
    rate: Decimal
    taxable_amount: Decimal
    tax_amount: Decimal


class Payment(BaseModel):
    id: str
    amount: Decimal = Field(description="What reached the office.")
    date: date
    method: str
    reference: str | None = None
    withheld: Decimal = Field(
        default=Decimal(0), description="Tax the customer withheld and paid for the office."
    )
    withholding_rate: Decimal | None = None
    certificate_number: str | None = Field(
        default=None, description="The withholding certificate (Thai 50 ทวิ)."
    )
    certificate_document_id: str | None = None
    receipt_number: str | None = Field(default=None, description="The receipt issued for it (series RC).")
    matched_by: str | None = Field(
        default=None,
        description="The bank line's rule that matched it (invoice_number, payer_amount, assigned).",
    )
    recorded_by: str
    recorded_at: datetime

    @property
    def settles(self) -> Decimal:
        """What the payment takes off the amount due: the money and the tax withheld."""
        return self.amount + self.withheld


class Refund(BaseModel):
    """Money the office paid back: what a credit note left owed to the customer after they had paid."""

    id: str
    amount: Decimal
    date: date
    method: str
    reference: str | None = None
    recorded_by: str
    recorded_at: datetime


class CreditNote(BaseModel):
    id: str
    number: str
    amount: Decimal
    reason: str
    date: date
    lines: list[Line] = []
    recorded_by: str


class DebitNote(CreditNote):
    """What the invoice asks for rises after it was issued (Thai ใบเพิ่มหนี้, Revenue Code section 86/9)."""


class Reminder(BaseModel):
    stage: int = Field(description="Days after the due date (negative: before).")
    claimed_at: datetime
    sent_at: datetime | None = None
    fee: Decimal | None = None


class Invoice(BaseModel):
    id: str
    number: str | None = None
    status: Status
    customer: Customer
    currency: str
    issue_date: date | None = None
    due_date: date | None = None
    due_days: int | None = None
    notes: str | None = None
    lines: list[Line]
    tax_breakdown: list[TaxLine]
    subtotal: Decimal
    tax_total: Decimal
    total: Decimal
    amount_paid: Decimal
    amount_withheld: Decimal = Decimal(0)
    amount_credited: Decimal
    amount_debited: Decimal = Decimal(0)
    amount_due: Decimal
    amount_refunded: Decimal = Decimal(0)
    refund_due: Decimal = Field(
        default=Decimal(0),
        description="What the office owes the customer: a credit note took off more than was left to pay.",
    )
    payments: list[Payment] = []
    refunds: list[Refund] = []
    credit_notes: list[CreditNote] = []
    debit_notes: list[DebitNote] = []
    reminders: list[Reminder] = []
    void_reason: str | None = None
    pdf_key: str | None = None
    emailed_at: datetime | None = None
    deliveries: list[str] = Field(
        default=[],
        description="Emails sent: issue, send:{id}, reminder:{stage}, receipt:{payment id}, note:{number}.",
    )
    created_at: datetime
    created_by: str
    version: int = 1


class WithholdingRow(BaseModel):
    """One payment from which the customer withheld tax, and its certificate if it has come."""

    invoice_id: str
    invoice_number: str
    customer: str
    customer_tax_id: str | None
    payment_id: str
    date: date
    currency: str
    withheld: Decimal
    withholding_rate: Decimal | None
    certificate_number: str | None


class WithholdingReport(BaseModel):
    month: str
    items: list[WithholdingRow]
    missing_certificates: int
