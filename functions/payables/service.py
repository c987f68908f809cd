"""Payables: vendors' bills from the inbox to paid, and the parties directory.

`Payables` is the one service the handlers and routes use: a filed vendor invoice opens a draft with
what its reader found; a person confirms it (the vendor found by tax id, or added to the directory);
above the approval limit a second person approves; the daily run tells the payer what falls due;
payments are recorded until it is paid. Every change is audited with the change itself.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from core.audit import Change
from core.clock import Clock, business_date, system_clock
from core.dynamo import Table
from core.errors import ConditionFailed, Conflict, Invalid
from core.i18n import language_of, translator
from core.identity import Caller
from core.mailer import Mailer
from core.money import format_amount, parse_amount
from core.settings import env, settings
from core.storage import ObjectStore
from payables import rules
from payables.model import Bill, BillFigures, BillPayment, BillPaymentRequest, Vendor
from payables.parties import Kind, Party, PartyFields, PartyPatch
from payables.reading import Extractor, TextLayer, read_bill
from payables.store import PayablesStore

SYSTEM = "system:payables"


def approval_limits(text: str) -> dict[str, Decimal]:
    """`THB:50000,VND:50000000` → the most a bill of each currency may be with no second approval."""
    limits = {}
    for part in text.split(","):
        currency, _, amount = part.strip().partition(":")
        if currency and amount:
            limits[currency.strip()] = Decimal(amount.strip())
    return limits


@dataclass
class Payables:
    store: PayablesStore
    files: ObjectStore
    readers: Sequence[Extractor]
    mailer: Mailer
    clock: Clock
    limits: dict[str, Decimal]
    payer: list[str]
    timezone: ZoneInfo
    language: str = "en"

    def today(self) -> date:
        return business_date(self.clock(), self.timezone)

    # ----------------------------------------------------------------- bills
    def open_from_document(
        self, document_id: str, key: str, provenance: dict[str, Any] | None
    ) -> Bill | None:
        """A draft for a filed vendor invoice, once (its id is the document's); None if there is one, or
        if the document has moved since (reclassified: it is no vendor invoice)."""
        if self.files.head(key) is None:
            return None
        reading = read_bill(self.readers, key, self.files.read_bytes(key))
        bill = rules.opened(document_id, document_id, reading, self.clock(), provenance)
        try:
            return self.store.save(
                bill, None, Change("opened", SYSTEM, self.clock(), {"document_id": document_id})
            )
        except ConditionFailed:
            return None

    def enter(self, figures: BillFigures, by: Caller) -> Bill:
        """A bill typed in by hand: opened and confirmed by the one who types it."""
        draft = rules.opened(uuid.uuid4().hex, None, None, self.clock())
        return self._confirm(draft, None, figures, by)

    def confirm(self, bill_id: str, figures: BillFigures, by: Caller) -> Bill:
        bill = self.store.get(bill_id)
        return self._confirm(bill, bill.version, figures, by)

    def _confirm(self, bill: Bill, read_version: int | None, figures: BillFigures, by: Caller) -> Bill:
        figures = self._money(figures)
        vendor, new_vendor = self._vendor(figures)
        figures = figures.model_copy(update={"vendor": vendor})
        done = rules.confirmed(bill, figures, by, self.limits)
        change = Change(done.status.value, by.actor, self.clock(), {"total": str(figures.total)})
        added = Change("added", by.actor, change.at, {"from_bill": bill.id})
        also = [self.store.claim_number(done), *self.store.party_writes(new_vendor, added)]
        try:
            return self.store.save(done, read_version, change, also=also)
        except ConditionFailed:
            first = self.store.first_holder(figures)
            if first and first != bill.id:
                raise Conflict(
                    f"invoice {figures.invoice_number} of this vendor is recorded already, in bill {first}",
                    slug="duplicate-vendor-invoice",
                    extensions={"first": first},
                ) from None
            raise

    def _money(self, figures: BillFigures) -> BillFigures:
        try:
            return figures.model_copy(
                update={
                    n: parse_amount(getattr(figures, n), figures.currency) for n in ("net", "vat", "total")
                }
            )
        except ValueError as error:
            raise Invalid(str(error), slug="validation") from None

    def _vendor(self, figures: BillFigures) -> tuple[Vendor, Party | None]:
        vendor = figures.vendor
        if not vendor.tax_id:
            return vendor, None
        party = self.store.party_by_tax_id(vendor.tax_id, vendor.branch)
        if party is not None:
            return vendor.model_copy(update={"party_id": party.id}), None
        party = Party(
            id=uuid.uuid4().hex,
            kind=Kind.VENDOR,
            name=vendor.name,
            tax_id=vendor.tax_id,
            branch=vendor.branch,
            currency=figures.currency,
            created_at=self.clock(),
        )
        return vendor.model_copy(update={"party_id": party.id}), party

    def approve(self, bill_id: str, by: Caller, note: str | None = None) -> Bill:
        bill = self.store.get(bill_id)
        change = Change("approved", by.actor, self.clock(), {"note": note} if note else {})
        return self.store.save(rules.approved(bill, by), bill.version, change)

    def reject(self, bill_id: str, reason: str, by: Caller) -> Bill:
        bill = self.store.get(bill_id)
        done = rules.rejected(bill, reason)
        change = Change("rejected", by.actor, self.clock(), {"reason": reason})
        return self.store.save(done, bill.version, change, also=self.store.release_number(bill))

    def schedule(self, bill_id: str, pay_on: date, by: Caller) -> Bill:
        bill = self.store.get(bill_id)
        change = Change("scheduled", by.actor, self.clock(), {"pay_on": pay_on.isoformat()})
        return self.store.save(rules.scheduled(bill, pay_on), bill.version, change)

    def pay(self, bill_id: str, request: BillPaymentRequest, by: Caller) -> Bill:
        bill = self.store.get(bill_id)
        currency = bill.figures.currency if bill.figures else settings().default_currency
        try:
            amount = parse_amount(request.amount, currency)
        except ValueError as error:
            raise Invalid(str(error), slug="validation") from None
        payment = BillPayment(
            id=uuid.uuid4().hex,
            amount=amount,
            date=request.date,
            method=request.method,
            reference=request.reference,
            recorded_by=by.actor,
            recorded_at=self.clock(),
        )
        change = Change(
            "paid", by.actor, self.clock(), {"amount": str(amount), "date": request.date.isoformat()}
        )
        return self.store.save(rules.with_payment(bill, payment), bill.version, change)

    def bill(self, bill_id: str) -> Bill:
        return self.store.get(bill_id)

    def bills(self, status: str | None, cursor: str | None, limit: int) -> tuple[list[Bill], str | None]:
        return self.store.bills(status, cursor, limit)

    # ------------------------------------------------------------- daily run
    def daily(self) -> int:
        """Tell the payer what falls due (once before, once on the day); the number of bills told of."""
        today = self.today()
        due = [b for b in self.store.actions_due_by(today) if b.figures]
        if not due:
            return 0
        _ = translator(self.language)
        lines = [
            _("{vendor}, invoice {number}: {amount} {currency}, to pay by {day}").format(
                vendor=b.figures.vendor.name,
                number=b.figures.invoice_number,
                amount=format_amount(b.owed, b.figures.currency),
                currency=b.figures.currency,
                day=rules.falls_due(b),
            )
            for b in due
            if b.figures
        ]
        subject = _("Bills falling due: {count}").format(count=len(due))
        text = _("These bills fall due soon or today:") + "\n\n" + "\n".join(lines) + "\n"
        for recipient in self.payer:
            self.mailer.send(recipient, subject, text)
        for bill in due:
            change = Change("reminded", SYSTEM, self.clock(), {"on": today.isoformat()})
            self.store.save(rules.reminded(bill, today, self.store.remind_days), bill.version, change)
        return len(due)

    # --------------------------------------------------------------- parties
    def add_party(self, fields: PartyFields, by: Caller) -> Party:
        return self.import_parties([fields], by)[0]

    def import_parties(self, rows: Sequence[PartyFields], by: Caller) -> list[Party]:
        """All or nothing: a tax id and branch already in the directory refuses the lot, by line."""
        problems = [
            {"line": line, "field": "tax_id", "detail": f"already in the directory as party {found.id}"}
            for line, row in enumerate(rows, start=2)
            if row.tax_id and (found := self.store.party_by_tax_id(row.tax_id, row.branch)) is not None
        ]
        if problems:
            raise Conflict(
                f"{len(problems)} parties are in the directory already", slug="party-exists", errors=problems
            )
        now = self.clock()
        parties = [Party(**row.model_dump(), id=uuid.uuid4().hex, created_at=now) for row in rows]
        self.store.add_parties(parties, Change("added", by.actor, now))
        return parties

    def parties(self, text: str | None, kind: str | None, archived: bool) -> list[Party]:
        wanted = (text or "").casefold()
        return [
            p
            for p in self.store.parties()
            if (archived or not p.archived)
            and (not kind or p.kind in (kind, Kind.BOTH))
            and (not wanted or wanted in p.name.casefold() or wanted in (p.tax_id or ""))
        ]

    def party(self, party_id: str) -> Party:
        return self.store.party(party_id)

    def edit_party(self, party_id: str, patch: PartyPatch, by: Caller) -> Party:
        party = self.store.party(party_id)
        changes = patch.model_dump(exclude_unset=True, exclude_none=True)
        edited = party.model_copy(update=changes)
        change = Change("edited", by.actor, self.clock(), {k: str(v) for k, v in changes.items()})
        return self.store.save_party(edited, party.version, change)


@cache
def payables() -> Payables:
    office = settings()
    files = ObjectStore(env("DOCUMENTS_BUCKET"))
    readers: list[Extractor] = [TextLayer(os.environ.get("BUSINESS_TAX_ID", ""), office.default_currency)]
    if os.environ.get("BILL_READER", "textract") == "textract":
        from payables.textract import Expense

        readers.append(Expense(env("DOCUMENTS_BUCKET"), office.default_currency))
    return Payables(
        store=PayablesStore(
            Table(env("PAYABLES_TABLE")), env("AUDIT_TABLE"), int(os.environ.get("BILL_REMINDER_DAYS", "3"))
        ),
        files=files,
        readers=readers,
        mailer=Mailer(env("SENDER_EMAIL"), env("BUSINESS_NAME")),
        clock=system_clock,
        limits=approval_limits(os.environ.get("BILL_APPROVAL_LIMITS", "")),
        payer=[a.strip() for a in env("OFFICE_EMAIL").split(",") if a.strip()],
        timezone=office.timezone,
        language=language_of(None, office.country),
    )
