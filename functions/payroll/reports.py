"""What the office reads about its runs: a run's reconciliation and the cheques left unclaimed."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta
from decimal import Decimal
from typing import Any

from core.money import format_amount
from payroll.base import PayrollBase
from payroll.model import OUTSTANDING, Cheque, ChequeStatus, PayRun, RunStatus


class Reports(PayrollBase):
    def runs(self, cursor: str | None) -> tuple[list[PayRun], str | None]:
        return self.store.runs(cursor)

    def cheque(self, cheque_id: str) -> Cheque:
        return self.store.cheque(cheque_id)

    def cheques(self, run_id: str | None, status: ChequeStatus | None) -> list[Cheque]:
        """The cheques of one run, or of every run; of one status or all."""
        runs = [run_id] if run_id else [run.id for run in self.store.all_runs()]
        return [c for run in runs for c in self.store.cheques_of_run(run, status)]

    def cheques_of_employee(self, employee_id: str) -> list[Cheque]:
        return self.store.cheques_of_employee(employee_id)

    def summary(self, run_id: str) -> dict[str, Any]:
        run = self.store.run(run_id)
        cheques = self.store.cheques_of_run(run_id)
        counts = Counter(c.status.value for c in cheques)
        sums: dict[str, Decimal] = defaultdict(Decimal)
        for c in cheques:
            sums[c.status.value] += c.amount
        issued = sum((c.amount for c in cheques if not c.replaces), Decimal(0))
        currency = run.currency or self.default_currency
        return {
            **run.model_dump(mode="json"),
            "by_status": {
                s: {"count": counts[s], "sum": format_amount(sums[s], currency)} for s in sorted(counts)
            },
            "reconciliation": {
                "control_total": format_amount(run.total, currency),
                "cheques_total": format_amount(issued, currency),
                "balanced": issued == run.total,
            },
        }

    def unclaimed(self) -> list[Cheque]:
        today = self.today()
        dormant = timedelta(days=self.dormancy_days)
        return [
            c
            for run in self.store.all_runs()
            if run.status in (RunStatus.RECEIVED, RunStatus.CLOSED)
            for c in self.store.cheques_of_run(run.id)
            if c.status in OUTSTANDING and today - c.pay_date >= dormant
        ]
