"""The life of an invoice as pure functions: build, recompute, pay, credit, void, remind.

Each takes an invoice and returns a new one, or raises a domain error saying why not. Nothing here
touches storage; numbering and persistence live in `store`. Over 400 lines because an invoice's rules
are read together (what a payment, a note or a refund may do depends on the others); the tax rates of
each country are data (`vat_rates.toml`).
"""

from __future__ import annotations

import tomllib
import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from core.errors import Conflict, Invalid, field_error, not_found
from core.i18n import N_, Word
from core.money import minor_unit, round_money
from core.tax_ids import compact, tax_id_problem
from core.validation import FIELD_PROBLEM, exact_amount, field_problem
from invoicing.arithmetic import TaxRounding, compute, line_amounts
from invoicing.model import (
    OPEN,
    CreditNote,
    Customer,
    DebitNote,
    Invoice,
    InvoiceRequest,
    Item,
    Line,
    LineRequest,
    Payment,
    Refund,
    Reminder,
    Status,
    TaxLine,
)

DEFAULT_DUE_DAYS = 30


def _lines(requests: Sequence[LineRequest], currency: str) -> list[Line]:
    return [
        Line(
            item=r.item,
            description=r.priced[0],
            quantity=r.quantity,
            unit_price=r.priced[1],
            tax_rate=r.tax_rate,
            **vars(line_amounts(r.quantity, r.priced[1], r.tax_rate, currency)),
        )
        for r in requests
    ]


def from_catalogue(line: LineRequest, item: Item, currency: str, language: str) -> LineRequest:
    """The line with what it leaves out copied from its item: the name in `language` (else English, else
    any), the price (only an item priced in the invoice's currency gives one) and the tax rate."""
    copied: dict[str, Any] = {}
    if line.description is None:
        names: dict[str, str] = {str(k): v for k, v in item.names.items()}
        copied["description"] = names.get(language) or names.get("en") or next(iter(names.values()))
    if line.unit_price is None:
        if item.currency != currency:
            raise Invalid(
                N_("item {code} is in {item_currency}, the invoice in {currency}: give the line a price"),
                errors=[field_error("unit_price", N_("priced in {currency}"), currency=item.currency)],
                code=item.code,
                item_currency=item.currency,
                currency=currency,
            )
        copied["unit_price"] = item.unit_price
    if "tax_rate" not in line.model_fields_set:
        copied["tax_rate"] = item.tax_rate
    return line.model_copy(update=copied)


def _terms(lines: Sequence[Line]) -> list[tuple[Decimal, Decimal, Decimal]]:
    return [(line.quantity, line.unit_price, line.tax_rate) for line in lines]


def recompute(invoice: Invoice, rounding: TaxRounding) -> Invoice:
    """Totals, breakdown, amounts paid/credited/due and the status that follows from them."""
    currency = invoice.currency
    totals = compute(_terms(invoice.lines), currency, rounding)
    lines = [
        line.model_copy(update=vars(amounts))
        for line, amounts in zip(invoice.lines, totals.lines, strict=True)
    ]
    paid = sum((p.amount for p in invoice.payments), Decimal(0))
    withheld = sum((p.withheld for p in invoice.payments), Decimal(0))
    credited = sum((c.amount for c in invoice.credit_notes), Decimal(0))
    debited = sum((d.amount for d in invoice.debit_notes), Decimal(0))
    refunded = sum((r.amount for r in invoice.refunds), Decimal(0))
    owed = totals.total + debited - credited - (paid + withheld - refunded)  # below 0: owed to the customer
    updated = invoice.model_copy(
        update={
            "lines": lines,
            "tax_breakdown": [TaxLine(**vars(t)) for t in totals.tax_breakdown],
            "subtotal": totals.subtotal,
            "tax_total": totals.tax_total,
            "total": totals.total,
            "amount_paid": paid,
            "amount_withheld": withheld,
            "amount_credited": credited,
            "amount_debited": debited,
            "amount_refunded": refunded,
            "amount_due": max(owed, Decimal(0)),
            "refund_due": max(-owed, Decimal(0)),
        }
    )
    return updated.model_copy(update={"status": settled_status(updated)})


