"""Which invoice a bank credit pays: by the number in its text, else by a known payer's exact amount;
nothing is guessed when two invoices could be meant."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from banking.matching import Rule, invoice_numbers, match, payer_key
from core.statements import StatementLine
from invoicing.interface import OpenInvoice
from invoicing.model import Customer
from tests.builders import invoice

MALEE = Customer(name="Khun Malee Shop", email="malee@shop.example")


def line(
    amount: str, reference: str = "Transfer", payer: str | None = None, currency: str = "THB"
) -> StatementLine:
    return StatementLine("l1", date(2026, 11, 25), Decimal(amount), currency, reference, payer, None)


def numbered(number: str, **changes: object) -> OpenInvoice:
    made = invoice(number=number, **changes)  # type: ignore[arg-type]
    return OpenInvoice.of(made.model_copy(update={"id": number}))


def test_the_number_in_the_reference_finds_the_invoice_however_it_is_written() -> None:
    assert invoice_numbers("paid inv2026000012 and INV 2026 13, inv-2026-000014") == {
        "INV-2026-000012",
        "INV-2026-000013",
        "INV-2026-000014",
    }
    found = match(line("1605.00", "From X1 INV2026000001"), [numbered("INV-2026-000001")], {})
    assert found and found.rule is Rule.INVOICE_NUMBER and found.invoice.number == "INV-2026-000001"


def test_a_part_payment_by_number_matches_but_more_than_is_owed_does_not() -> None:
    open_ = [numbered("INV-2026-000001")]  # 1,605.00 due
    assert match(line("500.00", "INV-2026-000001"), open_, {})
    assert match(line("1605.01", "INV-2026-000001"), open_, {}) is None


def test_a_named_payer_s_exact_amount_matches_only_when_one_invoice_owes_it() -> None:
    one = numbered("INV-2026-000002", customer=MALEE, price="4000.00")  # 4,280.00 due
    credit = line("4280.00", payer="From X8810 KHUN MALEE SHOP")
    found = match(credit, [one, numbered("INV-2026-000001")], {})
    assert found and found.rule is Rule.PAYER_AMOUNT and found.invoice.id == one.id
    two = numbered("INV-2026-000003", customer=MALEE, price="4000.00")
    assert match(credit, [one, two], {}) is None  # which one? a person decides


def test_a_payer_assigned_before_is_matched_by_amount_whatever_name_the_bank_writes() -> None:
    due = numbered("INV-2026-000004", customer=MALEE, price="1000.00")  # 1,070.00
    credit = line("1070.00", payer="From X0042 MRS M. S.")
    assert match(credit, [due], {}) is None
    assert match(credit, [due], {payer_key("From X9999 MRS M. S."): MALEE.email})


def test_money_out_and_another_currency_never_match() -> None:
    open_ = [numbered("INV-2026-000001")]
    assert match(line("-1605.00", "INV-2026-000001"), open_, {}) is None
    assert match(line("1605.00", "INV-2026-000001", currency="VND"), open_, {}) is None


def test_a_payer_is_remembered_without_account_tails_and_numbers() -> None:
    assert payer_key("From X5521 SIAM TRADING CO LTD INV-2026-000001") == "from siam trading co ltd"
    assert payer_key("12345") is None
