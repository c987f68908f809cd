"""Payroll cheque distribution: import registers, hand cheques over, chase, void, reissue, reconcile."""

from __future__ import annotations

import csv
import hashlib
import io
import os
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from core.clock import Clock, business_date, business_days_between, system_clock
from core.dynamo import Table
from core.identity import Caller
from core.mailer import Mailer
from core.money import MoneyError, format_amount, parse_amount
from core.observability import logger, metrics
from core.problems import Problem, conflict, not_found
from core.settings import env, settings
from core.storage import ObjectStore
from payroll import duties, lifecycle
from payroll.model import (
    OUTSTANDING,
    Cheque,
    ChequeStatus,
    Delivery,
    Employee,
    EmployeeFields,
    EmployeePatch,
    Handover,
    PayRun,
    RegisterSource,
    ReissueRequest,
    RunStatus,
    Step,
)
from payroll.positive_pay import Layout, issue_file
from payroll.register import read_register
from payroll.store import PayrollStore

SYSTEM = "system:payroll"
EXPORTS = "exports/positive-pay"

CHEQUES_PER_TRANSACTION = 50  # a cheque and its audit entry: 100 items, DynamoDB's limit


def unmatched(cheques: Iterable[Cheque]) -> list[str]:
    """The numbers of cheques that name no employee of the office (the bank must not honour them yet)."""
    return sorted(c.cheque_number for c in cheques if c.status is ChequeStatus.UNMATCHED)


def cheque_id(run_id: str, number: str) -> str:
    return hashlib.sha256(f"{run_id}\n{number}".encode()).hexdigest()[:24]


