"""The emails payroll sends: to employees about their cheque, and to the office about its runs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from core.i18n import language_of, translator
from core.money import format_amount
from payroll.model import Cheque, Delivery, Employee, LineProblem

Message = tuple[str, str]  # subject, text


def _to(employee: Employee, country: str) -> Callable[[str], str]:
    return translator(language_of(employee.language, country))


def _letter(_: Callable[[str], str], employee: Employee, text: str) -> str:
    return _("Dear {name},").format(name=employee.name) + f"\n\n{text}\n"


def cheque_ready(
    cheque: Cheque, employee: Employee, country: str = "", pickup: str = "the office"
) -> Message:
    _ = _to(employee, country)
    facts = {
        "amount": f"{format_amount(cheque.amount, cheque.currency)} {cheque.currency}",
        "date": cheque.pay_date,
        "place": pickup,
    }
    if employee.delivery is Delivery.MAIL:
        subject = _("Your pay cheque will be mailed")
        text = _("Your cheque of {amount} for {date} will be posted to you.").format(**facts)
    else:
        subject = _("Your pay cheque is ready for pickup")
        text = _("Your cheque of {amount} for {date} is ready to collect at {place}. Bring photo ID.").format(
            **facts
        )
    return subject, _letter(_, employee, text)


def pickup_reminder(
    cheque: Cheque, employee: Employee, stage: int, country: str = "", pickup: str = "the office"
) -> Message:
    _ = _to(employee, country)
    text = _(
        "Your cheque for {date} has been ready for {days} business days. Please collect it at {place}; "
        "bring photo ID."
    ).format(date=cheque.pay_date, days=stage, place=pickup)
    return _("Reminder: your pay cheque is waiting at the office"), _letter(_, employee, text)


def unclaimed_wages(cheque: Cheque, employee: Employee, country: str = "") -> Message:
    _ = _to(employee, country)
    text = _(
        "Our records show an uncashed pay cheque for {date}. Unless you contact us, the funds will be "
        "reported as unclaimed property, as the law requires."
    ).format(date=cheque.pay_date)
    return _("Unclaimed wages: please contact us"), _letter(_, employee, text)


def register_rejected(problems: list[LineProblem], country: str = "") -> Message:
    _ = translator(language_of(None, country))
    lines = "\n".join(
        _("line {line}").format(line=p.line) + f": {p.field + ': ' if p.field else ''}{p.message}"
        for p in problems
    )
    return _("Cheque register rejected"), _("Nothing was imported.") + f"\n\n{lines}\n"


def stale_cheque(cheque: Cheque, country: str = "") -> Message:
    _ = translator(language_of(None, country))
    facts = {"number": cheque.cheque_number, "name": cheque.employee_name, "date": cheque.pay_date}
    return (
        _("Stale cheque {number}").format(**facts),
        _("Cheque {number} ({name}, {date}) is over 180 days old. Reissue or void it.").format(**facts)
        + "\n",
    )


def undistributed(today: date, runs: list[tuple[str, date | None, int]], country: str = "") -> Message:
    """The office's daily list of pay runs with cheques not yet handed over: (run id, pay date, count)."""
    _ = translator(language_of(None, country))
    line = _("- pay run {run} ({date}): {count} cheque(s) not handed over")
    text = "\n".join(line.format(run=run[:12], date=day, count=count) for run, day, count in runs)
    return _("Undistributed cheques on {date}").format(date=today), text + "\n"
