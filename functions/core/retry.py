"""Optimistic writes that lost a race: read the record again and redo the change."""

from __future__ import annotations

from collections.abc import Callable

from core.errors import ConditionFailed

ATTEMPTS = 3


def retry_on_conflict[Record, Result](
    record: Record,
    reload: Callable[[], Record],
    change: Callable[[Record], Result],
    *,
    attempts: int = ATTEMPTS,
) -> Result:
    """`change(record)` until its write meets no `ConditionFailed`, reading the record afresh before
    each new attempt; after `attempts` the last `ConditionFailed` is raised."""
    for attempt in range(1, attempts + 1):
        try:
            return change(record)
        except ConditionFailed:
            if attempt == attempts:
                raise
            record = reload()
    raise AssertionError("attempts must be at least 1")
