"""A payroll provider's cheque register (CSV), checked whole before anything is imported.

Columns are matched by header name, case-insensitively, in any order: cheque_number, employee_id,
employee_name, pay_date, net_amount (required), currency, account_number, period_start,
period_end (optional). The last row is the control record: `TOTAL`, the number of cheques, their sum.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from core.money import MoneyError, parse_amount
from payroll.model import LineProblem

FORMULA_STARTS = frozenset("=+-@\t\r")  # a spreadsheet would run the cell as a formula (CSV injection)
REQUIRED = ("cheque_number", "employee_id", "employee_name", "pay_date", "net_amount")
OPTIONAL = ("currency", "account_number", "period_start", "period_end")


@dataclass(frozen=True)
class RegisterRow:
    line: int
    cheque_number: str
    employee_id: str
    employee_name: str
    pay_date: date
    amount: Decimal
    currency: str
    account_number: str
    period_start: date | None
    period_end: date | None


@dataclass
class Register:
    rows: list[RegisterRow] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((row.amount for row in self.rows), Decimal(0))

    def problem(self, line: int, message: str, column: str | None = None) -> None:
        self.problems.append(LineProblem(line=line, field=column, message=message))


def _date(text: str) -> date:
    return date.fromisoformat(text.strip())


def read_register(text: str, default_currency: str, default_account: str = "") -> Register:
    """Every row and the control record checked; `problems` lists all that is wrong, by line."""
    result = Register()
    table = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if not table:
        result.problem(1, "the file is empty")
        return result
    headers = [h.strip().lower() for h in table[0]]
    columns = {name: headers.index(name) for name in (*REQUIRED, *OPTIONAL) if name in headers}
    missing = [name for name in REQUIRED if name not in columns]
    for name in missing:
        result.problem(1, "required column missing", name)
    if missing:
        return result
    body = [
        (number, row) for number, row in enumerate(table[1:], start=2) if any(cell.strip() for cell in row)
    ]
    control = body.pop() if body and body[-1][1] and body[-1][1][0].strip().upper() == "TOTAL" else None
    seen: dict[str, int] = {}
    for line, row in body:
        cell = {name: (row[index].strip() if index < len(row) else "") for name, index in columns.items()}
        parsed = _row(result, line, cell, default_currency, default_account)
        if parsed is None:
            continue
        if parsed.cheque_number in seen:
            result.problem(line, f"cheque number repeats line {seen[parsed.cheque_number]}", "cheque_number")
            continue
        seen[parsed.cheque_number] = line
        result.rows.append(parsed)
    _check_control(result, control, len(body))
    return result


def _row(
    result: Register, line: int, cell: dict[str, str], currency_default: str, account_default: str
) -> RegisterRow | None:
    before = len(result.problems)
    number = cell["cheque_number"]
    if not number.isdigit():
        result.problem(line, "a cheque number is digits only", "cheque_number")
    for name in ("employee_id", "employee_name"):
        if not cell[name]:
            result.problem(line, "missing", name)
    for name in ("employee_id", "employee_name", "account_number"):  # a bank's file carries them on
        if cell.get(name, "")[:1] in FORMULA_STARTS:
            result.problem(line, "may not begin with =, +, -, @, a tab or a carriage return", name)
    account = cell.get("account_number") or account_default
    if not account:
        result.problem(line, "missing, and the office names no payroll account", "account_number")
    currency = (cell.get("currency") or currency_default).upper()
    amount = Decimal(0)
    try:
        amount = parse_amount(cell["net_amount"], currency)
        if amount <= 0:
            result.problem(line, "a cheque amount is positive", "net_amount")
    except MoneyError as error:
        result.problem(line, str(error), "net_amount")
    dates: dict[str, date | None] = {}
    for name in ("pay_date", "period_start", "period_end"):
        text = cell.get(name, "")
        if not text:
            dates[name] = None
            if name == "pay_date":
                result.problem(line, "missing", name)
            continue
        try:
            dates[name] = _date(text)
        except ValueError:
            result.problem(line, f"{text!r} is not a date (YYYY-MM-DD)", name)
    if len(result.problems) > before:
        return None
    pay_date = dates["pay_date"]
    assert pay_date is not None
    return RegisterRow(
        line=line,
        cheque_number=number,
        employee_id=cell["employee_id"],
        employee_name=cell["employee_name"],
        pay_date=pay_date,
        amount=amount,
        currency=currency,
        account_number=account,
        period_start=dates["period_start"],
        period_end=dates["period_end"],
    )


def _check_control(result: Register, control: tuple[int, list[str]] | None, rows: int) -> None:
    if control is None:
        result.problem(rows + 2, "the control record (TOTAL, count, sum) is missing")
        return
    line, cells = control
    try:
        count = int(cells[1])
        stated = Decimal(cells[2].strip())
    except (IndexError, ValueError, ArithmeticError):
        result.problem(line, "the control record is TOTAL, number of cheques, sum")
        return
    if count != rows:
        result.problem(line, f"the control count says {count} cheques; the file has {rows}")
    if not result.problems and stated != result.total:
        result.problem(line, f"the control total says {stated}; the cheques add up to {result.total}")
