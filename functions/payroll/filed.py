"""Documents intake files for payroll (EventBridge → SQS): cheque registers and bank statements."""

from __future__ import annotations

from typing import Any

from core.identity import Caller
from core.observability import lambda_entry, logger
from core.settings import env
from core.statements import read_statement
from core.storage import ObjectStore
from core.triggers import each_message
from payroll.model import RegisterSource
from payroll.service import payroll

STATEMENT_IMPORT = Caller(subject="bank-statements", groups=frozenset({"system"}), name="the bank statement")


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """DocumentFiled events (EventBridge → SQS) of payroll registers, each of which becomes a pay run, and
    of bank statements, whose debits cash the cheques they name. Only a trusted source's document counts."""

    def handle(body: dict[str, Any]) -> None:
        detail = body["detail"]
        source = RegisterSource.model_validate(detail["provenance"]) if detail.get("provenance") else None
        if source is None or not source.trusted:
            logger.warning(
                "document from an untrusted source ignored", extra={"document_id": detail["document_id"]}
            )
            return
        if detail.get("type") == "bank_statement":
            files = ObjectStore(env("DOCUMENTS_BUCKET"))
            if files.head(detail["key"]) is None:  # reclassified or moved since: nothing to clear
                return
            lines = read_statement(files.read_bytes(detail["key"])).lines
            counts = payroll().cleared(lines, STATEMENT_IMPORT)
            logger.info("statement's cheques cleared", extra={"document_id": detail["document_id"], **counts})
            return
        run = payroll().import_register(detail["document_id"], detail["key"], source)
        if run:
            logger.info("register handled", extra={"payrun_id": run.id, "status": run.status.value})

    return each_message(event, context, handle)
