"""HTTP routes for obligations, their completion and history, CSV import and the calendar feed."""

from datetime import UTC, date, datetime
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from pydantic import BaseModel, Field

from compliance.importer import read_calendar
from compliance.model import Category, CompleteRequest, Obligation, ObligationFields, ObligationPatch, Status
from compliance.service import compliance
from core.api import build_resolver, current_caller, roles, text_body
from core.errors import Invalid, Unauthenticated
from core.i18n import N_
from core.idempotency import IDEMPOTENT, IdempotencyKey
from core.observability import lambda_entry
from core.settings import env

router = Router()
OFFICE = roles("staff", "admin")
TAGS = ["Compliance"]


class ObligationPage(BaseModel):
    items: list[Obligation]
    cursor: str | None = Field(default=None, description="Pass as `cursor` to get the next page.")


class ImportResult(BaseModel):
    created: int
    skipped: int = Field(description="Rows already imported before (same title, jurisdiction and due date).")
    items: list[Obligation]


class FeedToken(BaseModel):
    token: str
    url: str = Field(description="Subscribe to this in Outlook, Google Calendar or Apple Calendar.")


@router.post("/obligations", middlewares=OFFICE, tags=TAGS, summary="Add an obligation")
def create_obligation(fields: ObligationFields) -> Response[Obligation]:
    obligation = compliance().create(fields, current_caller(router))
    return Response(
        201, "application/json", obligation, headers={"location": f"/obligations/{obligation.id}"}
    )


@router.post("/obligations/import", middlewares=OFFICE, tags=TAGS, summary="Import a calendar (CSV)")
def import_obligations() -> Response[ImportResult]:
    rows, problems = read_calendar(text_body(router, "text/csv", "text/plain"))
    if problems:
        raise Invalid(
            N_("{count} problems; nothing was imported"),
            slug="validation",
            errors=problems,
            count=len(problems),
        )
    if not rows:
        raise Invalid(N_("the file has no rows"), slug="validation")
    created, skipped = compliance().import_rows(rows, current_caller(router))
    result = ImportResult(created=len(created), skipped=skipped, items=created)
    return Response(201, "application/json", result)


@router.get("/obligations", middlewares=OFFICE, tags=TAGS, summary="Search obligations")
def list_obligations(
    status: Annotated[Status | None, Query()] = None,
    category: Annotated[Category | None, Query()] = None,
    owner: Annotated[str | None, Query(description="Owner email.")] = None,
    due_before: Annotated[date | None, Query()] = None,
    cursor: Annotated[str | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ObligationPage:
    items, next_cursor = compliance().search(
        status=status.value if status else None,
        category=category.value if category else None,
        owner=owner,
        due_before=due_before,
        cursor=cursor,
        limit=limit,
    )
    return ObligationPage(items=items, cursor=next_cursor)


@router.post("/obligations/calendar-tokens", middlewares=OFFICE, tags=TAGS, summary="A calendar feed link")
def create_feed_token() -> Response[FeedToken]:
    token = compliance().issue_feed_token(current_caller(router))
    body = FeedToken(token=token, url=f"/obligations/calendar.ics?token={token}")
    return Response(201, "application/json", body)


class FeedLink(BaseModel):
    id: str
    owner: str
    created_at: datetime
    expires_at: datetime | None = None


@router.get("/obligations/calendar-tokens", middlewares=OFFICE, tags=TAGS, summary="Calendar feed links")
def list_feed_tokens() -> list[FeedLink]:
    """Your own feed links; an admin sees everyone's (to revoke one that leaked)."""
    return [FeedLink.model_validate(t) for t in compliance().feed_tokens(current_caller(router))]


@router.delete(
    "/obligations/calendar-tokens/<token_id>", middlewares=OFFICE, tags=TAGS, summary="Revoke a feed link"
)
def revoke_feed_token(token_id: Annotated[str, Path()]) -> Response[str]:
    caller = current_caller(router)
    compliance().revoke_feed_token(token_id, caller)
    return Response(204, "application/json", "")


@router.get("/obligations/calendar.ics", tags=TAGS, summary="iCalendar feed", enable_validation=False)
def calendar_feed() -> Response[bytes]:
    token = (router.current_event.query_string_parameters or {}).get("token", "")
    service = compliance()
    if not token or not service.feed_allowed(token):
        raise Unauthenticated(N_("this feed link is not valid (revoked or mistyped)"), slug="bad-feed-token")
    from compliance.feed import feed  # icalendar: in the calendar layer, which ApiDocs does not carry

    body = feed(service.upcoming(), env("BUSINESS_NAME"), datetime.now(UTC))
    return Response(
        200, "text/calendar; charset=utf-8", body, headers={"cache-control": "private, max-age=900"}
    )


@router.get("/obligations/<obligation_id>", middlewares=OFFICE, tags=TAGS, summary="One obligation")
def get_obligation(obligation_id: Annotated[str, Path()]) -> Obligation:
    return compliance().get(obligation_id)


@router.patch("/obligations/<obligation_id>", middlewares=OFFICE, tags=TAGS, summary="Change an obligation")
def edit_obligation(obligation_id: Annotated[str, Path()], patch: ObligationPatch) -> Obligation:
    return compliance().edit(obligation_id, patch, current_caller(router))


@router.delete(
    "/obligations/<obligation_id>", middlewares=OFFICE, tags=TAGS, summary="Archive (history kept)"
)
def archive_obligation(obligation_id: Annotated[str, Path()]) -> Obligation:
    return compliance().archive(obligation_id, current_caller(router))


@router.post(
    "/obligations/<obligation_id>/complete",
    middlewares=[*OFFICE, *IDEMPOTENT],
    tags=TAGS,
    summary="Record it done",
)
def complete_obligation(
    obligation_id: Annotated[str, Path()], request: CompleteRequest, idempotency_key: IdempotencyKey = None
) -> Obligation:
    return compliance().complete(obligation_id, request, current_caller(router))


@router.get("/obligations/<obligation_id>/history", middlewares=OFFICE, tags=TAGS, summary="What happened")
def obligation_history(obligation_id: Annotated[str, Path()]) -> dict[str, Any]:
    return compliance().history(obligation_id)


app = build_resolver(router)


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
