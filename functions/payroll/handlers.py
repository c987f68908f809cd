"""Payroll's scheduled trigger: the daily run. Documents intake files (registers, bank statements) have
theirs in `filed`, so that only its function carries the statements layer."""

from __future__ import annotations

from typing import Any

from core.observability import lambda_entry, logger
from core.triggers import as_scheduled
from payroll.service import payroll


@lambda_entry
def daily(event: dict[str, Any], context: Any) -> dict[str, int]:
    counts = as_scheduled(payroll(), event).daily()
    logger.info("cheque run finished", extra=counts)
    return counts
