"""Invoicing's non-HTTP triggers: the delivery queue (fed by the event bus) and the daily reminder run."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from core.clock import fixed_clock, scheduled_time
from core.observability import lambda_entry, logger
from invoicing.delivery import delivery as delivery_service
from invoicing.service import invoicing

processor = BatchProcessor(event_type=EventType.SQS)


def _deliver(record: SQSRecord) -> None:
    detail = json.loads(record.body)["detail"]
    delivery_service().deliver(detail["invoice_id"], detail["delivery"])


@lambda_entry
def delivery(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return dict(process_partial_response(event, _deliver, processor, context))


@lambda_entry
def reminders(event: dict[str, Any], context: Any) -> dict[str, int]:
    """EventBridge Scheduler, daily: "today" is the scheduled time's date in the business timezone."""
    run = dataclasses.replace(invoicing(), clock=fixed_clock(scheduled_time(event)))
    counts = run.remind()
    logger.info("reminder run finished", extra=counts)
    return counts