def settled_status(invoice: Invoice) -> Status:
    """The status once money moved: paid when nothing is due, else as it was (partially paid if paid)."""
    if invoice.status in (Status.DRAFT, Status.VOID):
        return invoice.status
    if invoice.amount_due <= 0:
        return Status.PAID
    if invoice.status is Status.OVERDUE:
        return Status.OVERDUE
    settled = invoice.amount_paid + invoice.amount_withheld
    return Status.PARTIALLY_PAID if settled > 0 else Status.ISSUED


def check_customer(customer: Customer, office_country: str) -> Customer:
    """The customer with its tax id written as its country (else the office's) writes it; `Invalid`
    naming the field when the tax id breaks that country's rules."""
    if not customer.tax_id:
        return customer
    country = customer.country or office_country
    problem = tax_id_problem(country, customer.tax_id)
    if problem:
        refused = field_problem("tax_id", problem)
        raise Invalid(
            FIELD_PROBLEM, errors=[field_error("customer.tax_id", FIELD_PROBLEM, **refused)], **refused
        )
    tax_id = compact(country, customer.tax_id)
    if country == "TH" and tax_id.startswith("0") and not customer.branch:
        # a juristic person's id (a company's starts with 0): its VAT claim needs the branch on the invoice
        problem = N_("a Thai company's branch: 00000 for the head office, else its branch number")
        branch = field_problem("branch", problem)
        raise Invalid(
            FIELD_PROBLEM, errors=[field_error("customer.branch", FIELD_PROBLEM, **branch)], **branch
        )
    return customer.model_copy(update={"tax_id": tax_id})


VAT_RATES = Path(__file__).with_name("vat_rates.toml")


@cache
def _rate_table() -> dict[str, Any]:
    return tomllib.loads(VAT_RATES.read_text(encoding="utf-8"))


def vat_rates(country: str, day: date) -> set[Decimal] | None:
    """The VAT rates the law of `country` knows on `day` (`vat_rates.toml`); None where any rate goes."""
    law = _rate_table().get(country)
    if law is None:
        return None
    reduced = {Decimal(r["rate"]) for r in law.get("reduced", []) if r["from"] <= day <= r["until"]}
    return {Decimal(rate) for rate in law["rates"]} | reduced


def _rate_problem(rate: Decimal, country: str, day: date, allowed: set[Decimal]) -> Word | None:
    if rate in allowed:
        return None
    rates = ", ".join(str(r) for r in sorted(allowed)) + " %"
    windows = [r for r in _rate_table()[country].get("reduced", []) if Decimal(r["rate"]) == rate]
    if not windows:
        return Word(N_("on {day} VAT here is {rates}"), day=day.isoformat(), rates=rates)
    last = max(windows, key=lambda r: r["until"])
    return Word(
        N_(
            "{rate} % applies only while a decree reduces VAT (the last: {start} to {end}, Decree {decree}); "
            "on {day} VAT here is {rates}"
        ),
        rate=rate,
        start=last["from"],
        end=last["until"],
        decree=last["decree"],
        day=day.isoformat(),
        rates=rates,
    )


def with_usual_rate(line: LineRequest, rate: Decimal) -> LineRequest:
    """A line that names neither a tax rate nor an item is at the office's usual VAT rate."""
    if "tax_rate" in line.model_fields_set or line.item:
        return line
    return line.model_copy(update={"tax_rate": rate})


def check_lines(lines: Sequence[Any], field: str, problem: Callable[[Any], Word | None], title: str) -> None:
    """`Invalid` naming each line's `field` whose `problem` is not None."""
    errors = [
        field_error(f"lines.{n}.{field}", message.text, **message.params)
        for n, line in enumerate(lines)
        if (message := problem(line))
    ]
    if errors:
        raise Invalid(title, errors=errors)


