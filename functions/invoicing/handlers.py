"""Invoicing's non-HTTP triggers: the delivery queue (fed by the event bus) and the daily run."""

from __future__ import annotations

from typing import Any

from core.observability import lambda_entry, logger
from core.triggers import as_scheduled, each_message
from invoicing.delivery import delivery as delivery_service
from invoicing.service import invoicing


@lambda_entry
def delivery(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """InvoiceDeliveryRequested and QuoteDeliveryRequested events (EventBridge → SQS): render, store and
    email once each."""

    def deliver(body: dict[str, Any]) -> None:
        detail = body["detail"]
        if body.get("detail-type") == "QuoteDeliveryRequested":
            delivery_service().deliver_quote(detail["quote_id"], detail["link"])
        else:
            delivery_service().deliver(detail["invoice_id"], detail["delivery"])

    return each_message(event, context, deliver)


@lambda_entry
def daily(event: dict[str, Any], context: Any) -> dict[str, int]:
    """EventBridge Scheduler, daily: issue what recurs, then chase what is open. "Today" is the
    scheduled time's date in the business timezone. A series that cannot issue fails the run after the
    reminders are done (retried, then dead-lettered with its alarm)."""
    office = as_scheduled(invoicing(), event)
    counts = {**office.issue_recurring(), **office.remind()}
    logger.info("daily invoicing run finished", extra=counts)
    if counts[
        "failed"
    ]:  # after the reminders went: the run fails, is retried, and its alarm reaches a person
        raise RecurringFailed(f"{counts['failed']} recurring invoice(s) could not be issued; see the log")
    return counts


class RecurringFailed(Exception):
    """A series could not issue its invoice (its log entry says why)."""