@dataclass
class Payroll:
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

    def today(self) -> date:
        return business_date(self.clock(), self.timezone)

    # ------------------------------------------------------------- employees
    def add_employee(self, fields: EmployeeFields, caller: Caller) -> Employee:
        return self.store.save_employee(
            Employee(**fields.model_dump()), None, caller.actor, self.clock(), "created"
        )

    def edit_employee(self, employee_id: str, patch: EmployeePatch, caller: Caller) -> Employee:
        current = self.store.employee(employee_id)
        if current is None:
            raise not_found("employee", employee_id)
        changed = current.model_copy(update=patch.model_dump(exclude_unset=True))
        EmployeeFields.model_validate(changed.model_dump())
        return self.store.save_employee(changed, current.version, caller.actor, self.clock(), "edited")

    def import_employees(self, text: str, caller: Caller) -> dict[str, Any]:
        """Create or update every employee of a CSV list (id, name, email, department, delivery, …)."""
        rows, problems = [], []
        for line, raw in enumerate(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))), start=2):
            data = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k}
            try:
                rows.append(EmployeeFields.model_validate({k: v for k, v in data.items() if v}))
            except ValidationError as error:
                problems += [
                    {"line": line, "field": ".".join(map(str, e["loc"])), "message": e["msg"]}
                    for e in error.errors()
                ]
        if problems:
            raise Problem(
                422, f"{len(problems)} problems; nothing was imported", slug="validation", errors=problems
            )
        created = updated = 0
        for fields in rows:
            current = self.store.employee(fields.id)
            if current is None:
                self.add_employee(fields, caller)
                created += 1
            elif current.model_dump(exclude={"version"}) != fields.model_dump():
                self.store.save_employee(
                    Employee(**fields.model_dump()), current.version, caller.actor, self.clock(), "imported"
                )
                updated += 1
        return {"created": created, "updated": updated, "unchanged": len(rows) - created - updated}

    # ------------------------------------------------------------- registers
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
            if holder and holder != cheque_id(document_id, row.cheque_number):
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
            lines = "\n".join(
                f"line {p.line}: {p.field + ': ' if p.field else ''}{p.message}" for p in register.problems
            )
            self.mailer.send(
                self.office_email, "Cheque register rejected", f"Nothing was imported.\n\n{lines}\n"
            )
            metrics.add_metric(name="RegistersRejected", unit="Count", value=1)
            return saved
        employees = self.store.employees_by_id([row.employee_id for row in register.rows])
        cheques = []
        for row in register.rows:
            employee = employees.get(row.employee_id)
            status = ChequeStatus.RECEIVED if employee else ChequeStatus.UNMATCHED
            cheques.append(
                Cheque(
                    id=cheque_id(document_id, row.cheque_number),
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
        except Problem as problem:
            if problem.status == 409:
                raise conflict("a cheque number was claimed by another run meanwhile; retrying") from None
            raise
        metrics.add_metric(name="RegistersImported", unit="Count", value=1)
        return self.store.save_run(run, None, SYSTEM, now, "imported", {"cheques": len(register.rows)})

    def receive(self, run_id: str, caller: Caller) -> PayRun:
        """The printed bundle arrived: cheques become ready, employees are told, the bank is told."""
        run = self.store.run(run_id)
        if run.status is not RunStatus.IMPORTED:
            raise conflict(
                f"pay run is {run.status.value}; only an imported run is received", slug="illegal-transition"
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

    def _tell_ready(self, cheque: Cheque, employee: Employee | None) -> None:
        if employee is None or not employee.active:
            return
        amount = f"{format_amount(cheque.amount, cheque.currency)} {cheque.currency}"
        if employee.delivery is Delivery.MAIL:
            subject, text = (
                "Your pay cheque will be mailed",
                f"Your cheque of {amount} for {cheque.pay_date} will be posted to you.",
            )
        else:
            subject = "Your pay cheque is ready for pickup"
            text = f"Your cheque of {amount} for {cheque.pay_date} is ready at the office. Bring photo ID."
        self.mailer.send(employee.email, subject, f"Dear {employee.name},\n\n{text}\n")

    # ---------------------------------------------------------------- cheques
    def _change(self, cheque_id_: str, action: str, caller: Caller, **detail: str) -> Cheque:
        cheque = self.store.cheque(cheque_id_)
        moved = lifecycle.move(cheque, action, by=caller.actor, at=self.clock(), **detail)
        return self.store.save_cheques([(moved, cheque.version)], action, caller.actor, self.clock(), detail)[
            0
        ]

    def _separated(self, cheque: Cheque, step: str, caller: Caller) -> None:
        if self.separate_handover:
            duties.check(self.store.run(cheque.payrun_id), cheque, step, caller.actor)

    def mail(self, cheque_id_: str, tracking: str, caller: Caller) -> Cheque:
        self._separated(self.store.cheque(cheque_id_), "mail", caller)
        return self._change(cheque_id_, "mail", caller, tracking=tracking)

    def handover(self, cheque_id_: str, request: Handover, caller: Caller) -> Cheque:
        self._separated(self.store.cheque(cheque_id_), "handover", caller)
        return self._change(
            cheque_id_, "handover", caller, received_by=request.received_by, method=request.method
        )

    def acknowledge(self, cheque_id_: str, caller: Caller) -> Cheque:
        """An employee confirms they have their own cheque; anyone else's does not exist for them."""
        cheque = self.store.cheque(cheque_id_)
        if not caller.employee_id or cheque.employee_id != caller.employee_id:
            raise not_found("cheque", cheque_id_)
        handed = self._change(
            cheque_id_, "acknowledge", caller, received_by=caller.employee_id, method="self"
        )
        metrics.add_metric(name="ChequesHandedOver", unit="Count", value=1)
        return handed

    def void(self, cheque_id_: str, reason: str, caller: Caller) -> Cheque:
        cheque = self._change(cheque_id_, "void", caller, reason=reason)
        if cheque.history[-2].status is ChequeStatus.UNMATCHED:  # the step before this void
            self._export_when_matched(cheque.payrun_id, caller)
        else:
            self._export([cheque], self.store.run(cheque.payrun_id), f"void-{cheque.cheque_number}")
        return cheque

    def reissue(self, cheque_id_: str, request: ReissueRequest, caller: Caller) -> tuple[Cheque, Cheque]:
        """Void the cheque and issue a new number for the same payment, linked both ways."""
        old = self.store.cheque(cheque_id_)
        self._separated(old, "reissue", caller)
        now = self.clock()
        new_id = cheque_id(old.payrun_id, request.new_cheque_number)
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
            raise conflict(f"cheque number {request.new_cheque_number} is already used on this account")
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

    def link(self, cheque_id_: str, employee_id: str, caller: Caller) -> Cheque:
        """Staff match an unmatched cheque to an employee."""
        if self.store.employee(employee_id) is None:
            raise Problem(422, f"no employee {employee_id}", slug="unknown-employee")
        cheque = self.store.cheque(cheque_id_)
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

    def paid_items(self, text: str, caller: Caller) -> dict[str, Any]:
        """The bank's paid items (cheque_number, amount[, account_number]): matching ones become cashed."""
        applied, mismatches = [], []
        for line, raw in enumerate(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))), start=2):
            data = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k}
            number, account = (
                data.get("cheque_number", ""),
                data.get("account_number") or self.default_account,
            )
            holder = self.store.number_holder(account, number) if number else None
            if holder is None:
                mismatches.append({"line": line, "cheque_number": number, "problem": "no such cheque"})
                continue
            cheque = self.store.cheque(holder)
            try:
                amount = parse_amount(data.get("amount", ""), cheque.currency)
            except MoneyError as error:
                mismatches.append({"line": line, "cheque_number": number, "problem": str(error)})
                continue
            if amount != cheque.amount:
                mismatches.append(
                    {
                        "line": line,
                        "cheque_number": number,
                        "problem": f"paid {amount}, issued for {cheque.amount}",
                    }
                )
                continue
            try:
                self._change(cheque.id, "cash", caller, paid_on=data.get("paid_date", ""))
            except Problem as problem:
                mismatches.append({"line": line, "cheque_number": number, "problem": problem.detail})
                continue
            applied.append(number)
        return {"cashed": applied, "mismatches": mismatches}

    # ----------------------------------------------------------------- exports
    def _export(self, cheques: Iterable[Cheque], run: PayRun, label: str) -> str:
        """Write a Positive Pay issue file for these cheques; returns its key."""
        now = self.clock()
        account = run.account_number or self.default_account
        key = f"{EXPORTS}/{account}/{now:%Y%m%d-%H%M%S-%f}-{label}.csv"
        self.files.put(key, issue_file(cheques, self.layout).encode(), "text/csv", {"payrun-id": run.id})
        return key

    def _export_when_matched(self, run_id: str, caller: Caller) -> None:
        """The run's bank file, once its last unmatched cheque is linked or voided after receipt."""
        run = self.store.run(run_id)
        cheques = self.store.cheques_of_run(run_id)
        label = f"run-{run_id[:12]}"
        if run.status is not RunStatus.RECEIVED or unmatched(cheques) or any(label in e for e in run.exports):
            return
        export = self._export(cheques, run, label)
        self.store.save_run(
            run.model_copy(update={"exports": [*run.exports, export]}),
            run.version,
            caller.actor,
            self.clock(),
            "exported",
        )

    def positive_pay(self, run_id: str) -> str:
        run = self.store.run(run_id)
        if run.status in (RunStatus.REJECTED, RunStatus.IMPORTED):
            raise conflict("the Positive Pay file is written when the run is received", slug="not-received")
        cheques = self.store.cheques_of_run(run_id)
        stray = unmatched(cheques)
        if stray:
            raise Problem(
                409,
                f"cheques {', '.join(stray)} match no employee; link or void each before the bank is told",
                slug="unmatched-cheques",
                extensions={"unmatched": stray},
            )
        return issue_file(cheques, self.layout)

    # ------------------------------------------------------------------ reports
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

    # -------------------------------------------------------------- daily run
    def daily(self) -> dict[str, int]:
        """Remind employees, mark stale cheques, send due-diligence letters, digest, close finished runs."""
        today, now = self.today(), self.clock()
        counts: Counter[str] = Counter()
        digest: list[str] = []
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
                digest.append(
                    f"- pay run {run.id[:12]} ({run.pay_date}): {outstanding} cheque(s) not handed over"
                )
            else:
                self.store.save_run(
                    run.model_copy(update={"status": RunStatus.CLOSED}), run.version, SYSTEM, now, "closed"
                )
                counts["closed"] += 1
        if digest:
            self.mailer.send(self.office_email, f"Undistributed cheques on {today}", "\n".join(digest) + "\n")
        return dict(counts)

    def _chase(self, cheque: Cheque, today: date, now: datetime) -> Counter[str]:
        done: Counter[str] = Counter()
        if lifecycle.is_stale(cheque, today):
            moved = lifecycle.move(cheque, "stale", by=SYSTEM, at=now)
            saved = self._save_or_skip(moved, cheque.version, "stale")
            if saved is None:
                return done
            cheque = saved
            self.mailer.send(
                self.office_email,
                f"Stale cheque {moved.cheque_number}",
                f"Cheque {moved.cheque_number} ({moved.employee_name}, {moved.pay_date}) is over 180 days "
                "old. Reissue or void it.\n",
            )
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
        except Problem as problem:
            if problem.status != 409:
                raise
            logger.info("cheque changed during the run; next run", extra={"cheque_id": cheque.id})
            return None

    def _remind(self, cheque: Cheque, stage: int) -> None:
        employee = self.store.employee(cheque.employee_id or "")
        if employee and employee.active:
            self.mailer.send(
                employee.email,
                "Reminder: your pay cheque is waiting at the office",
                f"Dear {employee.name},\n\nYour cheque for {cheque.pay_date} has been ready for "
                f"{stage} business days. Please collect it; bring photo ID.\n",
            )

    def _due_diligence(self, cheque: Cheque) -> None:
        employee = self.store.employee(cheque.employee_id or "")
        if employee:
            self.mailer.send(
                employee.email,
                "Unclaimed wages: please contact us",
                f"Dear {employee.name},\n\nOur records show an uncashed pay cheque for {cheque.pay_date}. "
                "Unless you contact us, the funds will be reported as unclaimed property, "
                "as the law requires.\n",
            )


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
    )
