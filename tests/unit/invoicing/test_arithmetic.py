"""Invoice arithmetic, to the currency's minor units."""

from decimal import Decimal as D

import pytest

from invoicing.arithmetic import TaxRounding, compute


def test_tax_is_rounded_once_per_rate_by_default_and_per_line_on_request() -> None:
    lines = [(D(1), D("0.05"), D(10))] * 3
    per_rate = compute(lines, "USD")
    per_line = compute(lines, "USD", TaxRounding.PER_LINE)
    assert per_rate.subtotal == D("0.15")
    assert per_rate.tax_total == D("0.02") and per_rate.total == D(
        "0.17"
    )  # round(0.15 × 10 %) = 0.015 → 0.02
    assert per_line.tax_total == D("0.03") and per_line.total == D("0.18")  # 3 × round(0.005) = 3 × 0.01
    assert [line.tax_amount for line in per_rate.lines] == [D("0.01")] * 3  # each line still shows its own


def test_the_breakdown_lists_each_rate_with_its_taxable_amount() -> None:
    totals = compute([(D(2), D("100.00"), D(7)), (D(1), D("50.00"), D(0)), (D(3), D("10.00"), D(7))], "THB")
    assert [(b.rate, b.taxable_amount, b.tax_amount) for b in totals.tax_breakdown] == [
        (D(0), D("50.00"), D("0.00")),
        (D(7), D("230.00"), D("16.10")),
    ]
    assert totals.subtotal == D("280.00") and totals.total == D("296.10")


@pytest.mark.parametrize(
    ("currency", "quantity", "price", "rate", "net", "tax"),
    [
        ("JPY", D(3), D("333.5"), D(10), D(1001), D(100)),  # 1000.5 → 1001; 100.1 → 100
        ("VND", D(1), D("1250000"), D(8), D(1250000), D(100000)),
        ("BHD", D(1), D("10.1255"), D(10), D("10.126"), D("1.013")),  # three minor units
        ("USD", D("2.5"), D("19.99"), D("8.25"), D("49.98"), D("4.12")),  # 49.975 → 49.98 half up
    ],
)
def test_amounts_use_the_currency_minor_units_rounding_half_up(
    currency: str, quantity: D, price: D, rate: D, net: D, tax: D
) -> None:
    totals = compute([(quantity, price, rate)], currency)
    assert totals.lines[0].line_net == net and totals.tax_total == tax
    assert totals.total == net + tax
