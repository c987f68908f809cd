"""A bank statement's lines and what became of each (matched, assigned, ignored, outgoing)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, Field

from core.text import SingleLine


class BankLineStatus(StrEnum):
    MATCHED = "matched"
    UNMATCHED = "unmatched"
    ASSIGNED = "assigned"
    IGNORED = "ignored"
    OUTGOING = "outgoing"


class BankLine(BaseModel):
    """One line of a bank statement, as imported, and what became of it."""

    id: str = Field(description="The same every time the same line is read again.")
    date: date
    amount: Decimal = Field(description="Money in is positive, money out negative.")
    currency: str
    reference: str
    payer: str | None = None
    account: str | None = None
    source: str = Field(description="The statement's document id in the register, or `api`.")
    status: BankLineStatus
    invoice_id: str | None = None
    invoice_number: str | None = None
    rule: str | None = Field(default=None, description="invoice_number, payer_amount or assigned.")
    note: str | None = Field(default=None, description="Why it waits for a person, or why it was ignored.")
    imported_at: datetime
    version: int = 1


class StatementImport(BaseModel):
    format: str = Field(description="The CSV layout's key (kbank, scb, vietcombank), ofx or camt.053.")
    account: str | None
    matched: int = Field(description="Credits matched to an invoice and recorded as its payment now.")
    unmatched: int = Field(description="Credits waiting for a person (GET /bank-lines).")
    seen_before: int = Field(description="Lines an earlier import already settled: nothing done twice.")
    outgoing: int = Field(description="Debits, kept for reconciling what the office paid.")
    lines: list[BankLine]


class AssignRequest(BaseModel):
    invoice_id: str = Field(min_length=1, max_length=64)
    remember: bool = Field(default=True, description="Match this payer's next credits to the same customer.")


class IgnoreRequest(BaseModel):
    reason: SingleLine = Field(min_length=3, max_length=200, examples=["bank interest"])
