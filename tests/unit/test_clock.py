"""Scheduled jobs take "now" from the event, and dates are counted in the business timezone."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from core.clock import business_date, fixed_clock, parse_instant, scheduled_time


def test_scheduled_time_comes_from_the_event() -> None:
    assert scheduled_time({"time": "2026-03-08T05:30:00Z"}) == datetime(2026, 3, 8, 5, 30, tzinfo=UTC)


def test_scheduled_time_falls_back_to_the_clock() -> None:
    instant = datetime(2026, 1, 1, tzinfo=UTC)
    assert scheduled_time({}, fixed_clock(instant)) == instant


def test_business_date_on_a_dst_change_night() -> None:
    # 00:30 in New York on the day clocks go forward is 05:30 UTC: still 8 March locally.
    instant = parse_instant("2026-03-08T05:30:00Z")
    assert business_date(instant, ZoneInfo("America/New_York")) == date(2026, 3, 8)
    assert business_date(parse_instant("2026-03-08T04:30:00Z"), ZoneInfo("America/New_York")) == date(
        2026, 3, 7
    )


def test_fixed_clock_refuses_naive_instants() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        fixed_clock(datetime(2026, 1, 1))  # noqa: DTZ001
