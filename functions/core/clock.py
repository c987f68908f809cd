"""An injectable clock: handlers take "now" from their trigger, rules take it as an argument."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The current instant, timezone-aware in UTC."""
    return datetime.now(UTC)


def fixed_clock(instant: datetime) -> Clock:
    """A clock stopped at one instant (for tests and replays)."""
    if instant.tzinfo is None:
        raise ValueError("a clock instant must be timezone-aware")
    return lambda: instant


def parse_instant(text: str) -> datetime:
    """Parse an ISO-8601 instant; a trailing Z and a missing offset both mean UTC."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def scheduled_time(event: Mapping[str, Any], fallback: Clock = system_clock) -> datetime:
    """The instant a scheduled run stands for: the event's `time`, not the moment it happens to run."""
    text = event.get("time")
    return parse_instant(text) if isinstance(text, str) and text else fallback()


def business_date(instant: datetime, timezone: ZoneInfo) -> date:
    """The calendar date of an instant in the business timezone."""
    return instant.astimezone(timezone).date()


def business_days_between(start: date, end: date) -> int:
    """Monday–Friday days after `start` up to and including `end`."""
    days, day = 0, start
    while day < end:
        day += timedelta(days=1)
        days += day.weekday() < 5
    return days
