"""Bank statements reconciled with invoices: each credit matched (see `matching`) is recorded as the
invoice's payment through invoicing's interface, exactly once however often the statement is
imported; the rest wait for a person.

A line's payment carries the line's id, so a retried or repeated import that reaches an invoice again
finds it recorded and only finishes writing the line's outcome.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from banking.matching import Match, Rule, match, payer_key
from banking.model import BankLine, BankLineStatus, StatementImport
from banking.store import BankStore
from core.clock import Clock, system_clock
from core.dynamo import Table
from core.errors import Conflict, DomainError, not_found
from core.i18n import N_
from core.identity import Caller
from core.settings import env
from core.statements import StatementLine, read_statement
from invoicing.interface import OpenInvoice, open_invoices, record_payment

SETTLED = (BankLineStatus.MATCHED, BankLineStatus.ASSIGNED, BankLineStatus.IGNORED, BankLineStatus.OUTGOING)


@dataclass
class Reconciler:
    store: BankStore
    clock: Clock
    owing: Callable[[], list[OpenInvoice]] = field(default=open_invoices)
    pay: Callable[..., OpenInvoice] = field(default=record_payment)

    def import_statement(self, data: bytes, source: str, caller: Caller) -> StatementImport:
        """Read a statement and settle each of its lines once; `Invalid` names what cannot be read."""
        statement = read_statement(data)
        owing = {invoice.id: invoice for invoice in self.owing()}
        payers = self.store.payers()
        counts = {"matched": 0, "unmatched": 0, "seen_before": 0, "outgoing": 0}
        lines = []
        for line in statement.lines:
            before = self.store.bank_line(line.id)
            if before and before.status in SETTLED:
                counts["seen_before"] += 1
                lines.append(before)
                continue
            found = match(line, list(owing.values()), payers) if line.amount > 0 else None
            outcome, paid = self._settle(line, before, found, source, caller)
            if paid:
                owing[paid.id] = paid  # a second credit for it sees what it owes now
            waited = before is not None and outcome.status is BankLineStatus.UNMATCHED
            counts["seen_before" if waited else outcome.status.value] += 1
            lines.append(outcome)
        return StatementImport(format=statement.format, account=statement.account, lines=lines, **counts)

    def _settle(
        self, line: StatementLine, before: BankLine | None, found: Match | None, source: str, caller: Caller
    ) -> tuple[BankLine, OpenInvoice | None]:
        """The line's outcome, and the invoice it paid if it paid one now."""
        record = before or BankLine(
            id=line.id,
            date=line.date,
            amount=line.amount,
            currency=line.currency,
            reference=line.reference,
            payer=line.payer,
            account=line.account,
            source=source,
            status=BankLineStatus.UNMATCHED,
            imported_at=self.clock(),
        )
        if line.amount < 0:
            outgoing = record.model_copy(update={"status": BankLineStatus.OUTGOING})
            return self._save(outgoing, before, caller), None
        note = None
        if found:
            try:
                invoice = self._pay(record, found.invoice.id, found.rule, caller)
                paid = self._paid(record, invoice, found.rule, BankLineStatus.MATCHED)
                return self._save(paid, before, caller), invoice
            except DomainError as refused:  # e.g. the invoice was voided or paid meanwhile
                note = refused.detail
        if before:
            return before, None
        return self._save(record.model_copy(update={"note": note}), None, caller), None

    def _pay(self, line: BankLine, invoice_id: str, rule: Rule, caller: Caller) -> OpenInvoice:
        return self.pay(
            invoice_id,
            amount=line.amount,
            day=line.date,
            reference=line.reference[:200] or None,
            payment_id=line.id,
            matched_by=rule.value,
            caller=caller,
        )

    @staticmethod
    def _paid(line: BankLine, invoice: OpenInvoice, rule: Rule, status: BankLineStatus) -> BankLine:
        update = {
            "status": status,
            "invoice_id": invoice.id,
            "invoice_number": invoice.number,
            "rule": rule.value,
        }
        return line.model_copy(update={**update, "note": None})

    def _save(self, line: BankLine, before: BankLine | None, caller: Caller) -> BankLine:
        action = "imported" if before is None else line.status.value
        return self.store.save_bank_line(
            line,
            read_version=before.version if before else None,
            action=action,
            actor=caller.actor,
            at=self.clock(),
        )

    # ----------------------------------------------------------------- people
    def unmatched(self) -> list[BankLine]:
        return self.store.unmatched_lines()

    def _waiting(self, line_id: str) -> BankLine:
        line = self.store.bank_line(line_id)
        if line is None:
            raise not_found(N_("bank line"), line_id)
        if line.status is not BankLineStatus.UNMATCHED:
            raise Conflict(N_("the line is {status} already"), slug="bank-line-settled", status=line.status)
        return line

    def assign(self, line_id: str, invoice_id: str, caller: Caller, *, remember: bool) -> BankLine:
        """A person says which invoice a credit pays: the payment is recorded, and with `remember`
        this payer's next credits go to the same customer."""
        line = self._waiting(line_id)
        invoice = self._pay(line, invoice_id, Rule.ASSIGNED, caller)
        key = payer_key(line.payer)
        if remember and key:
            self.store.remember_payer(key, invoice.customer_email, caller.actor, self.clock())
        return self._save(self._paid(line, invoice, Rule.ASSIGNED, BankLineStatus.ASSIGNED), line, caller)

    def ignore(self, line_id: str, reason: str, caller: Caller) -> BankLine:
        """A credit that pays no invoice (bank interest, a refund): off the list, with the reason."""
        line = self._waiting(line_id)
        ignored = line.model_copy(update={"status": BankLineStatus.IGNORED, "note": reason})
        return self._save(ignored, line, caller)


@cache
def reconciler() -> Reconciler:
    """The process's Reconciler, wired from the function's environment (template.yaml)."""
    return Reconciler(BankStore(Table(env("BANK_TABLE")), env("AUDIT_TABLE")), system_clock)
