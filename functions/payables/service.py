"""Payables: vendors' bills from the inbox to paid, and the parties directory.

`Payables` is the one service the handlers and routes use: a filed vendor invoice opens a draft with
what its reader found; a person confirms it (the vendor found by tax id, or added to the directory);
beyond what the confirmation may approve (`rules.confirmed`) a second person approves; the daily run
tells the payer what falls due; payments are recorded until it is paid. Every change is audited with
the change itself. A vendor's bank account is asked for and approved by two administrators' keys
(`parties`), and each step is told to the vendor and to the office by email, through the bus.

The approval limit is judged in the office's currency only: no exchange rates are kept, so a bill in
any other currency always waits for an approver, who sees its currency.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from core.audit import Change
from core.clock import Clock, business_date, system_clock
from core.dynamo import Table
from core.errors import ConditionFailed, Conflict
from core.events import EventBus
from core.i18n import N_, language_of, translator
from core.identity import Caller
from core.mailer import Mailer
from core.money import format_amount
from core.settings import env, settings
from core.storage import ObjectStore
from core.validation import exact_amount
from payables import rules
from payables.model import Bill, BillFigures, BillPayment, BillPaymentRequest, Vendor
from payables.parties import (
    Kind,
    Party,
    PartyFields,
    PartyPatch,
    account_decided,
    account_key,
    account_requested,
)
from payables.reading import Extractor, TextLayer, read_bill
from payables.store import PayablesStore

SYSTEM = "system:payables"
SPEND_WINDOW = timedelta(days=30)  # a vendor's bills confirmed this long before count toward the limit
ACCOUNT_CHANGE = "VendorBankAccountChange"


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
    bus: EventBus
    clock: Clock
    limits: dict[str, Decimal]
    currency: str
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
        now = self.clock()
        done = rules.confirmed(
            bill,
            figures,
            by,
            now,
            pay_to=None if new_vendor else self._pay_to(vendor.party_id),
            limit=self.limits.get(self.currency) if figures.currency == self.currency else None,
            spent=self.store.spent(figures, now - SPEND_WINDOW),
        )
        change = Change(done.status.value, by.actor, now, {"total": str(figures.total)})
        added = Change("added", by.actor, change.at, {"from_bill": bill.id})
        also = [
            *self.store.claim_number(done),
            self.store.count_spend(done),
            *self.store.party_writes(new_vendor, added),
        ]
        try:
            return self.store.save(done, read_version, change, also=also)
        except ConditionFailed:
            first = self.store.first_holder(figures, bill.id)
            if first:
                raise Conflict(
                    N_("invoice {number} of this vendor is recorded already, in bill {first}"),
                    number=figures.invoice_number,
                    first=first,
                    slug="duplicate-vendor-invoice",
                    extensions={"first": first},
                ) from None
            raise

    def _money(self, figures: BillFigures) -> BillFigures:
        return figures.model_copy(
            update={
                n: exact_amount(getattr(figures, n), figures.currency, f"figures.{n}")
                for n in ("net", "vat", "total")
            }
        )

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

    def _pay_to(self, party_id: str | None) -> str | None:
        return self.store.party(party_id).bank_account if party_id else None

    def _shown(self, bill: Bill, known: dict[str, str | None] | None = None) -> Bill:
        """The bill with its vendor's account in force (the directory's, now; `known`: those read)."""
        known = {} if known is None else known
        if bill.figures:
            vendor = bill.figures.vendor.party_id
        elif bill.reading and bill.reading.vendor_tax_id:
            found = self.store.party_by_tax_id(bill.reading.vendor_tax_id, None)
            vendor = found.id if found else None
        else:
            vendor = None
        if vendor and vendor not in known:
            known[vendor] = self._pay_to(vendor)
        return bill.model_copy(update={"pay_to": known.get(vendor) if vendor else None})

    def approve(self, bill_id: str, by: Caller, note: str | None = None) -> Bill:
        bill = self._shown(self.store.get(bill_id))
        change = Change("approved", by.actor, self.clock(), {"note": note} if note else {})
        return self.store.save(rules.approved(bill, by), bill.version, change)

    def reject(self, bill_id: str, reason: str, by: Caller) -> Bill:
        bill = self._shown(self.store.get(bill_id))
        done = rules.rejected(bill, reason)
        change = Change("rejected", by.actor, self.clock(), {"reason": reason})
        return self.store.save(done, bill.version, change, also=self.store.release_number(bill))

    def schedule(self, bill_id: str, pay_on: date, by: Caller) -> Bill:
        bill = self._shown(self.store.get(bill_id))
        change = Change("scheduled", by.actor, self.clock(), {"pay_on": pay_on.isoformat()})
        return self.store.save(rules.scheduled(bill, pay_on), bill.version, change)

    def pay(self, bill_id: str, request: BillPaymentRequest, by: Caller) -> Bill:
        bill = self._shown(self.store.get(bill_id))
        currency = bill.figures.currency if bill.figures else settings().default_currency
        amount = exact_amount(request.amount, currency, "amount")
        payment = BillPayment(
            id=uuid.uuid4().hex,
            amount=amount,
            date=request.date,
            method=request.method,
            reference=request.reference,
            paid_to=bill.pay_to,
            recorded_by=by.actor,
            recorded_at=self.clock(),
        )
        change = Change(
            "paid", by.actor, self.clock(), {"amount": str(amount), "date": request.date.isoformat()}
        )
        return self.store.save(rules.with_payment(bill, payment), bill.version, change)

    def bill(self, bill_id: str) -> Bill:
        return self._shown(self.store.get(bill_id))

    def bills(self, status: str | None, cursor: str | None, limit: int) -> tuple[list[Bill], str | None]:
        items, cursor = self.store.bills(status, cursor, limit)
        known: dict[str, str | None] = {}
        return [self._shown(b, known) for b in items], cursor

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
                N_("{count} parties are in the directory already"),
                slug="party-exists",
                errors=problems,
                count=len(problems),
            )
        now = self.clock()
        parties = [
            self._asking(
                Party(**row.model_dump(exclude={"bank_account"}), id=uuid.uuid4().hex, created_at=now),
                row.bank_account,
                by,
            )
            for row in rows
        ]
        self.store.add_parties(parties, Change("added", by.actor, now))
        for party in parties:
            if party.pending:
                self._tell(party.id, "requested", party.pending.bank_account, by)
        return parties

    def _asking(self, party: Party, account: str | None, by: Caller) -> Party:
        """`party` asking for `account` (if given and not the one in force)."""
        if account is None or account_key(account) == account_key(party.bank_account):
            return party
        return account_requested(party, account, by, self.clock())

    def _tell(self, party_id: str, state: str, account: str, by: Caller) -> None:
        """A change of where a vendor is paid, on the bus: the vendor and the office are emailed (only
        the account's last four characters travel)."""
        detail = {"party_id": party_id, "state": state, "ending": account_key(account)[-4:]}
        self.bus.publish(ACCOUNT_CHANGE, {**detail, "by": by.shown_as or by.actor})

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
        """Edits take effect at once, but for the bank account: that is asked for (see `parties`)."""
        party = self.store.party(party_id)
        changes = patch.model_dump(exclude_unset=True, exclude_none=True)
        edited = party.model_copy(update={**changes, "bank_account": party.bank_account})
        edited = self._asking(edited, patch.bank_account, by)
        change = Change("edited", by.actor, self.clock(), {k: str(v) for k, v in changes.items()})
        saved = self.store.save_party(edited, party.version, change)
        if saved.pending and saved.pending != party.pending:
            self._tell(saved.id, "requested", saved.pending.bank_account, by)
        return saved

    def decide_account(self, party_id: str, approve: bool, by: Caller, reason: str | None = None) -> Party:
        """The bank account asked for put in force (`approve`) or refused, by an administrator."""
        party = self.store.party(party_id)
        decided = account_decided(party, by, approve)
        asked = party.pending.bank_account if party.pending else ""
        state = "approved" if approve else "rejected"
        details = {"bank_account": asked, **({"reason": reason} if reason else {})}
        change = Change(f"bank account {state}", by.actor, self.clock(), details)
        saved = self.store.save_party(decided, party.version, change)
        self._tell(party.id, state, asked, by)
        return saved

    def tell_account_change(self, party_id: str, state: str, ending: str, by: str) -> None:
        """Email the vendor (in its language) and the office of a change of where the vendor is paid."""
        party = self.store.party(party_id)
        vendor = [(party.email, party.language or self.language)] if party.email else []
        for to, language in [*vendor, *((office, self.language) for office in self.payer)]:
            _ = translator(language)
            facts = {"vendor": party.name, "ending": ending, "by": by}
            subject, text = {
                "requested": (
                    _("A new bank account was asked for {vendor}"),
                    _(
                        "{by} asked that {vendor} be paid from now on into the account ending {ending}. "
                        "Nothing is paid there until an administrator approves it. "
                        "If {vendor} did not ask for this, reply to this email at once."
                    ),
                ),
                "approved": (
                    _("The bank account of {vendor} was changed"),
                    _(
                        "From now on {vendor} is paid into the account ending {ending}; {by} approved it. "
                        "If {vendor} did not ask for this, reply to this email at once."
                    ),
                ),
                "rejected": (
                    _("The new bank account of {vendor} was refused"),
                    _(
                        "{by} refused to pay {vendor} into the account ending {ending}. "
                        "Payments go on to the account on file."
                    ),
                ),
            }[state]
            self.mailer.send(to, subject.format(**facts), text.format(**facts) + "\n")


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
        bus=EventBus(env("EVENT_BUS_NAME"), source="backoffice.payables"),
        clock=system_clock,
        limits=approval_limits(os.environ.get("BILL_APPROVAL_LIMITS", "")),
        currency=office.default_currency,
        payer=[a.strip() for a in env("OFFICE_EMAIL").split(",") if a.strip()],
        timezone=office.timezone,
        language=language_of(None, office.country),
    )
