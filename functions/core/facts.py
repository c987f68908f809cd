"""Facts about a month: what a change to a record adds to the office's monthly figures.

Each capability derives the facts of its own records (`<capability>/facts.py`, pure, no AWS) from a
record's image before and after the change, as its table's stream delivers it; the analysis only
adds them up. A fact counts in the month its own date falls in (in the business timezone).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from core.clock import parse_instant

Item = dict[str, Any]
ONE = Decimal(1)
Fact = tuple[str, str, Decimal, bool]  # month, figure, value, is a sample (else added)


@dataclass(frozen=True)
class Context:
    timezone: ZoneInfo
    at: datetime  # when the change happened (the stream record's time)


Derive = Callable[[Item, Item, Context], Iterator[Fact]]


def count(month: str, name: str, value: Decimal = ONE) -> Fact:
    return month, name, value, False


def sample(month: str, name: str, value: Decimal) -> Fact:
    return month, name, value, True


def moment(value: Any, timezone: ZoneInfo) -> datetime:
    """A stored instant (ISO text or a datetime) in the business timezone."""
    instant = value if isinstance(value, datetime) else parse_instant(str(value))
    return instant.astimezone(timezone)


def month_of(value: Any, timezone: ZoneInfo) -> str:
    """YYYY-MM of a date, or of a time in the business timezone."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()[:7]
    text = str(value)
    return text[:7] if len(text) == 10 else moment(text, timezone).strftime("%Y-%m")
