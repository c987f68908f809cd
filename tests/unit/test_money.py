"""Money rules: exact decimals, ISO 4217 minor units, ROUND_HALF_UP, no floats."""

from decimal import Decimal

import pytest

from core.money import MoneyError, format_amount, minor_units, parse_amount, round_money, to_decimal


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


@pytest.mark.parametrize(
    ("typed", "currency", "amount"),
    [
        ("12,000.-", "THB", "12000.00"),  # how Thai amounts are often written
        ("12,000 บาท", "THB", "12000.00"),
        ("฿12,000.50", "THB", "12000.50"),
        ("12.000.000đ", "VND", "12000000"),
        ("12.000.000 ₫", "VND", "12000000"),
        ("12.000 VND", "VND", "12000"),
        ("12.000", "VND", "12000"),  # no minor unit: the point groups thousands
        ("12.000,50", "USD", "12000.50"),  # a Vietnamese decimal comma
        ("-1,000.25", "USD", "-1000.25"),
    ],
)
def test_amounts_are_read_as_people_type_them(typed: str, currency: str, amount: str) -> None:
    assert format_amount(parse_amount(typed, currency), currency) == amount


@pytest.mark.parametrize(("typed", "rate"), [("7%", "7"), ("7 %", "7"), ("5,5%", "5.5"), ("3", "3")])
def test_rates_are_read_with_their_percent_sign(typed: str, rate: str) -> None:
    assert to_decimal(typed) == Decimal(rate)


@pytest.mark.parametrize(("typed", "currency"), [("12.000", "THB"), ("12.3.4", "USD"), ("twelve", "USD")])
def test_what_could_be_read_two_ways_or_not_at_all_is_refused(typed: str, currency: str) -> None:
    with pytest.raises(MoneyError):  # "12.000" baht could be twelve or twelve thousand
        parse_amount(typed, currency)
