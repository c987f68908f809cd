"""Banking's non-HTTP trigger: filed bank statements (the statements layer rides only with banking)."""

from __future__ import annotations

from typing import Any

from banking.service import reconciler
from core.identity import Caller
from core.observability import lambda_entry, logger
from core.settings import env
from core.storage import ObjectStore
from core.triggers import each_message

STATEMENT_IMPORT = Caller(
    subject="bank-statements", groups=frozenset({"system"}), name="the bank statement import"
)


@lambda_entry
def statements(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """DocumentFiled events of bank statements (EventBridge → SQS): match and record each credit once.
    A statement from an untrusted source (mail from outside the office) records nothing."""

    def import_statement(body: dict[str, Any]) -> None:
        detail = body["detail"]
        if not (detail.get("provenance") or {}).get("trusted"):
            logger.warning(
                "statement from an untrusted source ignored", extra={"document_id": detail["document_id"]}
            )
            return
        files = ObjectStore(env("DOCUMENTS_BUCKET"))
        if files.head(detail["key"]) is None:  # reclassified or moved since: nothing to import
            logger.warning("statement file not found", extra={"document_id": detail["document_id"]})
            return
        data = files.read_bytes(detail["key"])
        result = reconciler().import_statement(data, detail["document_id"], STATEMENT_IMPORT)
        counts = result.model_dump(include={"matched", "unmatched", "seen_before", "outgoing"})
        logger.info("bank statement imported", extra={"document_id": detail["document_id"], **counts})

    return each_message(event, context, import_statement)
