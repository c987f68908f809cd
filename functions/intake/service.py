"""Document intake: uploads filed, de-duplicated or quarantined, and corrected by people.

`Filing` is the one service the handlers use; each concern lives in its own module: inbox (an
upload to its end state), corrections (reclassify, release) and base (what they share, and reads).
"""

from __future__ import annotations

import os
from functools import cache

from core.clock import system_clock
from core.dynamo import Table
from core.events import EventBus
from core.settings import env, settings
from core.storage import ObjectStore
from intake.corrections import Corrections
from intake.inbox import FirstCopyPending, Inbox
from intake.store import DocumentRegister

__all__ = ["Filing", "FirstCopyPending", "filing"]


class Filing(Inbox, Corrections):
    """Every intake operation, over one bucket, one register and one event bus."""


@cache
def filing() -> Filing:
    """The process's Filing, wired from the function's environment (template.yaml)."""
    return Filing(
        store=ObjectStore(env("DOCUMENTS_BUCKET")),
        register=DocumentRegister(Table(env("DOCUMENTS_TABLE")), env("AUDIT_TABLE")),
        bus=EventBus(env("EVENT_BUS_NAME"), source="backoffice.intake"),
        clock=system_clock,
        timezone=settings().timezone,
        max_bytes=int(env("MAX_UPLOAD_MB")) * 1024 * 1024,
        register_uploaders=_listed(os.environ.get("REGISTER_UPLOADERS", "*")),
        payroll_senders=_listed(os.environ.get("PAYROLL_SENDERS", "")),
    )


def _listed(value: str) -> tuple[str, ...]:
    return tuple(
        item.strip().lower() if "@" in item else item.strip() for item in value.split(",") if item.strip()
    )
