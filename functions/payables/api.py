"""HTTP routes for bills (review, approval, payment) and the parties directory."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from pydantic import BaseModel, Field

from core.api import build_resolver, current_caller, roles, text_body
from core.errors import Invalid
from core.i18n import N_
from core.idempotency import IDEMPOTENT, IdempotencyKey
from core.observability import lambda_entry
from payables.model import (
    ApproveRequest,
    Bill,
    BillFigures,
    BillPaymentRequest,
    BillStatus,
    DraftRequest,
    RejectRequest,
    ScheduleRequest,
)
from payables.parties import Kind, Party, PartyFields, PartyPatch, read_parties
from payables.service import payables

router = Router()
OFFICE = roles("staff", "admin")
ADMIN = roles("admin")
BILLS, PARTIES = ["Bills"], ["Parties"]
BillId = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
PartyId = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


class BillPage(BaseModel):
    items: list[Bill]
    cursor: str | None = Field(default=None, description="Pass as `cursor` to get the next page.")


@router.post("/bills", middlewares=[*OFFICE, *IDEMPOTENT], tags=BILLS, summary="Enter a bill by hand")
def enter_bill(request: DraftRequest, idempotency_key: IdempotencyKey = None) -> Response[Bill]:
    """Entered and confirmed by the same person; above the approval limit a second person approves."""
    bill = payables().enter(request.figures, current_caller(router))
    return Response(201, "application/json", bill, headers={"location": f"/bills/{bill.id}"})


@router.get("/bills", middlewares=OFFICE, tags=BILLS, summary="Bills, newest first")
def list_bills(
    status: Annotated[BillStatus | None, Query()] = None,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> BillPage:
    items, next_cursor = payables().bills(status.value if status else None, cursor, limit)
    return BillPage(items=items, cursor=next_cursor)


@router.get("/bills/<bill_id>", middlewares=OFFICE, tags=BILLS, summary="A bill")
def get_bill(bill_id: BillId) -> Bill:
    return payables().bill(bill_id)


@router.post(
    "/bills/<bill_id>/confirm", middlewares=[*OFFICE, *IDEMPOTENT], tags=BILLS, summary="Confirm a draft"
)
def confirm_bill(bill_id: BillId, figures: BillFigures, idempotency_key: IdempotencyKey = None) -> Bill:
    """The figures as checked against the vendor's document (read ones corrected where wrong). The same
    vendor invoice number twice is a 409 naming the first bill."""
    return payables().confirm(bill_id, figures, current_caller(router))


@router.post(
    "/bills/<bill_id>/approve", middlewares=[*ADMIN, *IDEMPOTENT], tags=BILLS, summary="Approve a bill"
)
def approve_bill(bill_id: BillId, request: ApproveRequest, idempotency_key: IdempotencyKey = None) -> Bill:
    """A second person: not the one who confirmed it."""
    return payables().approve(bill_id, current_caller(router), request.note)


@router.post(
    "/bills/<bill_id>/reject", middlewares=[*OFFICE, *IDEMPOTENT], tags=BILLS, summary="Reject a bill"
)
def reject_bill(bill_id: BillId, request: RejectRequest, idempotency_key: IdempotencyKey = None) -> Bill:
    return payables().reject(bill_id, request.reason, current_caller(router))


@router.post(
    "/bills/<bill_id>/schedule", middlewares=[*OFFICE, *IDEMPOTENT], tags=BILLS, summary="Set the day to pay"
)
def schedule_bill(bill_id: BillId, request: ScheduleRequest, idempotency_key: IdempotencyKey = None) -> Bill:
    return payables().schedule(bill_id, request.pay_on, current_caller(router))


@router.post(
    "/bills/<bill_id>/payments", middlewares=[*OFFICE, *IDEMPOTENT], tags=BILLS, summary="Record a payment"
)
def pay_bill(
    bill_id: BillId, request: BillPaymentRequest, idempotency_key: IdempotencyKey = None
) -> Response[Bill]:
    """Partial payments too; send an Idempotency-Key so a retried request records it once."""
    return Response(201, "application/json", payables().pay(bill_id, request, current_caller(router)))


@router.post("/parties", middlewares=[*OFFICE, *IDEMPOTENT], tags=PARTIES, summary="Add a customer or vendor")
def add_party(fields: PartyFields, idempotency_key: IdempotencyKey = None) -> Response[Party]:
    party = payables().add_party(fields, current_caller(router))
    return Response(201, "application/json", party, headers={"location": f"/parties/{party.id}"})


@router.post(
    "/parties/import", middlewares=[*OFFICE, *IDEMPOTENT], tags=PARTIES, summary="Import parties (CSV)"
)
def import_parties(idempotency_key: IdempotencyKey = None) -> Response[list[Party]]:
    """A header row naming the fields (kind,name,tax_id,branch,email,...); all rows or none."""
    rows, problems = read_parties(text_body(router, "text/csv", "text/plain"))
    if problems:
        raise Invalid(
            N_("{count} problems; nothing was imported"),
            slug="validation",
            errors=problems,
            count=len(problems),
        )
    if not rows:
        raise Invalid(N_("the file has no rows"), slug="validation")
    return Response(201, "application/json", payables().import_parties(rows, current_caller(router)))


@router.get("/parties", middlewares=OFFICE, tags=PARTIES, summary="Search the directory")
def list_parties(
    q: Annotated[str | None, Query(max_length=100, description="Part of a name, or a tax id.")] = None,
    kind: Annotated[Kind | None, Query()] = None,
    archived: Annotated[bool, Query(description="Include archived parties.")] = False,
) -> list[Party]:
    return payables().parties(q, kind.value if kind else None, archived)


@router.get("/parties/<party_id>", middlewares=OFFICE, tags=PARTIES, summary="A party")
def get_party(party_id: PartyId) -> Party:
    return payables().party(party_id)


@router.patch("/parties/<party_id>", middlewares=OFFICE, tags=PARTIES, summary="Edit or archive a party")
def edit_party(party_id: PartyId, patch: PartyPatch) -> Party:
    """A new `bank_account` is only asked for (`pending`): the vendor and the office are told, and it is
    in force once an administrator other than the one who asked approves it."""
    return payables().edit_party(party_id, patch, current_caller(router))


@router.post(
    "/parties/<party_id>/bank-account/approve",
    middlewares=[*ADMIN, *IDEMPOTENT],
    tags=PARTIES,
    summary="Put the bank account asked for in force",
)
def approve_bank_account(party_id: PartyId, idempotency_key: IdempotencyKey = None) -> Party:
    """An administrator other than the one who asked; the vendor and the office are told."""
    return payables().decide_account(party_id, True, current_caller(router))


@router.post(
    "/parties/<party_id>/bank-account/reject",
    middlewares=[*ADMIN, *IDEMPOTENT],
    tags=PARTIES,
    summary="Refuse the bank account asked for",
)
def reject_bank_account(
    party_id: PartyId, request: RejectRequest, idempotency_key: IdempotencyKey = None
) -> Party:
    """The account in force stays; the vendor and the office are told."""
    return payables().decide_account(party_id, False, current_caller(router), request.reason)


app = build_resolver(router)


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
