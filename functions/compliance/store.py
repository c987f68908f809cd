"""Obligations, their history and calendar-feed tokens in DynamoDB.

Access patterns (ComplianceTable):
- an obligation by id:                  pk=OBL#{id},          sk=OBL
- open obligations by effective due:    gsi1pk=OPEN,          gsi1sk={effective_due}#{id}   (sparse: the
  daily run reads only these, up to its horizon)
- all obligations by effective due:     gsi2pk=OBLIGATIONS,   gsi2sk={effective_due}#{id}   (+ filters)
- open obligations by next action day:  gsi3pk=ACTION,        gsi3sk={next_action}#{id}   (sparse: the
  daily run reads only what has something to do today, however many obligations there are)
- the history of a series:              pk=HIST#{series_id},  sk={at}#{uuid}
- a calendar-feed token:                pk=FEED#{token_id},   sk=FEED    (only a hash of the secret)
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from compliance.calendar import next_action
from compliance.model import OPEN, Obligation
from core.audit import Change, changed_meanwhile, save_with_audit
from core.dynamo import Table, Write, attributes, delete, next_version, put, put_versioned
from core.errors import ConditionFailed, not_found
from core.i18n import N_
from core.identity import Caller

ENTITY = "obligation"


def obligation_item(obligation: Obligation, grace_days: int) -> dict[str, Any]:
    sort = f"{obligation.effective_due_date.isoformat()}#{obligation.id}"
    item = {
        **obligation.model_dump(mode="json", exclude_none=True),
        "pk": f"OBL#{obligation.id}",
        "sk": "OBL",
        "gsi2pk": "OBLIGATIONS",
        "gsi2sk": sort,
    }
    if obligation.status in OPEN:
        item.update(gsi1pk="OPEN", gsi1sk=sort)
    action = next_action(obligation, grace_days)
    if action:
        item.update(gsi3pk="ACTION", gsi3sk=f"{action.isoformat()}#{obligation.id}")
    return item


def from_item(item: dict[str, Any]) -> Obligation:
    return Obligation.model_validate(attributes(item))


class ObligationStore:
    def __init__(self, table: Table, audit_table: str, grace_days: int) -> None:
        self.table = table
        self.audit_table = audit_table
        self.grace_days = grace_days

    def get(self, obligation_id: str) -> Obligation:
        item = self.table.get({"pk": f"OBL#{obligation_id}", "sk": "OBL"})
        if item is None:
            raise not_found(N_("obligation"), obligation_id)
        return from_item(item)

    def exists(self, obligation_id: str) -> bool:
        return self.table.get({"pk": f"OBL#{obligation_id}", "sk": "OBL"}) is not None

    def open_due_by(self, day: date) -> Iterator[Obligation]:
        """Open obligations whose effective due date is on or before `day`."""
        for item in self.table.up_to("gsi1", "OPEN", day.isoformat() + "~"):
            yield from_item(item)

    def actions_due_by(self, day: date) -> Iterator[Obligation]:
        """Open obligations with something for the daily run to do on or before `day`."""
        for item in self.table.up_to("gsi3", "ACTION", day.isoformat() + "~"):
            yield from_item(item)

    def search(
        self,
        *,
        status: str | None,
        category: str | None,
        owner: str | None,
        due_before: date | None,
        cursor: str | None,
        limit: int,
    ) -> tuple[list[Obligation], str | None]:
        """By effective due date, soonest first; filters on status, category and owner."""
        names: dict[str, str] = {}
        values: dict[str, Any] = {
            ":pk": "OBLIGATIONS",
            ":to": (due_before.isoformat() if due_before else "9") + "~",
        }
        filters = []
        for attribute, value in (("status", status), ("category", category), ("owner_email", owner)):
            if value:
                names[f"#{attribute}"] = attribute
                values[f":{attribute}"] = value
                filters.append(f"#{attribute} = :{attribute}")
        page = self.table.query(
            "gsi2pk = :pk AND gsi2sk <= :to",
            index="gsi2",
            names=names or None,
            values=values,
            filter_expression=" AND ".join(filters) or None,
            limit=limit,
            cursor=cursor,
        )
        return [from_item(item) for item in page.items], page.cursor

    def history(self, series_id: str) -> list[dict[str, Any]]:
        entries = self.table.query_all("pk = :pk", values={":pk": f"HIST#{series_id}"})
        return [{k: v for k, v in e.items() if k not in ("pk", "sk")} for e in entries]

    # ---------------------------------------------------------------- writes
    def history_entry(
        self, obligation: Obligation, kind: str, at: datetime, by: Caller | str, **detail: Any
    ) -> Write:
        """One line of the series' history; a person's entry keeps the name the office knew them by."""
        who = {"by": by.actor, "by_name": by.shown_as} if isinstance(by, Caller) else {"by": by}
        item = {
            "pk": f"HIST#{obligation.series_id}",
            "sk": f"{at.isoformat()}#{uuid.uuid4().hex}",
            "kind": kind,
            "obligation_id": obligation.id,
            "due_date": obligation.due_date.isoformat(),
            "at": at.isoformat(),
            **{k: v for k, v in {**who, **detail}.items() if v is not None},
        }
        return put(self.table.name, item)

    def _put(self, obligation: Obligation, read_version: int | None) -> Write:
        item = obligation_item(next_version(obligation, read_version), self.grace_days)
        return put_versioned(self.table.name, item, read_version)

    def reindex(self, obligation: Obligation) -> None:
        """Rewrite the next-action key of an unchanged obligation (after the grace period changed)."""
        self.table.rewrite_unchanged(obligation_item(obligation, self.grace_days))

    def save(
        self,
        obligation: Obligation,
        *,
        read_version: int | None,
        action: str,
        actor: str,
        at: datetime,
        changes: dict[str, Any] | None = None,
        also: list[Obligation] | None = None,
        history: list[Write] | None = None,
    ) -> Obligation:
        """Store a change (and any new occurrences) with its audit and history entries, atomically."""
        save_with_audit(
            self.table,
            self.audit_table,
            [(self._put(obligation, read_version), ENTITY, obligation.id)],
            Change(action, actor, at, changes or {}),
            conflict=changed_meanwhile(N_("obligation")),
            also=[*(self._put(extra, None) for extra in also or []), *(history or [])],
        )
        return next_version(obligation, read_version)

    # ---------------------------------------------------------------- digest
    def digest_sent(self, week: str, owner: str) -> bool:
        return self.table.get({"pk": f"DIGEST#{week}", "sk": owner}) is not None

    def mark_digest_sent(self, week: str, owner: str, at: datetime) -> None:
        self.table.write(put(self.table.name, {"pk": f"DIGEST#{week}", "sk": owner, "at": at.isoformat()}))

    # ------------------------------------------------------------ feed tokens
    def put_feed_token(
        self, token_id: str, secret_hash: str, subject: str, at: datetime, expires_at: datetime
    ) -> None:
        item = {
            "pk": f"FEED#{token_id}",
            "sk": "FEED",
            "hash": secret_hash,
            "subject": subject,
            "at": at.isoformat(),
            "expires_at": expires_at.isoformat(),
            "gsi1pk": "FEEDS",
            "gsi1sk": f"{at.isoformat()}#{token_id}",
        }
        self.table.write(put(self.table.name, item, condition="attribute_not_exists(pk)"))

    def feed_token(self, token_id: str) -> dict[str, Any] | None:
        return self.table.get({"pk": f"FEED#{token_id}", "sk": "FEED"})

    def feed_tokens(self, subject: str | None) -> list[dict[str, Any]]:
        """Every feed token, newest first, or only those of one owner (never their hashes)."""
        filters: dict[str, Any] = {}
        if subject is not None:
            filters = {
                "filter_expression": "#subject = :subject",
                "names": {"#pk": "gsi1pk", "#subject": "subject"},
                "values": {":pk": "FEEDS", ":subject": subject},
            }
        items = self.table.query_all(
            "#pk = :pk",
            index="gsi1",
            names=filters.get("names", {"#pk": "gsi1pk"}),
            values=filters.get("values", {":pk": "FEEDS"}),
            filter_expression=filters.get("filter_expression"),
            forward=False,
        )
        return [
            {
                "id": str(item["pk"]).removeprefix("FEED#"),
                "owner": item["subject"],
                "created_at": item["at"],
                "expires_at": item.get("expires_at"),
            }
            for item in items
        ]

    def revoke_feed_token(self, token_id: str, subject: str, admin: bool) -> None:
        condition = "attribute_exists(pk)" if admin else "attribute_exists(pk) AND #subject = :subject"
        params: dict[str, Any] = (
            {} if admin else {"names": {"#subject": "subject"}, "values": {":subject": subject}}
        )
        try:
            self.table.write(
                delete(
                    self.table.name, {"pk": f"FEED#{token_id}", "sk": "FEED"}, condition=condition, **params
                )
            )
        except ConditionFailed:
            raise not_found(N_("feed token"), token_id) from None
