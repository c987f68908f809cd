"""Bank statement lines and remembered payers in DynamoDB (BankTable), each change with its audit entry.

Access patterns:
- a bank statement line:  pk=BANKLINE#{id}, sk=BANKLINE, and while it waits for a person
  gsi2pk=UNMATCHED, gsi2sk={date}#{id} (sparse)
- a payer remembered:     pk=PAYER#{key},   sk=PAYER, listed by gsi1pk=PAYERS
"""

from __future__ import annotations

from datetime import datetime

from banking.model import BankLine, BankLineStatus
from core.audit import Change, changed_meanwhile, save_with_audit
from core.dynamo import Table, attributes, next_version, put, put_versioned
from core.i18n import N_


class BankStore:
    def __init__(self, table: Table, audit_table: str) -> None:
        self.table = table
        self.audit_table = audit_table

    def bank_line(self, line_id: str) -> BankLine | None:
        found = self.table.get({"pk": f"BANKLINE#{line_id}", "sk": "BANKLINE"})
        return BankLine.model_validate(attributes(found)) if found else None

    def unmatched_lines(self) -> list[BankLine]:
        return [BankLine.model_validate(attributes(i)) for i in self.table.up_to("gsi2", "UNMATCHED", "~")]

    def save_bank_line(
        self, line: BankLine, *, read_version: int | None, action: str, actor: str, at: datetime
    ) -> BankLine:
        """Store a line's outcome with its audit entry; `ConditionFailed` if it changed since read."""
        stored = next_version(line, read_version)
        row = {
            **stored.model_dump(mode="json", exclude_none=True),
            "pk": f"BANKLINE#{line.id}",
            "sk": "BANKLINE",
        }
        if line.status is BankLineStatus.UNMATCHED:
            row.update(gsi2pk="UNMATCHED", gsi2sk=f"{line.date.isoformat()}#{line.id}")
        changes = {"status": line.status.value, "invoice_id": line.invoice_id, "rule": line.rule}
        save_with_audit(
            self.table,
            self.audit_table,
            [(put_versioned(self.table.name, row, read_version), "bank_line", line.id)],
            Change(action, actor, at, {k: v for k, v in changes.items() if v}),
            conflict=changed_meanwhile(N_("bank line")),
        )
        return stored

    def payers(self) -> dict[str, str]:
        """Payers a person assigned before: their key → the customer's email."""
        return {str(i["key"]): str(i["email"]) for i in self.table.up_to("gsi1", "PAYERS", "~")}

    def remember_payer(self, key: str, email: str, actor: str, at: datetime) -> None:
        row = {"pk": f"PAYER#{key}", "sk": "PAYER", "gsi1pk": "PAYERS", "gsi1sk": key}
        save_with_audit(
            self.table,
            self.audit_table,
            [(put(self.table.name, {**row, "key": key, "email": email}), "payer", key)],
            Change("payer_remembered", actor, at, {"email": email}),
            conflict=changed_meanwhile(N_("payer")),
        )
