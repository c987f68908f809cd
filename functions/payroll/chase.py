"""The daily run: remind employees, mark stale cheques, send due-diligence letters, close finished runs."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

from core.clock import business_days_between
from core.errors import ConditionFailed
from core.observability import logger
from payroll import lifecycle, messages
from payroll.base import SYSTEM, PayrollBase
from payroll.model import OUTSTANDING, Cheque, ChequeStatus, RunStatus


class DailyChase(PayrollBase):
    def daily(self) -> dict[str, int]:
        """Remind employees, mark stale cheques, send due-diligence letters, digest, close finished runs."""
        today, now = self.today(), self.clock()
        counts: Counter[str] = Counter()
        digest: list[tuple[str, date | None, int]] = []
        for run in self.store.all_runs():
            if run.status is not RunStatus.RECEIVED:
                continue
            outstanding = 0
            for cheque in self.store.cheques_of_run(run.id):
                if cheque.status not in OUTSTANDING:
                    continue
                outstanding += 1
                counts.update(self._chase(cheque, today, now))
            if outstanding:
                digest.append((run.id, run.pay_date, outstanding))
            else:
                self.store.save_run(
                    run.model_copy(update={"status": RunStatus.CLOSED}), run.version, SYSTEM, now, "closed"
                )
                counts["closed"] += 1
        if digest:
            self.mailer.send(self.office_email, *messages.undistributed(today, digest, self.country))
        return dict(counts)

    def _chase(self, cheque: Cheque, today: date, now: datetime) -> Counter[str]:
        done: Counter[str] = Counter()
        if lifecycle.is_stale(cheque, today):
            moved = lifecycle.move(cheque, "stale", by=SYSTEM, at=now)
            saved = self._save_or_skip(moved, cheque.version, "stale")
            if saved is None:
                return done
            cheque = saved
            self.mailer.send(self.office_email, *messages.stale_cheque(moved, self.country))
            done["stale"] += 1
        if cheque.status is ChequeStatus.READY and cheque.ready_on:
            waited = business_days_between(cheque.ready_on, today)
            stage = max((d for d in self.reminder_days if d <= waited), default=None)
            if stage is not None and stage not in cheque.reminders:
                claimed = self._save_or_skip(
                    cheque.model_copy(update={"reminders": [*cheque.reminders, stage]}),
                    cheque.version,
                    "reminded",
                )
                if claimed:
                    self._remind(claimed, stage)
                    cheque = claimed
                    done["reminders"] += 1
        if (
            today - cheque.pay_date >= timedelta(days=self.dormancy_days)
            and cheque.due_diligence_sent is None
        ):
            claimed = self._save_or_skip(
                cheque.model_copy(update={"due_diligence_sent": today}), cheque.version, "due_diligence"
            )
            if claimed:
                self._due_diligence(claimed)
                done["due_diligence"] += 1
        return done

    def _save_or_skip(self, cheque: Cheque, read_version: int, action: str) -> Cheque | None:
        try:
            return self.store.save_cheques([(cheque, read_version)], action, SYSTEM, self.clock())[0]
        except ConditionFailed:
            logger.info("cheque changed during the run; next run", extra={"cheque_id": cheque.id})
            return None

    def _remind(self, cheque: Cheque, stage: int) -> None:
        employee = self.store.employee(cheque.employee_id or "")
        if employee and employee.active:
            self.mailer.send(
                employee.email, *messages.pickup_reminder(cheque, employee, stage, self.country, self.pickup)
            )

    def _due_diligence(self, cheque: Cheque) -> None:
        employee = self.store.employee(cheque.employee_id or "")
        if employee:
            self.mailer.send(employee.email, *messages.unclaimed_wages(cheque, employee, self.country))
