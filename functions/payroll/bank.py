"""What the bank is told and what it tells: Positive Pay issue files, and paid items reconciled."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from core.errors import Conflict, DomainError
from core.i18n import N_
from core.identity import Caller
from core.money import MoneyError, parse_amount
from core.observability import logger
from payroll.base import PayrollBase, unmatched
from payroll.model import Cheque, ChequeStatus, PayRun, RunStatus
from payroll.positive_pay import issue_file

if TYPE_CHECKING:  # the statement reader (and its layer) belongs to the function that reads statements
    from core.statements import StatementLine

EXPORTS = "exports/positive-pay"
CHEQUE_NUMBER = re.compile(r"(?<!\d)\d{6,10}(?!\d)")  # how banks write a cheque's number in a debit's text


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
            raise Conflict(
                N_("the Positive Pay file is written when the run is received"), slug="not-received"
            )
        cheques = self.store.cheques_of_run(run_id)
        stray = unmatched(cheques)
        if stray:
            raise Conflict(
                N_("cheques {cheques} match no employee; link or void each before the bank is told"),
                cheques=stray,
                slug="unmatched-cheques",
                extensions={"unmatched": stray},
            )
        return issue_file(cheques, self.layout)

    def paid_items(self, text: str, caller: Caller) -> dict[str, Any]:
        """The bank's paid items (cheque_number, amount[, account_number]): matching ones become cashed."""
        applied, mismatches = [], []
        for line, raw in enumerate(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))), start=2):
            data = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k}
            number = data.get("cheque_number", "")
            account = data.get("account_number") or self.default_account
            problem = self._cash(account, number, data.get("amount", ""), data.get("paid_date", ""), caller)
            if problem:
                mismatches.append({"line": line, "cheque_number": number, "problem": problem})
            else:
                applied.append(number)
        return {"cashed": applied, "mismatches": mismatches}

    def cleared(self, lines: Iterable[StatementLine], caller: Caller) -> dict[str, int]:
        """A bank statement's debits: each that names an issued cheque's number and pays its exact amount
        cashes it (once: a cheque cashed already is counted, not changed). The paid-items file is the
        special case of a statement of cheques only."""
        counts = {"cashed": 0, "seen_before": 0, "not_cheques": 0}
        for line in lines:
            if line.amount >= 0:
                continue
            numbers = [
                n
                for n in CHEQUE_NUMBER.findall(line.reference)
                if self.store.number_holder(self.default_account, n)
            ]
            if len(numbers) != 1:
                counts["not_cheques"] += 1
                continue
            cheque = self.store.cheque(str(self.store.number_holder(self.default_account, numbers[0])))
            if cheque.status is ChequeStatus.CASHED:
                counts["seen_before"] += 1
                continue
            problem = self._cash(
                self.default_account, numbers[0], -line.amount, line.date.isoformat(), caller
            )
            if problem:
                logger.warning("a statement debit names a cheque it cannot cash", extra={"problem": problem})
                counts["not_cheques"] += 1
            else:
                counts["cashed"] += 1
        return counts

    def _cash(self, account: str, number: str, amount: object, paid_on: str, caller: Caller) -> str | None:
        """Cash the cheque `number` of `account` if the bank paid exactly its amount; else what is wrong."""
        holder = self.store.number_holder(account, number) if number else None
        if holder is None:
            return "no such cheque"
        cheque = self.store.cheque(holder)
        try:
            paid = parse_amount(amount, cheque.currency)
        except MoneyError as error:
            return str(error)
        if paid != cheque.amount:
            return f"paid {paid}, issued for {cheque.amount}"
        try:
            self._change(cheque.id, "cash", caller, paid_on=paid_on)
        except DomainError as error:
            return error.detail
        return None
