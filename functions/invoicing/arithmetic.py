"""Invoice arithmetic, exact to the currency's minor units (ROUND_HALF_UP, see core.money).

- line_net   = round(quantity × unit_price)
- subtotal   = Σ line_net
- per_rate (EN 16931, BR-CO-17; the default): for each rate, tax = round(Σ line_net at that rate × rate)
- per_line: tax = Σ round(line_net × rate) over the lines of that rate
- tax_total  = Σ tax over the rates (listed in tax_breakdown); total = subtotal + tax_total
Each line also shows its own rounded tax_amount, for reading; with per_rate the breakdown, not the
sum of those, is what is owed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from core.money import round_money

HUNDRED = Decimal(100)


class TaxRounding(StrEnum):
    PER_RATE = "per_rate"
    PER_LINE = "per_line"


@dataclass(frozen=True)
class LineAmounts:
    line_net: Decimal
    tax_amount: Decimal
    line_total: Decimal


@dataclass(frozen=True)
class RateAmounts:
    rate: Decimal
    taxable_amount: Decimal
    tax_amount: Decimal


@dataclass(frozen=True)
class Totals:
    lines: list[LineAmounts]
    tax_breakdown: list[RateAmounts]
    subtotal: Decimal
    tax_total: Decimal
    total: Decimal


def line_amounts(quantity: Decimal, unit_price: Decimal, rate: Decimal, currency: str) -> LineAmounts:
    net = round_money(quantity * unit_price, currency)
    tax = round_money(net * rate / HUNDRED, currency)
    return LineAmounts(net, tax, net + tax)


def compute(
    lines: Sequence[tuple[Decimal, Decimal, Decimal]],
    currency: str,
    rounding: TaxRounding = TaxRounding.PER_RATE,
) -> Totals:
    """Totals of (quantity, unit_price, tax_rate %) lines in one currency."""
    amounts = [line_amounts(q, p, r, currency) for q, p, r in lines]
    rates = sorted({rate for _, _, rate in lines})
    breakdown = []
    for rate in rates:
        at_rate = [a for a, (_, _, r) in zip(amounts, lines, strict=True) if r == rate]
        taxable = sum((a.line_net for a in at_rate), Decimal(0))
        if rounding is TaxRounding.PER_LINE:
            tax = sum((a.tax_amount for a in at_rate), Decimal(0))
        else:
            tax = round_money(taxable * rate / HUNDRED, currency)
        breakdown.append(RateAmounts(rate, round_money(taxable, currency), round_money(tax, currency)))
    subtotal = round_money(sum((a.line_net for a in amounts), Decimal(0)), currency)
    tax_total = round_money(sum((b.tax_amount for b in breakdown), Decimal(0)), currency)
    return Totals(amounts, breakdown, subtotal, tax_total, subtotal + tax_total)


def percentage_of(amount: Decimal, percent: Decimal, currency: str) -> Decimal:
    return round_money(amount * percent / HUNDRED, currency)


def note_net_and_tax(
    amount: Decimal, lines_tax: Decimal | None, invoice_tax: Decimal, invoice_total: Decimal, currency: str
) -> tuple[Decimal, Decimal]:
    """A credit or debit note's value without tax, and its tax: its lines' tax, else the invoice's tax
    in the share of the invoice's total the note is (rounded half up)."""
    if lines_tax is not None:
        tax = lines_tax
    elif invoice_total:
        tax = round_money(amount * invoice_tax / invoice_total, currency)
    else:
        tax = Decimal(0)
    return amount - tax, tax
