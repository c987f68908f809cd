"""Invoices in DynamoDB, and gap-free numbers assigned in the transaction that stores them.

Access patterns (InvoicesTable):
- an invoice by id:                 pk=INV#{id},              sk=INV
- the last number of a series/year: pk=SEQ#{series}#{year},   sk=SEQ      (attribute `last`)
- who holds a number:               pk=NUM#{number},          sk=NUM      (unique by condition)
- all invoices by issue date:       gsi1pk=INVOICES,          gsi1sk={issue or created date}#{id}
- open invoices by next action day: gsi2pk=ACTION,            gsi2sk={next_action}#{id}   (sparse: only
  open invoices with a status change or a reminder stage still ahead carry it, so the daily run reads
  only what it has to act on today, however many invoices there are)
- a catalogue item:                pk=ITEM#{code},           sk=ITEM, listed by gsi1pk=ITEMS, gsi1sk={code}
- a recurring invoice series:       pk=RECURRING#{id},        sk=RECURRING, listed by gsi1pk=RECURRING,
  and while active by its next date: gsi2pk=RECURRING, gsi2sk={next_date}#{id} (sparse, as above)
- a quote:                         pk=QUOTE#{id},            sk=QUOTE, listed by gsi1pk=QUOTES (newest last)
Filters (status, customer email) apply to a gsi1 page.

Over 400 lines because one table holds the invoice and what shares its numbering transaction (quotes,
recurring series, items); the quotes and series move with their capability when it is split off.

Numbering: read the series counter, then in one transaction move it from N to N+1 (condition:
still N), store the invoice with number N+1 and claim that number. A concurrent issuer's transaction
fails its condition and retries with the next number, so numbers are unique, increasing and
gap-free: a number exists exactly when an invoice holds it.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

from core.audit import Change, audit_entry, changed_meanwhile, save_with_audit
from core.dynamo import (
    Table,
    Write,
    attributes,
    delete,
    next_version,
    put,
    put_versioned,
    try_transact,
    update,
)
from core.errors import Busy, ConditionFailed, not_found
from core.i18n import N_
from invoicing.model import OPEN, Invoice, Item
from invoicing.quotes import Quote
from invoicing.recurring import RecurringInvoice, RecurringStatus
from invoicing.reminders import Ladder, next_action

ENTITY = "invoice"
NUMBER_ATTEMPTS = 60


def number_of(series: str, year: int, sequence: int) -> str:
    return f"{series}-{year}-{sequence:06d}"


def invoice_item(invoice: Invoice, ladder: Ladder) -> dict[str, Any]:
    day = invoice.issue_date or invoice.created_at.date()
    item = {
        **invoice.model_dump(mode="json", exclude_none=True),
        "pk": f"INV#{invoice.id}",
        "sk": "INV",
        "gsi1pk": "INVOICES",
        # newest first by day, and within a day by number (drafts, which have none, after)
        "gsi1sk": f"{day.isoformat()}#{invoice.number or 'DRAFT-' + invoice.id}",
        "search": search_text(invoice),
    }
    action = next_action(invoice, ladder)
    if action:
        item["gsi2pk"] = "ACTION"
        item["gsi2sk"] = f"{action.isoformat()}#{invoice.id}"
    return item


def search_text(invoice: Invoice) -> str:
    """What a search for an invoice matches: its number, the customer's name and email, casefolded."""
    return " ".join(
        p for p in (invoice.number, invoice.customer.name, invoice.customer.email) if p
    ).casefold()


def from_item(item: dict[str, Any]) -> Invoice:
    return Invoice.model_validate(attributes(item))


def quote_item(quote: Quote, read_version: int | None) -> dict[str, Any]:
    stored = next_version(quote, read_version)
    return {
        **stored.model_dump(mode="json", exclude_none=True),
        **({"link_hash": quote.link_hash} if quote.link_hash else {}),  # kept, never shown in an answer
        "pk": f"QUOTE#{quote.id}",
        "sk": "QUOTE",
        "gsi1pk": "QUOTES",
        "gsi1sk": f"{quote.created_at.isoformat()}#{quote.id}",
    }


