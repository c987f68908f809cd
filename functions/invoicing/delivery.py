"""Render, store and email an invoice, once per requested delivery (issue, resend, reminder), and the
receipts and credit and debit notes that follow it."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from core.clock import Clock, system_clock
from core.dynamo import Table
from core.errors import Busy, ConditionFailed, NotFound
from core.i18n import N_, language_of, translator
from core.mailer import Attachment, Mailer
from core.money import display_amount
from core.observability import logger
from core.retry import retry_on_conflict
from core.settings import env, settings
from core.storage import ObjectStore
from invoicing import payqr
from invoicing.model import Invoice, Status
from invoicing.pdf import render, render_note, render_quote, render_receipt
from invoicing.quotes import Quote
from invoicing.reminders import reminder_ladder
from invoicing.store import InvoiceStore

DOCUMENTS_OF_THEIR_OWN = ("receipt:", "note:")  # deliveries of a document other than the invoice


def message(
    invoice: Invoice, delivery: str, seller: str, language: str = "en", scheme: str | None = None
) -> tuple[str, str]:
    """Subject and text of the email for one delivery, in `language`; `scheme` names the payment QR code
    that goes along (PromptPay, VietQR), if one does."""
    _ = translator(language)
    due = f"{display_amount(invoice.amount_due, invoice.currency, language)} {invoice.currency}"
    facts = {"number": invoice.number, "amount": due, "due": invoice.due_date, "seller": seller}
    greeting = _("Dear {name},").format(name=invoice.customer.name) + "\n\n"
    sign = "\n\n" + _("Kind regards,") + f"\n{seller}\n"
    if delivery == "void":
        subject = _("Invoice {number} from {seller} is void").format(**facts)
        body = _(
            "Invoice {number} has been voided ({reason}); nothing is owed on it. It is attached, marked void."
        )
        return subject, greeting + body.format(**facts, reason=invoice.void_reason or "") + sign
    if delivery.startswith("receipt:"):
        payment = next(p for p in invoice.payments if p.id == delivery.split(":", 1)[1])
        settled = f"{display_amount(payment.settles, invoice.currency, language)} {invoice.currency}"
        receipt = {**facts, "receipt": payment.receipt_number, "amount": settled}
        subject = _("Receipt {receipt} from {seller}").format(**receipt)
        body = _(
            "Thank you for your payment of {amount} for invoice {number}. Receipt {receipt} is attached."
        )
        return subject, greeting + body.format(**receipt) + sign
    if delivery.startswith("note:"):
        number = delivery.split(":", 1)[1]
        debit = next((n for n in invoice.debit_notes if n.number == number), None)
        note = debit or next(n for n in invoice.credit_notes if n.number == number)
        value = f"{display_amount(note.amount, invoice.currency, language)} {invoice.currency}"
        noted = {**facts, "note": number, "value": value}
        if debit:
            subject = _("Debit note {note} from {seller}")
            body = _("Debit note {note} is attached: {value} added to invoice {number}; {amount} is now due.")
        else:
            subject = _("Credit note {note} from {seller}")
            body = _("Credit note {note} is attached: {value} taken off invoice {number}.")
        return subject.format(**noted), greeting + body.format(**noted) + sign
    if delivery.startswith("reminder:"):
        before = int(delivery.split(":", 1)[1]) < 0
        subject = (
            _("Reminder: invoice {number} is due") if before else _("Reminder: invoice {number} was due")
        )
        body = (
            _("Invoice {number} is due on {due}; {amount} is still open. The invoice is attached.")
            if before
            else _("Invoice {number} was due on {due}; {amount} is still open. The invoice is attached.")
        )
    else:
        subject = _("Invoice {number} from {seller}")
        body = _("Please find attached invoice {number} for {amount}, due on {due}.")
    if scheme:
        body += " " + _("To pay by {scheme}, scan the attached code with a bank app: it fills in {amount}.")
    return subject.format(**facts), greeting + body.format(**facts, scheme=scheme) + sign


def quote_message(quote: Quote, link: str, seller: str, language: str) -> tuple[str, str]:
    """Subject and text of a quote's email, with the customer's link to answer it."""
    _ = translator(language)
    facts = {
        "number": quote.number,
        "seller": seller,
        "amount": f"{display_amount(quote.total, quote.currency, language)} {quote.currency}",
        "until": quote.valid_until,
        "link": link,
    }
    greeting = _("Dear {name},").format(name=quote.customer.name) + "\n\n"
    body = _(
        "Please find attached our quote {number} for {amount}, valid until {until}. To accept or decline "
        "it, open this link (it is yours alone):\n{link}"
    )
    sign = "\n\n" + _("Kind regards,") + f"\n{seller}\n"
    return _("Quote {number} from {seller}").format(**facts), greeting + body.format(**facts) + sign


@dataclass
class Delivery:
    store: InvoiceStore
    files: ObjectStore
    mailer: Mailer
    seller: dict[str, str]
    clock: Clock
    retention_years: int = 0  # issued documents are locked this long (S3 Object Lock); 0: not locked

    def deliver(self, invoice_id: str, delivery: str) -> bool:
        """Email the invoice for this delivery unless it went already or no longer makes sense."""
        try:
            invoice = self.store.get(invoice_id)
        except NotFound:
            logger.warning("delivery for an unknown invoice dropped", extra={"invoice_id": invoice_id})
            return False
        if delivery in invoice.deliveries:
            return False
        reminder = delivery.startswith("reminder:")
        void_notice = delivery == "void"
        if (invoice.status is Status.VOID) != void_notice or (reminder and invoice.status is Status.PAID):
            logger.info("delivery no longer needed", extra={"invoice_id": invoice.id, "delivery": delivery})
            return False
        name, key, pdf = self._document(invoice, delivery)
        language = language_of(invoice.customer.language, self.seller.get("country", ""))
        attachments = [Attachment(f"{name}.pdf", "application/pdf", pdf)]
        code = (
            None if delivery.startswith(DOCUMENTS_OF_THEIR_OWN) else payqr.for_invoice(invoice, self.seller)
        )
        if code:  # the invoice, or a reminder of it, while it owes something
            attachments.append(Attachment(f"pay-{invoice.number}.png", "image/png", code.png()))
        subject, text = message(
            invoice, delivery, self.seller.get("name", ""), language, code.name if code else None
        )
        self.mailer.send(invoice.customer.email, subject, text, attachments=attachments)
        own = delivery.startswith(DOCUMENTS_OF_THEIR_OWN) or void_notice
        self._mark(invoice, delivery, None if own else key)
        return True

    def deliver_quote(self, quote_id: str, link: str) -> bool:
        """Email a sent quote with its link, once."""
        quote = self.store.find_quote(quote_id)
        if quote is None or quote.number is None or "sent" in quote.deliveries:
            return False
        pdf = render_quote(quote, self.seller)
        assert quote.sent_on
        self.files.put(
            f"quotes/{quote.sent_on.year}/{quote.number}.pdf", pdf, "application/pdf", {"quote-id": quote.id}
        )
        language = language_of(quote.customer.language, self.seller.get("country", ""))
        subject, text = quote_message(quote, link, self.seller.get("name", ""), language)
        attachment = Attachment(f"{quote.number}.pdf", "application/pdf", pdf)
        self.mailer.send(quote.customer.email, subject, text, attachments=[attachment])

        def mark(current: Quote) -> Quote:
            return self.store.save_quote(
                current.model_copy(update={"deliveries": [*current.deliveries, "sent"]}),
                read_version=current.version,
                action="emailed",
                actor="system:delivery",
                at=self.clock(),
            )

        retry_on_conflict(quote, lambda: self.store.quote(quote_id), mark)
        return True

    def _document(self, invoice: Invoice, delivery: str) -> tuple[str, str, bytes]:
        """The delivery's PDF (a payment's receipt, a credit or debit note, the invoice or the notice that
        it is void), its name and its key in S3. Each is drawn and stored once, when first delivered:
        later deliveries attach what was stored, so an issued document never changes."""
        assert invoice.issue_date and invoice.number
        year = invoice.issue_date.year
        if delivery.startswith("receipt:"):
            payment = next(p for p in invoice.payments if p.id == delivery.split(":", 1)[1])
            receipt = payment.receipt_number
            assert receipt
            key = f"receipts/{payment.date.year}/{receipt}.pdf"
            return (
                receipt,
                key,
                self._once(key, invoice, lambda: render_receipt(invoice, receipt, self.seller)),
            )
        if delivery.startswith("note:"):
            number = delivery.split(":", 1)[1]
            debit = any(n.number == number for n in invoice.debit_notes)
            key = f"notes/{year}/{number}.pdf"
            drawn = self._once(key, invoice, lambda: render_note(invoice, number, self.seller, debit=debit))
            return number, key, drawn
        void = "-void" if delivery == "void" else ""
        key = f"invoices/{year}/{invoice.number}{void}.pdf"
        return invoice.number, key, self._once(key, invoice, lambda: render(invoice, self.seller))

    def _once(self, key: str, invoice: Invoice, draw: Callable[[], bytes]) -> bytes:
        """The document stored at `key`, drawn and stored first if it is not there yet."""
        if self.files.head(key) is not None:
            return self.files.read_bytes(key)
        pdf = draw()
        self.files.put(
            key, pdf, "application/pdf", {"invoice-id": invoice.id}, retain_until=self._kept_until()
        )
        return pdf

    def _kept_until(self) -> datetime | None:
        """The statutory years count from the end of the accounting year (Vietnam) or from the year's
        last return and closing (Thailand): the end of this year, the years, and half a year more."""
        if not self.retention_years:
            return None
        return datetime(self.clock().year + self.retention_years + 1, 7, 1, tzinfo=UTC)

    def _mark(self, invoice: Invoice, delivery: str, key: str | None) -> None:
        """Record the sent email (re-reading if the invoice moved on meanwhile)."""

        def mark(invoice: Invoice) -> None:
            now = self.clock()
            reminders = [
                r.model_copy(update={"sent_at": now}) if delivery == f"reminder:{r.stage}" else r
                for r in invoice.reminders
            ]
            sent = invoice.model_copy(
                update={
                    "deliveries": [*invoice.deliveries, delivery],
                    "reminders": reminders,
                    "pdf_key": key or invoice.pdf_key,
                    "emailed_at": now,
                }
            )
            self.store.save(
                sent,
                read_version=invoice.version,
                action="emailed",
                actor="system:delivery",
                at=now,
                changes={"delivery": delivery},
            )

        try:
            retry_on_conflict(invoice, lambda: self.store.get(invoice.id), mark)
        except ConditionFailed:
            raise Busy(N_("could not record the delivery")) from None


@cache
def delivery() -> Delivery:
    return Delivery(
        store=InvoiceStore(Table(env("INVOICES_TABLE")), env("AUDIT_TABLE"), reminder_ladder()),
        files=ObjectStore(env("DOCUMENTS_BUCKET")),
        mailer=Mailer(env("SENDER_EMAIL"), env("BUSINESS_NAME")),
        seller=seller(),
        clock=system_clock,
        retention_years=int(env("RETENTION_YEARS")),
    )


def seller() -> dict[str, str]:
    """Who the invoices are from and how their documents are written (template parameters Business*,
    OfficeCountry, DocumentDates, Receipts)."""
    return {
        "name": env("BUSINESS_NAME"),
        "address": env("BUSINESS_ADDRESS"),
        "tax_id": env("BUSINESS_TAX_ID"),
        "branch": env("BUSINESS_BRANCH"),
        "dates": env("DOCUMENT_DATES"),
        "form": env("INVOICE_FORM"),
        "series": env("INVOICE_SERIES"),
        "receipts": env("RECEIPTS"),
        "country": settings().country,
        # the accounts a payment QR code pays into (parameters PromptPayId, VietQrBank, VietQrAccount)
        "promptpay": os.environ.get("PROMPTPAY_ID", ""),
        "vietqr_bank": os.environ.get("VIETQR_BANK", ""),
        "vietqr_account": os.environ.get("VIETQR_ACCOUNT", ""),
    }
