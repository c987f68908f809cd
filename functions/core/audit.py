"""The append-only audit trail: who did what to which record, when, written with the change itself."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core.dynamo import Item, Table, Write, put, try_transact
from core.errors import ConditionFailed
from core.i18n import N_, Word


def audit_entry(
    table: str,
    *,
    entity: str,
    entity_id: str,
    action: str,
    actor: str,
    at: datetime,
    changes: Mapping[str, Any] | None = None,
) -> Write:
    """The Put that records one state change; add it to the same transaction as the change."""
    item = {
        "pk": f"{entity}#{entity_id}",
        "sk": f"{at.isoformat()}#{uuid.uuid4().hex}",
        "entity": entity,
        "entity_id": entity_id,
        "action": action,
        "actor": actor,
        "at": at.isoformat(),
        "changes": dict(changes or {}),
    }
    return put(table, item, condition="attribute_not_exists(pk)")


@dataclass(frozen=True)
class Change:
    """Who did what, when: the part of an audit entry shared by every record one change touches."""

    action: str
    actor: str
    at: datetime
    changes: Mapping[str, Any] = field(default_factory=dict)

    def entry(self, table: str, entity: str, entity_id: str) -> Write:
        """The audit entry of this change to one record."""
        return audit_entry(
            table,
            entity=entity,
            entity_id=entity_id,
            action=self.action,
            actor=self.actor,
            at=self.at,
            changes=self.changes,
        )


def save_with_audit(
    table: Table,
    audit_table: str,
    records: Sequence[tuple[Write, str, str]],
    change: Change,
    *,
    conflict: Word,
    also: Sequence[Write] = (),
) -> None:
    """Write each record — (write, entity, entity id) — with its audit entry, and `also`, in one
    transaction: all or nothing. A failed condition or a concurrent transaction on the same items
    raises `ConditionFailed` with the `conflict`'s words (`changed_meanwhile`); read again and retry."""
    writes = [write for write, _, _ in records]
    writes += [change.entry(audit_table, entity, entity_id) for _, entity, entity_id in records]
    if try_transact(table.client, [*writes, *also]):
        raise ConditionFailed(conflict.text, **conflict.params)


def changed_meanwhile(entity: str) -> Word:
    """The refusal of a write that lost to another: `entity` is a word of the catalogues."""
    return Word(N_("the {entity} changed since it was read; reload and try again"), entity=Word(entity))


def history(table: Table, entity: str, entity_id: str) -> list[Item]:
    """The audit entries of one record, oldest first."""
    return list(table.query_all("pk = :pk", values={":pk": f"{entity}#{entity_id}"}))
