"""HTTP routes for invoices, payments, receipts, credit and debit notes and the receivables report."""

import calendar
import hashlib
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Header, Path, Query
from pydantic import BaseModel, Field

from core.api import build_resolver, current_caller, roles
from core.errors import NotFound
from core.idempotency import IDEMPOTENT, WINDOW, IdempotencyKey, once
from core.identity import Caller
from core.observability import lambda_entry
from core.serialization import json_dumps
from invoicing.aging import to_csv
from invoicing.model import (
    CertificateRequest,
    CreditNoteRequest,
    DebitNoteRequest,
    Invoice,
    InvoiceRequest,
    InvoiceVoidRequest,
    Item,
    ItemRequest,
    PaymentRequest,
    RefundRequest,
    Status,
    WithholdingReport,
)
from invoicing.quotes import AcceptRequest, DeclineRequest, LinkRequest, PublicQuote, Quote, QuoteRequest
from invoicing.quoting import quoting
from invoicing.recurring import RecurringInvoice, RecurringRequest, upcoming_dates
from invoicing.service import invoicing

router = Router()
OFFICE = roles("staff", "admin")
ADMIN = roles("admin")
TAGS = ["Invoices"]
QUOTES = ["Quotes"]
PUBLIC = ["The customer's quote page (no account: the emailed link)"]
UNKEYED_WINDOW = 120  # without one, the same caller posting the same body within 2 minutes is a double submit


class PaymentCode(BaseModel):
    scheme: str = Field(description="`promptpay` or `vietqr`.")
    payload: str = Field(
        description="The EMVCo text the QR code holds: the office's account, the amount due, the number."
    )
    image: str = Field(description="The QR code as an SVG `data:` URI.")


class InvoicePage(BaseModel):
    items: list[Invoice]
    cursor: str | None = Field(default=None, description="Pass as `cursor` to get the next page.")


def _once(
    request: BaseModel, key: str | None, make: Callable[[Caller], BaseModel], what: str
) -> dict[str, Any]:
    """Make at most one `what` from `request` per idempotency key (or per identical body in a short
    window); the answer is what the first call made."""
    caller = current_caller(router)
    body = request.model_dump(mode="json", exclude={"idempotency_key"})
    if key is None:
        key = "body:" + hashlib.sha256(json_dumps(body).encode()).hexdigest()
    scope = "" if what == "invoice" else f"{what}:"
    return dict(
        once(
            f"{caller.subject}:{scope}{key}",
            body,
            lambda: make(caller).model_dump(mode="json"),
            lambda_context=router.lambda_context,
            expires=UNKEYED_WINDOW if key.startswith("body:") else WINDOW,
            what=what,
        )
    )


@router.post("/invoices", middlewares=OFFICE, tags=TAGS, summary="Create (and issue) an invoice")
def create_invoice(
    request: Annotated[InvoiceRequest, Body(description="JSON, or an HTML form (customer_*, line_*).")],
    idempotency_key: Annotated[str | None, Header(alias="idempotency-key", max_length=200)] = None,
) -> Response[Invoice]:
    key = idempotency_key or request.idempotency_key
    created = _once(request, key, lambda caller: invoicing().create(request, caller), "invoice")
    invoice = Invoice.model_validate(created)
    return Response(201, "application/json", invoice, headers={"location": f"/invoices/{invoice.id}"})


