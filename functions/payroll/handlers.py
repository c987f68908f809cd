"""Payroll's non-HTTP triggers: registers filed by intake (via the event bus), and the daily run."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from core.clock import fixed_clock, scheduled_time
from core.observability import lambda_entry, logger
from payroll.service import payroll

processor = BatchProcessor(event_type=EventType.SQS)


def _register(record: SQSRecord) -> None:
    detail = json.loads(record.body)["detail"]
    run = payroll().import_register(detail["document_id"], detail["key"])
    if run:
        logger.info("register handled", extra={"payrun_id": run.id, "status": run.status.value})


@lambda_entry
def registers(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """DocumentFiled events of payroll registers: each becomes a pay run (or a rejection)."""
    return dict(process_partial_response(event, _register, processor, context))


@lambda_entry
def daily(event: dict[str, Any], context: Any) -> dict[str, int]:
    run = dataclasses.replace(payroll(), clock=fixed_clock(scheduled_time(event)))
    counts = run.daily()
    logger.info("cheque run finished", extra=counts)
    return counts
