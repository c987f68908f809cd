"""HTTP routes of quotes, and of the customer's quote page (on invoicing's router)."""

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Header, Path
from pydantic import Field

from core.api import current_caller
from invoicing.model import Invoice
from invoicing.quotes import AcceptRequest, DeclineRequest, LinkRequest, PublicQuote, Quote, QuoteRequest
from invoicing.quoting import quoting
from invoicing.routing import OFFICE, PUBLIC, QUOTES, made_once, pdf_response, router


class SentQuote(Quote):
    link: str = Field(description="The customer's link, shown this once (it is emailed to them too).")


@router.post("/quotes", middlewares=OFFICE, tags=QUOTES, summary="Draft a quote")
def create_quote(
    request: QuoteRequest,
    idempotency_key: Annotated[str | None, Header(alias="idempotency-key", max_length=200)] = None,
) -> Response[Quote]:
    made = made_once(request, idempotency_key, lambda caller: quoting().create(request, caller), "quote")
    quote = Quote.model_validate(made)
    return Response(201, "application/json", quote, headers={"location": f"/quotes/{quote.id}"})


@router.get("/quotes", middlewares=OFFICE, tags=QUOTES, summary="Quotes, newest first")
def list_quotes() -> list[Quote]:
    return quoting().all()


@router.get("/quotes/<quote_id>", middlewares=OFFICE, tags=QUOTES, summary="One quote")
def get_quote(quote_id: Annotated[str, Path(max_length=64)]) -> Quote:
    return quoting().get(quote_id)


@router.post(
    "/quotes/<quote_id>/send",
    middlewares=OFFICE,
    tags=QUOTES,
    summary="Number the draft and email it with the customer's link (valid until the offer ends)",
)
def send_quote(quote_id: Annotated[str, Path(max_length=64)]) -> SentQuote:
    quote, link = quoting().send(quote_id, current_caller(router))
    return SentQuote(**quote.model_dump(), link=link)


@router.post(
    "/quotes/<quote_id>/invoice",
    middlewares=OFFICE,
    tags=QUOTES,
    summary="Issue the accepted quote's invoice (once: a second call returns it)",
)
def invoice_quote(quote_id: Annotated[str, Path(max_length=64)]) -> Response[Invoice]:
    invoice = quoting().invoice(quote_id, current_caller(router))
    return Response(201, "application/json", invoice, headers={"location": f"/invoices/{invoice.id}"})


@router.get(
    "/quotes/<quote_id>/pdf",
    middlewares=OFFICE,
    tags=QUOTES,
    summary="The quote as PDF",
    enable_validation=False,  # a binary body, as for the invoice's PDF
)
def quote_pdf(quote_id: str) -> Response[bytes]:
    from invoicing.delivery import seller
    from invoicing.pdf import render_quote

    quote = quoting().get(quote_id)
    return pdf_response(render_quote(quote, seller()), quote.number or f"quote-draft-{quote.id}")


@router.post("/public/quotes/view", tags=PUBLIC, summary="The quote the link is for")
def view_quote(request: LinkRequest) -> PublicQuote:
    return quoting().view(request.link)


@router.post("/public/quotes/accept", tags=PUBLIC, summary="Accept the quote, signing with a name")
def accept_quote(request: AcceptRequest) -> PublicQuote:
    return quoting().answer(request.link, name=request.name)


@router.post("/public/quotes/decline", tags=PUBLIC, summary="Decline the quote")
def decline_quote(request: DeclineRequest) -> PublicQuote:
    return quoting().answer(request.link, reason=request.reason)
