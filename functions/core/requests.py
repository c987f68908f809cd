"""Request bodies that mean the same in every capability."""

from __future__ import annotations

from pydantic import BaseModel, Field


class VoidRequest(BaseModel):
    """Why a record is voided: kept in its history and shown to whoever reads it later."""

    reason: str = Field(min_length=3, max_length=500)
