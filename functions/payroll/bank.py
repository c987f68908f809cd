"""What the bank is told and what it tells: Positive Pay issue files, and paid items reconciled."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from core.errors import Conflict, DomainError
from core.identity import Caller
from core.money import MoneyError, parse_amount
from payroll.base import PayrollBase, unmatched
from payroll.model import Cheque, PayRun, RunStatus
from payroll.positive_pay import issue_file

EXPORTS = "exports/positive-pay"


class BankFiles(PayrollBase):
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
            raise Conflict("the Positive Pay file is written when the run is received", slug="not-received")
        cheques = self.store.cheques_of_run(run_id)
        stray = unmatched(cheques)
        if stray:
            raise Conflict(
                f"cheques {', '.join(stray)} match no employee; link or void each before the bank is told",
                slug="unmatched-cheques",
                extensions={"unmatched": stray},
            )
        return issue_file(cheques, self.layout)

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
            except DomainError as error:
                mismatches.append({"line": line, "cheque_number": number, "problem": error.detail})
                continue
            applied.append(number)
        return {"cashed": applied, "mismatches": mismatches}
