"""A cheque register is checked whole; every problem is listed by line."""

from decimal import Decimal

import pytest

from payroll.register_file import read_register
from tests import files

GOOD = files.SAMPLES.joinpath("cheque-register-2026-11-20.csv").read_text(encoding="utf-8")
HEADER = "cheque_number,employee_id,employee_name,pay_date,net_amount,currency,account_number\n"


def problems(text: str) -> list[tuple[int, str | None, str]]:
    return [(p.line, p.field, p.message) for p in read_register(text, "USD", "000123456789").problems]


def test_the_sample_register_reads_with_names_in_three_scripts() -> None:
    register = read_register(GOOD, "USD")
    assert len(register.rows) == 8 and register.total == Decimal("17268.00") and register.problems == []
    assert {"Nguyễn Thị Lan", "สมศรี แก้วมณี"} <= {row.employee_name for row in register.rows}


def test_columns_are_matched_by_name_in_any_order_and_case() -> None:
    text = (
        "NET_AMOUNT,Employee_Name,cheque_number,EMPLOYEE_ID,pay_date\n"
        "10.00,A,1,E-1,2026-11-20\nTOTAL,1,10.00\n"
    )
    (row,) = read_register(text, "USD", "9").rows
    assert (row.cheque_number, row.amount, row.account_number) == ("1", Decimal("10.00"), "9")


def test_the_bad_control_total_rejects_the_whole_file() -> None:
    text = files.SAMPLES.joinpath("cheque-register-bad-control-total.csv").read_text(encoding="utf-8")
    ((line, _, message),) = problems(text)
    assert line == 10 and "17268.01" in message


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "1,E-1,A,2026-11-20,10.00,USD,1\nTOTAL,2,10.00\n",
            (3, None, "the control count says 2 cheques; the file has 1"),
        ),
        (
            "1,E-1,A,2026-11-20,10.00,USD,1\n1,E-2,B,2026-11-20,5.00,USD,1\nTOTAL,2,15.00\n",
            (3, "cheque_number", "cheque number repeats line 2"),
        ),
        (
            "1,E-1,A,2026-11-20,-10.00,USD,1\nTOTAL,1,-10.00\n",
            (2, "net_amount", "a cheque amount is positive"),
        ),
        (
            "1,E-1,A,2026-11-20,10.005,USD,1\nTOTAL,1,10.005\n",
            (2, "net_amount", "USD amounts have at most 2 decimals"),
        ),
        ("1,E-1,A,2026-11-20,ten,USD,1\nTOTAL,1,10\n", (2, "net_amount", "write a number, like 12,000.50")),
        (
            "1,E-1,A,2026-02-30,10.00,USD,1\nTOTAL,1,10.00\n",
            (2, "pay_date", "'2026-02-30' is not a date (YYYY-MM-DD)"),
        ),
        ("1,E-1,A,2026-11-20,10.00,USD,1\n", (3, None, "the control record (TOTAL, count, sum) is missing")),
    ],
)
def test_each_rejection_reason(body: str, expected: tuple[int, str | None, str]) -> None:
    assert expected in problems(HEADER + body)


def test_a_missing_column_is_named() -> None:
    assert problems("cheque_number,employee_id,pay_date,net_amount\nTOTAL,0,0\n") == [
        (1, "employee_name", "required column missing")
    ]


def test_a_cheque_needs_an_account_from_the_register_or_the_office() -> None:
    text = (
        "employee_id,employee_name,cheque_number,pay_date,net_amount\n"
        "E-1,Lan,204501,2026-11-20,100.00\nTOTAL,1,100.00\n"
    )
    (problem,) = read_register(text, "THB", "").problems
    assert (problem.line, problem.field) == (2, "account_number")
    assert read_register(text, "THB", "000123456789").problems == []
