"""Payroll's non-HTTP triggers: registers filed by intake (via the event bus), and the daily run."""

from __future__ import annotations

from typing import Any

from core.observability import lambda_entry, logger
from core.triggers import as_scheduled, each_message
from payroll.model import RegisterSource
from payroll.service import payroll


@lambda_entry
def registers(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """DocumentFiled events of payroll registers (EventBridge → SQS): each becomes a pay run."""

    def import_register(body: dict[str, Any]) -> None:
        detail = body["detail"]
        source = RegisterSource.model_validate(detail["provenance"]) if detail.get("provenance") else None
        if source is None or not source.trusted:
            logger.warning(
                "register from an untrusted source ignored", extra={"document_id": detail["document_id"]}
            )
            return
        run = payroll().import_register(detail["document_id"], detail["key"], source)
        if run:
            logger.info("register handled", extra={"payrun_id": run.id, "status": run.status.value})

    return each_message(event, context, import_register)


@lambda_entry
def daily(event: dict[str, Any], context: Any) -> dict[str, int]:
    counts = as_scheduled(payroll(), event).daily()
    logger.info("cheque run finished", extra=counts)
    return counts
