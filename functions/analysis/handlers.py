"""The analysis triggers: table streams (every change counted once) and the monthly close, checked daily."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from analysis.service import counting
from analysis.service import monthly as monthly_run
from core.observability import lambda_entry, logger
from core.triggers import as_scheduled, each_change


@lambda_entry
def changes(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """DynamoDB stream records of the capabilities' tables (NEW_AND_OLD_IMAGES)."""
    service = counting()

    def count(record: Any) -> None:
        change = record.dynamodb
        at = datetime.fromtimestamp(float(change.approximate_creation_date_time or 0), UTC)
        service.record(record.event_id, change.old_image or None, change.new_image or None, at)

    return each_change(event, context, count)


@lambda_entry
def monthly(event: dict[str, Any], context: Any) -> dict[str, str]:
    """EventBridge Scheduler, daily: the analysis of the month that ended, once."""
    key = as_scheduled(monthly_run(), event).close_month()
    logger.info("office analysis stored", extra={"key": key})
    return {"key": key}
