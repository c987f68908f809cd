"""What every part of payroll shares: the office's settings, its store, and one cheque's move."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from core.clock import Clock, business_date
from core.identity import Caller
from core.mailer import Mailer
from core.storage import ObjectStore
from payroll import duties, lifecycle, messages
from payroll.model import Cheque, ChequeStatus, Employee
from payroll.positive_pay import Layout
from payroll.store import PayrollStore

SYSTEM = "system:payroll"


def unmatched(cheques: Iterable[Cheque]) -> list[str]:
    """The numbers of cheques that name no employee of the office (the bank must not honour them yet)."""
    return sorted(c.cheque_number for c in cheques if c.status is ChequeStatus.UNMATCHED)


def cheque_key(run_id: str, number: str) -> str:
    """A cheque's id: the same for the same line of the same run, however often it is imported."""
    return hashlib.sha256(f"{run_id}\n{number}".encode()).hexdigest()[:24]


@dataclass
class PayrollBase:
    store: PayrollStore
    files: ObjectStore
    mailer: Mailer
    clock: Clock
    timezone: ZoneInfo
    default_currency: str
    default_account: str
    layout: Layout
    reminder_days: tuple[int, ...]
    separate_handover: bool
    office_email: str
    dormancy_days: int
    country: str = "US"
    pickup: str = "the office"

    def today(self) -> date:
        return business_date(self.clock(), self.timezone)

    def _change(self, cheque_id: str, action: str, caller: Caller, **detail: str) -> Cheque:
        cheque = self.store.cheque(cheque_id)
        moved = lifecycle.move(cheque, action, by=caller.actor, at=self.clock(), **detail)
        return self.store.save_cheques([(moved, cheque.version)], action, caller.actor, self.clock(), detail)[
            0
        ]

    def _separated(self, cheque: Cheque, step: str, caller: Caller) -> None:
        if self.separate_handover:
            duties.check(self.store.run(cheque.payrun_id), cheque, step, caller.actor)

    def _tell_ready(self, cheque: Cheque, employee: Employee | None) -> None:
        if employee is not None and employee.active:
            self.mailer.send(
                employee.email, *messages.cheque_ready(cheque, employee, self.country, self.pickup)
            )
