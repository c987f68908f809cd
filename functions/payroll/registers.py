"""Pay runs: a provider's register becomes tracked cheques, and the printed bundle is received."""

from __future__ import annotations

from core.errors import ConditionFailed, Conflict
from core.i18n import N_
from core.identity import Caller
from core.observability import logger, metrics
from payroll import lifecycle, messages
from payroll.bank import BankFiles
from payroll.base import SYSTEM, cheque_key, unmatched
from payroll.model import Cheque, ChequeStatus, PayRun, RegisterSource, RunStatus, Step
from payroll.register_file import read_register

CHEQUES_PER_TRANSACTION = 50  # a cheque and its audit entry: 100 items, DynamoDB's limit


class Registers(BankFiles):
    def import_register(self, document_id: str, key: str, source: RegisterSource) -> PayRun | None:
        """A pay run from a filed register document: all cheques, or a rejection listing every problem.
        None if the document's file is gone (reclassified or moved since): there is nothing to import."""
        existing = self.store.find_run(document_id)
        if existing:
            return existing
        if self.files.head(key) is None:
            logger.warning("register file not found; nothing imported", extra={"document_id": document_id})
            return None
        text = self.files.read_text(key)
        register = read_register(text, self.default_currency, self.default_account)
        holders = self.store.number_holders(
            [(row.account_number, row.cheque_number) for row in register.rows]
        )
        for row in register.rows:
            holder = holders.get((row.account_number, row.cheque_number))
            if holder and holder != cheque_key(document_id, row.cheque_number):
                register.problem(
                    row.line, f"cheque {row.cheque_number} was already issued in another run", "cheque_number"
                )
        now = self.clock()
        first = register.rows[0] if register.rows else None
        run = PayRun(
            id=document_id,
            status=RunStatus.REJECTED if register.problems else RunStatus.IMPORTED,
            document_id=document_id,
            source_key=key,
            provenance=source,
            pay_date=first.pay_date if first else None,
            account_number=first.account_number if first else None,
            currency=first.currency if first else None,
            cheque_count=len(register.rows),
            total=register.total,
            problems=register.problems,
            created_at=now,
        )
        if register.problems:
            saved = self.store.save_run(
                run, None, SYSTEM, now, "rejected", {"problems": len(register.problems)}
            )
            self.mailer.send(self.office_email, *messages.register_rejected(register.problems, self.country))
            metrics.add_metric(name="RegistersRejected", unit="Count", value=1)
            return saved
        employees = self.store.employees_by_id([row.employee_id for row in register.rows])
        cheques = []
        for row in register.rows:
            employee = employees.get(row.employee_id)
            status = ChequeStatus.RECEIVED if employee else ChequeStatus.UNMATCHED
            cheques.append(
                Cheque(
                    id=cheque_key(document_id, row.cheque_number),
                    payrun_id=document_id,
                    cheque_number=row.cheque_number,
                    account_number=row.account_number,
                    employee_id=employee.id if employee else None,
                    employee_name=row.employee_name,
                    amount=row.amount,
                    currency=row.currency,
                    pay_date=row.pay_date,
                    period_start=row.period_start,
                    period_end=row.period_end,
                    status=status,
                    history=[Step(status=status, at=now, by=SYSTEM, detail={"line": str(row.line)})],
                )
            )
        try:
            self.store.put_cheques(cheques)
        except ConditionFailed:
            raise Conflict(N_("a cheque number was claimed by another run meanwhile; retrying")) from None
        metrics.add_metric(name="RegistersImported", unit="Count", value=1)
        return self.store.save_run(run, None, SYSTEM, now, "imported", {"cheques": len(register.rows)})

    def receive(self, run_id: str, caller: Caller) -> PayRun:
        """The printed bundle arrived: cheques become ready, employees are told, the bank is told."""
        run = self.store.run(run_id)
        if run.status is not RunStatus.IMPORTED:
            raise Conflict(
                N_("the pay run is {status}; only an imported run is received"),
                slug="illegal-transition",
                status=run.status,
            )
        now, today = self.clock(), self.today()
        ready: list[Cheque] = []
        waiting = self.store.cheques_of_run(run_id, ChequeStatus.RECEIVED)
        for start in range(0, len(waiting), CHEQUES_PER_TRANSACTION):
            moved: list[tuple[Cheque, int | None]] = [
                (
                    lifecycle.move(cheque, "receive", by=caller.actor, at=now).model_copy(
                        update={"ready_on": today}
                    ),
                    cheque.version,
                )
                for cheque in waiting[start : start + CHEQUES_PER_TRANSACTION]
            ]
            ready += self.store.save_cheques(moved, "ready", caller.actor, now)
        received = run.model_copy(
            update={"status": RunStatus.RECEIVED, "received_at": now, "received_by": caller.actor}
        )
        cheques = self.store.cheques_of_run(run_id)
        if not unmatched(cheques):
            export = self._export(cheques, run, f"run-{run_id[:12]}")
            received = received.model_copy(update={"exports": [*run.exports, export]})
        saved = self.store.save_run(
            received, run.version, caller.actor, now, "received", {"ready": len(ready)}
        )
        employees = self.store.employees_by_id(sorted({c.employee_id for c in ready if c.employee_id}))
        for cheque in ready:
            self._tell_ready(cheque, employees.get(cheque.employee_id or ""))
        return saved
