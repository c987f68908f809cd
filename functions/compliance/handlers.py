"""The scheduled compliance runs; "today" is the scheduled time's date in the business timezone."""

from __future__ import annotations

import dataclasses
from typing import Any

from compliance.service import Compliance, compliance
from core.clock import fixed_clock, scheduled_time
from core.observability import lambda_entry, logger


def _as_scheduled(event: dict[str, Any]) -> Compliance:
    return dataclasses.replace(compliance(), clock=fixed_clock(scheduled_time(event)))


@lambda_entry
def daily(event: dict[str, Any], context: Any) -> dict[str, int]:
    counts = _as_scheduled(event).daily()
    logger.info("compliance run finished", extra=counts)
    return counts


@lambda_entry
def digest(event: dict[str, Any], context: Any) -> dict[str, int]:
    owners = _as_scheduled(event).digest()
    logger.info("compliance digest sent", extra={"owners": owners})
    return {"owners": owners}
