"""Bills and the parties directory in DynamoDB.

Access patterns (PayablesTable):
- a bill by id:                      pk=BILL#{id},                 sk=BILL
- bills, newest last:                gsi1pk=BILLS,                 gsi1sk={created_at}#{id}
- bills the payer is to hear of:     gsi2pk=ACTION,                gsi2sk={next_action}#{id}  (sparse: only
  approved or scheduled bills with a reminder still ahead, so the daily run reads what it acts on)
- a vendor's invoice number, once:   pk=VINV#{vendor}#{number},    sk=VINV   (`bill_id`; unique by condition;
  claimed under the vendor's tax id and under its name, letters and digits only, so "IV-0042" typed with
  the tax id and "IV0042" typed without it are one invoice)
- what a vendor's bills came to:      pk=SPEND#{vendor},            sk={confirmed_at}#{bill id}  (`currency`,
  `total`; written with the confirmation, deleted with a rejection, read for the last 30 days)
- a party by id:                     pk=PARTY#{id},                sk=PARTY, listed by gsi1pk=PARTIES,
  gsi1sk={name casefolded}#{id}
- a party by tax id and branch:      pk=TAXID#{tax id}#{branch},   sk=TAXID  (`party_id`; unique)
Every change is written with its audit entry in one transaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from core.audit import Change, changed_meanwhile, save_with_audit
from core.dynamo import (
    Table,
    Write,
    attributes,
    delete,
    next_version,
    put_claim,
    put_new,
    put_versioned,
    try_transact,
)
from core.errors import ConditionFailed, not_found
from core.i18n import N_
from payables.model import Bill, BillFigures
from payables.parties import Party, tax_key
from payables.rules import next_action

BILL, PARTY = "bill", "party"


def plain(text: str) -> str:
    """Letters and digits only, casefolded: "IV-0042", "iv 0042" and "IV0042" are one number."""
    return re.sub(r"[\W_]+", "", text.casefold())


def vendor_keys(figures: BillFigures) -> list[dict[str, str]]:
    """Where a vendor's invoice number is claimed: under its tax id, if typed, and under its name (a
    registered name: two vendors of one name and one invoice number are taken for one)."""
    vendor = figures.vendor
    names = ([f"TAX:{vendor.tax_id}"] if vendor.tax_id else []) + [f"NAME:{plain(vendor.name)}"]
    return [{"pk": f"VINV#{name}#{plain(figures.invoice_number)}", "sk": "VINV"} for name in names]


def spender(figures: BillFigures) -> str:
    """The vendor whose bills are added up: its party, else its tax id, else its name."""
    vendor = figures.vendor
    return f"SPEND#{vendor.party_id or vendor.tax_id or vendor.name.casefold()}"


def spend_key(bill: Bill) -> dict[str, str]:
    assert bill.figures and bill.confirmed_at
    return {"pk": spender(bill.figures), "sk": f"{bill.confirmed_at.isoformat()}#{bill.id}"}


class PayablesStore:
    def __init__(self, table: Table, audit_table: str, remind_days: int) -> None:
        self.table = table
        self.audit_table = audit_table
        self.remind_days = remind_days

    # ----------------------------------------------------------------- bills
    def bill_item(self, bill: Bill) -> dict[str, Any]:
        item = {
            **bill.model_dump(mode="json", exclude_none=True, exclude={"pay_to", "account_differs"}),
            "pk": f"BILL#{bill.id}",
            "sk": "BILL",
            "gsi1pk": "BILLS",
            "gsi1sk": f"{bill.created_at.isoformat()}#{bill.id}",
        }
        action = next_action(bill, self.remind_days)
        if action:
            item.update(gsi2pk="ACTION", gsi2sk=f"{action.isoformat()}#{bill.id}")
        return item

    def get(self, bill_id: str) -> Bill:
        item = self.table.get({"pk": f"BILL#{bill_id}", "sk": "BILL"})
        if item is None:
            raise not_found(N_("bill"), bill_id)
        return Bill.model_validate(attributes(item))

    def bills(self, status: str | None, cursor: str | None, limit: int) -> tuple[list[Bill], str | None]:
        page = self.table.query(
            "gsi1pk = :pk",
            index="gsi1",
            values={":pk": "BILLS", **({":status": status} if status else {})},
            names={"#status": "status"} if status else None,
            filter_expression="#status = :status" if status else None,
            forward=False,
            limit=limit,
            cursor=cursor,
        )
        return [Bill.model_validate(attributes(i)) for i in page.items], page.cursor

    def actions_due_by(self, day: date) -> Iterator[Bill]:
        for item in self.table.up_to("gsi2", "ACTION", day.isoformat() + "~"):
            yield Bill.model_validate(attributes(item))

    def save(self, bill: Bill, read_version: int | None, change: Change, also: Sequence[Write] = ()) -> Bill:
        stored = next_version(bill, read_version)
        write = put_versioned(self.table.name, self.bill_item(stored), read_version)
        save_with_audit(
            self.table,
            self.audit_table,
            [(write, BILL, bill.id)],
            change,
            conflict=changed_meanwhile(N_("bill")),
            also=also,
        )
        return stored

    def claim_number(self, bill: Bill) -> list[Write]:
        """The vendor's invoice number for this bill (again harmlessly); `first_holder` names who has it."""
        assert bill.figures
        return [put_claim(self.table.name, key, "bill_id", bill.id) for key in vendor_keys(bill.figures)]

    def release_number(self, bill: Bill) -> list[Write]:
        """The vendor's invoice number freed, and the bill no longer counted in what its vendor spent."""
        if bill.figures is None:
            return []
        spend = [delete(self.table.name, spend_key(bill))] if bill.confirmed_at else []
        return [*(delete(self.table.name, key) for key in vendor_keys(bill.figures)), *spend]

    def count_spend(self, bill: Bill) -> Write:
        assert bill.figures
        item = {**spend_key(bill), "currency": bill.figures.currency, "total": bill.figures.total}
        return put_new(self.table.name, item)

    def spent(self, figures: BillFigures, since: datetime) -> Decimal:
        """What the vendor's bills confirmed since `since` came to, in `figures`' currency."""
        items = self.table.query_all(
            "pk = :pk AND sk >= :since", values={":pk": spender(figures), ":since": since.isoformat()}
        )
        return sum((Decimal(str(i["total"])) for i in items if i["currency"] == figures.currency), Decimal(0))

    def first_holder(self, figures: BillFigures, other_than: str) -> str | None:
        """The bill, other than `other_than`, that holds this vendor's invoice number."""
        held = (self.table.get(key) for key in vendor_keys(figures))
        return next((str(item["bill_id"]) for item in held if item and item["bill_id"] != other_than), None)

    # --------------------------------------------------------------- parties
    def party_item(self, party: Party) -> dict[str, Any]:
        return {
            **party.model_dump(mode="json", exclude_none=True),
            "pk": f"PARTY#{party.id}",
            "sk": "PARTY",
            "gsi1pk": "PARTIES",
            "gsi1sk": f"{party.name.casefold()}#{party.id}",
        }

    def party(self, party_id: str) -> Party:
        item = self.table.get({"pk": f"PARTY#{party_id}", "sk": "PARTY"})
        if item is None:
            raise not_found(N_("party"), party_id)
        return Party.model_validate(attributes(item))

    def party_by_tax_id(self, tax_id: str, branch: str | None) -> Party | None:
        item = self.table.get({"pk": f"TAXID#{tax_key(tax_id, branch)}", "sk": "TAXID"})
        return self.party(str(item["party_id"])) if item else None

    def parties(self) -> Iterator[Party]:
        for item in self.table.query_all("gsi1pk = :pk", index="gsi1", values={":pk": "PARTIES"}):
            yield Party.model_validate(attributes(item))

    def party_writes(self, party: Party | None, change: Change) -> list[Write]:
        """Adding a party: the record, the claim of its tax id and branch, the audit entry."""
        if party is None:
            return []
        writes = [put_new(self.table.name, self.party_item(party))]
        if party.tax_id:
            claim = {
                "pk": f"TAXID#{tax_key(party.tax_id, party.branch)}",
                "sk": "TAXID",
                "party_id": party.id,
            }
            writes.append(put_new(self.table.name, claim))
        return [*writes, change.entry(self.audit_table, PARTY, party.id)]

    def add_parties(self, parties: Sequence[Party], change: Change) -> None:
        """Add parties, a few to a transaction; the caller checked their tax ids are free, so a refusal
        here is someone adding the same party at the same moment."""
        for start in range(0, len(parties), 30):
            writes = [w for party in parties[start : start + 30] for w in self.party_writes(party, change)]
            if try_transact(self.table.client, writes):
                raise ConditionFailed(
                    N_("a party with the same tax id was added meanwhile; reload and try again"),
                    slug="party-exists",
                )

    def save_party(self, party: Party, read_version: int, change: Change) -> Party:
        stored = next_version(party, read_version)
        write = put_versioned(self.table.name, self.party_item(stored), read_version)
        save_with_audit(
            self.table,
            self.audit_table,
            [(write, PARTY, party.id)],
            change,
            conflict=changed_meanwhile(N_("party")),
        )
        return stored
