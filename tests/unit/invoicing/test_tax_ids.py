"""A customer's tax id and a line's VAT rate are checked by the law of their country, and a wrong one
names its field."""

from datetime import date
from decimal import Decimal

import pytest

from core.errors import Invalid
from core.problems import problem_of
from invoicing.model import Customer, LineRequest
from invoicing.rules import check_customer, check_rates


def customer(tax_id: str, branch: str | None = "00000") -> Customer:
    return Customer(name="Siam Ltd", email="ap@siam.example", tax_id=tax_id, branch=branch)


@pytest.mark.parametrize(
    ("country", "written", "stored"),
    [
        ("TH", "0-9940-00165-49-8", "0994000165498"),
        ("VN", "0100233488", "0100233488"),
        ("VN", "079 203 001234", "079203001234"),  # a person's CCCD (Hồ Chí Minh City, 079)
        ("US", "12-3456789", "12-3456789"),  # no scheme: kept as typed
    ],
)
def test_a_valid_tax_id_is_kept_as_the_country_writes_it(country: str, written: str, stored: str) -> None:
    assert check_customer(customer(written), country).tax_id == stored


@pytest.mark.parametrize(
    ("country", "wrong"),
    [
        ("TH", "0994000165497"),
        ("TH", "12345"),
        ("VN", "0100233489"),
        ("VN", "999203001234"),
        ("VN", "07920300123"),
    ],
)
def test_a_wrong_check_digit_is_refused_naming_the_field(country: str, wrong: str) -> None:
    with pytest.raises(Invalid) as refused:
        check_customer(customer(wrong), country)
    assert [e["field"] for e in refused.value.errors] == ["customer.tax_id"]
    assert refused.value.errors[0]["pointer"] == "/customer/tax_id"


def test_a_thai_company_s_branch_is_asked_for_and_written_in_five_digits() -> None:
    with pytest.raises(Invalid) as refused:
        check_customer(customer("0994000165498", branch=None), "TH")
    assert refused.value.errors[0]["field"] == "customer.branch"  # its VAT claim needs it
    assert check_customer(customer("0994000165498", branch="1"), "TH").branch == "00001"
    assert check_customer(customer("0994000165498", branch=" 00000 "), "TH").branch == "00000"
    person = customer("1101700207030", branch=None)  # an individual's id (not a juristic person's)
    assert check_customer(person, "TH").branch is None


def test_a_foreign_customer_s_tax_id_follows_its_own_country() -> None:
    vietnamese = Customer(
        name="Công ty TNHH Ánh Dương", email="ketoan@anhduong.example", country="VN", tax_id="0100233488"
    )
    assert check_customer(vietnamese, "TH").tax_id == "0100233488"  # a Thai office, a Vietnamese buyer
    with pytest.raises(Invalid):
        check_customer(vietnamese.model_copy(update={"country": "TH"}), "VN")


def rated(*rates: int) -> list[LineRequest]:
    return [
        LineRequest(
            description="Dịch vụ", quantity=Decimal(1), unit_price=Decimal(100), tax_rate=Decimal(rate)
        )
        for rate in rates
    ]


def test_a_vietnamese_office_takes_only_the_vat_rates_of_the_law() -> None:
    with pytest.raises(Invalid) as refused:
        check_rates(rated(10, 7, 8), "VN", date(2026, 12, 7))
    assert [e["field"] for e in refused.value.errors] == ["lines.1.tax_rate"]
    check_rates(rated(10, 7, 8), "US", date(2026, 12, 7))  # elsewhere any rate


@pytest.mark.parametrize(
    ("day", "eight_per_cent"),
    [
        (date(2022, 12, 31), True),  # Decree 15/2022
        (date(2023, 1, 1), False),  # no decree from January to June 2023
        (date(2023, 6, 30), False),
        (date(2023, 7, 1), True),  # Decree 44/2023, then 94/2023, 72/2024, 180/2024 without a gap
        (date(2024, 2, 29), True),
        (date(2026, 12, 31), True),  # Decree 174/2025's last day
        (date(2027, 1, 1), False),
    ],
)
def test_the_reduced_8_per_cent_only_inside_a_decree_s_window(day: date, eight_per_cent: bool) -> None:
    if eight_per_cent:
        check_rates(rated(8), "VN", day)
        return
    with pytest.raises(Invalid) as refused:
        check_rates(rated(8), "VN", day)
    (error,) = problem_of(refused.value).to_dict()["errors"]  # as the API writes it
    assert "Decree 174/2025/NĐ-CP" in error["message"] and "0, 5, 10 %" in error["message"]
