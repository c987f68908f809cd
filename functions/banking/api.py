"""The bank statements API: import a statement, and the credits that wait for a person."""

from __future__ import annotations

import base64
from decimal import Decimal
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path

from banking.model import AssignRequest, BankLine, IgnoreRequest
from banking.service import reconciler
from core.api import build_resolver, current_caller, roles
from core.errors import Invalid
from core.i18n import N_
from core.idempotency import IDEMPOTENT, IdempotencyKey
from core.observability import lambda_entry
from core.serialization import json_dumps

router = Router()
OFFICE = roles("staff", "admin")
BANK = ["Bank statements"]
STATEMENT_BYTES = 5 * 1024 * 1024


@router.post(
    "/bank-statements",
    middlewares=OFFICE,
    tags=BANK,
    summary="Import a bank statement (CSV in a known layout, OFX or CAMT.053) and match its credits",
    description="The file is the request body. Importing the same statement again records nothing twice.",
    enable_validation=False,  # the body is the bank's file, not JSON
)
def import_statement() -> Response[str]:
    event = router.current_event
    raw = event.body or ""
    data = base64.b64decode(raw) if event.is_base64_encoded else raw.encode()
    if not data.strip():
        raise Invalid(N_("send the statement file as the request body"), slug="bad-statement")
    if len(data) > STATEMENT_BYTES:
        raise Invalid(
            N_("a statement is at most {size} bytes"), slug="bad-statement", size=Decimal(STATEMENT_BYTES)
        )
    result = reconciler().import_statement(data, "api", current_caller(router))
    return Response(200, "application/json", json_dumps(result.model_dump(mode="json")))


@router.get("/bank-lines", middlewares=OFFICE, tags=BANK, summary="Credits waiting for a person to match")
def unmatched_lines() -> list[BankLine]:
    return reconciler().unmatched()


@router.post(
    "/bank-lines/<line_id>/assign",
    middlewares=[*OFFICE, *IDEMPOTENT],
    tags=BANK,
    summary="Say which invoice a credit pays: its payment is recorded, and the payer remembered",
)
def assign_line(
    line_id: Annotated[str, Path(max_length=64)],
    request: AssignRequest,
    idempotency_key: IdempotencyKey = None,
) -> BankLine:
    return reconciler().assign(line_id, request.invoice_id, current_caller(router), remember=request.remember)


@router.post(
    "/bank-lines/<line_id>/ignore",
    middlewares=OFFICE,
    tags=BANK,
    summary="Take a credit that pays no invoice off the list, with the reason",
)
def ignore_line(line_id: Annotated[str, Path(max_length=64)], request: IgnoreRequest) -> BankLine:
    return reconciler().ignore(line_id, request.reason, current_caller(router))


app = build_resolver(router)


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