def check_rates(lines: Sequence[LineRequest | Line], country: str, day: date) -> None:
    """Where the law names the VAT rates (`vat_rates`), a line at another on `day` is refused."""
    allowed = vat_rates(country, day)
    if allowed is None:
        return
    check_lines(
        lines,
        "tax_rate",
        lambda line: _rate_problem(line.tax_rate, country, day, allowed),
        N_("a VAT rate the law does not know on that day"),
    )


def build(
    request: InvoiceRequest,
    *,
    invoice_id: str,
    default_currency: str,
    actor: str,
    now: datetime,
    rounding: TaxRounding,
) -> Invoice:
    """A draft from a request (dates resolved when issued)."""
    currency = request.currency or default_currency
    invoice = Invoice(
        id=invoice_id,
        status=Status.DRAFT,
        customer=request.buyer,
        currency=currency,
        issue_date=request.issue_date,
        due_date=request.due_date,
        due_days=request.due_days,
        notes=request.notes,
        lines=_lines(request.lines, currency),
        tax_breakdown=[],
        subtotal=Decimal(0),
        tax_total=Decimal(0),
        total=Decimal(0),
        amount_paid=Decimal(0),
        amount_credited=Decimal(0),
        amount_due=Decimal(0),
        created_at=now,
        created_by=actor,
    )
    return recompute(invoice, rounding)


def edited(
    invoice: Invoice, request: InvoiceRequest, rounding: TaxRounding, default_currency: str
) -> Invoice:
    if invoice.status is not Status.DRAFT:
        raise Conflict(N_("only a draft can be edited; an issued invoice is voided or credited instead"))
    currency = request.currency or default_currency
    changed = invoice.model_copy(
        update={
            "customer": request.buyer,
            "currency": currency,
            "issue_date": request.issue_date,
            "due_date": request.due_date,
            "due_days": request.due_days,
            "notes": request.notes,
            "lines": _lines(request.lines, currency),
        }
    )
    return recompute(changed, rounding)


def issued(invoice: Invoice, today: date) -> Invoice:
    """Ready to number: issue and due dates fixed (due = issue + due_days, 30 by default)."""
    if invoice.status is not Status.DRAFT:
        raise Conflict(N_("invoice {number} is already issued"), number=invoice.number or invoice.id)
    issue_date = invoice.issue_date or today
    due_date = invoice.due_date or issue_date + timedelta(days=invoice.due_days or DEFAULT_DUE_DAYS)
    if due_date < issue_date:
        raise Invalid(N_("the due date is before the issue date"), slug="validation")
    return invoice.model_copy(
        update={"status": Status.ISSUED, "issue_date": issue_date, "due_date": due_date}
    )


def with_payment(invoice: Invoice, payment: Payment, rounding: TaxRounding) -> Invoice:
    """The invoice with the payment applied: the money received and any tax the customer withheld
    both settle it, and together they may not exceed what is due."""
    if invoice.status is Status.VOID:
        raise Conflict(N_("a void invoice takes no payments"), slug="invoice-void")
    if invoice.status is Status.DRAFT:
        raise Conflict(N_("issue the invoice before recording payments"), slug="invoice-draft")
    if any(p.id == payment.id for p in invoice.payments):
        raise Conflict(N_("this payment is recorded already"), slug="payment-recorded")
    amount = exact_amount(payment.amount, invoice.currency, "amount")
    withheld = (
        exact_amount(payment.withheld, invoice.currency, "withheld") if payment.withheld else Decimal(0)
    )
    if payment.withholding_rate is not None and not withheld:
        withheld = withholding_for(invoice, amount, payment.withholding_rate)
    if amount + withheld > invoice.amount_due:
        raise Invalid(
            N_("that is more than the {due} {currency} due"),
            slug="overpayment",
            due=round_money(invoice.amount_due, invoice.currency),
            currency=invoice.currency,
        )
    check_withholding(invoice, amount, withheld, payment.withholding_rate)
    exact = payment.model_copy(update={"amount": amount, "withheld": withheld})
    return recompute(invoice.model_copy(update={"payments": [*invoice.payments, exact]}), rounding)


