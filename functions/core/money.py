"""Exact money: Decimal amounts in ISO 4217 minor units, rounded ROUND_HALF_UP, never floats.

People type amounts as they write them ("12,000.-", "12.000.000 ₫", "7%"): `plain_number` reads them.

Rounding rule: an amount is rounded once, to the currency's minor units, with ROUND_HALF_UP
(0.005 USD -> 0.01, 0.5 JPY -> 1, -0.005 USD -> -0.01). Inputs with more decimals than the
currency allows are refused rather than rounded, so nobody's money changes silently.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from typing import Any

from iso4217 import Currency
from pydantic import field_validator

from core.i18n import N_

NOT_A_NUMBER = N_("write a number, like 12,000.50")


class MoneyError(ValueError):
    """An amount or a currency that cannot be used as money: a text of the catalogues and its
    parameters, like a `core.errors.DomainError`'s."""

    def __init__(self, text: str, **params: Any) -> None:
        self.text, self.params = text, params
        super().__init__(text.format(**params) if params else text)


@cache
def minor_units(currency: str) -> int:
    """Number of decimals of an ISO 4217 currency (JPY 0, USD 2, BHD 3)."""
    try:
        exponent = Currency(currency).exponent
    except ValueError:
        raise MoneyError(N_("unknown currency {currency}"), currency=currency) from None
    if exponent is None:
        raise MoneyError(N_("{currency} is not a currency money is kept in"), currency=currency)
    return int(exponent)


def is_currency(code: str) -> bool:
    """True for an ISO 4217 code that can carry money."""
    try:
        minor_units(code)
    except MoneyError:
        return False
    return True


def minor_unit(currency: str) -> Decimal:
    """The currency's smallest amount (0.01 USD, 1 JPY)."""
    return Decimal(1).scaleb(-minor_units(currency))


# what people write around a number: currency signs and words, a percent sign, Thai "12,000.-"
MARKS = re.compile(r"(?i)[\s\u00a0฿$₫%]|บาท|thb|usd|vnd|đồng|đ(?=$)|\.-$|,-$")
WHOLE_MARKS = re.compile(r"(?i)[₫]|vnd|đồng|đ$")  # đồng: no minor unit, so "." groups thousands
GROUPED = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")  # 12,000.50
DOTTED = re.compile(r"-?\d{1,3}(\.\d{3}){2,}")  # 12.000.000: two points cannot be a decimal point
DOTTED_COMMA = re.compile(r"-?\d{1,3}(\.\d{3})*,\d+")  # 12.000,50 and 5,5
DOTTED_WHOLE = re.compile(r"-?\d{1,3}(\.\d{3})+")  # 12.000, where the amount is whole (VND)


def plain_number(text: str, *, whole: bool = False) -> str:
    """A number as people type it, as the plain decimal it means: "12,000.-", "12,000 บาท" and
    "12,000.00" are 12000.00, "7%" is 7, "12.000.000đ" and "12.000.000 ₫" are 12000000, "5,5" is 5.5.
    Where the amount is `whole` (a currency without minor units, as VND, or a đồng sign), "12.000" is
    twelve thousand. Text that means no number comes back without its marks, for the caller to refuse."""
    whole = whole or bool(WHOLE_MARKS.search(text))
    plain = MARKS.sub("", text)
    if GROUPED.fullmatch(plain):
        return plain.replace(",", "")
    if DOTTED.fullmatch(plain) or (whole and DOTTED_WHOLE.fullmatch(plain)):
        return plain.replace(".", "")
    if DOTTED_COMMA.fullmatch(plain):
        return plain.replace(".", "").replace(",", ".")
    return plain


def to_decimal(value: object, *, whole: bool = False) -> Decimal:
    """Read a decimal from an int, a Decimal or a string as people type it (`plain_number`); floats
    are refused as inexact."""
    if isinstance(value, (bool, float)):
        raise MoneyError(N_("amounts must be decimal strings, not floating-point numbers"))
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, str):
        try:
            number = Decimal(plain_number(value, whole=whole))
        except InvalidOperation:
            raise MoneyError(NOT_A_NUMBER) from None
    else:
        raise MoneyError(NOT_A_NUMBER)
    if not number.is_finite():
        raise MoneyError(NOT_A_NUMBER)
    if abs(number.adjusted()) > 15:
        raise MoneyError(N_("the amount is too large"))
    return number


def typed_numbers(*fields: str) -> Any:
    """A model's validator that reads its number `fields` as people type them ("12,000.-", "7%",
    "12.000.000 ₫", `plain_number`), refusing floats: `_typed = typed_numbers("amount")`."""

    def typed(value: object) -> Decimal | None:
        return None if value is None else to_decimal(value)

    return field_validator(*fields, mode="before")(typed)


def round_money(amount: Decimal, currency: str) -> Decimal:
    """Round to the currency's minor units, half away from zero."""
    return amount.quantize(minor_unit(currency), rounding=ROUND_HALF_UP)


def parse_amount(value: object, currency: str) -> Decimal:
    """An exact amount in the currency: at most its minor units, else a MoneyError."""
    number = to_decimal(value, whole=minor_units(currency) == 0)
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > minor_units(currency):
        raise MoneyError(
            N_("{currency} amounts have at most {places} decimals"),
            currency=currency,
            places=minor_units(currency),
        )
    return round_money(number, currency)


def format_amount(amount: Decimal, currency: str) -> str:
    """The amount as a string with exactly the currency's minor units ("12.50", "1250", "1.250")."""
    return str(round_money(amount, currency))


def display_number(value: Decimal, language: str) -> str:
    """A number as its reader writes it: thousands grouped with "," and a decimal point ("16,051.07"),
    or in Vietnamese with "." and a decimal comma ("1.050.500", "5.999,50")."""
    grouped = f"{value:,}"
    return grouped.translate(str.maketrans(",.", ".,")) if language == "vi" else grouped


def display_amount(amount: Decimal, currency: str, language: str) -> str:
    """An amount for documents and messages, in the currency's minor units, grouped as its reader writes
    numbers (`display_number`); data (CSV, JSON, the audit trail) keep `format_amount`."""
    return display_number(round_money(amount, currency), language)
