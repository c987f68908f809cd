"""The moment a test run stands in for (`make test NOW=2026-12-31T23:59:00+07:00`).

pytest moves its own clock to `NOW` and hands `BACKOFFICE_NOW` ("<instant>@<real epoch seconds at
that instant>") to everything it starts: the local cloud and each function's process start at the
same shifted moment and tick on from it together. time-machine moves what `core.clock` reads (and
anything else that asks the operating system for the time); the functions themselves know nothing of it.
"""

from __future__ import annotations

import os
import time
from datetime import datetime

ENV = "BACKOFFICE_NOW"
_started: list[datetime] = []


def instant(text: str) -> datetime:
    """`NOW` as written: an ISO-8601 instant with its offset (a moment of the office's day needs one)."""
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"NOW={text!r} is not an ISO-8601 instant, e.g. 2026-12-31T23:59:00+07:00") from None
    if value.tzinfo is None:
        raise ValueError(f"NOW={text!r} needs its offset, e.g. 2026-12-31T23:59:00+07:00")
    return value


def shared(now: str) -> str:
    """The value of `BACKOFFICE_NOW` for a run that starts at `now`, this very moment."""
    return f"{instant(now).isoformat()}@{time.time()!r}"


def start() -> datetime | None:
    """Move this process's clock to the run's moment, if it has one; once per process."""
    spec = os.environ.get(ENV, "")
    if not spec or _started:
        return _started[0] if _started else None
    text, _, origin = spec.rpartition("@")
    import time_machine  # only a shifted run needs it

    moment = datetime.fromtimestamp(
        instant(text).timestamp() + time.time() - float(origin), instant(text).tzinfo
    )
    time_machine.travel(moment, tick=True).start()
    _started.append(moment)
    return moment
