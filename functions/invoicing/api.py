"""HTTP routes for invoices, payments, receipts, credit and debit notes and the receivables report."""

import calendar
from datetime import date
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Header, Path, Query
from pydantic import BaseModel, Field

from core.api import build_resolver, current_caller
from core.errors import NotFound
from core.i18n import N_
from core.idempotency import IDEMPOTENT, IdempotencyKey
from core.observability import lambda_entry
from core.serialization import json_dumps
from invoicing.aging import to_csv
from invoicing.model import Invoice, InvoiceRequest, Status, WithholdingReport
from invoicing.requests import (
    CertificateRequest,
    CreditNoteRequest,
    DebitNoteRequest,
    InvoiceVoidRequest,
    PaymentRequest,
    RefundRequest,
)
from invoicing.routing import ADMIN, OFFICE, TAGS, made_once, pdf_response, router
from invoicing.service import invoicing


class PaymentCode(BaseModel):
    scheme: str = Field(description="`promptpay` or `vietqr`.")
    payload: str = Field(
        description="The EMVCo text the QR code holds: the office's account, the amount due, the number."
    )
    image: str = Field(description="The QR code as an SVG `data:` URI.")


class InvoicePage(BaseModel):
    items: list[Invoice]
    cursor: str | None = Field(default=None, description="Pass as `cursor` to get the next page.")


@router.post("/invoices", middlewares=OFFICE, tags=TAGS, summary="Create (and issue) an invoice")
def create_invoice(
    request: Annotated[InvoiceRequest, Body(description="JSON, or an HTML form (customer_*, line_*).")],
    idempotency_key: Annotated[str | None, Header(alias="idempotency-key", max_length=200)] = None,
) -> Response[Invoice]:
    key = idempotency_key or request.idempotency_key
    created = made_once(request, key, lambda caller: invoicing().create(request, caller), "invoice")
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
    return pdf_response(pdf, invoice.number or f"draft-{invoice.id}")


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
            N_("no payment code: the invoice owes nothing now, or the office has no account in its currency"),
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

    return pdf_response(render_note(invoicing().get(invoice_id), number, seller(), debit=debit), number)


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

    return pdf_response(render_receipt(invoicing().get(invoice_id), number, seller()), number)


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


from invoicing import catalogue_routes, quote_routes  # noqa: E402, F401 - their routes, on the same router

app = build_resolver(router)


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
