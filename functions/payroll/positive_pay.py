"""The bank's Positive Pay issue file: every cheque issued or voided, so the bank pays only those.

The layout is configurable per bank (template parameter PositivePayLayout, JSON):
  {"columns": ["account_number", "cheque_number", "issue_date", "amount", "payee", "code"],
   "header": true, "date_format": "%Y-%m-%d", "issue_code": "I", "void_code": "V"}
Columns may be any of: account_number, cheque_number, issue_date, amount, amount_cents, payee, code.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass

from core.money import minor_units
from payroll.model import Cheque, ChequeStatus

DEFAULT_LAYOUT = {
    "columns": ["account_number", "cheque_number", "issue_date", "amount", "payee", "code"],
    "header": True,
    "date_format": "%Y-%m-%d",
    "issue_code": "I",
    "void_code": "V",
}
FIELDS = {"account_number", "cheque_number", "issue_date", "amount", "amount_cents", "payee", "code"}


@dataclass(frozen=True)
class Layout:
    columns: tuple[str, ...]
    header: bool
    date_format: str
    issue_code: str
    void_code: str

    @classmethod
    def parse(cls, text: str) -> Layout:
        spec = {**DEFAULT_LAYOUT, **(json.loads(text) if text.strip() else {})}
        unknown = set(spec["columns"]) - FIELDS
        if unknown:
            raise ValueError(f"unknown Positive Pay columns: {', '.join(sorted(unknown))}")
        return cls(
            tuple(spec["columns"]),
            bool(spec["header"]),
            spec["date_format"],
            spec["issue_code"],
            spec["void_code"],
        )


def _value(cheque: Cheque, column: str, layout: Layout) -> str:
    if column == "issue_date":
        return cheque.pay_date.strftime(layout.date_format)
    if column == "amount":
        return str(cheque.amount)
    if column == "amount_cents":
        return str(int(cheque.amount.scaleb(minor_units(cheque.currency))))
    if column == "payee":
        return cheque.employee_name
    if column == "code":
        return layout.void_code if cheque.status is ChequeStatus.VOID else layout.issue_code
    return str(getattr(cheque, column))


def issue_file(cheques: Iterable[Cheque], layout: Layout) -> str:
    """One record per cheque: issued, or void (a voided cheque's record tells the bank to refuse it)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if layout.header:
        writer.writerow(layout.columns)
    for cheque in cheques:
        writer.writerow([_value(cheque, column, layout) for column in layout.columns])
    return out.getvalue()