def series_item(series: RecurringInvoice) -> dict[str, Any]:
    item = {
        **series.model_dump(mode="json", exclude_none=True),
        "pk": f"RECURRING#{series.id}",
        "sk": "RECURRING",
        "gsi1pk": "RECURRING",
        "gsi1sk": f"{series.created_at.isoformat()}#{series.id}",
    }
    if series.status is RecurringStatus.ACTIVE and series.next_date:
        item["gsi2pk"] = "RECURRING"
        item["gsi2sk"] = f"{series.next_date.isoformat()}#{series.id}"
    return item


class InvoiceStore:
    def __init__(
        self, table: Table, audit_table: str, ladder: Ladder, pause: Callable[[float], None] = time.sleep
    ) -> None:
        self.table = table
        self.audit_table = audit_table
        self.ladder = ladder
        self.pause = pause

    # ----------------------------------------------------------------- reads
    def get(self, invoice_id: str) -> Invoice:
        item = self.table.get({"pk": f"INV#{invoice_id}", "sk": "INV"})
        if item is None:
            raise not_found(N_("invoice"), invoice_id)
        return from_item(item)

    def search(
        self,
        *,
        start: date | None = None,
        end: date | None = None,
        status: str | None = None,
        customer_email: str | None = None,
        text: str | None = None,
        cursor: str | None = None,
        limit: int = 50,
    ) -> tuple[list[Invoice], str | None]:
        """Newest first by issue date (then number), optionally only one status, one customer's email,
        or those whose number, customer name or email holds `text` (any case)."""
        names: dict[str, str] = {}
        values: dict[str, Any] = {
            ":pk": "INVOICES",
            ":from": start.isoformat() if start else "0",
            ":to": (end.isoformat() if end else "9") + "~",
        }
        filters = []
        if status:
            filters.append("#status = :status")
            names["#status"] = "status"
            values[":status"] = status
        if customer_email:
            filters.append("#customer.#email = :email")
            names.update({"#customer": "customer", "#email": "email"})
            values[":email"] = customer_email
        if text:
            filters.append("(contains(#search, :text) OR contains(#customer.#name, :raw) OR #number = :raw)")
            names.update({"#search": "search", "#customer": "customer", "#name": "name", "#number": "number"})
            values.update({":text": text.strip().casefold(), ":raw": text.strip()})
        page = self.table.query(
            "gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to",
            index="gsi1",
            names=names or None,
            values=values,
            filter_expression=" AND ".join(filters) or None,
            limit=limit,
            cursor=cursor,
            forward=False,
        )
        return [from_item(item) for item in page.items], page.cursor

    def issued_until(self, day: date) -> Iterator[Invoice]:
        """Every invoice issued on or before `day` (the receivables report)."""
        for item in self.table.up_to("gsi1", "INVOICES", day.isoformat() + "~"):
            yield from_item(item)

    def item(self, code: str) -> Item | None:
        found = self.table.get({"pk": f"ITEM#{code}", "sk": "ITEM"})
        return Item.model_validate(attributes(found)) if found else None

    def items(self) -> list[Item]:
        return [Item.model_validate(attributes(i)) for i in self.table.up_to("gsi1", "ITEMS", "~")]

    def save_item(self, item: Item, *, read_version: int | None, actor: str, at: datetime) -> Item:
        """Store a new item (`ConditionFailed` if its code is taken) or a change to the version read."""
        stored = next_version(item, read_version)
        row = {**stored.model_dump(mode="json"), "pk": f"ITEM#{item.code}", "sk": "ITEM"}
        row.update(gsi1pk="ITEMS", gsi1sk=item.code)
        save_with_audit(
            self.table,
            self.audit_table,
            [(put_versioned(self.table.name, row, read_version), "item", item.code)],
            Change(
                "item_saved" if read_version is not None else "item_added", actor, at, {"code": item.code}
            ),
            conflict=changed_meanwhile(N_("item")),
        )
        return stored

    def find(self, invoice_id: str) -> Invoice | None:
        item = self.table.get({"pk": f"INV#{invoice_id}", "sk": "INV"})
        return from_item(item) if item else None

    def series(self, series_id: str) -> RecurringInvoice:
        item = self.table.get({"pk": f"RECURRING#{series_id}", "sk": "RECURRING"})
        if item is None:
            raise not_found(N_("recurring invoice"), series_id)
        return RecurringInvoice.model_validate(attributes(item))

    def all_series(self) -> list[RecurringInvoice]:
        return [
            RecurringInvoice.model_validate(attributes(i)) for i in self.table.up_to("gsi1", "RECURRING", "~")
        ]

    def series_due_by(self, day: date) -> Iterator[RecurringInvoice]:
        """Active series whose next date is on or before `day`."""
        for item in self.table.up_to("gsi2", "RECURRING", day.isoformat() + "~"):
            yield RecurringInvoice.model_validate(attributes(item))

    def save_series(
        self, series: RecurringInvoice, *, read_version: int | None, action: str, actor: str, at: datetime
    ) -> RecurringInvoice:
        """Store a series' change with its audit entry; `ConditionFailed` if it changed since read."""
        item = series_item(next_version(series, read_version))
        save_with_audit(
            self.table,
            self.audit_table,
            [(put_versioned(self.table.name, item, read_version), "recurring_invoice", series.id)],
            Change(action, actor, at, {"next_date": item.get("next_date"), "status": item["status"]}),
            conflict=changed_meanwhile(N_("recurring invoice")),
        )
        return next_version(series, read_version)

    def open_invoices(self) -> list[Invoice]:
        """Every invoice that still owes something (what a bank credit may pay: `interface`)."""
        page = self.table.query_all(
            "gsi1pk = :pk",
            index="gsi1",
            names={"#status": "status"},
            values={":pk": "INVOICES", **{f":s{i}": s.value for i, s in enumerate(OPEN)}},
            filter_expression=f"#status IN ({', '.join(f':s{i}' for i in range(len(OPEN)))})",
        )
        return [from_item(item) for item in page]

    def actions_due_by(self, day: date) -> Iterator[Invoice]:
        """Open invoices with something for the daily run to do on or before `day`."""
        for item in self.table.up_to("gsi2", "ACTION", day.isoformat() + "~"):
            yield from_item(item)

    # ---------------------------------------------------------------- writes
    def _put(self, invoice: Invoice, read_version: int | None) -> Write:
        """Store the invoice: new (read_version None) or replacing the version that was read."""
        item = invoice_item(next_version(invoice, read_version), self.ladder)
        return put_versioned(self.table.name, item, read_version)

    def reindex(self, invoice: Invoice) -> None:
        """Rewrite the next-action key of an unchanged invoice (after the ladder changed)."""
        self.table.rewrite_unchanged(invoice_item(invoice, self.ladder))

    def save(
        self,
        invoice: Invoice,
        *,
        read_version: int | None,
        action: str,
        actor: str,
        at: datetime,
        changes: dict[str, Any],
    ) -> Invoice:
        """Store a change with its audit entry; `ConditionFailed` if someone else changed the invoice
        since it was read."""
        save_with_audit(
            self.table,
            self.audit_table,
            [(self._put(invoice, read_version), ENTITY, invoice.id)],
            Change(action, actor, at, changes),
            conflict=changed_meanwhile(N_("invoice")),
        )
        return next_version(invoice, read_version)

    def remove_draft(self, invoice: Invoice, actor: str, at: datetime) -> None:
        removal = delete(
            self.table.name,
            {"pk": f"INV#{invoice.id}", "sk": "INV"},
            condition="#version = :read AND #status = :draft",
            names={"#version": "version", "#status": "status"},
            values={":read": invoice.version, ":draft": "draft"},
        )
        save_with_audit(
            self.table,
            self.audit_table,
            [(removal, ENTITY, invoice.id)],
            Change("deleted", actor, at),
            conflict=changed_meanwhile(N_("draft")),
        )

    def numbered(
        self,
        series: str,
        year: int,
        build: Callable[[str], tuple[Invoice, int | None, str, dict[str, Any]]],
        *,
        actor: str,
        at: datetime,
    ) -> Invoice:
        """Take the next number of a series and store what `build(number)` returns, atomically.

        `build` gives (invoice to store, version it was read at or None if new, audit action, changes).
        """
        made: list[tuple[Invoice, int | None]] = []

        def record(number: str) -> tuple[Write, str, str, dict[str, Any]]:
            invoice, read_version, action, changes = build(number)
            made[:] = [(invoice, read_version)]
            return self._put(invoice, read_version), invoice.id, action, changes

        self._take_number(series, year, record, ENTITY, actor=actor, at=at)
        invoice, read_version = made[0]
        return next_version(invoice, read_version)

    def numbered_quote(
        self, quote: Quote, series: str, year: int, build: Callable[[str], Quote], *, actor: str, at: datetime
    ) -> Quote:
        """Number a quote (series QT) as an invoice is: in the transaction that stores it."""
        made: list[Quote] = []

        def record(number: str) -> tuple[Write, str, str, dict[str, Any]]:
            made[:] = [build(number)]
            return (
                put_versioned(self.table.name, quote_item(made[0], quote.version), quote.version),
                quote.id,
                "sent",
                {},
            )

        self._take_number(series, year, record, "quote", actor=actor, at=at)
        return next_version(made[0], quote.version)

    def _take_number(
        self,
        series: str,
        year: int,
        record: Callable[[str], tuple[Write, str, str, dict[str, Any]]],
        entity: str,
        *,
        actor: str,
        at: datetime,
    ) -> None:
        """Move the series' counter from N to N+1, claim number N+1 and write `record(number)` — (the
        write, the record's id, audit action, changes) — with its audit entry, in one transaction; a
        concurrent numbering retries with the next number, so numbers are gap-free."""
        counter = {"pk": f"SEQ#{series}#{year}", "sk": "SEQ"}
        for attempt in range(NUMBER_ATTEMPTS):
            current = self.table.get(counter)
            last = int(current["last"]) if current else 0
            number = number_of(series, year, last + 1)
            write, record_id, action, changes = record(number)
            step = (
                update(
                    self.table.name,
                    counter,
                    {"last": last + 1},
                    condition="#l = :last",
                    names={"#l": "last"},
                    values={":last": last},
                )
                if current
                else put(self.table.name, {**counter, "last": 1}, condition="attribute_not_exists(pk)")
            )
            claim = put(
                self.table.name,
                {"pk": f"NUM#{number}", "sk": "NUM", f"{entity}_id": record_id},
                condition="attribute_not_exists(pk)",
            )
            reasons = try_transact(
                self.table.client,
                [
                    step,
                    write,
                    claim,
                    audit_entry(
                        self.audit_table,
                        entity=entity,
                        entity_id=record_id,
                        action=action,
                        actor=actor,
                        at=at,
                        changes={**changes, "number": number},
                    ),
                ],
            )
            if reasons is None:
                return
            if reasons[1:2] == ["ConditionalCheckFailed"]:  # the record itself, not the counter
                conflict = changed_meanwhile(entity)
                raise ConditionFailed(conflict.text, **conflict.params)
            self.pause(random.uniform(0.005, 0.02) * min(attempt + 1, 10))  # noqa: S311 - jitter, not crypto
        raise Busy(N_("numbering is busy; try again in a moment"), slug="numbering-busy")

    # ---------------------------------------------------------------- quotes
    def quote(self, quote_id: str) -> Quote:
        found = self.find_quote(quote_id)
        if found is None:
            raise not_found(N_("quote"), quote_id)
        return found

    def find_quote(self, quote_id: str) -> Quote | None:
        item = self.table.get({"pk": f"QUOTE#{quote_id}", "sk": "QUOTE"}) if quote_id else None
        return Quote.model_validate(attributes(item)) if item else None

    def quotes(self) -> list[Quote]:
        """Newest first."""
        page = self.table.query_all("gsi1pk = :pk", index="gsi1", values={":pk": "QUOTES"}, forward=False)
        return [Quote.model_validate(attributes(item)) for item in page]

    def save_quote(
        self, quote: Quote, *, read_version: int | None, action: str, actor: str, at: datetime
    ) -> Quote:
        """Store a quote's change with its audit entry; `ConditionFailed` if it changed since read."""
        save_with_audit(
            self.table,
            self.audit_table,
            [
                (
                    put_versioned(self.table.name, quote_item(quote, read_version), read_version),
                    "quote",
                    quote.id,
                )
            ],
            Change(action, actor, at, {"status": quote.status.value}),
            conflict=changed_meanwhile(N_("quote")),
        )
        return next_version(quote, read_version)
