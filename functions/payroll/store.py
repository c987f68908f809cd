"""Employees, pay runs and cheques in DynamoDB.

Access patterns (PayrollTable):
- an employee by id:                 pk=EMP#{id},               sk=EMP
- all employees by name:             gsi1pk=EMPLOYEES,          gsi1sk={name}#{id}
- a pay run by id (= its document):  pk=RUN#{id},               sk=RUN
- all pay runs by pay date:          gsi1pk=RUNS,               gsi1sk={pay_date}#{id}
- a cheque by id:                    pk=CHQ#{id},               sk=CHQ
- a run's cheques by status:         gsi1pk=RUN#{run},          gsi1sk={status}#{cheque_number}
- an employee's cheques:             gsi2pk=EMPCHQ#{employee},  gsi2sk={pay_date}#{cheque_number}
- a cheque number on an account:     pk=CHQNO#{account}#{no},   sk=CHQNO  (unique across all runs)
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from core.audit import Change, changed_meanwhile, save_with_audit
from core.dynamo import (
    Table,
    Write,
    attributes,
    next_version,
    put,
    put_claim,
    put_versioned,
    transact_chunks,
)
from core.errors import not_found
from core.i18n import N_
from payroll.model import Cheque, ChequeStatus, Employee, PayRun


def employee_item(employee: Employee) -> dict[str, Any]:
    return {
        **employee.model_dump(mode="json", exclude_none=True),
        "pk": f"EMP#{employee.id}",
        "sk": "EMP",
        "gsi1pk": "EMPLOYEES",
        "gsi1sk": f"{employee.name.casefold()}#{employee.id}",
    }


def run_item(run: PayRun) -> dict[str, Any]:
    day = run.pay_date.isoformat() if run.pay_date else run.created_at.date().isoformat()
    return {
        **run.model_dump(mode="json", exclude_none=True),
        "pk": f"RUN#{run.id}",
        "sk": "RUN",
        "gsi1pk": "RUNS",
        "gsi1sk": f"{day}#{run.id}",
    }


def cheque_item(cheque: Cheque) -> dict[str, Any]:
    item = {
        **cheque.model_dump(mode="json", exclude_none=True),
        "pk": f"CHQ#{cheque.id}",
        "sk": "CHQ",
        "gsi1pk": f"RUN#{cheque.payrun_id}",
        "gsi1sk": f"{cheque.status.value}#{cheque.cheque_number}",
    }
    if cheque.employee_id:
        item.update(
            gsi2pk=f"EMPCHQ#{cheque.employee_id}",
            gsi2sk=f"{cheque.pay_date.isoformat()}#{cheque.cheque_number}",
        )
    return item


def number_key(account: str, number: str) -> dict[str, str]:
    return {"pk": f"CHQNO#{account}#{number}", "sk": "CHQNO"}


class PayrollStore:
    def __init__(self, table: Table, audit_table: str) -> None:
        self.table = table
        self.audit_table = audit_table

    # ------------------------------------------------------------- employees
    def employee(self, employee_id: str) -> Employee | None:
        item = self.table.get({"pk": f"EMP#{employee_id}", "sk": "EMP"})
        return Employee.model_validate(attributes(item)) if item else None

    def employees(self, cursor: str | None = None, limit: int = 100) -> tuple[list[Employee], str | None]:
        page = self.table.query(
            "gsi1pk = :pk", index="gsi1", values={":pk": "EMPLOYEES"}, cursor=cursor, limit=limit
        )
        return [Employee.model_validate(attributes(i)) for i in page.items], page.cursor

    def save_employee(
        self, employee: Employee, read_version: int | None, actor: str, at: datetime, action: str
    ) -> Employee:
        stored = next_version(employee, read_version)
        save_with_audit(
            self.table,
            self.audit_table,
            [(put_versioned(self.table.name, employee_item(stored), read_version), "employee", employee.id)],
            Change(action, actor, at),
            conflict=changed_meanwhile(N_("employee")),
        )
        return stored

    # --------------------------------------------------------------- pay runs
    def run(self, run_id: str) -> PayRun:
        item = self.table.get({"pk": f"RUN#{run_id}", "sk": "RUN"})
        if item is None:
            raise not_found(N_("pay run"), run_id)
        return PayRun.model_validate(attributes(item))

    def find_run(self, run_id: str) -> PayRun | None:
        item = self.table.get({"pk": f"RUN#{run_id}", "sk": "RUN"})
        return PayRun.model_validate(attributes(item)) if item else None

    def runs(self, cursor: str | None = None, limit: int = 50) -> tuple[list[PayRun], str | None]:
        page = self.table.query(
            "gsi1pk = :pk", index="gsi1", values={":pk": "RUNS"}, cursor=cursor, limit=limit, forward=False
        )
        return [PayRun.model_validate(attributes(i)) for i in page.items], page.cursor

    def all_runs(self) -> Iterator[PayRun]:
        for item in self.table.query_all("gsi1pk = :pk", index="gsi1", values={":pk": "RUNS"}):
            yield PayRun.model_validate(attributes(item))

    def save_run(
        self,
        run: PayRun,
        read_version: int | None,
        actor: str,
        at: datetime,
        action: str,
        changes: dict[str, Any] | None = None,
    ) -> PayRun:
        stored = next_version(run, read_version)
        save_with_audit(
            self.table,
            self.audit_table,
            [(put_versioned(self.table.name, run_item(stored), read_version), "payrun", run.id)],
            Change(action, actor, at, changes or {}),
            conflict=changed_meanwhile(N_("pay run")),
        )
        return stored

    # ---------------------------------------------------------------- cheques
    def cheque(self, cheque_id: str) -> Cheque:
        item = self.table.get({"pk": f"CHQ#{cheque_id}", "sk": "CHQ"})
        if item is None:
            raise not_found(N_("cheque"), cheque_id)
        return Cheque.model_validate(attributes(item))

    def cheques_of_run(self, run_id: str, status: ChequeStatus | None = None) -> list[Cheque]:
        if status:
            items = self.table.query_all(
                "gsi1pk = :pk AND begins_with(gsi1sk, :prefix)",
                index="gsi1",
                values={":pk": f"RUN#{run_id}", ":prefix": f"{status.value}#"},
            )
        else:
            items = self.table.query_all("gsi1pk = :pk", index="gsi1", values={":pk": f"RUN#{run_id}"})
        return sorted((Cheque.model_validate(attributes(i)) for i in items), key=lambda c: c.cheque_number)

    def cheques_of_employee(self, employee_id: str) -> list[Cheque]:
        items = self.table.query_all(
            "gsi2pk = :pk", index="gsi2", values={":pk": f"EMPCHQ#{employee_id}"}, forward=False
        )
        return [Cheque.model_validate(attributes(i)) for i in items]

    def employees_by_id(self, ids: list[str]) -> dict[str, Employee]:
        items = self.table.get_many([{"pk": f"EMP#{i}", "sk": "EMP"} for i in ids])
        return {str(item["id"]): Employee.model_validate(attributes(item)) for item in items}

    def number_holders(self, numbers: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
        """Which cheque holds each (account, number) already, for those that are taken."""
        items = self.table.get_many([number_key(account, number) for account, number in numbers])
        return {tuple(str(item["pk"]).split("#")[1:3]): str(item["cheque_id"]) for item in items}  # type: ignore[misc]

    def put_cheques(self, cheques: list[Cheque]) -> None:
        """Claim each cheque's number and store it, 50 cheques per transaction (repeatable: a retry
        after a crash writes the same items again)."""
        writes = []
        for cheque in cheques:
            key = number_key(cheque.account_number, cheque.cheque_number)
            writes.append(put_claim(self.table.name, key, "cheque_id", cheque.id))
            writes.append(put(self.table.name, cheque_item(cheque)))
        transact_chunks(self.table.client, writes)

    def number_holder(self, account: str, number: str) -> str | None:
        item = self.table.get(number_key(account, number))
        return str(item["cheque_id"]) if item else None

    def claim_number(self, cheque: Cheque) -> bool:
        """Reserve the cheque number on its account for this cheque (idempotent); False if taken."""
        return self.table.claim(
            number_key(cheque.account_number, cheque.cheque_number), "cheque_id", cheque.id
        )

    def save_cheques(
        self,
        changed: list[tuple[Cheque, int | None]],
        action: str,
        actor: str,
        at: datetime,
        changes: dict[str, Any] | None = None,
        extra: list[Write] | None = None,
    ) -> list[Cheque]:
        """Store changed (or new, read_version None) cheques with their audit entries, atomically."""
        stored = [next_version(cheque, read_version) for cheque, read_version in changed]
        save_with_audit(
            self.table,
            self.audit_table,
            [
                (put_versioned(self.table.name, cheque_item(new), read_version), "cheque", new.id)
                for new, (_, read_version) in zip(stored, changed, strict=True)
            ],
            Change(action, actor, at, changes or {}),
            conflict=changed_meanwhile(N_("cheque")),
            also=extra or [],
        )
        return stored
