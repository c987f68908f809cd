"""The monthly figures a document's changes move (see `core.facts`)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from core.facts import Context, Derive, Fact, Item, count, moment, month_of, sample


def document_facts(old: Item, new: Item, context: Context) -> Iterator[Fact]:
    tz = context.timezone
    if not old and new:
        month = month_of(new["uploaded_at"], tz)
        yield count(month, "intake.received")
        yield count(month, f"intake.received.{new['type']}")
        yield count(month, f"intake.{new['status']}")
        if new["status"] == "filed" and new.get("filed_at"):
            seconds = (moment(new["filed_at"], tz) - moment(new["uploaded_at"], tz)).total_seconds()
            yield sample(month, "intake.seconds_to_file", Decimal(str(round(seconds, 3))))
    elif old and new:
        month = month_of(context.at, tz)
        if old.get("type") != new.get("type") and new.get("classified_by") == "person":
            yield count(month, "intake.reclassified")
        if old.get("status") == "quarantined" and new.get("status") == "filed":
            yield count(month, "intake.released")


FACTS: dict[str, Derive] = {"DOC": document_facts}
