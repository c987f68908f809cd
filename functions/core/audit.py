"""The append-only audit trail: who did what to which record, when, written with the change itself."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from core.dynamo import Item, Table, Write, put


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


def history(table: Table, entity: str, entity_id: str) -> list[Item]:
    """The audit entries of one record, oldest first."""
    return list(table.query_all("pk = :pk", values={":pk": f"{entity}#{entity_id}"}))
