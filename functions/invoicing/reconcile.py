"""Bank statements reconciled with invoices: each credit matched (see `matching`) is recorded as the
invoice's payment, exactly once however often the statement is imported; the rest wait for a person.

A line's payment carries the line's id, so a retried or repeated import that reaches an invoice again
is refused as `payment-recorded` and only finishes writing the line's outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.errors import Conflict, DomainError
from core.identity import Caller
from core.observability import lambda_entry, logger
from core.settings import env
from core.statements import StatementLine, read_statement
from core.storage import ObjectStore
from core.triggers import each_message
from invoicing.matching import Match, Rule, match, payer_key
from invoicing.model import (
    BankLine,
    BankLineStatus,
    Invoice,
    PaymentRequest,
    StatementImport,
)
from invoicing.service import Invoicing, invoicing

SETTLED = (BankLineStatus.MATCHED, BankLineStatus.ASSIGNED, BankLineStatus.IGNORED, BankLineStatus.OUTGOING)
METHOD = "bank_transfer"


@dataclass
class Reconciler:
    office: Invoicing

    def import_statement(self, data: bytes, source: str, caller: Caller) -> StatementImport:
        """Read a statement and settle each of its lines once; `Invalid` names what cannot be read."""
        statement = read_statement(data)
        store = self.office.store
        open_invoices = {invoice.id: invoice for invoice in store.open_invoices()}
        payers = store.payers()
        counts = {"matched": 0, "unmatched": 0, "seen_before": 0, "outgoing": 0}
        lines = []
        for line in statement.lines:
            before = store.bank_line(line.id)
            if before and before.status in SETTLED:
                counts["seen_before"] += 1
                lines.append(before)
                continue
            found = match(line, list(open_invoices.values()), payers) if line.amount > 0 else None
            outcome, paid = self._settle(line, before, found, source, caller)
            if paid:
                open_invoices[paid.id] = paid  # a second credit for it sees what it owes now
            waited = before is not None and outcome.status is BankLineStatus.UNMATCHED
            counts["seen_before" if waited else outcome.status.value] += 1
            lines.append(outcome)
        return StatementImport(format=statement.format, account=statement.account, lines=lines, **counts)

    def _settle(
        self, line: StatementLine, before: BankLine | None, found: Match | None, source: str, caller: Caller
    ) -> tuple[BankLine, Invoice | None]:
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
            imported_at=self.office.clock(),
        )
        if line.amount < 0:
            return self._save(
                record.model_copy(update={"status": BankLineStatus.OUTGOING}), before, caller
            ), None
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

    def _pay(self, line: BankLine, invoice_id: str, rule: Rule, caller: Caller) -> Invoice:
        request = PaymentRequest(
            amount=line.amount, date=line.date, method=METHOD, reference=line.reference[:200] or None
        )
        try:
            return self.office.pay(invoice_id, request, caller, payment_id=line.id, matched_by=rule.value)
        except Conflict as error:
            if error.slug != "payment-recorded":
                raise
            return self.office.get(invoice_id)  # an earlier try recorded it and stopped before the line

    @staticmethod
    def _paid(line: BankLine, invoice: Invoice, rule: Rule, status: BankLineStatus) -> BankLine:
        update = {
            "status": status,
            "invoice_id": invoice.id,
            "invoice_number": invoice.number,
            "rule": rule.value,
        }
        return line.model_copy(update={**update, "note": None})

    def _save(self, line: BankLine, before: BankLine | None, caller: Caller) -> BankLine:
        action = "imported" if before is None else line.status.value
        return self.office.store.save_bank_line(
            line,
            read_version=before.version if before else None,
            action=action,
            actor=caller.actor,
            at=self.office.clock(),
        )

    # ----------------------------------------------------------------- people
    def unmatched(self) -> list[BankLine]:
        return self.office.store.unmatched_lines()

    def _waiting(self, line_id: str) -> BankLine:
        line = self.office.store.bank_line(line_id)
        if line is None:
            from core.errors import not_found

            raise not_found("bank line", line_id)
        if line.status is not BankLineStatus.UNMATCHED:
            raise Conflict(f"the line is {line.status.value} already", slug="bank-line-settled")
        return line

    def assign(self, line_id: str, invoice_id: str, caller: Caller, *, remember: bool) -> BankLine:
        """A person says which invoice a credit pays: the payment is recorded, and with `remember`
        this payer's next credits go to the same customer."""
        line = self._waiting(line_id)
        invoice = self._pay(line, invoice_id, Rule.ASSIGNED, caller)
        key = payer_key(line.payer)
        if remember and key:
            self.office.store.remember_payer(key, invoice.customer.email, caller.actor, self.office.clock())
        return self._save(self._paid(line, invoice, Rule.ASSIGNED, BankLineStatus.ASSIGNED), line, caller)

    def ignore(self, line_id: str, reason: str, caller: Caller) -> BankLine:
        """A credit that pays no invoice (bank interest, a refund): off the list, with the reason."""
        line = self._waiting(line_id)
        return self._save(
            line.model_copy(update={"status": BankLineStatus.IGNORED, "note": reason}), line, caller
        )


def reconciler() -> Reconciler:
    """Built on the process's Invoicing (cheap: nothing of its own to keep)."""
    return Reconciler(invoicing())


STATEMENT_IMPORT = Caller(
    subject="bank-statements", groups=frozenset({"system"}), name="the bank statement import"
)


@lambda_entry
def statements(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """DocumentFiled events of bank statements (EventBridge → SQS): match and record each credit once.
    A statement from an untrusted source (mail from outside the office) records nothing."""

    def import_statement(body: dict[str, Any]) -> None:
        detail = body["detail"]
        if not (detail.get("provenance") or {}).get("trusted"):
            logger.warning(
                "statement from an untrusted source ignored", extra={"document_id": detail["document_id"]}
            )
            return
        files = ObjectStore(env("DOCUMENTS_BUCKET"))
        if files.head(detail["key"]) is None:  # reclassified or moved since: nothing to import
            logger.warning("statement file not found", extra={"document_id": detail["document_id"]})
            return
        data = files.read_bytes(detail["key"])
        result = reconciler().import_statement(data, detail["document_id"], STATEMENT_IMPORT)
        counts = result.model_dump(include={"matched", "unmatched", "seen_before", "outgoing"})
        logger.info("bank statement imported", extra={"document_id": detail["document_id"], **counts})

    return each_message(event, context, import_statement)
