"""The monthly figures an obligation's changes move (see `core.facts`)."""

from __future__ import annotations

from collections.abc import Iterator

from compliance.model import OPEN, Status
from core.facts import ONE, Context, Derive, Fact, Item, count, month_of

COUNTED = {status.value for status in (*OPEN, Status.COMPLETED)}


def _due_in(obligation: Item) -> str | None:
    counted = obligation.get("status") in COUNTED
    return str(obligation["effective_due_date"])[:7] if obligation and counted else None


def obligation_facts(old: Item, new: Item, context: Context) -> Iterator[Fact]:
    before, after = _due_in(old), _due_in(new)
    if before != after:
        if before:
            yield count(before, "compliance.due", -ONE)
        if after:
            yield count(after, "compliance.due")
    if new.get("status") == "completed" and old.get("status") != "completed" and after:
        on_time = str(new["completed_on"]) <= str(new["effective_due_date"])
        yield count(after, "compliance.completed_on_time" if on_time else "compliance.completed_late")
    sent_before = {s["key"] for s in old.get("sent", []) if s.get("sent_at")}
    for sent in new.get("sent", []):
        if sent.get("sent_at") and sent["key"].startswith("escalation") and sent["key"] not in sent_before:
            yield count(month_of(sent["sent_at"], context.timezone), "compliance.escalations")


FACTS: dict[str, Derive] = {"OBL": obligation_facts}
