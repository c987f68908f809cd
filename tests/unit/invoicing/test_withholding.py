"""A Thai company customer pays net of withholding tax: the money and the tax withheld both settle the
invoice, never more than is due, and the certificate can follow later."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from core.errors import Conflict, Invalid
from invoicing import rules
from invoicing.arithmetic import TaxRounding
from invoicing.model import Invoice, Status
from tests.builders import invoice, payment

AT = datetime(2026, 11, 25, 3, tzinfo=UTC)


def issued() -> Invoice:
    return invoice(description="ค่าบริการ")


def test_cash_net_of_three_percent_withholding_pays_the_invoice() -> None:
    invoice = issued()
    assert invoice.total == Decimal("1605.00")  # 1,500.00 and 7 % VAT
    paid = rules.with_payment(
        invoice, payment("1560.00", withheld="45.00"), TaxRounding.PER_RATE
    )  # 3 % of the fee
    assert paid.status is Status.PAID and paid.amount_due == 0
    assert (paid.amount_paid, paid.amount_withheld) == (Decimal("1560.00"), Decimal("45.00"))


def test_withholding_alone_leaves_the_rest_due() -> None:
    partly = rules.with_payment(issued(), payment("1000.00", withheld="45.00"), TaxRounding.PER_RATE)
    assert partly.status is Status.PARTIALLY_PAID and partly.amount_due == Decimal("560.00")


def test_money_and_tax_together_may_not_exceed_what_is_due() -> None:
    with pytest.raises(Invalid):
        rules.with_payment(issued(), payment("1600.00", withheld="45.00"), TaxRounding.PER_RATE)


def test_the_certificate_follows_the_payment_it_belongs_to() -> None:
    paid = rules.with_payment(issued(), payment("1560.00", withheld="45.00"), TaxRounding.PER_RATE)
    certified = rules.with_certificate(paid, "p-1560.00", "WHT-2026-0042", "doc-1")
    assert certified.payments[0].certificate_number == "WHT-2026-0042"
    cash = rules.with_payment(issued(), payment("100.00"), TaxRounding.PER_RATE)
    with pytest.raises(Conflict):
        rules.with_certificate(cash, "p-100.00", "WHT-1", None)  # nothing was withheld
