"""The emails payroll sends: to employees about their cheque, and to the office about its runs."""

from __future__ import annotations

from datetime import date

from core.money import format_amount
from payroll.model import Cheque, Delivery, Employee, LineProblem

Message = tuple[str, str]  # subject, text


def cheque_ready(cheque: Cheque, employee: Employee) -> Message:
    amount = f"{format_amount(cheque.amount, cheque.currency)} {cheque.currency}"
    if employee.delivery is Delivery.MAIL:
        subject = "Your pay cheque will be mailed"
        text = f"Your cheque of {amount} for {cheque.pay_date} will be posted to you."
    else:
        subject = "Your pay cheque is ready for pickup"
        text = f"Your cheque of {amount} for {cheque.pay_date} is ready at the office. Bring photo ID."
    return subject, f"Dear {employee.name},\n\n{text}\n"


def pickup_reminder(cheque: Cheque, employee: Employee, stage: int) -> Message:
    return (
        "Reminder: your pay cheque is waiting at the office",
        f"Dear {employee.name},\n\nYour cheque for {cheque.pay_date} has been ready for "
        f"{stage} business days. Please collect it; bring photo ID.\n",
    )


def unclaimed_wages(cheque: Cheque, employee: Employee) -> Message:
    return (
        "Unclaimed wages: please contact us",
        f"Dear {employee.name},\n\nOur records show an uncashed pay cheque for {cheque.pay_date}. "
        "Unless you contact us, the funds will be reported as unclaimed property, "
        "as the law requires.\n",
    )


def register_rejected(problems: list[LineProblem]) -> Message:
    lines = "\n".join(f"line {p.line}: {p.field + ': ' if p.field else ''}{p.message}" for p in problems)
    return "Cheque register rejected", f"Nothing was imported.\n\n{lines}\n"


def stale_cheque(cheque: Cheque) -> Message:
    return (
        f"Stale cheque {cheque.cheque_number}",
        f"Cheque {cheque.cheque_number} ({cheque.employee_name}, {cheque.pay_date}) is over 180 days "
        "old. Reissue or void it.\n",
    )


def undistributed(today: date, lines: list[str]) -> Message:
    return f"Undistributed cheques on {today}", "\n".join(lines) + "\n"
