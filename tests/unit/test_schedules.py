"""Schedule expressions as EventBridge Scheduler reads them, in their timezone."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from infra.localcloud.triggers import Schedule


def schedule(expression: str, tz: str = "UTC") -> Schedule:
    return Schedule("s", "Fn", expression, ZoneInfo(tz), None)


def test_daily_cron_fires_in_local_time_across_dst() -> None:
    daily = schedule("cron(30 0 * * ? *)", "America/New_York")
    # before the spring change: 00:30 EST = 05:30 UTC; after: 00:30 EDT = 04:30 UTC
    assert daily.next_after(datetime(2026, 3, 7, 12, tzinfo=UTC)) == datetime(2026, 3, 8, 5, 30, tzinfo=UTC)
    assert daily.next_after(datetime(2026, 3, 8, 12, tzinfo=UTC)) == datetime(2026, 3, 9, 4, 30, tzinfo=UTC)


def test_eventbridge_weekdays_count_from_sunday() -> None:
    # 2 = Monday in EventBridge (1 = Sunday)
    weekly = schedule("cron(0 8 ? * 2 *)")
    nxt = weekly.next_after(datetime(2026, 11, 22, tzinfo=UTC))  # a Sunday
    assert nxt == datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    assert schedule("cron(0 8 ? * MON *)").next_after(datetime(2026, 11, 22, tzinfo=UTC)) == nxt


def test_year_field_and_rate() -> None:
    assert schedule("cron(0 0 1 1 ? 2028)").next_after(datetime(2026, 1, 1, tzinfo=UTC)).year == 2028
    assert schedule("rate(5 minutes)").next_after(datetime(2026, 1, 1, tzinfo=UTC)) == datetime(
        2026, 1, 1, 0, 5, tzinfo=UTC
    )


def test_scheduler_context_attributes_are_filled_in() -> None:
    entry = Schedule(
        "Daily",
        "Fn",
        "rate(1 day)",
        ZoneInfo("UTC"),
        '{"time": "<aws.scheduler.scheduled-time>", "arn": "<aws.scheduler.schedule-arn>"}',
    )
    event = entry.event(datetime(2026, 5, 1, 7, 0, tzinfo=UTC))
    assert event == {
        "time": "2026-05-01T07:00:00Z",
        "arn": "arn:aws:scheduler:us-east-1:123456789012:schedule/default/Daily",
    }
