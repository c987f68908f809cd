"""A cheque's custody after receipt: handed over, mailed, acknowledged, voided, reissued, linked."""

from __future__ import annotations

from core.errors import Conflict, Invalid, not_found
from core.i18n import N_
from core.identity import Caller
from core.observability import metrics
from payroll import lifecycle
from payroll.bank import BankFiles
from payroll.base import cheque_key
from payroll.model import Cheque, ChequeStatus, Handover, ReissueRequest, RunStatus, Step


class ChequeMoves(BankFiles):
    def mail(self, cheque_id: str, tracking: str, caller: Caller) -> Cheque:
        self._separated(self.store.cheque(cheque_id), "mail", caller)
        return self._change(cheque_id, "mail", caller, tracking=tracking)

    def handover(self, cheque_id: str, request: Handover, caller: Caller) -> Cheque:
        self._separated(self.store.cheque(cheque_id), "handover", caller)
        return self._change(
            cheque_id, "handover", caller, received_by=request.received_by, method=request.method
        )

    def acknowledge(self, cheque_id: str, caller: Caller) -> Cheque:
        """An employee confirms they have their own cheque; anyone else's does not exist for them."""
        cheque = self.store.cheque(cheque_id)
        if not caller.employee_id or cheque.employee_id != caller.employee_id:
            raise not_found(N_("cheque"), cheque_id)
        handed = self._change(cheque_id, "acknowledge", caller, received_by=caller.employee_id, method="self")
        metrics.add_metric(name="ChequesHandedOver", unit="Count", value=1)
        return handed

    def void(self, cheque_id: str, reason: str, caller: Caller) -> Cheque:
        cheque = self._change(cheque_id, "void", caller, reason=reason)
        if cheque.history[-2].status is ChequeStatus.UNMATCHED:  # the step before this void
            self._export_when_matched(cheque.payrun_id, caller)
        else:
            self._export([cheque], self.store.run(cheque.payrun_id), f"void-{cheque.cheque_number}")
        return cheque

    def reissue(self, cheque_id: str, request: ReissueRequest, caller: Caller) -> tuple[Cheque, Cheque]:
        """Void the cheque and issue a new number for the same payment, linked both ways."""
        old = self.store.cheque(cheque_id)
        self._separated(old, "reissue", caller)
        now = self.clock()
        new_id = cheque_key(old.payrun_id, request.new_cheque_number)
        voided = lifecycle.move(
            old, "void", by=caller.actor, at=now, reason=request.reason, replaced_by=new_id
        )
        status = (
            ChequeStatus.READY
            if old.status in (ChequeStatus.READY, ChequeStatus.MAILED, ChequeStatus.STALE)
            else ChequeStatus.RECEIVED
        )
        fresh = old.model_copy(
            update={
                "id": new_id,
                "cheque_number": request.new_cheque_number,
                "status": status,
                "ready_on": self.today() if status is ChequeStatus.READY else None,
                "reminders": [],
                "replaces": old.id,
                "replaced_by": None,
                "history": [
                    Step(status=status, at=now, by=caller.actor, detail={"replaces": old.cheque_number})
                ],
                "version": 1,
            }
        )
        if not self.store.claim_number(fresh):
            raise Conflict(
                N_("cheque number {number} is already used on this account"), number=request.new_cheque_number
            )
        voided = voided.model_copy(update={"replaced_by": new_id})
        stored = self.store.save_cheques(
            [(voided, old.version), (fresh, None)],
            "reissued",
            caller.actor,
            now,
            {"new_cheque_number": request.new_cheque_number},
        )
        self._export(stored, self.store.run(old.payrun_id), f"reissue-{old.cheque_number}")
        if status is ChequeStatus.READY:
            self._tell_ready(stored[1], self.store.employee(stored[1].employee_id or ""))
        return stored[0], stored[1]

    def link(self, cheque_id: str, employee_id: str, caller: Caller) -> Cheque:
        """Staff match an unmatched cheque to an employee."""
        if self.store.employee(employee_id) is None:
            raise Invalid(N_("no employee {employee}"), slug="unknown-employee", employee=employee_id)
        cheque = self.store.cheque(cheque_id)
        self._separated(cheque, "link", caller)
        moved = lifecycle.move(cheque, "match", by=caller.actor, at=self.clock(), employee_id=employee_id)
        moved = moved.model_copy(update={"employee_id": employee_id})
        run = self.store.run(cheque.payrun_id)
        if run.status is RunStatus.RECEIVED:
            moved = lifecycle.move(moved, "receive", by=caller.actor, at=self.clock()).model_copy(
                update={"ready_on": self.today()}
            )
        saved = self.store.save_cheques(
            [(moved, cheque.version)], "matched", caller.actor, self.clock(), {"employee_id": employee_id}
        )[0]
        if saved.status is ChequeStatus.READY:
            self._tell_ready(saved, self.store.employee(employee_id))
        self._export_when_matched(run.id, caller)
        return saved
