"""The directory of customers and vendors: one record per party, archived rather than deleted, and
its CSV import (every row checked first: all or nothing, problems named by line)."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

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


class Party(PartyFields):
    id: str
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
    bank_account: SingleLine | None = Field(default=None, max_length=60)
    archived: bool | None = Field(default=None, description="Archived parties are kept, offered no more.")


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