MAX_WITHHOLDING = Decimal(15)  # percent: the highest rate a customer may withhold (PaymentRequest)


def withholding_for(invoice: Invoice, received: Decimal, rate: Decimal) -> Decimal:
    """The tax a customer withholds at `rate` % when `received` reaches the office: the rate applies to
    the value before VAT of what the payment settles (received + withheld), so
    withheld = received × r·k / (1 − r·k), k the invoice's value before VAT per unit of its total.
    Worked by hand: 15,601.04 received at 3 % on a 7 % VAT invoice is 15,601.04 × 0.03 / 1.04 = 450.03."""
    if not invoice.total:
        return Decimal(0)
    share = rate / 100 * invoice.subtotal / invoice.total
    return round_money(received * share / (1 - share), invoice.currency)


def check_withholding(invoice: Invoice, received: Decimal, withheld: Decimal, rate: Decimal | None) -> None:
    """Never more withheld than the rate (else the highest rate there is) allows on what the payment
    settles, give or take the currency's smallest unit of rounding."""
    if not withheld:
        return
    most = withholding_for(invoice, received, rate if rate is not None else MAX_WITHHOLDING)
    if withheld > most + minor_unit(invoice.currency):
        facts: dict[str, Any] = {
            "settles": received,
            "most": round_money(most, invoice.currency),
            "currency": invoice.currency,
        }
        raise Invalid(
            N_("at {rate} % on what {settles} {currency} settles, at most {most} {currency} is withheld")
            if rate is not None
            else N_(
                "at the highest rate, {rate} %, on what {settles} {currency} settles, "
                "at most {most} {currency} is withheld"
            ),
            slug="over-withheld",
            errors=[field_error("withheld", N_("at most {most} {currency}"), **facts)],
            rate=rate if rate is not None else MAX_WITHHOLDING,
            **facts,
        )


def with_certificate(invoice: Invoice, payment_id: str, number: str, document_id: str | None) -> Invoice:
    """The withholding certificate of a payment, received after the money."""
    payment = next((p for p in invoice.payments if p.id == payment_id), None)
    if payment is None:
        raise not_found(N_("payment"), payment_id)
    if not payment.withheld:
        raise Conflict(N_("nothing was withheld from this payment"), slug="nothing-withheld")
    certified = payment.model_copy(
        update={"certificate_number": number, "certificate_document_id": document_id}
    )
    payments = [certified if p.id == payment_id else p for p in invoice.payments]
    return invoice.model_copy(update={"payments": payments})


def voided(invoice: Invoice, reason: str) -> Invoice:
    """The invoice void: it keeps its number and owes nothing."""
    if invoice.status is Status.DRAFT:
        raise Conflict(N_("a draft is deleted, not voided"), slug="invoice-draft")
    if invoice.status is Status.VOID:
        raise Conflict(N_("the invoice is already void"), slug="invoice-void")
    if invoice.amount_paid > 0:
        raise Conflict(N_("payments were recorded; issue a credit note instead"), slug="invoice-paid")
    nothing = round_money(Decimal(0), invoice.currency)
    return invoice.model_copy(update={"status": Status.VOID, "void_reason": reason, "amount_due": nothing})


