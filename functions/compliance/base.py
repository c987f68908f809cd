"""What every part of compliance shares: the office's settings, the store, and today's standing."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from compliance import calendar
from compliance.model import OPEN, Obligation
from compliance.store import ObligationStore
from core.clock import Clock, business_date
from core.mailer import Mailer

SYSTEM = "system:compliance"


def deterministic_id(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


@dataclass
class ComplianceBase:
    store: ObligationStore
    mailer: Mailer
    clock: Clock
    timezone: ZoneInfo
    grace_days: int
    closed_days: frozenset[date]
    document_exists: Callable[[str], bool]
    feed_token_days: int = 365
    country: str = "US"

    def today(self) -> date:
        return business_date(self.clock(), self.timezone)

    def _resolved(self, obligation: Obligation) -> Obligation:
        """Effective due date (business-day rule) and status as of today."""
        effective = calendar.effective_due(
            obligation.due_date, obligation.business_day_rule, obligation.jurisdiction, self.closed_days
        )
        status = obligation.status
        if status in OPEN:
            status = calendar.status_on(effective, self.today())
        return obligation.model_copy(update={"effective_due_date": effective, "status": status})
