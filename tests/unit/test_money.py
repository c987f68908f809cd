"""Money rules: exact decimals, ISO 4217 minor units, ROUND_HALF_UP, no floats."""

from decimal import Decimal

import pytest

from core.money import MoneyError, format_amount, minor_units, parse_amount, round_money


@pytest.mark.parametrize(
    ("currency", "units"), [("USD", 2), ("JPY", 0), ("VND", 0), ("BHD", 3), ("KWD", 3), ("THB", 2)]
)
def test_minor_units_follow_iso_4217(currency: str, units: int) -> None:
    assert minor_units(currency) == units


@pytest.mark.parametrize("code", ["XXX", "ABC", "usd", "XAU"])
def test_unknown_or_non_money_currencies_are_refused(code: str) -> None:
    with pytest.raises(MoneyError):
        minor_units(code)


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("0.005", "USD", "0.01"),
        ("-0.005", "USD", "-0.01"),
        ("0.004", "USD", "0.00"),
        ("0.5", "JPY", "1"),
        ("1.2345", "BHD", "1.235"),
        ("2.675", "USD", "2.68"),
    ],
)
def test_rounding_is_half_up_away_from_zero(amount: str, currency: str, expected: str) -> None:
    assert format_amount(round_money(Decimal(amount), currency), currency) == expected


def test_amounts_are_shown_with_exactly_the_minor_units() -> None:
    assert format_amount(Decimal("12.5"), "USD") == "12.50"
    assert format_amount(Decimal("1250"), "JPY") == "1250"
    assert format_amount(Decimal("1.25"), "BHD") == "1.250"


def test_parse_refuses_more_decimals_than_the_currency_has() -> None:
    assert parse_amount("10.25", "USD") == Decimal("10.25")
    with pytest.raises(MoneyError, match="at most 2 decimals"):
        parse_amount("10.255", "USD")
    with pytest.raises(MoneyError):
        parse_amount("1.5", "JPY")


@pytest.mark.parametrize("bad", [0.1, "NaN", "Infinity", "1e400", "abc", True, None])
def test_floats_and_non_finite_values_are_refused(bad: object) -> None:
    with pytest.raises(MoneyError):
        parse_amount(bad, "USD")
