"""A bill's life: who may confirm and approve it, what it may be paid, when the payer hears of it."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from core.errors import Conflict, Forbidden, Invalid
from core.identity import Caller
from payables import rules
from payables.model import Bill, BillFigures, BillPayment, BillStatus, Vendor

CLERK = Caller(subject="clerk", groups=frozenset({"staff"}))
OWNER = Caller(subject="owner", groups=frozenset({"admin"}))
LIMIT = Decimal(50000)
NOW = datetime(2026, 11, 5, 3, tzinfo=UTC)


def figures(total: str = "10700.00", currency: str = "THB") -> BillFigures:
    gross = Decimal(total)
    vat = (gross * 7 / 107).quantize(Decimal("0.01"))
    return BillFigures(
        vendor=Vendor(name="บริษัท สยามกระดาษ จำกัด", tax_id="0105551234567"),
        invoice_number="IV2026-0042",
        issue_date=date(2026, 11, 3),
        due_date=date(2026, 12, 3),
        currency=currency,
        net=gross - vat,
        vat=vat,
        total=gross,
    )


def draft() -> Bill:
    return rules.opened("b1", "doc1", None, NOW)


def confirm(
    bill: Bill,
    figures: BillFigures,
    limit: Decimal | None = LIMIT,
    spent: str = "0",
    pay_to: str | None = None,
) -> Bill:
    return rules.confirmed(bill, figures, CLERK, NOW, pay_to=pay_to, limit=limit, spent=Decimal(spent))


def payment(amount: str, ident: str = "p1") -> BillPayment:
    return BillPayment(
        id=ident,
        amount=Decimal(amount),
        date=date(2026, 12, 1),
        method="bank_transfer",
        recorded_by="x",
        recorded_at=NOW,
    )


def test_at_or_under_the_limit_the_confirmation_approves() -> None:
    bill = confirm(draft(), figures("50000.00"))
    assert (bill.status, bill.approved_by) == (BillStatus.APPROVED, "user:clerk")


def test_above_the_limit_or_in_a_currency_without_one_a_second_person_approves() -> None:
    for bill in (
        confirm(draft(), figures("53500.00")),
        confirm(draft(), figures("100.00", "USD"), limit=None),
        confirm(draft(), figures("10700.00"), spent="39300.01"),  # the vendor's last 30 days count
        confirm(rules.opened("b2", None, None, NOW), figures("100.00")),  # typed in: no document
    ):
        assert bill.status is BillStatus.AWAITING_APPROVAL and bill.approved_by is None
        with pytest.raises(Forbidden) as refused:
            rules.approved(bill, Caller(subject="clerk", groups=frozenset({"admin"})))
        assert refused.value.slug == "second-person-required"
        assert rules.approved(bill, OWNER).status is BillStatus.APPROVED


def test_the_figures_must_add_up() -> None:
    with pytest.raises(ValueError, match="net \\+ VAT"):
        BillFigures.model_validate({**figures().model_dump(), "vat": "701.00"})


def test_paid_in_parts_never_beyond_what_is_owed_and_each_payment_once() -> None:
    bill = confirm(draft(), figures())
    part = rules.with_payment(bill, payment("5000.00"))
    assert (part.status, part.owed) == (BillStatus.APPROVED, Decimal("5700.00"))
    with pytest.raises(Conflict):
        rules.with_payment(part, payment("1.00"))
    with pytest.raises(Invalid):
        rules.with_payment(part, payment("5700.01", "p2"))
    paid = rules.with_payment(part, payment("5700.00", "p2"))
    assert (paid.status, paid.owed) == (BillStatus.PAID, Decimal(0))
    with pytest.raises(Conflict):
        rules.rejected(paid, "wrong vendor")


def test_a_draft_cannot_be_paid_and_a_rejected_bill_cannot_be_approved() -> None:
    with pytest.raises(Conflict):
        rules.with_payment(draft(), payment("1.00"))
    rejected = rules.rejected(draft(), "not ours")
    with pytest.raises(Conflict):
        rules.approved(rejected, OWNER)


def test_the_payer_hears_days_before_it_falls_due_and_on_the_day_then_no_more() -> None:
    bill = confirm(draft(), figures())
    due = date(2026, 12, 3)
    assert rules.next_action(bill, 3) == due - timedelta(days=3)
    told = rules.reminded(bill, due - timedelta(days=3), 3)
    assert rules.next_action(told, 3) == due
    assert rules.next_action(rules.reminded(told, due, 3), 3) is None
    moved = rules.scheduled(told, date(2026, 12, 10))
    assert rules.next_action(moved, 3) == date(2026, 12, 7)  # a new payment day is told again
    assert rules.next_action(rules.with_payment(bill, payment("10700.00")), 3) is None


def test_a_document_naming_another_account_than_the_vendor_s_is_confirmed_by_an_admin_only() -> None:
    printed = figures().model_copy(update={"bank_account": "999-9-99999-9"})
    with pytest.raises(Forbidden) as refused:
        confirm(draft(), printed, pay_to="111-1-11111-1")
    assert refused.value.slug == "bank-account-differs"
    assert confirm(draft(), printed, pay_to="9999999999").account_differs is False  # the same, written so
    by_admin = rules.confirmed(draft(), printed, OWNER, NOW, pay_to=None, limit=LIMIT, spent=Decimal(0))
    assert by_admin.account_differs and by_admin.confirmed_by == "user:owner"
