"""Compliance reminders: obligations with due dates, reminded, escalated and rolled forward.

`Compliance` is the one service the handlers use; each concern lives in its own module:
obligations (what people keep), reminders (the daily run and the digest), feed_tokens (calendar
links) and messages (the emails).
"""

from __future__ import annotations

import os
from datetime import date
from functools import cache

from compliance.feed_tokens import FeedTokens
from compliance.obligations import Obligations
from compliance.reminders import DailyReminders
from compliance.store import ObligationStore
from core.clock import system_clock
from core.dynamo import Table
from core.mailer import Mailer
from core.settings import env, settings
from intake.interface import document_exists


class Compliance(Obligations, DailyReminders, FeedTokens):
    """Every compliance operation, over one store and one mailer."""


def closed_days(text: str) -> frozenset[date]:
    return frozenset(date.fromisoformat(part.strip()) for part in text.split(",") if part.strip())


@cache
def compliance() -> Compliance:
    grace_days = int(env("ESCALATION_GRACE_DAYS"))
    return Compliance(
        store=ObligationStore(Table(env("COMPLIANCE_TABLE")), env("AUDIT_TABLE"), grace_days),
        mailer=Mailer(env("SENDER_EMAIL"), env("BUSINESS_NAME")),
        clock=system_clock,
        timezone=settings().timezone,
        grace_days=grace_days,
        closed_days=closed_days(os.environ.get("CLOSED_DAYS", "")),
        document_exists=document_exists,
        feed_token_days=int(os.environ.get("FEED_TOKEN_DAYS", "365")),
        country=settings().country,
    )
