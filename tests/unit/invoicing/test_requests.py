"""What the invoice endpoint accepts: JSON, or a plain HTML form; and what it refuses."""

from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlencode

import pytest
from pydantic import ValidationError

from invoicing.model import InvoiceRequest
from invoicing.requests import PaymentRequest

CUSTOMER = {"name": "Nguyễn Thị Lan", "email": "lan@example.com"}


def request(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "customer": CUSTOMER,
        "currency": "USD",
        "lines": [
            {"description": "Dịch vụ kế toán", "quantity": "1", "unit_price": "100.00", "tax_rate": "10"}
        ],
    }
    body.update(changes)
    return body


def test_a_plain_html_form_pairs_repeated_line_fields_in_order_and_skips_blank_rows() -> None:
    form = urlencode(
        [
            ("customer_name", "สมศรี แก้วมณี"),
            ("customer_email", "somsri@example.com"),
            ("customer_tax_id", "0105551234567"),
            ("currency", "thb"),
            ("due_days", "15"),
            ("line_description", "ค่าบริการ"),
            ("line_quantity", "2"),
            ("line_unit_price", "1500.00"),
            ("line_tax_rate", "7"),
            ("line_description", "Postage"),
            ("line_quantity", "1"),
            ("line_unit_price", "40"),
            ("line_tax_rate", ""),
            ("line_description", ""),
            ("line_quantity", ""),
            ("line_unit_price", ""),
            ("line_tax_rate", ""),
        ]
    )
    parsed = InvoiceRequest.model_validate(parse_qs(form, keep_blank_values=True))
    assert parsed.customer.name == "สมศรี แก้วมณี" and parsed.customer.tax_id == "0105551234567"
    assert parsed.currency == "THB" and parsed.due_days == 15
    assert [(line.description, line.quantity, line.tax_rate) for line in parsed.lines] == [
        ("ค่าบริการ", Decimal(2), Decimal(7)),
        ("Postage", Decimal(1), Decimal(0)),
    ]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"currency": "XYZ"}, "currency"),
        ({"lines": [{"description": "x", "quantity": "-1", "unit_price": "1"}]}, "quantity"),
        ({"lines": [{"description": "x", "quantity": "1", "unit_price": "1.00001"}]}, "unit_price"),
        (
            {"lines": [{"description": "x", "quantity": "1", "unit_price": "1", "tax_rate": "100.5"}]},
            "tax_rate",
        ),
        ({"lines": [{"description": "x", "quantity": "1", "unit_price": "1", "tax_rate": "-1"}]}, "tax_rate"),
        ({"lines": [{"description": "x", "quantity": "1", "unit_price": "1"}] * 101}, "lines"),
        ({"lines": []}, "lines"),
        ({"customer": {"name": "A", "email": "not-an-email"}}, "email"),
        ({"due_days": 10, "due_date": "2026-12-01"}, "due"),
    ],
)
def test_bad_requests_name_the_field(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as error:
        InvoiceRequest.model_validate(request(**changes))
    assert field in str(error.value)


def test_floats_are_refused_exact_numbers_are_not() -> None:
    with pytest.raises(ValidationError):
        InvoiceRequest.model_validate(request(lines=[{"description": "x", "quantity": 1, "unit_price": 0.1}]))
    ok = InvoiceRequest.model_validate(
        request(lines=[{"description": "x", "quantity": 1, "unit_price": Decimal("0.10")}])
    )
    assert ok.lines[0].unit_price == Decimal("0.10")


@pytest.mark.parametrize(
    "line",
    [
        {"quantity": "1"},
        {"quantity": "1", "description": "Bookkeeping"},
        {"quantity": "1", "unit_price": "5"},
    ],
)
def test_a_line_without_an_item_needs_its_description_and_price(line: dict[str, str]) -> None:
    with pytest.raises(ValidationError, match="or name an item from the catalogue"):
        InvoiceRequest.model_validate({"customer": {"name": "A", "email": "a@example.com"}, "lines": [line]})
    named = {**line, "item": "BOOK-M"}  # the catalogue fills in the rest
    InvoiceRequest.model_validate({"customer": {"name": "A", "email": "a@example.com"}, "lines": [named]})


def test_amounts_and_rates_are_taken_as_people_type_them() -> None:
    line = {"description": "ค่าบริการ", "quantity": "1", "unit_price": "12,000.-", "tax_rate": "7%"}
    parsed = InvoiceRequest.model_validate(request(currency="THB", lines=[line]))
    assert (parsed.lines[0].unit_price, parsed.lines[0].tax_rate) == (Decimal(12000), Decimal(7))
    paid = PaymentRequest.model_validate(
        {"amount": "12.000.000 ₫", "date": "2026-12-07", "method": "chuyển khoản", "withholding_rate": "3 %"}
    )
    assert (paid.amount, paid.withholding_rate) == (Decimal(12000000), Decimal(3))
