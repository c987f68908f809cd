"""The scheduled compliance runs; "today" is the scheduled time's date in the business timezone."""

from __future__ import annotations

from typing import Any

from compliance.service import compliance
from core.observability import lambda_entry, logger
from core.triggers import as_scheduled


@lambda_entry
def daily(event: dict[str, Any], context: Any) -> dict[str, int]:
    counts = as_scheduled(compliance(), event).daily()
    logger.info("compliance run finished", extra=counts)
    return counts


@lambda_entry
def digest(event: dict[str, Any], context: Any) -> dict[str, int]:
    owners = as_scheduled(compliance(), event).digest()
    logger.info("compliance digest sent", extra={"owners": owners})
    return {"owners": owners}
