"""SQS consumers of the documents bucket's notifications: `inbox` files uploads, `mail` unpacks email.

Each SQS message is one S3 notification; S3's s3:TestEvent names no object and is skipped.
"""

from __future__ import annotations

from typing import Any

from core.observability import lambda_entry
from core.triggers import each_message
from intake.mailroom import Mailroom
from intake.model import uploads_from_notification
from intake.service import filing


@lambda_entry
def inbox(event: dict[str, Any], context: Any) -> dict[str, Any]:
    def file_all(body: dict[str, Any]) -> None:
        for upload in uploads_from_notification(body):
            filing().intake(upload)

    return each_message(event, context, file_all)


@lambda_entry
def mail(event: dict[str, Any], context: Any) -> dict[str, Any]:
    def unpack_all(body: dict[str, Any]) -> None:
        for upload in uploads_from_notification(body):
            Mailroom(filing()).receive(upload)

    return each_message(event, context, unpack_all)
