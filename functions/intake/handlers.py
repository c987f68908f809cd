"""SQS consumers of the documents bucket's notifications: `inbox` files uploads, `mail` unpacks email.

Each SQS message is one S3 notification; a failing message is reported alone (partial batch
response) and retried, then dead-lettered. S3's s3:TestEvent names no object and is skipped.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from core.observability import lambda_entry
from intake.documents import Upload, uploads_from_notification
from intake.filing import filing
from intake.mailroom import Mailroom

processor = BatchProcessor(event_type=EventType.SQS)


def _consume(event: dict[str, Any], context: Any, each: Callable[[Upload], Any]) -> dict[str, Any]:
    def record_handler(record: SQSRecord) -> None:
        for upload in uploads_from_notification(json.loads(record.body)):
            each(upload)

    return dict(process_partial_response(event, record_handler, processor, context))


@lambda_entry
def inbox(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return _consume(event, context, lambda upload: filing().intake(upload))


@lambda_entry
def mail(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return _consume(event, context, lambda upload: Mailroom(filing()).receive(upload))
