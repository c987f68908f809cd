"""The payables triggers: a filed vendor invoice opens a draft bill, a change of a vendor's bank account
is told to the vendor and the office, and the daily run tells the payer what falls due ("today" is the
scheduled time's date in the business timezone)."""

from __future__ import annotations

from typing import Any

from core.observability import lambda_entry, logger
from core.triggers import as_scheduled, each_message
from payables.service import ACCOUNT_CHANGE, payables


@lambda_entry
def messages(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The bill queue (EventBridge → SQS): DocumentFiled events of vendor invoices, each a draft bill,
    once; VendorBankAccountChange events, each an email to the vendor and the office."""

    def handle(body: dict[str, Any]) -> None:
        detail = body["detail"]
        if body.get("detail-type") == ACCOUNT_CHANGE:
            payables().tell_account_change(
                detail["party_id"], detail["state"], detail["ending"], detail["by"]
            )
            return
        bill = payables().open_from_document(detail["document_id"], detail["key"], detail.get("provenance"))
        logger.info(
            "bill opened" if bill else "bill was opened before", extra={"document_id": detail["document_id"]}
        )

    return each_message(event, context, handle)


@lambda_entry
def daily(event: dict[str, Any], context: Any) -> dict[str, int]:
    told = as_scheduled(payables(), event).daily()
    logger.info("payables run finished", extra={"bills": told})
    return {"bills": told}
