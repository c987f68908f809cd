"""A bill's life, as pure functions: each takes the bill and answers the bill as it becomes, or
raises a domain error naming what stands in the way.

Rules written down:
- a draft is confirmed by a person; its confirmation approves it only when it came from a document and
  it is in the office's currency, and, added to what its vendor's bills confirmed in the 30 days before
  came to, within the approval limit; otherwise an administrator other than the confirmer approves;
- a document naming a bank account other than the vendor's account in force is confirmed by an
  administrator only;
- an approved or scheduled bill is paid, in parts too, never beyond what is owed; a payment's id is
  recorded once; a bill its confirmer approved alone is paid by someone else;
- a bill with payments is never rejected;
- the payer is told twice: `remind_days` before the bill falls due (its payment day, else its due
  date), and on that day if it is still owed.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from core.errors import Conflict, Forbidden, Invalid
from core.i18n import N_
from core.identity import Caller
from payables.model import PAYABLE, Bill, BillFigures, BillPayment, BillStatus, Reading


def opened(
    bill_id: str,
    document_id: str | None,
    reading: Reading | None,
    now: datetime,
    provenance: dict[str, Any] | None = None,
) -> Bill:
    return Bill(
        id=bill_id,
        document_id=document_id,
        provenance=provenance,
        status=BillStatus.DRAFT,
        reading=reading,
        created_at=now,
    )


def _require(bill: Bill, *statuses: BillStatus, refusal: str) -> None:
    if bill.status not in statuses:
        raise Conflict(refusal, slug=f"bill-{bill.status.value}", status=bill.status)


def confirmed(
    bill: Bill,
    figures: BillFigures,
    by: Caller,
    now: datetime,
    *,
    pay_to: str | None,
    limit: Decimal | None,
    spent: Decimal,
) -> Bill:
    """`limit`: what the confirmation alone may approve, in the bill's currency (None: nothing);
    `spent`: what the vendor's bills confirmed in the 30 days before came to, in that currency."""
    _require(bill, BillStatus.DRAFT, refusal=N_("a {status} bill cannot be confirmed"))
    done = bill.model_copy(update={"figures": figures, "pay_to": pay_to})
    if done.account_differs and not by.has_any(("admin",)):
        raise Forbidden(
            N_(
                "the document says to pay account {account}, which is not the vendor's account in force "
                "({in_force}); an administrator confirms this bill"
            ),
            account=done.document_account,
            in_force=pay_to or "—",
            slug="bank-account-differs",
        )
    alone = bill.document_id is not None and limit is not None and spent + figures.total <= limit
    return done.model_copy(
        update={
            "status": BillStatus.APPROVED if alone else BillStatus.AWAITING_APPROVAL,
            "confirmed_by": by.actor,
            "confirmed_at": now,
            "approved_by": by.actor if alone else None,
        }
    )


def approved(bill: Bill, by: Caller) -> Bill:
    _require(bill, BillStatus.AWAITING_APPROVAL, refusal=N_("a {status} bill cannot be approved"))
    if by.actor == bill.confirmed_by:
        raise Forbidden(
            N_("a bill is approved by someone other than the one who entered or confirmed it"),
            slug="second-person-required",
        )
    return bill.model_copy(update={"status": BillStatus.APPROVED, "approved_by": by.actor})


def rejected(bill: Bill, reason: str) -> Bill:
    _require(
        bill,
        BillStatus.DRAFT,
        BillStatus.AWAITING_APPROVAL,
        *PAYABLE,
        refusal=N_("a {status} bill cannot be rejected"),
    )
    if bill.payments:
        raise Conflict(N_("a bill with payments cannot be rejected"), slug="bill-has-payments")
    return bill.model_copy(update={"status": BillStatus.REJECTED, "rejected_reason": reason})


def scheduled(bill: Bill, pay_on: date) -> Bill:
    _require(bill, *PAYABLE, refusal=N_("a {status} bill cannot be scheduled"))
    return bill.model_copy(update={"status": BillStatus.SCHEDULED, "pay_on": pay_on})


def with_payment(bill: Bill, payment: BillPayment) -> Bill:
    _require(bill, *PAYABLE, refusal=N_("a {status} bill cannot be paid"))
    if payment.recorded_by == bill.confirmed_by == bill.approved_by:
        raise Forbidden(
            N_("you confirmed this bill and your confirmation approved it; someone else records its payment"),
            slug="second-person-required",
        )
    if any(p.id == payment.id for p in bill.payments):
        raise Conflict(
            N_("payment {payment} is recorded already"), slug="payment-recorded", payment=payment.id
        )
    if payment.amount > bill.owed:
        raise Invalid(
            N_("the bill owes {owed}; a payment cannot be more"), slug="overpayment", owed=bill.owed
        )
    paid = bill.amount_paid + payment.amount
    status = BillStatus.PAID if paid == (bill.figures.total if bill.figures else Decimal(0)) else bill.status
    return bill.model_copy(
        update={"payments": [*bill.payments, payment], "amount_paid": paid, "status": status}
    )


def falls_due(bill: Bill) -> date | None:
    if bill.status not in PAYABLE or bill.figures is None:
        return None
    return bill.pay_on or bill.figures.due_date


def next_action(bill: Bill, remind_days: int) -> date | None:
    """The day the daily run next tells the payer about this bill, if any."""
    day = falls_due(bill)
    if day is None:
        return None
    for stage, on in ((f"before:{day}", day - timedelta(days=remind_days)), (f"due:{day}", day)):
        if stage not in bill.reminded:
            return on
    return None


def reminded(bill: Bill, today: date, remind_days: int) -> Bill:
    """The stages that are due by `today`, marked told."""
    day = falls_due(bill)
    if day is None:
        return bill
    stages = [f"before:{day}"] + ([f"due:{day}"] if today >= day else [])
    return bill.model_copy(update={"reminded": sorted({*bill.reminded, *stages})})
