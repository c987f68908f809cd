"""RFC 5545 recurrence rules (dateutil): checked when stated, and the next date of a series."""

from __future__ import annotations

from datetime import date, datetime

from dateutil.rrule import rrulestr


def validate_rule(text: str) -> str:
    """An RRULE (with or without the `RRULE:` prefix) that dateutil accepts, normalised."""
    rule = text.strip()
    rule = rule[6:] if rule.upper().startswith("RRULE:") else rule
    if "DTSTART" in rule.upper():
        raise ValueError("give the first due date as due_date, not DTSTART in the rule")
    try:
        rrulestr(rule, dtstart=datetime.combine(date(2000, 1, 1), datetime.min.time()))
    except (ValueError, TypeError) as error:
        raise ValueError(f"not an RFC 5545 RRULE: {error}") from None
    return rule.upper()


def next_occurrence(rule: str, anchor: date, after: date) -> date | None:
    """The first date of the series (starting at anchor) strictly after `after`; None if it ended."""
    series = rrulestr(rule, dtstart=datetime.combine(anchor, datetime.min.time()))
    found = series.after(datetime.combine(after, datetime.min.time()), inc=False)
    return found.date() if found else None
