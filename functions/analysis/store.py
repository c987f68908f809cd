"""Monthly figures in DynamoDB (AnalysisTable), kept up to date as records change.

Access patterns:
- a month's counters and sums:     pk=MONTH#{yyyy-mm}, sk=FIGURES    one number attribute per figure
- every month's figures, in order: gsi1pk=FIGURES,     gsi1sk={yyyy-mm}
- a month's samples (durations):   pk=MONTH#{yyyy-mm}, sk=SAMPLE#{figure}#{change}   `value`
- a month's end-of-month snapshot: pk=MONTH#{yyyy-mm}, sk=SNAPSHOT   (aging at month end; report sent)
- figures carried into a month:    pk=MONTH#{yyyy-mm}, sk=NOTE#{change}   from a closed month (`carried_from`)
- a change already counted:        pk=CHANGE#{id},     sk=CHANGE     expires after 7 days (TTL)

A change's claim and every figure it moves are one transaction: a redelivered stream record finds
its claim and adds nothing, so each change counts exactly once. Reading a report costs one query
of the figures index (one item per month) and one query per month shown — the same in year five as
in year one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from analysis.figures import Increment
from core.dynamo import Table, Write, put, put_new, try_transact, update
from core.errors import ConditionFailed

CLAIM_DAYS = 7


@dataclass
class Month:
    month: str
    figures: dict[str, Decimal] = field(default_factory=dict)
    samples: dict[str, list[Decimal]] = field(default_factory=dict)
    snapshot: dict[str, Any] = field(default_factory=dict)  # `sent_at` once the month is closed
    notes: list[dict[str, Any]] = field(default_factory=list)  # figures carried from a closed month

    def get(self, name: str) -> Decimal:
        return self.figures.get(name, Decimal(0))


class AnalysisStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def record(self, change_id: str, increments: list[Increment], now: datetime) -> bool:
        """Count one change; False if it was already counted."""
        if not increments:
            return True
        expires = int((now + timedelta(days=CLAIM_DAYS)).timestamp())
        writes: list[Write] = [
            put_new(self.table.name, {"pk": f"CHANGE#{change_id}", "sk": "CHANGE", "expires": expires})
        ]
        for inc in increments:
            if inc.add:
                key = {"pk": f"MONTH#{inc.month}", "sk": "FIGURES"}
                marker = {"gsi1pk": "FIGURES", "gsi1sk": inc.month, "month": inc.month}
                writes.append(update(self.table.name, key, marker, add=inc.add))
            for origin, figures in inc.carried.items():
                note = {
                    "pk": f"MONTH#{inc.month}",
                    "sk": f"NOTE#{change_id}#{origin}",
                    "carried_from": origin,
                }
                writes.append(put(self.table.name, {**note, "figures": figures}))
            for name, values in inc.samples.items():
                for index, value in enumerate(values):
                    item = {
                        "pk": f"MONTH#{inc.month}",
                        "sk": f"SAMPLE#{name}#{change_id}#{index}",
                        "value": value,
                    }
                    writes.append(put(self.table.name, item))
        reasons = try_transact(self.table.client, writes)
        if reasons is None:
            return True
        if reasons[0] == "ConditionalCheckFailed":
            return False
        raise RuntimeError(f"figures not recorded: {reasons}")

    def months(self, last: str) -> dict[str, Month]:
        """Every month's figures up to and including `last` (one small item per month)."""
        found: dict[str, Month] = {}
        for item in self.table.up_to("gsi1", "FIGURES", last):
            figures = {k: Decimal(v) for k, v in item.items() if "." in k}
            found[str(item["month"])] = Month(str(item["month"]), figures)
        return found

    def details(self, month: Month) -> Month:
        """The month with its figures, samples, notes and snapshot: one query of its partition."""
        for item in self.table.query_all("pk = :pk", values={":pk": f"MONTH#{month.month}"}):
            sk = str(item["sk"])
            if sk == "FIGURES":
                month.figures = {k: Decimal(v) for k, v in item.items() if "." in k}
            elif sk.startswith("SAMPLE#"):
                name = sk.split("#")[1]
                month.samples.setdefault(name, []).append(Decimal(item["value"]))
            elif sk.startswith("NOTE#"):
                month.notes.append({"from": item["carried_from"], "figures": dict(item["figures"])})
            elif sk == "SNAPSHOT":
                month.snapshot = {k: v for k, v in item.items() if k not in ("pk", "sk")}
        return month

    def save_snapshot(self, month: str, values: dict[str, Any]) -> None:
        """Set the month-end figures (keeping whether the report was sent)."""
        self.table.write(update(self.table.name, {"pk": f"MONTH#{month}", "sk": "SNAPSHOT"}, values))

    def closed(self, month: str) -> bool:
        """Whether a run has closed the month (its report stored and sent)."""
        item = self.table.get({"pk": f"MONTH#{month}", "sk": "SNAPSHOT"})
        return bool(item and "sent_at" in item)

    def claim_sending(self, month: str, at: datetime) -> bool:
        """Mark the month's report as being sent; False if a run already did."""
        key = {"pk": f"MONTH#{month}", "sk": "SNAPSHOT"}
        sent = update(
            self.table.name, key, {"sent_at": at.isoformat()}, condition="attribute_not_exists(sent_at)"
        )
        try:
            self.table.write(sent)
        except ConditionFailed:
            return False
        return True
