"""Dead-man switches: the template's "function not invoked for N hours" alarms, watched locally.

An alarm on AWS/Lambda `Invocations` with a less-than comparison means "this function must run at
least every Period × EvaluationPeriods"; the local cloud prints a warning when it has not.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from infra.template import Template

CHECK_EVERY = 60.0


@dataclass(frozen=True)
class DeadMan:
    alarm: str
    function: str
    window: timedelta


def dead_man_alarms(template: Template) -> list[DeadMan]:
    by_name = {spec.name: spec.logical_id for spec in template.functions.values()}
    found = []
    for logical_id in template.of_type("AWS::CloudWatch::Alarm"):
        props = template.properties(logical_id)
        if (props.get("Namespace"), props.get("MetricName")) != ("AWS/Lambda", "Invocations"):
            continue
        if not str(props.get("ComparisonOperator", "")).startswith("LessThan"):
            continue
        dimensions = {d["Name"]: d["Value"] for d in props.get("Dimensions", [])}
        function = by_name.get(str(dimensions.get("FunctionName")))
        if function:
            seconds = int(props["Period"]) * int(props["EvaluationPeriods"])
            found.append(DeadMan(logical_id, function, timedelta(seconds=seconds)))
    return found


class Watchdog:
    """Remembers each watched function's last invocation (across restarts) and reports silence once."""

    def __init__(
        self, alarms: list[DeadMan], state_dir: Path, say: Callable[[str], None], now: Callable[[], datetime]
    ) -> None:
        self.alarms = alarms
        self.path = state_dir / "invocations.json"
        self.say = say
        self.now = now
        self._lock = threading.Lock()
        saved = json.loads(self.path.read_text()) if self.path.exists() else {}
        started = now()
        self.last = {
            a.function: datetime.fromisoformat(saved[a.function]) if a.function in saved else started
            for a in alarms
        }
        self.warned: set[str] = set()

    def invoked(self, function: str) -> None:
        if function not in self.last:
            return
        with self._lock:
            self.last[function] = self.now()
            self.warned.discard(function)
            self.path.write_text(json.dumps({k: v.isoformat() for k, v in self.last.items()}))

    def check(self) -> list[str]:
        """Warnings for functions silent longer than their alarm's window (each once per silence)."""
        warnings = []
        for alarm in self.alarms:
            silent = self.now() - self.last[alarm.function]
            if silent > alarm.window and alarm.function not in self.warned:
                self.warned.add(alarm.function)
                hours = silent.total_seconds() / 3600
                warnings.append(
                    f"WARNING  {alarm.function} has not run for {hours:.0f} h "
                    f"(alarm {alarm.alarm} fires after {alarm.window.total_seconds() / 3600:.0f} h)"
                )
        return warnings

    def watch(self, stop: threading.Event) -> None:
        while True:
            for warning in self.check():
                self.say(warning)
            if stop.wait(CHECK_EVERY):
                return


def utc_now() -> datetime:
    return datetime.now(UTC)
