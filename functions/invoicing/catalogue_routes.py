"""HTTP routes of the catalogue of items and of recurring invoices (on invoicing's router)."""

from datetime import date
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Header, Path
from pydantic import Field

from core.api import current_caller
from invoicing.model import Item, ItemRequest
from invoicing.recurring import RecurringInvoice, RecurringRequest, upcoming_dates
from invoicing.routing import OFFICE, TAGS, made_once, router
from invoicing.service import invoicing


@router.get("/items", middlewares=OFFICE, tags=TAGS, summary="The catalogue of products and services")
def list_items() -> list[Item]:
    return invoicing().items()


@router.post("/items", middlewares=OFFICE, tags=TAGS, summary="Add an item to the catalogue")
def add_item(request: ItemRequest) -> Response[Item]:
    item = invoicing().add_item(request, current_caller(router))
    return Response(201, "application/json", item, headers={"location": f"/items/{item.code}"})


@router.get("/items/<code>", middlewares=OFFICE, tags=TAGS, summary="An item")
def get_item(code: Annotated[str, Path()]) -> Item:
    return invoicing().item(code)


@router.put(
    "/items/<code>", middlewares=OFFICE, tags=TAGS, summary="Change an item (archive it to stop offering it)"
)
def change_item(code: Annotated[str, Path()], request: ItemRequest) -> Item:
    return invoicing().change_item(code, request, current_caller(router))


class RecurringView(RecurringInvoice):
    upcoming: list[date] = Field(description="The next five dates it falls on.")


def _view(series: RecurringInvoice) -> RecurringView:
    return RecurringView(**series.model_dump(), upcoming=upcoming_dates(series, 5))


@router.post("/recurring-invoices", middlewares=OFFICE, tags=TAGS, summary="Start a recurring invoice")
def start_recurring(
    request: RecurringRequest,
    idempotency_key: Annotated[str | None, Header(alias="idempotency-key", max_length=200)] = None,
) -> Response[RecurringView]:
    made = made_once(
        request, idempotency_key, lambda caller: invoicing().start_series(request, caller), "series"
    )
    view = _view(RecurringInvoice.model_validate(made))
    return Response(201, "application/json", view, headers={"location": f"/recurring-invoices/{view.id}"})


@router.get("/recurring-invoices", middlewares=OFFICE, tags=TAGS, summary="Recurring invoices")
def list_recurring() -> list[RecurringView]:
    return [_view(series) for series in invoicing().all_series()]


@router.get("/recurring-invoices/<series_id>", middlewares=OFFICE, tags=TAGS, summary="A recurring invoice")
def get_recurring(series_id: Annotated[str, Path()]) -> RecurringView:
    return _view(invoicing().series(series_id))


@router.post("/recurring-invoices/<series_id>/pause", middlewares=OFFICE, tags=TAGS, summary="Pause it")
def pause_recurring(series_id: Annotated[str, Path()]) -> RecurringView:
    return _view(invoicing().pause_series(series_id, current_caller(router), paused=True))


@router.post(
    "/recurring-invoices/<series_id>/resume",
    middlewares=OFFICE,
    tags=TAGS,
    summary="Resume it: dates that passed while it was paused are skipped",
)
def resume_recurring(series_id: Annotated[str, Path()]) -> RecurringView:
    return _view(invoicing().pause_series(series_id, current_caller(router), paused=False))
