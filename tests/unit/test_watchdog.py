"""The local dead-man switch follows the template's "not invoked for N hours" alarms."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from infra.localcloud.watchdog import Watchdog, dead_man_alarms
from infra.template import Template


def test_the_daily_compliance_run_is_watched_for_26_hours() -> None:
    (alarm,) = dead_man_alarms(Template())
    assert alarm.function == "ComplianceDailyFunction" and alarm.window == timedelta(hours=26)


def test_silence_is_reported_once_and_remembered_across_restarts(tmp_path: Path) -> None:
    alarms = dead_man_alarms(Template())
    now = [datetime(2026, 11, 22, 0, 30, tzinfo=UTC)]
    lines: list[str] = []
    watchdog = Watchdog(alarms, tmp_path, lines.append, lambda: now[0])
    watchdog.invoked("ComplianceDailyFunction")
    now[0] += timedelta(hours=25)
    assert watchdog.check() == []
    now[0] += timedelta(hours=2)
    (warning,) = watchdog.check()
    assert "ComplianceDailyFunction has not run for 27 h" in warning
    assert watchdog.check() == []  # once per silence

    restarted = Watchdog(alarms, tmp_path, lines.append, lambda: now[0])
    assert len(restarted.check()) == 1  # the last run is remembered, not reset by the restart
    restarted.invoked("ComplianceDailyFunction")
    assert restarted.check() == []
