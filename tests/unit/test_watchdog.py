"""The local dead-man switch follows the template's "not invoked for N hours" alarms."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from infra.localcloud.watchdog import Watchdog, dead_man_alarms
from infra.template import Template


def test_every_scheduled_job_is_watched_for_its_longest_gap() -> None:
    windows = {alarm.function: alarm.window for alarm in dead_man_alarms(Template())}
    scheduled = {
        spec.logical_id
        for spec in Template().functions.values()
        if any(event.type == "ScheduleV2" for event in spec.events)
    }
    assert set(windows) == scheduled
    assert windows["ComplianceDailyFunction"] == timedelta(hours=26)
    assert windows["PayrollDailyFunction"] == timedelta(hours=74)  # weekdays: Friday to Monday


def test_silence_is_reported_once_and_remembered_across_restarts(tmp_path: Path) -> None:
    alarms = dead_man_alarms(Template())
    now = [datetime(2026, 11, 22, 0, 30, tzinfo=UTC)]
    lines: list[str] = []
    watchdog = Watchdog(alarms, tmp_path, lines.append, lambda: now[0])
    for alarm in alarms:
        watchdog.invoked(alarm.function)
    now[0] += timedelta(hours=25)
    assert watchdog.check() == []
    now[0] += timedelta(hours=2)
    warnings = watchdog.check()
    assert any("ComplianceDailyFunction has not run for 27 h" in w for w in warnings)
    assert not any("PayrollDailyFunction" in w for w in warnings)  # within its 74 hours
    assert watchdog.check() == []  # once per silence

    restarted = Watchdog(alarms, tmp_path, lines.append, lambda: now[0])
    assert len(restarted.check()) == len(warnings)  # the last runs are remembered, not reset
    for alarm in alarms:
        restarted.invoked(alarm.function)
    assert restarted.check() == []