def note_amount(
    invoice: Invoice,
    amount: Decimal | None,
    lines: Sequence[LineRequest] | None,
    rounding: TaxRounding,
    *,
    debit: bool = False,
) -> tuple[Decimal, list[Line]]:
    """A credit or debit note's amount (given, or the total of its lines with tax) and its lines. A
    credit note lowers an issued invoice, paid or not, by at most what it still charges (past what was
    paid, the rest is a refund due); a debit note raises it."""
    if invoice.status not in (*OPEN, Status.PAID):
        kind = (
            N_("a {status} invoice cannot be debited")
            if debit
            else N_("a {status} invoice cannot be credited")
        )
        raise Conflict(kind, slug="not-open", status=invoice.status)
    note_lines = _lines(lines or [], invoice.currency)
    if note_lines:
        value = compute(_terms(note_lines), invoice.currency, rounding).total
    else:
        value = exact_amount(amount or Decimal(0), invoice.currency, "amount")
    charged = invoice.total + invoice.amount_debited - invoice.amount_credited
    if not debit and value > charged:
        raise Invalid(
            N_("a credit note cannot exceed the {left} {currency} the invoice still charges"),
            slug="over-credit",
            left=round_money(charged, invoice.currency),
            currency=invoice.currency,
        )
    return value, note_lines


def with_refund(invoice: Invoice, refund: Refund, rounding: TaxRounding) -> Invoice:
    """The invoice with money paid back to the customer, at most the refund due."""
    if any(r.id == refund.id for r in invoice.refunds):
        raise Conflict(N_("this refund is recorded already"), slug="refund-recorded")
    amount = exact_amount(refund.amount, invoice.currency, "amount")
    if amount > invoice.refund_due:
        raise Invalid(
            N_("that is more than the {due} {currency} owed to the customer"),
            slug="over-refund",
            due=round_money(invoice.refund_due, invoice.currency),
            currency=invoice.currency,
        )
    exact = refund.model_copy(update={"amount": amount})
    return recompute(invoice.model_copy(update={"refunds": [*invoice.refunds, exact]}), rounding)


def with_note(invoice: Invoice, note: CreditNote, rounding: TaxRounding) -> Invoice:
    """The invoice with a credit note, or a debit note, added."""
    field = "debit_notes" if isinstance(note, DebitNote) else "credit_notes"
    return recompute(invoice.model_copy(update={field: [*getattr(invoice, field), note]}), rounding)


def overdue(invoice: Invoice, today: date) -> Invoice:
    """Marked overdue once its due date has passed with money still due."""
    if (
        invoice.status in (Status.ISSUED, Status.PARTIALLY_PAID)
        and invoice.due_date
        and today > invoice.due_date
    ):
        return invoice.model_copy(update={"status": Status.OVERDUE})
    return invoice


def as_issued(invoice: Invoice) -> Invoice:
    """The invoice as it stood when it was issued: what came later (payments, notes, reminders, a void)
    has documents of its own and is not on it. A draft is as it is."""
    if invoice.status is Status.DRAFT:
        return invoice
    nothing = Decimal(0)
    later: dict[str, Any] = {"payments": [], "credit_notes": [], "debit_notes": [], "reminders": []}
    sums = {"amount_paid": nothing, "amount_withheld": nothing, "amount_credited": nothing}
    return invoice.model_copy(
        update={
            **later,
            **sums,
            "amount_debited": nothing,
            "amount_due": invoice.total,
            "status": Status.ISSUED,
        }
    )


def with_reminder(invoice: Invoice, stage: int, fee: Decimal | None, now: datetime) -> Invoice:
    """Claim a reminder stage. Its late fee, if any, is not a line of the issued invoice (which never
    changes) but a debit note of its own (`late_fee`)."""
    reminder = Reminder(stage=stage, claimed_at=now, fee=fee or None)
    return invoice.model_copy(update={"reminders": [*invoice.reminders, reminder]})


def late_fee(stage: int, fee: Decimal, number: str, today: date, reason: str) -> DebitNote:
    """The debit note that adds a reminder stage's late fee to what the invoice asks (no tax on it)."""
    line = Line(
        description=reason,
        quantity=Decimal(1),
        unit_price=fee,
        tax_rate=Decimal(0),
        line_net=fee,
        tax_amount=Decimal(0),
        line_total=fee,
        kind="late_fee",
    )
    return DebitNote(
        id=uuid.uuid4().hex,
        number=number,
        amount=fee,
        reason=reason,
        date=today,
        lines=[line],
        recorded_by="system:reminders",
    )