@router.get("/invoices", middlewares=OFFICE, tags=TAGS, summary="Search invoices")
def list_invoices(
    status: Annotated[Status | None, Query()] = None,
    customer_email: Annotated[str | None, Query()] = None,
    q: Annotated[
        str | None,
        Query(min_length=1, max_length=100, description="Part of the number, the customer's name or email."),
    ] = None,
    day_from: Annotated[date | None, Query(alias="from", description="First issue date.")] = None,
    day_to: Annotated[date | None, Query(alias="to", description="Last issue date.")] = None,
    cursor: Annotated[str | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> InvoicePage:
    items, next_cursor = invoicing().search(
        start=day_from,
        end=day_to,
        status=status.value if status else None,
        customer_email=customer_email,
        text=q,
        cursor=cursor,
        limit=limit,
    )
    return InvoicePage(items=items, cursor=next_cursor)


@router.get("/invoices/<invoice_id>", middlewares=OFFICE, tags=TAGS, summary="One invoice")
def get_invoice(invoice_id: Annotated[str, Path()]) -> Invoice:
    return invoicing().get(invoice_id)


@router.patch("/invoices/<invoice_id>", middlewares=OFFICE, tags=TAGS, summary="Edit a draft")
def edit_invoice(invoice_id: Annotated[str, Path()], request: InvoiceRequest) -> Invoice:
    return invoicing().edit(invoice_id, request, current_caller(router))


@router.delete("/invoices/<invoice_id>", middlewares=OFFICE, tags=TAGS, summary="Delete a draft")
def delete_invoice(invoice_id: Annotated[str, Path()]) -> Response[str]:
    invoicing().delete(invoice_id, current_caller(router))
    return Response(204, "application/json", "")


@router.post("/invoices/<invoice_id>/issue", middlewares=OFFICE, tags=TAGS, summary="Number and send a draft")
def issue_invoice(invoice_id: Annotated[str, Path()]) -> Invoice:
    return invoicing().issue(invoice_id, current_caller(router))


@router.post(
    "/invoices/<invoice_id>/payments",
    middlewares=[*OFFICE, *IDEMPOTENT],
    tags=TAGS,
    summary="Record a payment",
)
def record_payment(
    invoice_id: Annotated[str, Path()], payment: PaymentRequest, idempotency_key: IdempotencyKey = None
) -> Response[Invoice]:
    invoice = invoicing().pay(invoice_id, payment, current_caller(router))
    return Response(201, "application/json", invoice)


@router.post(
    "/invoices/<invoice_id>/payments/<payment_id>/certificate",
    middlewares=[*OFFICE, *IDEMPOTENT],
    tags=TAGS,
    summary="The withholding certificate of a payment",
)
def record_certificate(
    invoice_id: Annotated[str, Path()],
    payment_id: Annotated[str, Path()],
    request: CertificateRequest,
    idempotency_key: IdempotencyKey = None,
) -> Invoice:
    return invoicing().record_certificate(invoice_id, payment_id, request, current_caller(router))


@router.post(
    "/invoices/<invoice_id>/refunds",
    middlewares=[*ADMIN, *IDEMPOTENT],
    tags=TAGS,
    summary="Record money paid back (at most the refund due)",
)
def record_refund(
    invoice_id: Annotated[str, Path()], refund: RefundRequest, idempotency_key: IdempotencyKey = None
) -> Response[Invoice]:
    invoice = invoicing().refund(invoice_id, refund, current_caller(router))
    return Response(201, "application/json", invoice)


@router.post(
    "/invoices/<invoice_id>/void",
    middlewares=[*ADMIN, *IDEMPOTENT],
    tags=TAGS,
    summary="Void (nothing paid yet)",
)
def void_invoice(
    invoice_id: Annotated[str, Path()], request: InvoiceVoidRequest, idempotency_key: IdempotencyKey = None
) -> Invoice:
    return invoicing().void(invoice_id, request.reason, current_caller(router), notify=request.notify)


@router.post(
    "/invoices/<invoice_id>/credit-notes",
    middlewares=[*OFFICE, *IDEMPOTENT],
    tags=TAGS,
    summary="Issue a credit note",
)
def credit_invoice(
    invoice_id: Annotated[str, Path()], request: CreditNoteRequest, idempotency_key: IdempotencyKey = None
) -> Response[Invoice]:
    invoice = invoicing().credit(invoice_id, request, current_caller(router))
    return Response(201, "application/json", invoice)


@router.post(
    "/invoices/<invoice_id>/debit-notes",
    middlewares=[*OFFICE, *IDEMPOTENT],
    tags=TAGS,
    summary="Issue a debit note",
)
def debit_invoice(
    invoice_id: Annotated[str, Path()], request: DebitNoteRequest, idempotency_key: IdempotencyKey = None
) -> Response[Invoice]:
    invoice = invoicing().debit(invoice_id, request, current_caller(router))
    return Response(201, "application/json", invoice)


@router.post(
    "/invoices/<invoice_id>/send", middlewares=[*OFFICE, *IDEMPOTENT], tags=TAGS, summary="(Re)send the email"
)
def send_invoice(
    invoice_id: Annotated[str, Path()], idempotency_key: IdempotencyKey = None
) -> Response[Invoice]:
    invoice = invoicing().send(invoice_id, current_caller(router))
    return Response(202, "application/json", invoice)


@router.get(
    "/invoices/<invoice_id>/pdf",
    middlewares=OFFICE,
    tags=TAGS,
    summary="The invoice as PDF",
    enable_validation=False,  # a binary body: nothing to validate, and JSON encoding would break it
)
def invoice_pdf(invoice_id: str) -> Response[bytes]:
    from invoicing.delivery import seller
    from invoicing.pdf import render

    invoice = invoicing().get(invoice_id)
    pdf = render(invoice, seller(), copy=True)  # the original went to the customer
    return _pdf(pdf, invoice.number or f"draft-{invoice.id}")


def _pdf(document: bytes, name: str) -> Response[bytes]:
    """A PDF to show in the browser, named for saving."""
    return Response(
        200,
        "application/pdf",
        document,
        headers={"content-disposition": f'inline; filename="{name}.pdf"'},
        compress=False,
    )


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
    made = _once(request, idempotency_key, lambda caller: invoicing().start_series(request, caller), "series")
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


@router.get(
    "/invoices/<invoice_id>/payment-qr",
    middlewares=OFFICE,
    tags=TAGS,
    summary="The QR code that pays what the invoice owes (PromptPay for THB, VietQR for VND)",
)
def payment_qr(invoice_id: Annotated[str, Path()]) -> PaymentCode:
    from invoicing import payqr
    from invoicing.delivery import seller

    code = payqr.for_invoice(invoicing().get(invoice_id), seller())
    if code is None:
        raise NotFound(
            "no payment code: the invoice owes nothing now, or the office has no account in its currency",
            slug="no-payment-code",
        )
    return PaymentCode(scheme=code.scheme, payload=code.payload, image=code.svg_data_uri())


@router.get(
    "/invoices/<invoice_id>/credit-notes/<number>/pdf",
    middlewares=OFFICE,
    tags=TAGS,
    summary="A credit note as PDF",
    enable_validation=False,  # a binary body, as for the invoice's PDF
)
def credit_note_pdf(invoice_id: str, number: str) -> Response[bytes]:
    return _note_pdf(invoice_id, number, debit=False)


@router.get(
    "/invoices/<invoice_id>/debit-notes/<number>/pdf",
    middlewares=OFFICE,
    tags=TAGS,
    summary="A debit note as PDF",
    enable_validation=False,  # a binary body, as for the invoice's PDF
)
def debit_note_pdf(invoice_id: str, number: str) -> Response[bytes]:
    return _note_pdf(invoice_id, number, debit=True)


def _note_pdf(invoice_id: str, number: str, *, debit: bool) -> Response[bytes]:
    from invoicing.delivery import seller
    from invoicing.pdf import render_note

    return _pdf(render_note(invoicing().get(invoice_id), number, seller(), debit=debit), number)


@router.get(
    "/invoices/<invoice_id>/receipts/<number>/pdf",
    middlewares=OFFICE,
    tags=TAGS,
    summary="A payment's receipt as PDF",
    enable_validation=False,  # a binary body, as for the invoice's PDF
)
def receipt_pdf(invoice_id: str, number: str) -> Response[bytes]:
    from invoicing.delivery import seller
    from invoicing.pdf import render_receipt

    return _pdf(render_receipt(invoicing().get(invoice_id), number, seller()), number)


@router.get(
    "/reports/withholding",
    middlewares=OFFICE,
    tags=["Reports"],
    summary="Tax withheld by customers in a month",
)
def withholding(
    month: Annotated[str, Query(pattern=r"^[1-9]\d{3}-(0[1-9]|1[0-2])$", description="YYYY-MM")],
) -> WithholdingReport:
    year, number = int(month[:4]), int(month[5:])
    first, last = date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])
    rows = invoicing().withholding(first, last)
    return WithholdingReport(
        month=month, items=rows, missing_certificates=sum(1 for row in rows if not row.certificate_number)
    )


