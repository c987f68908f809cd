"""Payroll cheque distribution: registers become tracked cheques, handed over, chased, reconciled.

`Payroll` is the one service the handlers use; each concern lives in its own module:
employees, registers (pay runs), cheques (custody), bank (Positive Pay and paid items),
reports, chase (the daily run) and messages (the emails).
"""

from __future__ import annotations

import os
from functools import cache

from core.clock import system_clock
from core.dynamo import Table
from core.mailer import Mailer
from core.settings import env, settings
from core.storage import ObjectStore
from payroll.chase import DailyChase
from payroll.cheques import ChequeMoves
from payroll.employees import Employees
from payroll.positive_pay import Layout
from payroll.registers import Registers
from payroll.reports import Reports
from payroll.store import PayrollStore


class Payroll(Employees, Registers, ChequeMoves, Reports, DailyChase):
    """Every payroll operation, over one store, one bucket and one mailer."""


@cache
def payroll() -> Payroll:
    office = settings()
    return Payroll(
        store=PayrollStore(Table(env("PAYROLL_TABLE")), env("AUDIT_TABLE")),
        files=ObjectStore(env("DOCUMENTS_BUCKET")),
        mailer=Mailer(env("SENDER_EMAIL"), env("BUSINESS_NAME")),
        clock=system_clock,
        timezone=office.timezone,
        default_currency=office.default_currency,
        default_account=os.environ.get("CHEQUE_ACCOUNT", ""),
        layout=Layout.parse(os.environ.get("POSITIVE_PAY_LAYOUT", "")),
        reminder_days=tuple(int(d) for d in env("CHEQUE_REMINDER_DAYS").split(",") if d.strip()),
        separate_handover=env("SEPARATE_HANDOVER") == "true",
        office_email=env("OFFICE_EMAIL"),
        dormancy_days=int(env("UNCLAIMED_AFTER_DAYS")),
        country=office.country,
        pickup=env("CHEQUE_PICKUP"),
    )
