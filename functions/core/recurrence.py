"""RFC 5545 recurrence rules (dateutil): checked when stated, the next date of a series, and the dates
a billing series falls on, where a day past a short month's end falls on that month's last day."""

from __future__ import annotations

from datetime import date, datetime

from dateutil.rrule import rrulestr

from core.i18n import N_


def validate_rule(text: str) -> str:
    """An RRULE (with or without the `RRULE:` prefix) that dateutil accepts, normalised."""
    rule = text.strip()
    rule = rule[6:] if rule.upper().startswith("RRULE:") else rule
    if "DTSTART" in rule.upper():
        raise ValueError(N_("give the first due date as the due date, not DTSTART in the rule"))
    try:
        rrulestr(rule, dtstart=datetime.combine(date(2000, 1, 1), datetime.min.time()))
    except (ValueError, TypeError):
        raise ValueError(N_("not a repeating rule this office can read (RFC 5545 RRULE)")) from None
    return rule.upper()


def next_occurrence(rule: str, anchor: date, after: date) -> date | None:
    """The first date of the series (starting at anchor) strictly after `after`; None if it ended."""
    series = rrulestr(rule, dtstart=datetime.combine(anchor, datetime.min.time()))
    found = series.after(datetime.combine(after, datetime.min.time()), inc=False)
    return found.date() if found else None


def billing_dates(rule: str, start: date, after: date | None, until: date) -> list[date]:
    """The dates of the series from `start` strictly after `after` (from `start` itself when None) up to
    `until`. A monthly or yearly series on day 29, 30 or 31 falls on the last day of a month without
    that day (28 or 29 February, 30 April …), as a retainer billed on the 31st is expected to."""
    parts = dict(part.split("=", 1) for part in rule.upper().split(";") if "=" in part)
    day = int(parts.get("BYMONTHDAY", start.day)) if "," not in parts.get("BYMONTHDAY", "") else 0
    if parts.get("FREQ") in ("MONTHLY", "YEARLY") and day > 28 and "BYSETPOS" not in parts:
        parts.update(BYMONTHDAY=f"{day},-1", BYSETPOS="1")
        if parts["FREQ"] == "YEARLY":
            parts.setdefault("BYMONTH", str(start.month))
    anchor = datetime.combine(start, datetime.min.time())
    series = rrulestr(";".join(f"{k}={v}" for k, v in parts.items()), dtstart=anchor)
    low = datetime.combine(after, datetime.min.time()) if after else anchor
    found = series.between(low, datetime.combine(until, datetime.min.time()), inc=after is None)
    return [moment.date() for moment in found]
