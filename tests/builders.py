"""Records as the capabilities make them, for tests that need one without going through AWS."""

from datetime import UTC, date, datetime
from decimal import Decimal

from invoicing import rules
from invoicing.arithmetic import TaxRounding
from invoicing.model import Customer, Invoice, InvoiceRequest, LineRequest, Payment
from payroll.model import Cheque, ChequeStatus

AT = datetime(2026, 11, 20, 3, tzinfo=UTC)
SIAM = Customer(name="บริษัท สยามบัญชี จำกัด", email="account@siambanchee.example")


def invoice(
    customer: Customer = SIAM,
    *,
    description: str = "ค่าบริการทำบัญชี",
    price: str = "1500.00",
    rate: int = 7,
    currency: str = "THB",
    number: str | None = "INV-2026-000001",
    issued_on: date = date(2026, 11, 20),
) -> Invoice:
    """One invoice of one line, issued (numbered, due 30 days later) unless `number` is None."""
    line = LineRequest(
        description=description, quantity=Decimal(1), unit_price=Decimal(price), tax_rate=Decimal(rate)
    )
    request = InvoiceRequest(customer=customer, currency=currency, lines=[line])
    draft = rules.build(
        request,
        invoice_id="i1",
        default_currency=currency,
        actor="user:clerk",
        now=AT,
        rounding=TaxRounding.PER_RATE,
    )
    return rules.issued(draft.model_copy(update={"number": number}), issued_on) if number else draft


def payment(amount: str, *, withheld: str = "0", on: date = date(2026, 11, 25)) -> Payment:
    """A bank transfer of `amount`, with `withheld` tax (at 3 %) where the customer withheld some."""
    return Payment(
        id=f"p-{amount}",
        amount=Decimal(amount),
        date=on,
        method="bank_transfer",
        withheld=Decimal(withheld),
        withholding_rate=Decimal(3) if withheld != "0" else None,
        recorded_by="user:clerk",
        recorded_at=AT,
    )


def cheque(status: ChequeStatus = ChequeStatus.READY, **changes: object) -> Cheque:
    """Cheque 204501 of Nguyễn Thị Lan's pay run, ready since the pay date unless changed."""
    base = Cheque(
        id="c1",
        payrun_id="r1",
        cheque_number="204501",
        account_number="000123456789",
        employee_id="E-1001",
        employee_name="Nguyễn Thị Lan",
        amount=Decimal("1843.20"),
        currency="USD",
        pay_date=date(2026, 11, 20),
        status=status,
    )
    return base.model_copy(update=changes)
