"""The office's employees: added, edited, or imported from a CSV list."""

from __future__ import annotations

import csv
import io
from typing import Any

from pydantic import ValidationError

from core.errors import Invalid, not_found
from core.i18n import N_
from core.identity import Caller
from core.validation import field_errors
from payroll.base import PayrollBase
from payroll.model import Employee, EmployeeFields, EmployeePatch


class Employees(PayrollBase):
    def employees(self, cursor: str | None) -> tuple[list[Employee], str | None]:
        return self.store.employees(cursor)

    def employee(self, employee_id: str) -> Employee:
        employee = self.store.employee(employee_id)
        if employee is None:
            raise not_found(N_("employee"), employee_id)
        return employee

    def add_employee(self, fields: EmployeeFields, caller: Caller) -> Employee:
        return self.store.save_employee(
            Employee(**fields.model_dump()), None, caller.actor, self.clock(), "created"
        )

    def edit_employee(self, employee_id: str, patch: EmployeePatch, caller: Caller) -> Employee:
        current = self.store.employee(employee_id)
        if current is None:
            raise not_found(N_("employee"), employee_id)
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
                problems += [{**problem, "line": line} for problem in field_errors(error.errors())]
        if problems:
            raise Invalid(
                N_("{count} problems; nothing was imported"),
                slug="validation",
                errors=problems,
                count=len(problems),
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
