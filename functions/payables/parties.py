"""The directory of customers and vendors: one record per party, archived rather than deleted, and
its CSV import (every row checked first: all or nothing, problems named by line).

Where a vendor is paid moves under two keys: a bank account typed in (added, imported or edited) is
only asked for (`pending`); it is in force once an administrator other than the one who asked
approves it, and a change waiting blocks another until it is decided.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from core.errors import Conflict, Forbidden
from core.i18n import N_
from core.identity import Caller
from core.text import MultiLine, SingleLine

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
MAX_ROWS = 2000


class Kind(StrEnum):
    CUSTOMER = "customer"
    VENDOR = "vendor"
    BOTH = "both"


class PartyFields(BaseModel):
    kind: Kind = Field(examples=["vendor"])
    name: SingleLine = Field(min_length=1, max_length=200, examples=["Công ty TNHH Ánh Dương"])
    tax_id: SingleLine | None = Field(default=None, max_length=20, examples=["0105551234567"])
    branch: SingleLine | None = Field(default=None, max_length=20, examples=["00000"])
    address: MultiLine | None = Field(default=None, max_length=500)
    email: str | None = Field(default=None, pattern=EMAIL_PATTERN, max_length=254)
    language: Literal["en", "th", "vi"] | None = None
    payment_terms_days: int | None = Field(default=None, ge=0, le=365)
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    bank_account: SingleLine | None = Field(
        default=None, max_length=60, description="Where a vendor is paid."
    )


class AccountChange(BaseModel):
    """A bank account asked for, waiting for an administrator other than the one who asked."""

    bank_account: SingleLine = Field(min_length=1, max_length=60)
    requested_by: str
    requested_by_name: str | None = Field(default=None, description="Their name as they signed in.")
    requested_at: datetime


class Party(PartyFields):
    id: str
    bank_account: SingleLine | None = Field(
        default=None, max_length=60, description="Where this vendor is paid: the account in force."
    )
    pending: AccountChange | None = Field(
        default=None, description="A bank account asked for and not yet approved: nothing is paid to it."
    )
    archived: bool = False
    created_at: datetime
    version: int = 1


class PartyPatch(BaseModel):
    name: SingleLine | None = Field(default=None, min_length=1, max_length=200)
    address: MultiLine | None = Field(default=None, max_length=500)
    email: str | None = Field(default=None, pattern=EMAIL_PATTERN, max_length=254)
    language: Literal["en", "th", "vi"] | None = None
    payment_terms_days: int | None = Field(default=None, ge=0, le=365)
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    bank_account: SingleLine | None = Field(
        default=None, max_length=60, description="Asks for a new account; an administrator approves it."
    )
    archived: bool | None = Field(default=None, description="Archived parties are kept, offered no more.")


def account_key(account: str | None) -> str:
    """An account as a bank reads it: its letters and digits ("123-4-56789-0" is "1234567890")."""
    return re.sub(r"[^0-9a-z]", "", (account or "").casefold())


def account_requested(party: Party, account: str, by: Caller, now: datetime) -> Party:
    """`party` with `account` asked for (a 409 while another change waits)."""
    if party.pending is not None:
        raise Conflict(
            N_("a change of bank account of {name} waits for an administrator already"),
            name=party.name,
            slug="bank-account-change-pending",
        )
    change = AccountChange(
        bank_account=account, requested_by=by.actor, requested_by_name=by.shown_as, requested_at=now
    )
    return party.model_copy(update={"pending": change})


def account_decided(party: Party, by: Caller, approve: bool) -> Party:
    """The waiting change put in force, or dropped; never approved by the one who asked for it."""
    if party.pending is None:
        raise Conflict(
            N_("no change of bank account of {name} waits"), slug="no-bank-account-change", name=party.name
        )
    if approve and by.actor == party.pending.requested_by:
        raise Forbidden(
            N_(
                "a change of bank account is approved by an administrator other than the one who asked for it"
            ),
            slug="second-person-required",
        )
    done = {"bank_account": party.pending.bank_account} if approve else {}
    return party.model_copy(update={**done, "pending": None})


def tax_key(tax_id: str, branch: str | None) -> str:
    return f"{tax_id}#{branch or '00000'}"


def read_parties(text: str) -> tuple[list[PartyFields], list[dict[str, Any]]]:
    """Rows of a CSV whose header names the fields (kind,name,tax_id,...); problems by line."""
    rows: list[PartyFields] = []
    problems: list[dict[str, Any]] = []
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    unknown = set(reader.fieldnames or []) - set(PartyFields.model_fields)
    if unknown:
        return [], [{"line": 1, "detail": f"unknown columns: {', '.join(sorted(unknown))}"}]
    seen: dict[str, int] = {}
    for line, row in enumerate(reader, start=2):
        if line - 1 > MAX_ROWS:
            problems.append({"line": line, "detail": f"more than {MAX_ROWS} rows"})
            break
        values = {k: v.strip() for k, v in row.items() if k and v and v.strip()}
        try:
            party = PartyFields.model_validate(values)
        except ValidationError as error:
            for e in error.errors():
                problems.append({"line": line, "field": ".".join(map(str, e["loc"])), "detail": e["msg"]})
            continue
        if party.tax_id:
            key = tax_key(party.tax_id, party.branch)
            if key in seen:
                problems.append({"line": line, "field": "tax_id", "detail": f"same as line {seen[key]}"})
            seen[key] = line
        rows.append(party)
    return rows, problems
