"""Invoicing operations: each reads, applies a rule from `rules`, and stores with its audit entry.

Over 400 lines on purpose: every operation is a few lines that only sequence a rule and a store call,
and one class shows the invoice's whole life in one place; the rules, numbering, delivery, reminder
ladder, aging, documents and routes live in their own modules. What is not the invoice's own life —
recurring series and quotes — is next to become a capability of its own, as bank statements did.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from core.clock import Clock, business_date, system_clock
from core.dynamo import Table
from core.errors import ConditionFailed, Conflict, DomainError, Invalid, not_found
from core.events import EventBus
from core.i18n import N_, Word, language_of, translator
from core.identity import SYSTEM, Caller
from core.money import format_amount
from core.observability import logger, metrics
from core.retry import retry_on_conflict
from core.settings import env, settings
from core.tax_ids import tax_id_problem
from core.validation import field_errors
from invoicing import recurring, rules
from invoicing.aging import Row, aging
from invoicing.arithmetic import TaxRounding
from invoicing.model import (
    CreditNote,
    Customer,
    DebitNote,
    Invoice,
    InvoiceRequest,
    Item,
    ItemRequest,
    LineRequest,
    Payment,
    Refund,
    Status,
    WithholdingRow,
)
from invoicing.recurring import RecurringInvoice, RecurringRequest, RecurringStatus
from invoicing.reminders import Ladder, next_action, reminder_ladder
from invoicing.requests import (
    CertificateRequest,
    CreditNoteRequest,
    DebitNoteRequest,
    PaymentRequest,
    RefundRequest,
)
from invoicing.store import InvoiceStore

SOURCE = "backoffice.invoicing"
RESEND_UNSENT_AFTER = timedelta(minutes=15)


Requested = TypeVar("Requested", InvoiceRequest, RecurringRequest)


def _no_directory(party_id: str) -> Customer:
    raise Invalid(N_("this office keeps no directory of customers"), slug="unknown-customer")


def directory_customer(party_id: str) -> Customer:
    """A customer of the parties directory (payables), as it is now; a 422 if it cannot be invoiced."""
    from pydantic import ValidationError

    from payables.interface import customer

    try:
        return Customer.model_validate(customer(party_id))
    except ValidationError as error:
        raise Invalid(
            N_("the directory's customer {party} cannot be invoiced"),
            errors=field_errors(error.errors()),
            party=party_id,
        ) from None


@dataclass
class Invoicing:
    store: InvoiceStore
    bus: EventBus
    clock: Clock
    timezone: ZoneInfo
    default_currency: str
    rounding: TaxRounding
    ladder: Ladder
    country: str = "US"
    receipts: str = "separate"
    office_tax_id: str = ""
    usual_tax_rate: Decimal = Decimal(0)
    party: Callable[[str], Customer] = field(default=_no_directory)

    def today(self) -> date:
        return business_date(self.clock(), self.timezone)

    # ------------------------------------------------------------------ reads
    def get(self, invoice_id: str) -> Invoice:
        return self.store.get(invoice_id)

    def search(
        self,
        *,
        start: date | None,
        end: date | None,
        status: str | None,
        customer_email: str | None,
        cursor: str | None,
        limit: int,
        text: str | None = None,
    ) -> tuple[list[Invoice], str | None]:
        return self.store.search(
            start=start,
            end=end,
            status=status,
            customer_email=customer_email,
            text=text,
            cursor=cursor,
            limit=limit,
        )

    # ----------------------------------------------------------------- create
    def checked(self, request: Requested) -> Requested:
        """An invoice's or a series' request with its lines' items copied in, its rates and its customer
        checked."""
        asked = self._from_catalogue(request.lines, request.currency, request.buyer.language)
        lines = [rules.with_usual_rate(line, self.usual_tax_rate) for line in asked]
        rules.check_rates(lines, self.country, getattr(request, "issue_date", None) or self.today())
        customer = rules.check_customer(request.buyer, self.country)
        return request.model_copy(update={"customer": customer, "lines": lines})

    def _from_catalogue(
        self, lines: Sequence[LineRequest], currency: str | None, language: str | None
    ) -> list[LineRequest]:
        """Each line that names an item, checked against the catalogue and with what it leaves out copied."""
        self._check_items(lines)
        words = language_of(language, self.country)
        money = currency or self.default_currency
        return [
            rules.from_catalogue(line, self.item(line.item), money, words) if line.item else line
            for line in lines
        ]

    def addressed(self, request: InvoiceRequest) -> InvoiceRequest:
        """The request with the directory's customer copied in, where it names one by id."""
        if request.customer_id is None:
            return request
        return request.model_copy(update={"customer": self.party(request.customer_id)})

    def create(self, request: InvoiceRequest, caller: Caller, invoice_id: str | None = None) -> Invoice:
        now = self.clock()
        request = self.checked(self.addressed(request))
        draft = rules.build(
            request,
            invoice_id=invoice_id or uuid.uuid4().hex,
            default_currency=self.default_currency,
            actor=caller.actor,
            now=now,
            rounding=self.rounding,
        )
        if request.draft:
            return self.store.save(
                draft, read_version=None, action="drafted", actor=caller.actor, at=now, changes={}
            )
        return self._issue(draft, None, caller)

    def edit(self, invoice_id: str, request: InvoiceRequest, caller: Caller) -> Invoice:
        invoice = self.store.get(invoice_id)
        request = self.checked(self.addressed(request))
        changed = rules.edited(invoice, request, self.rounding, self.default_currency)
        return self.store.save(
            changed,
            read_version=invoice.version,
            action="edited",
            actor=caller.actor,
            at=self.clock(),
            changes={},
        )

    def delete(self, invoice_id: str, caller: Caller) -> None:
        invoice = self.store.get(invoice_id)
        if invoice.status is not Status.DRAFT:
            raise Conflict(N_("an issued invoice is never deleted; void or credit it"), slug="invoice-issued")
        self.store.remove_draft(invoice, caller.actor, self.clock())

    def issue(self, invoice_id: str, caller: Caller) -> Invoice:
        invoice = self.store.get(invoice_id)
        return self._issue(invoice, invoice.version, caller)

    def _issue(self, draft: Invoice, read_version: int | None, caller: Caller) -> Invoice:
        problem = tax_id_problem(self.country, self.office_tax_id)
        if problem:  # a tax document must name its seller rightly: nothing is issued until it does
            raise Conflict(
                N_(
                    "the office's own tax id {tax_id} is {problem}; "
                    "an administrator sets it in the stack's BusinessTaxId parameter"
                ),
                slug="office-tax-id",
                tax_id=self.office_tax_id,
                problem=Word(problem),
            )
        ready = rules.issued(draft, self.today())
        assert ready.issue_date
        rules.check_rates(ready.lines, self.country, ready.issue_date)  # a draft's rate may have lapsed
        changes = {"total": format_amount(ready.total, ready.currency), "currency": ready.currency}

        def build(number: str) -> tuple[Invoice, int | None, str, dict[str, Any]]:
            return ready.model_copy(update={"number": number}), read_version, "issued", changes

        invoice = self.store.numbered(
            "INV", ready.issue_date.year, build, actor=caller.actor, at=self.clock()
        )
        metrics.add_metric(name="InvoicesIssued", unit="Count", value=1)
        self._deliver(invoice, "issue")
        return invoice

    # ------------------------------------------------------------------ money
    def pay(
        self,
        invoice_id: str,
        request: PaymentRequest,
        caller: Caller,
        *,
        payment_id: str | None = None,
        matched_by: str | None = None,
    ) -> Invoice:
        """Record a payment and, unless the office issues none (or, in Vietnam, it did not come in cash),
        its receipt: numbered (series RC) in the same transaction and emailed to the customer. A
        concurrent change is re-read and the payment re-applied (or refused). A payment id given twice
        is refused (`payment-recorded`)."""
        payment = Payment(
            id=payment_id or uuid.uuid4().hex,
            matched_by=matched_by,
            amount=request.amount,
            date=request.date,
            method=request.method,
            reference=request.reference,
            withheld=request.withheld or Decimal(0),
            withholding_rate=request.withholding_rate,
            certificate_number=request.certificate_number,
            recorded_by=caller.actor,
            recorded_at=self.clock(),
        )

        def apply(invoice: Invoice, receipt: str | None = None) -> tuple[Invoice, str, dict[str, Any]]:
            numbered = payment.model_copy(update={"receipt_number": receipt})
            paid = rules.with_payment(invoice, numbered, self.rounding)
            recorded = paid.payments[-1]
            changes = {"amount": format_amount(recorded.amount, paid.currency), "method": payment.method}
            if recorded.withheld:
                changes["withheld"] = format_amount(recorded.withheld, paid.currency)
            return paid, "payment_recorded", {**changes, "payment_id": payment.id}

        if self.receipts == "none" or (self.country == "VN" and payment.method != "cash"):
            # a Vietnamese phiếu thu is a cash voucher: money that came by bank has the bank's record
            return self._retrying(invoice_id, caller, apply)

        def with_receipt(invoice: Invoice) -> Invoice:
            def build(number: str) -> tuple[Invoice, int | None, str, dict[str, Any]]:
                paid, action, changes = apply(invoice, number)
                return paid, invoice.version, action, changes

            return self.store.numbered("RC", payment.date.year, build, actor=caller.actor, at=self.clock())

        saved = retry_on_conflict(
            self.store.get(invoice_id), lambda: self.store.get(invoice_id), with_receipt
        )
        self._deliver(saved, f"receipt:{payment.id}")
        return saved

    def record_certificate(
        self, invoice_id: str, payment_id: str, request: CertificateRequest, caller: Caller
    ) -> Invoice:
        """The customer's withholding certificate arrived for a payment recorded before."""

        def certify(invoice: Invoice) -> tuple[Invoice, str, dict[str, Any]]:
            number, document = request.certificate_number, request.document_id
            changed = rules.with_certificate(invoice, payment_id, number, document)
            return changed, "certificate_recorded", {"payment_id": payment_id, "certificate_number": number}

        return self._retrying(invoice_id, caller, certify)

    def refund(self, invoice_id: str, request: RefundRequest, caller: Caller) -> Invoice:
        """Money paid back to the customer, which settles what a credit note left owed to them."""
        refund = Refund(
            id=uuid.uuid4().hex,
            amount=request.amount,
            date=request.date,
            method=request.method,
            reference=request.reference,
            recorded_by=caller.actor,
            recorded_at=self.clock(),
        )

        def pay_back(invoice: Invoice) -> tuple[Invoice, str, dict[str, Any]]:
            changed = rules.with_refund(invoice, refund, self.rounding)
            amount = format_amount(changed.refunds[-1].amount, changed.currency)
            return changed, "refund_recorded", {"amount": amount, "method": refund.method}

        return self._retrying(invoice_id, caller, pay_back)

    def void(self, invoice_id: str, reason: str, caller: Caller, *, notify: bool = False) -> Invoice:
        """Void an invoice nothing was paid on; with `notify`, the customer gets it marked void."""
        saved = self._retrying(
            invoice_id, caller, lambda invoice: (rules.voided(invoice, reason), "voided", {"reason": reason})
        )
        if notify:
            self._deliver(saved, "void")
        return saved

    def credit(self, invoice_id: str, request: CreditNoteRequest, caller: Caller) -> Invoice:
        """Lower what the invoice asks by a credit note (series CN), emailed to the customer."""
        return self._note(invoice_id, request, caller, debit=False)

    def debit(self, invoice_id: str, request: DebitNoteRequest, caller: Caller) -> Invoice:
        """Raise what the invoice asks by a debit note (series DN), emailed to the customer."""
        return self._note(invoice_id, request, caller, debit=True)

    def _note(self, invoice_id: str, request: CreditNoteRequest, caller: Caller, *, debit: bool) -> Invoice:
        invoice = self.store.get(invoice_id)
        asked = self._from_catalogue(request.lines or [], invoice.currency, invoice.customer.language)
        amount, lines = rules.note_amount(invoice, request.amount, asked, self.rounding, debit=debit)
        today = self.today()
        changes = {"amount": format_amount(amount, invoice.currency), "reason": request.reason}
        kind, series, action = (DebitNote, "DN", "debited") if debit else (CreditNote, "CN", "credited")

        def build(number: str) -> tuple[Invoice, int | None, str, dict[str, Any]]:
            note = kind(
                id=uuid.uuid4().hex,
                number=number,
                amount=amount,
                reason=request.reason,
                date=today,
                lines=lines,
                recorded_by=caller.actor,
            )
            return rules.with_note(invoice, note, self.rounding), invoice.version, action, changes

        saved = self.store.numbered(series, today.year, build, actor=caller.actor, at=self.clock())
        self._deliver(saved, f"note:{(saved.debit_notes if debit else saved.credit_notes)[-1].number}")
        return saved

    def _retrying(
        self,
        invoice_id: str,
        caller: Caller,
        change: Callable[[Invoice], tuple[Invoice, str, dict[str, Any]]],
    ) -> Invoice:
        def save(invoice: Invoice) -> Invoice:
            changed, action, changes = change(invoice)
            return self.store.save(
                changed,
                read_version=invoice.version,
                action=action,
                actor=caller.actor,
                at=self.clock(),
                changes=changes,
            )

        return retry_on_conflict(self.store.get(invoice_id), lambda: self.store.get(invoice_id), save)

    # --------------------------------------------------------------- delivery
    def send(self, invoice_id: str, caller: Caller) -> Invoice:
        invoice = self.store.get(invoice_id)
        if invoice.status in (Status.DRAFT, Status.VOID):
            raise Conflict(N_("a {status} invoice is not sent"), slug="not-sendable", status=invoice.status)
        self._deliver(invoice, f"send:{uuid.uuid4().hex}")
        return invoice

    def _deliver(self, invoice: Invoice, delivery: str) -> None:
        """Ask the delivery function (via the bus and its queue) to render, store and email the invoice."""
        self.bus.publish("InvoiceDeliveryRequested", {"invoice_id": invoice.id, "delivery": delivery})

    # -------------------------------------------------------------- reminders
    def remind(self) -> dict[str, int]:
        """The daily run: mark overdue invoices, claim each one's reminder stage, ask for delivery."""
        today, now = self.today(), self.clock()
        counts = {"overdue": 0, "reminders": 0, "resent": 0}
        for invoice in self.store.actions_due_by(today):
            assert invoice.due_date
            for reminder in invoice.reminders:
                if reminder.sent_at is None and now - reminder.claimed_at > RESEND_UNSENT_AFTER:
                    self._deliver(invoice, f"reminder:{reminder.stage}")  # a run died after claiming
                    counts["resent"] += 1
            stage = self.ladder.due_stage(invoice.due_date, today, (r.stage for r in invoice.reminders))
            changed = rules.overdue(invoice, today)
            fee = None
            if stage is not None:
                fee_rule = self.ladder.fees.get(stage)
                fee = fee_rule.amount(changed.amount_due, changed.currency) if fee_rule else None
                changed = rules.with_reminder(changed, stage, fee, now)
            if changed == invoice:
                if (next_action(invoice, self.ladder) or date.max) > today:
                    self.store.reindex(invoice)  # its key was stale (the ladder changed)
                continue
            try:
                saved = self._claim(invoice, changed, stage, fee)
            except ConditionFailed:
                logger.info("invoice changed during the run; next run", extra={"invoice_id": invoice.id})
                continue
            counts["overdue"] += int(invoice.status is not Status.OVERDUE and saved.status is Status.OVERDUE)
            if stage is not None:
                counts["reminders"] += 1
                self._deliver(saved, f"reminder:{stage}")
            if fee:
                self._deliver(saved, f"note:{saved.debit_notes[-1].number}")
        metrics.add_metric(name="InvoiceRemindersClaimed", unit="Count", value=counts["reminders"])
        return counts

    def _claim(self, invoice: Invoice, changed: Invoice, stage: int | None, fee: Decimal | None) -> Invoice:
        """Store a reminder run's change of one invoice: overdue, a reminder stage claimed and, with a
        late fee, the debit note that adds it (numbered in the same transaction)."""
        now = self.clock()
        action = "reminder_claimed" if stage is not None else "marked_overdue"
        changes: dict[str, Any] = {"status": changed.status.value}
        if stage is not None:
            changes.update(stage=stage, fee=format_amount(fee, changed.currency) if fee else None)
        if stage is None or not fee:
            return self.store.save(
                changed,
                read_version=invoice.version,
                action=action,
                actor="system:reminders",
                at=now,
                changes=changes,
            )
        _ = translator(language_of(None, self.country))
        reason = _("Late fee ({stage} days past due)").format(stage=stage)
        today = self.today()

        def build(number: str) -> tuple[Invoice, int | None, str, dict[str, Any]]:
            note = rules.late_fee(stage, fee, number, today, reason)
            return rules.with_note(changed, note, self.rounding), invoice.version, action, changes

        return self.store.numbered("DN", today.year, build, actor="system:reminders", at=now)

    # ------------------------------------------------------------------ items
    def items(self) -> list[Item]:
        return self.store.items()

    def item(self, code: str) -> Item:
        found = self.store.item(code)
        if found is None:
            raise not_found(N_("item"), code)
        return found

    def add_item(self, request: ItemRequest, caller: Caller) -> Item:
        try:
            return self.store.save_item(
                Item(**request.model_dump()), read_version=None, actor=caller.actor, at=self.clock()
            )
        except ConditionFailed:
            raise Conflict(
                N_("item {code} exists; change it instead"), slug="item-exists", code=request.code
            ) from None

    def change_item(self, code: str, request: ItemRequest, caller: Caller) -> Item:
        current = self.item(code)
        if request.code != code:
            raise Invalid(N_("an item's code does not change; add a new item"), slug="validation")
        changed = Item(**request.model_dump(), version=current.version)
        return self.store.save_item(
            changed, read_version=current.version, actor=caller.actor, at=self.clock()
        )

    def _check_items(self, lines: Sequence[LineRequest]) -> None:
        """A line that names an item names one in the catalogue and still offered."""

        def problem(line: LineRequest) -> Word | None:
            found = self.store.item(line.item) if line.item else None
            offered = not line.item or (found and not found.archived)
            return None if offered else Word(N_("no item {item} in the catalogue"), item=line.item)

        rules.check_lines(lines, "item", problem, N_("a line names an item the catalogue does not offer"))

    # -------------------------------------------------------------- recurring
    def start_series(self, request: RecurringRequest, caller: Caller) -> RecurringInvoice:
        request = self.checked(request)
        series = recurring.started(request, uuid.uuid4().hex, caller.actor, self.clock())
        return self.store.save_series(
            series, read_version=None, action="started", actor=caller.actor, at=self.clock()
        )

    def series(self, series_id: str) -> RecurringInvoice:
        return self.store.series(series_id)

    def all_series(self) -> list[RecurringInvoice]:
        return self.store.all_series()

    def pause_series(self, series_id: str, caller: Caller, *, paused: bool) -> RecurringInvoice:
        """Pause a series, or resume it: dates that passed while it was paused are skipped, not billed."""
        series = self.store.series(series_id)
        if series.status is RecurringStatus.ENDED:
            raise Conflict(N_("the series has ended"), slug="series-ended")
        if paused:
            changed = series.model_copy(update={"status": RecurringStatus.PAUSED})
        else:
            changed = recurring.resumed(series, self.today())
        action = "paused" if paused else "resumed"
        return self.store.save_series(
            changed, read_version=series.version, action=action, actor=caller.actor, at=self.clock()
        )

    def issue_recurring(self) -> dict[str, int]:
        """The daily run: each active series' occurrences up to today, each issued once. An occurrence's
        invoice has a fixed id, so a run retried after issuing it finds it and only moves the series on.
        A series whose invoice is refused stays due and is counted as failed; the others go on."""
        today, counts = self.today(), {"issued": 0, "found": 0, "failed": 0}
        period = translator(language_of(None, self.country))(N_("Billing date {date}"))
        for series in self.store.series_due_by(today):
            for day in recurring.due_dates(series, today):
                invoice_id = recurring.occurrence_id(series, day)
                if self.store.find(invoice_id) is None:
                    label = period.format(date=day.isoformat())
                    try:
                        self.create(recurring.invoice_request(series, day, label), SYSTEM, invoice_id)
                    except DomainError as refused:  # e.g. its item archived since: the others go on
                        logger.error(
                            "a recurring invoice could not be issued",
                            extra={"series_id": series.id, "problem": refused.detail},
                        )
                        counts["failed"] += 1
                        break
                    counts["issued"] += 1
                else:
                    counts["found"] += 1
                moved = recurring.with_next(series.model_copy(update={"last_date": day}))
                try:
                    series = self.store.save_series(
                        moved,
                        read_version=series.version,
                        action="issued",
                        actor=SYSTEM.actor,
                        at=self.clock(),
                    )
                except ConditionFailed:  # paused or changed meanwhile: the next run starts from there
                    logger.info("series changed during the run", extra={"series_id": series.id})
                    break
        metrics.add_metric(name="RecurringInvoicesIssued", unit="Count", value=counts["issued"])
        return counts

    # ---------------------------------------------------------------- reports
    def receivables(self, as_of: date) -> tuple[list[Row], list[Row]]:
        return aging(self.store.issued_until(as_of), as_of)

    def withholding(self, first: date, last: date) -> list[WithholdingRow]:
        """Tax withheld by customers from payments dated `first`..`last`, with each certificate's
        number — or none yet: the certificates still to collect."""
        rows = [
            WithholdingRow(
                invoice_id=invoice.id,
                invoice_number=invoice.number or "",
                customer=invoice.customer.name,
                customer_tax_id=invoice.customer.tax_id,
                payment_id=payment.id,
                date=payment.date,
                currency=invoice.currency,
                withheld=payment.withheld,
                withholding_rate=payment.withholding_rate,
                certificate_number=payment.certificate_number,
            )
            for invoice in self.store.issued_until(last)
            for payment in invoice.payments
            if payment.withheld and first <= payment.date <= last
        ]
        return sorted(rows, key=lambda row: (row.date, row.invoice_number))


def tax_rounding() -> TaxRounding:
    return TaxRounding(env("TAX_ROUNDING"))


@cache
def invoicing() -> Invoicing:
    """The process's Invoicing, wired from the function's environment (template.yaml)."""
    office = settings()
    ladder = reminder_ladder()
    return Invoicing(
        store=InvoiceStore(Table(env("INVOICES_TABLE")), env("AUDIT_TABLE"), ladder),
        bus=EventBus(env("EVENT_BUS_NAME"), source=SOURCE),
        clock=system_clock,
        timezone=office.timezone,
        default_currency=office.default_currency,
        rounding=tax_rounding(),
        ladder=ladder,
        country=office.country,
        receipts=env("RECEIPTS"),
        office_tax_id=os.environ.get("BUSINESS_TAX_ID", ""),
        usual_tax_rate=office.usual_tax_rate,
        party=directory_customer if os.environ.get("PAYABLES_TABLE") else _no_directory,
    )