@router.get("/reports/receivables", middlewares=OFFICE, tags=["Reports"], summary="Receivables aging")
def receivables(
    as_of: Annotated[date | None, Query(description="Default: today in the business timezone.")] = None,
    output: Annotated[str, Query(alias="format", pattern="^(json|csv)$")] = "json",
) -> Response[str]:
    service = invoicing()
    day = as_of or service.today()
    rows, totals = service.receivables(day)
    if output == "csv":
        return Response(
            200,
            "text/csv; charset=utf-8",
            to_csv(rows, totals),
            headers={"content-disposition": f'attachment; filename="receivables-{day}.csv"'},
        )
    body = {"as_of": day, "customers": [r.as_dict() for r in rows], "totals": [t.as_dict() for t in totals]}
    return Response(200, "application/json", json_dumps(body))


class SentQuote(Quote):
    link: str = Field(description="The customer's link, shown this once (it is emailed to them too).")


@router.post("/quotes", middlewares=OFFICE, tags=QUOTES, summary="Draft a quote")
def create_quote(
    request: QuoteRequest,
    idempotency_key: Annotated[str | None, Header(alias="idempotency-key", max_length=200)] = None,
) -> Response[Quote]:
    made = _once(request, idempotency_key, lambda caller: quoting().create(request, caller), "quote")
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
    return _pdf(render_quote(quote, seller()), quote.number or f"quote-draft-{quote.id}")


@router.post("/public/quotes/view", tags=PUBLIC, summary="The quote the link is for")
def view_quote(request: LinkRequest) -> PublicQuote:
    return quoting().view(request.link)


@router.post("/public/quotes/accept", tags=PUBLIC, summary="Accept the quote, signing with a name")
def accept_quote(request: AcceptRequest) -> PublicQuote:
    return quoting().answer(request.link, name=request.name)


@router.post("/public/quotes/decline", tags=PUBLIC, summary="Decline the quote")
def decline_quote(request: DeclineRequest) -> PublicQuote:
    return quoting().answer(request.link, reason=request.reason)


app = build_resolver(router)


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
